-- Obliteration (makulering) of a registered record, issue 20 item 1: a record registered by
-- mistake is never deleted; it stays in the diary marked obliterated, with when, by whom and
-- why. The record keeps its number, documents and history; it is no longer worked on.
ALTER TABLE record ADD COLUMN obliterated_at TEXT;
ALTER TABLE record ADD COLUMN obliterated_by TEXT NOT NULL DEFAULT '';
ALTER TABLE record ADD COLUMN obliteration_reason TEXT NOT NULL DEFAULT '';
