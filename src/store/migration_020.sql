-- Migration 20: the search keys of a person (the search that finds
-- people, src/store/person_search.c). One row per distinct key of a
-- person: the 64-bit hash (text/namekey.c awda_namekey_hash) of
--   'L' a word of a name in lower-case Latin (exact words),
--   'S' a word's consonant skeleton across scripts (namekey.c),
--   'D' a skeleton with one letter deleted (one typo apart),
--   'P' the last 7 digits of the contact phone number.
-- Written beside person_name_keys (store/persons.c), removed with them
-- (store/retention.c). The keys of the persons already stored are
-- computed in C right after this SQL (store_search_keys_fill: ICU).
CREATE TABLE person_search_keys (
  key INTEGER NOT NULL,
  person_pk INTEGER NOT NULL REFERENCES persons(pk) ON DELETE CASCADE,
  PRIMARY KEY (key, person_pk)
) WITHOUT ROWID;
CREATE INDEX person_search_keys_person ON person_search_keys(person_pk);
