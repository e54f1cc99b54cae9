-- The undo of migration_029.sql: nothing to put back (the concerns it
-- removed are gone, as retention wants); the schema is the same.
SELECT 1;
