-- Projects (projekt): a named group of cases that belong together, e.g. the cases of one
-- detailed development plan. A case is in at most one project.

CREATE TABLE project (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, name)
);

CREATE TABLE project_case (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    case_id UUID NOT NULL,
    project_id UUID NOT NULL,
    added_by TEXT NOT NULL,
    added_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, case_id),
    FOREIGN KEY (tenant_id, case_id) REFERENCES case_file (tenant_id, id),
    FOREIGN KEY (tenant_id, project_id) REFERENCES project (tenant_id, id)
);
CREATE INDEX project_case_project ON project_case (tenant_id, project_id);

ALTER TABLE project ENABLE ROW LEVEL SECURITY;
ALTER TABLE project FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON project
    USING (current_setting('radhus.tenant_id', true) = '*' OR tenant_id::text = current_setting('radhus.tenant_id', true));
ALTER TABLE project_case ENABLE ROW LEVEL SECURITY;
ALTER TABLE project_case FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON project_case
    USING (current_setting('radhus.tenant_id', true) = '*' OR tenant_id::text = current_setting('radhus.tenant_id', true));
