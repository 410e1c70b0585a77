-- Watches (bevakningar) with reminders, and per-user feed tokens for Atom and iCalendar.

CREATE TABLE watch (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID NOT NULL,
    case_id UUID NOT NULL,
    record_id UUID,
    owner_id UUID NOT NULL,
    due_at TIMESTAMPTZ NOT NULL,
    remind_at TIMESTAMPTZ NOT NULL,
    note TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('open', 'done', 'cancelled')),
    reminded_at TIMESTAMPTZ,
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
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
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    user_id UUID NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, user_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES app_user (tenant_id, id)
);

ALTER TABLE watch ENABLE ROW LEVEL SECURITY;
ALTER TABLE watch FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON watch
    USING (current_setting('radhus.tenant_id', true) = '*' OR tenant_id::text = current_setting('radhus.tenant_id', true));
ALTER TABLE feed_token ENABLE ROW LEVEL SECURITY;
ALTER TABLE feed_token FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON feed_token
    USING (current_setting('radhus.tenant_id', true) = '*' OR tenant_id::text = current_setting('radhus.tenant_id', true));
