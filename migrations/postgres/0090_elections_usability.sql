-- Elections, issue 18 items 2, 17 and 18.
--
-- The election office's phone and e-mail, printed in the appointment letter (empty: not given).
ALTER TABLE el_settings ADD COLUMN office_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE el_settings ADD COLUMN office_email TEXT NOT NULL DEFAULT '';

-- The election's diary number at the valnämnd (empty: none), the reference of its letters,
-- and the last day a poll worker is asked to answer the offer (NULL: none set).
ALTER TABLE el_election ADD COLUMN diary_number TEXT NOT NULL DEFAULT '';
ALTER TABLE el_election ADD COLUMN reply_deadline DATE;

-- The application's number within its election (1, 2, …), shown as its reference: on the
-- receipt and when the same person applies again. Existing applications are numbered in the
-- order they came.
ALTER TABLE el_application ADD COLUMN number INTEGER;
UPDATE el_application SET number = (
    SELECT COUNT(*) FROM el_application b
    WHERE b.tenant_id = el_application.tenant_id AND b.election_id = el_application.election_id
      AND (b.created_at < el_application.created_at
           OR (b.created_at = el_application.created_at AND b.person_id <= el_application.person_id)));
CREATE UNIQUE INDEX el_application_number ON el_application (tenant_id, election_id, number);

-- The appointment's number within its election, given when the letter is written: the
-- letter's reference when the election has no diary number. Earlier appointments keep NULL
-- (their letters were written before).
ALTER TABLE el_assignment ADD COLUMN letter_no INTEGER;
