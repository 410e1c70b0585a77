-- Projects (projekt): a named group of cases that belong together, e.g. the cases of one
-- detailed development plan. A case is in at most one project.

CREATE TABLE project (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    id BLOB NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, name)
);

CREATE TABLE project_case (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    case_id BLOB NOT NULL,
    project_id BLOB NOT NULL,
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, case_id),
    FOREIGN KEY (tenant_id, case_id) REFERENCES case_file (tenant_id, id),
    FOREIGN KEY (tenant_id, project_id) REFERENCES project (tenant_id, id)
);
CREATE INDEX project_case_project ON project_case (tenant_id, project_id);
