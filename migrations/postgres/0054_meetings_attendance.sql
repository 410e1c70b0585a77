-- Attendance per item (radhus-meetings, issue 13 item 5): when a member present at the meeting
-- arrived and left, as the agenda item before which it happened (NULL: from the start, to the
-- end), and substitutes the secretary confirmed to serve on one item for a member absent from
-- it or jävig on it.
ALTER TABLE mtg_attendance ADD COLUMN arrived_before UUID;
ALTER TABLE mtg_attendance ADD COLUMN left_before UUID;

CREATE TABLE mtg_item_substitute (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    item_id UUID NOT NULL,
    serving_for UUID NOT NULL,
    substitute_id UUID NOT NULL,
    confirmed_by UUID NOT NULL,
    confirmed_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, item_id, serving_for),
    UNIQUE (tenant_id, item_id, substitute_id),
    FOREIGN KEY (tenant_id, item_id) REFERENCES mtg_item (tenant_id, id),
    FOREIGN KEY (tenant_id, serving_for) REFERENCES mtg_member (tenant_id, id),
    FOREIGN KEY (tenant_id, substitute_id) REFERENCES mtg_member (tenant_id, id)
);

DO $$
DECLARE t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['mtg_item_substitute']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (current_setting('radhus.tenant_id', true) = '*'
                   OR tenant_id::text = current_setting('radhus.tenant_id', true))$p$, t);
    END LOOP;
END $$;
