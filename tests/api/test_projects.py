"""Project scoping: a programme manager given projects sees the cases of
their offices and of their projects — in reads, lists and name searches —
and no others; a manager without projects still sees every office."""
from harness import test, shared, request, assert_problem, main, uniq_username, case_body, person

PROJECT = "AVRR from Egypt (EU test)"


def _manager(projects, offices=("ML-BKO",)):
    s = shared()
    s.ensure_office("ML-BKO", "Bamako", "MLI")
    name = uniq_username()
    body = {"username": name, "password": "pw-" + name + "-long", "roles": ["manager"],
            "offices": list(offices), "projects": projects}
    st, _, data = s.request("POST", "/api/v1/users", body, token=s.admin())
    assert st == 201, (st, data)
    assert data["projects"] == projects, data
    st, _, data = s.login(name, body["password"])
    assert st == 201, (st, data)
    return data["token"]


@test
def a_manager_with_projects_sees_their_offices_and_their_projects_only():
    s = shared()
    s.ensure_office("EG-CAI", "Cairo", "EGY")
    tag = uniq_username().upper()
    mine = request("POST", "/api/v1/cases", case_body(
        project=PROJECT, members=[{"relationship": "principal",
                                   "person": person(name="PRJ" + tag + " ONE",
                                                    name_latin="PRJ" + tag + " ONE")}]),
        token=s.admin())[2]
    other = request("POST", "/api/v1/cases", case_body(
        project="Another project", members=[{"relationship": "principal",
                                             "person": person(name="PRJ" + tag + " TWO",
                                                              name_latin="PRJ" + tag + " TWO")}]),
        token=s.admin())[2]
    tok = _manager([PROJECT])
    assert request("GET", "/api/v1/cases/" + mine["id"], token=tok)[0] == 200
    assert_problem(request("GET", "/api/v1/cases/" + other["id"], token=tok), 404, "not-found")
    assert request("GET", "/api/v1/persons/" + mine["members"][0]["person_id"],
                   token=tok)[0] == 200
    assert request("GET", "/api/v1/persons/" + other["members"][0]["person_id"],
                   token=tok)[0] == 404
    listed = request("GET", "/api/v1/cases?limit=200&q=PRJ" + tag, token=tok)[2]["items"]
    assert [c["id"] for c in listed] == [mine["id"]], listed
    found = request("GET", "/api/v1/persons?q=PRJ" + tag, token=tok)[2]["items"]
    assert [p["id"] for p in found] == [mine["members"][0]["person_id"]], found
    # Without projects a manager sees every office, as before.
    everything = _manager([])
    listed = request("GET", "/api/v1/cases?limit=200&q=PRJ" + tag, token=everything)[2]["items"]
    assert {c["id"] for c in listed} == {mine["id"], other["id"]}, listed


@test
def projects_are_validated():
    s = shared()
    name = uniq_username()
    st, _, data = s.request("POST", "/api/v1/users", {
        "username": name, "password": "pw-" + name + "-long", "roles": ["manager"],
        "projects": ["p%d" % i for i in range(9)]}, token=s.admin())
    assert_problem((st, _, data), 422, "validation")
    assert data["errors"][0]["field"] == "projects", data
    st, _, data = s.request("POST", "/api/v1/users", {
        "username": name, "password": "pw-" + name + "-long", "roles": ["manager"],
        "projects": [""]}, token=s.admin())
    assert_problem((st, _, data), 422, "validation")


if __name__ == "__main__":
    main()
