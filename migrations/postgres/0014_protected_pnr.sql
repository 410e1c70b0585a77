-- Protected personal identity numbers (issue 10 item 5, ADR 0018).
--
-- A citizen's session no longer holds the personal identity number in plain text: it holds
-- it sealed (`v1:<key id>:<base64>`, XChaCha20-Poly1305 under a key from the key file, never
-- from the database) and its blind index (hex HMAC-SHA-256 under the separate index key),
-- through which the SSO logout and other look-ups find a citizen's sessions.
--
-- SQL cannot encrypt, so existing citizen sessions are ended (the citizens log in again)
-- and the plain column is dropped. Staff and operator sessions stay.
DELETE FROM session WHERE kind = 'citizen';
ALTER TABLE session DROP COLUMN citizen_pnr;
ALTER TABLE session ADD COLUMN citizen_pnr_sealed TEXT;
ALTER TABLE session ADD COLUMN citizen_pnr_index TEXT;
CREATE INDEX session_by_citizen ON session (citizen_pnr_index);
