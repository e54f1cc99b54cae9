"""The optional second factor (TOTP): enrolment in two steps, sign-in with
a code, refusal of a wrong, old or replayed code, the configuration that
requires it for some roles (such a session can do nothing but enrol), an
administrator removing it for a lost phone, and the secret never in clear
in the database file."""
import base64
import hashlib
import hmac
import struct
import subprocess
import time

from harness import (test, shared, request, assert_problem, Server, main,
                     uniq_username)


def totp(secret_b32, at=None, step_offset=0):
    """RFC 6238 code (SHA-1, 6 digits, 30 s) computed independently of awda."""
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    counter = int((at or time.time()) // 30) + step_offset
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    o = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[o:o + 4])[0] & 0x7FFFFFFF
    return "%06d" % (value % 1000000)


def enrol(srv, user, password, tok):
    st, _, data = srv.request("POST", "/api/v1/me/second-factor",
                              {"password": password}, token=tok)
    assert st == 201, (st, data)
    secret = data["secret"]
    assert data["otpauth_uri"].startswith("otpauth://totp/awda:" + user + "?secret=" + secret)
    code = totp(secret)
    st, _, me = srv.request("POST", "/api/v1/me/second-factor/confirm", {"code": code},
                            token=tok)
    assert st == 200, (st, me)
    assert me["second_factor"] is True, me
    return secret, code


@test
def enrolment_then_sign_in_needs_the_code():
    s = shared()
    s.ensure_office("EG-CAI", "Cairo", "EGY")
    user, tok = s.make_user(["counsellor"], ["EG-CAI"])
    pw = s.password_of(user)
    st, _, me = request("GET", "/api/v1/me", token=tok)
    assert me["second_factor"] is False, me
    secret, used = enrol(s, user, pw, tok)

    # The password alone is no longer enough: the answer says a code is needed.
    st, _, data = s.login(user, pw)
    assert_problem((st, _, data), 401, "otp-required")
    assert "code" in data["detail"], data
    # A wrong code is refused, as is the code already used at enrolment.
    wrong = "%06d" % ((int(totp(secret)) + 1) % 1000000)
    assert_problem(request("POST", "/api/v1/session",
                           {"username": user, "password": pw, "otp": wrong}), 401, "unauthorized")
    assert_problem(request("POST", "/api/v1/session",
                           {"username": user, "password": pw, "otp": used}), 401, "unauthorized")
    # The right password with a fresh code opens a session (the next
    # step's code: one step of clock drift either side is accepted).
    code = totp(secret, step_offset=1)
    st, _, data = request("POST", "/api/v1/session",
                          {"username": user, "password": pw, "otp": code})
    assert st == 201, (st, data)
    assert request("GET", "/api/v1/cases", token=data["token"])[0] == 200
    # The same code again (a replay) is refused.
    assert_problem(request("POST", "/api/v1/session",
                           {"username": user, "password": pw, "otp": code}), 401, "unauthorized")
    # The wrong password with a right code is refused as a wrong password.
    assert_problem(request("POST", "/api/v1/session",
                           {"username": user, "password": pw + "x", "otp": totp(secret)}),
                   401, "unauthorized")


@test
def enrolment_needs_the_password_and_a_matching_code():
    s = shared()
    s.ensure_office("EG-CAI", "Cairo", "EGY")
    user, tok = s.make_user(["registration"], ["EG-CAI"])
    st, _, data = request("POST", "/api/v1/me/second-factor", {}, token=tok)
    assert_problem((st, _, data), 422, "validation")
    assert data["errors"][0]["field"] == "password", data
    assert_problem(request("POST", "/api/v1/me/second-factor", {"password": "not my password"},
                           token=tok), 403, "forbidden")
    # Confirming before beginning says what to do.
    assert_problem(request("POST", "/api/v1/me/second-factor/confirm", {"code": "123456"},
                           token=tok), 409, "conflict")
    st, _, data = request("POST", "/api/v1/me/second-factor",
                          {"password": s.password_of(user)}, token=tok)
    assert st == 201, (st, data)
    secret = data["secret"]
    # A code from an hour ago does not confirm; the set-up is not on yet.
    old = totp(secret, at=time.time() - 3600)
    st, _, data = request("POST", "/api/v1/me/second-factor/confirm", {"code": old}, token=tok)
    assert_problem((st, _, data), 422, "validation")
    assert data["errors"][0]["field"] == "code", data
    assert s.login(user, s.password_of(user))[0] == 201, "not on until confirmed"
    # Codes that are not six digits are field errors, not crashes.
    for bad in ("", "abcdef", "12345", "1234567890123"):
        st, _, data = request("POST", "/api/v1/me/second-factor/confirm", {"code": bad},
                              token=tok)
        assert st == 422, (bad, st, data)


@test
def guessing_the_password_at_enrolment_is_throttled_like_sign_ins():
    s = shared()
    s.ensure_office("EG-CAI", "Cairo", "EGY")
    user, tok = s.make_user(["registration"], ["EG-CAI"])
    codes = [request("POST", "/api/v1/me/second-factor", {"password": "not mine %d" % i},
                     token=tok)[0] for i in range(6)]
    assert codes[:5] == [403] * 5 and codes[5] == 429, codes
    st, h, _ = request("POST", "/api/v1/me/second-factor", {"password": s.password_of(user)},
                       token=tok)
    assert st == 429 and int(h["Retry-After"]) > 0, st


@test
def an_administrator_removes_a_lost_second_factor():
    s = shared()
    s.ensure_office("EG-CAI", "Cairo", "EGY")
    user, tok = s.make_user(["medical"], ["EG-CAI"])
    pw = s.password_of(user)
    enrol(s, user, pw, tok)
    # Nobody can switch it on for someone else.
    st, _, data = request("PATCH", "/api/v1/users/" + user, {"second_factor": True},
                          token=s.admin())
    assert_problem((st, _, data), 422, "validation")
    st, _, data = request("PATCH", "/api/v1/users/" + user, {"second_factor": False},
                          token=s.admin())
    assert st == 200, (st, data)
    assert data["second_factor"] is False, data
    # Their sessions ended; the password alone works again.
    assert request("GET", "/api/v1/me", token=tok)[0] == 401
    assert s.login(user, pw)[0] == 201


@test
def the_configuration_can_require_it_for_some_roles():
    srv = Server(env={"AWDA_SECOND_FACTOR_ROLES": "admin,medical,protection"}).start()
    try:
        admin_tok = srv.admin()  # the administrator signs in: enrolment only
        st, _, me = srv.request("GET", "/api/v1/me", token=admin_tok)
        assert st == 200 and me.get("must_set_up_second_factor") is True, me
        assert_problem(srv.request("GET", "/api/v1/users", token=admin_tok), 403,
                       "second-factor-required")
        st, _, me = srv.request("PATCH", "/api/v1/me", {"language": "fr"}, token=admin_tok)
        assert st == 200 and me.get("must_set_up_second_factor") is True, me
        secret, used = enrol(srv, srv.admin_user, srv.admin_password, admin_tok)
        # The session that enrolled may go on; new sign-ins need a code.
        assert srv.request("GET", "/api/v1/users", token=admin_tok)[0] == 200
        srv.ensure_office("ML-BKO", "Bamako", "MLI")
        name = uniq_username()
        for role, must in (("medical", True), ("registration", False)):
            name = uniq_username()
            body = {"username": name, "password": "pw-" + name + "-long-enough",
                    "roles": [role], "offices": ["ML-BKO"]}
            assert srv.request("POST", "/api/v1/users", body, token=admin_tok)[0] == 201
            st, _, data = srv.login(name, body["password"])
            assert st == 201, (st, data)
            tok = data["token"]
            st, _, data = srv.request("GET", "/api/v1/cases", token=tok)
            if must:
                assert_problem((st, _, data), 403, "second-factor-required")
            else:
                assert st == 200, (st, data)
        # An unknown role in the setting is refused at start-up.
        p = subprocess.run([srv.bin, "serve", "--db", srv.db, "--listen", "127.0.0.1:0",
                            "--second-factor-roles", "admin,wizard"],
                           capture_output=True, timeout=30)
        assert p.returncode != 0 and b"wizard" in p.stderr, (p.returncode, p.stderr)
        # The secret is sealed: its base32 text is nowhere in the database files.
        srv.stop()
        blob = b""
        for ext in ("", "-wal"):
            try:
                with open(srv.db + ext, "rb") as f:
                    blob += f.read()
            except OSError:
                pass
        assert secret.encode() not in blob, "the TOTP secret is stored in clear"
    finally:
        srv.cleanup()


@test
def the_language_is_remembered_per_user():
    s = shared()
    s.ensure_office("EG-CAI", "Cairo", "EGY")
    user, tok = s.make_user(["registration"], ["EG-CAI"])
    assert request("GET", "/api/v1/me", token=tok)[2]["language"] == "en"
    st, _, data = request("PATCH", "/api/v1/me", {"language": "ar"}, token=tok)
    assert st == 200 and data["language"] == "ar", (st, data)
    st, _, data = s.login(user, s.password_of(user))
    assert data["user"]["language"] == "ar", data
    st, _, data = request("PATCH", "/api/v1/me", {"language": "de"}, token=tok)
    assert_problem((st, _, data), 422, "validation")
    assert data["errors"][0]["field"] == "language", data
    st, _, data = request("PATCH", "/api/v1/me", {"roles": ["admin"]}, token=tok)
    assert_problem((st, _, data), 422, "validation")
    assert "admin" not in request("GET", "/api/v1/me", token=tok)[2]["roles"]


if __name__ == "__main__":
    main()
