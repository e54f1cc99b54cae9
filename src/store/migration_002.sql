-- Migration 2: the return journey — planned departure, stage bookkeeping,
-- the append-only records of each case, and country restrictions with
-- their history. Embedded into the binary by store/sqlite.c.
ALTER TABLE cases ADD COLUMN planned_departure TEXT;   -- YYYY-MM-DDTHH:MM[:SS]Z or YYYY-MM-DD
ALTER TABLE cases ADD COLUMN stage_before TEXT;        -- the stage before on_hold or withdrawn
ALTER TABLE cases ADD COLUMN closure_reason TEXT;
CREATE INDEX cases_destination ON cases(destination_country, stage);
CREATE TABLE case_records (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  case_pk INTEGER NOT NULL REFERENCES cases(pk) ON DELETE CASCADE,
  person_pk INTEGER REFERENCES persons(pk),
  kind TEXT NOT NULL,
  data TEXT NOT NULL,                 -- JSON shaped by the kind's field table (core/records.c)
  created_at INTEGER NOT NULL,
  created_by_pk INTEGER REFERENCES users(pk)
);
CREATE INDEX case_records_case ON case_records(case_pk, pk);
CREATE TABLE restrictions (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  country TEXT NOT NULL,
  admin_area TEXT,
  kind TEXT NOT NULL,                 -- suspended | approval_required
  effective_from TEXT NOT NULL,
  effective_until TEXT,
  reason TEXT NOT NULL,
  next_review TEXT NOT NULL,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX restrictions_country ON restrictions(country);
CREATE TABLE restriction_history (
  pk INTEGER PRIMARY KEY,
  restriction_pk INTEGER NOT NULL REFERENCES restrictions(pk),
  at INTEGER NOT NULL,
  user_pk INTEGER REFERENCES users(pk),
  action TEXT NOT NULL,               -- created | updated | reviewed
  data TEXT NOT NULL                  -- the restriction as it became
);
CREATE INDEX restriction_history_of ON restriction_history(restriction_pk, pk);
