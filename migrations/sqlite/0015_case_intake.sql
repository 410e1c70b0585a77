-- Intake into case management without a staff user, and parties that are persons
-- (issue 10 items 1 and 2, ADR 0020).
--
-- A case type routes the cases that come in through another module (a citizen's submission)
-- to a unit, and optionally a caseworker, chosen by the registry administrator.
ALTER TABLE case_type ADD COLUMN default_unit_id BLOB;
ALTER TABLE case_type ADD COLUMN default_caseworker_id BLOB;

-- A party is a person (personal identity number or samordningsnummer, sealed with its blind
-- index, never in plain text: ADR 0018), an organisation (organisation number) or a name only.
-- Rows from before have no kind: `radhus_cases::parties::upgrade` classifies them at start,
-- seals the numbers it can parse, and reports those it cannot (they stay names).
ALTER TABLE case_party ADD COLUMN kind TEXT CHECK (kind IN ('person', 'organisation', 'name'));
ALTER TABLE case_party ADD COLUMN pnr_sealed TEXT;
ALTER TABLE case_party ADD COLUMN pnr_index TEXT;
ALTER TABLE case_party ADD COLUMN orgnr TEXT;
CREATE INDEX case_party_person ON case_party (tenant_id, pnr_index);
