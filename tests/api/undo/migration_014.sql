-- The undo of migration_014.sql: office names in Arabic and French
ALTER TABLE offices DROP COLUMN name_ar;
ALTER TABLE offices DROP COLUMN name_fr;
