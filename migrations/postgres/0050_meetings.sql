-- Committee administration (radhus-meetings, issue 13). Citus-ready: tenant_id first in
-- every primary and foreign key.

-- A committee (kommunfullmäktige, kommunstyrelse, nämnd, utskott) and the registry whose
-- cases it decides; `code` prefixes its paragraphs (KS § 12).
CREATE TABLE mtg_committee (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    code TEXT NOT NULL,
    registry_id UUID NOT NULL,
    seats INTEGER NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, code),
    FOREIGN KEY (tenant_id, registry_id) REFERENCES registry (tenant_id, id)
);

-- A seat for a term: ordförande, vice ordförande, ledamot or ersättare (with the call-in
-- order), held by a user of the platform.
CREATE TABLE mtg_member (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID NOT NULL,
    committee_id UUID NOT NULL,
    user_id UUID NOT NULL,
    role TEXT NOT NULL,
    party TEXT NOT NULL,
    callin_order INTEGER,
    term_from DATE NOT NULL,
    term_to DATE NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, committee_id) REFERENCES mtg_committee (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES app_user (tenant_id, id)
);
CREATE INDEX mtg_member_user ON mtg_member (tenant_id, user_id);

-- Who works with a committee's papers beyond its members: secretary or reader.
CREATE TABLE mtg_access (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    committee_id UUID NOT NULL,
    user_id UUID NOT NULL,
    role TEXT NOT NULL,
    PRIMARY KEY (tenant_id, committee_id, user_id),
    FOREIGN KEY (tenant_id, committee_id) REFERENCES mtg_committee (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES app_user (tenant_id, id)
);

CREATE TABLE mtg_meeting (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID NOT NULL,
    committee_id UUID NOT NULL,
    starts_at TIMESTAMPTZ NOT NULL,
    place TEXT NOT NULL,
    public BOOLEAN NOT NULL,
    state TEXT NOT NULL,
    cancel_reason TEXT NOT NULL DEFAULT '',
    notice_issued_at TIMESTAMPTZ,
    -- The agenda as issued (JSON), frozen with the notice.
    notice_snapshot TEXT,
    notice_pdf BYTEA,
    minutes_pdf BYTEA,
    minutes_sha256 TEXT,
    adjusted_at TIMESTAMPTZ,
    posted_on DATE,
    appeal_until DATE,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, committee_id) REFERENCES mtg_committee (tenant_id, id)
);
CREATE INDEX mtg_meeting_committee ON mtg_meeting (tenant_id, committee_id, starts_at);

-- An item on a meeting's agenda and, once handled, its paragraph of the minutes.
CREATE TABLE mtg_item (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID NOT NULL,
    meeting_id UUID NOT NULL,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    case_id UUID,
    case_number TEXT NOT NULL DEFAULT '',
    record_id UUID,
    proposal TEXT NOT NULL DEFAULT '',
    outcome TEXT,
    decision TEXT NOT NULL DEFAULT '',
    paragraph INTEGER,
    extract_record_id UUID,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, meeting_id) REFERENCES mtg_meeting (tenant_id, id),
    FOREIGN KEY (tenant_id, case_id) REFERENCES case_file (tenant_id, id),
    FOREIGN KEY (tenant_id, record_id) REFERENCES record (tenant_id, id)
);
CREATE INDEX mtg_item_meeting ON mtg_item (tenant_id, meeting_id, position);

-- A caseworker's proposal of a case (its memo record) to a committee, waiting for the secretary.
CREATE TABLE mtg_proposal (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID NOT NULL,
    committee_id UUID NOT NULL,
    case_id UUID NOT NULL,
    case_number TEXT NOT NULL,
    record_id UUID NOT NULL,
    title TEXT NOT NULL,
    proposal TEXT NOT NULL,
    proposed_by UUID NOT NULL,
    proposed_by_name TEXT NOT NULL,
    proposed_at TIMESTAMPTZ NOT NULL,
    state TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    item_id UUID,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, committee_id) REFERENCES mtg_committee (tenant_id, id),
    FOREIGN KEY (tenant_id, case_id) REFERENCES case_file (tenant_id, id),
    FOREIGN KEY (tenant_id, record_id) REFERENCES record (tenant_id, id),
    FOREIGN KEY (tenant_id, item_id) REFERENCES mtg_item (tenant_id, id)
);
CREATE INDEX mtg_proposal_committee ON mtg_proposal (tenant_id, committee_id, state);

-- Who was there: a member present, or a substitute serving for an absent member.
CREATE TABLE mtg_attendance (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    meeting_id UUID NOT NULL,
    member_id UUID NOT NULL,
    serving_for UUID,
    PRIMARY KEY (tenant_id, meeting_id, member_id),
    FOREIGN KEY (tenant_id, meeting_id) REFERENCES mtg_meeting (tenant_id, id),
    FOREIGN KEY (tenant_id, member_id) REFERENCES mtg_member (tenant_id, id)
);

-- A member out of one item for a conflict of interest (jäv).
CREATE TABLE mtg_conflict (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    item_id UUID NOT NULL,
    member_id UUID NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (tenant_id, item_id, member_id),
    FOREIGN KEY (tenant_id, item_id) REFERENCES mtg_item (tenant_id, id),
    FOREIGN KEY (tenant_id, member_id) REFERENCES mtg_member (tenant_id, id)
);

-- Motions (yrkanden) of an item in the order the chair put them (propositionsordning).
CREATE TABLE mtg_motion (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID NOT NULL,
    item_id UUID NOT NULL,
    position INTEGER NOT NULL,
    member_id UUID NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, item_id) REFERENCES mtg_item (tenant_id, id),
    FOREIGN KEY (tenant_id, member_id) REFERENCES mtg_member (tenant_id, id)
);

-- An open vote: each serving member's yes, no or abstain.
CREATE TABLE mtg_vote (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    item_id UUID NOT NULL,
    member_id UUID NOT NULL,
    choice TEXT NOT NULL,
    PRIMARY KEY (tenant_id, item_id, member_id),
    FOREIGN KEY (tenant_id, item_id) REFERENCES mtg_item (tenant_id, id),
    FOREIGN KEY (tenant_id, member_id) REFERENCES mtg_member (tenant_id, id)
);

CREATE TABLE mtg_reservation (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    item_id UUID NOT NULL,
    member_id UUID NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (tenant_id, item_id, member_id),
    FOREIGN KEY (tenant_id, item_id) REFERENCES mtg_item (tenant_id, id),
    FOREIGN KEY (tenant_id, member_id) REFERENCES mtg_member (tenant_id, id)
);

-- Gap-free paragraph numbers per committee and year, taken when the minutes are drafted.
CREATE TABLE mtg_paragraph_seq (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    committee_id UUID NOT NULL,
    year INTEGER NOT NULL,
    last_no INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, committee_id, year),
    FOREIGN KEY (tenant_id, committee_id) REFERENCES mtg_committee (tenant_id, id)
);

-- The chair and the adjusters chosen at the meeting, and their adjustment of the exact
-- minutes (who, when, how identified, SHA-256 of the PDF).
CREATE TABLE mtg_adjuster (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    meeting_id UUID NOT NULL,
    member_id UUID NOT NULL,
    role TEXT NOT NULL,
    adjusted_at TIMESTAMPTZ,
    adjusted_by UUID,
    identified_by TEXT,
    sha256 TEXT,
    PRIMARY KEY (tenant_id, meeting_id, member_id),
    FOREIGN KEY (tenant_id, meeting_id) REFERENCES mtg_meeting (tenant_id, id),
    FOREIGN KEY (tenant_id, member_id) REFERENCES mtg_member (tenant_id, id)
);

DO $$
DECLARE t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['mtg_committee', 'mtg_member', 'mtg_access', 'mtg_meeting', 'mtg_item', 'mtg_proposal', 'mtg_attendance', 'mtg_conflict', 'mtg_motion', 'mtg_vote', 'mtg_reservation', 'mtg_paragraph_seq', 'mtg_adjuster']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (current_setting('radhus.tenant_id', true) = '*'
                   OR tenant_id::text = current_setting('radhus.tenant_id', true))$p$, t);
    END LOOP;
END $$;
