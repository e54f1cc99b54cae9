-- The undo of migration_019.sql: possible duplicates
DROP TABLE duplicate_pairs;
