-- Changes other modules care about (issue 10): a tenant-owned log written in the same
-- transaction as the change, numbered per municipality, and one cursor per subscriber and
-- municipality. A subscriber handles an event and moves its cursor in one transaction.
CREATE TABLE change_head (
    tenant_id BLOB PRIMARY KEY REFERENCES tenant (id),
    seq INTEGER NOT NULL
);

CREATE TABLE change_event (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    seq INTEGER NOT NULL,
    id BLOB NOT NULL,
    stream TEXT NOT NULL,
    kind TEXT NOT NULL,
    object_id BLOB NOT NULL,
    data TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, seq)
);

CREATE TABLE change_cursor (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    subscriber TEXT NOT NULL,
    last_seq INTEGER NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    PRIMARY KEY (tenant_id, subscriber)
);
