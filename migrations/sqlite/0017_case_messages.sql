-- Messages between a caseworker and the citizens who are parties to a case, and completion
-- requests (begäran om komplettering), issue 12 item 4. Every message is also a record of the
-- case (the caseworker's an outbound record, dispatched; the citizen's an inbound record), so
-- the diary stays complete (OSL 5 kap. 1 §) and the public diary masks it as any record; this
-- table holds what the two conversation views need: the text, the due date of a request, the
-- answer's link to its request, and the read receipts.
CREATE TABLE case_message (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    id BLOB NOT NULL,
    case_id BLOB NOT NULL,
    -- 'to_citizen' (written by staff) or 'from_citizen' (written by a party in Mina ärenden).
    direction TEXT NOT NULL CHECK (direction IN ('to_citizen', 'from_citizen')),
    kind TEXT NOT NULL CHECK (kind IN ('message', 'completion_request', 'answer')),
    body TEXT NOT NULL,
    -- A completion request's last day.
    due_on TEXT,
    -- The request (or message) an answer answers.
    reply_to BLOB,
    record_id BLOB NOT NULL,
    author TEXT NOT NULL,
    created_at TEXT NOT NULL,
    -- Read by the other side (the citizen for 'to_citizen', the case's staff for 'from_citizen').
    read_at TEXT,
    -- A completion request answered, or withdrawn by the caseworker.
    answered_at TEXT,
    withdrawn_at TEXT,
    -- An answer that came after its request's last day (accepted, marked).
    late INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, case_id) REFERENCES case_file (tenant_id, id),
    FOREIGN KEY (tenant_id, record_id) REFERENCES record (tenant_id, id),
    FOREIGN KEY (tenant_id, reply_to) REFERENCES case_message (tenant_id, id)
);
CREATE INDEX case_message_case ON case_message (tenant_id, case_id, created_at);

