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


if __name__ == "__main__":
    main()
