-- Platform security (issue 19): second-factor failures are counted apart from password
-- failures, so a correct password no longer resets the count of wrong TOTP codes.
ALTER TABLE app_user ADD COLUMN totp_failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE operator ADD COLUMN totp_failures INTEGER NOT NULL DEFAULT 0;

-- Secrets the platform makes for itself on first use (not configuration): the key of the
-- keyed hash that stands in the audit log for what was typed as the e-mail address of a
-- login to an account that does not exist (often a password typed in the wrong field).
CREATE TABLE platform_secret (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- A message that carries a secret (a one-time login link) keeps its body only until it has
-- been delivered or has failed for good; then the body is replaced by a note.
ALTER TABLE outbox ADD COLUMN redact_after_send BOOLEAN NOT NULL DEFAULT FALSE;
