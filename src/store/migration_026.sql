-- Migration 26: the stored name keys made with the new hash of
-- text/namekey.c (awda_namekey_hash: SipHash-2-4 where it was BLAKE2b-64,
-- about eight times slower by bench/keyhash, a tenth of an import's CPU).
-- Every key of the old hash is dropped:
--   person_search_keys (migration 20) are made again in C right after
--   this SQL, in the same transaction (store_search_keys_fill), so the
--   search finds everyone as soon as the server answers;
--   person_dup_keys (migration 21) are made again by a server at start,
--   in the background and resumably (person_dup_backfill, as after
--   migrations 21 and 24): until the backfill has passed a person, the
--   duplicates query does not propose them.
DROP TABLE person_search_keys;
CREATE TABLE person_search_keys (
  key INTEGER NOT NULL,
  person_pk INTEGER NOT NULL REFERENCES persons(pk) ON DELETE CASCADE,
  PRIMARY KEY (key, person_pk)
) WITHOUT ROWID;
CREATE INDEX person_search_keys_person ON person_search_keys(person_pk);
DROP TABLE person_dup_keys;
CREATE TABLE person_dup_keys (
  key INTEGER NOT NULL,
  person_pk INTEGER NOT NULL REFERENCES persons(pk) ON DELETE CASCADE,
  PRIMARY KEY (key, person_pk)
) WITHOUT ROWID;
CREATE INDEX person_dup_keys_person ON person_dup_keys(person_pk);
UPDATE person_dup_backfill SET next_pk = 1, upto_pk = (SELECT coalesce(max(pk), 0) FROM persons);
