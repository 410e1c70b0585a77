-- E-services (issue 11 items 6 and 7): per service, a submission with a fee is registered as
-- a case at once (waiting for payment) or only once paid (`es_adoption.register_on`). A
-- submission waiting to be registered has no case yet (case_id, case_number and
-- record_number are NULL until the payment registers it) and keeps the applicant's number
-- sealed, so the case can be opened for them by the reconciliation job too. Refunds by the
-- municipality's staff: a paid or duplicate attempt becomes 'refunded' with who, when and
-- why, and a refunded paid submission is 'refunded'. No new table: es_submission and
-- es_payment keep their row-level security (0040, 0044).
ALTER TABLE es_adoption ADD COLUMN register_on TEXT NOT NULL DEFAULT 'submit' CHECK (register_on IN ('submit', 'payment'));

ALTER TABLE es_submission ALTER COLUMN case_id DROP NOT NULL;
ALTER TABLE es_submission ALTER COLUMN case_number DROP NOT NULL;
ALTER TABLE es_submission ALTER COLUMN record_number DROP NOT NULL;
ALTER TABLE es_submission DROP CONSTRAINT es_submission_payment_check;
ALTER TABLE es_submission ADD CONSTRAINT es_submission_payment_check CHECK (payment IN ('none', 'due', 'paid', 'refunded'));
ALTER TABLE es_submission ADD COLUMN applicant_sealed TEXT;
ALTER TABLE es_submission ADD CONSTRAINT es_submission_case_check
    CHECK ((case_id IS NULL) = (case_number IS NULL) AND (case_id IS NULL) = (record_number IS NULL));

ALTER TABLE es_payment DROP CONSTRAINT es_payment_status_check;
ALTER TABLE es_payment ADD CONSTRAINT es_payment_status_check
    CHECK (status IN ('started', 'paid', 'failed', 'expired', 'duplicate', 'refunded'));
ALTER TABLE es_payment ADD COLUMN refunded_from TEXT CHECK (refunded_from IN ('paid', 'duplicate'));
ALTER TABLE es_payment ADD COLUMN refunded_at TIMESTAMPTZ;
ALTER TABLE es_payment ADD COLUMN refunded_by TEXT;
ALTER TABLE es_payment ADD COLUMN refund_reason TEXT;
ALTER TABLE es_payment ADD COLUMN refund_ref TEXT;
ALTER TABLE es_payment ADD CONSTRAINT es_payment_refund_check CHECK ((status = 'refunded') = (refunded_at IS NOT NULL));
