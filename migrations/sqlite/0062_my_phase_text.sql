-- Mina ärenden (issue 12 item 1): each case type maps the citizen-facing phases to its own
-- words. Per municipality, case type and phase: whether the citizen is told when the case
-- reaches it (e-mail/SMS by their settings), the text that explains it, and what the citizen is
-- expected to do (the call to action), in Swedish and English. No row: the platform's words,
-- and the citizen is told.
CREATE TABLE my_phase_text (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    case_type_id BLOB NOT NULL,
    phase TEXT NOT NULL CHECK (phase IN ('received', 'registered', 'in_progress', 'decided', 'closed')),
    inform INTEGER NOT NULL,
    text_sv TEXT NOT NULL DEFAULT '',
    text_en TEXT NOT NULL DEFAULT '',
    action_sv TEXT NOT NULL DEFAULT '',
    action_en TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, case_type_id, phase),
    FOREIGN KEY (tenant_id, case_type_id) REFERENCES case_type (tenant_id, id)
);

-- The case's type, to find its texts (from case.opened; cases from before have none).
ALTER TABLE my_case ADD COLUMN case_type_id BLOB;

