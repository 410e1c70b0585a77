-- Immediate adjustment (omedelbar justering, radhus-meetings) of one paragraph: its own minutes
-- (the paragraph alone, PDF/A and SHA-256, the data it was typeset from as JSON), adjusted by
-- the chair and chosen adjusters before the whole minutes; once adjusted, its own posting on
-- the notice board and last day to appeal.
CREATE TABLE mtg_immediate (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    item_id UUID NOT NULL,
    meeting_id UUID NOT NULL,
    prepared_at TIMESTAMPTZ NOT NULL,
    data TEXT,
    pdf BYTEA,
    sha256 TEXT,
    adjusted_at TIMESTAMPTZ,
    posted_on DATE,
    appeal_until DATE,
    PRIMARY KEY (tenant_id, item_id),
    FOREIGN KEY (tenant_id, item_id) REFERENCES mtg_item (tenant_id, id),
    FOREIGN KEY (tenant_id, meeting_id) REFERENCES mtg_meeting (tenant_id, id)
);
CREATE INDEX mtg_immediate_meeting ON mtg_immediate (tenant_id, meeting_id);

-- The chair and adjusters of an immediately adjusted paragraph and their adjustment of its
-- exact minutes (who, when, how identified, SHA-256), as `mtg_adjuster` for the whole minutes.
CREATE TABLE mtg_immediate_adjuster (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    item_id UUID NOT NULL,
    member_id UUID NOT NULL,
    role TEXT NOT NULL,
    adjusted_at TIMESTAMPTZ,
    adjusted_by UUID,
    identified_by TEXT,
    sha256 TEXT,
    PRIMARY KEY (tenant_id, item_id, member_id),
    FOREIGN KEY (tenant_id, item_id) REFERENCES mtg_immediate (tenant_id, item_id),
    FOREIGN KEY (tenant_id, member_id) REFERENCES mtg_member (tenant_id, id)
);

DO $$
DECLARE t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['mtg_immediate', 'mtg_immediate_adjuster']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (current_setting('radhus.tenant_id', true) = '*'
                   OR tenant_id::text = current_setting('radhus.tenant_id', true))$p$, t);
    END LOOP;
END $$;
