-- Attendance per item (radhus-meetings, issue 13 item 5): when a member present at the meeting
-- arrived and left, as the agenda item before which it happened (NULL: from the start, to the
-- end), and substitutes the secretary confirmed to serve on one item for a member absent from
-- it or jävig on it.
ALTER TABLE mtg_attendance ADD COLUMN arrived_before BLOB;
ALTER TABLE mtg_attendance ADD COLUMN left_before BLOB;

CREATE TABLE mtg_item_substitute (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    item_id BLOB NOT NULL,
    serving_for BLOB NOT NULL,
    substitute_id BLOB NOT NULL,
    confirmed_by BLOB NOT NULL,
    confirmed_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, item_id, serving_for),
    UNIQUE (tenant_id, item_id, substitute_id),
    FOREIGN KEY (tenant_id, item_id) REFERENCES mtg_item (tenant_id, id),
    FOREIGN KEY (tenant_id, serving_for) REFERENCES mtg_member (tenant_id, id),
    FOREIGN KEY (tenant_id, substitute_id) REFERENCES mtg_member (tenant_id, id)
);
