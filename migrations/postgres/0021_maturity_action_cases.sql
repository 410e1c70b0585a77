-- A planned action of an assessment that became a case in case management (ärende).
CREATE TABLE maturity_action_case (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    assessment_id UUID NOT NULL,
    indicator_id TEXT NOT NULL,
    case_id UUID NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, assessment_id, indicator_id),
    FOREIGN KEY (tenant_id, assessment_id, indicator_id) REFERENCES maturity_answer (tenant_id, assessment_id, indicator_id),
    FOREIGN KEY (tenant_id, case_id) REFERENCES case_file (tenant_id, id)
);

ALTER TABLE maturity_action_case ENABLE ROW LEVEL SECURITY;
ALTER TABLE maturity_action_case FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON maturity_action_case
    USING (current_setting('radhus.tenant_id', true) = '*' OR tenant_id::text = current_setting('radhus.tenant_id', true));
