-- Corrections of adjusted minutes (radhus-meetings, issue 13 item 6): once adjusted the minutes
-- are frozen; a correction (rättelse) is a new version of the minutes (2, 3 …; version 1 is the
-- adjusted minutes in mtg_meeting), with who made it, when, the reason, the paragraph's text
-- before and after, and the new PDF/A with its SHA-256. Earlier versions are kept.
CREATE TABLE mtg_minutes_version (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    meeting_id BLOB NOT NULL,
    version INTEGER NOT NULL,
    item_id BLOB NOT NULL,
    field TEXT NOT NULL,
    before_text TEXT NOT NULL,
    after_text TEXT NOT NULL,
    reason TEXT NOT NULL,
    corrected_by BLOB NOT NULL,
    corrected_by_name TEXT NOT NULL,
    corrected_at TEXT NOT NULL,
    pdf BLOB NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (tenant_id, meeting_id, version),
    FOREIGN KEY (tenant_id, meeting_id) REFERENCES mtg_meeting (tenant_id, id),
    FOREIGN KEY (tenant_id, item_id) REFERENCES mtg_item (tenant_id, id)
);
