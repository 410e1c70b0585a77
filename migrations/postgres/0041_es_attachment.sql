-- E-services (issue 11): a citizen's attachments to a draft, kept here (not in case
-- management's blob table, whose disposal removes blobs no document version holds) until the
-- submission copies them into the case's inbound record.
CREATE TABLE es_attachment (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID NOT NULL,
    draft_id UUID NOT NULL,
    field_id TEXT NOT NULL,
    filename TEXT NOT NULL,
    mime TEXT NOT NULL,
    bytes BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX es_attachment_draft ON es_attachment (tenant_id, draft_id);

DO $$
BEGIN
    ALTER TABLE es_attachment ENABLE ROW LEVEL SECURITY;
    ALTER TABLE es_attachment FORCE ROW LEVEL SECURITY;
    CREATE POLICY tenant_isolation ON es_attachment
        USING (current_setting('radhus.tenant_id', true) = '*'
               OR tenant_id::text = current_setting('radhus.tenant_id', true));
END $$;
