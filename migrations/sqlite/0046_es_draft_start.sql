-- E-services (issue 11 item 9): statistics. A draft is deleted when it is submitted (the
-- submission names it by `draft_id`) or when the retention job removes it, so when each draft
-- was begun is kept here: one row per draft, its service and when it was started, nothing
-- about the citizen. Drafts started vs submitted (the completion rate) and the time from the
-- first draft to the submission are counted from these rows and es_submission. A draft moved
-- to a newer revision keeps its row (the row follows the new draft id). Drafts open when this
-- migration runs are backfilled; submissions made before it have no row (no start time).
CREATE TABLE es_draft_start (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    draft_id BLOB NOT NULL,
    service_key TEXT NOT NULL,
    started_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, draft_id),
    FOREIGN KEY (tenant_id, service_key) REFERENCES es_adoption (tenant_id, service_key)
);
CREATE INDEX es_draft_start_at ON es_draft_start (tenant_id, started_at);
INSERT INTO es_draft_start (tenant_id, draft_id, service_key, started_at)
    SELECT tenant_id, id, service_key, created_at FROM es_draft;

-- The submissions of a period (statistics and the catalogue's "Mest använda").
CREATE INDEX es_submission_signed ON es_submission (tenant_id, signed_at);
