-- The undo of migration_026.sql: the name keys of the new hash: keys of
-- another hash (each key's bits inverted, as different as BLAKE2b's were),
-- the backfill done
UPDATE person_search_keys SET key = ~key;
UPDATE person_dup_keys SET key = ~key;
UPDATE person_dup_backfill SET next_pk = upto_pk + 1;
