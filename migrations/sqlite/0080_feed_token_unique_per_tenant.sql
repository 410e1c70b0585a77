-- A calendar feed's token is unique within its municipality (the feed URL is on the
-- municipality's host and the lookup names the municipality), so the key leads with
-- tenant_id as every unique key of a distributed table must on Citus (issue 21 item 3).
-- SQLite cannot drop a column's UNIQUE: the table is made again.
CREATE TABLE feed_token_new (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    user_id BLOB NOT NULL,
    token_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, user_id),
    UNIQUE (tenant_id, token_hash),
    FOREIGN KEY (tenant_id, user_id) REFERENCES app_user (tenant_id, id)
);
INSERT INTO feed_token_new (tenant_id, user_id, token_hash, created_at)
    SELECT tenant_id, user_id, token_hash, created_at FROM feed_token;
DROP TABLE feed_token;
ALTER TABLE feed_token_new RENAME TO feed_token;
