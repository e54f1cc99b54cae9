-- Migration 8: hand-over — the office in the country of return that
-- receives a case (reception, reintegration). Its staff see the case from
-- the hand-over on, as the host office's staff do.
ALTER TABLE cases ADD COLUMN receiving_office_pk INTEGER REFERENCES offices(pk);
CREATE INDEX cases_receiving ON cases(receiving_office_pk, pk)
  WHERE receiving_office_pk IS NOT NULL;
