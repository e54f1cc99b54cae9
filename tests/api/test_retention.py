"""Retention: `awda retention run --dry-run` lists the cases whose period is
over and changes nothing; without --dry-run it anonymises them
irreversibly — names, contact, documents, day of birth, free text, medical
and protection detail gone, from the answers and from the bytes of the
database file — keeps the statistical fields, records each case in the
audit log and on its timeline, and leaves cases still in their period
alone."""
import os
import secrets
import sqlite3
import subprocess

from harness import Server, case_body, downgrade, migration_version, person, test, main
from journey_util import consent_body, health_body

YEAR_MS = 365 * 24 * 3600 * 1000


def _age_case(srv, case_id, years):
    db = sqlite3.connect(srv.db, timeout=10)
    try:
        db.execute("UPDATE cases SET updated_at = updated_at - ? WHERE id = ?",
                   (years * YEAR_MS, case_id))
        db.commit()
    finally:
        db.close()


def _retention(srv, *args):
    p = subprocess.run([srv.bin, "retention", "run", "--db", srv.db] + list(args),
                       capture_output=True, timeout=60)
    assert p.returncode == 0, (p.returncode, p.stdout, p.stderr)
    return p.stdout.decode()


def _db_bytes(srv):
    data = b""
    for suffix in ("", "-wal"):
        if os.path.exists(srv.db + suffix):
            with open(srv.db + suffix, "rb") as f:
                data += f.read()
    return data


@test
def a_withdrawn_case_past_its_period_is_anonymised_and_a_recent_one_is_not():
    srv = Server()
    try:
        srv.start()
        srv.ensure_office("EG-CAI", "Cairo", "EGY")
        _, reg = srv.make_user(["registration"], ["EG-CAI"])
        _, counsellor = srv.make_user(["counsellor"], ["EG-CAI"])
        _, medical = srv.make_user(["medical"], ["EG-CAI"])
        mark = secrets.token_hex(5).upper()
        name = "NAMEMARK" + mark
        principal = person(name=name, name_latin=name, date_of_birth="1988-07-14",
                           documents=[{"type": "passport", "number": "DOCMARK" + mark,
                                       "issuing_country": "SDN", "expiry": "2031-01-01"}],
                           contact={"phone": "+249911111111", "email": "mark@example.org",
                                    "address": "ADDRMARK" + mark})
        old = srv.request("POST", "/api/v1/cases",
                          case_body(members=[{"relationship": "principal", "person": principal}],
                                    notes="NOTEMARK" + mark), token=reg)[2]
        recent = srv.request("POST", "/api/v1/cases", case_body(), token=reg)[2]
        pid = old["members"][0]["person_id"]
        url = "/api/v1/cases/%s" % old["id"]
        assert srv.request("POST", url + "/records", consent_body(
            pid, evidence_ref="EVIDMARK" + mark), token=counsellor)[0] == 201
        assert srv.request("POST", url + "/records", health_body(
            pid, clinical_notes="MEDMARK" + mark), token=medical)[0] == 201
        for c, why in ((old, "REASONMARK" + mark), (recent, "changed their mind")):
            st, _, data = srv.request("POST", "/api/v1/cases/%s/transitions" % c["id"],
                                      {"event": "withdraw", "reason": why}, token=counsellor)
            assert st == 200, (st, data)
        _age_case(srv, old["id"], 3)  # withdrawn three years ago; the policy is two

        # A dry run lists the old case only and changes nothing; it only
        # reads, so it may run beside the server.
        out = _retention(srv, "--dry-run")
        assert "would anonymise " + old["number"] in out, out
        assert recent["number"] not in out, out
        assert "1 case(s) due, 0 anonymised" in out, out
        assert srv.request("GET", url, token=reg)[2]["members"][0]["person"]["name"] == name

        # A real run writes: it holds the database's lock, so the server
        # (which runs retention itself once a day) is stopped for it.
        srv.stop()
        out = _retention(srv)
        assert "anonymised " + old["number"] in out and "1 person(s) anonymised" in out, out
        srv.start()

        st, _, c = srv.request("GET", url, token=reg)
        assert st == 200, (st, c)
        p = c["members"][0]["person"]
        assert p["name"] == "[anonymised]" and not p.get("name_latin"), p
        assert not p.get("contact") and not p.get("documents"), p
        assert p["date_of_birth"] == "1988" and p["dob_precision"] == "year", p
        # The statistical fields stay.
        assert p["sex"] == "male" and p["nationality"] == "SDN", p
        assert c["stage"] == "withdrawn" and c["destination_country"] == "SDN", c
        assert not c.get("notes"), c
        recs = srv.request("GET", url + "/records", token=medical)[2]["items"]
        consent = [r for r in recs if r["kind"] == "consent"][0]["data"]
        assert consent.get("purpose") == "return" and "evidence_ref" not in consent, consent
        health = [r for r in recs if r["kind"] == "health_assessment"][0]["data"]
        assert health.get("result") == "fit" and "clinical_notes" not in health, health
        events = srv.request("GET", url + "/events", token=reg)[2]
        events = events["items"] if isinstance(events, dict) else events
        assert any(e["kind"] == "anonymised" for e in events), events
        assert "REASONMARK" not in str(events), events
        # The name no longer finds anyone; the recent case is untouched.
        found = srv.request("GET", "/api/v1/persons?q=" + name, token=reg)[2]
        assert not found["items"], found
        r2 = srv.request("GET", "/api/v1/cases/" + recent["id"], token=reg)[2]
        assert r2["members"][0]["person"]["name"] != "[anonymised]"
        # Audited as done by the retention policy.
        audit = srv.request("GET", "/api/v1/audit?case=" + old["id"], token=srv.admin())[2]
        assert any(a["user"] == "retention" for a in audit["items"]), audit["items"][:3]
        # A second run finds nothing more to do.
        srv.stop()
        assert "0 case(s) due" in _retention(srv)
        # Irreversible: none of it is left in the database file.
        _retention(srv)  # checkpoints with no server holding the WAL
        blob = _db_bytes(srv)
        for m in ("NAMEMARK", "DOCMARK", "ADDRMARK", "NOTEMARK", "EVIDMARK", "REASONMARK"):
            assert (m + mark).encode() not in blob, m + " is still in the database file"
        # The protection concerns (sealed) go with the other protection detail.
        db = sqlite3.connect(srv.db)
        try:
            concerns = db.execute("SELECT protection_vulnerabilities FROM persons WHERE id=?",
                                  (pid,)).fetchone()[0]
        finally:
            db.close()
        assert concerns is None, concerns
    finally:
        srv.cleanup()


@test
def migration_removes_the_concerns_an_earlier_run_left_to_a_member_who_had_left():
    """Before migration 29, anonymising a case left a member who had left
    it anonymised but with their protection concerns (sealed). The
    migration, on a database of the schema before it, removes those and
    only those: a person not anonymised keeps theirs."""
    version = migration_version("Migration 29 (retention)")
    srv = Server()
    try:
        srv.start()
        srv.ensure_office("EG-CAI", "Cairo", "EGY")
        _, prot = srv.make_user(["protection"], ["EG-CAI"])
        ids = []
        for name in ("Left Member Qzv", "Still Here Qzv"):
            p = person(name=name, name_latin=name, sex="female",
                       protection_vulnerabilities=["victim_of_trafficking"])
            st, _, c = srv.request("POST", "/api/v1/cases", case_body(members=[
                {"relationship": "principal", "person": p}]), token=prot)
            assert st == 201, c
            ids.append(c["members"][0]["person_id"])
        srv.stop()
        # The schema before migration 29, holding what its retention left:
        # the first person anonymised with their concerns still there.
        db = sqlite3.connect(srv.db)
        try:
            downgrade(db, version - 1)
            db.execute("UPDATE persons SET name='[anonymised]', name_latin=NULL, contact=NULL,"
                       " anonymised_at=1 WHERE id=?", (ids[0],))
            db.commit()
            before = dict(db.execute("SELECT id, protection_vulnerabilities IS NOT NULL"
                                     " FROM persons WHERE id IN (?,?)", ids).fetchall())
        finally:
            db.close()
        assert before == {ids[0]: 1, ids[1]: 1}, before
        srv.start()  # serve migrates
        srv.stop()
        db = sqlite3.connect(srv.db)
        try:
            assert db.execute("PRAGMA user_version").fetchone()[0] >= version
            after = dict(db.execute("SELECT id, protection_vulnerabilities IS NOT NULL"
                                    " FROM persons WHERE id IN (?,?)", ids).fetchall())
        finally:
            db.close()
        assert after == {ids[0]: 0, ids[1]: 1}, after
        srv.start()
        got = srv.request("GET", "/api/v1/persons/" + ids[1], token=prot)[2]
        assert got["protection_vulnerabilities"] == ["victim_of_trafficking"], got
    finally:
        srv.cleanup()


@test
def the_retention_command_explains_itself():
    srv = Server()
    try:
        srv.init()
        p = subprocess.run([srv.bin, "retention", "--help"], capture_output=True, timeout=30)
        assert p.returncode == 0 and b"--dry-run" in p.stdout, p
        p = subprocess.run([srv.bin, "retention", "run", "--db", srv.db,
                            "--retention-closed-years", "0"], capture_output=True, timeout=30)
        assert p.returncode != 0 and b"retention_closed_years" in p.stderr, p
    finally:
        srv.cleanup()


if __name__ == "__main__":
    main()
