-- E-services (issue 11 item 9): drop-off per step and the satisfaction question.
--
-- The furthest step each draft reached, kept with its start (es_draft_start outlives the
-- draft): its position in the definition and the step's id (stable across revisions and
-- municipalities; '_granska' is the review page; '' a draft that saved no step yet, so it is
-- at the first one). Written where a step is saved; it only ever moves forward.
ALTER TABLE es_draft_start ADD COLUMN furthest_index INTEGER NOT NULL DEFAULT 0;
ALTER TABLE es_draft_start ADD COLUMN furthest_step TEXT NOT NULL DEFAULT '';

-- The answer to "Hur nöjd är du med e-tjänsten?" (1–5) on the receipt page: one per
-- submission, only by the citizen who submitted it, never changed. Nothing about the citizen
-- beyond the submission it belongs to; the statistics show an average only from five answers.
CREATE TABLE es_satisfaction (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    submission_id BLOB NOT NULL,
    service_key TEXT NOT NULL,
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    answered_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, submission_id),
    FOREIGN KEY (tenant_id, submission_id) REFERENCES es_submission (tenant_id, id),
    FOREIGN KEY (tenant_id, service_key) REFERENCES es_adoption (tenant_id, service_key)
);
CREATE INDEX es_satisfaction_at ON es_satisfaction (tenant_id, answered_at);
