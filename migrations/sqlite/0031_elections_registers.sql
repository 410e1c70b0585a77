-- Election registers: photos of premises, and the staging area of file imports (persons and
-- premises from CSV/Excel, districts and polling places from Valmyndigheten's open data) with
-- every parsed row and its problems until the office imports or discards the file.

CREATE TABLE el_premises_photo (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    id BLOB NOT NULL,
    premises_id BLOB NOT NULL,
    -- What the photo shows; it is the image's alternative text.
    caption TEXT NOT NULL,
    mime TEXT NOT NULL,
    content BLOB NOT NULL,
    created_by BLOB,
    created_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, premises_id) REFERENCES el_premises (tenant_id, id)
);
CREATE INDEX el_premises_photo_premises ON el_premises_photo (tenant_id, premises_id);

CREATE TABLE el_import (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    id BLOB NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('persons', 'premises', 'vallokaler', 'rostningslokaler')),
    -- The election a structure import goes into.
    election_id BLOB,
    filename TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('preview', 'imported', 'discarded')),
    -- Rows of other municipalities in a Valmyndigheten file (skipped, not errors).
    other_kommun INTEGER NOT NULL DEFAULT 0,
    created INTEGER NOT NULL DEFAULT 0,
    updated INTEGER NOT NULL DEFAULT 0,
    -- Rows left out because they had problems.
    skipped INTEGER NOT NULL DEFAULT 0,
    created_by BLOB,
    created_at TEXT NOT NULL,
    finished_at TEXT,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, election_id) REFERENCES el_election (tenant_id, id)
);

CREATE TABLE el_import_row (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    import_id BLOB NOT NULL,
    row_no INTEGER NOT NULL,
    -- The row's values by field key (JSON object of strings).
    data TEXT NOT NULL,
    -- Its problems: JSON array of {"field": …, "message": message id}.
    problems TEXT NOT NULL,
    -- 'create' or 'update' what is in the register or election.
    action TEXT NOT NULL CHECK (action IN ('create', 'update')),
    PRIMARY KEY (tenant_id, import_id, row_no),
    FOREIGN KEY (tenant_id, import_id) REFERENCES el_import (tenant_id, id)
);
