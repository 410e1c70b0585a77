-- The staffing optimiser's runs: when, by whom, and what it could not fill (with reasons), so
-- the staffing page shows the last run's gaps and the audit trail shows every run.
CREATE TABLE el_run (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    election_id UUID NOT NULL,
    id UUID NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('optimise', 'replan')),
    run_by UUID NOT NULL,
    run_at TIMESTAMPTZ NOT NULL,
    placed INTEGER NOT NULL,
    moved INTEGER NOT NULL,
    distance_m BIGINT NOT NULL,
    wishes_met INTEGER NOT NULL,
    millis BIGINT NOT NULL,
    -- JSON array of {station, shift, role, message}.
    gaps TEXT NOT NULL,
    PRIMARY KEY (tenant_id, election_id, id),
    FOREIGN KEY (tenant_id, election_id) REFERENCES el_election (tenant_id, id)
);
ALTER TABLE el_run ENABLE ROW LEVEL SECURITY;
ALTER TABLE el_run FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON el_run
    USING (current_setting('radhus.tenant_id', true) = '*'
           OR tenant_id::text = current_setting('radhus.tenant_id', true));
