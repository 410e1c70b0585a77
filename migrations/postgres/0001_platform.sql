-- Platform base: municipalities (tenants), identity, sessions, audit, outbox.
-- Citus-ready: every tenant-owned table has tenant_id first in its primary key and in
-- every foreign key to another tenant-owned table (checked by tests/it/schema.rs).

CREATE TABLE tenant (
    id UUID PRIMARY KEY,
    kommunkod TEXT NOT NULL UNIQUE,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    primary_color TEXT NOT NULL,
    logo_svg TEXT,
    contact_email TEXT NOT NULL DEFAULT '',
    contact_phone TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    website TEXT NOT NULL DEFAULT '',
    settings JSONB NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE tenant_host (
    host TEXT PRIMARY KEY,
    tenant_id UUID NOT NULL REFERENCES tenant (id)
);
CREATE INDEX tenant_host_tenant ON tenant_host (tenant_id);

CREATE TABLE operator (
    id UUID PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    totp_secret TEXT,
    totp_last_step BIGINT,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE org_unit (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID NOT NULL,
    parent_id UUID,
    kind TEXT NOT NULL CHECK (kind IN ('forvaltning', 'avdelning', 'enhet', 'arbetsgrupp')),
    name TEXT NOT NULL,
    code TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, parent_id) REFERENCES org_unit (tenant_id, id)
);
CREATE INDEX org_unit_parent ON org_unit (tenant_id, parent_id);

CREATE TABLE app_user (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID NOT NULL,
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    totp_secret TEXT,
    totp_last_step BIGINT,
    org_unit_id UUID,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, email),
    FOREIGN KEY (tenant_id, org_unit_id) REFERENCES org_unit (tenant_id, id)
);
CREATE INDEX app_user_name ON app_user (tenant_id, name, email);
CREATE INDEX app_user_unit ON app_user (tenant_id, org_unit_id);

CREATE TABLE role (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    permissions JSONB NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, name)
);

CREATE TABLE role_assignment (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID NOT NULL,
    user_id UUID NOT NULL,
    role_id UUID NOT NULL,
    org_unit_id UUID,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES app_user (tenant_id, id),
    FOREIGN KEY (tenant_id, role_id) REFERENCES role (tenant_id, id),
    FOREIGN KEY (tenant_id, org_unit_id) REFERENCES org_unit (tenant_id, id)
);
CREATE INDEX role_assignment_user ON role_assignment (tenant_id, user_id);

-- Server-side sessions. Not tenant-owned: an operator's or a citizen's session on the
-- platform host has no tenant. The token itself is never stored, only its SHA-256.
CREATE TABLE session (
    token_hash TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('staff', 'operator', 'citizen')),
    tenant_id UUID,
    user_id UUID,
    operator_id UUID,
    citizen_pnr TEXT,
    display_name TEXT NOT NULL,
    totp_pending BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX session_expires ON session (expires_at);
CREATE INDEX session_by_user ON session (tenant_id, user_id);

-- Pending OpenID Connect logins (state → PKCE verifier and nonce).
CREATE TABLE oidc_flow (
    state TEXT PRIMARY KEY,
    tenant_id UUID,
    pkce_verifier TEXT NOT NULL,
    nonce TEXT NOT NULL,
    return_to TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

-- Append-only, hash-chained per tenant. The platform's own chain uses the nil UUID.
CREATE TABLE audit_event (
    tenant_id UUID NOT NULL,
    seq BIGINT NOT NULL,
    id UUID NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    actor_kind TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id TEXT NOT NULL,
    details JSONB NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (tenant_id, seq)
);
CREATE INDEX audit_event_object ON audit_event (tenant_id, object_type, object_id);

CREATE TABLE audit_head (
    tenant_id UUID PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);

CREATE TABLE outbox (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    last_error TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    sent_at TIMESTAMPTZ,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_created ON outbox (tenant_id, created_at);

CREATE TABLE notification_template (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    template_key TEXT NOT NULL,
    lang TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, template_key, lang)
);

-- Row-level security per tenant as a second wall (ADR 0003). The application sets
-- radhus.tenant_id per transaction; system tasks (outbox worker, audit verify) set '*'.
DO $$
DECLARE t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['org_unit', 'app_user', 'role', 'role_assignment', 'audit_event',
                             'audit_head', 'outbox', 'notification_template']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (current_setting('radhus.tenant_id', true) = '*'
                   OR tenant_id::text = current_setting('radhus.tenant_id', true))$p$, t);
    END LOOP;
END $$;
