-- Disposal (gallring): the decision removes a closed case's documents and keeps this record of it.

CREATE TABLE disposal (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    id BLOB NOT NULL,
    case_id BLOB NOT NULL,
    decision_ref TEXT NOT NULL,
    documents_removed INTEGER NOT NULL,
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, case_id),
    FOREIGN KEY (tenant_id, case_id) REFERENCES case_file (tenant_id, id)
);
