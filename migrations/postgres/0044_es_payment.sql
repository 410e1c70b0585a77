-- E-services (issue 11 item 6): fees and payment. A submission with a fee is registered at
-- once and waits for payment (`payment` 'due' until 'paid'); each attempt to pay is a row of
-- es_payment, started with a payment provider (crates/eservices/src/payment.rs) and settled
-- by the citizen's return, or by the reconciliation job when it never completes ('expired').
-- At most one paid attempt per submission (the partial unique index): paying twice is refused
-- before it starts, and a second completed attempt at the provider is kept as 'duplicate'
-- for a refund.
ALTER TABLE es_submission ADD COLUMN payment TEXT NOT NULL DEFAULT 'none' CHECK (payment IN ('none', 'due', 'paid'));

CREATE TABLE es_payment (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID NOT NULL,
    submission_id UUID NOT NULL,
    amount BIGINT NOT NULL,
    provider TEXT NOT NULL,
    provider_ref TEXT NOT NULL,
    redirect_url TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('started', 'paid', 'failed', 'expired', 'duplicate')),
    started_at TIMESTAMPTZ NOT NULL,
    settled_at TIMESTAMPTZ,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, provider, provider_ref),
    FOREIGN KEY (tenant_id, submission_id) REFERENCES es_submission (tenant_id, id)
);
CREATE UNIQUE INDEX es_payment_one_paid ON es_payment (tenant_id, submission_id) WHERE status = 'paid';
CREATE INDEX es_payment_of_submission ON es_payment (tenant_id, submission_id, started_at);
CREATE INDEX es_payment_open ON es_payment (status, started_at);

-- Mina ärenden's read model (issue 12 item 1, the flag *Väntar på betalning*), fed by the case
-- events `payment.due` and `payment.received`: a row per case and person party, keyed like
-- my_case (which a later migration creates, hence no foreign key), while the case waits for
-- payment; `payment_url` is where the citizen pays (the receipt page on the municipality's host).
CREATE TABLE my_case_payment (
    citizen_index TEXT NOT NULL,
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    case_id UUID NOT NULL,
    payment_url TEXT NOT NULL,
    PRIMARY KEY (citizen_index, tenant_id, case_id)
);
CREATE INDEX my_case_payment_by_case ON my_case_payment (tenant_id, case_id);

DO $$
BEGIN
    ALTER TABLE es_payment ENABLE ROW LEVEL SECURITY;
    ALTER TABLE es_payment FORCE ROW LEVEL SECURITY;
    CREATE POLICY tenant_isolation ON es_payment
        USING (current_setting('radhus.tenant_id', true) = '*'
               OR tenant_id::text = current_setting('radhus.tenant_id', true));
    ALTER TABLE my_case_payment ENABLE ROW LEVEL SECURITY;
    ALTER TABLE my_case_payment FORCE ROW LEVEL SECURITY;
    CREATE POLICY tenant_or_citizen ON my_case_payment
        USING (current_setting('radhus.tenant_id', true) = '*'
               OR tenant_id::text = current_setting('radhus.tenant_id', true)
               OR (citizen_index <> '' AND citizen_index = current_setting('radhus.citizen', true)));
END $$;
