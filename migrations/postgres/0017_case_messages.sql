-- Messages between a caseworker and the citizens who are parties to a case, and completion
-- requests (begäran om komplettering), issue 12 item 4. Every message is also a record of the
-- case (the caseworker's an outbound record, dispatched; the citizen's an inbound record), so
-- the diary stays complete (OSL 5 kap. 1 §) and the public diary masks it as any record; this
-- table holds what the two conversation views need: the text, the due date of a request, the
-- answer's link to its request, and the read receipts.
CREATE TABLE case_message (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID NOT NULL,
    case_id UUID NOT NULL,
    -- 'to_citizen' (written by staff) or 'from_citizen' (written by a party in Mina ärenden).
    direction TEXT NOT NULL CHECK (direction IN ('to_citizen', 'from_citizen')),
    kind TEXT NOT NULL CHECK (kind IN ('message', 'completion_request', 'answer')),
    body TEXT NOT NULL,
    -- A completion request's last day.
    due_on DATE,
    -- The request (or message) an answer answers.
    reply_to UUID,
    record_id UUID NOT NULL,
    author TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    -- Read by the other side (the citizen for 'to_citizen', the case's staff for 'from_citizen').
    read_at TIMESTAMPTZ,
    -- A completion request answered, or withdrawn by the caseworker.
    answered_at TIMESTAMPTZ,
    withdrawn_at TIMESTAMPTZ,
    -- An answer that came after its request's last day (accepted, marked).
    late BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, case_id) REFERENCES case_file (tenant_id, id),
    FOREIGN KEY (tenant_id, record_id) REFERENCES record (tenant_id, id),
    FOREIGN KEY (tenant_id, reply_to) REFERENCES case_message (tenant_id, id)
);
CREATE INDEX case_message_case ON case_message (tenant_id, case_id, created_at);

DO $$
DECLARE t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['case_message']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (current_setting('radhus.tenant_id', true) = '*'
                   OR tenant_id::text = current_setting('radhus.tenant_id', true))$p$, t);
    END LOOP;
END $$;
