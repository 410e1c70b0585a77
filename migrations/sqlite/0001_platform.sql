-- Platform base: municipalities (tenants), identity, sessions, audit, outbox.
-- Citus-ready: every tenant-owned table has tenant_id first in its primary key and in
-- every foreign key to another tenant-owned table (checked by tests/it/schema.rs).

CREATE TABLE tenant (
    id BLOB PRIMARY KEY,
    kommunkod TEXT NOT NULL UNIQUE,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    primary_color TEXT NOT NULL,
    logo_svg TEXT,
    contact_email TEXT NOT NULL DEFAULT '',
    contact_phone TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    website TEXT NOT NULL DEFAULT '',
    settings TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE tenant_host (
    host TEXT PRIMARY KEY,
    tenant_id BLOB NOT NULL REFERENCES tenant (id)
);
CREATE INDEX tenant_host_tenant ON tenant_host (tenant_id);

CREATE TABLE operator (
    id BLOB PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    totp_secret TEXT,
    totp_last_step INTEGER,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE org_unit (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    id BLOB NOT NULL,
    parent_id BLOB,
    kind TEXT NOT NULL CHECK (kind IN ('forvaltning', 'avdelning', 'enhet', 'arbetsgrupp')),
    name TEXT NOT NULL,
    code TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, parent_id) REFERENCES org_unit (tenant_id, id)
);
CREATE INDEX org_unit_parent ON org_unit (tenant_id, parent_id);

CREATE TABLE app_user (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    id BLOB NOT NULL,
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    totp_secret TEXT,
    totp_last_step INTEGER,
    org_unit_id BLOB,
    active INTEGER NOT NULL DEFAULT 1,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, email),
    FOREIGN KEY (tenant_id, org_unit_id) REFERENCES org_unit (tenant_id, id)
);
CREATE INDEX app_user_name ON app_user (tenant_id, name, email);
CREATE INDEX app_user_unit ON app_user (tenant_id, org_unit_id);

CREATE TABLE role (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    id BLOB NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    permissions TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, name)
);

CREATE TABLE role_assignment (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    id BLOB NOT NULL,
    user_id BLOB NOT NULL,
    role_id BLOB NOT NULL,
    org_unit_id BLOB,
    created_at TEXT NOT NULL,
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
    tenant_id BLOB,
    user_id BLOB,
    operator_id BLOB,
    citizen_pnr TEXT,
    display_name TEXT NOT NULL,
    totp_pending INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX session_expires ON session (expires_at);
CREATE INDEX session_by_user ON session (tenant_id, user_id);

-- Pending OpenID Connect logins (state → PKCE verifier and nonce).
CREATE TABLE oidc_flow (
    state TEXT PRIMARY KEY,
    tenant_id BLOB,
    pkce_verifier TEXT NOT NULL,
    nonce TEXT NOT NULL,
    return_to TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- Append-only, hash-chained per tenant. The platform's own chain uses the nil BLOB.
CREATE TABLE audit_event (
    tenant_id BLOB NOT NULL,
    seq INTEGER NOT NULL,
    id BLOB NOT NULL,
    at TEXT NOT NULL,
    actor_kind TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id TEXT NOT NULL,
    details TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (tenant_id, seq)
);
CREATE INDEX audit_event_object ON audit_event (tenant_id, object_type, object_id);

CREATE TABLE audit_head (
    tenant_id BLOB PRIMARY KEY,
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
);

CREATE TABLE outbox (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    id BLOB NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_created ON outbox (tenant_id, created_at);

CREATE TABLE notification_template (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    template_key TEXT NOT NULL,
    lang TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, template_key, lang)
);

-- Row-level security exists on PostgreSQL only (ADR 0003); SQLite is single-process.
