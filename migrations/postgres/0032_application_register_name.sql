-- The name the population register gave at the last check, shown next to the name the
-- applicant wrote when they differ.
ALTER TABLE el_application ADD COLUMN register_name TEXT;
