-- Mina ärenden (issue 12 items 4 and 5): what is expected of the citizen, the citizen's own
-- notification settings, and the notices waiting to be folded and sent.

-- A completion request waiting for the citizen (its last day and the request), and whether the
-- case has a message the citizen has not read; both from case management's events.
ALTER TABLE my_case ADD COLUMN action_due DATE;
ALTER TABLE my_case ADD COLUMN action_message UUID;
ALTER TABLE my_case ADD COLUMN unread BOOLEAN NOT NULL DEFAULT FALSE;

-- How a citizen wants to be told about changes in their cases, in every municipality: by
-- e-mail, SMS, both or not at all, and in which language. Keyed by the blind index of the
-- personal identity number (never the number); the citizen's own transaction and the
-- platform's notice job read it.
CREATE TABLE my_settings (
    citizen_index TEXT NOT NULL PRIMARY KEY,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'both', 'none')),
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    lang TEXT NOT NULL DEFAULT 'sv' CHECK (lang IN ('sv', 'en')),
    updated_at TIMESTAMPTZ NOT NULL
);

-- A notice to send: one row per citizen and case, made by the first change that informs the
-- citizen and folded with those that follow within a minute (`due_at`), then sent once and
-- removed. It holds what happened (kinds), never what a message says.
CREATE TABLE my_notice (
    citizen_index TEXT NOT NULL,
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    case_id UUID NOT NULL,
    kinds TEXT NOT NULL,
    first_at TIMESTAMPTZ NOT NULL,
    due_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (citizen_index, tenant_id, case_id)
);
CREATE INDEX my_notice_due ON my_notice (due_at);

ALTER TABLE my_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE my_settings FORCE ROW LEVEL SECURITY;
CREATE POLICY citizen_only ON my_settings
    USING (current_setting('radhus.tenant_id', true) = '*'
           OR (citizen_index <> '' AND citizen_index = current_setting('radhus.citizen', true)));

ALTER TABLE my_notice ENABLE ROW LEVEL SECURITY;
ALTER TABLE my_notice FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_or_citizen ON my_notice
    USING (current_setting('radhus.tenant_id', true) = '*'
           OR tenant_id::text = current_setting('radhus.tenant_id', true)
           OR (citizen_index <> '' AND citizen_index = current_setting('radhus.citizen', true)));
