-- Integration tokens (issue 14 item 5): an integration (an archive system, a payroll export, a
-- BI tool) calls the JSON API with `Authorization: Bearer rh_…` instead of a staff member's
-- session. Only the SHA-256 of the secret is stored; the secret is shown once. A token holds
-- role assignments like a user does (its permissions and their org subtrees) and always
-- expires; revoking it keeps the row so the list still shows who made it and when it was used.
CREATE TABLE integration_token (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    id BLOB NOT NULL,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    rate_per_minute INTEGER NOT NULL CHECK (rate_per_minute > 0),
    expires_at TEXT NOT NULL,
    created_by_id BLOB NOT NULL,
    created_by_name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT,
    revoked_by_name TEXT,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, token_hash)
);
CREATE INDEX integration_token_hash ON integration_token (token_hash);

CREATE TABLE integration_token_role (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    id BLOB NOT NULL,
    token_id BLOB NOT NULL,
    role_id BLOB NOT NULL,
    org_unit_id BLOB,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, token_id) REFERENCES integration_token (tenant_id, id),
    FOREIGN KEY (tenant_id, role_id) REFERENCES role (tenant_id, id),
    FOREIGN KEY (tenant_id, org_unit_id) REFERENCES org_unit (tenant_id, id)
);
CREATE INDEX integration_token_role_token ON integration_token_role (tenant_id, token_id);
