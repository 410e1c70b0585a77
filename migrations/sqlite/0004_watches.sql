-- Watches (bevakningar) with reminders, and per-user feed tokens for Atom and iCalendar.

CREATE TABLE watch (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    id BLOB NOT NULL,
    case_id BLOB NOT NULL,
    record_id BLOB,
    owner_id BLOB NOT NULL,
    due_at TEXT NOT NULL,
    remind_at TEXT NOT NULL,
    note TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('open', 'done', 'cancelled')),
    reminded_at TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, case_id) REFERENCES case_file (tenant_id, id),
    FOREIGN KEY (tenant_id, record_id) REFERENCES record (tenant_id, id),
    FOREIGN KEY (tenant_id, owner_id) REFERENCES app_user (tenant_id, id)
);
CREATE INDEX watch_owner ON watch (tenant_id, owner_id, state, due_at);
CREATE INDEX watch_case ON watch (tenant_id, case_id);
CREATE INDEX watch_remind ON watch (state, remind_at);

-- The token itself is never stored, only its SHA-256.
CREATE TABLE feed_token (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    user_id BLOB NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, user_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES app_user (tenant_id, id)
);
