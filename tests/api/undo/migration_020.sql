-- The undo of migration_020.sql: the search keys of persons
DROP TABLE person_search_keys;
