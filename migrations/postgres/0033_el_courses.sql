-- Courses and the poll worker's pages (radhus-elections).

-- A course the office marks completed for a person without a session of the platform, with a
-- note of the evidence (for example Valmyndigheten's e-learning certificate).
CREATE TABLE el_completion (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    election_id UUID NOT NULL,
    course_id UUID NOT NULL,
    person_id UUID NOT NULL,
    note TEXT NOT NULL,
    completed_at TIMESTAMPTZ NOT NULL,
    recorded_by UUID NOT NULL,
    PRIMARY KEY (tenant_id, election_id, course_id, person_id),
    FOREIGN KEY (tenant_id, election_id, course_id) REFERENCES el_course (tenant_id, election_id, id),
    FOREIGN KEY (tenant_id, person_id) REFERENCES el_person (tenant_id, id)
);

-- One-time e-mail links to the poll worker's pages: only the SHA-256 of the token is kept;
-- a link works once and for 30 minutes.
CREATE TABLE el_login_token (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    token_hash TEXT NOT NULL,
    person_id UUID NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ,
    PRIMARY KEY (tenant_id, token_hash),
    FOREIGN KEY (tenant_id, person_id) REFERENCES el_person (tenant_id, id)
);

DO $$
DECLARE t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['el_completion', 'el_login_token']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (current_setting('radhus.tenant_id', true) = '*'
                   OR tenant_id::text = current_setting('radhus.tenant_id', true))$p$, t);
    END LOOP;
END $$;
