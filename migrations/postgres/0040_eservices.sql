-- E-services (issue 11): the shared catalogue with inheritance (ADR 0022), a municipality's
-- adoption of a shared e-service with its overrides, the definitions citizens fill in, their
-- drafts and their signed submissions.
--
-- The shared catalogue belongs to the platform operator, not to a municipality (reference
-- tables, like eBlomlåda's catalogues): every published version of a shared e-service is kept
-- as the JSON definition it was published as, and never changed.
CREATE TABLE es_shared_service (
    key TEXT NOT NULL PRIMARY KEY,
    category TEXT NOT NULL,
    current_version INTEGER NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE es_shared_version (
    service_key TEXT NOT NULL REFERENCES es_shared_service (key),
    version INTEGER NOT NULL,
    definition TEXT NOT NULL,
    published_by TEXT NOT NULL,
    published_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (service_key, version)
);

-- A municipality's adoption: which shared version it follows, its overrides (JSON, applied
-- with form::apply), the case type its submissions become, their public title and secrecy,
-- and whether citizens may use it now. `revision` is the current row of es_revision.
CREATE TABLE es_adoption (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    service_key TEXT NOT NULL REFERENCES es_shared_service (key),
    shared_version INTEGER NOT NULL,
    overrides TEXT NOT NULL,
    case_type_id UUID NOT NULL,
    public_title TEXT NOT NULL,
    secrecy_ground TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('published', 'paused')),
    revision INTEGER NOT NULL,
    adopted_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, service_key),
    FOREIGN KEY (service_key, shared_version) REFERENCES es_shared_version (service_key, version),
    FOREIGN KEY (tenant_id, case_type_id) REFERENCES case_type (tenant_id, id)
);

-- The municipality's effective definition (shared version + overrides), one row per change:
-- a draft and a submission are pinned to the revision they began with.
CREATE TABLE es_revision (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    service_key TEXT NOT NULL,
    revision INTEGER NOT NULL,
    shared_version INTEGER NOT NULL,
    definition TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, service_key, revision),
    FOREIGN KEY (tenant_id, service_key) REFERENCES es_adoption (tenant_id, service_key)
);

-- A logged-in citizen's draft: one per citizen and service, found by the blind index of the
-- personal identity number; the answers are sealed (ADR 0018), as they hold personal data.
CREATE TABLE es_draft (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID NOT NULL,
    service_key TEXT NOT NULL,
    revision INTEGER NOT NULL,
    citizen_index TEXT NOT NULL,
    answers_sealed TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, citizen_index, service_key),
    FOREIGN KEY (tenant_id, service_key, revision) REFERENCES es_revision (tenant_id, service_key, revision)
);

-- A signed submission: who signed, when and how identified, the SHA-256 of the exact
-- content, the case it became. One per draft (idempotent submit); the PDF/A receipt is
-- typeset after the commit and stored here.
CREATE TABLE es_submission (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID NOT NULL,
    draft_id UUID NOT NULL,
    service_key TEXT NOT NULL,
    revision INTEGER NOT NULL,
    citizen_index TEXT NOT NULL,
    answers_sealed TEXT NOT NULL,
    content_sha256 TEXT NOT NULL,
    signed_name TEXT NOT NULL,
    identified_by TEXT NOT NULL,
    assurance TEXT NOT NULL,
    signed_at TIMESTAMPTZ NOT NULL,
    fee BIGINT,
    case_id UUID NOT NULL,
    case_number TEXT NOT NULL,
    record_number TEXT NOT NULL,
    receipt_pdf BYTEA,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, draft_id),
    FOREIGN KEY (tenant_id, service_key, revision) REFERENCES es_revision (tenant_id, service_key, revision)
);
CREATE INDEX es_submission_citizen ON es_submission (tenant_id, citizen_index, signed_at);

DO $$
DECLARE t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['es_adoption', 'es_revision', 'es_draft', 'es_submission']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (current_setting('radhus.tenant_id', true) = '*'
                   OR tenant_id::text = current_setting('radhus.tenant_id', true))$p$, t);
    END LOOP;
END $$;
