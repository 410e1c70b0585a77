-- The staffing optimiser's runs: when, by whom, and what it could not fill (with reasons), so
-- the staffing page shows the last run's gaps and the audit trail shows every run.
CREATE TABLE el_run (
    tenant_id BLOB NOT NULL REFERENCES tenant (id),
    election_id BLOB NOT NULL,
    id BLOB NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('optimise', 'replan')),
    run_by BLOB NOT NULL,
    run_at TEXT NOT NULL,
    placed INTEGER NOT NULL,
    moved INTEGER NOT NULL,
    distance_m INTEGER NOT NULL,
    wishes_met INTEGER NOT NULL,
    millis INTEGER NOT NULL,
    -- JSON array of {station, shift, role, message}.
    gaps TEXT NOT NULL,
    PRIMARY KEY (tenant_id, election_id, id),
    FOREIGN KEY (tenant_id, election_id) REFERENCES el_election (tenant_id, id)
);
