-- The undo of migration_023.sql: imports
DROP TABLE import_rows;
DROP TABLE import_problems;
DROP TABLE imports;
