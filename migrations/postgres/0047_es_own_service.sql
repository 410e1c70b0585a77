-- E-services (issue 11 item 2, ADR 0027): a municipality's own e-service, built in the form
-- builder, is a row of es_adoption without a shared service behind it (origin 'own',
-- shared_version NULL) with its category and the builder's draft definition. Each published
-- version is a row of es_revision (shared_version 0), so the citizen's way, drafts and
-- submissions read it exactly as they read an adopted service's revision. es_adoption keeps
-- its row-level security (0040); no new table.
ALTER TABLE es_adoption DROP CONSTRAINT es_adoption_service_key_fkey;
ALTER TABLE es_adoption ALTER COLUMN shared_version DROP NOT NULL;
ALTER TABLE es_adoption ADD COLUMN origin TEXT NOT NULL DEFAULT 'shared' CHECK (origin IN ('shared', 'own'));
ALTER TABLE es_adoption ADD COLUMN category TEXT;
ALTER TABLE es_adoption ADD COLUMN builder_draft TEXT;
ALTER TABLE es_adoption ADD CONSTRAINT es_adoption_own_check CHECK ((origin = 'own') = (shared_version IS NULL));
ALTER TABLE es_adoption ADD CONSTRAINT es_adoption_own_parts_check CHECK (origin = 'own' OR (category IS NULL AND builder_draft IS NULL));
