"""Persons across offices (security review, issue 14).

  * Linking a person by id (`members[].person_id`, on create and on PATCH)
    works only for a person the user may already see; any other id is
    answered exactly like an unknown one, and nothing is created or changed.
  * A change to a person who belongs to several cases is on the timeline of
    every case it touches (`person_updated`, naming the person and the
    fields, not the case it came through) and moves their version on.
  * The host office of a case is not a field a PATCH can change (422 on
    `office`, pointing at the hand-over), for the sending office and the
    receiving office alike; the receiving office cannot be changed either.
  * Person reads, searches and dossiers list only the cases the user may
    see, with `has_cases_elsewhere` saying whether there are others.
"""
from harness import (test, shared, request, assert_problem, case_body, person,
                     create_case, uniq_name, urlquote, main)
from journey_util import Journey


def _user(roles, office):
    s = shared()
    s.ensure_office("EG-CAI", "Cairo", "EGY")
    s.ensure_office("DZ-TAM", "Tamanrasset", "DZA")
    s.ensure_office("ML-BKO", "Bamako", "MLI")
    return s.make_user(list(roles), [office])


def _events(case_id):
    st, _, ev = request("GET", "/api/v1/cases/%s/events" % case_id, token=shared().admin())
    assert st == 200, (st, ev)
    return ev["items"]


def _get(case_id):
    st, _, c = request("GET", "/api/v1/cases/" + case_id, token=shared().admin())
    assert st == 200, (st, c)
    return c


def _patch(case_id, body, version, tok):
    return request("PATCH", "/api/v1/cases/" + case_id, body, token=tok,
                   headers={"If-Match": '"%d"' % version})


def _tamanrasset_person():
    """A case of DZ-TAM with a person who belongs to no other case."""
    name = uniq_name()
    c = create_case(case_body(office="DZ-TAM", members=[
        {"relationship": "principal",
         "person": person(name=name, name_latin=name,
                          documents=[{"type": "laissez_passer", "number": "LP7788990",
                                      "issuing_country": "SDN", "expiry": "2030-01-01"}])}]))
    return c, c["members"][0]["person_id"]


def _shared_person():
    """A person in a DZ-TAM case and an EG-CAI case (linked by an
    administrator, who sees every office)."""
    tam, pid = _tamanrasset_person()
    cai = create_case(case_body(office="EG-CAI", members=[
        {"relationship": "principal", "person_id": pid}]))
    return tam, cai, pid


@test
def linking_a_person_of_another_office_is_answered_like_an_unknown_id():
    tam, pid = _tamanrasset_person()
    _, tok = _user(["registration"], "EG-CAI")
    unknown = "0193a5b0-1234-7abc-8def-0123456789ab"
    answers = []
    for ref in (pid, unknown):
        r = request("POST", "/api/v1/cases", case_body(office="EG-CAI", members=[
            {"relationship": "principal", "person_id": ref}]), token=tok)
        p = assert_problem(r, 422, "validation", fields="members[0].person_id")
        answers.append((p["title"], p["detail"], p["errors"]))
        assert "LP7788990" not in str(p) and tam["members"][0]["person"]["name"] not in str(p), p
    assert answers[0] == answers[1], answers
    # Still unknown to the Cairo user, and nothing changed in Tamanrasset.
    assert_problem(request("GET", "/api/v1/persons/" + pid, token=tok), 404, "not-found")
    assert _get(tam["id"]) == tam
    assert [e["kind"] for e in _events(tam["id"])] == ["created"]


@test
def linking_by_id_in_a_patch_is_refused_the_same_way():
    tam, pid = _tamanrasset_person()
    _, tok = _user(["registration"], "EG-CAI")
    mine = create_case(case_body(office="EG-CAI"), token=tok)
    for extra in ({"relationship": "spouse", "person_id": pid},
                  {"relationship": "spouse", "person_id": pid,
                   "person": person(name="Renamed Person", name_latin="Renamed Person")}):
        r = _patch(mine["id"], {"members": mine["members"] + [extra]}, 1, tok)
        assert_problem(r, 422, "validation", fields="members[1].person_id")
    assert _get(mine["id"]) == mine
    assert _get(tam["id"]) == tam
    assert [e["kind"] for e in _events(tam["id"])] == ["created"]
    assert_problem(request("GET", "/api/v1/persons/" + pid, token=tok), 404, "not-found")


@test
def a_person_the_user_may_see_is_linked():
    _, tok = _user(["registration"], "EG-CAI")
    first = create_case(case_body(office="EG-CAI"), token=tok)
    pid = first["members"][0]["person_id"]
    st, _, second = request("POST", "/api/v1/cases", case_body(office="EG-CAI", members=[
        {"relationship": "principal", "person_id": pid}]), token=tok)
    assert st == 201, (st, second)
    assert second["members"][0]["person_id"] == pid
    assert second["members"][0]["person"]["name"] == first["members"][0]["person"]["name"]
    # And through a PATCH of another case of the office.
    third = create_case(case_body(office="EG-CAI"), token=tok)
    st, _, got = _patch(third["id"], {"members": third["members"] + [
        {"relationship": "spouse", "person_id": pid}]}, 1, tok)
    assert st == 200, (st, got)
    assert [m["person_id"] for m in got["members"]][1] == pid


@test
def changing_a_shared_person_is_on_the_timeline_of_every_case_it_touches():
    tam, cai, pid = _shared_person()
    user, tok = _user(["registration"], "EG-CAI")
    members = cai["members"]
    members[0]["person"]["name_latin"] = "Changed In Cairo"
    members[0]["person"]["contact"]["phone"] = "+20100000001"
    st, _, got = _patch(cai["id"], {"members": members}, cai["version"], tok)
    assert st == 200, (st, got)
    assert got["members"][0]["person"]["name_latin"] == "Changed In Cairo"
    # Tamanrasset's case shows the new details, has a new version, and says
    # who changed which fields of which person — not through which case.
    now = _get(tam["id"])
    assert now["members"][0]["person"]["name_latin"] == "Changed In Cairo"
    assert now["version"] == tam["version"] + 1, (now["version"], tam["version"])
    ev = _events(tam["id"])
    assert [e["kind"] for e in ev] == ["created", "person_updated"], ev
    last = ev[-1]
    assert last["user"] == user, last
    assert last["data"] == {"person_id": pid, "changed": ["name_latin", "contact"]}, last
    assert cai["id"] not in str(last) and cai["number"] not in str(last), last
    # The Cairo case's own timeline has its usual "updated" event, once.
    kinds = [e["kind"] for e in _events(cai["id"])]
    assert kinds == ["created", "updated"], kinds
    # An edit of the Tamanrasset case based on the old details is stale.
    _, tam_tok = _user(["registration"], "DZ-TAM")
    old = tam["members"]
    r = _patch(tam["id"], {"members": old}, tam["version"], tam_tok)
    assert_problem(r, 412, "precondition-failed")
    assert _get(tam["id"])["members"][0]["person"]["name_latin"] == "Changed In Cairo"


@test
def linking_with_new_details_on_create_is_on_the_other_timelines_too():
    tam, pid = _tamanrasset_person()
    _, cai_mgr = _user(["manager"], "EG-CAI")   # works across offices
    p = dict(tam["members"][0]["person"])
    for k in ("id", "created_at", "updated_at"):
        p.pop(k, None)
    p["contact"] = {"phone": "+20100000002"}
    st, _, c = request("POST", "/api/v1/cases", case_body(office="EG-CAI", members=[
        {"relationship": "principal", "person_id": pid, "person": p}]), token=cai_mgr)
    assert st == 201, (st, c)
    ev = _events(tam["id"])
    assert [e["kind"] for e in ev] == ["created", "person_updated"], ev
    assert ev[-1]["data"] == {"person_id": pid, "changed": ["contact"]}, ev[-1]
    assert _get(tam["id"])["version"] == tam["version"] + 1
    # Linking without a change touches nothing.
    create_case(case_body(office="EG-CAI", members=[
        {"relationship": "principal", "person_id": pid}]), token=cai_mgr)
    assert len(_events(tam["id"])) == 2


def _handed_over():
    j = Journey(destination="MLI")
    st, _, c = j.req("POST", "/handover", {"office": "ML-BKO"}, role="operations")
    assert st == 200, (st, c)
    return j, c


@test
def the_receiving_office_cannot_take_a_case_away():
    j, c = _handed_over()
    _, bko = _user(["registration"], "ML-BKO")
    r = _patch(j.id, {"office": "ML-BKO"}, c["version"], bko)
    p = assert_problem(r, 422, "validation", fields="office")
    msg = [e["message"] for e in p["errors"] if e["field"] == "office"][0]
    assert "hand" in msg and "/handover" in msg, msg
    now = _get(j.id)
    assert now["office"] == j.office and now["receiving_office"] == "ML-BKO", now
    assert now["version"] == c["version"]
    # The sending office still has it.
    assert request("GET", "/api/v1/cases/" + j.id, token=j.tok("registration"))[0] == 200
    # Nor can it change the receiving office (a server-owned field).
    _, bko_mgr = _user(["manager"], "ML-BKO")
    for value in ("ML-KYS", None, "EG-CAI"):
        st, _, got = _patch(j.id, {"receiving_office": value, "notes": "x%s" % value},
                            _get(j.id)["version"], bko_mgr)
        assert st == 200, (st, got)
        assert got["receiving_office"] == "ML-BKO" and got["office"] == j.office, got


@test
def nobody_moves_a_case_between_offices_with_a_patch():
    j, c = _handed_over()
    _, cai_mgr = _user(["manager"], "EG-CAI")
    for tok in (j.tok("registration"), j.tok("operations"), cai_mgr, shared().admin()):
        for office in ("DZ-TAM", "ML-BKO"):
            r = _patch(j.id, {"office": office}, c["version"], tok)
            assert_problem(r, 422, "validation", fields="office")
    now = _get(j.id)
    assert now["office"] == j.office and now["version"] == c["version"], now
    assert [e["kind"] for e in _events(j.id)] == ["created", "handed_over"]
    # Posting back the case as read (same office) is still an edit.
    body = dict(now, notes="posted back")
    st, _, got = _patch(j.id, body, now["version"], cai_mgr)
    assert st == 200 and got["notes"] == "posted back", (st, got)


@test
def person_reads_list_only_the_cases_the_user_may_see():
    tam, cai, pid = _shared_person()
    name = tam["members"][0]["person"]["name"]
    _, tok = _user(["registration"], "EG-CAI")
    st, _, p = request("GET", "/api/v1/persons/" + pid, token=tok)
    assert st == 200, (st, p)
    assert [c["id"] for c in p["cases"]] == [cai["id"]], p["cases"]
    assert p["has_cases_elsewhere"] is True, p
    assert tam["id"] not in str(p) and tam["number"] not in str(p) and "DZ-TAM" not in str(p)
    st, _, found = request("GET", "/api/v1/persons?q=" + urlquote(name), token=tok)
    assert st == 200, (st, found)
    item = [i for i in found["items"] if i["id"] == pid][0]
    assert [c["id"] for c in item["cases"]] == [cai["id"]], item
    assert item["has_cases_elsewhere"] is True, item
    assert tam["id"] not in str(found) and "DZ-TAM" not in str(found), found
    # Someone who sees every office sees both, and nothing elsewhere.
    st, _, p = request("GET", "/api/v1/persons/" + pid, token=shared().admin())
    assert {c["id"] for c in p["cases"]} == {tam["id"], cai["id"]}, p["cases"]
    assert p["has_cases_elsewhere"] is False, p
    found = request("GET", "/api/v1/persons?q=" + urlquote(name), token=shared().admin())[2]
    item = [i for i in found["items"] if i["id"] == pid][0]
    assert len(item["cases"]) == 2 and item["has_cases_elsewhere"] is False, item
    # A person only in the user's office: nothing elsewhere.
    own = create_case(case_body(office="EG-CAI"), token=tok)
    p = request("GET", "/api/v1/persons/" + own["members"][0]["person_id"], token=tok)[2]
    assert p["has_cases_elsewhere"] is False and len(p["cases"]) == 1, p


@test
def a_dossier_lists_only_the_cases_the_user_may_see():
    s = shared()
    project = "Person links " + uniq_name()
    tam, pid = _tamanrasset_person()
    cai = create_case(case_body(office="EG-CAI", project=project, members=[
        {"relationship": "principal", "person_id": pid}]))
    name = "mgr" + uniq_name().replace(" ", "").lower()[:12]
    body = {"username": name, "password": "pw-" + name + "-long", "roles": ["manager"],
            "offices": ["ML-BKO"], "projects": [project]}
    st, _, u = request("POST", "/api/v1/users", body, token=s.admin())
    assert st == 201, (st, u)
    tok = s.login(name, body["password"])[2]["token"]
    st, _, d = request("GET", "/api/v1/persons/%s/dossier" % pid, token=tok)
    assert st == 200, (st, d)
    assert [c["case_id"] for c in d["cases"]] == [cai["id"]], d["cases"]
    assert d["has_cases_elsewhere"] is True
    assert tam["id"] not in str(d) and tam["number"] not in str(d), "a DZ-TAM case is revealed"
    st, _, d = request("GET", "/api/v1/persons/%s/dossier" % pid, token=s.admin())
    assert {c["case_id"] for c in d["cases"]} == {tam["id"], cai["id"]}
    assert d["has_cases_elsewhere"] is False


if __name__ == "__main__":
    main()
