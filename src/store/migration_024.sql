-- Migration 24 (the duplicates module): the blocking keys gained each
-- word of a name with the date of birth (kind 'D', store/duplicates.c),
-- which the persons written before do not have. Their keys are made
-- again — every person's, as `awda duplicates reindex` would — by a server
-- at start, in the background and resumably (person_dup_backfill, as
-- after migration 21): until then a query finds them by their other keys.
UPDATE person_dup_backfill SET next_pk = 1, upto_pk = (SELECT coalesce(max(pk), 0) FROM persons);
