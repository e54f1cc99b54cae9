-- The undo of migration_016.sql: movements
DROP TABLE movement_receptions;
DROP TABLE movement_allowances;
DROP TABLE movement_onward;
DROP TABLE movement_assistance;
DROP TABLE movement_escort_passengers;
DROP TABLE movement_escorts;
DROP TABLE movement_passengers;
DROP TABLE movement_legs;
DROP TABLE movements;
