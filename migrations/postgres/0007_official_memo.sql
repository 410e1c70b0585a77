-- The official memo (tjänsteskrivelse): its texts per record, kept so a new version can be
-- generated from them, and the municipality's own document templates (Typst source).

CREATE TABLE official_memo (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    record_id UUID NOT NULL,
    document_id UUID,
    proposal TEXT NOT NULL,
    summary TEXT NOT NULL,
    background TEXT NOT NULL,
    assessment TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, record_id),
    FOREIGN KEY (tenant_id, record_id) REFERENCES record (tenant_id, id),
    FOREIGN KEY (tenant_id, document_id) REFERENCES document (tenant_id, id)
);

CREATE TABLE document_template (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    key TEXT NOT NULL,
    source TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, key)
);

ALTER TABLE official_memo ENABLE ROW LEVEL SECURITY;
ALTER TABLE official_memo FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON official_memo
    USING (current_setting('radhus.tenant_id', true) = '*' OR tenant_id::text = current_setting('radhus.tenant_id', true));
ALTER TABLE document_template ENABLE ROW LEVEL SECURITY;
ALTER TABLE document_template FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON document_template
    USING (current_setting('radhus.tenant_id', true) = '*' OR tenant_id::text = current_setting('radhus.tenant_id', true));
