-- Integration tokens (issue 14 item 5): an integration (an archive system, a payroll export, a
-- BI tool) calls the JSON API with `Authorization: Bearer rh_…` instead of a staff member's
-- session. Only the SHA-256 of the secret is stored; the secret is shown once. A token holds
-- role assignments like a user does (its permissions and their org subtrees) and always
-- expires; revoking it keeps the row so the list still shows who made it and when it was used.
CREATE TABLE integration_token (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID NOT NULL,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    rate_per_minute BIGINT NOT NULL CHECK (rate_per_minute > 0),
    expires_at TIMESTAMPTZ NOT NULL,
    created_by_id UUID NOT NULL,
    created_by_name TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ,
    revoked_by_name TEXT,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, token_hash)
);
CREATE INDEX integration_token_hash ON integration_token (token_hash);

CREATE TABLE integration_token_role (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID NOT NULL,
    token_id UUID NOT NULL,
    role_id UUID NOT NULL,
    org_unit_id UUID,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, token_id) REFERENCES integration_token (tenant_id, id),
    FOREIGN KEY (tenant_id, role_id) REFERENCES role (tenant_id, id),
    FOREIGN KEY (tenant_id, org_unit_id) REFERENCES org_unit (tenant_id, id)
);
CREATE INDEX integration_token_role_token ON integration_token_role (tenant_id, token_id);

DO $$
DECLARE t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['integration_token', 'integration_token_role']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (current_setting('radhus.tenant_id', true) = '*'
                   OR tenant_id::text = current_setting('radhus.tenant_id', true))$p$, t);
    END LOOP;
END $$;
