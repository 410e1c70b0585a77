-- Supplementary notices (kompletterande kallelse, radhus-meetings). Every notice of a meeting
-- as issued: version 1 is the notice, 2, 3 … the supplements; each keeps the agenda it froze
-- (JSON), the changes from the version before (JSON: added, withdrawn, changed items) and its
-- PDF/A. `mtg_meeting.notice_snapshot` and `notice_pdf` stay the latest version.
CREATE TABLE mtg_notice (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    meeting_id UUID NOT NULL,
    version INTEGER NOT NULL,
    issued_at TIMESTAMPTZ NOT NULL,
    issued_by UUID NOT NULL,
    snapshot TEXT NOT NULL,
    changes TEXT NOT NULL DEFAULT '[]',
    pdf BYTEA NOT NULL,
    PRIMARY KEY (tenant_id, meeting_id, version),
    FOREIGN KEY (tenant_id, meeting_id) REFERENCES mtg_meeting (tenant_id, id)
);

-- Notices issued before this migration become version 1 (issued by no one recorded: the nil id).
INSERT INTO mtg_notice (tenant_id, meeting_id, version, issued_at, issued_by, snapshot, changes, pdf)
SELECT tenant_id, id, 1, notice_issued_at, '00000000-0000-0000-0000-000000000000', notice_snapshot, '[]', notice_pdf
FROM mtg_meeting WHERE notice_issued_at IS NOT NULL AND notice_snapshot IS NOT NULL AND notice_pdf IS NOT NULL;

DO $$
DECLARE t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['mtg_notice']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (current_setting('radhus.tenant_id', true) = '*'
                   OR tenant_id::text = current_setting('radhus.tenant_id', true))$p$, t);
    END LOOP;
END $$;
