-- One e-ID for the whole platform (issue 10 item 4, ADR 0017).
--
-- A citizen's session records how the citizen was identified and how sure that is
-- ('eid': OpenID Connect or the test e-ID; 'email': the poll worker's e-mail link, never
-- e-ID). The sessions one e-ID login made on the platform host and on the municipalities'
-- hosts share an SSO group: logging out on one host deletes every session of the group.
ALTER TABLE session ADD COLUMN sso_group TEXT;
ALTER TABLE session ADD COLUMN auth_method TEXT;
ALTER TABLE session ADD COLUMN assurance TEXT CHECK (assurance IN ('eid', 'email'));
CREATE INDEX session_by_sso_group ON session (sso_group);

-- The hand-off from the platform host to a municipality's host: a random one-time code
-- (only its SHA-256 is kept), bound to the host and municipality it was issued for and to
-- the local return path, valid for a minute and used once.
CREATE TABLE sso_handoff (
    code_hash TEXT PRIMARY KEY,
    sso_group TEXT NOT NULL,
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    host TEXT NOT NULL,
    return_to TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ
);
CREATE INDEX sso_handoff_by_group ON sso_handoff (sso_group);

-- A pending OIDC login on the platform host remembers the municipality's host it returns to.
ALTER TABLE oidc_flow ADD COLUMN return_host TEXT;

-- Settings of the platform itself (one row), as JSON like a municipality's settings: the
-- platform's citizen OpenID Connect provider.
CREATE TABLE platform_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    settings JSONB NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
