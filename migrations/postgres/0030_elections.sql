-- Election administration (valadministration). Citus-ready like 0001: every table belongs to
-- one municipality and carries tenant_id first in its primary and foreign keys.
-- Registers (buildings, premises, persons) are kept between elections; everything else hangs
-- under one election.

CREATE TABLE el_building (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID NOT NULL,
    name TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE el_premises (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID NOT NULL,
    building_id UUID,
    name TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    accessibility TEXT NOT NULL DEFAULT '',
    capacity INTEGER,
    -- Keys: who holds them and how to get in.
    keys TEXT NOT NULL DEFAULT '',
    contact_name TEXT NOT NULL DEFAULT '',
    contact_phone TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, building_id) REFERENCES el_building (tenant_id, id)
);

CREATE TABLE el_person (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID NOT NULL,
    -- Personnummer in its 12-digit form with hyphen (ÅÅÅÅMMDD-NNNN); optional for imported rows.
    pnr TEXT,
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    birth_date DATE,
    -- Languages besides Swedish, comma separated Swedish names ("arabiska, finska").
    languages TEXT NOT NULL DEFAULT '',
    preferences TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, pnr)
);
CREATE INDEX el_person_name ON el_person (tenant_id, family_name, given_name);

-- Work in earlier elections that happened before this register (imported or typed in);
-- elections in the platform add their own history through el_assignment.
CREATE TABLE el_person_history (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    person_id UUID NOT NULL,
    year INTEGER NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('ordforande', 'vice', 'rostmottagare')),
    place TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (tenant_id, person_id, year),
    FOREIGN KEY (tenant_id, person_id) REFERENCES el_person (tenant_id, id)
);

CREATE TABLE el_election (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('riksdag', 'region', 'kommun', 'eu', 'kyrkoval', 'extraval', 'folkomrostning')),
    name TEXT NOT NULL,
    election_day DATE NOT NULL,
    early_from DATE,
    early_to DATE,
    rules_version TEXT NOT NULL,
    -- Candidates in this election: 'block' (never placed) or 'warn' (placed, flagged).
    candidate_policy TEXT NOT NULL DEFAULT 'block' CHECK (candidate_policy IN ('block', 'warn')),
    -- The public application form is open.
    applications_open BOOLEAN NOT NULL DEFAULT FALSE,
    copied_from UUID,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE el_constituency (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    election_id UUID NOT NULL,
    id UUID NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (tenant_id, election_id, id),
    UNIQUE (tenant_id, election_id, name),
    FOREIGN KEY (tenant_id, election_id) REFERENCES el_election (tenant_id, id)
);

CREATE TABLE el_district (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    election_id UUID NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    constituency_id UUID,
    voters BIGINT,
    PRIMARY KEY (tenant_id, election_id, code),
    FOREIGN KEY (tenant_id, election_id) REFERENCES el_election (tenant_id, id),
    FOREIGN KEY (tenant_id, election_id, constituency_id) REFERENCES el_constituency (tenant_id, election_id, id)
);

-- A polling station: a vallokal serves one district on election day, a röstningslokal is open
-- for early voting on the days in el_opening.
CREATE TABLE el_station (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    election_id UUID NOT NULL,
    id UUID NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('vallokal', 'rostningslokal')),
    name TEXT NOT NULL,
    premises_id UUID,
    address TEXT NOT NULL DEFAULT '',
    lat DOUBLE PRECISION NOT NULL,
    lon DOUBLE PRECISION NOT NULL,
    district_code TEXT,
    PRIMARY KEY (tenant_id, election_id, id),
    FOREIGN KEY (tenant_id, election_id) REFERENCES el_election (tenant_id, id),
    FOREIGN KEY (tenant_id, premises_id) REFERENCES el_premises (tenant_id, id),
    FOREIGN KEY (tenant_id, election_id, district_code) REFERENCES el_district (tenant_id, election_id, code)
);

CREATE TABLE el_opening (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    election_id UUID NOT NULL,
    station_id UUID NOT NULL,
    day DATE NOT NULL,
    opens TIME NOT NULL,
    closes TIME NOT NULL,
    PRIMARY KEY (tenant_id, election_id, station_id, day),
    FOREIGN KEY (tenant_id, election_id, station_id) REFERENCES el_station (tenant_id, election_id, id)
);

CREATE TABLE el_shift (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    election_id UUID NOT NULL,
    id UUID NOT NULL,
    name TEXT NOT NULL,
    day DATE NOT NULL,
    starts TIME NOT NULL,
    ends TIME NOT NULL,
    PRIMARY KEY (tenant_id, election_id, id),
    FOREIGN KEY (tenant_id, election_id) REFERENCES el_election (tenant_id, id)
);

CREATE TABLE el_position (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    election_id UUID NOT NULL,
    id UUID NOT NULL,
    station_id UUID NOT NULL,
    shift_id UUID NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('ordforande', 'vice', 'rostmottagare')),
    language TEXT,
    PRIMARY KEY (tenant_id, election_id, id),
    FOREIGN KEY (tenant_id, election_id, station_id) REFERENCES el_station (tenant_id, election_id, id),
    FOREIGN KEY (tenant_id, election_id, shift_id) REFERENCES el_shift (tenant_id, election_id, id)
);
CREATE INDEX el_position_station ON el_position (tenant_id, election_id, station_id);

-- An application to work in one election (intresseanmälan) and its screening.
CREATE TABLE el_application (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    election_id UUID NOT NULL,
    person_id UUID NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('received', 'accepted', 'reserve', 'rejected', 'withdrawn')),
    reason TEXT NOT NULL DEFAULT '',
    -- Roles the applicant wants, comma separated role keys.
    roles_wanted TEXT NOT NULL DEFAULT '',
    message TEXT NOT NULL DEFAULT '',
    -- Stands as a candidate in this election (self-declared or from the candidate file).
    candidate BOOLEAN NOT NULL DEFAULT FALSE,
    consent_at TIMESTAMPTZ,
    -- How the applicant identified: 'eid' or 'form'.
    identified_by TEXT NOT NULL DEFAULT 'form',
    -- The population register check (folkbokföring): 'not_checked', 'registered', 'elsewhere', 'not_found'.
    register_status TEXT NOT NULL DEFAULT 'not_checked',
    register_kommun TEXT,
    register_source TEXT,
    register_checked_at TIMESTAMPTZ,
    screened_by UUID,
    screened_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, election_id, person_id),
    FOREIGN KEY (tenant_id, election_id) REFERENCES el_election (tenant_id, id),
    FOREIGN KEY (tenant_id, person_id) REFERENCES el_person (tenant_id, id)
);

CREATE TABLE el_wish (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    election_id UUID NOT NULL,
    person_id UUID NOT NULL,
    station_id UUID NOT NULL,
    PRIMARY KEY (tenant_id, election_id, person_id, station_id),
    FOREIGN KEY (tenant_id, election_id, person_id) REFERENCES el_application (tenant_id, election_id, person_id),
    FOREIGN KEY (tenant_id, election_id, station_id) REFERENCES el_station (tenant_id, election_id, id)
);

CREATE TABLE el_availability (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    election_id UUID NOT NULL,
    person_id UUID NOT NULL,
    shift_id UUID NOT NULL,
    PRIMARY KEY (tenant_id, election_id, person_id, shift_id),
    FOREIGN KEY (tenant_id, election_id, person_id) REFERENCES el_application (tenant_id, election_id, person_id),
    FOREIGN KEY (tenant_id, election_id, shift_id) REFERENCES el_shift (tenant_id, election_id, id)
);

-- People who must not work at the same station (household, relatives).
CREATE TABLE el_conflict (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    election_id UUID NOT NULL,
    person_a UUID NOT NULL,
    person_b UUID NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (tenant_id, election_id, person_a, person_b),
    FOREIGN KEY (tenant_id, person_a) REFERENCES el_person (tenant_id, id),
    FOREIGN KEY (tenant_id, person_b) REFERENCES el_person (tenant_id, id)
);

-- A person in a position. One person per position, one position per person and election.
-- The worker answers the offer; the office appoints (förordnar) with a letter.
CREATE TABLE el_assignment (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    election_id UUID NOT NULL,
    position_id UUID NOT NULL,
    person_id UUID NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('manual', 'optimiser')),
    explanation TEXT NOT NULL DEFAULT '',
    response TEXT NOT NULL DEFAULT 'pending' CHECK (response IN ('pending', 'accepted', 'declined')),
    responded_at TIMESTAMPTZ,
    placed_by UUID,
    placed_at TIMESTAMPTZ NOT NULL,
    appointed_by UUID,
    appointed_at TIMESTAMPTZ,
    letter BYTEA,
    PRIMARY KEY (tenant_id, election_id, position_id),
    UNIQUE (tenant_id, election_id, person_id),
    FOREIGN KEY (tenant_id, election_id, position_id) REFERENCES el_position (tenant_id, election_id, id),
    FOREIGN KEY (tenant_id, election_id, person_id) REFERENCES el_application (tenant_id, election_id, person_id)
);

-- Courses: a course type ('grund' or 'ordforande', as the rule set names them) per election,
-- its sessions, and who enrolled, attended and completed.
CREATE TABLE el_course (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    election_id UUID NOT NULL,
    id UUID NOT NULL,
    course_key TEXT NOT NULL CHECK (course_key IN ('grund', 'ordforande')),
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (tenant_id, election_id, id),
    UNIQUE (tenant_id, election_id, course_key),
    FOREIGN KEY (tenant_id, election_id) REFERENCES el_election (tenant_id, id)
);

CREATE TABLE el_session (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    election_id UUID NOT NULL,
    id UUID NOT NULL,
    course_id UUID NOT NULL,
    starts_at TIMESTAMPTZ NOT NULL,
    ends_at TIMESTAMPTZ NOT NULL,
    place TEXT NOT NULL,
    capacity INTEGER NOT NULL CHECK (capacity > 0),
    PRIMARY KEY (tenant_id, election_id, id),
    FOREIGN KEY (tenant_id, election_id, course_id) REFERENCES el_course (tenant_id, election_id, id)
);

CREATE TABLE el_enrolment (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    election_id UUID NOT NULL,
    session_id UUID NOT NULL,
    person_id UUID NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('enrolled', 'waitlisted', 'cancelled')),
    -- NULL until the session has been held; then attended or not.
    attended BOOLEAN,
    completed_at TIMESTAMPTZ,
    enrolled_by TEXT NOT NULL DEFAULT 'office' CHECK (enrolled_by IN ('office', 'worker')),
    enrolled_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, election_id, session_id, person_id),
    FOREIGN KEY (tenant_id, election_id, session_id) REFERENCES el_session (tenant_id, election_id, id),
    FOREIGN KEY (tenant_id, person_id) REFERENCES el_person (tenant_id, id)
);
CREATE INDEX el_enrolment_person ON el_enrolment (tenant_id, election_id, person_id);

-- SMS and e-mail campaigns to a filtered group; each message goes through the outbox.
CREATE TABLE el_campaign (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    election_id UUID NOT NULL,
    id UUID NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
    filter TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    created_by UUID NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, election_id, id),
    FOREIGN KEY (tenant_id, election_id) REFERENCES el_election (tenant_id, id)
);

CREATE TABLE el_campaign_message (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    election_id UUID NOT NULL,
    campaign_id UUID NOT NULL,
    person_id UUID NOT NULL,
    outbox_id UUID NOT NULL,
    PRIMARY KEY (tenant_id, election_id, campaign_id, person_id),
    FOREIGN KEY (tenant_id, election_id, campaign_id) REFERENCES el_campaign (tenant_id, election_id, id)
);

-- Material and equipment: item types of the municipality, quantities per station and election,
-- and the packed / delivered / returned checklist with who and when.
CREATE TABLE el_item (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID NOT NULL,
    name TEXT NOT NULL,
    category TEXT NOT NULL DEFAULT '',
    unit TEXT NOT NULL DEFAULT 'st',
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, name)
);

CREATE TABLE el_material (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    election_id UUID NOT NULL,
    station_id UUID NOT NULL,
    item_id UUID NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity >= 0),
    packed_by UUID,
    packed_at TIMESTAMPTZ,
    delivered_by UUID,
    delivered_at TIMESTAMPTZ,
    returned_quantity INTEGER,
    returned_by UUID,
    returned_at TIMESTAMPTZ,
    PRIMARY KEY (tenant_id, election_id, station_id, item_id),
    FOREIGN KEY (tenant_id, election_id, station_id) REFERENCES el_station (tenant_id, election_id, id),
    FOREIGN KEY (tenant_id, item_id) REFERENCES el_item (tenant_id, id)
);

-- Remuneration (arvode) per role and for a completed course, in whole kronor.
CREATE TABLE el_rate (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    election_id UUID NOT NULL,
    key TEXT NOT NULL CHECK (key IN ('ordforande', 'vice', 'rostmottagare', 'course')),
    amount INTEGER NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (tenant_id, election_id, key),
    FOREIGN KEY (tenant_id, election_id) REFERENCES el_election (tenant_id, id)
);

-- The public information pages of the election work, as sanitised HTML.
CREATE TABLE el_page (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    body_html TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    updated_by UUID,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, slug)
);

DO $$
DECLARE t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['el_building', 'el_premises', 'el_person', 'el_person_history', 'el_election', 'el_constituency', 'el_district', 'el_station', 'el_opening', 'el_shift', 'el_position', 'el_application', 'el_wish', 'el_availability', 'el_conflict', 'el_assignment', 'el_course', 'el_session', 'el_enrolment', 'el_campaign', 'el_campaign_message', 'el_item', 'el_material', 'el_rate', 'el_page']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (current_setting('radhus.tenant_id', true) = '*'
                   OR tenant_id::text = current_setting('radhus.tenant_id', true))$p$, t);
    END LOOP;
END $$;
