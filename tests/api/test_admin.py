"""Offices and users: the administrator's endpoints; healthz and metrics."""
import json

from harness import (test, shared, request, admin, assert_problem,
                     uniq_office_code, uniq_username, main)


# ---- offices ---------------------------------------------------------------

@test
def offices_list_contains_fixture_offices():
    st, _, data = request("GET", "/api/v1/offices", token=admin())
    assert st == 200, (st, data)
    by = {o["code"]: o for o in data["items"]}
    want = {"code": "EG-CAI", "name": "Cairo", "country": "EGY",
            "location": "Cairo, Egypt"}
    assert {k: by["EG-CAI"].get(k) for k in want} == want, by["EG-CAI"]
    assert "DZ-TAM" in by and "ML-BKO" in by


@test
def create_office_then_read_it():
    code = uniq_office_code()
    body = {"code": code, "name": "Alexandria", "country": "EGY",
            "location": "Alexandria, Egypt"}
    st, _, data = request("POST", "/api/v1/offices", body, token=admin())
    assert st == 201, (st, data)
    assert {k: data.get(k) for k in body} == body, data
    st, _, data = request("GET", "/api/v1/offices", token=admin())
    got = [o for o in data["items"] if o["code"] == code]
    assert len(got) == 1 and {k: got[0].get(k) for k in body} == body, got


@test
def duplicate_office_is_409():
    r = request("POST", "/api/v1/offices",
                {"code": "EG-CAI", "name": "Cairo again", "country": "EGY",
                 "location": "x"}, token=admin())
    assert_problem(r, 409, "conflict")
    st, _, data = request("GET", "/api/v1/offices", token=admin())
    assert [o["name"] for o in data["items"] if o["code"] == "EG-CAI"] == \
        ["Cairo"]


@test
def invalid_office_is_422():
    for body, field in (
            ({"code": "eg-alx", "name": "A", "country": "EGY"}, "code"),
            ({"code": "EGY-ALX", "name": "A", "country": "EGY"}, "code"),
            ({"code": "EG_ALX", "name": "A", "country": "EGY"}, "code"),
            ({"name": "A", "country": "EGY"}, "code"),
            ({"code": uniq_office_code(), "country": "EGY"}, "name"),
            ({"code": uniq_office_code(), "name": "A", "country": "Egypt"},
             "country"),
            ({"code": uniq_office_code(), "name": "A", "country": "EGY",
              "colour": "red"}, "colour")):
        r = request("POST", "/api/v1/offices", body, token=admin())
        assert_problem(r, 422, "validation", fields=[field])


@test
def patch_office_name_and_location():
    code = uniq_office_code()
    request("POST", "/api/v1/offices", {"code": code, "name": "Old",
                                        "country": "LBY", "location": "L1"},
            token=admin())
    st, _, data = request("PATCH", "/api/v1/offices/" + code,
                          {"name": "Tripoli", "location": "Tripoli, Libya"},
                          token=admin())
    assert st == 200, (st, data)
    assert data["name"] == "Tripoli" and data["location"] == "Tripoli, Libya"
    assert data["country"] == "LBY"
    st, _, data = request("GET", "/api/v1/offices", token=admin())
    o = [x for x in data["items"] if x["code"] == code][0]
    assert o["name"] == "Tripoli"


@test
def patch_unknown_office_is_404():
    r = request("PATCH", "/api/v1/offices/ZZ-ZZZ", {"name": "x"},
                token=admin())
    assert_problem(r, 404, "not-found")


@test
def offices_readable_by_every_role_but_managed_by_admin_only():
    s = shared()
    for role in ("partner", "donor", "registration", "manager"):
        _, tok = s.make_user([role], ["EG-CAI"])
        st, _, data = request("GET", "/api/v1/offices", token=tok)
        assert st == 200, (role, st, data)
        r = request("POST", "/api/v1/offices",
                    {"code": uniq_office_code(), "name": "X",
                     "country": "EGY"}, token=tok)
        assert_problem(r, 403, "forbidden")
        r = request("PATCH", "/api/v1/offices/EG-CAI", {"name": "Hacked"},
                    token=tok)
        assert_problem(r, 403, "forbidden")
    st, _, data = request("GET", "/api/v1/offices", token=admin())
    assert [o["name"] for o in data["items"] if o["code"] == "EG-CAI"] == \
        ["Cairo"]


@test
def office_post_with_idempotency_key_replays():
    code = uniq_office_code()
    body = {"code": code, "name": "Sfax", "country": "TUN", "location": "x"}
    key = "office-" + code
    r1 = request("POST", "/api/v1/offices", body, token=admin(),
                 headers={"Idempotency-Key": key})
    r2 = request("POST", "/api/v1/offices", body, token=admin(),
                 headers={"Idempotency-Key": key})
    assert (r1[0], r2[0]) == (201, 201), (r1[0], r2[0], r2[2])
    assert r1[2] == r2[2]
    r3 = request("POST", "/api/v1/offices", body, token=admin())
    assert_problem(r3, 409, "conflict")


# ---- users -----------------------------------------------------------------

def new_user_body(**over):
    b = {"username": uniq_username(), "full_name": "Amina Haddad",
         "password": "a long enough password", "roles": ["registration"],
         "offices": ["EG-CAI"]}
    b.update(over)
    return b


def assert_no_secret(obj):
    """No key that looks like a password or hash, no Argon2 string."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            assert "password" not in k.lower() and "hash" not in k.lower(), \
                "user JSON leaks %s: %r" % (k, obj)
            assert_no_secret(v)
    elif isinstance(obj, list):
        for v in obj:
            assert_no_secret(v)
    elif isinstance(obj, str):
        assert not obj.startswith("$argon2"), "user JSON leaks a hash"


@test
def create_user_returns_user_without_password():
    body = new_user_body(full_name="أمينة حداد",
                         roles=["registration", "counsellor"],
                         offices=["EG-CAI", "DZ-TAM"])
    st, _, u = request("POST", "/api/v1/users", body, token=admin())
    assert st == 201, (st, u)
    assert_no_secret(u)
    assert u["username"] == body["username"]
    assert u["full_name"] == body["full_name"]
    assert sorted(u["roles"]) == ["counsellor", "registration"]
    assert sorted(u["offices"]) == ["DZ-TAM", "EG-CAI"]
    assert u["disabled"] is False


@test
def new_user_can_log_in():
    body = new_user_body()
    assert request("POST", "/api/v1/users", body, token=admin())[0] == 201
    st, _, data = shared().login(body["username"], body["password"])
    assert st == 201, (st, data)
    assert data["user"]["roles"] == ["registration"]
    assert data["user"]["offices"] == ["EG-CAI"]


@test
def users_list_has_no_secrets():
    body = new_user_body()
    request("POST", "/api/v1/users", body, token=admin())
    st, _, data = request("GET", "/api/v1/users", token=admin())
    assert st == 200, (st, data)
    assert_no_secret(data)
    names = [u["username"] for u in data["items"]]
    assert body["username"] in names and shared().admin_user in names
    for u in data["items"]:
        assert set(u) >= {"username", "full_name", "roles", "offices",
                          "disabled"}, u


@test
def duplicate_user_is_409():
    body = new_user_body()
    assert request("POST", "/api/v1/users", body, token=admin())[0] == 201
    r = request("POST", "/api/v1/users", dict(body, full_name="Other"),
                token=admin())
    assert_problem(r, 409, "conflict")


@test
def invalid_users_are_422():
    for over, field in (({"username": "Amina!"}, "username"),
                        ({"username": "a"}, "username"),
                        ({"username": "x" * 65}, "username"),
                        ({"password": "short"}, "password"),
                        ({"password": "x" * 11}, "password"),
                        ({"roles": ["wizard"]}, ["roles", "roles[0]"]),
                        ({"offices": ["ZZ-NOP"]}, ["offices", "offices[0]"]),
                        ({"roles": "admin"}, "roles"),
                        ({"shoe_size": 44}, "shoe_size")):
        body = new_user_body(**over)
        r = request("POST", "/api/v1/users", body, token=admin())
        assert_problem(r, 422, "validation",
                       fields=field if isinstance(field, list) else [field])
        st, _, data = request("GET", "/api/v1/users", token=admin())
        assert body["username"] not in [u["username"] for u in data["items"]]


@test
def patch_user_full_name_roles_offices():
    body = new_user_body()
    request("POST", "/api/v1/users", body, token=admin())
    st, _, u = request("PATCH", "/api/v1/users/" + body["username"],
                       {"full_name": "Amina H.", "roles": ["manager"],
                        "offices": ["ML-BKO"]}, token=admin())
    assert st == 200, (st, u)
    assert u["full_name"] == "Amina H."
    assert u["roles"] == ["manager"] and u["offices"] == ["ML-BKO"]
    assert_no_secret(u)


@test
def patch_user_password_changes_login():
    body = new_user_body()
    request("POST", "/api/v1/users", body, token=admin())
    st, _, u = request("PATCH", "/api/v1/users/" + body["username"],
                       {"password": "a brand new password"}, token=admin())
    assert st == 200, (st, u)
    assert shared().login(body["username"], body["password"])[0] == 401
    assert shared().login(body["username"], "a brand new password")[0] == 201


@test
def patch_user_short_password_is_422():
    body = new_user_body()
    request("POST", "/api/v1/users", body, token=admin())
    r = request("PATCH", "/api/v1/users/" + body["username"],
                {"password": "tiny"}, token=admin())
    assert_problem(r, 422, "validation", fields=["password"])
    assert shared().login(body["username"], body["password"])[0] == 201


@test
def invalid_user_patch_is_422_and_changes_nothing():
    body = new_user_body()
    request("POST", "/api/v1/users", body, token=admin())
    for patch, field in (({"roles": ["wizard"]}, ["roles", "roles[0]"]),
                         ({"offices": ["ZZ-NOP"]}, ["offices", "offices[0]"]),
                         ({"disabled": "yes"}, ["disabled"]),
                         ({"username": "renamed"}, ["username"])):
        r = request("PATCH", "/api/v1/users/" + body["username"], patch,
                    token=admin())
        assert_problem(r, 422, "validation", fields=field)
    st, _, data = request("GET", "/api/v1/users", token=admin())
    u = [x for x in data["items"] if x["username"] == body["username"]][0]
    assert u["roles"] == ["registration"] and u["offices"] == ["EG-CAI"]
    assert u["disabled"] is False


@test
def disabled_user_cannot_log_in():
    body = new_user_body()
    request("POST", "/api/v1/users", body, token=admin())
    st, _, u = request("PATCH", "/api/v1/users/" + body["username"],
                       {"disabled": True}, token=admin())
    assert st == 200, (st, u)
    assert u["disabled"] is True
    st, _, data = shared().login(body["username"], body["password"])
    assert st in (401, 403), (st, data)
    assert "token" not in data


@test
def patch_unknown_user_is_404():
    r = request("PATCH", "/api/v1/users/nobody-at-all", {"full_name": "x"},
                token=admin())
    assert_problem(r, 404, "not-found")


@test
def non_admin_cannot_manage_users():
    s = shared()
    for role in ("manager", "registration", "partner"):
        _, tok = s.make_user([role], ["EG-CAI"])
        body = new_user_body()
        r = request("POST", "/api/v1/users", body, token=tok)
        assert_problem(r, 403, "forbidden")
        r = request("GET", "/api/v1/users", token=tok)
        assert_problem(r, 403, "forbidden")
        r = request("PATCH", "/api/v1/users/" + s.admin_user,
                    {"disabled": True}, token=tok)
        assert_problem(r, 403, "forbidden")
        st, _, data = request("GET", "/api/v1/users", token=admin())
        assert body["username"] not in [u["username"] for u in data["items"]]
    assert request("GET", "/api/v1/me", token=admin())[0] == 200


# ---- health and metrics ----------------------------------------------------

@test
def healthz_reports_ok():
    st, h, data = request("GET", "/healthz")
    assert st == 200, (st, data)
    assert data == {"status": "ok", "version": "0.1.0", "database": "ok"}, \
        data


@test
def metrics_exposes_request_counters_and_histogram():
    request("GET", "/healthz")
    request("GET", "/api/v1/me", token=admin())
    st, h, text = request("GET", "/metrics")
    assert st == 200, (st, text)
    assert (h.get("Content-Type") or "").startswith("text/plain"), \
        h.get("Content-Type")
    assert isinstance(text, str)
    assert "awda_http_requests_total" in text
    assert "awda_http_request_duration_seconds_bucket" in text
    lines = [ln for ln in text.splitlines()
             if ln.startswith("awda_http_requests_total{")]
    assert lines, "no awda_http_requests_total samples"
    assert any('method="GET"' in ln and 'status="200"' in ln for ln in lines)
    for ln in lines:
        float(ln.rsplit(" ", 1)[1])


def metric(text, prefix):
    for ln in text.splitlines():
        if ln.startswith(prefix):
            return float(ln.rsplit(" ", 1)[1])
    return 0.0


@test
def metrics_counter_counts_requests():
    sample = 'awda_http_requests_total{route="/api/v1/cases/{id}",' \
        'method="GET",status="404"}'
    before = metric(request("GET", "/metrics")[2], sample)
    for _ in range(3):
        request("GET", "/api/v1/cases/0193a5b0-1234-7abc-8def-0123456789ab",
                token=admin())
    after = metric(request("GET", "/metrics")[2], sample)
    assert after == before + 3, (before, after)


@test
def keep_alive_connection_serves_several_requests():
    import http.client
    conn = http.client.HTTPConnection("127.0.0.1", shared().port, timeout=10)
    try:
        for _ in range(5):
            conn.request("GET", "/api/v1/me",
                         headers={"Authorization": "Bearer " + admin()})
            resp = conn.getresponse()
            resp.read()
            assert resp.status == 200
            assert (resp.getheader("Connection") or "").lower() != "close", \
                "server closes keep-alive connections"
        sock = conn.sock
        assert sock is not None, "connection was not kept open"
    finally:
        conn.close()


@test
def healthz_wrong_method_is_405():
    r = request("POST", "/healthz", {})
    assert_problem(r, 405, "method-not-allowed")
    assert "GET" in (r[1].get("Allow") or "")


if __name__ == "__main__":
    main()
