-- E-services (issue 11 items 8 and 10, issue 12 item 3): broadcast messages
-- (lavinmeddelanden) and the e-services they pause, the citizens who asked for them, each
-- service's retention of drafts with the deletion log, and the citizen's reading of their own
-- drafts in every municipality (Mina ärenden).

-- A broadcast as one municipality shows it. The platform operator's broadcast to several
-- municipalities is one row per municipality under the same id (origin 'platform'), so each
-- municipality's pages, feeds and row-level security see only their own rows; a
-- municipality's own broadcast has origin 'municipality'. `notified_at`: when the notices to
-- the citizens who asked for them were queued.
CREATE TABLE es_broadcast (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    id BLOB NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('platform', 'municipality')),
    severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    text_sv TEXT NOT NULL,
    text_en TEXT NOT NULL DEFAULT '',
    published_by TEXT NOT NULL,
    published_at TEXT NOT NULL,
    notified_at TEXT,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX es_broadcast_window ON es_broadcast (tenant_id, ends_at);

-- The e-services a broadcast pauses in the municipality while it lasts (drafts are kept).
CREATE TABLE es_broadcast_pause (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    broadcast_id BLOB NOT NULL,
    service_key TEXT NOT NULL,
    PRIMARY KEY (tenant_id, broadcast_id, service_key),
    FOREIGN KEY (tenant_id, broadcast_id) REFERENCES es_broadcast (tenant_id, id),
    FOREIGN KEY (tenant_id, service_key) REFERENCES es_adoption (tenant_id, service_key)
);

-- A citizen who asked to be told of a municipality's broadcasts (störningsinformation), by
-- the channel of their Mina ärenden settings. Keyed by the blind index first, like Mina
-- ärenden's read model (ADR 0021).
CREATE TABLE es_broadcast_subscription (
    citizen_index TEXT NOT NULL,
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (citizen_index, tenant_id)
);
CREATE INDEX es_broadcast_subscription_tenant ON es_broadcast_subscription (tenant_id);

-- How long a service's unsigned drafts live after they were last saved (no row: the
-- platform's default).
CREATE TABLE es_retention (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    service_key TEXT NOT NULL,
    draft_days INTEGER NOT NULL CHECK (draft_days BETWEEN 1 AND 3650),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, service_key),
    FOREIGN KEY (tenant_id, service_key) REFERENCES es_adoption (tenant_id, service_key)
);

-- What the retention job deleted: what, when and by which rule; no personal data (no number,
-- no name, no answer).
CREATE TABLE es_deletion_log (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    id BLOB NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('draft')),
    service_key TEXT NOT NULL,
    item_id BLOB NOT NULL,
    last_saved_at TEXT NOT NULL,
    attachments INTEGER NOT NULL,
    rule TEXT NOT NULL,
    deleted_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX es_deletion_log_at ON es_deletion_log (tenant_id, deleted_at);

-- Drafts by citizen across municipalities (Mina ärenden's list); submissions by case (the
-- receipt on the citizen's case page).
CREATE INDEX es_draft_citizen ON es_draft (citizen_index);
CREATE INDEX es_submission_case ON es_submission (tenant_id, case_id);
