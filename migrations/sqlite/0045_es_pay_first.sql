-- E-services (issue 11 items 6 and 7): per service, a submission with a fee is registered as
-- a case at once (waiting for payment) or only once paid (`es_adoption.register_on`). A
-- submission waiting to be registered has no case yet (case_id, case_number and
-- record_number are NULL until the payment registers it) and keeps the applicant's number
-- sealed, so the case can be opened for them by the reconciliation job too. Refunds by the
-- municipality's staff: a paid or duplicate attempt becomes 'refunded' with who, when and
-- why, and a refunded paid submission is 'refunded'.
-- SQLite cannot loosen NOT NULL or change a CHECK: es_submission and es_payment are made
-- again (payments kept aside first, since they refer to the submission).
ALTER TABLE es_adoption ADD COLUMN register_on TEXT NOT NULL DEFAULT 'submit' CHECK (register_on IN ('submit', 'payment'));

CREATE TABLE es_payment_keep AS SELECT * FROM es_payment;
DROP TABLE es_payment;

CREATE TABLE es_submission_new (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    id BLOB NOT NULL,
    draft_id BLOB NOT NULL,
    service_key TEXT NOT NULL,
    revision INTEGER NOT NULL,
    citizen_index TEXT NOT NULL,
    answers_sealed TEXT NOT NULL,
    content_sha256 TEXT NOT NULL,
    signed_name TEXT NOT NULL,
    identified_by TEXT NOT NULL,
    assurance TEXT NOT NULL,
    signed_at TEXT NOT NULL,
    fee INTEGER,
    case_id BLOB,
    case_number TEXT,
    record_number TEXT,
    receipt_pdf BLOB,
    payment TEXT NOT NULL DEFAULT 'none' CHECK (payment IN ('none', 'due', 'paid', 'refunded')),
    applicant_sealed TEXT,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, draft_id),
    FOREIGN KEY (tenant_id, service_key, revision) REFERENCES es_revision (tenant_id, service_key, revision),
    CHECK ((case_id IS NULL) = (case_number IS NULL) AND (case_id IS NULL) = (record_number IS NULL))
);
INSERT INTO es_submission_new (tenant_id, id, draft_id, service_key, revision, citizen_index, answers_sealed, content_sha256,
    signed_name, identified_by, assurance, signed_at, fee, case_id, case_number, record_number, receipt_pdf, payment)
    SELECT tenant_id, id, draft_id, service_key, revision, citizen_index, answers_sealed, content_sha256,
    signed_name, identified_by, assurance, signed_at, fee, case_id, case_number, record_number, receipt_pdf, payment FROM es_submission;
DROP TABLE es_submission;
ALTER TABLE es_submission_new RENAME TO es_submission;
CREATE INDEX es_submission_citizen ON es_submission (tenant_id, citizen_index, signed_at);
CREATE INDEX es_submission_case ON es_submission (tenant_id, case_id);

CREATE TABLE es_payment (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    id BLOB NOT NULL,
    submission_id BLOB NOT NULL,
    amount INTEGER NOT NULL,
    provider TEXT NOT NULL,
    provider_ref TEXT NOT NULL,
    redirect_url TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('started', 'paid', 'failed', 'expired', 'duplicate', 'refunded')),
    started_at TEXT NOT NULL,
    settled_at TEXT,
    refunded_from TEXT CHECK (refunded_from IN ('paid', 'duplicate')),
    refunded_at TEXT,
    refunded_by TEXT,
    refund_reason TEXT,
    refund_ref TEXT,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, provider, provider_ref),
    FOREIGN KEY (tenant_id, submission_id) REFERENCES es_submission (tenant_id, id),
    CHECK ((status = 'refunded') = (refunded_at IS NOT NULL))
);
INSERT INTO es_payment (tenant_id, id, submission_id, amount, provider, provider_ref, redirect_url, status, started_at, settled_at)
    SELECT tenant_id, id, submission_id, amount, provider, provider_ref, redirect_url, status, started_at, settled_at FROM es_payment_keep;
DROP TABLE es_payment_keep;
CREATE UNIQUE INDEX es_payment_one_paid ON es_payment (tenant_id, submission_id) WHERE status = 'paid';
CREATE INDEX es_payment_of_submission ON es_payment (tenant_id, submission_id, started_at);
CREATE INDEX es_payment_open ON es_payment (status, started_at);
