-- Protected personal identity numbers in the election register (issue 10 item 5, ADR 0018).
-- A migration of its own because el_person is made by 0030, after the platform's 0014.
--
-- The number is stored sealed (`pnr_sealed`, `v1:<key id>:<base64>`) and found by its blind
-- index (`pnr_index`, unique per municipality like the plain number was). SQL cannot
-- encrypt: the plain numbers move to `pnr_plaintext`, which the server empties at start
-- (`radhus_platform::pii::migrate_plaintext`: seals each, writes its index, sets it NULL)
-- and which no code reads or writes otherwise. The old unique constraint stays on that
-- column, where every value becomes NULL.
ALTER TABLE el_person RENAME COLUMN pnr TO pnr_plaintext;
ALTER TABLE el_person ADD COLUMN pnr_sealed TEXT;
ALTER TABLE el_person ADD COLUMN pnr_index TEXT;
CREATE UNIQUE INDEX el_person_by_pnr_index ON el_person (tenant_id, pnr_index);
