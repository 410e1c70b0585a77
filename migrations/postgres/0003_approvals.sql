-- Approval routing of records: approvers in order, each approves or returns with a comment.

CREATE TABLE approval (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID NOT NULL,
    record_id UUID NOT NULL,
    round INTEGER NOT NULL,
    position INTEGER NOT NULL,
    approver_id UUID NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('waiting', 'pending', 'approved', 'returned', 'cancelled')),
    comment TEXT NOT NULL DEFAULT '',
    requested_by_id UUID NOT NULL,
    requested_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    decided_at TIMESTAMPTZ,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, record_id, round, position),
    FOREIGN KEY (tenant_id, record_id) REFERENCES record (tenant_id, id),
    FOREIGN KEY (tenant_id, approver_id) REFERENCES app_user (tenant_id, id)
);
CREATE INDEX approval_pending ON approval (tenant_id, approver_id, status);
CREATE INDEX approval_record ON approval (tenant_id, record_id, round, position);

ALTER TABLE approval ENABLE ROW LEVEL SECURITY;
ALTER TABLE approval FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON approval
    USING (current_setting('radhus.tenant_id', true) = '*' OR tenant_id::text = current_setting('radhus.tenant_id', true));
