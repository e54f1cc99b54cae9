-- The undo of migration_013.sql
ALTER TABLE persons DROP COLUMN protection_vulnerabilities;
