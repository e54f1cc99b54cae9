"""Data protection at the HTTP edge: security headers on every answer, and
cross-site request protection for browser (cookie) sessions."""
from harness import (test, shared, request, admin, assert_problem, case_body,
                     main)


def _host():
    return "127.0.0.1:%d" % shared().port


@test
def every_answer_carries_the_security_headers():
    for method, path, tok in (("GET", "/healthz", None),
                              ("GET", "/api/v1/me", admin()),
                              ("GET", "/api/v1/nowhere", None)):
        st, h, _ = request(method, path, token=tok)
        csp = h.get("Content-Security-Policy") or ""
        assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp, (path, csp)
        assert h.get("X-Content-Type-Options") == "nosniff", path
        assert h.get("X-Frame-Options") == "DENY", path
        assert h.get("Referrer-Policy") == "no-referrer", path


@test
def cookie_session_change_without_origin_is_refused():
    tok = admin()
    before = request("GET", "/api/v1/cases?limit=1", token=tok)[2]["items"]
    r = request("POST", "/api/v1/cases", case_body(),
                headers={"Cookie": "awda_session=" + tok})
    assert_problem(r, 403, "csrf")
    after = request("GET", "/api/v1/cases?limit=1", token=tok)[2]["items"]
    assert before == after, "a refused request must change nothing"


@test
def cookie_session_change_from_another_site_is_refused():
    tok = admin()
    r = request("POST", "/api/v1/cases", case_body(),
                headers={"Cookie": "awda_session=" + tok,
                         "Origin": "https://evil.example"})
    assert_problem(r, 403, "csrf")


@test
def cookie_session_change_from_our_own_pages_is_accepted():
    tok = admin()
    st, _, data = request("POST", "/api/v1/cases", case_body(),
                          headers={"Cookie": "awda_session=" + tok,
                                   "Origin": "http://" + _host()})
    assert st == 201, (st, data)


@test
def cookie_session_reads_need_no_origin():
    tok = admin()
    st, _, _ = request("GET", "/api/v1/me", headers={"Cookie": "awda_session=" + tok})
    assert st == 200


@test
def bearer_token_changes_need_no_origin():
    st, _, data = request("POST", "/api/v1/cases", case_body(), token=admin())
    assert st == 201, (st, data)


def _expire(srv, column, token):
    """Moves a session's clock back in the database (as time would)."""
    import hashlib
    import sqlite3
    import time
    h = hashlib.blake2b(token.encode(), digest_size=32).hexdigest()
    db = sqlite3.connect(srv.db, timeout=10)
    db.execute("UPDATE sessions SET %s=? WHERE token_hash=?" % column,
               (int((time.time() - 7 * 24 * 3600) * 1000), h))
    db.commit()
    db.close()
    time.sleep(1.2)  # the server trusts a resolved session for a second


@test
def an_idle_session_ends():
    from harness import Server
    srv = Server()
    try:
        srv.start()
        st, _, data = srv.login(srv.admin_user, srv.admin_password)
        tok = data["token"]
        assert srv.request("GET", "/api/v1/me", token=tok)[0] == 200
        import time
        time.sleep(0.3)  # let the server note the use
        _expire(srv, "last_seen_at", tok)
        assert_problem(srv.request("GET", "/api/v1/me", token=tok), 401, "unauthorized")
    finally:
        if srv.alive():
            srv.stop()
        srv.cleanup()


@test
def a_session_ends_at_its_absolute_expiry():
    from harness import Server
    srv = Server()
    try:
        srv.start()
        st, _, data = srv.login(srv.admin_user, srv.admin_password)
        tok = data["token"]
        assert srv.request("GET", "/api/v1/me", token=tok)[0] == 200
        _expire(srv, "expires_at", tok)
        assert_problem(srv.request("GET", "/api/v1/me", token=tok), 401, "unauthorized")
    finally:
        if srv.alive():
            srv.stop()
        srv.cleanup()


@test
def a_password_change_or_disabling_ends_the_users_sessions():
    s = shared()
    s.ensure_office("EG-CAI", "Cairo", "EGY")
    user, tok = s.make_user(["registration"], ["EG-CAI"])
    assert request("GET", "/api/v1/me", token=tok)[0] == 200
    st, _, _ = request("PATCH", "/api/v1/users/" + user,
                       {"password": "a-brand-new-password-1"}, token=admin())
    assert st == 200
    assert_problem(request("GET", "/api/v1/me", token=tok), 401, "unauthorized")
    st, _, data = request("POST", "/api/v1/session",
                          {"username": user, "password": "a-brand-new-password-1"})
    assert st == 201
    tok2 = data["token"]
    assert request("PATCH", "/api/v1/users/" + user, {"disabled": True}, token=admin())[0] == 200
    assert_problem(request("GET", "/api/v1/me", token=tok2), 401, "unauthorized")


if __name__ == "__main__":
    main()
