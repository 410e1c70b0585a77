-- The official memo (tjänsteskrivelse): its texts per record, kept so a new version can be
-- generated from them, and the municipality's own document templates (Typst source).

CREATE TABLE official_memo (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    record_id BLOB NOT NULL,
    document_id BLOB,
    proposal TEXT NOT NULL,
    summary TEXT NOT NULL,
    background TEXT NOT NULL,
    assessment TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, record_id),
    FOREIGN KEY (tenant_id, record_id) REFERENCES record (tenant_id, id),
    FOREIGN KEY (tenant_id, document_id) REFERENCES document (tenant_id, id)
);

CREATE TABLE document_template (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    key TEXT NOT NULL,
    source TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, key)
);
