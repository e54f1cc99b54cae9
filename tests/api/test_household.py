"""The household after registration: every member can be corrected through
PATCH /cases/{id} (a merge patch whose "members" replaces the list; a
member named by person_id alone is left as it is), a newborn added, and a
member who left removed with POST /cases/{id}/member-removals — the reason
required, kept in the timeline with who left, guarded by If-Match like
every change, the principal applicant never removable, the person and
their records kept. Retention anonymises a removed member with no other
case, and the name and reason in the event."""
import secrets
import sqlite3
import subprocess

from harness import (Server, test, shared, request, assert_problem, assert_error_field, main,
                     case_body, create_case, get_case, person)
from journey_util import token, consent_body

YEAR_MS = 365 * 24 * 3600 * 1000


def _household():
    return create_case(case_body(members=[
        {"relationship": "principal", "person": person(name="رب الأسرة", name_latin=None)},
        {"relationship": "spouse", "person": person(sex="female")},
        {"relationship": "child", "person": person(date_of_birth="2015-03-02")},
    ]), token=token("registration"))


def _patch(c, body, version=None, tok=None):
    return request("PATCH", "/api/v1/cases/" + c["id"], body, token=tok or token("registration"),
                   headers={"If-Match": '"%d"' % (version if version is not None else c["version"])})


def _remove(c, body, version=None, tok=None, headers=None):
    h = {} if headers is not None else {"If-Match": '"%d"' % (
        version if version is not None else c["version"])}
    h.update(headers or {})
    return request("POST", "/api/v1/cases/%s/member-removals" % c["id"], body,
                   token=tok or token("registration"), headers=h)


def _events(c, kind=None):
    st, _, d = request("GET", "/api/v1/cases/%s/events" % c["id"], token=token("registration"))
    assert st == 200, (st, d)
    return [e for e in d["items"] if kind is None or e["kind"] == kind]


def _members_by_id(c):
    """The members as a PATCH names them: by person_id alone."""
    return [{"relationship": m["relationship"], "person_id": m["person_id"]} for m in c["members"]]


@test
def a_member_is_corrected_and_the_others_are_left_as_they_are():
    shared()
    c = _household()
    members = _members_by_id(c)
    # The principal gets the Latin form of the name and a second document.
    p = dict(c["members"][0]["person"])
    p["name_latin"] = "Rab al-Usra"
    p["documents"] = p["documents"] + [{"type": "national_id", "number": "NID-778"}]
    p["vulnerabilities"] = ["medical_condition"]
    members[0] = {"relationship": "principal", "person_id": c["members"][0]["person_id"],
                  "person": p}
    st, h, d = _patch(c, {"members": members})
    assert st == 200, (st, d)
    assert h["ETag"] == '"%d"' % (c["version"] + 1)
    got = d["members"][0]["person"]
    assert got["name"] == "رب الأسرة" and got["name_latin"] == "Rab al-Usra"
    assert [x["number"] for x in got["documents"]] == ["P1234567", "NID-778"]
    assert got["vulnerabilities"] == ["medical_condition"]
    # The spouse and the child, named by id only, are unchanged.
    for i in (1, 2):
        assert d["members"][i]["person"] == c["members"][i]["person"], i
    assert any("members[0].person" in "".join(e["data"].get("changed", []))
               for e in _events(c, "updated"))


@test
def a_newborn_is_added_to_the_household():
    shared()
    c = _household()
    baby = person(name="Baby " + secrets.token_hex(3), date_of_birth="2026-01-05",
                  documents=[{"type": "birth_certificate", "number": "BC-1"}], contact=None)
    st, _, d = _patch(c, {"members": _members_by_id(c) + [{"relationship": "child", "person": baby}]})
    assert st == 200, (st, d)
    assert len(d["members"]) == 4
    assert d["members"][3]["person"]["name"] == baby["name"]
    assert d["members"][3]["person_id"]


@test
def a_member_edit_on_a_stale_version_is_refused_and_changes_nothing():
    shared()
    c = _household()
    assert _patch(c, {"notes": "someone else was first"})[0] == 200
    p = dict(c["members"][1]["person"], name="Corrected " + secrets.token_hex(3))
    members = _members_by_id(c)
    members[1]["person"] = p
    assert_problem(_patch(c, {"members": members}), 412, "precondition-failed")
    assert get_case(c["id"], token=token("registration"))[2]["members"][1]["person"]["name"] == \
        c["members"][1]["person"]["name"]


@test
def a_change_that_makes_the_household_implausible_is_confirmed_with_members_named_by_id():
    shared()
    c = _household()  # principal born 1990, a child born 2015
    principal = c["members"][0]
    # the principal's date of birth typed as 2018, the others named by id
    # alone, as the web interface's household editor sends them: the
    # child is now older than the principal
    members = [{"relationship": m["relationship"], "person_id": m["person_id"]}
               for m in c["members"]]
    edited = dict(principal["person"], date_of_birth="2018-04-01")
    for k in ("id", "anonymised_at"):
        edited.pop(k, None)
    members[0] = {"relationship": "principal", "person_id": principal["person_id"],
                  "person": edited}
    p = assert_problem(_patch(c, {"members": members}), 422, "validation",
                       fields="members[2].person.date_of_birth")
    child = [e for e in p["errors"] if e["field"] == "members[2].person.date_of_birth"][0]
    assert child["code"] == "child-older-than-principal", p
    assert child["confirm"] == "confirm_plausibility", child
    assert get_case(c["id"], token=token("registration"))[2]["version"] == c["version"]
    # confirmed: changed, and the confirmation kept in the event
    # every warning at once, the one about the principal too
    codes = sorted({e["code"] for e in p["errors"]})
    assert codes == ["child-older-than-principal", "principal-young-without-guardian"], p
    st, _, d = _patch(c, {"members": members, "confirm_plausibility": codes})
    assert st == 200, (st, d)
    assert d["members"][0]["person"]["date_of_birth"] == "2018-04-01"
    ev = [e for e in _events(c, "updated") if e["data"].get("confirmed")]
    assert len(ev) == 1 and "child-older-than-principal" in \
        [x["code"] for x in ev[0]["data"]["confirmed"]], ev


@test
def a_member_who_left_is_removed_with_the_reason_in_the_timeline():
    shared()
    c = _household()
    gone = c["members"][1]
    # a record about the spouse stays after the removal
    assert request("POST", "/api/v1/cases/%s/records" % c["id"], consent_body(gone["person_id"]),
                   token=token("counsellor"))[0] == 201
    c = get_case(c["id"], token=token("registration"))[2]
    reason = "Moved to Alexandria to live with her brother"
    st, h, d = _remove(c, {"person_id": gone["person_id"], "reason": reason})
    assert st == 200, (st, d)
    assert h["ETag"] == '"%d"' % (c["version"] + 1) and d["version"] == c["version"] + 1
    assert [m["person_id"] for m in d["members"]] == \
        [c["members"][0]["person_id"], c["members"][2]["person_id"]]
    assert [m["relationship"] for m in d["members"]] == ["principal", "child"]
    ev = _events(c, "member_removed")
    assert len(ev) == 1, ev
    assert ev[0]["data"]["reason"] == reason
    assert ev[0]["data"]["person_id"] == gone["person_id"]
    assert ev[0]["data"]["name"] == gone["person"]["name"]
    assert ev[0]["data"]["relationship"] == "spouse"
    assert ev[0]["user"], ev[0]
    # nothing is lost: the person and the record about them stay
    st, _, recs = request("GET", "/api/v1/cases/%s/records" % c["id"], token=token("counsellor"))
    assert any(r["person_id"] == gone["person_id"] for r in recs["items"])
    st, _, p = request("GET", "/api/v1/persons/" + gone["person_id"], token=shared().admin())
    assert st == 200 and p["name"] == gone["person"]["name"], (st, p)


@test
def a_removal_needs_a_reason_a_member_and_never_takes_the_principal():
    shared()
    c = _household()
    spouse = c["members"][1]["person_id"]
    assert_error_field(assert_problem(_remove(c, {"person_id": spouse}), 422, "validation"),
                       ["reason"])
    assert_error_field(assert_problem(_remove(c, {"person_id": spouse, "reason": "  \n "}), 422,
                                      "validation"), ["reason"])
    assert_error_field(assert_problem(_remove(c, {"person_id": spouse, "reason": "x" * 4001}),
                                      422, "validation"), ["reason"])
    assert_error_field(assert_problem(_remove(c, {"reason": "left"}), 422, "validation"),
                       ["person_id"])
    assert_error_field(assert_problem(_remove(c, {"person_id": spouse, "reason": "left",
                                                  "members": []}), 422, "validation"),
                       ["members"])
    other = create_case(case_body(), token=token("registration"))["members"][0]["person_id"]
    assert_error_field(assert_problem(_remove(c, {"person_id": other, "reason": "left"}), 422,
                                      "validation"), ["person_id"])
    p = assert_problem(_remove(c, {"person_id": c["members"][0]["person_id"], "reason": "left"}),
                       422, "validation")
    assert_error_field(p, ["person_id"])
    assert "principal" in p["errors"][0]["message"]
    # in the user's language
    p = assert_problem(_remove(c, {"person_id": c["members"][0]["person_id"], "reason": "left"},
                               headers={"If-Match": '"%d"' % c["version"],
                                        "Accept-Language": "fr"}), 422, "validation")
    assert p["title"] == "Le retrait n'est pas valide", p
    assert p["errors"][0]["message"].startswith("le demandeur principal ne peut pas"), p
    # nothing changed
    g = get_case(c["id"], token=token("registration"))[2]
    assert g["version"] == c["version"] and len(g["members"]) == 3
    assert _events(c, "member_removed") == []


@test
def a_removal_carries_the_version_it_was_based_on():
    shared()
    c = _household()
    spouse = c["members"][1]["person_id"]
    body = {"person_id": spouse, "reason": "left for Libya"}
    assert_problem(_remove(c, body, headers={}), 428, "precondition-required")
    assert _patch(c, {"notes": "edited meanwhile"})[0] == 200
    p = assert_problem(_remove(c, body), 412, "precondition-failed")
    assert "someone else" in p["detail"]
    assert len(get_case(c["id"], token=token("registration"))[2]["members"]) == 3
    assert_problem(_remove(c, body, headers={"If-Match": "soon"}), 400, "bad-request")
    # If-Match as RFC 9110 reads it, as for a PATCH: a weak tag never
    # matches, a list matches by any of its tags, * by any version
    now = get_case(c["id"], token=token("registration"))[2]["version"]
    assert_problem(_remove(c, body, headers={"If-Match": 'W/"%d"' % now}), 412,
                   "precondition-failed")
    st, _, d = _remove(c, body, headers={"If-Match": '"1", "%d"' % now})
    assert st == 200 and len(d["members"]) == 2, (st, d)
    child = c["members"][2]["person_id"]
    st, _, d = _remove(c, {"person_id": child, "reason": "lives with an aunt"},
                       headers={"If-Match": "*"})
    assert st == 200 and len(d["members"]) == 1, (st, d)


@test
def only_staff_who_may_change_cases_of_the_office_remove_members():
    s = shared()
    c = _household()
    body = {"person_id": c["members"][2]["person_id"], "reason": "stays with the grandmother"}
    assert_problem(_remove(c, body, tok=token("medical")), 403, "forbidden")
    _, elsewhere = s.make_user(["registration"], ["DZ-TAM"])
    assert_problem(_remove(c, body, tok=elsewhere), 404, "not-found")
    st, _, d = request("POST", "/api/v1/cases/%s/member-removals" % c["id"], body,
                       headers={"If-Match": '"%d"' % c["version"]})
    assert st == 401, (st, d)
    assert len(get_case(c["id"], token=token("registration"))[2]["members"]) == 3


def _age_case(srv, case_id, years):
    db = sqlite3.connect(srv.db, timeout=10)
    try:
        db.execute("UPDATE cases SET updated_at = updated_at - ? WHERE id = ?",
                   (years * YEAR_MS, case_id))
        db.commit()
    finally:
        db.close()


@test
def retention_anonymises_a_removed_member_and_the_name_and_reason_in_the_event():
    srv = Server()
    try:
        srv.start()
        srv.ensure_office("EG-CAI", "Cairo", "EGY")
        _, reg = srv.make_user(["registration", "counsellor"], ["EG-CAI"])
        mark = secrets.token_hex(5).upper()
        c = srv.request("POST", "/api/v1/cases", case_body(members=[
            {"relationship": "principal", "person": person()},
            {"relationship": "sibling", "person": person(name="GONEMARK" + mark,
                                                         name_latin="GONEMARK" + mark)}]),
            token=reg)[2]
        gone = c["members"][1]["person_id"]
        st, _, d = srv.request("POST", "/api/v1/cases/%s/member-removals" % c["id"],
                               {"person_id": gone, "reason": "WHYMARK" + mark}, token=reg,
                               headers={"If-Match": '"%d"' % c["version"]})
        assert st == 200, (st, d)
        st, _, d = srv.request("POST", "/api/v1/cases/%s/transitions" % c["id"],
                               {"event": "withdraw", "reason": "stays"}, token=reg)
        assert st == 200, (st, d)
        _age_case(srv, c["id"], 3)
        srv.stop()  # one process writes to a database at a time
        p = subprocess.run([srv.bin, "retention", "run", "--db", srv.db],
                           capture_output=True, timeout=60)
        assert p.returncode == 0, p
        srv.start()
        person_now = srv.request("GET", "/api/v1/persons/" + gone, token=srv.admin())[2]
        assert person_now["name"] == "[anonymised]", person_now
        assert not person_now.get("documents"), person_now
        ev = [e for e in srv.request("GET", "/api/v1/cases/%s/events" % c["id"],
                                     token=srv.admin())[2]["items"]
              if e["kind"] == "member_removed"]
        assert len(ev) == 1 and ev[0]["data"]["person_id"] == gone
        assert "reason" not in ev[0]["data"] and "name" not in ev[0]["data"], ev[0]
    finally:
        srv.cleanup()


if __name__ == "__main__":
    main()
