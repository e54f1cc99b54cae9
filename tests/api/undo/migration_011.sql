-- The undo of migration_011.sql: partner organisations as records
DROP TABLE partners;
