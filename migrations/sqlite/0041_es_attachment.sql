-- E-services (issue 11): a citizen's attachments to a draft, kept here (not in case
-- management's blob table, whose disposal removes blobs no document version holds) until the
-- submission copies them into the case's inbound record.
CREATE TABLE es_attachment (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    id BLOB NOT NULL,
    draft_id BLOB NOT NULL,
    field_id TEXT NOT NULL,
    filename TEXT NOT NULL,
    mime TEXT NOT NULL,
    bytes BLOB NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX es_attachment_draft ON es_attachment (tenant_id, draft_id);

