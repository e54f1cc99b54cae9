-- The undo of migration_012.sql: addresses users signed in from
DROP TABLE sign_in_addresses;
