-- Store the public search vectors instead of computing them per query. Under row-level
-- security PostgreSQL cannot use a GIN index for the non-leakproof @@ operator, so a search
-- scans the municipality's rows: a stored vector makes that scan cheap (bench/diarium).
DROP INDEX case_file_search;
DROP INDEX record_search;
ALTER TABLE case_file ADD COLUMN public_tsv TSVECTOR GENERATED ALWAYS AS (to_tsvector('simple', public_search)) STORED;
ALTER TABLE record ADD COLUMN public_tsv TSVECTOR GENERATED ALWAYS AS (to_tsvector('simple', public_search)) STORED;
-- Used where row-level security does not apply (a role with BYPASSRLS, or a Citus shard).
CREATE INDEX case_file_search ON case_file USING GIN (public_tsv);
CREATE INDEX record_search ON record USING GIN (public_tsv);
