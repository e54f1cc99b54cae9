-- Migration 15: pairs of a person's name keys, so that a search of two
-- words is one range scan, however common each word is alone. Every
-- ordered pair of two different keys of the same person (from
-- person_name_keys: both names, every word and every joined word), so
-- that the pairs find exactly the persons the keys find. Written beside
-- the keys (store/persons.c) and removed with them (store/retention.c).
CREATE TABLE person_name_pairs (
  k1 TEXT NOT NULL,
  k2 TEXT NOT NULL,
  person_pk INTEGER NOT NULL REFERENCES persons(pk) ON DELETE CASCADE,
  PRIMARY KEY (k1, k2, person_pk)
) WITHOUT ROWID;
CREATE INDEX person_name_pairs_person ON person_name_pairs(person_pk);
INSERT OR IGNORE INTO person_name_pairs(k1, k2, person_pk)
  SELECT a.key, b.key, a.person_pk FROM person_name_keys a
  JOIN person_name_keys b ON b.person_pk = a.person_pk AND b.key <> a.key;
