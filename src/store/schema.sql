-- Migration 1: the registry. Embedded into the binary by store/sqlite.c at build time.
-- Integer primary keys (pk) are internal; public ids are UUIDv7 text.
CREATE TABLE offices (
  pk INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,          -- e.g. EG-CAI
  name TEXT NOT NULL,
  country TEXT NOT NULL,              -- ISO 3166 alpha-3
  location TEXT,
  created_at INTEGER NOT NULL
);
CREATE TABLE users (
  pk INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  full_name TEXT,
  pwhash TEXT NOT NULL,
  roles TEXT NOT NULL,                -- comma-separated role names
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  pw_changed_at INTEGER NOT NULL
);
CREATE TABLE user_offices (
  user_pk INTEGER NOT NULL REFERENCES users(pk) ON DELETE CASCADE,
  office_pk INTEGER NOT NULL REFERENCES offices(pk),
  PRIMARY KEY (user_pk, office_pk)
) WITHOUT ROWID;
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,        -- BLAKE2b of the token; the token itself is never stored
  user_pk INTEGER NOT NULL REFERENCES users(pk) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE persons (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,                 -- as written, any script
  name_latin TEXT,                    -- Latin script
  sex TEXT NOT NULL,
  date_of_birth TEXT,                 -- YYYY-MM-DD / YYYY-MM / YYYY
  dob_precision TEXT NOT NULL,
  nationality TEXT NOT NULL,
  languages TEXT,                     -- JSON array of ISO 639 codes
  contact TEXT,                       -- JSON object
  vulnerabilities TEXT,               -- JSON array of flags
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE person_documents (
  pk INTEGER PRIMARY KEY,
  person_pk INTEGER NOT NULL REFERENCES persons(pk) ON DELETE CASCADE,
  type TEXT NOT NULL,
  number TEXT NOT NULL,
  issuing_country TEXT,
  expiry TEXT
);
CREATE INDEX person_documents_person ON person_documents(person_pk);
CREATE TABLE person_name_keys (
  key TEXT NOT NULL,
  person_pk INTEGER NOT NULL REFERENCES persons(pk) ON DELETE CASCADE,
  PRIMARY KEY (key, person_pk)
) WITHOUT ROWID;
CREATE INDEX person_name_keys_person ON person_name_keys(person_pk);
CREATE TABLE cases (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  number TEXT NOT NULL UNIQUE,        -- EG-CAI-2026-000123
  office_pk INTEGER NOT NULL REFERENCES offices(pk),
  origin_country TEXT NOT NULL,
  destination_country TEXT NOT NULL,
  destination_admin_area TEXT,
  destination_pcode TEXT,
  project TEXT,
  assigned_to_pk INTEGER REFERENCES users(pk),
  stage TEXT NOT NULL,
  version INTEGER NOT NULL,
  notes TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  created_by_pk INTEGER REFERENCES users(pk)
);
CREATE INDEX cases_office ON cases(office_pk, pk);
CREATE INDEX cases_stage ON cases(stage, pk);
CREATE TABLE case_members (
  case_pk INTEGER NOT NULL REFERENCES cases(pk) ON DELETE CASCADE,
  person_pk INTEGER NOT NULL REFERENCES persons(pk),
  relationship TEXT NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (case_pk, person_pk)
) WITHOUT ROWID;
CREATE INDEX case_members_person ON case_members(person_pk);
CREATE TABLE case_events (
  pk INTEGER PRIMARY KEY,
  case_pk INTEGER NOT NULL REFERENCES cases(pk) ON DELETE CASCADE,
  at INTEGER NOT NULL,
  user_pk INTEGER REFERENCES users(pk),
  kind TEXT NOT NULL,
  data TEXT NOT NULL                  -- JSON: what changed
);
CREATE INDEX case_events_case ON case_events(case_pk, pk);
CREATE TABLE office_counters (
  office_pk INTEGER NOT NULL,
  year INTEGER NOT NULL,
  next INTEGER NOT NULL,
  PRIMARY KEY (office_pk, year)
) WITHOUT ROWID;
CREATE TABLE idempotency (
  user_pk INTEGER NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status INTEGER NOT NULL,
  body TEXT NOT NULL,
  location TEXT,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (user_pk, key)
) WITHOUT ROWID;
