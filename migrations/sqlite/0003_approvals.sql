-- Approval routing of records: approvers in order, each approves or returns with a comment.

CREATE TABLE approval (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    id BLOB NOT NULL,
    record_id BLOB NOT NULL,
    round INTEGER NOT NULL,
    position INTEGER NOT NULL,
    approver_id BLOB NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('waiting', 'pending', 'approved', 'returned', 'cancelled')),
    comment TEXT NOT NULL DEFAULT '',
    requested_by_id BLOB NOT NULL,
    requested_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    decided_at TEXT,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, record_id, round, position),
    FOREIGN KEY (tenant_id, record_id) REFERENCES record (tenant_id, id),
    FOREIGN KEY (tenant_id, approver_id) REFERENCES app_user (tenant_id, id)
);
CREATE INDEX approval_pending ON approval (tenant_id, approver_id, status);
CREATE INDEX approval_record ON approval (tenant_id, record_id, round, position);
