-- Cases and records (ärendehantering och diarium). Citus-ready like 0001.

CREATE TABLE registry (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    number_format TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, code)
);

-- Gap-free numbers: one row per registry and year, locked while a number is taken.
CREATE TABLE number_sequence (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    registry_id UUID NOT NULL,
    year INTEGER NOT NULL,
    last_seq INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, registry_id, year),
    FOREIGN KEY (tenant_id, registry_id) REFERENCES registry (tenant_id, id)
);

CREATE TABLE case_class (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID NOT NULL,
    code TEXT NOT NULL,
    title TEXT NOT NULL,
    -- NULL: keep for ever (bevaras); else destroy this many years after closing (gallras).
    retention_years INTEGER,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, code)
);

CREATE TABLE case_type (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID NOT NULL,
    name TEXT NOT NULL,
    registry_id UUID NOT NULL,
    class_id UUID,
    target_days INTEGER NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, name),
    FOREIGN KEY (tenant_id, registry_id) REFERENCES registry (tenant_id, id),
    FOREIGN KEY (tenant_id, class_id) REFERENCES case_class (tenant_id, id)
);

CREATE TABLE case_file (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID NOT NULL,
    registry_id UUID NOT NULL,
    year INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    number TEXT NOT NULL,
    title TEXT NOT NULL,
    public_title TEXT NOT NULL,
    case_type_id UUID NOT NULL,
    class_id UUID,
    unit_id UUID,
    caseworker_id UUID,
    status TEXT NOT NULL CHECK (status IN ('open', 'suspended', 'closed', 'obliterated')),
    opened_at TIMESTAMPTZ NOT NULL,
    due_at TIMESTAMPTZ NOT NULL,
    closed_at TIMESTAMPTZ,
    public_search TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, registry_id, year, seq),
    FOREIGN KEY (tenant_id, registry_id) REFERENCES registry (tenant_id, id),
    FOREIGN KEY (tenant_id, case_type_id) REFERENCES case_type (tenant_id, id),
    FOREIGN KEY (tenant_id, class_id) REFERENCES case_class (tenant_id, id),
    FOREIGN KEY (tenant_id, unit_id) REFERENCES org_unit (tenant_id, id),
    FOREIGN KEY (tenant_id, caseworker_id) REFERENCES app_user (tenant_id, id)
);
CREATE INDEX case_file_caseworker ON case_file (tenant_id, caseworker_id, status, opened_at);
CREATE INDEX case_file_unit ON case_file (tenant_id, unit_id, status, opened_at);
CREATE INDEX case_file_opened ON case_file (tenant_id, opened_at);
CREATE INDEX case_file_number ON case_file (tenant_id, number);
-- Public diary search: text stemmed in Rust (Swedish Snowball), indexed as simple tokens.
CREATE INDEX case_file_search ON case_file USING GIN (to_tsvector('simple', public_search));

CREATE TABLE case_party (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID NOT NULL,
    case_id UUID NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('applicant', 'counterparty', 'other')),
    name TEXT NOT NULL,
    identity_number TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, case_id) REFERENCES case_file (tenant_id, id)
);
CREATE INDEX case_party_case ON case_party (tenant_id, case_id);

CREATE TABLE case_event (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID NOT NULL,
    case_id UUID NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    actor_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, case_id) REFERENCES case_file (tenant_id, id)
);
CREATE INDEX case_event_case ON case_event (tenant_id, case_id, at);

CREATE TABLE case_relation (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    case_id UUID NOT NULL,
    related_id UUID NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, case_id, related_id),
    FOREIGN KEY (tenant_id, case_id) REFERENCES case_file (tenant_id, id),
    FOREIGN KEY (tenant_id, related_id) REFERENCES case_file (tenant_id, id)
);

CREATE TABLE record (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID NOT NULL,
    case_id UUID NOT NULL,
    running_no INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('inbound', 'outbound', 'memo', 'decision')),
    title TEXT NOT NULL,
    correspondent TEXT NOT NULL DEFAULT '',
    correspondent_is_person BOOLEAN NOT NULL DEFAULT FALSE,
    document_date DATE,
    memo_text TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('drafted', 'registered', 'established', 'approved', 'dispatched')),
    registered_at TIMESTAMPTZ,
    registered_by TEXT NOT NULL DEFAULT '',
    secret_fields JSONB NOT NULL,
    secrecy_ground TEXT NOT NULL DEFAULT '',
    secrecy_marked_at TIMESTAMPTZ,
    secrecy_marked_by TEXT NOT NULL DEFAULT '',
    public_search TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, case_id, running_no),
    FOREIGN KEY (tenant_id, case_id) REFERENCES case_file (tenant_id, id)
);
CREATE INDEX record_registered ON record (tenant_id, registered_at);
CREATE INDEX record_search ON record USING GIN (to_tsvector('simple', public_search));

-- File contents, stored once per municipality by SHA-256.
CREATE TABLE blob (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    sha256 TEXT NOT NULL,
    content BYTEA NOT NULL,
    PRIMARY KEY (tenant_id, sha256)
);

CREATE TABLE document (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID NOT NULL,
    record_id UUID NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('main', 'attachment')),
    title TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, record_id) REFERENCES record (tenant_id, id)
);
CREATE INDEX document_record ON document (tenant_id, record_id);

-- Versions are immutable: a change is a new version.
CREATE TABLE document_version (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID NOT NULL,
    document_id UUID NOT NULL,
    version_no INTEGER NOT NULL,
    filename TEXT NOT NULL,
    mime TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, document_id, version_no),
    FOREIGN KEY (tenant_id, document_id) REFERENCES document (tenant_id, id),
    FOREIGN KEY (tenant_id, sha256) REFERENCES blob (tenant_id, sha256)
);

DO $$
DECLARE t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['registry', 'number_sequence', 'case_class', 'case_type', 'case_file', 'case_party',
                             'case_event', 'case_relation', 'record', 'blob', 'document', 'document_version']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (current_setting('radhus.tenant_id', true) = '*'
                   OR tenant_id::text = current_setting('radhus.tenant_id', true))$p$, t);
    END LOOP;
END $$;
