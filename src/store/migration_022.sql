-- Migration 22 (the merge room, issue 13): a person merged
-- into another, and the record of each merge that lets it be undone.
--
-- persons.merged_into_pk  the person this one was merged into (NULL: an
--   active person). The row stays, so that an id in an old link, an
--   export or an event still resolves (to the kept person); a merged
--   person holds no case, record or key any more: every row that named it
--   names the kept person.
-- person_merges  one row per merge: who was kept, who was merged, the pair
--   it decided (pair_a < pair_b as in duplicate_pairs), who and when, and
--   once undone who and when.
-- person_merge_rows  exactly the rows the merge changed, in order: the
--   table and its column that named the merged person, and the row's key
--   (JSON: {"rowid": n} for a table with a rowid, else the values of its
--   primary key columns other than that column). action moved: the row
--   now names the kept person; dropped: a row that was nothing but its key
--   and that the kept person already had (a name key, a participant of
--   the same activity) was deleted. Undo walks them backwards.
ALTER TABLE persons ADD COLUMN merged_into_pk INTEGER REFERENCES persons(pk);
CREATE INDEX persons_merged_into ON persons(merged_into_pk) WHERE merged_into_pk IS NOT NULL;
CREATE TABLE person_merges (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  kept_pk INTEGER NOT NULL REFERENCES persons(pk),
  merged_pk INTEGER NOT NULL REFERENCES persons(pk),
  pair_a INTEGER NOT NULL,
  pair_b INTEGER NOT NULL,
  rows_moved INTEGER NOT NULL,
  rows_dropped INTEGER NOT NULL,
  merged_by_pk INTEGER REFERENCES users(pk),
  merged_at INTEGER NOT NULL,
  undone_by_pk INTEGER REFERENCES users(pk),
  undone_at INTEGER,
  CHECK (kept_pk <> merged_pk)
);
CREATE INDEX person_merges_pair ON person_merges(pair_a, pair_b);
CREATE INDEX person_merges_merged ON person_merges(merged_pk);
CREATE TABLE person_merge_rows (
  merge_pk INTEGER NOT NULL REFERENCES person_merges(pk),
  seq INTEGER NOT NULL,
  tbl TEXT NOT NULL,
  col TEXT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('moved', 'dropped')),
  row_key TEXT NOT NULL,
  PRIMARY KEY (merge_pk, seq)
) WITHOUT ROWID;
-- Retention anonymises a person through their cases; a merged person is in
-- no case any more, so when the person kept is anonymised, so are the
-- persons merged into them (their own row: names, contact, protection
-- concerns, the day and month of birth), as retention.c does it.
CREATE TRIGGER persons_merged_anonymised AFTER UPDATE OF anonymised_at ON persons
WHEN OLD.anonymised_at IS NULL AND NEW.anonymised_at IS NOT NULL
BEGIN
  UPDATE persons SET name='[anonymised]', name_latin=NULL, contact=NULL,
    protection_vulnerabilities=NULL, date_of_birth=substr(date_of_birth,1,4),
    dob_precision=CASE WHEN date_of_birth IS NULL OR dob_precision='estimated'
      THEN dob_precision ELSE 'year' END,
    anonymised_at=NEW.anonymised_at
  WHERE merged_into_pk=NEW.pk AND anonymised_at IS NULL;
END;
