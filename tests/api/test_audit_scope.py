"""The audit log is scoped like the cases it is about (security review,
issue 14): a user who does not work across offices — here a programme
manager bound to one office and one project — reads only the records about
cases in their scope and about the persons of those cases. A case out of
scope answers `?case=` as an unknown id does (an empty page), `?user=` and
an unfiltered query leave out everything else, and records about no case
(sign-ins, lists, administration) are for administrators and managers who
work across offices."""
import time

from harness import (test, shared, request, admin, case_body, create_case, person,
                     uniq_username, main)

CASE_ROUTE = "/api/v1/cases/{id}"
PERSON_ROUTE = "/api/v1/persons/{id}"


def _user(roles, offices, projects=None):
    s = shared()
    name = uniq_username()
    body = {"username": name, "password": "pw-" + name + "-long", "roles": roles,
            "offices": offices}
    if projects is not None:
        body["projects"] = projects
    st, _, data = s.request("POST", "/api/v1/users", body, token=s.admin())
    assert st == 201, (st, data)
    st, _, data = s.login(name, body["password"])
    assert st == 201, (st, data)
    return name, data["token"]


def _audit(query, token):
    st, _, data = request("GET", "/api/v1/audit?" + query, token=token)
    assert st == 200, (query, st, data)
    return data["items"]


def _wait_for(query, want, token=None):
    """Records are written a few milliseconds after the answer: polls, as
    an administrator, until an item satisfies want."""
    for _ in range(100):
        items = _audit(query, token or admin())
        if any(want(i) for i in items):
            return items
        time.sleep(0.05)
    raise AssertionError("no audit record for %s" % query)


def _fixture():
    s = shared()
    s.ensure_office("EG-CAI", "Cairo", "EGY")
    s.ensure_office("DZ-TAM", "Tamanrasset", "DZA")
    project = "Audit scope " + uniq_username()
    tam = create_case(case_body(office="DZ-TAM"))
    cai = create_case(case_body(office="EG-CAI"))
    proj = create_case(case_body(office="DZ-TAM", project=project, members=[
        {"relationship": "principal", "person": person()}]))
    f = {"tam": tam["id"], "tam_p": tam["members"][0]["person_id"],
         "cai": cai["id"], "cai_p": cai["members"][0]["person_id"],
         "proj": proj["id"], "project": project}
    # An officer of Tamanrasset reads its case and person, and the case of
    # the project.
    f["officer"], otok = _user(["registration"], ["DZ-TAM"])
    for path in ("/api/v1/cases/" + f["tam"], "/api/v1/persons/" + f["tam_p"],
                 "/api/v1/cases/" + f["proj"]):
        assert request("GET", path, token=otok)[0] == 200, path
    # An administrator reads the Cairo case and person.
    for path in ("/api/v1/cases/" + f["cai"], "/api/v1/persons/" + f["cai_p"]):
        assert request("GET", path, token=admin())[0] == 200, path
    # The records exist before the scoped reads are checked.
    for eid, route in ((f["tam"], CASE_ROUTE), (f["tam_p"], PERSON_ROUTE),
                       (f["proj"], CASE_ROUTE), (f["cai"], CASE_ROUTE),
                       (f["cai_p"], PERSON_ROUTE)):
        _wait_for("case=" + eid, lambda i, r=route: i["route"] == r and i["status"] == 200)
    # A manager bound to Cairo and to the project.
    f["manager"], f["mtok"] = _user(["manager"], ["EG-CAI"], [project])
    return f


@test
def a_manager_bound_to_an_office_reads_no_audit_record_of_a_case_out_of_scope():
    f = _fixture()
    mtok = f["mtok"]
    # The case itself is unknown to them...
    assert request("GET", "/api/v1/cases/" + f["tam"], token=mtok)[0] == 404
    assert request("GET", "/api/v1/persons/" + f["tam_p"], token=mtok)[0] == 404
    # ...and so is its audit trail: the same answer as for an id that
    # never existed.
    unknown = "01900000-0000-7000-8000-00000000abcd"
    assert _audit("case=" + unknown, mtok) == []
    assert _audit("case=" + f["tam"], mtok) == []
    assert _audit("case=" + f["tam_p"], mtok) == []
    assert _audit("entity=" + f["tam"], mtok) == []
    # The cross-office roles see it.
    items = _audit("case=" + f["tam"], admin())
    assert any(i["user"] == f["officer"] for i in items), items
    _, everywhere = _user(["manager"], ["EG-CAI"])
    assert any(i["user"] == f["officer"] for i in _audit("case=" + f["tam"], everywhere))


@test
def a_scoped_manager_reads_the_records_of_their_office_and_their_project():
    f = _fixture()
    mtok = f["mtok"]
    cai = _audit("case=" + f["cai"], mtok)
    assert any(i["route"] == CASE_ROUTE and i["status"] == 200 for i in cai), cai
    person = _audit("case=" + f["cai_p"], mtok)
    assert any(i["route"] == PERSON_ROUTE for i in person), person
    # A case of another office in their project is in scope.
    proj = _audit("case=" + f["proj"], mtok)
    assert any(i["user"] == f["officer"] for i in proj), proj


@test
def by_user_and_unfiltered_a_scoped_manager_sees_only_records_about_their_cases():
    f = _fixture()
    mtok = f["mtok"]
    hidden = {f["tam"], f["tam_p"]}
    # What the Tamanrasset officer did: only the project case shows, not
    # the ids they read elsewhere, nor their sign-in.
    mine = _audit("user=" + f["officer"] + "&limit=200", mtok)
    assert [i["entity_id"] for i in mine] == [f["proj"]], mine
    everything = _audit("user=" + f["officer"] + "&limit=200", admin())
    assert hidden <= {i["entity_id"] for i in everything}, everything
    assert any(i["route"] == "/api/v1/session" for i in everything), everything
    # Unfiltered: every record is about a case or a person in scope.
    items = _audit("limit=200", mtok)
    assert items, "the manager's own reads at least"
    for i in items:
        assert i["route"].startswith(CASE_ROUTE) or i["route"].startswith(PERSON_ROUTE), i
        assert i["entity_id"] not in hidden, i
    assert not any(i["route"] == "/api/v1/session" for i in items)
    # Paging through the scoped log never reaches an out-of-scope record.
    seen, cursor = 0, None
    for _ in range(50):
        q = "limit=5" + ("&cursor=" + cursor if cursor else "")
        st, _, page = request("GET", "/api/v1/audit?" + q, token=mtok)
        assert st == 200, (st, page)
        for i in page["items"]:
            assert i["entity_id"] not in hidden, i
        seen += len(page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen >= 5, seen


@test
def records_about_no_case_are_for_the_cross_office_roles():
    f = _fixture()
    name, tok = _user(["manager"], ["EG-CAI"], [f["project"]])
    assert request("GET", "/api/v1/restrictions", token=tok)[0] == 200
    listed = lambda i: i["route"] == "/api/v1/restrictions"
    assert any(listed(i) for i in _wait_for("user=" + name, listed))
    assert not any(listed(i) for i in _audit("user=" + name, tok))
    assert not any(i["route"] == "/api/v1/session" for i in _audit("user=" + name, tok))


if __name__ == "__main__":
    main()
