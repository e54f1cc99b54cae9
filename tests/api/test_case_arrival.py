"""The time of each case's arrival kept on the case (migration 18:
cases.arrived_at, kept by the trigger case_events_arrival, read by the
reintegration report): the newest step into `arrived` — the `at` it said,
else when it was recorded; NULL for a case that never arrived; kept when
the case moves on or is closed, replaced by a new arrival after a reopen.
For a database of the schema before it, the migration fills it from the
journey's events with the same values the trigger wrote."""
import datetime
import json
import sqlite3

from harness import test, shared, downgrade, migration_version, main
from journey_util import Journey, adult, dt, utcnow

OFFICE = "ML-BKO"

NEWEST_ARRIVALS = (
    "SELECT e.case_pk, e.at, e.data FROM case_events e WHERE e.kind='transition' AND "
    "json_extract(e.data,'$.to')='arrived' AND e.pk=(SELECT max(e2.pk) FROM case_events e2 "
    "WHERE e2.case_pk=e.case_pk AND e2.kind='transition' AND "
    "json_extract(e2.data,'$.to')='arrived')")


def _ms(at):
    """Epoch ms of a time the journey takes: YYYY-MM-DD[THH:MM[:SS]][Z]."""
    at = at[:-1] if at.endswith("Z") else at
    for shape in ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S",
                  "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            d = datetime.datetime.strptime(at, shape)
        except ValueError:
            continue
        return int(d.replace(tzinfo=datetime.timezone.utc).timestamp()) * 1000
    raise AssertionError("not a time the journey takes: %r" % at)


def _step(j, event, **body):
    st, _, data = j.req("POST", "/transitions", dict(event=event, **body),
                        token=j.tok("manager"))
    assert st == 200, (event, st, data)
    return data


def _ago(days):
    return dt(utcnow() - datetime.timedelta(days=days))


def _arrived_at(db, case_ids):
    return {i: db.execute("SELECT arrived_at FROM cases WHERE id=?", (i,)).fetchone()[0]
            for i in case_ids}


def _from_events(db):
    """Every case's arrival computed here from the events: {case_pk: ms}."""
    out = {}
    for pk, at, data in db.execute(NEWEST_ARRIVALS):
        said = json.loads(data).get("at")
        out[pk] = _ms(said) if said else at
    return out


@test
def the_arrival_is_kept_on_the_case_and_made_for_a_database_of_the_previous_schema():
    version = migration_version("CREATE TRIGGER case_events_arrival")
    with_at = Journey([adult()], office=OFFICE, destination="MLI")
    at_a = _ago(40)
    _step(with_at, "record_arrival", at=at_a)
    _step(with_at, "start_reintegration")  # moving on keeps it
    without_at = Journey([adult()], office=OFFICE, destination="MLI")
    before = int(utcnow().timestamp()) * 1000 - 60000
    _step(without_at, "record_arrival")
    never = Journey([adult()], office=OFFICE, destination="MLI")
    again = Journey([adult()], office=OFFICE, destination="MLI")
    at_c = _ago(30)
    _step(again, "record_arrival", at=at_c)
    _step(again, "close", reason="left_the_area")  # closing keeps it
    db = sqlite3.connect(shared().db, timeout=30)  # read beside the running server
    try:
        closed = _arrived_at(db, [again.id])
    finally:
        db.close()
    assert closed[again.id] == _ms(at_c), closed
    _step(again, "reopen", reason="came back to the office")
    at_b = _ago(2)
    _step(again, "record_arrival", at=at_b)  # a new arrival replaces it
    ids = [with_at.id, without_at.id, never.id, again.id]

    srv = shared()
    srv.stop()
    try:
        db = sqlite3.connect(srv.db, timeout=30)
        try:
            kept = _arrived_at(db, ids)
            assert kept[with_at.id] == _ms(at_a), kept
            assert before <= kept[without_at.id] <= int(utcnow().timestamp()) * 1000 + 120000, kept
            assert kept[never.id] is None, kept
            assert kept[again.id] == _ms(at_b), kept
            expected = _from_events(db)
            written = dict(db.execute("SELECT pk, arrived_at FROM cases WHERE arrived_at IS NOT "
                                      "NULL"))
            assert written == expected, (len(written), len(expected))
            downgrade(db, version - 1)
            db.commit()
            assert "arrived_at" not in [r[1] for r in db.execute("PRAGMA table_info(cases)")]
        finally:
            db.close()
    finally:
        srv.start()  # serve migrates
    srv.stop()
    try:
        db = sqlite3.connect(srv.db, timeout=30)
        try:
            assert db.execute("PRAGMA user_version").fetchone()[0] >= version
            assert _arrived_at(db, ids) == kept
            backfilled = dict(db.execute("SELECT pk, arrived_at FROM cases WHERE arrived_at IS "
                                         "NOT NULL"))
            assert backfilled == expected, (len(backfilled), len(expected))
        finally:
            db.close()
    finally:
        srv.start()


if __name__ == "__main__":
    main()
