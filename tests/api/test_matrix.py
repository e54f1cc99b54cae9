"""The role × endpoint × office matrix, generated from the permission table
itself (`awda permissions --json`): for every role and every route, a user
with only that role in office EG-CAI is refused (403) exactly when the table
says so, and a case of another office (DZ-TAM) is invisible (404) to every
role that does not work across offices."""
import json
import subprocess

from harness import (test, shared, request, admin, case_body, create_case,
                     binary, main)

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


if __name__ == "__main__":
    main()
