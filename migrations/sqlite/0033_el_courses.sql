-- Courses and the poll worker's pages (radhus-elections).

-- A course the office marks completed for a person without a session of the platform, with a
-- note of the evidence (for example Valmyndigheten's e-learning certificate).
CREATE TABLE el_completion (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    election_id BLOB NOT NULL,
    course_id BLOB NOT NULL,
    person_id BLOB NOT NULL,
    note TEXT NOT NULL,
    completed_at TEXT NOT NULL,
    recorded_by BLOB NOT NULL,
    PRIMARY KEY (tenant_id, election_id, course_id, person_id),
    FOREIGN KEY (tenant_id, election_id, course_id) REFERENCES el_course (tenant_id, election_id, id),
    FOREIGN KEY (tenant_id, person_id) REFERENCES el_person (tenant_id, id)
);

-- One-time e-mail links to the poll worker's pages: only the SHA-256 of the token is kept;
-- a link works once and for 30 minutes.
CREATE TABLE el_login_token (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    token_hash TEXT NOT NULL,
    person_id BLOB NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    PRIMARY KEY (tenant_id, token_hash),
    FOREIGN KEY (tenant_id, person_id) REFERENCES el_person (tenant_id, id)
);
