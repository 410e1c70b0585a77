-- The election office's settings of the municipality (issue 20 items 7 and 8), one row per
-- municipality; without a row the defaults hold (18 years, train before placement).
-- min_age: the age a poll worker must have reached on the election day (VAL-142, VAL-R06).
-- train_after_placement: the optimiser may place someone who has not yet completed the course
-- for the role (VAL-R04 is then a warning on the plan); appointment still refuses them (VAL-012).
CREATE TABLE el_settings (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    min_age INTEGER NOT NULL DEFAULT 18 CHECK (min_age BETWEEN 16 AND 99),
    train_after_placement BOOLEAN NOT NULL DEFAULT FALSE,
    updated_by BLOB NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id)
);
