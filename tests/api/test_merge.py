"""The review queue, merge and undo (src/app/merges.c, src/store/merges.c):
the queue shows a pair to a reviewer who sees one of its persons (the
other by office and case number only); "not the same" is final for the
pair; a merge moves every row that named the merged person to the kept
one and lists them, and its undo puts every one back — the database's
person-referencing tables and the case timelines are compared row for row
before and after; permissions, scope, audit, two merges at once.

The pairs are written straight into duplicate_pairs (migration 19), as the
duplicates module writes them, so that these tests need nothing but that
schema."""
import json
import sqlite3
import threading
import time

from harness import (test, shared, assert_problem, main, person, case_body,
                     create_case, uniq_name, Server, migration_version, downgrade,
                     audit_db)
from journey_util import staff, consent_body
from test_duplicates import word, dups

Q = "/api/v1/duplicates"


def db():
    return sqlite3.connect(shared().db, timeout=30)


def people_staff(office="EG-CAI"):
    """{role: token} made once per server: registration and a manager of
    office (manager scoped by office: a project keeps them out of the
    other offices), a registration user of DZ-TAM, a donor."""
    srv = shared()
    cache = getattr(srv, "_merge_staff", None)
    if cache is None:
        cache = srv._merge_staff = {
            "reg": srv.make_user(["registration"], ["EG-CAI"])[1],
            "reg_tam": srv.make_user(["registration"], ["DZ-TAM"])[1],
            "manager": srv.make_user(["manager"], ["EG-CAI"])[1],
            "donor": srv.make_user(["donor"], ["EG-CAI"])[1],
        }
    return cache


def two_registrations(office_b="DZ-TAM", **pb):
    """One human registered twice: in Latin script in EG-CAI, in Arabic
    script with the family name first in office_b (random names, so that
    no other test's persons are near). The persons' ids, the cases."""
    first, first_ar = word()
    fam, fam_ar = word()
    ca = create_case(case_body(members=[{"relationship": "principal", "person": person(
        name="%s %s" % (first, fam), name_latin=None, date_of_birth="1988-04-09")}]))
    cb = create_case(case_body(office=office_b, members=[{"relationship": "principal",
                                                          "person": person(
        name="%s %s" % (fam_ar, first_ar), name_latin=None, date_of_birth="1988-04-09",
        **pb)}]))
    return ca["members"][0]["person_id"], cb["members"][0]["person_id"], ca, cb


def flag(pid_a, pid_b, wait=5.0):
    """The id of the pair: flagged by the duplicates module when the second
    was registered (waited for), else written here as it writes it."""
    con = db()
    try:
        a = con.execute("SELECT pk FROM persons WHERE id=?", (pid_a,)).fetchone()[0]
        b = con.execute("SELECT pk FROM persons WHERE id=?", (pid_b,)).fetchone()[0]
        lo, hi = (a, b) if a < b else (b, a)
        end = time.time() + wait
        while time.time() < end and not con.execute(
                "SELECT 1 FROM duplicate_pairs WHERE person_a=? AND person_b=?",
                (lo, hi)).fetchone():
            time.sleep(0.1)
        con.execute("INSERT OR IGNORE INTO duplicate_pairs(person_a,person_b,score,explanation,"
                    "source,created_at) VALUES(?,?,?,?,?,?)",
                    (lo, hi, 8000, json.dumps({"names": []}), "registration",
                     int(time.time() * 1000)))
        con.commit()
        ids = dict(con.execute("SELECT pk,id FROM persons WHERE pk IN (?,?)", (a, b)))
        return "%s.%s" % (ids[lo], ids[hi])
    finally:
        con.close()


def pair_row(pair):
    """(score, source, status) of the pair in the database."""
    con = db()
    try:
        x, y = pair.split(".")
        return con.execute(
            "SELECT score,source,status FROM duplicate_pairs WHERE person_a=(SELECT pk FROM "
            "persons WHERE id=?) AND person_b=(SELECT pk FROM persons WHERE id=?)",
            (x, y)).fetchone()
    finally:
        con.close()


def person_tables(con):
    """(table, column) of every column that references persons."""
    out = []
    for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'"):
        for fk in con.execute("PRAGMA foreign_key_list('%s')" % t):
            if fk[2] == "persons" and t not in ("persons", "person_merges",
                                                "duplicate_pairs"):
                out.append((t, fk[3]))
    return out


def snapshot():
    """Every row of every person-referencing table, of the case timelines
    and of the persons (sorted lists of tuples), for an exact comparison."""
    con = db()
    try:
        snap = {}
        for t, _ in person_tables(con) + [("case_events", None), ("persons", None),
                                          ("case_records", None)]:
            snap[t] = sorted(tuple(map(repr, r)) for r in
                             con.execute("SELECT * FROM \"%s\"" % t))
        return snap
    finally:
        con.close()


def pk_of(pid):
    con = db()
    try:
        return con.execute("SELECT pk FROM persons WHERE id=?", (pid,)).fetchone()[0]
    finally:
        con.close()


def rows_naming(pk):
    """{table: rows naming person pk} over the person-referencing tables."""
    con = db()
    try:
        out = {}
        for t, col in person_tables(con):
            if t == "duplicate_pairs":
                continue
            n = con.execute("SELECT count(*) FROM \"%s\" WHERE \"%s\"=?" % (t, col),
                            (pk,)).fetchone()[0]
            if n:
                out[t] = out.get(t, 0) + n
        return out
    finally:
        con.close()


def queue(tok, status="open", limit=200):
    """Every item of the queue, page after page."""
    items, cursor = [], None
    for _ in range(1000):
        q = Q + "?status=%s&limit=%d" % (status, limit) + ("&cursor=" + cursor if cursor else "")
        st, _, d = shared().request("GET", q, token=tok)
        assert st == 200, (st, d)
        items += d["items"]
        cursor = d.get("next_cursor")
        if not cursor:
            return items
    raise AssertionError("the queue's pages do not end")


def in_queue(tok, pair, status="open"):
    return [i for i in queue(tok, status) if i["id"] == pair]


def manager():
    """A manager of every office (no project scope: sees all offices)."""
    srv = shared()
    if not getattr(srv, "_merge_manager", None):
        srv._merge_manager = srv.make_user(["manager"], ["EG-CAI"])[1]
    return srv._merge_manager


def with_history(pid, case, office):
    """A consent record of the person (a case_record naming them)."""
    tok = staff(office)["counsellor"][1]
    st, _, d = shared().request("POST", "/api/v1/cases/%s/records" % case["id"],
                                consent_body(pid), token=tok)
    assert st == 201, (st, d)


@test
def test_merge_then_undo_keeps_every_row():
    pa, pb, ca, cb = two_registrations()
    with_history(pa, ca, "EG-CAI")
    with_history(pb, cb, "DZ-TAM")
    # a row both hold that is nothing but its key: the same activity
    con = db()
    try:
        now = int(time.time() * 1000)
        opk = con.execute("SELECT pk FROM offices WHERE code='EG-CAI'").fetchone()[0]
        act = con.execute(
            "INSERT INTO activities(id,kind,title,held_on,office_pk,country,version,created_at,"
            "updated_at) VALUES(lower(hex(randomblob(16))),'workshop','Group session',"
            "'2026-01-01',?,'EGY',1,?,?)", (opk, now, now)).lastrowid
        for pid in (pa, pb):
            con.execute("INSERT INTO activity_participants(activity_pk,person_pk) "
                        "SELECT ?,pk FROM persons WHERE id=?", (act, pid))
        con.commit()
    finally:
        con.close()
    pair = flag(pa, pb)
    before = snapshot()
    kept_rows, merged_rows = rows_naming(pk_of(pa)), rows_naming(pk_of(pb))
    assert merged_rows.get("case_members") == 1 and merged_rows.get("person_documents"), merged_rows
    st, h, m = shared().request("POST", Q + "/%s/merge" % pair, {"keep": pa}, token=manager())
    assert st == 201, (st, m)
    assert h.get("location") == "/api/v1/merges/" + m["id"], h
    assert m["kept"] == pa and m["merged"] == pb, m
    # every row that named the merged person now names the kept one
    assert rows_naming(pk_of(pb)) == {}, rows_naming(pk_of(pb))
    after = rows_naming(pk_of(pa))
    for t, n in merged_rows.items():  # moved, or (a row of keys only) already there
        assert after.get(t, 0) >= max(kept_rows.get(t, 0), n), (t, after)
    assert after["case_members"] == 2 and after["case_records"] == 2, after
    assert after["activity_participants"] == 1, after  # the same activity: one row
    assert m["rows_moved"] + m["rows_dropped"] == sum(merged_rows.values()), (m, merged_rows)
    # the kept person shows both histories; the merged id answers with the kept person
    st, _, p = shared().request("GET", "/api/v1/persons/" + pa, token=shared().admin())
    assert st == 200 and {c["id"] for c in p["cases"]} == {ca["id"], cb["id"]}, p
    assert len(p["documents"]) == 2, p["documents"]  # same passport number: both kept
    st, _, p = shared().request("GET", "/api/v1/persons/" + pb, token=shared().admin())
    assert st == 200 and p["id"] == pa and p["merged_from"] == {"id": pb, "merge": m["id"]}, p
    st, _, caze = shared().request("GET", "/api/v1/cases/" + cb["id"], token=shared().admin())
    assert [x["person_id"] for x in caze["members"]] == [pa], caze["members"]
    # the events are untouched
    assert snapshot()["case_events"] == before["case_events"]
    # the pair left the open queue, and is in the history with its merge
    assert not in_queue(manager(), pair)
    (hist,) = in_queue(manager(), pair, "merged")
    assert hist["merge"] == m["id"] and hist["decided_by"], hist
    # undo: every row exactly as it was, the pair open again
    st, _, u = shared().request("POST", "/api/v1/merges/%s/undo" % m["id"], token=manager())
    assert st == 200 and u["undone_at"], (st, u)
    now = snapshot()
    for t in before:
        if t == "persons":  # updated_at moved on; the rest is the same
            continue
        assert now[t] == before[t], "table %s differs after undo" % t
    assert rows_naming(pk_of(pb)) == merged_rows and rows_naming(pk_of(pa)) == kept_rows
    assert in_queue(manager(), pair)
    st, _, p = shared().request("GET", "/api/v1/persons/" + pb, token=shared().admin())
    assert st == 200 and p["id"] == pb and "merged_from" not in p, p
    # undone once
    r = shared().request("POST", "/api/v1/merges/%s/undo" % m["id"], token=manager())
    assert_problem(r, 409)


@test
def test_not_same_is_final():
    pa, pb, _, _ = two_registrations()
    pair = flag(pa, pb)
    reg = people_staff()["reg"]
    assert in_queue(reg, pair)
    # proposed by the duplicates module before the decision
    assert pb in [i.get("person", {}).get("id") for i in dups(pa)]
    st, _, d = shared().request("POST", Q + "/%s/not-same" % pair,
                                {"note": "two brothers, different fathers' names"}, token=reg)
    assert st == 200 and d["status"] == "not_same" and d["decided_by"], (st, d)
    assert not in_queue(reg, pair)
    assert in_queue(reg, pair, "not_same")[0]["note"].startswith("two brothers")
    # never proposed again: decided pairs cannot be merged or decided again
    assert_problem(shared().request("POST", Q + "/%s/merge" % pair, {"keep": pa},
                                    token=manager()), 409)
    assert_problem(shared().request("POST", Q + "/%s/not-same" % pair, {}, token=reg), 409)
    # the duplicates answer no longer proposes either for the other
    assert pb not in [i.get("person", {}).get("id") for i in dups(pa)]
    assert pa not in [i.get("person", {}).get("id") for i in dups(pb)]
    # the other order of the ids names the same pair
    rev = ".".join(reversed(pair.split(".")))
    assert_problem(shared().request("POST", Q + "/%s/not-same" % rev, {}, token=reg), 409)


@test
def test_queue_item_and_need_to_know():
    pa, pb, ca, cb = two_registrations()
    pair = flag(pa, pb)
    (it,) = in_queue(people_staff()["reg"], pair)
    score, source, _ = pair_row(pair)
    assert it["score"] == score and it["source"] == source and it["explanation"], it
    a, b = it["persons"]
    mine = a if a.get("id") == pa else b
    other = b if mine is a else a
    assert mine["visible"] and mine["name"] and mine["date_of_birth"] == "1988-04-09", mine
    assert mine["cases"][0]["number"] == ca["number"] and mine["cases"][0]["stage"], mine
    # the person of DZ-TAM: office and case number, nothing else
    assert other == {"visible": False, "cases": [{"number": cb["number"],
                                                  "office": "DZ-TAM"}]}, other
    # a registration user of a third office sees neither: not listed
    third = shared().make_user(["registration"], ["ML-BKO"])[1]
    assert not in_queue(third, pair)
    assert_problem(shared().request("POST", Q + "/%s/not-same" % pair, {}, token=third), 404)


@test
def test_permissions():
    pa, pb, _, _ = two_registrations()
    pair = flag(pa, pb)
    s = people_staff()
    assert_problem(shared().request("POST", Q + "/%s/merge" % pair, {"keep": pa},
                                    token=s["reg"]), 403)
    assert_problem(shared().request("GET", Q, token=s["donor"]), 403)
    assert_problem(shared().request("POST", Q + "/%s/not-same" % pair, {}, token=s["donor"]),
                   403)
    # a manager of EG-CAI only (scoped to a project) may not merge a person of DZ-TAM
    srv = shared()
    name = "m" + pair[:10].replace("-", "")
    st, _, d = srv.request("POST", "/api/v1/users", {
        "username": name, "full_name": "Scoped Manager", "password": "pw-scoped-manager-1",
        "roles": ["manager"], "offices": ["EG-CAI"], "projects": ["Merge scope"]},
        token=srv.admin())
    assert st == 201, (st, d)
    st, _, d = srv.login(name, "pw-scoped-manager-1")
    assert st == 201, d
    r = srv.request("POST", Q + "/%s/merge" % pair, {"keep": pa}, token=d["token"])
    assert_problem(r, 403)
    assert "offices you do not work in" in r[2]["detail"], r[2]
    # keep must be one of the two
    assert_problem(srv.request("POST", Q + "/%s/merge" % pair,
                               {"keep": "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"},
                               token=manager()), 422, fields=["keep"])


@test
def test_both_in_one_case_is_refused():
    a, b = person(name=uniq_name()), person(name=uniq_name())
    caze = create_case(case_body(members=[{"relationship": "principal", "person": a},
                                          {"relationship": "spouse", "person": b}]))
    pa, pb = caze["members"][0]["person_id"], caze["members"][1]["person_id"]
    pair = flag(pa, pb)
    before = snapshot()
    r = shared().request("POST", Q + "/%s/merge" % pair, {"keep": pa}, token=manager())
    assert_problem(r, 409)
    assert caze["number"] in r[2]["detail"], r[2]
    assert snapshot() == before  # nothing done
    assert in_queue(manager(), pair)


@test
def test_audit_names_both_persons():
    pa, pb, _, _ = two_registrations()
    pair = flag(pa, pb)
    st, _, m = shared().request("POST", Q + "/%s/merge" % pair, {"keep": pb}, token=manager())
    assert st == 201, m
    def audited(route, status):
        """The persons with an audit record of route (the audit is written
        after the answer: waits for it a little)."""
        for _ in range(50):
            con = audit_db(shared().db)
            try:
                got = {r[0] for r in con.execute(
                    "SELECT entity_id FROM audit WHERE entity_id IN (?,?) AND route=? AND "
                    "status=? AND user_pk IS NOT NULL", (pa, pb, route, status))}
            finally:
                con.close()
            if got == {pa, pb}:
                return got
            time.sleep(0.1)
        return got
    assert audited("/api/v1/duplicates/{pair}/merge", 201) == {pa, pb}
    st, _, u = shared().request("POST", "/api/v1/merges/%s/undo" % m["id"], token=manager())
    assert st == 200, u
    assert audited("/api/v1/merges/{id}/undo", 200) == {pa, pb}


@test
def test_two_merges_at_once_one_wins():
    pa, pb, _, _ = two_registrations()
    pair = flag(pa, pb)
    out = []

    def go(keep):
        out.append(shared().request("POST", Q + "/%s/merge" % pair, {"keep": keep},
                                    token=manager())[0])
    ts = [threading.Thread(target=go, args=(k,)) for k in (pa, pb, pa, pb)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert sorted(out) == [201, 409, 409, 409], out
    con = db()
    try:
        n = con.execute("SELECT count(*) FROM person_merges m JOIN persons p ON "
                        "p.pk=m.merged_pk WHERE p.id IN (?,?)", (pa, pb)).fetchone()[0]
        assert n == 1, n
    finally:
        con.close()


@test
def test_idempotent_merge():
    pa, pb, _, _ = two_registrations()
    pair = flag(pa, pb)
    h = {"Idempotency-Key": "merge-" + pair[:20]}
    r1 = shared().request("POST", Q + "/%s/merge" % pair, {"keep": pa}, token=manager(),
                          headers=h)
    r2 = shared().request("POST", Q + "/%s/merge" % pair, {"keep": pa}, token=manager(),
                          headers=h)
    assert r1[0] == 201 and r2[0] == 201 and r1[2]["id"] == r2[2]["id"], (r1, r2)


@test
def test_undo_refused_when_lossy():
    pa, pb, ca, cb = two_registrations()
    pair = flag(pa, pb)
    st, _, m = shared().request("POST", Q + "/%s/merge" % pair, {"keep": pa}, token=manager())
    assert st == 201, m
    # a row the merge moved changes since: the kept person's documents rewritten
    con = db()
    try:
        con.execute("DELETE FROM person_documents WHERE person_pk=(SELECT pk FROM persons "
                    "WHERE id=?)", (pa,))
        con.commit()
    finally:
        con.close()
    r = shared().request("POST", "/api/v1/merges/%s/undo" % m["id"], token=manager())
    assert_problem(r, 409)
    assert "person_documents" in r[2]["detail"], r[2]


@test
def test_merged_person_leaves_the_search():
    pa, pb, _, _ = two_registrations()
    pair = flag(pa, pb)
    st, _, m = shared().request("POST", Q + "/%s/merge" % pair, {"keep": pa}, token=manager())
    assert st == 201, m
    con = db()
    try:
        for t in ("person_name_keys", "person_dup_keys"):
            n = con.execute("SELECT count(*) FROM %s WHERE person_pk=(SELECT pk FROM persons "
                            "WHERE id=?)" % t, (pb,)).fetchone()[0]
            assert n == 0, (t, n)
    finally:
        con.close()
    # anonymising the kept person (retention) anonymises the merged one's row
    con = db()
    try:
        con.execute("UPDATE persons SET anonymised_at=1 WHERE id=?", (pa,))
        name, dob = con.execute("SELECT name,date_of_birth FROM persons WHERE id=?",
                                (pb,)).fetchone()
        con.rollback()
    finally:
        con.close()
    assert name == "[anonymised]" and dob == "1988", (name, dob)
    # no longer a candidate: the kept person is not proposed a duplicate of itself
    ids = [i.get("person", {}).get("id") for i in dups(pa)]
    assert pb not in ids and pa not in ids, ids


@test
def test_persons_registered_before_the_migration_merge_and_undo():
    """A database of the schema before the merge room's migration, with
    persons and a pair in it, is migrated at start; its persons merge and
    the merge undoes."""
    srv = Server()
    srv.start()
    srv.setup_fixtures()
    try:
        ids = []
        for name in ("Awa Konaté", "Konaté Awa"):
            c = create_case(case_body(members=[{"relationship": "principal",
                                                "person": person(name=name)}]), server=srv)
            ids.append(c["members"][0]["person_id"])
        srv.stop()
        version = migration_version("CREATE TABLE person_merges")
        con = sqlite3.connect(srv.db, timeout=30)
        try:
            downgrade(con, version - 1)
            a, b = sorted(r[0] for r in con.execute(
                "SELECT pk FROM persons WHERE id IN (?,?)", ids))
            con.execute("INSERT OR IGNORE INTO duplicate_pairs(person_a,person_b,score,"
                        "explanation,source,created_at) VALUES(?,?,9000,'{}','registration',0)",
                        (a, b))
            con.commit()
            pair = ".".join(r[0] for r in con.execute(
                "SELECT id FROM persons WHERE pk IN (?,?) ORDER BY pk", (a, b)))
        finally:
            con.close()
        srv.start()  # migrates
        tok = srv.make_user(["manager"], ["EG-CAI"])[1]
        st, _, m = srv.request("POST", Q + "/%s/merge" % pair, {"keep": ids[0]}, token=tok)
        assert st == 201 and m["rows"]["case_members"] == 1, (st, m)
        st, _, u = srv.request("POST", "/api/v1/merges/%s/undo" % m["id"], token=tok)
        assert st == 200, (st, u)
        srv.stop()
    finally:
        srv.cleanup()


if __name__ == "__main__":
    main()
