"""Sessions: login, logout, /me, wrong credentials, throttling, 401s."""
import re
import secrets

from harness import (test, shared, request, admin, assert_problem,
                     assert_status, Server, main, uniq_username)


@test
def login_returns_token_user_and_cookie():
    s = shared()
    st, h, data = s.login(s.admin_user, s.admin_password)
    assert st == 201, (st, data)
    assert re.fullmatch(r"[0-9a-f]{64}", data["token"]), data["token"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z",
                        data["expires_at"]), data["expires_at"]
    import datetime
    exp = datetime.datetime.strptime(data["expires_at"][:19],
                                     "%Y-%m-%dT%H:%M:%S")
    left = (exp - datetime.datetime.utcnow()).total_seconds()
    assert 600 < left < 31 * 86400, "session expires in %.0fs" % left
    u = data["user"]
    assert u["username"] == s.admin_user
    assert "admin" in u["roles"]
    assert isinstance(u["offices"], list)
    assert "password" not in u and "pwhash" not in u
    cookie = h.get("Set-Cookie") or ""
    assert cookie.startswith("awda_session=" + data["token"]), cookie
    low = cookie.lower()
    assert "httponly" in low, cookie
    assert "samesite=strict" in low, cookie
    assert "path=/" in low, cookie


@test
def me_returns_the_logged_in_user():
    s = shared()
    st, _, data = request("GET", "/api/v1/me", token=admin())
    assert st == 200, (st, data)
    assert data["username"] == s.admin_user
    assert "admin" in data["roles"]


@test
def cookie_authenticates_like_bearer():
    s = shared()
    tok = s.admin()
    st, _, data = request("GET", "/api/v1/me",
                          headers={"Cookie": "awda_session=" + tok})
    assert st == 200, (st, data)
    assert data["username"] == s.admin_user


@test
def logout_makes_token_stop_working():
    s = shared()
    st, _, data = s.login(s.admin_user, s.admin_password)
    assert st == 201
    tok = data["token"]
    assert request("GET", "/api/v1/me", token=tok)[0] == 200
    st, _, body = request("DELETE", "/api/v1/session", token=tok)
    assert st == 204, (st, body)
    r = request("GET", "/api/v1/me", token=tok)
    assert_problem(r, 401, "unauthorized")
    r = request("GET", "/api/v1/cases", token=tok)
    assert_problem(r, 401, "unauthorized")
    # the cached admin token (another session) still works
    assert request("GET", "/api/v1/me", token=admin())[0] == 200


@test
def wrong_password_is_401():
    s = shared()
    r = s.login(s.admin_user, "definitely-not-the-password")
    assert_problem(r, 401, "unauthorized")
    assert "token" not in r[2]
    assert not r[1].get("Set-Cookie")


@test
def unknown_user_is_401():
    r = shared().login("nobody-" + uniq_username(), "some-password-123")
    assert_problem(r, 401, "unauthorized")


@test
def throttled_after_five_failures_for_one_user():
    # own server: failed logins also count against 127.0.0.1 (limit 20),
    # which the shared server must not reach
    s = Server().start()
    try:
        s.ensure_office("EG-CAI", "Cairo", "EGY")
        user, _ = s.make_user(["registration"], ["EG-CAI"])
        for i in range(5):
            r = s.login(user, "wrong-password-%d" % i)
            assert_problem(r, 401, "unauthorized")
        r = s.login(user, "wrong-password-again")
        assert_problem(r, 429, "too-many-requests")
        assert r[1].get("Retry-After"), "429 without Retry-After"
        assert re.fullmatch(r"\d+", r[1].get("Retry-After").strip()), \
            r[1].get("Retry-After")
        assert 1 <= int(r[1].get("Retry-After")) <= 300, \
            r[1].get("Retry-After")
        # even the right password is refused while throttled
        r = s.login(user, s.password_of(user))
        assert_problem(r, 429, "too-many-requests")
        # another user is not affected
        st, _, data = s.login(s.admin_user, s.admin_password)
        assert st == 201, (st, data)
        s.stop()
    finally:
        s.cleanup()


@test
def throttled_after_twenty_failures_from_one_address():
    srv = Server().start()
    try:
        for i in range(20):
            r = srv.login("ghost%02d" % i, "wrong-password-xyz")
            assert_problem(r, 401, "unauthorized")
        r = srv.login("ghost-last", "wrong-password-xyz")
        assert_problem(r, 429, "too-many-requests")
        assert r[1].get("Retry-After"), "429 without Retry-After"
        srv.stop()
    finally:
        srv.cleanup()


@test
def no_token_is_401_everywhere():
    for method, path in [("GET", "/api/v1/me"), ("GET", "/api/v1/cases"),
                         ("POST", "/api/v1/cases"),
                         ("GET", "/api/v1/cases/0193a5b0-0000-7000-8000-000000000000"),
                         ("GET", "/api/v1/persons?q=ali"),
                         ("GET", "/api/v1/offices"),
                         ("GET", "/api/v1/users"),
                         ("POST", "/api/v1/users"),
                         ("DELETE", "/api/v1/session")]:
        body = {} if method == "POST" else None
        r = request(method, path, body)
        assert_problem(r, 401, "unauthorized")


@test
def bad_tokens_are_401():
    bad = ["Bearer nonsense",
           "Bearer " + secrets.token_hex(32),
           "Bearer " + admin()[:-1] + ("0" if admin()[-1] != "0" else "1"),
           "Bearer " + admin()[:-1],
           "Bearer",
           "Basic " + "YWRtaW46YWRtaW4=",
           "bearer",
           "Bearer " + "a" * 5000]
    for value in bad:
        r = request("GET", "/api/v1/cases", headers={"Authorization": value})
        assert r[0] in (400, 401), (value[:40], r[0], r[2])
        if r[0] == 401:
            assert_problem(r, 401, "unauthorized")
    r = request("GET", "/api/v1/cases",
                headers={"Cookie": "awda_session=" + secrets.token_hex(32)})
    assert_problem(r, 401, "unauthorized")


@test
def login_with_malformed_body_is_4xx():
    s = Server().start()    # own server: keeps failures off the shared one
    try:
        for body in ({}, {"username": "admin"}, {"password": "x" * 20},
                     {"username": 5, "password": ["x"]}):
            r = s.request("POST", "/api/v1/session", body)
            assert r[0] in (400, 401, 422), (body, r[0], r[2])
        r = s.request("POST", "/api/v1/session",
                      raw=b'{"username": "admin", ')
        assert_problem(r, 400, "malformed-json")
        r = s.request("POST", "/api/v1/session", raw=b'["admin", "pw"]')
        assert_problem(r, 400)
        s.stop()
    finally:
        s.cleanup()


if __name__ == "__main__":
    main()
