-- E-services (issue 11 item 13): a municipality's outgoing webhooks. An administrator names a
-- URL and the events it wants (`events`: a comma-separated list of event types, see
-- crates/eservices/src/webhook.rs); the platform makes the secret, sealed like other secrets
-- (ADR 0018) because it must be read to sign each delivery, never stored as a hash.
CREATE TABLE es_webhook (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    id BLOB NOT NULL,
    url TEXT NOT NULL,
    events TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'paused')),
    secret_sealed TEXT NOT NULL,
    secret_set_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

-- One event to one webhook: written in the transaction of what it tells (the submission, or
-- the delivery of a case event to the subscriber `eservices.webhooks`), sent by the periodic
-- job with retries and the outbox's backoff until a 2xx answer or the last attempt. The body
-- holds no personal data (ids, type, times, the case number and status only). One row per
-- event and webhook, so an event handed over again is not sent twice.
CREATE TABLE es_webhook_delivery (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    id BLOB NOT NULL,
    webhook_id BLOB NOT NULL,
    event_id BLOB NOT NULL,
    event_type TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, webhook_id, event_id),
    FOREIGN KEY (tenant_id, webhook_id) REFERENCES es_webhook (tenant_id, id)
);
CREATE INDEX es_webhook_delivery_due ON es_webhook_delivery (status, next_attempt_at);
CREATE INDEX es_webhook_delivery_log ON es_webhook_delivery (tenant_id, webhook_id, created_at);

-- The delivery log: each attempt with the HTTP status the receiver answered or the error
-- (timeout, refused connection). Kept 30 days with its delivery.
CREATE TABLE es_webhook_attempt (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    delivery_id BLOB NOT NULL,
    attempt INTEGER NOT NULL,
    at TEXT NOT NULL,
    http_status INTEGER,
    error TEXT,
    PRIMARY KEY (tenant_id, delivery_id, attempt),
    FOREIGN KEY (tenant_id, delivery_id) REFERENCES es_webhook_delivery (tenant_id, id)
);
