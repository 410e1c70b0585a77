-- Mina ärenden (issue 12): one read model of every citizen's cases across municipalities,
-- fed by case management's change log (ADR 0021). A row per case and person party, keyed by
-- the blind index of the personal identity number (never the number), holding only what the
-- citizen may see. The key starts with the citizen's index, not the municipality: the one
-- query of the page (a citizen's cases in every municipality) reads one key range, and on
-- Citus the table is distributed by `citizen_index`, so the page never fans out.
CREATE TABLE my_case (
    citizen_index TEXT NOT NULL,
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    case_id BLOB NOT NULL,
    case_number TEXT NOT NULL,
    title TEXT NOT NULL,
    case_type TEXT NOT NULL,
    phase TEXT NOT NULL CHECK (phase IN ('received', 'registered', 'in_progress', 'decided', 'closed')),
    received_at TEXT NOT NULL,
    decided_at TEXT,
    closed_at TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (citizen_index, tenant_id, case_id)
);
CREATE INDEX my_case_by_case ON my_case (tenant_id, case_id);

-- What happened in the case, as the citizen sees it: one step per change event that matters to
-- them (registered, a caseworker assigned, a document came in, the decision sent, closed,
-- reopened), keyed like the cases and by the event's number, so a repeated event adds nothing.
CREATE TABLE my_case_step (
    citizen_index TEXT NOT NULL,
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    case_id BLOB NOT NULL,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL,
    PRIMARY KEY (citizen_index, tenant_id, case_id, seq)
);
CREATE INDEX my_case_step_by_case ON my_case_step (tenant_id, case_id);
