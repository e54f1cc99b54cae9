-- Migration 19: possible duplicates of a person, and what a reviewer
-- decided about them (issue 13). The same human registered twice — in
-- Arabic script in one office and in French transliteration in another,
-- with a typo, the family name first, a date of birth a year off — is a
-- person assisted twice, a grant paid twice, a child's history split in
-- two. Candidates are found by the duplicates module (store/duplicates.c,
-- app/duplicates.c) and flagged here, never merged silently.
--
-- One row per unordered pair, person_a < person_b (pk order), so a pair is
-- flagged once whichever of the two was registered or imported last.
--   status  open       proposed, waiting for a reviewer
--           not_same   a reviewer said these are two people: the pair is
--                      never proposed again (the duplicates answer and the
--                      flagging both skip it)
--           merged     the two were merged (the merge itself, and its undo,
--                      are kept by the merge module's own tables)
--   score   0..10000 (basis points), as the duplicates answer gives it
--   explanation  JSON, the answer's explanation at the time of flagging
--   source  registration | import | review (where the pair was found)
CREATE TABLE duplicate_pairs (
  person_a INTEGER NOT NULL REFERENCES persons(pk) ON DELETE CASCADE,
  person_b INTEGER NOT NULL REFERENCES persons(pk) ON DELETE CASCADE,
  score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10000),
  explanation TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('registration', 'import', 'review')),
  import_pk INTEGER,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'not_same', 'merged')),
  note TEXT,
  decided_by_pk INTEGER REFERENCES users(pk),
  decided_at INTEGER,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (person_a, person_b),
  CHECK (person_a < person_b)
) WITHOUT ROWID;
CREATE INDEX duplicate_pairs_b ON duplicate_pairs(person_b);
CREATE INDEX duplicate_pairs_queue ON duplicate_pairs(status, score DESC);
