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
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('platform', 'municipality')),
    severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
    starts_at TIMESTAMPTZ NOT NULL,
    ends_at TIMESTAMPTZ NOT NULL,
    text_sv TEXT NOT NULL,
    text_en TEXT NOT NULL DEFAULT '',
    published_by TEXT NOT NULL,
    published_at TIMESTAMPTZ NOT NULL,
    notified_at TIMESTAMPTZ,
    PRIMARY KEY (tenant_id, id),
    CHECK (ends_at > starts_at)
);
CREATE INDEX es_broadcast_window ON es_broadcast (tenant_id, ends_at);

-- The e-services a broadcast pauses in the municipality while it lasts (drafts are kept).
CREATE TABLE es_broadcast_pause (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    broadcast_id UUID NOT NULL,
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
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (citizen_index, tenant_id)
);
CREATE INDEX es_broadcast_subscription_tenant ON es_broadcast_subscription (tenant_id);

-- How long a service's unsigned drafts live after they were last saved (no row: the
-- platform's default).
CREATE TABLE es_retention (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    service_key TEXT NOT NULL,
    draft_days INTEGER NOT NULL CHECK (draft_days BETWEEN 1 AND 3650),
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, service_key),
    FOREIGN KEY (tenant_id, service_key) REFERENCES es_adoption (tenant_id, service_key)
);

-- What the retention job deleted: what, when and by which rule; no personal data (no number,
-- no name, no answer).
CREATE TABLE es_deletion_log (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('draft')),
    service_key TEXT NOT NULL,
    item_id UUID NOT NULL,
    last_saved_at TIMESTAMPTZ NOT NULL,
    attachments INTEGER NOT NULL,
    rule TEXT NOT NULL,
    deleted_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX es_deletion_log_at ON es_deletion_log (tenant_id, deleted_at);

-- Drafts by citizen across municipalities (Mina ärenden's list); submissions by case (the
-- receipt on the citizen's case page).
CREATE INDEX es_draft_citizen ON es_draft (citizen_index);
CREATE INDEX es_submission_case ON es_submission (tenant_id, case_id);

DO $$
DECLARE t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['es_broadcast', 'es_broadcast_pause', 'es_retention', 'es_deletion_log']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (current_setting('radhus.tenant_id', true) = '*'
                   OR tenant_id::text = current_setting('radhus.tenant_id', true))$p$, t);
    END LOOP;
    -- The subscriptions: the municipality's own rows, and the citizen's own in every
    -- municipality (Scope::Citizen).
    ALTER TABLE es_broadcast_subscription ENABLE ROW LEVEL SECURITY;
    ALTER TABLE es_broadcast_subscription FORCE ROW LEVEL SECURITY;
    CREATE POLICY tenant_or_citizen ON es_broadcast_subscription
        USING (current_setting('radhus.tenant_id', true) = '*'
               OR tenant_id::text = current_setting('radhus.tenant_id', true)
               OR (citizen_index <> '' AND citizen_index = current_setting('radhus.citizen', true)));
    -- A citizen's transaction reads the citizen's own drafts in every municipality, and the
    -- revisions those drafts are pinned to (the service's title), nothing else.
    CREATE POLICY citizen_own ON es_draft FOR SELECT
        USING (citizen_index <> '' AND citizen_index = current_setting('radhus.citizen', true));
    CREATE POLICY citizen_draft_revision ON es_revision FOR SELECT
        USING (EXISTS (SELECT 1 FROM es_draft d WHERE d.tenant_id = es_revision.tenant_id
               AND d.service_key = es_revision.service_key AND d.revision = es_revision.revision
               AND d.citizen_index <> '' AND d.citizen_index = current_setting('radhus.citizen', true)));
END $$;
