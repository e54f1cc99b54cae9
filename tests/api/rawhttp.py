"""rawhttp.py — bytes sent to the server as they are, for the tests of
awda's own HTTP rules (malformed requests, smuggling, slow clients):
raw_send() writes the bytes on a fresh loopback connection and reads what
comes back, parsed into a RawResponse (status, headers, body, dechunked)
when it is HTTP. harness re-exports raw_send and RawResponse."""
import json
import re
import socket
import time

class RawResponse:
    def __init__(self):
        self.status = None        # int, or None when nothing parseable came
        self.reason = ""
        self.headers = {}         # lower-case name -> value (last wins)
        self.header_list = []
        self.body = b""
        self.closed = False       # server closed the connection after it
        self.raw = b""

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def __repr__(self):
        return "<RawResponse status=%r closed=%r headers=%r body=%r>" % (
            self.status, self.closed, self.headers, self.body[:300])


def _parse_head(buf):
    i = buf.find(b"\r\n\r\n")
    if i < 0:
        return None
    head = buf[:i].decode("latin-1")
    lines = head.split("\r\n")
    return i + 4, lines


def raw_send(port, data, timeout=5.0, close_wait=2.0, shutdown_write=False,
             then=None):
    """Sends bytes on a new connection, reads one response, and finds out
    whether the server closed the connection afterwards (waiting up to
    close_wait seconds). With then=bytes, those are sent after a short pause
    unless the server has already answered (for early 413s on big bodies).
    Never raises for connection resets."""
    import select
    r = RawResponse()
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        try:
            s.sendall(data)
            if then is not None:
                ready, _, _ = select.select([s], [], [], 0.3)
                if not ready:
                    s.sendall(then)
            if shutdown_write:
                s.shutdown(socket.SHUT_WR)
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            pass
        buf = b""
        deadline = time.time() + timeout
        head = None
        body_len = None
        chunked = False
        while time.time() < deadline:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            except ConnectionResetError:
                r.closed = True
                break
            if not chunk:
                r.closed = True
                break
            buf += chunk
            if head is None:
                head = _parse_head(buf)
                if head is not None:
                    off, lines = head
                    m = re.match(r"HTTP/\d\.\d (\d{3}) ?(.*)", lines[0])
                    if m:
                        r.status = int(m.group(1))
                        r.reason = m.group(2)
                    for ln in lines[1:]:
                        if ":" in ln:
                            k, v = ln.split(":", 1)
                            r.header_list.append((k.strip(), v.strip()))
                            r.headers[k.strip().lower()] = v.strip()
                    if "content-length" in r.headers:
                        try:
                            body_len = int(r.headers["content-length"])
                        except ValueError:
                            body_len = None
                    chunked = "chunked" in r.headers.get(
                        "transfer-encoding", "").lower()
                    if data.split(b" ", 1)[0] == b"HEAD":
                        body_len = 0
            if head is not None:
                off = head[0]
                if body_len is not None and len(buf) - off >= body_len:
                    break
                if chunked and buf.endswith(b"0\r\n\r\n"):
                    break
        r.raw = buf
        if head is not None:
            off = head[0]
            body = buf[off:]
            if chunked:
                body = _dechunk(body)
            elif body_len is not None:
                body = body[:body_len]
            r.body = body
        if not r.closed:
            s.settimeout(close_wait)
            try:
                more = s.recv(65536)
                if not more:
                    r.closed = True
            except socket.timeout:
                r.closed = False
            except (ConnectionResetError, OSError):
                r.closed = True
        return r
    finally:
        s.close()


def _dechunk(b):
    out = b""
    while b:
        i = b.find(b"\r\n")
        if i < 0:
            break
        try:
            n = int(b[:i].split(b";")[0], 16)
        except ValueError:
            break
        if n == 0:
            break
        out += b[i + 2:i + 2 + n]
        b = b[i + 2 + n + 2:]
    return out
