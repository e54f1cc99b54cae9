-- The undo of migration_021.sql: duplicates: the blocking keys
DROP TABLE person_dup_backfill;
DROP TABLE person_dup_keys;
