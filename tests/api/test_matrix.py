"""The role × endpoint × office matrix, generated from the permission table
itself (`awda permissions --json`): for every role and every route, a user
with only that role in office EG-CAI is refused (403) exactly when the table
says so, and a case of another office (DZ-TAM) — or a person who belongs
only to one — is invisible (404) to every role that does not work across
offices."""
import json
import subprocess

from harness import (test, shared, request, admin, case_body, create_case,
                     binary, main, person, uniq_name, urlquote, assert_problem)

ACROSS = ("manager", "admin")   # roles that see every office (src/app/authz.c)


def _table():
    p = subprocess.run([binary(), "permissions", "--json"], capture_output=True,
                       check=True)
    return json.loads(p.stdout)


def _concrete(route, case_id, person_id, rid):
    return (route.replace("/cases/{id}", "/cases/" + case_id)
                 .replace("/persons/{id}", "/persons/" + person_id)
                 .replace("/offices/{id}", "/offices/EG-CAI")
                 .replace("/users/{id}", "/users/nobody")
                 .replace("/restrictions/{id}", "/restrictions/" + rid))


@test
def every_role_on_every_route_gets_what_the_table_says():
    t = _table()
    s = shared()
    s.ensure_office("EG-CAI", "Cairo", "EGY")
    s.ensure_office("DZ-TAM", "Tamanrasset", "DZA")
    c = create_case()
    pid = c["members"][0]["person_id"]
    rid = "01900000-0000-7000-8000-000000000000"
    roles = sorted({r for rs in t["permissions"].values() for r in rs} |
                   {"partner", "donor"})
    checked = 0
    for role in roles:
        _, tok = s.make_user([role], ["EG-CAI"])
        for r in t["routes"]:
            perm, method = r["permission"], r["method"]
            if perm in ("public",) or r["route"] == "/api/v1/session":
                continue
            path = _concrete(r["route"], c["id"], pid, rid)
            body = {} if method in ("POST", "PATCH") else None
            st, _, data = request(method, path, body, token=tok,
                                  headers={"If-Match": '"999"'} if method == "PATCH" else None)
            allowed = perm == "session" or role in t["permissions"].get(perm, [])
            if allowed:
                assert st not in (401, 403) or (st == 403 and data.get("type", "").endswith("forbidden")
                                                and "office" in data.get("detail", "")), \
                    (role, method, path, st, data)
            else:
                assert st == 403, (role, method, path, st, data)
            checked += 1
    assert checked > 100, checked


@test
def a_case_of_another_office_is_invisible_to_office_bound_roles():
    t = _table()
    s = shared()
    s.ensure_office("EG-CAI", "Cairo", "EGY")
    s.ensure_office("DZ-TAM", "Tamanrasset", "DZA")
    other = create_case(case_body(office="DZ-TAM"))
    for role in t["permissions"]["case.read"]:
        _, tok = s.make_user([role], ["EG-CAI"])
        for path in ("/api/v1/cases/" + other["id"],
                     "/api/v1/cases/" + other["id"] + "/events",
                     "/api/v1/cases/" + other["id"] + "/readiness",
                     "/api/v1/cases/" + other["id"] + "/records"):
            st, _, data = request("GET", path, token=tok)
            if role in ACROSS:
                assert st == 200, (role, path, st, data)
            else:
                assert st == 404, (role, path, st, data)
        items = request("GET", "/api/v1/cases?office=DZ-TAM&limit=200", token=tok)[2]
        ids = [i["id"] for i in items.get("items", [])]
        assert (other["id"] in ids) == (role in ACROSS), (role, len(ids))


@test
def a_person_of_another_office_is_invisible_on_every_person_route():
    """A person who belongs only to a DZ-TAM case: every /persons/{id}
    route answers 404 to an EG-CAI user of every role that holds its
    permission (403 to the others, 200 across offices); the name search
    does not find them; and linking them into a case by id is answered as
    an unknown id would be."""
    t = _table()
    s = shared()
    s.ensure_office("EG-CAI", "Cairo", "EGY")
    s.ensure_office("DZ-TAM", "Tamanrasset", "DZA")
    name = uniq_name()
    other = create_case(case_body(office="DZ-TAM", members=[
        {"relationship": "principal", "person": person(name=name, name_latin=name)}]))
    pid = other["members"][0]["person_id"]
    routes = [r for r in t["routes"] if "/persons/{id}" in r["route"]]
    assert len(routes) >= 2, routes
    # Office-bound roles first: a role across offices links the person
    # into an EG-CAI case at the end, after which EG-CAI sees them.
    roles = sorted({r for rs in t["permissions"].values() for r in rs} |
                   {"partner", "donor"}, key=lambda r: (r in ACROSS, r))
    checked = {"read": 0, "search": 0, "link": 0}
    for role in roles:
        _, tok = s.make_user([role], ["EG-CAI"])
        for r in routes:
            st, _, data = request(r["method"], r["route"].replace("{id}", pid), token=tok)
            if role not in t["permissions"].get(r["permission"], []):
                assert st == 403, (role, r, st, data)
            elif role in ACROSS:
                assert st == 200, (role, r, st, data)
            else:
                assert_problem((st, _, data), 404, "not-found")
                checked["read"] += 1
        if role in t["permissions"]["person.read"]:
            st, _, found = request("GET", "/api/v1/persons?q=" + urlquote(name), token=tok)
            assert st == 200, (role, st, found)
            ids = [p["id"] for p in found["items"]]
            assert (pid in ids) == (role in ACROSS), (role, ids)
            checked["search"] += 1
        if role in t["permissions"]["case.create"]:
            st, _, c = request("POST", "/api/v1/cases", case_body(office="EG-CAI", members=[
                {"relationship": "principal", "person_id": pid}]), token=tok)
            if role in ACROSS:
                assert st == 201, (role, st, c)
            else:
                assert_problem((st, _, c), 422, "validation", fields="members[0].person_id")
                checked["link"] += 1
    assert all(checked.values()), checked


if __name__ == "__main__":
    main()
