-- Committee administration (radhus-meetings, issue 13). Citus-ready: tenant_id first in
-- every primary and foreign key.

-- A committee (kommunfullmäktige, kommunstyrelse, nämnd, utskott) and the registry whose
-- cases it decides; `code` prefixes its paragraphs (KS § 12).
CREATE TABLE mtg_committee (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    id BLOB NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    code TEXT NOT NULL,
    registry_id BLOB NOT NULL,
    seats INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, code),
    FOREIGN KEY (tenant_id, registry_id) REFERENCES registry (tenant_id, id)
);

-- A seat for a term: ordförande, vice ordförande, ledamot or ersättare (with the call-in
-- order), held by a user of the platform.
CREATE TABLE mtg_member (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    id BLOB NOT NULL,
    committee_id BLOB NOT NULL,
    user_id BLOB NOT NULL,
    role TEXT NOT NULL,
    party TEXT NOT NULL,
    callin_order INTEGER,
    term_from TEXT NOT NULL,
    term_to TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, committee_id) REFERENCES mtg_committee (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES app_user (tenant_id, id)
);
CREATE INDEX mtg_member_user ON mtg_member (tenant_id, user_id);

-- Who works with a committee's papers beyond its members: secretary or reader.
CREATE TABLE mtg_access (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    committee_id BLOB NOT NULL,
    user_id BLOB NOT NULL,
    role TEXT NOT NULL,
    PRIMARY KEY (tenant_id, committee_id, user_id),
    FOREIGN KEY (tenant_id, committee_id) REFERENCES mtg_committee (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES app_user (tenant_id, id)
);

CREATE TABLE mtg_meeting (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    id BLOB NOT NULL,
    committee_id BLOB NOT NULL,
    starts_at TEXT NOT NULL,
    place TEXT NOT NULL,
    public INTEGER NOT NULL,
    state TEXT NOT NULL,
    cancel_reason TEXT NOT NULL DEFAULT '',
    notice_issued_at TEXT,
    -- The agenda as issued (JSON), frozen with the notice.
    notice_snapshot TEXT,
    notice_pdf BLOB,
    minutes_pdf BLOB,
    minutes_sha256 TEXT,
    adjusted_at TEXT,
    posted_on TEXT,
    appeal_until TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, committee_id) REFERENCES mtg_committee (tenant_id, id)
);
CREATE INDEX mtg_meeting_committee ON mtg_meeting (tenant_id, committee_id, starts_at);

-- An item on a meeting's agenda and, once handled, its paragraph of the minutes.
CREATE TABLE mtg_item (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    id BLOB NOT NULL,
    meeting_id BLOB NOT NULL,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    case_id BLOB,
    case_number TEXT NOT NULL DEFAULT '',
    record_id BLOB,
    proposal TEXT NOT NULL DEFAULT '',
    outcome TEXT,
    decision TEXT NOT NULL DEFAULT '',
    paragraph INTEGER,
    extract_record_id BLOB,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, meeting_id) REFERENCES mtg_meeting (tenant_id, id),
    FOREIGN KEY (tenant_id, case_id) REFERENCES case_file (tenant_id, id),
    FOREIGN KEY (tenant_id, record_id) REFERENCES record (tenant_id, id)
);
CREATE INDEX mtg_item_meeting ON mtg_item (tenant_id, meeting_id, position);

-- A caseworker's proposal of a case (its memo record) to a committee, waiting for the secretary.
CREATE TABLE mtg_proposal (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    id BLOB NOT NULL,
    committee_id BLOB NOT NULL,
    case_id BLOB NOT NULL,
    case_number TEXT NOT NULL,
    record_id BLOB NOT NULL,
    title TEXT NOT NULL,
    proposal TEXT NOT NULL,
    proposed_by BLOB NOT NULL,
    proposed_by_name TEXT NOT NULL,
    proposed_at TEXT NOT NULL,
    state TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    item_id BLOB,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, committee_id) REFERENCES mtg_committee (tenant_id, id),
    FOREIGN KEY (tenant_id, case_id) REFERENCES case_file (tenant_id, id),
    FOREIGN KEY (tenant_id, record_id) REFERENCES record (tenant_id, id),
    FOREIGN KEY (tenant_id, item_id) REFERENCES mtg_item (tenant_id, id)
);
CREATE INDEX mtg_proposal_committee ON mtg_proposal (tenant_id, committee_id, state);

-- Who was there: a member present, or a substitute serving for an absent member.
CREATE TABLE mtg_attendance (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    meeting_id BLOB NOT NULL,
    member_id BLOB NOT NULL,
    serving_for BLOB,
    PRIMARY KEY (tenant_id, meeting_id, member_id),
    FOREIGN KEY (tenant_id, meeting_id) REFERENCES mtg_meeting (tenant_id, id),
    FOREIGN KEY (tenant_id, member_id) REFERENCES mtg_member (tenant_id, id)
);

-- A member out of one item for a conflict of interest (jäv).
CREATE TABLE mtg_conflict (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    item_id BLOB NOT NULL,
    member_id BLOB NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (tenant_id, item_id, member_id),
    FOREIGN KEY (tenant_id, item_id) REFERENCES mtg_item (tenant_id, id),
    FOREIGN KEY (tenant_id, member_id) REFERENCES mtg_member (tenant_id, id)
);

-- Motions (yrkanden) of an item in the order the chair put them (propositionsordning).
CREATE TABLE mtg_motion (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    id BLOB NOT NULL,
    item_id BLOB NOT NULL,
    position INTEGER NOT NULL,
    member_id BLOB NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, item_id) REFERENCES mtg_item (tenant_id, id),
    FOREIGN KEY (tenant_id, member_id) REFERENCES mtg_member (tenant_id, id)
);

-- An open vote: each serving member's yes, no or abstain.
CREATE TABLE mtg_vote (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    item_id BLOB NOT NULL,
    member_id BLOB NOT NULL,
    choice TEXT NOT NULL,
    PRIMARY KEY (tenant_id, item_id, member_id),
    FOREIGN KEY (tenant_id, item_id) REFERENCES mtg_item (tenant_id, id),
    FOREIGN KEY (tenant_id, member_id) REFERENCES mtg_member (tenant_id, id)
);

CREATE TABLE mtg_reservation (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    item_id BLOB NOT NULL,
    member_id BLOB NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (tenant_id, item_id, member_id),
    FOREIGN KEY (tenant_id, item_id) REFERENCES mtg_item (tenant_id, id),
    FOREIGN KEY (tenant_id, member_id) REFERENCES mtg_member (tenant_id, id)
);

-- Gap-free paragraph numbers per committee and year, taken when the minutes are drafted.
CREATE TABLE mtg_paragraph_seq (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    committee_id BLOB NOT NULL,
    year INTEGER NOT NULL,
    last_no INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, committee_id, year),
    FOREIGN KEY (tenant_id, committee_id) REFERENCES mtg_committee (tenant_id, id)
);

-- The chair and the adjusters chosen at the meeting, and their adjustment of the exact
-- minutes (who, when, how identified, SHA-256 of the PDF).
CREATE TABLE mtg_adjuster (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    meeting_id BLOB NOT NULL,
    member_id BLOB NOT NULL,
    role TEXT NOT NULL,
    adjusted_at TEXT,
    adjusted_by BLOB,
    identified_by TEXT,
    sha256 TEXT,
    PRIMARY KEY (tenant_id, meeting_id, member_id),
    FOREIGN KEY (tenant_id, meeting_id) REFERENCES mtg_meeting (tenant_id, id),
    FOREIGN KEY (tenant_id, member_id) REFERENCES mtg_member (tenant_id, id)
);
