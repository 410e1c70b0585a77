-- Notifications that modules own (ADR 0019).
--
-- 1. The platform host sends too: a platform-level message has no municipality and is stored
--    with the nil tenant, like the platform's own audit chain. The outbox loses its foreign key
--    to tenant (the nil tenant is no municipality); SQLite drops a foreign key by rebuilding
--    the table (nothing references outbox).
-- 2. The platform's templates are registered under keys prefixed with their module's name;
--    the municipalities' overrides follow.
-- 3. Staff users and operators get the language their mail goes out in (the one they last
--    logged in with).

CREATE TABLE outbox_new (
    tenant_id BLOB NOT NULL,
    id BLOB NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT,
    redact_after_send INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, id)
);
INSERT INTO outbox_new (tenant_id, id, channel, recipient, subject, body, status, attempts, next_attempt_at, last_error,
                        created_at, sent_at, redact_after_send)
SELECT tenant_id, id, channel, recipient, subject, body, status, attempts, next_attempt_at, last_error,
       created_at, sent_at, redact_after_send FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_created ON outbox (tenant_id, created_at);

UPDATE notification_template SET template_key = 'platform.' || template_key
 WHERE template_key IN ('account-created', 'account-locked', 'password-changed');

ALTER TABLE app_user ADD COLUMN lang TEXT NOT NULL DEFAULT 'sv' CHECK (lang IN ('sv', 'en'));
ALTER TABLE operator ADD COLUMN lang TEXT NOT NULL DEFAULT 'sv' CHECK (lang IN ('sv', 'en'));
