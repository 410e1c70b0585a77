-- A planned action of an assessment that became a case in case management (ärende).
CREATE TABLE maturity_action_case (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    assessment_id BLOB NOT NULL,
    indicator_id TEXT NOT NULL,
    case_id BLOB NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, assessment_id, indicator_id),
    FOREIGN KEY (tenant_id, assessment_id, indicator_id) REFERENCES maturity_answer (tenant_id, assessment_id, indicator_id),
    FOREIGN KEY (tenant_id, case_id) REFERENCES case_file (tenant_id, id)
);
