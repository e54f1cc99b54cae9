"""HTTP hygiene a proxy in front cannot be trusted to provide, one server
per port and per database, and a server that finds its own web files.

Request classes that could let a request mean one thing to a proxy and
another to awda (request smuggling), or leave a connection waiting: each
variant is sent as raw bytes over a socket, and the test asserts the
status, that the answer came at once (the body, if any, is never sent:
a server waiting for it would answer nothing before the read timeout),
that the connection is then closed, and that /healthz still answers.

Then: a second server on the same port fails with "address in use"; a
second server, or a command that writes, on the same database fails
naming the holder; `awda serve` started from another directory finds the
web interface beside its binary or where `make install` put it, and
explains how to build it when there is none; boolean settings take the
usual spellings.
"""
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time

from harness import (test, add_test, shared, admin, healthz_ok, Server, REPO,
                     binary, free_port, case_body, main)

MOD = "test_http_hygiene"
CASES = "/api/v1/cases"
READ_TIMEOUT = 8.0   # a server waiting for a body answers nothing before this
AT_ONCE = 3.0        # an immediate answer, even under ASan on a loaded machine


class Answer:
    def __init__(self):
        self.status = None
        self.headers = {}
        self.body = b""
        self.seconds = None   # until the whole answer was in
        self.closed = False   # the server closed the connection after it


def exchange(data, port=None, wait_close=True):
    """Sends data on a new connection; reads one answer (by Content-Length)
    and then (wait_close) whether the server closes the connection."""
    a = Answer()
    s = socket.create_connection(("127.0.0.1", port or shared().port),
                                 timeout=READ_TIMEOUT)
    t0 = time.time()
    try:
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused before all was sent: the answer is still read
        buf = b""
        need = None
        while time.time() - t0 < READ_TIMEOUT:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            except ConnectionResetError:
                a.closed = True
                break
            if not chunk:
                a.closed = True
                break
            buf += chunk
            end = buf.find(b"\r\n\r\n")
            if end >= 0 and need is None:
                head = buf[:end].decode("latin-1").split("\r\n")
                m = re.match(r"HTTP/1\.[01] (\d{3})", head[0])
                a.status = int(m.group(1)) if m else None
                for line in head[1:]:
                    k, _, v = line.partition(":")
                    a.headers[k.strip().lower()] = v.strip()
                need = end + 4 + int(a.headers.get("content-length", "0"))
            if need is not None and len(buf) >= need:
                a.body = buf[end + 4:need]
                a.seconds = time.time() - t0
                break
        if a.seconds is not None and not a.closed and wait_close:
            s.settimeout(3.0)
            try:
                a.closed = s.recv(65536) == b""
            except socket.timeout:
                a.closed = False
            except OSError:
                a.closed = True
        return a
    finally:
        s.close()


def head(method, target, lines, version="HTTP/1.1", host=True, auth=True):
    out = ["%s %s %s" % (method, target, version)]
    if host:
        out.append("Host: 127.0.0.1")
    if auth:
        out.append("Authorization: Bearer " + admin())
    out.extend(lines)
    return ("\r\n".join(out) + "\r\n\r\n").encode("latin-1")


def post(lines, **kw):
    return head("POST", CASES, ["Content-Type: application/json"] + lines, **kw)


def get(lines, **kw):
    return head("GET", "/api/v1/me", lines, **kw)


def refused(name, make, status, type_suffix=None, then=b""):
    """A request refused at once: status, problem+json, within AT_ONCE
    seconds although no body follows, connection closed, server alive."""
    def fn():
        a = exchange(make() + then)
        assert a.status == status, "expected %s, got %s (%r)" % (
            status, a.status, a.body[:300])
        assert a.seconds is not None and a.seconds < AT_ONCE, \
            "the answer took %s s: the server waited for a body" % a.seconds
        assert a.headers.get("connection", "").lower() == "close", a.headers
        assert a.closed, "the connection should be closed after a %s" % status
        assert a.headers.get("content-type", "").startswith(
            "application/problem+json"), a.headers
        if type_suffix:
            assert ('"https://awda.example/problems/%s"' % type_suffix
                    ).encode() in a.body, a.body
        healthz_ok()
    add_test(name, fn, MOD)


def served(name, make, status=200):
    """A well-formed request the rules must not refuse (each rule's
    control: a test that would pass with a rule refusing everything
    is no test)."""
    def fn():
        a = exchange(make(), wait_close=False)
        assert a.status == status, "expected %s, got %s (%r)" % (
            status, a.status, a.body[:300])
        healthz_ok()
    add_test(name, fn, MOD)


# ---- Transfer-Encoding that is not exactly one chunked ---------------------
refused("te_list_chunked_chunked",
        lambda: post(["Transfer-Encoding: chunked, chunked"]), 400, "bad-request")
refused("te_unknown_coding_xchunked",
        lambda: post(["Transfer-Encoding: xchunked"]), 501, "not-implemented")
refused("te_unknown_coding_chunk",
        lambda: post(["Transfer-Encoding: chunk"]), 501, "not-implemented")
refused("te_unknown_coding_identity",
        lambda: post(["Transfer-Encoding: identity"]), 501, "not-implemented")
refused("te_list_gzip_chunked",
        lambda: post(["Transfer-Encoding: gzip, chunked"]), 501, "not-implemented")
refused("te_quoted_chunked",
        lambda: post(['Transfer-Encoding: "chunked"']), 400, "bad-request")
refused("te_chunked_with_parameters",
        lambda: post(["Transfer-Encoding: chunked;q=1"]), 400, "bad-request")
refused("te_two_headers",
        lambda: post(["Transfer-Encoding: chunked", "Transfer-Encoding: chunked"]),
        400, "bad-request")
refused("te_empty",
        lambda: post(["Transfer-Encoding: "]), 400, "bad-request")
refused("te_in_http10",
        lambda: post(["Transfer-Encoding: chunked"], version="HTTP/1.0"),
        400, "bad-request")
refused("te_with_content_length",
        lambda: post(["Transfer-Encoding: chunked", "Content-Length: 2"]),
        400, "bad-request")
# One chunked coding is well-formed, but awda reads a body only when
# Content-Length gives its size (RFC 9112 §6.3): 411 at once.
refused("te_chunked_is_411",
        lambda: post(["Transfer-Encoding: chunked"]), 411, "length-required")
refused("te_chunked_uppercase_is_411",
        lambda: post(["Transfer-Encoding: CHUNKED"]), 411, "length-required")
# A 100 KB chunk extension on one chunk line: libmicrohttpd alone answers
# 500 (its read buffer fills); awda answers before reading the body.
refused("te_chunk_extension_100kb",
        lambda: post(["Transfer-Encoding: chunked"]), 411, "length-required",
        then=b"2;" + b"e" * 100000 + b"\r\n{}\r\n0\r\n\r\n")

# ---- a singleton header sent twice ------------------------------------------
refused("two_host_headers_that_differ",
        lambda: get(["Host: evil.example"]), 400, "bad-request")
refused("two_host_headers_that_agree",
        lambda: get(["Host: 127.0.0.1"]), 400, "bad-request")
refused("two_host_headers_in_other_case",
        lambda: get(["HOST: 127.0.0.1"]), 400, "bad-request")
# a wrong second Authorization used to be ignored (200 with the first)
refused("two_authorization_second_wrong",
        lambda: get(["Authorization: Bearer " + "0" * 64]), 400, "bad-request")
refused("two_authorization_first_wrong",
        lambda: head("GET", "/api/v1/me", ["Authorization: Bearer " + "0" * 64,
                                           "Authorization: Bearer " + admin()],
                     auth=False), 400, "bad-request")
refused("two_content_length_that_agree",
        lambda: post(["Content-Length: 2", "Content-Length: 2"]), 400, "bad-request")
refused("two_content_type",
        lambda: post(["Content-Type: text/plain", "Content-Length: 2"]), 400,
        "bad-request")
refused("two_if_match",
        lambda: head("PATCH", CASES + "/0190f5c8-0000-7000-8000-00000000000a",
                     ["Content-Type: application/json", 'If-Match: "1"',
                      'If-Match: "2"', "Content-Length: 2"]), 400, "bad-request")
refused("two_idempotency_keys",
        lambda: post(["Idempotency-Key: one-key-abc", "Idempotency-Key: two-key-abc",
                      "Content-Length: 2"]), 400, "bad-request")
refused("two_cookie_headers",
        lambda: get(["Cookie: lang=ar", "Cookie: awda_session=" + "0" * 64],
                    auth=False), 400, "bad-request")
refused("two_origin_headers",
        lambda: get(["Origin: http://127.0.0.1", "Origin: http://evil.example"]),
        400, "bad-request")
served("list_header_may_repeat",
       lambda: get(["Accept-Encoding: gzip", "Accept-Encoding: br"]))

# ---- malformed header lines ----------------------------------------------------
refused("header_name_with_space",
        lambda: get(["X Custom: value"]), 400, "bad-request")
refused("header_name_with_space_before_colon",
        lambda: get(["X-Custom : value"]), 400, "bad-request")
refused("header_name_with_control_character",
        lambda: get(["X-\x01Custom: value"]), 400, "bad-request")
refused("header_name_with_del",
        lambda: get(["X-\x7fCustom: value"]), 400, "bad-request")
refused("header_value_with_bare_cr",
        lambda: get(["X-Custom: a\rb"]), 400, "bad-request")
refused("header_value_with_bare_cr_smuggling_a_header",
        lambda: get(["X-Custom: a\rTransfer-Encoding: chunked"]), 400, "bad-request")
refused("header_value_with_control_character",
        lambda: get(["X-Custom: a\x01b"]), 400, "bad-request")
refused("header_value_with_escape",
        lambda: get(["X-Custom: \x1b[31mred"]), 400, "bad-request")
refused("header_value_with_del",
        lambda: get(["X-Custom: a\x7f"]), 400, "bad-request")
served("header_value_with_tab_and_utf8",
       lambda: get(["X-Custom: a\tb caf\xc3\xa9"]))

# ---- a Host that is not host[:port] ------------------------------------------
refused("host_with_space", lambda: get(["Host: a b"], host=False), 400, "bad-request")
refused("host_with_control_character",
        lambda: get(["Host: a\x01b"], host=False), 400, "bad-request")
refused("host_list", lambda: get(["Host: a, b"], host=False), 400, "bad-request")
refused("host_with_userinfo",
        lambda: get(["Host: user@127.0.0.1"], host=False), 400, "bad-request")
refused("host_port_too_large",
        lambda: get(["Host: 127.0.0.1:65536"], host=False), 400, "bad-request")
refused("host_port_not_a_number",
        lambda: get(["Host: 127.0.0.1:http"], host=False), 400, "bad-request")
refused("host_too_long",
        lambda: get(["Host: " + "a" * 300], host=False), 400, "bad-request")
refused("host_missing_in_http11", lambda: get([], host=False), 400, "bad-request")
served("host_with_port", lambda: get(["Host: awda.example.org:8080"], host=False))
served("host_ipv6_literal", lambda: get(["Host: [::1]:8080"], host=False))


@test
def pipelined_request_after_a_refusal_is_never_served():
    """What follows a refused request on its connection is never read as
    a request of its own (the smuggled request must not reach a handler)."""
    smuggled = ("GET /api/v1/offices HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                "Authorization: Bearer %s\r\n\r\n" % admin()).encode()
    a = exchange(post(["Transfer-Encoding: xchunked"]) + smuggled)
    assert a.status == 501 and a.closed, (a.status, a.closed)
    a = exchange(get(["Host: other.example"]) + smuggled)
    assert a.status == 400 and a.closed, (a.status, a.closed)
    healthz_ok()


# ---------------------------------------------------------------------------
# One server per port and per database
# ---------------------------------------------------------------------------

def run(args, cwd=None, env=None, timeout=60):
    p = subprocess.run(args, capture_output=True, timeout=timeout, cwd=cwd,
                       env=env)
    return p.returncode, p.stdout.decode("utf-8", "replace"), \
        p.stderr.decode("utf-8", "replace")


@test
def a_second_server_on_the_same_port_fails_with_address_in_use():
    a = Server()
    other = tempfile.mkdtemp(prefix="awda-api-")
    try:
        a.start()
        rc, out, err = run([a.bin, "serve", "--db", os.path.join(other, "b.db"),
                            "--listen", "127.0.0.1:%d" % a.port], timeout=60)
        assert rc != 0, "a second server started on port %d:\n%s" % (a.port, out)
        assert "address in use" in err, err
        # the first one still serves, and every connection goes to it
        for _ in range(5):
            healthz_ok(a)
        assert a.request("GET", "/api/v1/me", token=a.admin())[0] == 200
    finally:
        a.cleanup()
        shutil.rmtree(other, ignore_errors=True)


@test
def a_second_server_on_the_same_database_fails_naming_the_holder():
    a = Server()
    try:
        a.start()
        rc, out, err = run([a.bin, "serve", "--db", a.db, "--listen",
                            "127.0.0.1:%d" % free_port()])
        assert rc != 0, "a second server started on the same database:\n" + out
        assert "in use" in err, err
        assert "pid %d" % a.proc.pid in err, err
        assert "127.0.0.1:%d" % a.port in err, err
        healthz_ok(a)
        # What two writers broke: the audit chain stays intact.
        tok = a.admin()
        for _ in range(3):
            a.request("GET", "/api/v1/me", token=tok)
        a.stop()
        rc, out, err = run([a.bin, "audit", "verify", "--db", a.db])
        assert rc == 0 and "intact" in out, (rc, out, err)
    finally:
        a.cleanup()


@test
def commands_that_write_refuse_to_run_beside_a_server():
    a = Server()
    try:
        a.start()
        writers = [
            ["user", "add", "someone", "--role", "registration"],
            ["user", "passwd", "admin"],
            ["user", "disable", "admin"],
            ["migrate"],
            ["init"],
            ["demo"],
            ["keys", "rotate"],
            ["retention", "run"],
            ["restriction", "add", "--country", "MLI", "--kind", "suspended",
             "--reason", "x", "--next-review", "2031-01-01"],
            ["case", "transition", "0190f5c8-0000-7000-8000-00000000000a",
             "counsel"],
        ]
        for args in writers:
            rc, out, err = run([a.bin] + args + ["--db", a.db])
            assert rc != 0, "%s ran beside the server:\n%s" % (args, out)
            assert "pid %d" % a.proc.pid in err and "in use" in err, (args, err)
        # Reading is fine beside the server.
        for args in (["user", "list"], ["audit", "verify"],
                     ["retention", "run", "--dry-run"], ["restriction", "list"]):
            rc, out, err = run([a.bin] + args + ["--db", a.db])
            assert rc == 0, (args, rc, err)
        healthz_ok(a)
        a.stop()
        # Once the server is gone, the lock is free.
        rc, out, err = run([a.bin, "user", "add", "afterwards", "--role",
                            "registration", "--db", a.db])
        assert rc == 0 and "user: afterwards" in out, (rc, out, err)
        # A server killed with -9 leaves no lock behind.
        a.start()
        a.kill()
        rc, out, err = run([a.bin, "user", "add", "afterkill", "--role",
                            "registration", "--db", a.db])
        assert rc == 0, (rc, out, err)
    finally:
        a.cleanup()


# ---------------------------------------------------------------------------
# The server finds its web files
# ---------------------------------------------------------------------------

def _clean_env():
    env = dict(os.environ)
    for k in list(env):
        if k.startswith("AWDA_"):
            del env[k]
    return env


class Proc:
    """`awda serve` started with a given binary, directory and arguments."""

    def __init__(self, bin_path, cwd, extra=()):
        self.dir = tempfile.mkdtemp(prefix="awda-web-")
        self.port = free_port()
        self.log = os.path.join(self.dir, "serve.log")
        with open(self.log, "wb") as log:
            self.p = subprocess.Popen(
                [bin_path, "serve", "--db", os.path.join(self.dir, "a.db"),
                 "--listen", "127.0.0.1:%d" % self.port] + list(extra),
                cwd=cwd, env=_clean_env(), stdout=log, stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.p.poll() is not None:
                raise AssertionError("serve exited: " + self.text())
            try:
                if exchange(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
                            self.port, wait_close=False).status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise AssertionError("serve did not start: " + self.text())

    def get(self, path):
        return exchange(("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         "Connection: close\r\n\r\n" % path).encode(), self.port)

    def text(self):
        with open(self.log, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def stop(self):
        self.p.terminate()
        try:
            assert self.p.wait(30) == 0, "serve exited with %s" % self.p.returncode
        finally:
            if self.p.poll() is None:
                self.p.kill()
                self.p.wait()
            shutil.rmtree(self.dir, ignore_errors=True)


def _binaries():
    """build/awda (what a user runs) and the binary under test."""
    out = [os.path.join(REPO, "build", "awda")]
    if os.path.realpath(binary()) != os.path.realpath(out[0]):
        out.append(binary())
    return out


def _index():
    with open(os.path.join(REPO, "build", "web", "index.html"), "rb") as f:
        return f.read()


@test
def serve_started_from_another_directory_finds_its_web_files():
    index = _index()
    elsewhere = tempfile.mkdtemp(prefix="awda-cwd-")
    try:
        for b in _binaries():
            s = Proc(b, elsewhere)
            try:
                a = s.get("/")
                assert a.status == 200, (b, a.status, a.body[:200])
                assert a.body == index, "%s: / is not build/web/index.html" % b
                assert a.headers["content-type"].startswith("text/html")
                assert "web_interface_missing" not in s.text(), s.text()
            finally:
                s.stop()
    finally:
        shutil.rmtree(elsewhere, ignore_errors=True)


NO_WEB_HEADINGS = ["The web interface is not built",
                   "L’interface web n’est pas construite",
                   "لم تُبنَ واجهة الويب بعد"]


@test
def without_web_files_the_root_says_how_to_build_them():
    alone = tempfile.mkdtemp(prefix="awda-alone-")
    try:
        lone = os.path.join(alone, "awda")
        shutil.copy2(os.path.join(REPO, "build", "awda"), lone)
        for extra in ([], ["--web-root", os.path.join(alone, "nothing-here")]):
            s = Proc(lone, alone, extra)
            try:
                a = s.get("/")
                assert a.status == 404, (a.status, a.body[:200])
                assert a.headers["content-type"].startswith("text/html"), a.headers
                text = a.body.decode("utf-8")
                for h in NO_WEB_HEADINGS:
                    assert h in text, "missing %r in the page" % h
                assert "<code>make</code>" in text
                assert 'lang="ar" dir="rtl"' in text and 'lang="fr"' in text
                assert s.get("/api/v1/nothing").status == 404
                s.get("/")
                assert s.text().count("web_interface_missing") == 1, s.text()
            finally:
                s.stop()
    finally:
        shutil.rmtree(alone, ignore_errors=True)


@test
def web_root_setting_still_overrides():
    mine = tempfile.mkdtemp(prefix="awda-root-")
    try:
        with open(os.path.join(mine, "index.html"), "w") as f:
            f.write("<!doctype html><title>mine</title>")
        s = Proc(binary(), mine, ["--web-root", mine])
        try:
            a = s.get("/")
            assert a.status == 200 and b"<title>mine</title>" in a.body, a.body
        finally:
            s.stop()
    finally:
        shutil.rmtree(mine, ignore_errors=True)


@test
def make_install_puts_binary_web_files_and_unit_in_place():
    prefix = tempfile.mkdtemp(prefix="awda-prefix-")
    try:
        p = subprocess.run(["make", "--no-print-directory", "install",
                            "PREFIX=" + prefix], cwd=REPO, capture_output=True,
                           timeout=600)
        assert p.returncode == 0, p.stderr.decode()[-2000:]
        exe = os.path.join(prefix, "bin", "awda")
        assert os.access(exe, os.X_OK), exe
        with open(os.path.join(prefix, "share", "awda", "web", "index.html"),
                  "rb") as f:
            assert f.read() == _index()
        with open(os.path.join(prefix, "lib", "systemd", "system",
                               "awda.service")) as f:
            unit = f.read()
        assert "ExecStart=%s/bin/awda serve" % prefix in unit, unit
        assert "@PREFIX@" not in unit and "[Install]" in unit
        s = Proc(exe, tempfile.gettempdir())
        try:
            a = s.get("/")
            assert a.status == 200 and a.body == _index(), (a.status, a.body[:200])
        finally:
            s.stop()
    finally:
        shutil.rmtree(prefix, ignore_errors=True)


@test
def boolean_settings_take_the_usual_spellings():
    for value, logged in (("false", False), ("on", True), ("no", False)):
        s = Proc(binary(), tempfile.gettempdir(), ["--access-log", value])
        try:
            s.get("/healthz")
            time.sleep(0.2)
            text = s.text()
        finally:
            s.stop()
        assert ('"msg":"request"' in text) == logged, (value, text[-600:])
    rc, out, err = run([binary(), "serve", "--access-log", "maybe"],
                       env=_clean_env())
    assert rc != 0 and "true or false" in err, (rc, err)


if __name__ == "__main__":
    main()
