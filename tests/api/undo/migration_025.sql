-- The undo of migration_025.sql: the pairs of name keys kept once, smaller
-- key first
INSERT OR IGNORE INTO person_name_pairs(k1, k2, person_pk) SELECT k2, k1, person_pk FROM person_name_pairs;
