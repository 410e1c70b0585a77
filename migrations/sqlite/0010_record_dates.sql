-- When an inbound record came in (inkom) and when an outgoing record or decision was sent
-- (expedierad): the diary shows both.
ALTER TABLE record ADD COLUMN received_on TEXT;
ALTER TABLE record ADD COLUMN dispatched_at TEXT;
