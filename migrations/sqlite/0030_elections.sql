-- Election administration (valadministration). Citus-ready like 0001: every table belongs to
-- one municipality and carries tenant_id first in its primary and foreign keys.
-- Registers (buildings, premises, persons) are kept between elections; everything else hangs
-- under one election.

CREATE TABLE el_building (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    id BLOB NOT NULL,
    name TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE el_premises (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    id BLOB NOT NULL,
    building_id BLOB,
    name TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    lat REAL,
    lon REAL,
    accessibility TEXT NOT NULL DEFAULT '',
    capacity INTEGER,
    -- Keys: who holds them and how to get in.
    keys TEXT NOT NULL DEFAULT '',
    contact_name TEXT NOT NULL DEFAULT '',
    contact_phone TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, building_id) REFERENCES el_building (tenant_id, id)
);

CREATE TABLE el_person (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    id BLOB NOT NULL,
    -- Personnummer in its 12-digit form with hyphen (ÅÅÅÅMMDD-NNNN); optional for imported rows.
    pnr TEXT,
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    lat REAL,
    lon REAL,
    birth_date TEXT,
    -- Languages besides Swedish, comma separated Swedish names ("arabiska, finska").
    languages TEXT NOT NULL DEFAULT '',
    preferences TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, pnr)
);
CREATE INDEX el_person_name ON el_person (tenant_id, family_name, given_name);

-- Work in earlier elections that happened before this register (imported or typed in);
-- elections in the platform add their own history through el_assignment.
CREATE TABLE el_person_history (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    person_id BLOB NOT NULL,
    year INTEGER NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('ordforande', 'vice', 'rostmottagare')),
    place TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (tenant_id, person_id, year),
    FOREIGN KEY (tenant_id, person_id) REFERENCES el_person (tenant_id, id)
);

CREATE TABLE el_election (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    id BLOB NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('riksdag', 'region', 'kommun', 'eu', 'kyrkoval', 'extraval', 'folkomrostning')),
    name TEXT NOT NULL,
    election_day TEXT NOT NULL,
    early_from TEXT,
    early_to TEXT,
    rules_version TEXT NOT NULL,
    -- Candidates in this election: 'block' (never placed) or 'warn' (placed, flagged).
    candidate_policy TEXT NOT NULL DEFAULT 'block' CHECK (candidate_policy IN ('block', 'warn')),
    -- The public application form is open.
    applications_open BOOLEAN NOT NULL DEFAULT FALSE,
    copied_from BLOB,
    created_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE el_constituency (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    election_id BLOB NOT NULL,
    id BLOB NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (tenant_id, election_id, id),
    UNIQUE (tenant_id, election_id, name),
    FOREIGN KEY (tenant_id, election_id) REFERENCES el_election (tenant_id, id)
);

CREATE TABLE el_district (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    election_id BLOB NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    constituency_id BLOB,
    voters INTEGER,
    PRIMARY KEY (tenant_id, election_id, code),
    FOREIGN KEY (tenant_id, election_id) REFERENCES el_election (tenant_id, id),
    FOREIGN KEY (tenant_id, election_id, constituency_id) REFERENCES el_constituency (tenant_id, election_id, id)
);

-- A polling station: a vallokal serves one district on election day, a röstningslokal is open
-- for early voting on the days in el_opening.
CREATE TABLE el_station (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    election_id BLOB NOT NULL,
    id BLOB NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('vallokal', 'rostningslokal')),
    name TEXT NOT NULL,
    premises_id BLOB,
    address TEXT NOT NULL DEFAULT '',
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    district_code TEXT,
    PRIMARY KEY (tenant_id, election_id, id),
    FOREIGN KEY (tenant_id, election_id) REFERENCES el_election (tenant_id, id),
    FOREIGN KEY (tenant_id, premises_id) REFERENCES el_premises (tenant_id, id),
    FOREIGN KEY (tenant_id, election_id, district_code) REFERENCES el_district (tenant_id, election_id, code)
);

CREATE TABLE el_opening (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    election_id BLOB NOT NULL,
    station_id BLOB NOT NULL,
    day TEXT NOT NULL,
    opens TEXT NOT NULL,
    closes TEXT NOT NULL,
    PRIMARY KEY (tenant_id, election_id, station_id, day),
    FOREIGN KEY (tenant_id, election_id, station_id) REFERENCES el_station (tenant_id, election_id, id)
);

CREATE TABLE el_shift (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    election_id BLOB NOT NULL,
    id BLOB NOT NULL,
    name TEXT NOT NULL,
    day TEXT NOT NULL,
    starts TEXT NOT NULL,
    ends TEXT NOT NULL,
    PRIMARY KEY (tenant_id, election_id, id),
    FOREIGN KEY (tenant_id, election_id) REFERENCES el_election (tenant_id, id)
);

CREATE TABLE el_position (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    election_id BLOB NOT NULL,
    id BLOB NOT NULL,
    station_id BLOB NOT NULL,
    shift_id BLOB NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('ordforande', 'vice', 'rostmottagare')),
    language TEXT,
    PRIMARY KEY (tenant_id, election_id, id),
    FOREIGN KEY (tenant_id, election_id, station_id) REFERENCES el_station (tenant_id, election_id, id),
    FOREIGN KEY (tenant_id, election_id, shift_id) REFERENCES el_shift (tenant_id, election_id, id)
);
CREATE INDEX el_position_station ON el_position (tenant_id, election_id, station_id);

-- An application to work in one election (intresseanmälan) and its screening.
CREATE TABLE el_application (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    election_id BLOB NOT NULL,
    person_id BLOB NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('received', 'accepted', 'reserve', 'rejected', 'withdrawn')),
    reason TEXT NOT NULL DEFAULT '',
    -- Roles the applicant wants, comma separated role keys.
    roles_wanted TEXT NOT NULL DEFAULT '',
    message TEXT NOT NULL DEFAULT '',
    -- Stands as a candidate in this election (self-declared or from the candidate file).
    candidate BOOLEAN NOT NULL DEFAULT FALSE,
    consent_at TEXT,
    -- How the applicant identified: 'eid' or 'form'.
    identified_by TEXT NOT NULL DEFAULT 'form',
    -- The population register check (folkbokföring): 'not_checked', 'registered', 'elsewhere', 'not_found'.
    register_status TEXT NOT NULL DEFAULT 'not_checked',
    register_kommun TEXT,
    register_source TEXT,
    register_checked_at TEXT,
    screened_by BLOB,
    screened_at TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, election_id, person_id),
    FOREIGN KEY (tenant_id, election_id) REFERENCES el_election (tenant_id, id),
    FOREIGN KEY (tenant_id, person_id) REFERENCES el_person (tenant_id, id)
);

CREATE TABLE el_wish (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    election_id BLOB NOT NULL,
    person_id BLOB NOT NULL,
    station_id BLOB NOT NULL,
    PRIMARY KEY (tenant_id, election_id, person_id, station_id),
    FOREIGN KEY (tenant_id, election_id, person_id) REFERENCES el_application (tenant_id, election_id, person_id),
    FOREIGN KEY (tenant_id, election_id, station_id) REFERENCES el_station (tenant_id, election_id, id)
);

CREATE TABLE el_availability (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    election_id BLOB NOT NULL,
    person_id BLOB NOT NULL,
    shift_id BLOB NOT NULL,
    PRIMARY KEY (tenant_id, election_id, person_id, shift_id),
    FOREIGN KEY (tenant_id, election_id, person_id) REFERENCES el_application (tenant_id, election_id, person_id),
    FOREIGN KEY (tenant_id, election_id, shift_id) REFERENCES el_shift (tenant_id, election_id, id)
);

-- People who must not work at the same station (household, relatives).
CREATE TABLE el_conflict (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    election_id BLOB NOT NULL,
    person_a BLOB NOT NULL,
    person_b BLOB NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (tenant_id, election_id, person_a, person_b),
    FOREIGN KEY (tenant_id, person_a) REFERENCES el_person (tenant_id, id),
    FOREIGN KEY (tenant_id, person_b) REFERENCES el_person (tenant_id, id)
);

-- A person in a position. One person per position, one position per person and election.
-- The worker answers the offer; the office appoints (förordnar) with a letter.
CREATE TABLE el_assignment (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    election_id BLOB NOT NULL,
    position_id BLOB NOT NULL,
    person_id BLOB NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('manual', 'optimiser')),
    explanation TEXT NOT NULL DEFAULT '',
    response TEXT NOT NULL DEFAULT 'pending' CHECK (response IN ('pending', 'accepted', 'declined')),
    responded_at TEXT,
    placed_by BLOB,
    placed_at TEXT NOT NULL,
    appointed_by BLOB,
    appointed_at TEXT,
    letter BLOB,
    PRIMARY KEY (tenant_id, election_id, position_id),
    UNIQUE (tenant_id, election_id, person_id),
    FOREIGN KEY (tenant_id, election_id, position_id) REFERENCES el_position (tenant_id, election_id, id),
    FOREIGN KEY (tenant_id, election_id, person_id) REFERENCES el_application (tenant_id, election_id, person_id)
);

-- Courses: a course type ('grund' or 'ordforande', as the rule set names them) per election,
-- its sessions, and who enrolled, attended and completed.
CREATE TABLE el_course (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    election_id BLOB NOT NULL,
    id BLOB NOT NULL,
    course_key TEXT NOT NULL CHECK (course_key IN ('grund', 'ordforande')),
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (tenant_id, election_id, id),
    UNIQUE (tenant_id, election_id, course_key),
    FOREIGN KEY (tenant_id, election_id) REFERENCES el_election (tenant_id, id)
);

CREATE TABLE el_session (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    election_id BLOB NOT NULL,
    id BLOB NOT NULL,
    course_id BLOB NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    place TEXT NOT NULL,
    capacity INTEGER NOT NULL CHECK (capacity > 0),
    PRIMARY KEY (tenant_id, election_id, id),
    FOREIGN KEY (tenant_id, election_id, course_id) REFERENCES el_course (tenant_id, election_id, id)
);

CREATE TABLE el_enrolment (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    election_id BLOB NOT NULL,
    session_id BLOB NOT NULL,
    person_id BLOB NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('enrolled', 'waitlisted', 'cancelled')),
    -- NULL until the session has been held; then attended or not.
    attended BOOLEAN,
    completed_at TEXT,
    enrolled_by TEXT NOT NULL DEFAULT 'office' CHECK (enrolled_by IN ('office', 'worker')),
    enrolled_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, election_id, session_id, person_id),
    FOREIGN KEY (tenant_id, election_id, session_id) REFERENCES el_session (tenant_id, election_id, id),
    FOREIGN KEY (tenant_id, person_id) REFERENCES el_person (tenant_id, id)
);
CREATE INDEX el_enrolment_person ON el_enrolment (tenant_id, election_id, person_id);

-- SMS and e-mail campaigns to a filtered group; each message goes through the outbox.
CREATE TABLE el_campaign (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    election_id BLOB NOT NULL,
    id BLOB NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
    filter TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    created_by BLOB NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, election_id, id),
    FOREIGN KEY (tenant_id, election_id) REFERENCES el_election (tenant_id, id)
);

CREATE TABLE el_campaign_message (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    election_id BLOB NOT NULL,
    campaign_id BLOB NOT NULL,
    person_id BLOB NOT NULL,
    outbox_id BLOB NOT NULL,
    PRIMARY KEY (tenant_id, election_id, campaign_id, person_id),
    FOREIGN KEY (tenant_id, election_id, campaign_id) REFERENCES el_campaign (tenant_id, election_id, id)
);

-- Material and equipment: item types of the municipality, quantities per station and election,
-- and the packed / delivered / returned checklist with who and when.
CREATE TABLE el_item (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    id BLOB NOT NULL,
    name TEXT NOT NULL,
    category TEXT NOT NULL DEFAULT '',
    unit TEXT NOT NULL DEFAULT 'st',
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, name)
);

CREATE TABLE el_material (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    election_id BLOB NOT NULL,
    station_id BLOB NOT NULL,
    item_id BLOB NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity >= 0),
    packed_by BLOB,
    packed_at TEXT,
    delivered_by BLOB,
    delivered_at TEXT,
    returned_quantity INTEGER,
    returned_by BLOB,
    returned_at TEXT,
    PRIMARY KEY (tenant_id, election_id, station_id, item_id),
    FOREIGN KEY (tenant_id, election_id, station_id) REFERENCES el_station (tenant_id, election_id, id),
    FOREIGN KEY (tenant_id, item_id) REFERENCES el_item (tenant_id, id)
);

-- Remuneration (arvode) per role and for a completed course, in whole kronor.
CREATE TABLE el_rate (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    election_id BLOB NOT NULL,
    key TEXT NOT NULL CHECK (key IN ('ordforande', 'vice', 'rostmottagare', 'course')),
    amount INTEGER NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (tenant_id, election_id, key),
    FOREIGN KEY (tenant_id, election_id) REFERENCES el_election (tenant_id, id)
);

-- The public information pages of the election work, as sanitised HTML.
CREATE TABLE el_page (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    body_html TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    updated_by BLOB,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, slug)
);
