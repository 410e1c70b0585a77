-- What a form-only applicant (without e-ID) typed: kept on the application and shown to the
-- office as "lämnade i anmälan, inte verifierade"; such an application never changes the
-- register fields of an existing person.
ALTER TABLE el_application ADD COLUMN form_given_name TEXT;
ALTER TABLE el_application ADD COLUMN form_family_name TEXT;
ALTER TABLE el_application ADD COLUMN form_email TEXT;
ALTER TABLE el_application ADD COLUMN form_phone TEXT;
ALTER TABLE el_application ADD COLUMN form_address TEXT;
ALTER TABLE el_application ADD COLUMN form_postal_code TEXT;
ALTER TABLE el_application ADD COLUMN form_city TEXT;

-- The e-mail address a form-only application wrote when it created the person. While the
-- person's e-mail is still this address, no e-mail login link goes to it: only addresses
-- from an e-ID session, the office's register or an import do. An e-ID application clears it.
ALTER TABLE el_person ADD COLUMN unverified_email TEXT;

-- Sessions started with an e-mail link (by the SHA-256 of the session token): the poll
-- worker's pages accept them, the application form does not treat them as e-ID.
CREATE TABLE el_link_session (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    token_hash TEXT NOT NULL,
    person_id UUID NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, token_hash),
    FOREIGN KEY (tenant_id, person_id) REFERENCES el_person (tenant_id, id)
);

ALTER TABLE el_link_session ENABLE ROW LEVEL SECURITY;
ALTER TABLE el_link_session FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON el_link_session
    USING (current_setting('radhus.tenant_id', true) = '*'
           OR tenant_id::text = current_setting('radhus.tenant_id', true));
