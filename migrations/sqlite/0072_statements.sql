-- A municipality's own statements (issue 18 item 8): its accessibility statement
-- (tillgänglighetsredogörelse, required by DOS-lagen) and its privacy notice, linked from the
-- footer of every page. Without a row the site shows a default built from the municipality's
-- data; a row is the municipality administrator's own text.
CREATE TABLE site_statement (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    kind TEXT NOT NULL CHECK (kind IN ('accessibility', 'privacy')),
    body TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, kind)
);
