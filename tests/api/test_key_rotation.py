"""`awda keys rotate` re-seals every sealed value under the new key in one
transaction — the medical and protection detail of records, the
protection concerns of persons, the second-factor secrets, the stored
replies of idempotent creates — and retires the old key only when no
value is left under it. After a rotation and a restart, a user with a
second factor signs in with a code (computed here, RFC 6238), the
protection officer reads the concerns, and a retried create is replayed;
a value the re-sealing did not reach keeps the old key in the key file
and the command fails, saying where."""
import base64
import hashlib
import hmac
import secrets
import sqlite3
import struct
import subprocess
import time

from harness import Server, case_body, person, test, main
from journey_util import health_body


def totp(secret_b32, step_offset=0):
    """RFC 6238 code (SHA-1, 6 digits, 30 s), independent of awda."""
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    counter = int(time.time() // 30) + step_offset
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    o = mac[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", mac[o:o + 4])[0] & 0x7FFFFFFF) % 1000000)


def _keys(srv):
    with open(srv.db + ".key") as f:
        return [line.split()[0] for line in f if line.strip()]


def _left_under(srv, version):
    """Sealed values under key `version`, per place."""
    like = "sealed:v%d:%%" % version
    db = sqlite3.connect(srv.db)
    try:
        return {
            "totp": db.execute("SELECT count(*) FROM users WHERE totp_secret LIKE ?",
                               (like,)).fetchone()[0],
            "concerns": db.execute("SELECT count(*) FROM persons WHERE "
                                   "protection_vulnerabilities LIKE ?", (like,)).fetchone()[0],
            "replies": db.execute("SELECT count(*) FROM idempotency WHERE body LIKE ?",
                                  (like,)).fetchone()[0],
            "records": db.execute("SELECT count(*) FROM case_records, json_tree(data) t "
                                  "WHERE t.type='text' AND t.atom LIKE ?",
                                  (like,)).fetchone()[0],
        }
    finally:
        db.close()


def _rotate(srv):
    return subprocess.run([srv.bin, "keys", "rotate", "--db", srv.db], capture_output=True,
                          timeout=60)


@test
def after_rotation_and_a_restart_second_factor_users_still_sign_in():
    srv = Server()
    try:
        srv.start()
        srv.ensure_office("EG-CAI", "Cairo", "EGY")
        user, tok = srv.make_user(["counsellor"], ["EG-CAI"])
        pw = srv.password_of(user)
        prot_user, prot = srv.make_user(["protection"], ["EG-CAI"])
        med_user, medical = srv.make_user(["medical"], ["EG-CAI"])
        # The counsellor sets up a second factor.
        st, _, sf = srv.request("POST", "/api/v1/me/second-factor", {"password": pw}, token=tok)
        assert st == 201, sf
        secret = sf["secret"]
        st, _, me = srv.request("POST", "/api/v1/me/second-factor/confirm",
                                {"code": totp(secret)}, token=tok)
        assert st == 200 and me["second_factor"] is True, me
        # A protection concern, a stored reply, clinical notes.
        body = case_body(members=[{"relationship": "principal", "person": person(
            protection_vulnerabilities=["survivor_of_violence"])}])
        key = "rot-" + secrets.token_hex(6)
        st, _, c = srv.request("POST", "/api/v1/cases", body, token=prot,
                               headers={"Idempotency-Key": key})
        assert st == 201, c
        pid = c["members"][0]["person_id"]
        marker = "ROTNOTES" + secrets.token_hex(6)
        st, _, rec = srv.request("POST", "/api/v1/cases/%s/records" % c["id"],
                                 health_body(pid, clinical_notes=marker), token=medical)
        assert st == 201, rec
        srv.stop()
        before = _left_under(srv, 1)
        assert all(n > 0 for n in before.values()), before

        p = _rotate(srv)
        assert p.returncode == 0, p.stderr
        assert b"re-sealed" in p.stdout, p.stdout
        assert _keys(srv) == ["2"], _keys(srv)
        left = _left_under(srv, 1)
        assert not any(left.values()), "values still under the retired key: %r" % left
        assert _left_under(srv, 2)["totp"] == 1

        srv.start()
        # The password alone asks for a code; the password and a code open
        # a session (not 503: the secret opens under the new key).
        st, _, data = srv.login(user, pw)
        assert st == 401 and data["type"].endswith("otp-required"), (st, data)
        st, _, data = srv.request("POST", "/api/v1/session",
                                  {"username": user, "password": pw,
                                   "otp": totp(secret, step_offset=1)})
        assert st == 201, (st, data)
        # The concerns, the stored reply and the notes all open.
        prot = srv.token(prot_user)
        full = srv.request("GET", "/api/v1/persons/" + pid, token=prot)[2]
        assert full["protection_vulnerabilities"] == ["survivor_of_violence"], full
        st, h, again = srv.request("POST", "/api/v1/cases", body, token=prot,
                                   headers={"Idempotency-Key": key})
        assert st == 201 and again["id"] == c["id"], (st, again)
        assert h.get("Idempotent-Replayed") == "true", dict(h)
        recs = srv.request("GET", "/api/v1/cases/%s/records" % c["id"],
                           token=srv.token(med_user))[2]
        assert marker in str(recs), recs
    finally:
        if srv.alive():
            srv.stop()
        srv.cleanup()


@test
def a_key_still_in_use_is_not_retired():
    srv = Server()
    try:
        srv.start()
        srv.ensure_office("EG-CAI", "Cairo", "EGY")
        med_user, medical = srv.make_user(["medical"], ["EG-CAI"])
        st, _, c = srv.request("POST", "/api/v1/cases", case_body(), token=srv.admin())
        assert st == 201, c
        marker = "KEEPKEY" + secrets.token_hex(6)
        url = "/api/v1/cases/%s/records" % c["id"]
        st, _, rec = srv.request("POST", url, health_body(c["members"][0]["person_id"],
                                                          clinical_notes=marker), token=medical)
        assert st == 201, rec
        srv.stop()
        # A sealed value where the re-sealing does not look (nested in a
        # record), as a place someone forgot to list would be.
        db = sqlite3.connect(srv.db)
        try:
            db.execute("UPDATE case_records SET data=json_set(data,'$.copy',json_object("
                       "'notes',json_extract(data,'$.clinical_notes'))) "
                       "WHERE kind='health_assessment'")
            db.commit()
        finally:
            db.close()

        p = _rotate(srv)
        assert p.returncode != 0, (p.stdout, p.stderr)
        assert b"case_records.data" in p.stderr and b"old key" in p.stderr, p.stderr
        assert _keys(srv) == ["1", "2"], "the old key stays while a value needs it"
        # Nothing is lost: the server starts and the notes open.
        srv.start()
        st, _, recs = srv.request("GET", url, token=srv.token(med_user))
        assert st == 200 and marker in str(recs), recs
        srv.stop()
        # Once the stray value is gone, the rotation finishes.
        db = sqlite3.connect(srv.db)
        try:
            db.execute("UPDATE case_records SET data=json_remove(data,'$.copy')")
            db.commit()
        finally:
            db.close()
        p = _rotate(srv)
        assert p.returncode == 0, p.stderr
        assert _keys(srv) == ["3"], _keys(srv)
    finally:
        if srv.alive():
            srv.stop()
        srv.cleanup()


if __name__ == "__main__":
    main()
