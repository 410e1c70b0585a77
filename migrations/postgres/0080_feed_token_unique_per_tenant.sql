-- A calendar feed's token is unique within its municipality (the feed URL is on the
-- municipality's host and the lookup names the municipality), so the key leads with
-- tenant_id as every unique key of a distributed table must on Citus (issue 21 item 3).
-- Row-level security and its policy stay as they were (0004).
ALTER TABLE feed_token DROP CONSTRAINT feed_token_token_hash_key;
ALTER TABLE feed_token ADD CONSTRAINT feed_token_token_hash_key UNIQUE (tenant_id, token_hash);
