-- The undo of migration_024.sql: the duplicate keys made again: done, as
-- before it
UPDATE person_dup_backfill SET next_pk = upto_pk + 1;
