-- The undo of migration_018.sql: the arrival on the case
DROP TRIGGER case_events_arrival;
ALTER TABLE cases DROP COLUMN arrived_at;
