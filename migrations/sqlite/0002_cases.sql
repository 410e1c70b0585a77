-- Cases and records (ärendehantering och diarium). Citus-ready like 0001.

CREATE TABLE registry (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    id BLOB NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    number_format TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, code)
);

-- Gap-free numbers: one row per registry and year, locked while a number is taken.
CREATE TABLE number_sequence (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    registry_id BLOB NOT NULL,
    year INTEGER NOT NULL,
    last_seq INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, registry_id, year),
    FOREIGN KEY (tenant_id, registry_id) REFERENCES registry (tenant_id, id)
);

CREATE TABLE case_class (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    id BLOB NOT NULL,
    code TEXT NOT NULL,
    title TEXT NOT NULL,
    -- NULL: keep for ever (bevaras); else destroy this many years after closing (gallras).
    retention_years INTEGER,
    created_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, code)
);

CREATE TABLE case_type (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    id BLOB NOT NULL,
    name TEXT NOT NULL,
    registry_id BLOB NOT NULL,
    class_id BLOB,
    target_days INTEGER NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, name),
    FOREIGN KEY (tenant_id, registry_id) REFERENCES registry (tenant_id, id),
    FOREIGN KEY (tenant_id, class_id) REFERENCES case_class (tenant_id, id)
);

CREATE TABLE case_file (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    id BLOB NOT NULL,
    registry_id BLOB NOT NULL,
    year INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    number TEXT NOT NULL,
    title TEXT NOT NULL,
    public_title TEXT NOT NULL,
    case_type_id BLOB NOT NULL,
    class_id BLOB,
    unit_id BLOB,
    caseworker_id BLOB,
    status TEXT NOT NULL CHECK (status IN ('open', 'suspended', 'closed', 'obliterated')),
    opened_at TEXT NOT NULL,
    due_at TEXT NOT NULL,
    closed_at TEXT,
    public_search TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
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

CREATE TABLE case_party (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    id BLOB NOT NULL,
    case_id BLOB NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('applicant', 'counterparty', 'other')),
    name TEXT NOT NULL,
    identity_number TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, case_id) REFERENCES case_file (tenant_id, id)
);
CREATE INDEX case_party_case ON case_party (tenant_id, case_id);

CREATE TABLE case_event (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    id BLOB NOT NULL,
    case_id BLOB NOT NULL,
    at TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, case_id) REFERENCES case_file (tenant_id, id)
);
CREATE INDEX case_event_case ON case_event (tenant_id, case_id, at);

CREATE TABLE case_relation (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    case_id BLOB NOT NULL,
    related_id BLOB NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, case_id, related_id),
    FOREIGN KEY (tenant_id, case_id) REFERENCES case_file (tenant_id, id),
    FOREIGN KEY (tenant_id, related_id) REFERENCES case_file (tenant_id, id)
);

CREATE TABLE record (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    id BLOB NOT NULL,
    case_id BLOB NOT NULL,
    running_no INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('inbound', 'outbound', 'memo', 'decision')),
    title TEXT NOT NULL,
    correspondent TEXT NOT NULL DEFAULT '',
    correspondent_is_person INTEGER NOT NULL DEFAULT 0,
    document_date TEXT,
    memo_text TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('drafted', 'registered', 'established', 'approved', 'dispatched')),
    registered_at TEXT,
    registered_by TEXT NOT NULL DEFAULT '',
    secret_fields TEXT NOT NULL,
    secrecy_ground TEXT NOT NULL DEFAULT '',
    secrecy_marked_at TEXT,
    secrecy_marked_by TEXT NOT NULL DEFAULT '',
    public_search TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, case_id, running_no),
    FOREIGN KEY (tenant_id, case_id) REFERENCES case_file (tenant_id, id)
);
CREATE INDEX record_registered ON record (tenant_id, registered_at);

-- File contents, stored once per municipality by SHA-256.
CREATE TABLE blob (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    PRIMARY KEY (tenant_id, sha256)
);

CREATE TABLE document (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    id BLOB NOT NULL,
    record_id BLOB NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('main', 'attachment')),
    title TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, record_id) REFERENCES record (tenant_id, id)
);
CREATE INDEX document_record ON document (tenant_id, record_id);

-- Versions are immutable: a change is a new version.
CREATE TABLE document_version (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    id BLOB NOT NULL,
    document_id BLOB NOT NULL,
    version_no INTEGER NOT NULL,
    filename TEXT NOT NULL,
    mime TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, document_id, version_no),
    FOREIGN KEY (tenant_id, document_id) REFERENCES document (tenant_id, id),
    FOREIGN KEY (tenant_id, sha256) REFERENCES blob (tenant_id, sha256)
);

-- Public diary search: text stemmed in Rust (Swedish Snowball), indexed by FTS5 with the
-- plain unicode61 tokenizer (the stemming is already done). One row per case or record.
CREATE VIRTUAL TABLE diary_fts USING fts5 (public_search, tenant_id UNINDEXED, kind UNINDEXED, ref_id UNINDEXED, tokenize = 'unicode61 remove_diacritics 0');
