"""Medical and protection detail is sealed at rest: a marker planted in
clinical notes or a child's views never appears in the bytes of the
database file (or its WAL), the medical and protection roles still read
it, `awda keys rotate` re-seals everything under a new key without losing
a word, and without its key file the server refuses to start."""
import os
import secrets
import stat
import subprocess

from harness import Server, case_body, person, test, main
from journey_util import health_body


def _setup(srv):
    srv.ensure_office("EG-CAI", "Cairo", "EGY")
    _, medical = srv.make_user(["medical"], ["EG-CAI"])
    _, protection = srv.make_user(["protection"], ["EG-CAI"])
    _, counsellor = srv.make_user(["counsellor"], ["EG-CAI"])
    st, _, c = srv.request("POST", "/api/v1/cases", case_body(), token=srv.admin())
    assert st == 201, c
    pid = c["members"][0]["person_id"]
    return c, pid, medical, protection, counsellor


def _db_bytes(srv):
    data = b""
    for suffix in ("", "-wal"):
        path = srv.db + suffix
        if os.path.exists(path):
            with open(path, "rb") as f:
                data += f.read()
    return data


@test
def sealed_detail_never_reaches_the_database_file():
    srv = Server()
    try:
        srv.start()
        c, pid, medical, protection, counsellor = _setup(srv)
        med_marker = "MEDMARK" + secrets.token_hex(8)
        prot_marker = "PROTMARK" + secrets.token_hex(8)
        url = "/api/v1/cases/%s/records" % c["id"]
        st, _, rec = srv.request("POST", url, health_body(
            pid, diagnosis=med_marker, clinical_notes=med_marker), token=medical,
            headers={"Idempotency-Key": "k-" + secrets.token_hex(4)})
        assert st == 201 and rec["data"]["clinical_notes"] == med_marker, rec
        st, _, rec = srv.request("POST", url, {"kind": "child_views", "person_id": pid,
                                               "date": "2026-11-01", "views": prot_marker},
                                 token=protection)
        assert st == 201, rec
        # Those who may read it read it; the others see it sealed.
        body = srv.request("GET", url, token=medical)[2]
        assert med_marker in str(body) and prot_marker not in str(body)
        body = srv.request("GET", url, token=protection)[2]
        assert prot_marker in str(body) and med_marker not in str(body)
        body = srv.request("GET", url, token=counsellor)[2]
        assert med_marker not in str(body) and prot_marker not in str(body)
        assert med_marker.encode() not in _db_bytes(srv)
        srv.stop()  # checkpoint: the WAL goes into the file
        raw = _db_bytes(srv)
        assert med_marker.encode() not in raw, "clinical notes in clear in the database"
        assert prot_marker.encode() not in raw, "a child's views in clear in the database"
        key = srv.db + ".key"
        assert stat.S_IMODE(os.stat(key).st_mode) == 0o600, oct(os.stat(key).st_mode)
        with open(key, "rb") as f:
            assert f.read() not in raw

        # Rotation: a new key, everything re-sealed, still readable.
        p = subprocess.run([srv.bin, "keys", "rotate", "--db", srv.db], capture_output=True)
        assert p.returncode == 0, p.stderr
        assert b"re-sealed" in p.stdout, p.stdout
        with open(key) as f:
            assert f.read().startswith("2 "), "the new key is version 2 and the old one retired"
    finally:
        if srv.alive():
            srv.stop()
        srv.cleanup()


@test
def rotation_keeps_every_sealed_value_readable():
    srv = Server()
    try:
        srv.start()
        c, pid, medical, _, _ = _setup(srv)
        marker = "ROT" + secrets.token_hex(8)
        url = "/api/v1/cases/%s/records" % c["id"]
        assert srv.request("POST", url, health_body(pid, clinical_notes=marker),
                           token=medical)[0] == 201
        srv.stop()
        for _ in range(2):
            p = subprocess.run([srv.bin, "keys", "rotate", "--db", srv.db],
                               capture_output=True)
            assert p.returncode == 0, p.stderr
        srv.start()
        user = [u for u, pw in srv._passwords.items() if u != srv.admin_user]
        tokens = [srv.login(u, srv._passwords[u])[2].get("token") for u in user]
        seen = [str(srv.request("GET", url, token=t)[2]) for t in tokens if t]
        assert any(marker in s for s in seen), "the medical officer still reads the notes"
    finally:
        if srv.alive():
            srv.stop()
        srv.cleanup()


@test
def without_its_key_file_the_server_refuses_to_start():
    srv = Server()
    try:
        srv.start()
        c, pid, medical, _, _ = _setup(srv)
        url = "/api/v1/cases/%s/records" % c["id"]
        assert srv.request("POST", url, health_body(pid, clinical_notes="x"),
                           token=medical)[0] == 201
        srv.stop()
        os.rename(srv.db + ".key", srv.db + ".key.away")
        p = subprocess.run([srv.bin, "serve", "--db", srv.db, "--listen", "127.0.0.1:0"],
                           capture_output=True, timeout=30)
        assert p.returncode != 0, "started without the key to its sealed data"
        assert b"key file" in p.stderr, p.stderr
        os.rename(srv.db + ".key.away", srv.db + ".key")
    finally:
        if srv.alive():
            srv.stop()
        srv.cleanup()


if __name__ == "__main__":
    main()
