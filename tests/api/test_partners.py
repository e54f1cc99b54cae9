"""Partner organisations are records (security review, issue 14): a
withdrawal of consent to share that named the partner with a trailing
space, a no-break space or a final full stop was accepted and changed
nothing. Consent to share, its withdrawal, a referral and a partner user
now name the partner by the id of its record; anything else is a 422 on
the field, and a withdrawal must meet a consent that stands. Migration 11
turns the names a database already holds into partners (one per name,
whatever its spaces, case or final full stop) and the records into ids —
tested on a database of the schema before it."""
import sqlite3
import subprocess

from harness import (downgrade, migration_version, test, shared, request, admin, assert_problem, uniq_username, Server,
                     case_body, person, main)
from journey_util import Journey, adult, consent_body, day, partner

NAME = "Caritas Mali"


def _withdrawal(pid, recipient, purpose="data_sharing"):
    return {"kind": "consent_withdrawal", "person_id": pid, "purpose": purpose,
            "recipient": recipient, "date": day(0)}


def _fields(data):
    return [e["field"] for e in data.get("errors", [])]


def _partner_token(name):
    s = shared()
    user = uniq_username()
    body = {"username": user, "password": "pw-" + user + "-long", "roles": ["partner"],
            "offices": [], "organisation": partner(name)}
    st, _, data = s.request("POST", "/api/v1/users", body, token=s.admin())
    assert st == 201, (st, data)
    return s.login(user, body["password"])[2]["token"]


def _referred(tok, pid):
    st, _, data = request("GET", "/api/v1/referrals?limit=200", token=tok)
    assert st == 200, (st, data)
    return any(i["person"]["id"] == pid for i in data["items"])


@test
def a_withdrawal_naming_the_partner_a_little_differently_is_refused_not_ignored():
    j = Journey()
    pid, org = j.pid(), partner(NAME)
    j.record(consent_body(pid, purpose="data_sharing", recipient=org))
    j.record({"kind": "referral", "person_id": pid, "partner": org, "service": "livelihood",
              "date": day(0)}, role="counsellor")
    tok = _partner_token(NAME)
    assert _referred(tok, pid)
    for near in (NAME + " ", NAME + "\u00a0", NAME + ".", org + " ", org + "\u00a0", org + ".",
                 org.upper()[:-1] + "X"):
        st, _, data = j.record(_withdrawal(pid, near), role="counsellor", expect=None)
        assert_problem((st, _, data), 422, "validation")
        assert _fields(data) == ["recipient"], (repr(near), data)
    # Nothing was recorded and the consent still stands.
    assert not j.records(kind="consent_withdrawal", role="counsellor")
    assert _referred(tok, pid)
    # The partner's id withdraws it.
    j.record(_withdrawal(pid, org), role="counsellor")
    assert not _referred(tok, pid)
    # Withdrawn once, there is nothing left to withdraw.
    st, _, data = j.record(_withdrawal(pid, org), role="counsellor", expect=None)
    assert_problem((st, _, data), 422, "validation")
    assert _fields(data) == ["recipient"], data


@test
def consent_to_share_and_referrals_name_a_partner_by_its_id():
    j = Journey()
    pid = j.pid()
    unknown = "01900000-0000-7000-8000-0000000000ff"
    for bad in (NAME, unknown):
        st, _, data = j.record(consent_body(pid, purpose="data_sharing", recipient=bad),
                               expect=None)
        assert_problem((st, _, data), 422, "validation")
        assert _fields(data) == ["recipient"], data
        st, _, data = j.record({"kind": "referral", "person_id": pid, "partner": bad,
                                "service": "health", "date": day(0)}, role="counsellor",
                               expect=None)
        assert_problem((st, _, data), 422, "validation")
        assert _fields(data) == ["partner"], data
    # Consent to return and to share medical data name no partner.
    j.record(consent_body(pid))
    j.record(consent_body(pid, purpose="medical_data_sharing", recipient="Dr Escort"))
    # A medical withdrawal too must meet the consent it withdraws.
    st, _, data = j.record(_withdrawal(pid, "Dr Escort.", "medical_data_sharing"),
                           role="counsellor", expect=None)
    assert_problem((st, _, data), 422, "validation")
    assert _fields(data) == ["recipient"], data
    j.record(_withdrawal(pid, "Dr Escort", "medical_data_sharing"), role="counsellor")


@test
def a_partner_user_works_for_a_partner_record():
    s = shared()
    for org in (NAME, "01900000-0000-7000-8000-0000000000fe"):
        name = uniq_username()
        st, _, data = s.request("POST", "/api/v1/users", {
            "username": name, "password": "pw-" + name + "-long", "roles": ["partner"],
            "organisation": org}, token=s.admin())
        assert_problem((st, _, data), 422, "validation")
        assert _fields(data) == ["organisation"], data
    tok = _partner_token(NAME)
    st, _, data = request("GET", "/api/v1/referrals", token=tok)
    assert st == 200 and data["organisation"] == NAME and data["partner_id"] == partner(NAME)


@test
def administrators_keep_the_partner_organisations():
    s = shared()
    name = "Partner " + uniq_username()
    st, h, p = request("POST", "/api/v1/partners", {"name": name, "country": "MLI"},
                       token=admin())
    assert st == 201, (st, p)
    assert h["Location"] == "/api/v1/partners/" + p["id"] and p["name"] == name, (h, p)
    assert_problem(request("POST", "/api/v1/partners", {"name": name.upper()}, token=admin()),
                   409, "conflict")
    for bad, field in (({"name": ""}, "name"), ({"name": "X\u202e"}, "name"),
                       ({"name": "Y", "country": "Mali"}, "country"), ({}, "name"),
                       ({"name": "Z", "id": "x", "web": "w"}, "web")):
        st, _, data = request("POST", "/api/v1/partners", bad, token=admin())
        assert_problem((st, _, data), 422, "validation")
        assert field in _fields(data), (bad, data)
    st, _, q = request("PATCH", "/api/v1/partners/" + p["id"], {"name": name + " (Kayes)"},
                       token=admin())
    assert st == 200 and q["name"] == name + " (Kayes)" and q["country"] == "MLI", (st, q)
    assert_problem(request("PATCH", "/api/v1/partners/01900000-0000-7000-8000-0000000000fd",
                           {"name": "Q"}, token=admin()), 404, "not-found")
    # Case staff read the list (to choose one); only administrators change it.
    _, reg = s.make_user(["registration"], ["EG-CAI"])
    st, _, data = request("GET", "/api/v1/partners", token=reg)
    assert st == 200 and any(i["id"] == p["id"] for i in data["items"]), data
    assert_problem(request("POST", "/api/v1/partners", {"name": "N" + name}, token=reg), 403,
                   "forbidden")
    for role in ("partner", "donor"):
        _, tok = s.make_user([role], ["EG-CAI"])
        assert_problem(request("GET", "/api/v1/partners", token=tok), 403, "forbidden")


def _records(srv, case_id, tok):
    st, _, data = srv.request("GET", "/api/v1/cases/" + case_id + "/records", token=tok)
    assert st == 200, (st, data)
    return data["items"]


@test
def migration_11_turns_the_names_of_a_populated_database_into_partners():
    """A database of schema 10 (made here by writing the names back and
    dropping the partners, as the previous schema held them) is migrated:
    one partner per name whatever its spelling, records and users point
    at it, and a withdrawal that missed its consent by a no-break space
    now withdraws it."""
    srv = Server()
    try:
        srv.start()
        srv.ensure_office("EG-CAI", "Cairo", "EGY")
        org = srv.ensure_partner(NAME)
        other = srv.ensure_partner("Another NGO")
        _, mgr = srv.make_user(["manager"], ["EG-CAI"])
        puser = uniq_username()
        st, _, _ = srv.request("POST", "/api/v1/users", {
            "username": puser, "password": "pw-" + puser + "-long", "roles": ["partner"],
            "organisation": org}, token=srv.admin())
        assert st == 201
        st, _, c = srv.request("POST", "/api/v1/cases", case_body(members=[
            {"relationship": "principal", "person": person()},
            {"relationship": "spouse", "person": person(sex="female")},
            {"relationship": "sibling", "person": person()}]), token=mgr)
        assert st == 201, (st, c)
        a, b, cc = (m["person_id"] for m in c["members"])
        url = "/api/v1/cases/" + c["id"] + "/records"

        def rec(body):
            st, _, r = srv.request("POST", url, body, token=mgr)
            assert st == 201, (st, r)
            return r["id"]

        consent_a = rec(consent_body(a, purpose="data_sharing", recipient=org))
        referral_a = rec({"kind": "referral", "person_id": a, "partner": org,
                          "service": "livelihood", "date": day(0)})
        consent_b = rec(consent_body(b, purpose="data_sharing", recipient=org))
        rec({"kind": "referral", "person_id": b, "partner": org, "service": "health",
             "date": day(0)})
        withdrawal_b = rec(_withdrawal(b, org))
        consent_c = rec(consent_body(cc, purpose="data_sharing", recipient=other))
        medical = rec(consent_body(cc, purpose="medical_data_sharing", recipient="Dr Escort"))
        srv.stop()

        # Back to schema 10: names as people typed them, no partners.
        db = sqlite3.connect(srv.db)
        names = {consent_a: ("recipient", "Caritas Mali"),
                 referral_a: ("partner", "caritas mali"),
                 consent_b: ("recipient", "CARITAS MALI"),
                 withdrawal_b: ("recipient", "Caritas Mali\u00a0"),
                 consent_c: ("recipient", "Another NGO.")}
        for rid, (field, name) in names.items():
            db.execute("UPDATE case_records SET data=json_set(data,'$.' || ?, ?) WHERE id=?",
                       (field, name, rid))
        db.execute("UPDATE case_records SET data=json_set(data,'$.partner','Caritas Mali ') "
                   "WHERE kind='referral' AND json_extract(data,'$.service')='health'")
        # the old code: that withdrawal met no consent
        db.execute("UPDATE case_records SET data=json_remove(data,'$.withdrawn_at') WHERE id=?",
                   (consent_b,))
        db.execute("UPDATE users SET organisation='caritas mali ' WHERE username=?", (puser,))
        downgrade(db, migration_version("CREATE TABLE partners") - 1)
        db.commit()
        db.close()

        p = subprocess.run([srv.bin, "migrate", "--db", srv.db], capture_output=True,
                           timeout=60)
        assert p.returncode == 0, (p.stdout, p.stderr)
        srv.start()
        mgr = srv.token(srv.admin_user)
        st, _, data = srv.request("GET", "/api/v1/partners", token=mgr)
        assert st == 200, (st, data)
        by_name = {i["name"]: i["id"] for i in data["items"]}
        assert sorted(by_name) == ["Another NGO", "Caritas Mali"], data
        caritas = by_name["Caritas Mali"]
        recs = {r["id"]: r for r in _records(srv, c["id"], mgr)}
        for rid in (consent_a, consent_b, withdrawal_b):
            assert recs[rid]["data"]["recipient"] == caritas, recs[rid]
        assert recs[referral_a]["data"]["partner"] == caritas, recs[referral_a]
        assert all(r["data"]["partner"] == caritas for r in recs.values()
                   if r["kind"] == "referral"), recs
        assert recs[consent_c]["data"]["recipient"] == by_name["Another NGO"]
        assert recs[medical]["data"]["recipient"] == "Dr Escort", recs[medical]
        # The withdrawal now met its consent.
        assert recs[consent_b]["data"].get("withdrawn_at"), recs[consent_b]
        assert not recs[consent_a]["data"].get("withdrawn_at"), recs[consent_a]
        st, _, u = srv.request("GET", "/api/v1/users", token=mgr)
        assert [x["organisation"] for x in u["items"] if x["username"] == puser] == [caritas]
        # The partner sees A's referral, not B's (withdrawn).
        st, _, data = srv.login(puser, "pw-" + puser + "-long")
        assert st == 201, (st, data)
        st, _, refs = srv.request("GET", "/api/v1/referrals", token=data["token"])
        assert st == 200 and refs["organisation"] == "Caritas Mali", (st, refs)
        assert [i["person"]["id"] for i in refs["items"]] == [a], refs
        srv.stop()
        db = sqlite3.connect(srv.db)
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        db.close()
    finally:
        if srv.alive():
            srv.stop()
        srv.cleanup()


if __name__ == "__main__":
    main()
