-- Migration 12: partner organisations are records. Consent to share data
-- (purpose data_sharing), its withdrawal and a referral name the partner
-- by its id, and a partner user's organisation is that id, so that a name
-- typed twice a little differently ("Caritas Mali", "Caritas Mali ",
-- "caritas mali.") can no longer miss: before, a withdrawal that named
-- the partner with a trailing space was accepted and had no effect.
CREATE TABLE partners (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,            -- UUIDv7, what records refer to
  name TEXT NOT NULL,
  country TEXT,                       -- ISO 3166 alpha-3, where it works
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX partners_name ON partners(lower(name));

-- Existing names become partners: every name used by a partner user or by
-- a referral, consent to share or withdrawal, matched without regard to
-- case, to spaces (also no-break and zero-width ones) and to a final full
-- stop around it; the spelling used most often (the first one met when
-- two are used as often: users first, then records in order), without
-- those, names the partner. The records are rewritten to the ids.
CREATE TEMP TABLE m12_names (ord INTEGER NOT NULL, name TEXT);
INSERT INTO m12_names SELECT pk, organisation FROM users WHERE organisation IS NOT NULL;
INSERT INTO m12_names SELECT 1000000000000 + pk, json_extract(data, '$.partner')
  FROM case_records WHERE kind = 'referral';
INSERT INTO m12_names SELECT 1000000000000 + pk, json_extract(data, '$.recipient')
  FROM case_records WHERE kind IN ('consent', 'consent_withdrawal')
  AND json_extract(data, '$.purpose') = 'data_sharing';
CREATE TEMP TABLE m12_map (key TEXT PRIMARY KEY, name TEXT NOT NULL, r TEXT NOT NULL, id TEXT);
INSERT INTO m12_map (key, name, r)
  SELECT k, d, lower(hex(randomblob(10))) FROM (
    SELECT k, d, max(n * 10000000000000 - o) FROM (
      SELECT lower(d) AS k, d, count(*) AS n, min(ord) AS o FROM (
        SELECT trim(name, char(9, 10, 13, 32, 46, 160, 8203, 8206, 8207, 8239, 12288, 65279))
                 AS d, ord
        FROM m12_names WHERE typeof(name) = 'text')
      WHERE d <> '' GROUP BY k, d)
    GROUP BY k);
UPDATE m12_map SET id = (
  SELECT substr(t, 1, 8) || '-' || substr(t, 9, 4) || '-7' || substr(r, 1, 3) || '-' ||
         substr('89ab', unicode(substr(r, 4, 1)) % 4 + 1, 1) || substr(r, 5, 3) || '-' ||
         substr(r, 8, 12)
  FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS t));
INSERT INTO partners (id, name, country, created_at, updated_at)
  SELECT id, name, NULL, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER),
         CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)
  FROM m12_map ORDER BY key;

UPDATE users SET organisation = (
  SELECT id FROM m12_map WHERE key = lower(trim(users.organisation,
    char(9, 10, 13, 32, 46, 160, 8203, 8206, 8207, 8239, 12288, 65279))))
  WHERE organisation IS NOT NULL;
UPDATE case_records SET data = json_set(data, '$.partner', (
  SELECT id FROM m12_map WHERE key = lower(trim(json_extract(case_records.data, '$.partner'),
    char(9, 10, 13, 32, 46, 160, 8203, 8206, 8207, 8239, 12288, 65279)))))
  WHERE kind = 'referral' AND json_type(data, '$.partner') = 'text';
UPDATE case_records SET data = json_set(data, '$.recipient', (
  SELECT id FROM m12_map WHERE key = lower(trim(json_extract(case_records.data, '$.recipient'),
    char(9, 10, 13, 32, 46, 160, 8203, 8206, 8207, 8239, 12288, 65279)))))
  WHERE kind IN ('consent', 'consent_withdrawal')
  AND json_extract(data, '$.purpose') = 'data_sharing'
  AND json_type(data, '$.recipient') = 'text';

-- A withdrawal that missed its consent because of the spelling now meets
-- it: the consent is marked withdrawn, as it would have been.
UPDATE case_records SET data = json_set(data, '$.withdrawn_at',
    strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  WHERE kind = 'consent' AND json_extract(data, '$.purpose') = 'data_sharing'
  AND json_extract(data, '$.withdrawn_at') IS NULL
  AND EXISTS (SELECT 1 FROM case_records w WHERE w.kind = 'consent_withdrawal'
    AND w.person_pk = case_records.person_pk AND w.pk > case_records.pk
    AND json_extract(w.data, '$.purpose') = 'data_sharing'
    AND json_extract(w.data, '$.recipient') = json_extract(case_records.data, '$.recipient'));

DROP TABLE temp.m12_map;
DROP TABLE temp.m12_names;
