"""Malformed input: broken JSON, bad UTF-8, hostile HTTP, SQL metacharacters.

Every test asserts the right 4xx (never 2xx for garbage, never 5xx) and
that the server still answers /healthz afterwards.
"""
import json

from harness import (test, add_test, shared, request, admin, assert_problem,
                     case_body, person, create_case, get_case, list_all_cases,
                     urlquote, healthz_ok, MAX_BODY, main)
from harness import _short

MOD = "test_malformed"
CASES = "/api/v1/cases"


def problem_check(resp, expected, problem=True, type_suffix=None):
    st = resp[0]
    exp = expected if isinstance(expected, (list, tuple)) else (expected,)
    assert st in exp, "expected %s, got %s: %s" % (exp, st, _short(resp[2]))
    if problem and st >= 400:
        assert_problem(resp, st, type_suffix)


# ---------------------------------------------------------------------------
# JSON bodies sent with http.client
# ---------------------------------------------------------------------------

def valid_json():
    return json.dumps(case_body(), ensure_ascii=False).encode("utf-8")


def with_name(raw_name):
    """A valid case body whose principal's name string content is replaced
    by raw bytes (placed between the quotes)."""
    b = case_body()
    b["members"][0]["person"]["name"] = "@@NAME@@"
    return json.dumps(b).encode("utf-8").replace(b"@@NAME@@", raw_name)


def with_notes_value(raw_value):
    """A valid case body whose notes value is raw JSON text."""
    b = case_body()
    b["notes"] = "@@NOTES@@"
    return json.dumps(b).encode("utf-8").replace(b'"@@NOTES@@"', raw_value)


def with_value(path, raw_value):
    """A valid case body with the value at path replaced by raw JSON text."""
    b = case_body()
    _set(b, path, "@@VALUE@@")
    return json.dumps(b).encode("utf-8").replace(b'"@@VALUE@@"', raw_value)


def _set(obj, path, value):
    for k in path[:-1]:
        obj = obj[k]
    obj[path[-1]] = value


P = ["members", 0, "person"]


def body_test(name, make_body, expected, type_suffix=None, method="POST",
              path=CASES, ctype="application/json", count_unchanged=True):
    def fn():
        before = len(list_all_cases()) if count_unchanged else None
        raw = make_body() if callable(make_body) else make_body
        headers = {"Content-Type": ctype}
        r = request(method, path, raw=raw, token=admin(), headers=headers)
        problem_check(r, expected, type_suffix=type_suffix)
        healthz_ok()
        if count_unchanged and r[0] >= 400:
            assert len(list_all_cases()) == before, "something was created"
    add_test(name, fn, MOD)


MJ = "malformed-json"
# structure
body_test("json_truncated_object",
          lambda: valid_json()[:len(valid_json()) // 2], 400, MJ)
body_test("json_truncated_in_string", b'{"office": "EG-C', 400, MJ)
body_test("json_truncated_after_colon", b'{"office":', 400, MJ)
body_test("json_only_open_brace", b"{", 400, MJ)
body_test("json_trailing_garbage", lambda: valid_json() + b" garbage", 400, MJ)
body_test("json_two_objects", b'{}{}', 400, MJ)
body_test("json_trailing_comma", b'{"office": "EG-CAI",}', 400, MJ)
body_test("json_single_quotes", b"{'office': 'EG-CAI'}", 400, MJ)
body_test("json_comment", b'{/* hi */ "office": "EG-CAI"}', 400, MJ)
body_test("json_unquoted_key", b'{office: "EG-CAI"}', 400, MJ)
body_test("json_nan", lambda: with_notes_value(b"NaN"), 400, MJ)
body_test("json_infinity", lambda: with_notes_value(b"Infinity"), 400, MJ)
body_test("json_bad_escape", lambda: with_name(b"\\x41"), 400, MJ)
body_test("json_bad_unicode_escape", lambda: with_name(b"\\u12G4"), 400, MJ)
body_test("json_raw_control_char_in_string", lambda: with_name(b"a\x01b"),
          400, MJ)
body_test("json_raw_newline_in_string", lambda: with_name(b"a\nb"), 400, MJ)
# depth
body_test("json_deep_arrays_1000", b"[" * 1000 + b"]" * 1000, 400, MJ)
body_test("json_deep_arrays_1000_in_field",
          lambda: with_notes_value(b"[" * 1000 + b"]" * 1000), 400, MJ)
body_test("json_deep_objects_1000_in_field",
          lambda: with_notes_value(b'{"a":' * 1000 + b"1" + b"}" * 1000),
          400, MJ)
body_test("json_depth_20_in_field",
          lambda: with_notes_value(b"[" * 19 + b"]" * 19), 400, MJ)
body_test("json_deep_unclosed_100000", b"[" * 100000, 400, MJ)
# numbers
body_test("json_number_1e400", lambda: with_notes_value(b"1e400"), (400, 422))
body_test("json_number_huge_integer",
          lambda: with_notes_value(b"99999999999999999999999"), (400, 422))
body_test("json_number_huge_integer_as_sex",
          lambda: with_value(P + ["sex"], b"99999999999999999999999"),
          (400, 422))
body_test("json_number_huge_negative_as_member",
          lambda: with_value(["members", 0], b"-1e999999"), (400, 422))
body_test("json_number_1000_digits",
          lambda: with_notes_value(b"1" * 1000), (400, 422))
# UTF-8
body_test("utf8_invalid_byte_ff", lambda: with_name(b"Ali \xff"), 400, MJ)
body_test("utf8_bad_continuation", lambda: with_name(b"\xc3\x28"), 400, MJ)
body_test("utf8_truncated_sequence", lambda: with_name(b"Ali\xe2\x82"),
          400, MJ)
body_test("utf8_overlong_slash", lambda: with_name(b"\xc0\xaf"), 400, MJ)
body_test("utf8_overlong_3byte", lambda: with_name(b"\xe0\x80\xaf"), 400, MJ)
body_test("utf8_overlong_nul", lambda: with_name(b"A\xc0\x80B"), 400, MJ)
body_test("utf8_encoded_surrogate", lambda: with_name(b"\xed\xa0\x80"),
          400, MJ)
body_test("utf8_beyond_u10ffff", lambda: with_name(b"\xf4\x90\x80\x80"),
          400, MJ)
body_test("utf8_invalid_in_key",
          lambda: valid_json().replace(b'"notes"', b'"no\xfftes"', 1), 400, MJ)
body_test("escape_lone_high_surrogate", lambda: with_name(b"\\ud800"),
          (400, 422))
body_test("escape_lone_low_surrogate", lambda: with_name(b"\\udc00"),
          (400, 422))
body_test("escape_reversed_surrogates", lambda: with_name(b"\\udc00\\ud800"),
          (400, 422))
body_test("escape_nul_name", lambda: with_name(b"\\u0000"), (400, 422))
body_test("escape_nul_inside_name", lambda: with_name(b"Ab\\u0000cd"),
          (400, 422))
body_test("escape_nul_in_key",
          lambda: valid_json().replace(b'"notes"', b'"no\\u0000tes"', 1),
          (400, 422))
# top level
body_test("top_level_array", b'[{"office": "EG-CAI"}]', 400)
body_test("top_level_string", b'"a case"', 400)
body_test("top_level_null", b"null", 400)
body_test("top_level_number", b"42", 400)
body_test("top_level_true", b"true", 400)
body_test("duplicate_keys_top_level",
          lambda: valid_json()[:-1] + b', "office": "DZ-TAM"}', 400, MJ)
body_test("duplicate_keys_in_person",
          lambda: with_name(b'Ali", "name": "Bob'), 400, MJ)
body_test("empty_body", b"", 400)
body_test("whitespace_body", b"  \r\n\t ", 400)
body_test("members_array_of_100000",
          lambda: with_value(["members"], b"[" +
                             b",".join([b"1"] * 100000) + b"]"),
          (400, 422, 413))
body_test("long_key_500k",
          lambda: b'{"' + b"k" * 500000 + b'": 1}', (400, 422))
# media types
body_test("content_type_text_plain", valid_json, 415, "unsupported-media-type",
          ctype="text/plain")
body_test("content_type_form", valid_json, 415, "unsupported-media-type",
          ctype="application/x-www-form-urlencoded")
body_test("content_type_multipart", valid_json, 415, "unsupported-media-type",
          ctype="multipart/form-data; boundary=xyz")
body_test("content_type_xml", valid_json, 415, "unsupported-media-type",
          ctype="application/xml")
body_test("content_type_json_prefix_trick", valid_json, 415,
          "unsupported-media-type", ctype="application/jsonx")
# other endpoints
body_test("patch_top_level_array", b"[]", 400, method="PATCH",
          path=CASES + "/0193a5b0-1234-7abc-8def-0123456789ab",
          count_unchanged=False)
body_test("offices_truncated_json", b'{"code": "EG-', 400, MJ,
          path="/api/v1/offices", count_unchanged=False)
body_test("users_top_level_string", b'"admin"', 400, path="/api/v1/users",
          count_unchanged=False)


@test
def content_type_with_charset_is_accepted():
    r = request("POST", CASES, raw=valid_json(), token=admin(),
                headers={"Content-Type": "application/json; charset=utf-8"})
    assert r[0] == 201, (r[0], r[2])


@test
def content_type_is_case_insensitive():
    r = request("POST", CASES, raw=valid_json(), token=admin(),
                headers={"Content-Type": "Application/JSON"})
    assert r[0] == 201, (r[0], r[2])


@test
def missing_content_type_with_body_is_rejected():
    before = len(list_all_cases())
    r = request("POST", CASES, raw=valid_json(), token=admin(),
                headers={"Content-Type": None})
    problem_check(r, (400, 415))
    healthz_ok()
    assert len(list_all_cases()) == before


@test
def malformed_patch_changes_nothing():
    c = create_case()
    r = request("PATCH", CASES + "/" + c["id"], raw=b'{"notes": "x"',
                token=admin(), headers={"If-Match": '"1"'})
    problem_check(r, 400, type_suffix=MJ)
    r = request("PATCH", CASES + "/" + c["id"],
                raw=b'{"notes": "a", "notes": "b"}', token=admin(),
                headers={"If-Match": '"1"'})
    problem_check(r, 400, type_suffix=MJ)
    st, _, g = get_case(c["id"])
    assert g == c
    healthz_ok()


@test
def patch_garbage_if_match_is_rejected():
    c = create_case()
    for v in ('"abc"', "W/", '"1', "-1", '"99999999999999999999999"',
              "x" * 100):
        r = request("PATCH", CASES + "/" + c["id"], {"notes": "n"},
                    token=admin(), headers={"If-Match": v})
        problem_check(r, (400, 412))
    assert get_case(c["id"])[2]["version"] == 1
    healthz_ok()


# ---------------------------------------------------------------------------
# Raw HTTP over a socket
# ---------------------------------------------------------------------------

def head(method="GET", target="/healthz", version="HTTP/1.1", extra=(),
         auth=False, host=True):
    lines = ["%s %s %s" % (method, target, version)]
    if host:
        lines.append("Host: 127.0.0.1")
    if auth:
        lines.append("Authorization: Bearer " + admin())
    lines.extend(extra)
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def raw_test(name, make, expected, closed=None, problem=False,
             forbid_body=None, then=None, shutdown_write=False,
             close_wait=None, may_linger=False):
    """expected: statuses allowed; None in it allows the server to close
    the connection without any response. closed=True: the connection must
    be closed after the response. may_linger: with no response, the server
    may also keep the connection until its idle timeout (libmicrohttpd
    sometimes does not notice a client's half-close mid-body)."""
    def fn():
        srv = shared()
        data = make() if callable(make) else make
        extra = then() if callable(then) else then
        r = srv.raw_send(data, then=extra, shutdown_write=shutdown_write,
                         close_wait=close_wait or (2.0 if closed else 0.3))
        assert r.status in expected, \
            "expected %s, got %r" % (expected, r)
        if r.status is None and not may_linger:
            assert r.closed, "no response and connection left open"
        if closed:
            assert r.closed, "connection should be closed after %s" % r.status
        if problem and r.status is not None and r.status >= 400:
            ctype = r.headers.get("content-type", "")
            assert ctype.startswith("application/problem+json"), r
        if forbid_body:
            assert forbid_body not in r.body, "leaked: %r" % r.body[:200]
        healthz_ok()
    add_test(name, fn, MOD)


def post_head(extra, auth=True):
    return head("POST", CASES, auth=auth, extra=["Content-Type: "
                                                  "application/json"] + extra)


# request smuggling and framing
raw_test("two_different_content_lengths",
         lambda: post_head(["Content-Length: 2", "Content-Length: 5"]) +
         b"{}   ", (400,), closed=True, problem=True)
raw_test("content_length_plus_chunked",
         lambda: post_head(["Content-Length: 2",
                            "Transfer-Encoding: chunked"]) +
         b"2\r\n{}\r\n0\r\n\r\n", (400,), closed=True, problem=True)
raw_test("chunked_plus_content_length",
         lambda: post_head(["Transfer-Encoding: chunked",
                            "Content-Length: 2"]) +
         b"2\r\n{}\r\n0\r\n\r\n", (400,), closed=True, problem=True)
raw_test("content_length_not_a_number",
         lambda: post_head(["Content-Length: abc"]) + b"{}", (400, None))
raw_test("content_length_negative",
         lambda: post_head(["Content-Length: -1"]) + b"{}", (400, None))
raw_test("content_length_overflow",
         lambda: post_head(["Content-Length: 99999999999999999999999"]) +
         b"{}", (400, 413, None))
# awda reads a body only when Content-Length gives its size: a chunked one,
# well-formed or not, is 411 before it is read (test_http_hygiene.py).
raw_test("bad_chunk_size",
         lambda: post_head(["Transfer-Encoding: chunked"]) + b"zz\r\n{}\r\n",
         (411,), closed=True, problem=True)
raw_test("body_over_1mib_is_413",
         lambda: post_head(["Content-Length: %d" % (MAX_BODY + 4096)]),
         (413,), problem=True,
         then=lambda: b'{"notes":"' + b"a" * (MAX_BODY + 4096 - 13) + b'"}')
raw_test("body_declared_64mib_is_413",
         lambda: post_head(["Content-Length: %d" % (64 * MAX_BODY)]),
         (413,), problem=True, then=lambda: b" " * (MAX_BODY + 65536))
raw_test("body_shorter_than_content_length_then_half_close",
         lambda: post_head(["Content-Length: 1000"]) + b'{"office":',
         (400, 408, None), shutdown_write=True, may_linger=True)
# URLs
# A raw NUL byte (not %00) ends the URL inside libmicrohttpd 0.9.75 before
# awda sees it, so the request is routed as "/api/v1/cases/" and gets 404;
# it can never reach a handler with a different path than the one routed.
raw_test("raw_nul_in_url", head(target="/api/v1/cases/\x00", auth=False),
         (400, 404, None))
raw_test("raw_control_char_in_url", head(target="/api/v1/cas\x01es"),
         (400, None))
raw_test("raw_del_char_in_url", head(target="/api/v1/cases/\x7f"),
         (400, None))
raw_test("raw_tab_in_url", head(target="/api/v1/\tcases"), (400, None))
raw_test("raw_escape_char_in_url", head(target="/healthz\x1b[31m"),
         (400, None))
# protocol garbage
raw_test("garbage_request_line", b"HELLO\r\n\r\n", (400, None))
raw_test("binary_garbage", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" +
         bytes(range(256)) + b"\r\n\r\n", (400, None))
raw_test("http09_request", b"GET /healthz\r\n\r\n", (400, 505, None))
raw_test("invalid_method", lambda: head("FOO", CASES, auth=True),
         (400, 405, 501))
raw_test("invalid_method_characters", head("G(T", "/healthz"),
         (400, 405, 501, None))
raw_test("invalid_http_version", head(version="HTTP/9.9"), (400, 505, None))
raw_test("malformed_http_version", head(version="HTTX/1.1"), (400, 505, None))
raw_test("missing_host_http11", head(host=False), (400,))
raw_test("header_without_colon", head(extra=["this is not a header"]),
         (400, None))
raw_test("very_long_header", head(extra=["X-Long: " + "a" * 100000]),
         (400, 413, 431, None))
raw_test("very_long_url", head(target="/api/v1/cases/" + "a" * 100000),
         (400, 404, 414, 431, None))
raw_test("many_headers", head(extra=["X-H%d: %s" % (i, "v" * 100)
                                     for i in range(2000)]),
         (400, 413, 431, None))
raw_test("very_long_bearer_token",
         lambda: head(target="/api/v1/me",
                      extra=["Authorization: Bearer " + "f" * 20000]),
         (400, 401, 431, None))
raw_test("header_injection_crlf_in_value",
         lambda: head(target="/api/v1/me",
                      extra=["X-A: a\rX-B: b"]), (400, 401, None))


def badly_formed(r):
    """None if r is one well-formed response, else a description."""
    if r.status is None:
        return None
    try:
        clen = int(r.headers.get("content-length", "-99999"))
    except ValueError:
        clen = -99999
    if not r.raw.startswith(b"HTTP/1.") or \
            len(r.raw) != r.raw.find(b"\r\n\r\n") + 4 + clen:
        return repr(r.raw[:400])
    return None


def check_well_formed(requests):
    srv = shared()
    bad = []
    for data in requests:
        r = srv.raw_send(data)
        why = badly_formed(r)
        if why:
            bad.append((data[:60], why))
    healthz_ok()
    assert not bad, "malformed responses (%d):\n%s" % (
        len(bad), "\n".join("%r\n  -> %s" % b for b in bad))


@test
def protocol_errors_get_exactly_one_well_formed_response():
    """A client must be able to parse what comes back: one status line and
    a Content-Length that matches the body."""
    check_well_formed([
        post_head(["Content-Length: 2", "Content-Length: 5"]) + b"{}   ",
        post_head(["Content-Length: 2", "Transfer-Encoding: chunked"]) +
        b"2\r\n{}\r\n0\r\n\r\n",
        post_head(["Transfer-Encoding: chunked"]) + b"zz\r\n{}\r\n",
        head(version="HTTX/1.1"),
        head(host=False),
        head(target="/api/v1/cas\x01es"),
        head(target="/api/v1/cases/" + "a" * 100000),
        b"GET /healthz\r\n\r\n"])


@test(xfail="libmicrohttpd 0.9.75 sends its 400 status line and headers "
      "twice for a non-numeric, negative or overflowing Content-Length "
      "(reproduced with a bare MHD handler); awda never sees the request")
def invalid_content_length_gets_one_well_formed_response():
    check_well_formed([post_head(["Content-Length: abc"]) + b"{}",
                       post_head(["Content-Length: -1"]) + b"{}",
                       post_head(["Content-Length: 99999999999999999999999"])
                       + b"{}"])


# ---------------------------------------------------------------------------
# URLs through http.client
# ---------------------------------------------------------------------------

def url_test(name, path, expected, problem=True, auth=True):
    def fn():
        r = request("GET", path, token=admin() if auth else None)
        problem_check(r, expected, problem=problem)
        body = r[2] if isinstance(r[2], str) else json.dumps(r[2])
        assert "root:x:0:0" not in body, "leaked /etc/passwd"
        healthz_ok()
    add_test(name, fn, MOD)


url_test("url_nul_in_case_id", "/api/v1/cases/%00", (400,))
url_test("url_nul_in_query", "/api/v1/cases?q=%00", (400,))
url_test("url_nul_in_persons_query", "/api/v1/persons?q=ali%00", (400,))
url_test("url_encoded_newline_in_path", "/api/v1/cases/%0d%0a", (400, 404))
url_test("url_encoded_control_in_path", "/api/v1/cases/%01", (400, 404))
url_test("traversal_dotdot", "/api/v1/../../etc/passwd", (400, 404))
url_test("traversal_encoded_slash", "/api/v1/cases/..%2f..%2fetc", (400, 404))
url_test("traversal_encoded_dots", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
         (400, 404))
url_test("traversal_root", "/../../../../etc/passwd", (400, 404))
url_test("traversal_double_encoded", "/..%252f..%252f..%252fetc%252fpasswd",
         (400, 404))
url_test("traversal_backslash", "/..\\..\\..\\etc\\passwd", (400, 404))
url_test("traversal_static_prefix",
         "/static/..%2f..%2f..%2f..%2fetc%2fpasswd", (400, 404))
url_test("url_invalid_utf8", "/api/v1/cases/%ff%fe", (400, 404))
url_test("url_bad_percent_encoding", "/api/v1/cases/%zz", (400, 404))
# query parameters
url_test("limit_999999", "/api/v1/cases?limit=999999", (400,))
url_test("limit_negative", "/api/v1/cases?limit=-1", (400,))
url_test("limit_zero", "/api/v1/cases?limit=0", (400,))
url_test("limit_float", "/api/v1/cases?limit=1.5", (400,))
url_test("limit_exponent", "/api/v1/cases?limit=1e2", (400,))
url_test("limit_trailing_garbage", "/api/v1/cases?limit=10abc", (400,))
url_test("limit_huge_overflow", "/api/v1/cases?limit=99999999999999999999999",
         (400,))
url_test("cursor_garbage", "/api/v1/cases?cursor=!!!%40%40%40", (400,))
url_test("cursor_base64_garbage", "/api/v1/cases?cursor=AAAAAAAAAAAA", (400,))
url_test("cursor_very_long", "/api/v1/cases?cursor=" + "Q" * 5000, (400,))
url_test("stage_unknown", "/api/v1/cases?stage=teleported", (400,))
url_test("q_very_long", "/api/v1/cases?q=" + "a" * 10000, (200, 400, 414))
url_test("q_invalid_utf8", "/api/v1/persons?q=%ff%fe", (200, 400))
url_test("persons_limit_negative", "/api/v1/persons?q=ali&limit=-5",
         (400,))


# ---------------------------------------------------------------------------
# SQL metacharacters
# ---------------------------------------------------------------------------

SQL = ["'; DROP TABLE cases;--", '" OR 1=1 --', "x' OR '1'='1",
       "Robert'); DELETE FROM persons; --", "%' AND 1=1 AND '%'='"]


def _get(obj, path):
    for k in path:
        obj = obj[k]
    return obj


SQL_FIELDS = [
    ("office", ["office"], None),
    ("origin_country", ["origin_country"], None),
    ("destination_country", ["destination_country"], None),
    ("destination_admin_area", ["destination_admin_area"], None),
    ("destination_pcode", ["destination_pcode"], None),
    ("project", ["project"], None),
    ("assigned_to", ["assigned_to"], None),
    ("notes", ["notes"], None),
    ("relationship", ["members", 0, "relationship"], None),
    ("person_id", ["members", 0, "person_id"], None),
    ("name", P + ["name"], None),
    ("name_latin", P + ["name_latin"], None),
    ("sex", P + ["sex"], None),
    ("date_of_birth", P + ["date_of_birth"], None),
    ("dob_precision", P + ["dob_precision"], None),
    ("nationality", P + ["nationality"], None),
    ("language", P + ["languages", 0], None),
    ("vulnerability", P + ["vulnerabilities"], lambda v: [v]),
    ("document_type", P + ["documents", 0, "type"], None),
    ("document_number", P + ["documents", 0, "number"], None),
    ("document_issuing_country", P + ["documents", 0, "issuing_country"],
     None),
    ("document_expiry", P + ["documents", 0, "expiry"], None),
    ("contact_phone", P + ["contact", "phone"], None),
    ("contact_email", P + ["contact", "email"], lambda v: v + "@example.org"),
    ("contact_address", P + ["contact", "address"], None),
]


def sql_field_test(label, path, wrap):
    def fn():
        for payload in SQL:
            value = wrap(payload) if wrap else payload
            body = case_body()
            if path[-1] == "person_id":
                del body["members"][0]["person"]
            _set(body, path, value)
            before = len(list_all_cases())
            r = request("POST", CASES, body, token=admin())
            assert r[0] in (201, 422), \
                "%s=%r: expected 201 or 422, got %s %r" % (label, payload,
                                                           r[0], r[2])
            after = len(list_all_cases())
            if r[0] == 201:
                assert after == before + 1
                st, _, g = get_case(r[2]["id"])
                assert st == 200, (st, g)
                assert _get(g, path) == value, \
                    "%s not stored verbatim: %r != %r" % (
                        label, _get(g, path), value)
            else:
                assert_problem(r, 422, "validation")
                assert after == before
            healthz_ok()
    add_test("sql_in_" + label, fn, MOD)


for _label, _path, _wrap in SQL_FIELDS:
    sql_field_test(_label, _path, _wrap)


@test
def sql_in_query_parameters():
    c = create_case()
    before = len(list_all_cases())
    for payload in SQL:
        qv = urlquote(payload)
        for param, allowed in (("q", (200,)), ("stage", (400,)),
                               ("office", (200, 400, 403)),
                               ("cursor", (400,)), ("nationality", (400,)),
                               ("limit", (400,))):
            r = request("GET", "%s?%s=%s" % (CASES, param, qv),
                        token=admin())
            assert r[0] in allowed, (param, payload, r[0], _short(r[2]))
            if r[0] == 200:
                assert r[2]["items"] == [] or param == "q", \
                    "%s=%r matched cases: %r" % (param, payload,
                                                 r[2]["items"][:2])
                if param == "q":
                    assert c["id"] not in [x["id"] for x in r[2]["items"]]
        r = request("GET", "/api/v1/persons?q=" + qv, token=admin())
        assert r[0] == 200, (r[0], r[2])
        assert c["members"][0]["person_id"] not in \
            [p["id"] for p in r[2]["items"]]
    assert len(list_all_cases()) == before
    assert get_case(c["id"])[0] == 200
    healthz_ok()


@test
def sql_in_path_segments():
    for payload in SQL:
        seg = urlquote(payload)
        for method, path, body in (
                ("GET", CASES + "/" + seg, None),
                ("GET", CASES + "/" + seg + "/events", None),
                ("GET", "/api/v1/persons/" + seg, None),
                ("PATCH", "/api/v1/offices/" + seg, {"name": "x"}),
                ("PATCH", "/api/v1/users/" + seg, {"full_name": "x"})):
            r = request(method, path, body, token=admin())
            problem_check(r, (400, 404))
    healthz_ok()
    list_all_cases()          # the cases table is still there and readable


@test
def sql_in_login_username_is_401():
    r = shared().login("admin' --", "whatever-password")
    problem_check(r, (401, 422))
    r = shared().login(shared().admin_user + "' OR '1'='1",
                       "' OR '1'='1")
    problem_check(r, (401, 422))
    healthz_ok()


@test
def sql_person_name_is_found_verbatim_by_search():
    name = "O'Brien \"Tiger\" Mac; DROP"
    c = create_case(case_body(members=[{"relationship": "principal",
                                        "person": person(name=name)}]))
    st, _, data = request("GET", "/api/v1/persons?q=" + urlquote("O'Brien"),
                          token=admin())
    assert st == 200, (st, data)
    assert c["members"][0]["person_id"] in [p["id"] for p in data["items"]]
    healthz_ok()


# ---------------------------------------------------------------------------
# Framing that real clients use: pipelining, Expect: 100-continue
# ---------------------------------------------------------------------------

def _read_responses(sock, n, timeout=5.0):
    """Reads n complete Content-Length-framed responses from sock."""
    import time as _t
    sock.settimeout(timeout)
    buf = b""
    out = []
    deadline = _t.time() + timeout
    while len(out) < n and _t.time() < deadline:
        i = buf.find(b"\r\n\r\n")
        if i >= 0:
            head_ = buf[:i].decode("latin-1")
            clen = 0
            for ln in head_.split("\r\n")[1:]:
                k, _, v = ln.partition(":")
                if k.strip().lower() == "content-length":
                    clen = int(v.strip())
            if len(buf) >= i + 4 + clen:
                out.append((int(head_.split(" ")[1]), buf[i + 4:i + 4 + clen]))
                buf = buf[i + 4 + clen:]
                continue
        chunk = sock.recv(65536)
        if not chunk:
            break
        buf += chunk
    return out


@test
def pipelined_requests_are_answered_in_order():
    import socket
    srv = shared()
    tok = admin()
    body = valid_json()
    reqs = (head(target="/healthz") +
            ("POST /api/v1/cases HTTP/1.1\r\nHost: x\r\nAuthorization: "
             "Bearer %s\r\nContent-Type: application/json\r\n"
             "Content-Length: %d\r\n\r\n" % (tok, len(body))).encode() +
            body + head(target="/api/v1/nothing") + head(target="/healthz"))
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
    try:
        s.sendall(reqs)
        got = _read_responses(s, 4)
    finally:
        s.close()
    assert [st for st, _ in got] == [200, 201, 404, 200], \
        [(st, b[:80]) for st, b in got]
    healthz_ok()


@test
def expect_100_continue_then_body_creates_case():
    import socket
    srv = shared()
    body = valid_json()
    hdr = ("POST /api/v1/cases HTTP/1.1\r\nHost: x\r\nAuthorization: "
           "Bearer %s\r\nContent-Type: application/json\r\n"
           "Expect: 100-continue\r\nContent-Length: %d\r\n\r\n"
           % (admin(), len(body))).encode()
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
    try:
        s.sendall(hdr)
        s.settimeout(3)
        first = s.recv(65536)
        assert first.startswith(b"HTTP/1.1 100"), first[:200]
        s.sendall(body)
        got = _read_responses(s, 1)
    finally:
        s.close()
    assert got and got[0][0] == 201, got
    c = json.loads(got[0][1].decode("utf-8"))
    assert get_case(c["id"])[0] == 200


@test
def expect_100_continue_with_oversized_body_gets_413_at_once():
    srv = shared()
    hdr = ("POST /api/v1/cases HTTP/1.1\r\nHost: x\r\nAuthorization: "
           "Bearer %s\r\nContent-Type: application/json\r\n"
           "Expect: 100-continue\r\nContent-Length: %d\r\n\r\n"
           % (admin(), 8 * MAX_BODY)).encode()
    r = srv.raw_send(hdr, timeout=3)
    assert r.status == 413, r
    healthz_ok()


if __name__ == "__main__":
    main()
