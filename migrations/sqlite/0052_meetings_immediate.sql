-- Immediate adjustment (omedelbar justering, radhus-meetings) of one paragraph: its own minutes
-- (the paragraph alone, PDF/A and SHA-256, the data it was typeset from as JSON), adjusted by
-- the chair and chosen adjusters before the whole minutes; once adjusted, its own posting on
-- the notice board and last day to appeal.
CREATE TABLE mtg_immediate (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    item_id BLOB NOT NULL,
    meeting_id BLOB NOT NULL,
    prepared_at TEXT NOT NULL,
    data TEXT,
    pdf BLOB,
    sha256 TEXT,
    adjusted_at TEXT,
    posted_on TEXT,
    appeal_until TEXT,
    PRIMARY KEY (tenant_id, item_id),
    FOREIGN KEY (tenant_id, item_id) REFERENCES mtg_item (tenant_id, id),
    FOREIGN KEY (tenant_id, meeting_id) REFERENCES mtg_meeting (tenant_id, id)
);
CREATE INDEX mtg_immediate_meeting ON mtg_immediate (tenant_id, meeting_id);

-- The chair and adjusters of an immediately adjusted paragraph and their adjustment of its
-- exact minutes (who, when, how identified, SHA-256), as `mtg_adjuster` for the whole minutes.
CREATE TABLE mtg_immediate_adjuster (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    item_id BLOB NOT NULL,
    member_id BLOB NOT NULL,
    role TEXT NOT NULL,
    adjusted_at TEXT,
    adjusted_by BLOB,
    identified_by TEXT,
    sha256 TEXT,
    PRIMARY KEY (tenant_id, item_id, member_id),
    FOREIGN KEY (tenant_id, item_id) REFERENCES mtg_immediate (tenant_id, item_id),
    FOREIGN KEY (tenant_id, member_id) REFERENCES mtg_member (tenant_id, id)
);
