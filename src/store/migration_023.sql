-- Migration 23: imports of spreadsheets and KoboToolbox / ODK exports
-- (issue 13; src/app/imports.c, src/store/imports.c).
--
-- imports         one run of `awda import` or POST /api/v1/imports: the
--                 file (its SHA-256 and name), the mapping, the mode, the
--                 office it is scoped to, its status and counts (updated
--                 after each batch, so the progress can be read while it
--                 runs). A dry run is an import too (mode dry_run): it
--                 writes this row and its problems, nothing else.
--   status        queued | running | done | failed | refused
--                 (refused: the file or the mapping could not be read, or
--                 problems blocked an all_or_nothing import)
-- import_problems what stopped a row: the sheet, the row number the user
--                 sees in the file, the column and the awda field, and the
--                 sentence in English (translated when it is shown).
-- import_rows     where each imported person came from: the file's
--                 SHA-256, the sheet and row, and the row's own hash (of
--                 its sheet and cells), which is what makes a re-import
--                 create nothing: a household whose rows' hashes are all
--                 here already is "already imported", from this file or
--                 from an earlier version of it.
CREATE TABLE imports (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  office_pk INTEGER NOT NULL REFERENCES offices(pk),
  user_pk INTEGER REFERENCES users(pk),
  file_name TEXT NOT NULL,
  file_sha256 TEXT NOT NULL,
  format TEXT,
  mapping TEXT NOT NULL,                 -- the mapping as sent (JSON)
  mode TEXT NOT NULL CHECK (mode IN ('dry_run', 'all_or_nothing', 'valid_rows')),
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'refused')),
  detail TEXT,                           -- why it failed or was refused (English)
  rows_total INTEGER NOT NULL DEFAULT 0,
  rows_done INTEGER NOT NULL DEFAULT 0,
  households INTEGER NOT NULL DEFAULT 0,
  cases_created INTEGER NOT NULL DEFAULT 0,
  persons_created INTEGER NOT NULL DEFAULT 0,
  already_imported INTEGER NOT NULL DEFAULT 0, -- households skipped: already here
  skipped INTEGER NOT NULL DEFAULT 0,          -- households skipped for a problem
  problems INTEGER NOT NULL DEFAULT 0,         -- problems found (at most some are kept)
  duplicates_flagged INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  started_at INTEGER,
  finished_at INTEGER
);
CREATE INDEX imports_office ON imports(office_pk, pk DESC);

CREATE TABLE import_problems (
  import_pk INTEGER NOT NULL REFERENCES imports(pk) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  sheet TEXT NOT NULL,
  row_number INTEGER NOT NULL,           -- as the user sees it in the file (0: the file)
  column_name TEXT,
  field TEXT,
  message TEXT NOT NULL,
  PRIMARY KEY (import_pk, seq)
) WITHOUT ROWID;

CREATE TABLE import_rows (
  row_sha256 TEXT NOT NULL,
  file_sha256 TEXT NOT NULL,
  sheet TEXT NOT NULL,
  row_number INTEGER NOT NULL,
  import_pk INTEGER NOT NULL REFERENCES imports(pk),
  case_pk INTEGER REFERENCES cases(pk) ON DELETE SET NULL,
  person_pk INTEGER REFERENCES persons(pk) ON DELETE SET NULL,
  PRIMARY KEY (row_sha256)
) WITHOUT ROWID;
CREATE INDEX import_rows_file ON import_rows(file_sha256, sheet, row_number);
CREATE INDEX import_rows_import ON import_rows(import_pk);
