"""awda_server.py — a server of one awda binary for the bench's Python
scripts (search_answers.py, cold_reads.py): start() runs `BINARY serve`
on a database on a loopback port and waits for /healthz; sign_in() opens
a session and gives its token. The caller stops the process
(terminate(), wait())."""
import http.client
import json
import subprocess
import sys
import time


def start(binary, db, port, threads=2, env=None, who="bench"):
    """The server's process and a keep-alive connection to it; exits with
    a message when it does not answer (the database in use, say)."""
    srv = subprocess.Popen([binary, "serve", "--db", db, "--listen", "127.0.0.1:%d" % port,
                            "--threads", str(threads)], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, env=env)
    c = None
    for _ in range(600):
        if srv.poll() is not None:
            break
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            c.request("GET", "/healthz")
            c.getresponse().read()
            break
        except OSError:
            c = None
            time.sleep(0.05)
    if c is None or srv.poll() is not None:
        srv.kill()
        srv.wait()
        sys.exit("%s: %s did not start on %s (is the database in use?)" % (who, binary, db))
    return srv, c


def sign_in(c, user, password, who="bench"):
    """The token of a new session of user on connection c."""
    c.request("POST", "/api/v1/session", json.dumps({"username": user, "password": password}),
              {"Content-Type": "application/json"})
    r = c.getresponse()
    body = json.loads(r.read())
    if r.status not in (200, 201):
        sys.exit("%s: sign-in as %s: %s %s" % (who, user, r.status, body))
    return body["token"]
