-- Changes other modules care about (issue 10): a tenant-owned log written in the same
-- transaction as the change, numbered per municipality, and one cursor per subscriber and
-- municipality. A subscriber handles an event and moves its cursor in one transaction.
CREATE TABLE change_head (
    tenant_id UUID PRIMARY KEY REFERENCES tenant (id),
    seq BIGINT NOT NULL
);

CREATE TABLE change_event (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    seq BIGINT NOT NULL,
    id UUID NOT NULL,
    stream TEXT NOT NULL,
    kind TEXT NOT NULL,
    object_id UUID NOT NULL,
    data JSONB NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, seq)
);

CREATE TABLE change_cursor (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    subscriber TEXT NOT NULL,
    last_seq BIGINT NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    PRIMARY KEY (tenant_id, subscriber)
);

DO $$
DECLARE t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['change_head', 'change_event', 'change_cursor']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (current_setting('radhus.tenant_id', true) = '*'
                   OR tenant_id::text = current_setting('radhus.tenant_id', true))$p$, t);
    END LOOP;
END $$;
