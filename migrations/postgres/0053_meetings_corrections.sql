-- Corrections of adjusted minutes (radhus-meetings, issue 13 item 6): once adjusted the minutes
-- are frozen; a correction (rättelse) is a new version of the minutes (2, 3 …; version 1 is the
-- adjusted minutes in mtg_meeting), with who made it, when, the reason, the paragraph's text
-- before and after, and the new PDF/A with its SHA-256. Earlier versions are kept.
CREATE TABLE mtg_minutes_version (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    meeting_id UUID NOT NULL,
    version INTEGER NOT NULL,
    item_id UUID NOT NULL,
    field TEXT NOT NULL,
    before_text TEXT NOT NULL,
    after_text TEXT NOT NULL,
    reason TEXT NOT NULL,
    corrected_by UUID NOT NULL,
    corrected_by_name TEXT NOT NULL,
    corrected_at TIMESTAMPTZ NOT NULL,
    pdf BYTEA NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (tenant_id, meeting_id, version),
    FOREIGN KEY (tenant_id, meeting_id) REFERENCES mtg_meeting (tenant_id, id),
    FOREIGN KEY (tenant_id, item_id) REFERENCES mtg_item (tenant_id, id)
);

DO $$
DECLARE t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['mtg_minutes_version']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (current_setting('radhus.tenant_id', true) = '*'
                   OR tenant_id::text = current_setting('radhus.tenant_id', true))$p$, t);
    END LOOP;
END $$;
