-- Migration 21 (the duplicates module; numbered here after migration 19
-- while migration 20 is not on this branch): the blocking keys that find
-- the possible duplicates of a person (issue 13), store/duplicates.c.
--
-- person_dup_keys: one row per (key, person). A key is the 64-bit hash
-- (text/namekey.h) of two different word skeletons of the person's names
-- (kind 'P', the pair in order; also each pair with one letter deleted
-- from one of its words, so one typo per word still meets), of such a
-- pair with the year of birth (kind 'Y', selective for common names), or
-- of the one skeleton of a one-word name (kind 'W'). Written beside the
-- name keys when a person is written (store/persons.c), removed when
-- retention anonymises the person (store/retention.c).
CREATE TABLE person_dup_keys (
  key INTEGER NOT NULL,
  person_pk INTEGER NOT NULL REFERENCES persons(pk) ON DELETE CASCADE,
  PRIMARY KEY (key, person_pk)
) WITHOUT ROWID;
CREATE INDEX person_dup_keys_person ON person_dup_keys(person_pk);
-- The keys of the persons written before this migration cannot be made
-- in SQL (ICU): a server computes them at start, in batches, from
-- next_pk up to upto_pk (the persons there when the migration ran; later
-- ones get theirs when written). One row; done when next_pk > upto_pk.
CREATE TABLE person_dup_backfill (
  one INTEGER PRIMARY KEY CHECK (one = 1),
  next_pk INTEGER NOT NULL,
  upto_pk INTEGER NOT NULL
);
INSERT INTO person_dup_backfill(one, next_pk, upto_pk)
  SELECT 1, 1, coalesce(max(pk), 0) FROM persons;
