-- The undo of migration_022.sql: merge room: persons merged and their merges
DROP TRIGGER persons_merged_anonymised;
DROP TABLE person_merge_rows;
DROP TABLE person_merges;
DROP INDEX persons_merged_into;
ALTER TABLE persons DROP COLUMN merged_into_pk;
