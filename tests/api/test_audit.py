"""The audit log: every read of a case or person, every write, every
sign-in (success and failure) and every refusal is recorded with who, when,
what, from where and the outcome; only managers and administrators read it;
and `awda audit verify` detects a record altered, removed or reordered."""
import sqlite3
import subprocess
import time

from harness import (test, shared, request, admin, assert_problem, create_case,
                     uniq_username, Server, main, audit_db)


def audit(query, token=None, want=None):
    """Polls GET /api/v1/audit until an item satisfies `want` (any item when
    None): records are written asynchronously, within milliseconds, so a
    sign-in may already be there while the request under test is not yet."""
    items = []
    for _ in range(100):
        st, _, data = request("GET", "/api/v1/audit?" + query, token=token or admin())
        assert st == 200, (st, data)
        items = data["items"]
        if items and (want is None or any(want(i) for i in items)):
            return items
        time.sleep(0.05)
    return items


@test
def reading_a_case_is_audited_with_who_what_and_from_where():
    s = shared()
    c = create_case()
    assert request("GET", "/api/v1/cases/" + c["id"], token=admin())[0] == 200
    is_read = lambda i: i["method"] == "GET" and i["route"] == "/api/v1/cases/{id}"
    items = audit("case=" + c["id"], want=is_read)
    reads = [i for i in items if is_read(i)]
    assert reads, items
    r = reads[0]
    assert r["user"] == s.admin_user and r["addr"] == "127.0.0.1" and r["status"] == 200, r
    assert r["entity_id"] == c["id"]
    assert any(i["method"] == "POST" for i in audit("user=" + s.admin_user + "&limit=200"))


@test
def failed_and_successful_sign_ins_are_audited():
    s = shared()
    name = uniq_username()
    request("POST", "/api/v1/session", {"username": name, "password": "not the password"})
    items = audit("user=" + name)
    assert items and items[0]["status"] == 401 and items[0]["route"] == "/api/v1/session", items
    s.login(s.admin_user, s.admin_password)
    signed_in = lambda i: i["route"] == "/api/v1/session" and i["status"] == 201
    ok = [i for i in audit("user=" + s.admin_user + "&limit=200", want=signed_in)
          if signed_in(i)]
    assert ok, "a successful sign-in is audited"


@test
def refusals_are_audited():
    s = shared()
    s.ensure_office("EG-CAI", "Cairo", "EGY")
    user, tok = s.make_user(["registration"], ["EG-CAI"])
    assert request("GET", "/api/v1/users", token=tok)[0] == 403
    refused = lambda i: i["route"] == "/api/v1/users" and i["status"] == 403
    items = audit("user=" + user, want=refused)
    assert any(refused(i) for i in items), items


@test
def only_managers_and_administrators_read_the_audit_log():
    s = shared()
    s.ensure_office("EG-CAI", "Cairo", "EGY")
    for role in ("registration", "counsellor", "medical", "partner", "donor"):
        _, tok = s.make_user([role], ["EG-CAI"])
        assert_problem(request("GET", "/api/v1/audit", token=tok), 403, "forbidden")
    _, tok = s.make_user(["manager"], ["EG-CAI"])
    assert request("GET", "/api/v1/audit", token=tok)[0] == 200


@test
def bad_audit_parameters_are_refused():
    assert_problem(request("GET", "/api/v1/audit?limit=0", token=admin()), 400, "bad-request")
    assert_problem(request("GET", "/api/v1/audit?cursor=x", token=admin()), 400, "bad-request")


@test
def audit_verify_detects_an_altered_a_removed_and_a_reordered_record():
    srv = Server()
    try:
        srv.start()
        tok = srv.admin()
        for _ in range(5):
            srv.request("GET", "/api/v1/me", token=tok)
        srv.stop()

        def verify():
            p = subprocess.run([srv.bin, "audit", "verify", "--db", srv.db],
                               capture_output=True, timeout=60)
            return p.returncode, (p.stdout + p.stderr).decode()

        rc, out = verify()
        assert rc == 0 and "intact" in out, out

        db = audit_db(srv.db)  # the audit log's own file (migration 28)
        # The log refuses changes through SQL as long as its triggers stand.
        try:
            db.execute("UPDATE audit SET status=200 WHERE pk=2")
            assert False, "an UPDATE of the audit log must be refused"
        except sqlite3.DatabaseError as e:
            assert "append-only" in str(e), e
        db.execute("DROP TRIGGER audit_no_update")
        db.execute("DROP TRIGGER audit_no_delete")
        db.commit()
        # altered
        db.execute("UPDATE audit SET addr='10.9.9.9' WHERE pk=3")
        db.commit()
        rc, out = verify()
        assert rc == 1 and "record 3" in out, out
        db.execute("UPDATE audit SET addr='127.0.0.1' WHERE pk=3")
        db.commit()
        assert verify()[0] == 0
        # removed
        row = db.execute("SELECT * FROM audit WHERE pk=4").fetchone()
        db.execute("DELETE FROM audit WHERE pk=4")
        db.commit()
        rc, out = verify()
        assert rc == 1 and "record 5" in out, out
        db.execute("INSERT INTO audit VALUES (" + ",".join("?" * len(row)) + ")", row)
        db.commit()
        assert verify()[0] == 0
        # reordered: swap the contents of two records
        a = db.execute("SELECT * FROM audit WHERE pk=2").fetchone()
        b = db.execute("SELECT * FROM audit WHERE pk=3").fetchone()
        db.execute("DELETE FROM audit WHERE pk IN (2,3)")
        db.execute("INSERT INTO audit VALUES (" + ",".join("?" * len(a)) + ")", (2,) + b[1:])
        db.execute("INSERT INTO audit VALUES (" + ",".join("?" * len(b)) + ")", (3,) + a[1:])
        db.commit()
        rc, out = verify()
        assert rc == 1 and "record 2" in out, out
        db.close()
    finally:
        if srv.alive():
            srv.stop()
        srv.cleanup()


if __name__ == "__main__":
    main()
