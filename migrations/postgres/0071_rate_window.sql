-- Rate limits shared by every server process (issue 14 item 1): one row per limited key and
-- its current one-minute window, counted in the database so that several nodes behind a load
-- balancer count one client's attempts together. tenant_id is the municipality whose form is
-- limited, or the nil tenant for limits over the whole platform (login attempts by address);
-- key_hash is the SHA-256 of the key (it holds a client address), never the key itself. Rows of
-- past windows are purged by the background worker.
CREATE TABLE rate_window (
    tenant_id UUID NOT NULL,
    key_hash TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    hits INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, key_hash)
);
CREATE INDEX rate_window_start ON rate_window (window_start);

DO $$
DECLARE t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['rate_window']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (current_setting('radhus.tenant_id', true) = '*'
                   OR tenant_id::text = current_setting('radhus.tenant_id', true))$p$, t);
    END LOOP;
END $$;
