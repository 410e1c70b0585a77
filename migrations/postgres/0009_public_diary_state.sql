-- One counter per municipality, raised in the same transaction as every change the public
-- diary shows; cached diary results are valid only for the counter they were read at.
CREATE TABLE public_diary_state (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    generation BIGINT NOT NULL,
    PRIMARY KEY (tenant_id)
);

ALTER TABLE public_diary_state ENABLE ROW LEVEL SECURITY;
ALTER TABLE public_diary_state FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON public_diary_state
    USING (current_setting('radhus.tenant_id', true) = '*' OR tenant_id::text = current_setting('radhus.tenant_id', true));
