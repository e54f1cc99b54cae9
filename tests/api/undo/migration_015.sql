-- The undo of migration_015.sql: pairs of name keys
DROP TABLE person_name_pairs;
