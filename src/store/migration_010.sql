-- Migration 10: indexes for the dashboard — the cases assigned to a user,
-- and the number of cases per stage in an office (counted from the index
-- alone).
CREATE INDEX cases_assigned ON cases(assigned_to_pk, pk) WHERE assigned_to_pk IS NOT NULL;
CREATE INDEX cases_office_stage ON cases(office_pk, stage);
