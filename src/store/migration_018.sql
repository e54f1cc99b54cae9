-- Migration 18: the time of each case's arrival kept on the case, so that
-- the reintegration report (store/reintegration_report.c) finds the
-- returns of a project in a period without reading every journey event of
-- the project's cases: the cases of the project are read in key order
-- through cases_project (migration 9) with their arrival on the row. No
-- index of (project, arrived_at): measured, reading in arrival order made
-- the report slower (cases, members and persons then come scattered over
-- the file instead of in key order).
--
-- cases.arrived_at (epoch ms) is the time of the case's newest journey
-- step into `arrived` — the `at` that step said (UTC, as the journey
-- checks it), else when it was recorded — the same arrival the report and
-- the plans overdue have read from case_events. NULL: never arrived.
--
-- Kept in ONE place, this trigger: every step into `arrived` (POST
-- /cases/{id}/transitions arrive or record_arrival, a movement's arrival)
-- appends its `transition` event in the same writer transaction as the
-- stage change, and the trigger runs inside that insert. A later step
-- (reintegrating, monitoring, closed, a reopen) leaves it as it is: the
-- return happened, and the report of a past period keeps counting it; a
-- new arrival after a reopen replaces it, as the newest step did before.
ALTER TABLE cases ADD COLUMN arrived_at INTEGER;
CREATE TRIGGER case_events_arrival AFTER INSERT ON case_events
  WHEN NEW.kind = 'transition' AND NEW.data LIKE '%"arrived"%'
   AND CASE WHEN json_valid(NEW.data) THEN json_extract(NEW.data, '$.to') END = 'arrived'
BEGIN
  UPDATE cases SET arrived_at = coalesce(
    CAST(strftime('%s', CASE WHEN json_type(NEW.data, '$.at') = 'text'
                        THEN replace(json_extract(NEW.data, '$.at'), 'Z', '') END) AS INTEGER) * 1000,
    NEW.at)
  WHERE pk = NEW.case_pk;
END;
UPDATE cases SET arrived_at = (
  SELECT coalesce(
    CAST(strftime('%s', CASE WHEN json_type(e.data, '$.at') = 'text'
                        THEN replace(json_extract(e.data, '$.at'), 'Z', '') END) AS INTEGER) * 1000,
    e.at)
  FROM case_events e
  WHERE e.case_pk = cases.pk AND e.kind = 'transition' AND e.data LIKE '%"arrived"%'
    AND CASE WHEN json_valid(e.data) THEN json_extract(e.data, '$.to') END = 'arrived'
  ORDER BY e.pk DESC LIMIT 1);
