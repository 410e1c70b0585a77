-- PostgreSQL stores its search vectors from this migration on; SQLite's FTS5 table
-- (0002) already holds the indexed text. Kept so both backends have the same migrations.
SELECT 1;
