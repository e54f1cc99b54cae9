"""Protection concerns of a person (victim of trafficking, survivor of
violence, mental health) are kept apart from the vulnerabilities every case
worker needs to route a case: in `protection_vulnerabilities`, sealed at
rest, shown and changed by the protection role only. Registration,
counselling, operations and M&E users never see them — not in a case, a
person, a search, a readiness list, a CSV or an XLSX export, nor in the
forms the schema describes — and their own edits of a person leave them
as they are. Migration 13 moves the concerns of persons registered before
it out of the clear list into the sealed one."""
import csv
import io
import os
import re
import sqlite3
import zipfile

from harness import downgrade, migration_version, Server, case_body, person, test, main, assert_problem, REPO

CONCERNS = ("victim_of_trafficking", "survivor_of_violence", "mental_health")
OTHERS = ("registration", "counsellor", "operations", "me")


def _db_bytes(srv):
    data = b""
    for suffix in ("", "-wal"):
        if os.path.exists(srv.db + suffix):
            with open(srv.db + suffix, "rb") as f:
                data += f.read()
    return data


def _no_concern(text, who):
    for c in CONCERNS:
        assert c not in text, "%s sees %s: %s" % (who, c, text[:600])
    assert "protection_vulnerabilities" not in text, (who, text[:600])


def _person_fields(schema):
    members = [f for f in schema["case"] if f["name"] == "members"][0]
    person_f = [f for f in members["fields"] if f["name"] == "person"][0]
    return [f["name"] for f in person_f["fields"]], [f["name"] for f in schema["person"]]


@test
def only_the_protection_role_sees_and_changes_protection_concerns():
    srv = Server()
    try:
        srv.start()
        srv.ensure_office("EG-CAI", "Cairo", "EGY")
        tok = {r: srv.make_user([r], ["EG-CAI"])[1] for r in OTHERS + ("protection",)}
        # A protection officer who also makes the office's exports.
        _, prot_me = srv.make_user(["protection", "me"], ["EG-CAI"])
        name = "Concerned Person Zqx"
        p = person(name=name, name_latin=name, sex="female", vulnerabilities=["pregnant"],
                   protection_vulnerabilities=["victim_of_trafficking", "survivor_of_violence"])
        st, _, c = srv.request("POST", "/api/v1/cases", case_body(members=[
            {"relationship": "principal", "person": p}]), token=tok["protection"])
        assert st == 201, c
        got = c["members"][0]["person"]
        assert got["protection_vulnerabilities"] == ["victim_of_trafficking",
                                                     "survivor_of_violence"], got
        assert got["vulnerabilities"] == ["pregnant"], got
        pid = c["members"][0]["person_id"]

        # Nobody else may record them, nor slip them into the clear list.
        st, _, e = srv.request("POST", "/api/v1/cases", case_body(members=[
            {"relationship": "principal", "person": person(
                protection_vulnerabilities=["victim_of_trafficking"])}]),
            token=tok["registration"])
        assert_problem((st, _, e), 422, "validation",
                       ["members[0].person.protection_vulnerabilities"])
        st, _, e = srv.request("POST", "/api/v1/cases", case_body(members=[
            {"relationship": "principal", "person": person(
                vulnerabilities=["victim_of_trafficking"])}]), token=tok["registration"])
        assert_problem((st, _, e), 422, "validation", ["members[0].person.vulnerabilities[0]"])
        assert "protection_vulnerabilities" in e["errors"][0]["message"], e

        # Everyone else: not in the case, the person, a search, the forms.
        for role in OTHERS:
            st, _, body = srv.request("GET", "/api/v1/cases/" + c["id"], token=tok[role])
            assert st == 200, body
            assert body["members"][0]["person"]["vulnerabilities"] == ["pregnant"], body
            _no_concern(str(body), role + " GET case")
            st, _, body = srv.request("GET", "/api/v1/persons/" + pid, token=tok[role])
            assert st == 200, body
            _no_concern(str(body), role + " GET person")
            st, _, body = srv.request("GET", "/api/v1/persons?q=Zqx", token=tok[role])
            assert st == 200 and body["items"], body
            _no_concern(str(body), role + " search")
            st, _, body = srv.request("GET", "/api/v1/cases/%s/readiness" % c["id"],
                                      token=tok[role])
            assert st == 200, body
            _no_concern(str(body), role + " readiness")
            schema = srv.request("GET", "/api/v1/schema", token=tok[role])[2]
            in_case, in_person = _person_fields(schema)
            assert "protection_vulnerabilities" not in in_case + in_person, role
            assert "vulnerabilities" in in_case and "vulnerabilities" in in_person, role
        schema = srv.request("GET", "/api/v1/schema", token=tok["protection"])[2]
        in_case, in_person = _person_fields(schema)
        assert "protection_vulnerabilities" in in_case and \
            "protection_vulnerabilities" in in_person

        # Exports: M&E gets neither the column nor the values, in CSV or
        # XLSX; a protection officer who may export gets them (internal).
        st, _, data = srv.request("GET", "/api/v1/exports/cases.csv", token=tok["me"])
        assert st == 200, data
        _no_concern(data, "M&E CSV")
        assert "protection concerns" not in data
        st, _, raw = srv.request("GET", "/api/v1/exports/cases.xlsx", token=tok["me"])
        assert st == 200, raw
        raw = raw if isinstance(raw, bytes) else raw.encode("latin-1")
        z = zipfile.ZipFile(io.BytesIO(raw))
        text = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))
        assert "pregnant" in text, "the clear vulnerabilities are exported"
        _no_concern(text, "M&E XLSX")
        st, _, data = srv.request("GET", "/api/v1/exports/cases.csv", token=prot_me)
        assert st == 200, data
        rows = list(csv.reader(io.StringIO(data[1:])))
        col = rows[0].index("protection concerns")
        assert rows[1][col] == "#affected+vuln+protection", rows[1]
        assert "victim_of_trafficking survivor_of_violence" in [r[col] for r in rows[2:]], rows

        # The protection officer sees and changes them.
        st, h, full = srv.request("GET", "/api/v1/cases/" + c["id"], token=tok["protection"])
        assert full["members"][0]["person"]["protection_vulnerabilities"] == [
            "victim_of_trafficking", "survivor_of_violence"], full
        members = full["members"]
        members[0]["person"]["protection_vulnerabilities"] = ["victim_of_trafficking"]
        st, h, full = srv.request("PATCH", "/api/v1/cases/" + c["id"], {"members": members},
                                  token=tok["protection"], headers={"If-Match": h["ETag"]})
        assert st == 200, full
        assert full["members"][0]["person"]["protection_vulnerabilities"] == [
            "victim_of_trafficking"], full

        # A registration officer edits the members from what they see: the
        # concerns they cannot see stay; sending them is refused.
        st, h, mine = srv.request("GET", "/api/v1/cases/" + c["id"], token=tok["registration"])
        members = mine["members"]
        members[0]["person"]["vulnerabilities"] = ["pregnant", "disability"]
        st, h2, mine = srv.request("PATCH", "/api/v1/cases/" + c["id"], {"members": members},
                                   token=tok["registration"], headers={"If-Match": h["ETag"]})
        assert st == 200, mine
        _no_concern(str(mine), "registration PATCH answer")
        members[0]["person"]["protection_vulnerabilities"] = []
        st, _, e = srv.request("PATCH", "/api/v1/cases/" + c["id"], {"members": members},
                               token=tok["registration"], headers={"If-Match": h2["ETag"]})
        assert_problem((st, _, e), 422, "validation",
                       ["members[0].person.protection_vulnerabilities"])
        full = srv.request("GET", "/api/v1/persons/" + pid, token=tok["protection"])[2]
        assert full["vulnerabilities"] == ["pregnant", "disability"], full
        assert full["protection_vulnerabilities"] == ["victim_of_trafficking"], full
        # So does a new case that links the person with the details the
        # registration officer sees (and corrects).
        seen = srv.request("GET", "/api/v1/persons/" + pid, token=tok["registration"])[2]
        writable = [f["name"] for f in srv.request("GET", "/api/v1/schema",
                                                   token=tok["registration"])[2]["person"]
                    if not f.get("server")]
        again = {k: v for k, v in seen.items() if k in writable}
        again["vulnerabilities"] = ["pregnant"]
        st, _, c2 = srv.request("POST", "/api/v1/cases", case_body(members=[
            {"relationship": "principal", "person_id": pid, "person": again}]),
            token=tok["registration"])
        assert st == 201, c2
        _no_concern(str(c2), "registration POST answer")
        full = srv.request("GET", "/api/v1/persons/" + pid, token=tok["protection"])[2]
        assert full["vulnerabilities"] == ["pregnant"], full
        assert full["protection_vulnerabilities"] == ["victim_of_trafficking"], full
        # The timeline says that the person changed, not that their
        # concerns did (nor, of course, what they are).
        events = srv.request("GET", "/api/v1/cases/%s/events" % c["id"],
                             token=tok["registration"])[2]
        assert "members[0].person" in str(events), events
        _no_concern(str(events), "registration timeline")
        # A change of the concerns through one case is told on the other
        # case's timeline as a change to the person, nothing more.
        st, h, full = srv.request("GET", "/api/v1/cases/" + c["id"], token=tok["protection"])
        members = full["members"]
        members[0]["person"]["protection_vulnerabilities"] = ["victim_of_trafficking",
                                                              "mental_health"]
        st, _, full = srv.request("PATCH", "/api/v1/cases/" + c["id"], {"members": members},
                                  token=tok["protection"], headers={"If-Match": h["ETag"]})
        assert st == 200, full
        events = srv.request("GET", "/api/v1/cases/%s/events" % c2["id"],
                             token=tok["registration"])[2]
        assert "person_updated" in str(events), events
        _no_concern(str(events), "registration timeline of the other case")
        st, _, body = srv.request("PATCH", "/api/v1/cases/" + c["id"],
                                  {"notes": "back to one concern"}, token=tok["protection"],
                                  headers={"If-Match": '"%d"' % full["version"]})
        assert st == 200, body
        members = body["members"]
        members[0]["person"]["protection_vulnerabilities"] = ["victim_of_trafficking"]
        st, _, full = srv.request("PATCH", "/api/v1/cases/" + c["id"], {"members": members},
                                  token=tok["protection"],
                                  headers={"If-Match": '"%d"' % body["version"]})
        assert st == 200, full

        # At rest: sealed, and nowhere in the file in clear.
        srv.stop()
        assert b"victim_of_trafficking" not in _db_bytes(srv)
        assert b"survivor_of_violence" not in _db_bytes(srv)
        db = sqlite3.connect(srv.db)
        try:
            stored = db.execute("SELECT vulnerabilities, protection_vulnerabilities "
                                "FROM persons WHERE id=?", (pid,)).fetchone()
            lengths = {r[0] for r in db.execute(
                "SELECT length(protection_vulnerabilities) FROM persons")}
            unsealed = db.execute("SELECT count(*) FROM persons WHERE protection_vulnerabilities "
                                  "IS NULL OR protection_vulnerabilities NOT LIKE 'sealed:v%'")
            unsealed = unsealed.fetchone()[0]
        finally:
            db.close()
        assert stored[0] == '["pregnant"]', stored
        assert stored[1].startswith("sealed:v"), stored
        # Every person has a sealed value of one length: the file does not
        # tell who has a concern.
        assert unsealed == 0 and len(lengths) == 1, (unsealed, lengths)
    finally:
        if srv.alive():
            srv.stop()
        srv.cleanup()


@test
def migration_seals_the_concerns_of_persons_registered_before_it():
    version = migration_version("ADD COLUMN protection_vulnerabilities")
    # The previous schema: this migration and every later one undone on a
    # current database (harness.downgrade).
    srv = Server()
    try:
        srv.start()
        srv.ensure_office("EG-CAI", "Cairo", "EGY")
        _, prot = srv.make_user(["protection"], ["EG-CAI"])
        _, reg = srv.make_user(["registration"], ["EG-CAI"])
        ids = []
        for _ in range(3):
            st, _, c = srv.request("POST", "/api/v1/cases", case_body(), token=reg)
            assert st == 201, c
            ids.append((c["id"], c["members"][0]["person_id"]))
        srv.stop()
        # The previous schema, with the rows it held: concerns in clear in
        # the one list there was.
        old = ['["victim_of_trafficking","pregnant"]', '["mental_health"]', None]
        db = sqlite3.connect(srv.db)
        try:
            downgrade(db, version - 1)
            for (_, pid), v in zip(ids, old):
                db.execute("UPDATE persons SET vulnerabilities=? WHERE id=?", (v, pid))
            db.commit()
        finally:
            db.close()
        assert b"victim_of_trafficking" in _db_bytes(srv)

        srv.start()  # serve migrates, with the key file
        expect = [(["pregnant"], ["victim_of_trafficking"]), ([], ["mental_health"]),
                  (None, None)]
        for (cid, pid), (clear, sealed) in zip(ids, expect):
            full = srv.request("GET", "/api/v1/persons/" + pid, token=prot)[2]
            assert full["vulnerabilities"] == clear, full
            assert full["protection_vulnerabilities"] == sealed, full
            seen = srv.request("GET", "/api/v1/cases/" + cid, token=reg)[2]
            _no_concern(str(seen), "registration after the migration")
        srv.stop()
        assert b"victim_of_trafficking" not in _db_bytes(srv)
        assert b"mental_health" not in _db_bytes(srv)
        db = sqlite3.connect(srv.db)
        try:
            assert db.execute("PRAGMA user_version").fetchone()[0] >= version
            rows = db.execute("SELECT protection_vulnerabilities FROM persons").fetchall()
        finally:
            db.close()
        assert rows and all(r[0].startswith("sealed:v") for r in rows), rows
    finally:
        if srv.alive():
            srv.stop()
        srv.cleanup()


if __name__ == "__main__":
    main()
