-- One counter per municipality, raised in the same transaction as every change the public
-- diary shows; cached diary results are valid only for the counter they were read at.
CREATE TABLE public_diary_state (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    generation INTEGER NOT NULL,
    PRIMARY KEY (tenant_id)
);
