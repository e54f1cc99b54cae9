-- Migration 27: the flagged duplicate pairs (migration 19) and the
-- imported rows (migration 23) kept in the order they are written, each
-- with a narrow unique index on what identified it before.
--
-- Both tables were WITHOUT ROWID, their rows kept in the order of their
-- key: the pair of persons, and the row's SHA-256. The pairs an import or
-- a registration flags are of persons all over the register, and row
-- hashes are random, so every batch written landed on nearly every page
-- of both tables, and each commit wrote those pages again: a pair's row
-- carries its explanation (about 230 bytes), and the two tables were
-- about 0.8 GB of an import of a million rows (bench/RESULTS.md, issue
-- 13, tenth session). Now the rows are appended (a rowid), and only the
-- unique indexes, a few bytes an entry, take the random writes:
--   duplicate_pairs_pair  (person_a, person_b): a pair once, as before
--                         (INSERT OR IGNORE keeps the first);
--   import_rows_row       (row_sha256): a row once, as before.
-- The other indexes and every column are as they were. The rows are
-- copied in the order of their key, as they were stored.
CREATE TABLE duplicate_pairs_27 (
  pk INTEGER PRIMARY KEY,
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
  CHECK (person_a < person_b)
);
INSERT INTO duplicate_pairs_27(person_a, person_b, score, explanation, source, import_pk,
                               status, note, decided_by_pk, decided_at, created_at)
  SELECT person_a, person_b, score, explanation, source, import_pk, status, note,
         decided_by_pk, decided_at, created_at
  FROM duplicate_pairs ORDER BY person_a, person_b;
DROP TABLE duplicate_pairs;
ALTER TABLE duplicate_pairs_27 RENAME TO duplicate_pairs;
CREATE UNIQUE INDEX duplicate_pairs_pair ON duplicate_pairs(person_a, person_b);
CREATE INDEX duplicate_pairs_b ON duplicate_pairs(person_b);
CREATE INDEX duplicate_pairs_queue ON duplicate_pairs(status, score DESC);

CREATE TABLE import_rows_27 (
  pk INTEGER PRIMARY KEY,
  row_sha256 TEXT NOT NULL,
  file_sha256 TEXT NOT NULL,
  sheet TEXT NOT NULL,
  row_number INTEGER NOT NULL,
  import_pk INTEGER NOT NULL REFERENCES imports(pk),
  case_pk INTEGER REFERENCES cases(pk) ON DELETE SET NULL,
  person_pk INTEGER REFERENCES persons(pk) ON DELETE SET NULL
);
INSERT INTO import_rows_27(row_sha256, file_sha256, sheet, row_number, import_pk, case_pk,
                           person_pk)
  SELECT row_sha256, file_sha256, sheet, row_number, import_pk, case_pk, person_pk
  FROM import_rows ORDER BY row_sha256;
DROP TABLE import_rows;
ALTER TABLE import_rows_27 RENAME TO import_rows;
CREATE UNIQUE INDEX import_rows_row ON import_rows(row_sha256);
CREATE INDEX import_rows_file ON import_rows(file_sha256, sheet, row_number);
CREATE INDEX import_rows_import ON import_rows(import_pk);
-- A merge lists each row it moved by its key (person_merge_rows, migration
-- 22): for import_rows that was its row_sha256, and is its rowid now, so
-- that a merge made before this migration can still be undone.
UPDATE person_merge_rows
  SET row_key = json_array((SELECT pk FROM import_rows
                            WHERE row_sha256 = json_extract(person_merge_rows.row_key, '$[0]')))
  WHERE tbl = 'import_rows' AND json_type(row_key, '$[0]') = 'text';
