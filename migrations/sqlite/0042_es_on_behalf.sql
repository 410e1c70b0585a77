-- E-services (issue 11 item 5): acting on behalf of someone. Whom a draft's application
-- concerns, as the citizen chose it on "Vem gäller ansökan?": themselves (`self`), a child
-- in their custody (`child`, checked against the population register) or a company or
-- organisation (`organisation`, with the citizen's declaration that they are its signatory).
-- The subject's number and name are sealed (`pii::seal_text`, JSON). One row per draft;
-- it follows the draft to a newer revision, stays with it when it is submitted (the
-- submission names its draft) and then holds the submission and the mandate as it stood
-- then (`self`, `custody` from the register at the moment of submission, `declared
-- signatory`). A draft removed by the retention job takes its row along.
CREATE TABLE es_on_behalf (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    draft_id BLOB NOT NULL,
    service_key TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('self', 'child', 'organisation')),
    subject_sealed TEXT NOT NULL,
    chosen_at TEXT NOT NULL,
    submission_id BLOB,
    mandate TEXT CHECK (mandate IN ('self', 'custody', 'declared signatory')),
    PRIMARY KEY (tenant_id, draft_id),
    UNIQUE (tenant_id, submission_id),
    FOREIGN KEY (tenant_id, service_key) REFERENCES es_adoption (tenant_id, service_key)
);
