-- no-transaction
-- E-services (issue 11 item 2, ADR 0027): a municipality's own e-service, built in the form
-- builder, is a row of es_adoption without a shared service behind it (origin 'own',
-- shared_version NULL) with its category and the builder's draft definition. Each published
-- version is a row of es_revision (shared_version 0), so the citizen's way, drafts and
-- submissions read it exactly as they read an adopted service's revision.
-- SQLite cannot drop a foreign key or loosen NOT NULL: es_adoption is made again. Other tables
-- refer to it (es_revision, the broadcasts' pauses, retention, draft starts), so foreign keys
-- are off while it is replaced (the documented way), which needs a migration outside sqlx's
-- transaction with its own.
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE es_adoption_new (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    service_key TEXT NOT NULL,
    shared_version INTEGER,
    overrides TEXT NOT NULL,
    case_type_id BLOB NOT NULL,
    public_title TEXT NOT NULL,
    secrecy_ground TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('published', 'paused')),
    revision INTEGER NOT NULL,
    adopted_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    register_on TEXT NOT NULL DEFAULT 'submit' CHECK (register_on IN ('submit', 'payment')),
    origin TEXT NOT NULL DEFAULT 'shared' CHECK (origin IN ('shared', 'own')),
    category TEXT,
    builder_draft TEXT,
    PRIMARY KEY (tenant_id, service_key),
    FOREIGN KEY (service_key, shared_version) REFERENCES es_shared_version (service_key, version),
    FOREIGN KEY (tenant_id, case_type_id) REFERENCES case_type (tenant_id, id),
    CHECK ((origin = 'own') = (shared_version IS NULL)),
    CHECK (origin = 'own' OR (category IS NULL AND builder_draft IS NULL))
);
INSERT INTO es_adoption_new (tenant_id, service_key, shared_version, overrides, case_type_id, public_title, secrecy_ground, status,
    revision, adopted_at, updated_at, register_on)
    SELECT tenant_id, service_key, shared_version, overrides, case_type_id, public_title, secrecy_ground, status,
    revision, adopted_at, updated_at, register_on FROM es_adoption;
DROP TABLE es_adoption;
ALTER TABLE es_adoption_new RENAME TO es_adoption;
COMMIT;
PRAGMA foreign_keys = ON;
