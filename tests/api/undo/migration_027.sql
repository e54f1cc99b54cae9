-- The undo of migration_027.sql: the duplicate pairs and imported rows in
-- the order they are written: both tables in the order of their key again,
-- as migrations 19 and 23 made them
UPDATE person_merge_rows SET row_key = json_array((SELECT row_sha256 FROM import_rows WHERE pk = json_extract(person_merge_rows.row_key, '$[0]'))) WHERE tbl = 'import_rows';
CREATE TABLE duplicate_pairs_26 ( person_a INTEGER NOT NULL REFERENCES persons(pk) ON DELETE CASCADE, person_b INTEGER NOT NULL REFERENCES persons(pk) ON DELETE CASCADE, score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10000), explanation TEXT NOT NULL, source TEXT NOT NULL CHECK (source IN ('registration', 'import', 'review')), import_pk INTEGER, status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'not_same', 'merged')), note TEXT, decided_by_pk INTEGER REFERENCES users(pk), decided_at INTEGER, created_at INTEGER NOT NULL, PRIMARY KEY (person_a, person_b), CHECK (person_a < person_b)) WITHOUT ROWID;
INSERT INTO duplicate_pairs_26 SELECT person_a, person_b, score, explanation, source, import_pk, status, note, decided_by_pk, decided_at, created_at FROM duplicate_pairs;
DROP TABLE duplicate_pairs;
ALTER TABLE duplicate_pairs_26 RENAME TO duplicate_pairs;
CREATE INDEX duplicate_pairs_b ON duplicate_pairs(person_b);
CREATE INDEX duplicate_pairs_queue ON duplicate_pairs(status, score DESC);
CREATE TABLE import_rows_26 (row_sha256 TEXT NOT NULL, file_sha256 TEXT NOT NULL, sheet TEXT NOT NULL, row_number INTEGER NOT NULL, import_pk INTEGER NOT NULL REFERENCES imports(pk), case_pk INTEGER REFERENCES cases(pk) ON DELETE SET NULL, person_pk INTEGER REFERENCES persons(pk) ON DELETE SET NULL, PRIMARY KEY (row_sha256)) WITHOUT ROWID;
INSERT INTO import_rows_26 SELECT row_sha256, file_sha256, sheet, row_number, import_pk, case_pk, person_pk FROM import_rows;
DROP TABLE import_rows;
ALTER TABLE import_rows_26 RENAME TO import_rows;
CREATE INDEX import_rows_file ON import_rows(file_sha256, sheet, row_number);
CREATE INDEX import_rows_import ON import_rows(import_pk);
