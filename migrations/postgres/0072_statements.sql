-- A municipality's own statements (issue 18 item 8): its accessibility statement
-- (tillgänglighetsredogörelse, required by DOS-lagen) and its privacy notice, linked from the
-- footer of every page. Without a row the site shows a default built from the municipality's
-- data; a row is the municipality administrator's own text.
CREATE TABLE site_statement (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    kind TEXT NOT NULL CHECK (kind IN ('accessibility', 'privacy')),
    body TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, kind)
);

DO $$
DECLARE t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['site_statement']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (current_setting('radhus.tenant_id', true) = '*'
                   OR tenant_id::text = current_setting('radhus.tenant_id', true))$p$, t);
    END LOOP;
END $$;
