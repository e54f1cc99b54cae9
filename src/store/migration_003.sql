-- Migration 3: the audit log. Append-only (triggers refuse UPDATE and
-- DELETE) and hash-chained: each record carries the hash of the one before,
-- so `awda audit verify` finds any record altered, removed or reordered.
CREATE TABLE audit (
  pk INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,                -- epoch milliseconds
  user_pk INTEGER,
  username TEXT,                      -- who (for a failed sign-in: the name tried)
  addr TEXT,                          -- from which address
  method TEXT NOT NULL,
  route TEXT NOT NULL,                -- what: the route pattern (/api/v1/cases/{id})
  entity_id TEXT,                     -- which: the {id} of the route, if any
  status INTEGER NOT NULL,            -- the outcome: HTTP status
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_entity ON audit(entity_id, pk);
CREATE INDEX audit_user ON audit(user_pk, pk);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
