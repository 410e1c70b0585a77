-- Supplementary notices (kompletterande kallelse, radhus-meetings). Every notice of a meeting
-- as issued: version 1 is the notice, 2, 3 … the supplements; each keeps the agenda it froze
-- (JSON), the changes from the version before (JSON: added, withdrawn, changed items) and its
-- PDF/A. `mtg_meeting.notice_snapshot` and `notice_pdf` stay the latest version.
CREATE TABLE mtg_notice (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    meeting_id BLOB NOT NULL,
    version INTEGER NOT NULL,
    issued_at TEXT NOT NULL,
    issued_by BLOB NOT NULL,
    snapshot TEXT NOT NULL,
    changes TEXT NOT NULL DEFAULT '[]',
    pdf BLOB NOT NULL,
    PRIMARY KEY (tenant_id, meeting_id, version),
    FOREIGN KEY (tenant_id, meeting_id) REFERENCES mtg_meeting (tenant_id, id)
);

-- Notices issued before this migration become version 1 (issued by no one recorded: the nil id).
INSERT INTO mtg_notice (tenant_id, meeting_id, version, issued_at, issued_by, snapshot, changes, pdf)
SELECT tenant_id, id, 1, notice_issued_at, X'00000000000000000000000000000000', notice_snapshot, '[]', notice_pdf
FROM mtg_meeting WHERE notice_issued_at IS NOT NULL AND notice_snapshot IS NOT NULL AND notice_pdf IS NOT NULL;
