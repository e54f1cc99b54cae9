"""Authorisation: roles and office scoping."""
from harness import (test, shared, request, admin, assert_problem, case_body,
                     create_case, list_all_cases, urlquote, main)

_users = {}


def user(role, office):
    """A cached user with one role in one office → token."""
    key = (role, office)
    s = shared()
    if key not in _users or _users[key][0] is not s:
        _, tok = s.make_user([role], [office])
        _users[key] = (s, tok)
    return _users[key][1]


@test
def partner_and_donor_get_403_on_every_case_endpoint():
    c = create_case()
    for role in ("partner", "donor"):
        tok = user(role, "EG-CAI")
        for method, path, body in (
                ("GET", "/api/v1/cases", None),
                ("POST", "/api/v1/cases", case_body()),
                ("GET", "/api/v1/cases/" + c["id"], None),
                ("PATCH", "/api/v1/cases/" + c["id"], {"notes": "x"}),
                ("GET", "/api/v1/cases/%s/events" % c["id"], None),
                ("GET", "/api/v1/persons?q=ali", None),
                ("GET", "/api/v1/persons/" + c["members"][0]["person_id"],
                 None)):
            headers = {"If-Match": '"1"'} if method == "PATCH" else None
            r = request(method, path, body, token=tok, headers=headers)
            assert r[0] == 403, (role, method, path, r[0], r[2])
            assert_problem(r, 403, "forbidden")
    st, _, g = request("GET", "/api/v1/cases/" + c["id"], token=admin())
    assert g["version"] == 1 and g["notes"] == c["notes"]


@test
def registration_user_cannot_see_other_office_case():
    other = create_case(case_body(office="DZ-TAM"))
    tok = user("registration", "EG-CAI")
    r = request("GET", "/api/v1/cases/" + other["id"], token=tok)
    assert_problem(r, 404, "not-found")
    r = request("GET", "/api/v1/cases/%s/events" % other["id"], token=tok)
    assert_problem(r, 404, "not-found")


@test
def registration_user_cannot_patch_other_office_case():
    other = create_case(case_body(office="DZ-TAM"))
    tok = user("registration", "EG-CAI")
    r = request("PATCH", "/api/v1/cases/" + other["id"], {"notes": "mine"},
                token=tok, headers={"If-Match": '"1"'})
    assert_problem(r, 404, "not-found")
    st, _, g = request("GET", "/api/v1/cases/" + other["id"], token=admin())
    assert g["version"] == 1 and g["notes"] == other["notes"]


@test
def registration_user_cannot_create_in_other_office():
    tok = user("registration", "EG-CAI")
    before = len(list_all_cases("office=DZ-TAM"))
    r = request("POST", "/api/v1/cases", case_body(office="DZ-TAM"),
                token=tok)
    assert_problem(r, 403, "forbidden")
    assert len(list_all_cases("office=DZ-TAM")) == before


@test
def registration_user_works_in_own_office():
    tok = user("registration", "EG-CAI")
    st, _, c = request("POST", "/api/v1/cases", case_body(office="EG-CAI"),
                       token=tok)
    assert st == 201, (st, c)
    st, _, g = request("GET", "/api/v1/cases/" + c["id"], token=tok)
    assert st == 200, (st, g)
    st, _, p = request("PATCH", "/api/v1/cases/" + c["id"],
                       {"notes": "updated by the case worker"}, token=tok,
                       headers={"If-Match": '"1"'})
    assert st == 200, (st, p)
    st, _, ev = request("GET", "/api/v1/cases/%s/events" % c["id"],
                        token=tok)
    assert [e["kind"] for e in ev["items"]] == ["created", "updated"]
    user_name = [u for u in shared()._tokens
                 if shared()._tokens[u] == tok][0]
    assert [e["user"] for e in ev["items"]] == [user_name, user_name]


@test
def registration_user_cannot_move_case_to_other_office():
    tok = user("registration", "EG-CAI")
    st, _, c = request("POST", "/api/v1/cases", case_body(office="EG-CAI"),
                       token=tok)
    assert st == 201, (st, c)
    r = request("PATCH", "/api/v1/cases/" + c["id"], {"office": "DZ-TAM"},
                token=tok, headers={"If-Match": '"1"'})
    assert_problem(r, 422, "validation", fields="office")
    st, _, g = request("GET", "/api/v1/cases/" + c["id"], token=admin())
    assert g["office"] == "EG-CAI" and g["version"] == 1, g


@test
def case_list_shows_only_own_office():
    mine = create_case(case_body(office="EG-CAI"))
    theirs = create_case(case_body(office="DZ-TAM"))
    tok = user("registration", "EG-CAI")
    items = list_all_cases(token=tok)
    ids = [x["id"] for x in items]
    assert mine["id"] in ids
    assert theirs["id"] not in ids, "registration user of EG-CAI sees a " \
        "DZ-TAM case in the list"
    assert all(x["office"] == "EG-CAI" for x in items)
    st, _, data = request("GET", "/api/v1/cases?office=DZ-TAM", token=tok)
    assert st in (200, 403), (st, data)
    if st == 200:
        assert data["items"] == [], data


@test
def search_by_number_does_not_reveal_other_office():
    theirs = create_case(case_body(office="DZ-TAM"))
    tok = user("registration", "EG-CAI")
    items = list_all_cases("q=" + urlquote(theirs["number"]), token=tok)
    assert items == [], items


@test
def person_search_does_not_reveal_other_office_cases():
    theirs = create_case(case_body(office="DZ-TAM"))
    p = theirs["members"][0]["person"]
    tok = user("registration", "EG-CAI")
    st, _, data = request("GET", "/api/v1/persons?q=" + urlquote(p["name"]),
                          token=tok)
    assert st == 200, (st, data)
    for item in data["items"]:
        assert theirs["id"] not in [c["id"] for c in item.get("cases", [])], \
            "search reveals a DZ-TAM case to an EG-CAI user: %r" % item
    st, _, g = request("GET", "/api/v1/persons/" + p["id"], token=tok)
    assert st in (200, 404), (st, g)
    if st == 200:
        assert theirs["id"] not in [c["id"] for c in g["cases"]], \
            "person page reveals a DZ-TAM case to an EG-CAI user: %r" % g


@test
def manager_sees_all_offices():
    tok = user("manager", "EG-CAI")
    other = create_case(case_body(office="ML-BKO"))
    st, _, g = request("GET", "/api/v1/cases/" + other["id"], token=tok)
    assert st == 200, (st, g)
    st, _, c = request("POST", "/api/v1/cases", case_body(office="DZ-TAM"),
                       token=tok)
    assert st == 201, (st, c)


@test
def read_only_roles_cannot_create_or_update_cases():
    c = create_case()
    for role in ("medical", "reintegration", "finance", "me"):
        tok = user(role, "EG-CAI")
        st, _, g = request("GET", "/api/v1/cases/" + c["id"], token=tok)
        assert st == 200, (role, st, g)
        r = request("POST", "/api/v1/cases", case_body(), token=tok)
        assert_problem(r, 403, "forbidden")
        r = request("PATCH", "/api/v1/cases/" + c["id"], {"notes": role},
                    token=tok, headers={"If-Match": '"1"'})
        assert_problem(r, 403, "forbidden")
    st, _, g = request("GET", "/api/v1/cases/" + c["id"], token=admin())
    assert g["version"] == 1


@test
def writing_roles_can_create_cases():
    for role in ("counsellor", "operations", "protection"):
        tok = user(role, "EG-CAI")
        st, _, c = request("POST", "/api/v1/cases", case_body(), token=tok)
        assert st == 201, (role, st, c)


@test
def case_reading_roles_can_search_persons():
    for role in ("registration", "medical", "manager"):
        tok = user(role, "EG-CAI")
        st, _, data = request("GET", "/api/v1/persons?q=ali", token=tok)
        assert st == 200, (role, st, data)


@test
def non_admin_cannot_post_users():
    for role in ("registration", "manager"):
        tok = user(role, "EG-CAI")
        r = request("POST", "/api/v1/users",
                    {"username": "sneaky" + role, "full_name": "S",
                     "password": "a long enough password",
                     "roles": ["admin"], "offices": []}, token=tok)
        assert_problem(r, 403, "forbidden")


if __name__ == "__main__":
    main()
