-- Disposal (gallring): the decision removes a closed case's documents and keeps this record of it.

CREATE TABLE disposal (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID NOT NULL,
    case_id UUID NOT NULL,
    decision_ref TEXT NOT NULL,
    documents_removed INTEGER NOT NULL,
    decided_by TEXT NOT NULL,
    decided_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, case_id),
    FOREIGN KEY (tenant_id, case_id) REFERENCES case_file (tenant_id, id)
);

ALTER TABLE disposal ENABLE ROW LEVEL SECURITY;
ALTER TABLE disposal FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON disposal
    USING (current_setting('radhus.tenant_id', true) = '*' OR tenant_id::text = current_setting('radhus.tenant_id', true));
