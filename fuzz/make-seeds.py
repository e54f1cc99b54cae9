#!/usr/bin/env python3
"""fuzz/make-seeds.py — writes the committed seed corpora fuzz/corpus/*/.

Each seed is a meaningful input (a valid request, a valid body, a real
name), so that the fuzzer starts from the parts of the code that matter
rather than having to discover HTTP and JSON from nothing. Run it again
after changing a seed here; it rewrites the seeds it knows and leaves
other files (such as added crash reproducers) alone.

  http/      raw bytes of one connection, for fuzz_http.c. The tokens are
             the harness's fixed sessions; @CASE@, @PERSON@ and
             @RESTRICTION@ become the ids of the harness's fixture.
  validate/  "<entity>\\n<json>", for fuzz_validate.c.
  norm/      one name, for fuzz_norm.c.
"""
import json
import os
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ALL = "f0" * 32   # FZH_TOKEN_ALL in fuzz_http.c
REG = "0b" * 32   # FZH_TOKEN_REG


def write(corpus, name, data):
    d = os.path.join(HERE, "corpus", corpus)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def req(method, path, body=None, token=ALL, headers=(), ctype="application/json",
        version="HTTP/1.1"):
    lines = ["%s %s %s" % (method, path, version), "Host: localhost:8080"]
    if token:
        lines.append("Authorization: Bearer " + token)
    lines += list(headers)
    raw = b""
    if body is not None:
        raw = body if isinstance(body, bytes) else json.dumps(
            body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        if ctype:
            lines.append("Content-Type: " + ctype)
        # the harness replaces each placeholder with a 36-character id
        grow = sum(raw.count(ph.encode()) * (36 - len(ph))
                   for ph in ("@CASE@", "@PERSON@", "@RESTRICTION@"))
        lines.append("Content-Length: %d" % (len(raw) + grow))
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8") + raw


def person(name, latin, sex="male", dob="1990-05-01", nat="SDN", **over):
    p = {"name": name, "name_latin": latin, "sex": sex, "date_of_birth": dob,
         "dob_precision": "exact", "nationality": nat, "languages": ["ar", "en"],
         "documents": [{"type": "passport", "number": "P1234567",
                        "issuing_country": nat, "expiry": "2030-01-01"}],
         "contact": {"phone": "+249912345678", "email": "a@b.org",
                     "address": "Street 1, Omdurman"},
         "vulnerabilities": []}
    p.update(over)
    return p


CASE = {"office": "EG-CAI", "origin_country": "SDN", "destination_country": "SDN",
        "destination_admin_area": "Khartoum", "destination_pcode": "SD01",
        "project": None, "assigned_to": None, "notes": "registered at the office",
        "members": [
            {"relationship": "principal",
             "person": person("محمد عبد الله", "Mohamed Abdallah")},
            {"relationship": "child",
             "person": person("فاطمة محمد", "Fatima Mohamed", sex="female",
                              dob="2015-03", dob_precision="month",
                              vulnerabilities=["unaccompanied_child"],
                              documents=[], contact=None)}]}
CASE_ETH = {"office": "EG-CAI", "origin_country": "ETH", "destination_country": "ETH",
            "destination_admin_area": "Addis Ababa", "notes": "walk-in",
            "members": [{"relationship": "principal",
                         "person": person("አበበ ከበደ", "Abebe Kebede", nat="ETH",
                                          languages=["am"])}]}
OFFICE = {"code": "DZ-TAM", "name": "Tamanrasset", "country": "DZA",
          "location": "Tamanrasset, Algeria"}
# The password is one character short: a valid one costs an Argon2id hash
# (64 MiB, a third of a second under ASan), which would slow the whole run.
USER = {"username": "amina.k", "full_name": "Amina K", "password": "correct hor",
        "roles": ["counsellor"], "offices": ["EG-CAI"]}
RESTRICTION = {"country": "SDN", "admin_area": "North Darfur", "kind": "suspended",
               "effective_from": "2024-01-01", "effective_until": None,
               "reason": "security situation", "next_review": "2030-01-01"}
RECORDS = {
    "counselling": {"kind": "counselling", "date": "2026-01-10", "counsellor": "Amina Test",
                    "language": ["ar", "fr"], "interpreter": False,
                    "topics": ["return_process", "origin_situation", "reintegration_options",
                               "rights_and_withdrawal"], "notes": "session at the office"},
    "consent": {"kind": "consent", "person_id": "@PERSON@", "purpose": "return",
                "given_by": "self", "notice_version": "2026-1", "method": "signed_form",
                "interview_date": "2026-01-10", "language": ["ar"], "interpreter": False,
                "evidence_ref": "FORM-ABCDEF"},
    "reconfirmation": {"kind": "reconfirmation", "person_id": "@PERSON@",
                       "at": "2026-01-12T10:00:00Z", "method": "in_person",
                       "notes": "still wishes to return"},
    "eligibility": {"kind": "eligibility", "decision": "eligible",
                    "reason": "meets the programme criteria"},
    "procedure": {"kind": "procedure", "type": "exit_visa", "status": "done",
                  "requested_on": "2026-01-01", "done_on": "2026-01-09"},
    "travel_document": {"kind": "travel_document", "person_id": "@PERSON@",
                        "type": "laissez_passer", "consulate": "Consulate in Cairo",
                        "status": "issued", "requested_on": "2025-12-20",
                        "issued_on": "2026-01-08", "number": "LPABCDEF",
                        "expiry": "2026-06-01"},
    "health_assessment": {"kind": "health_assessment", "person_id": "@PERSON@",
                          "result": "fit_with_conditions", "at": "2026-01-11T09:00:00Z",
                          "assessor": "Dr Test", "pre_embarkation": False,
                          "needs": ["wheelchair"], "diagnosis": "diabetes",
                          "clinical_notes": "insulin twice a day"},
    "guardian": {"kind": "guardian", "person_id": "@PERSON@", "name": "Guardian Of Child",
                 "relation": "appointed guardian", "organisation": "Child Protection Unit"},
    "best_interests_determination": {
        "kind": "best_interests_determination", "person_id": "@PERSON@",
        "decision": "return_in_best_interests", "date": "2026-01-07", "by": "BID panel",
        "reasons": "family traced and willing"},
    "family_assessment": {"kind": "family_assessment", "person_id": "@PERSON@",
                          "office": "SD-KRT", "date": "2026-01-06",
                          "outcome": "family_traced_and_willing",
                          "notes": "mother and uncle at home"},
    "escort": {"kind": "escort", "person_id": "@PERSON@", "escort_type": "child_protection",
               "name": "Escort Person"},
}


def http_seeds():
    s = {}
    s["healthz"] = req("GET", "/healthz", token=None)
    s["metrics"] = req("GET", "/metrics", token=None)
    s["login"] = req("POST", "/api/v1/session", {"username": "fz-all", "password": "wrong"},
                     token=None)
    s["me"] = req("GET", "/api/v1/me")
    s["schema"] = req("GET", "/api/v1/schema")
    s["case-create"] = req("POST", "/api/v1/cases", CASE, headers=["Idempotency-Key: k-1"])
    s["case-create-ethiopic"] = req("POST", "/api/v1/cases", CASE_ETH)
    s["case-list"] = req("GET", "/api/v1/cases?stage=registered&office=EG-CAI&nationality=SDN"
                                "&q=moh&limit=5")
    s["case-get"] = req("GET", "/api/v1/cases/@CASE@")
    s["case-get-registration"] = req("GET", "/api/v1/cases/@CASE@", token=REG)
    s["case-patch"] = req("PATCH", "/api/v1/cases/@CASE@",
                          {"notes": "updated", "destination_admin_area": "Omdurman"},
                          headers=['If-Match: "1"'])
    s["case-events"] = req("GET", "/api/v1/cases/@CASE@/events")
    s["person-search-arabic"] = req("GET", "/api/v1/persons?q=" +
                                    urllib.parse.quote("محمد عبد") + "&limit=10")
    s["person-search-latin"] = req("GET", "/api/v1/persons?q=Abdallah%20Mohamed")
    s["person-get"] = req("GET", "/api/v1/persons/@PERSON@")
    s["office-list"] = req("GET", "/api/v1/offices", token=REG)
    s["office-create"] = req("POST", "/api/v1/offices", OFFICE)
    s["office-update"] = req("PATCH", "/api/v1/offices/EG-CAI", {"name": "Cairo office"})
    s["user-list"] = req("GET", "/api/v1/users")
    s["user-create-short-password"] = req("POST", "/api/v1/users", USER)
    s["user-update"] = req("PATCH", "/api/v1/users/fz-reg", {"full_name": "Reg Istration"})
    for kind, body in RECORDS.items():
        s["record-" + kind] = req("POST", "/api/v1/cases/@CASE@/records", body,
                                  headers=["Idempotency-Key: rec-" + kind])
    s["record-list"] = req("GET", "/api/v1/cases/@CASE@/records?kind=health_assessment",
                           token=REG)
    s["transition-counsel"] = req("POST", "/api/v1/cases/@CASE@/transitions",
                                  {"event": "counsel"})
    s["readiness"] = req("GET", "/api/v1/cases/@CASE@/readiness")
    s["restriction-list"] = req("GET", "/api/v1/restrictions?review_overdue=true")
    s["restriction-create"] = req("POST", "/api/v1/restrictions", RESTRICTION)
    s["restriction-get"] = req("GET", "/api/v1/restrictions/@RESTRICTION@")
    s["restriction-update"] = req("PATCH", "/api/v1/restrictions/@RESTRICTION@",
                                  {"reason": "reviewed by the country office"},
                                  headers=['If-Match: W/"1"'])
    s["restriction-review"] = req("POST", "/api/v1/restrictions/@RESTRICTION@/review",
                                  {"next_review": "2031-01-01"}, headers=['If-Match: "1"'])
    s["restriction-affected"] = req("GET", "/api/v1/restrictions/@RESTRICTION@/affected-cases")
    s["audit"] = req("GET", "/api/v1/audit?case=@CASE@&limit=5")
    s["logout"] = req("DELETE", "/api/v1/session")
    # cookie session: a change needs a matching Origin (CSRF)
    s["cookie-csrf"] = req("PATCH", "/api/v1/offices/EG-CAI", {"name": "Cairo"}, token=None,
                           headers=["Cookie: lang=ar; awda_session=" + ALL,
                                    "Origin: http://localhost:8080"])
    # HTTP hygiene
    s["pipelined"] = req("GET", "/api/v1/me") + req("GET", "/api/v1/offices") + \
        req("POST", "/api/v1/offices", {"code": "ML-BKO"})
    s["chunked"] = (b"POST /api/v1/offices HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " +
                    ALL.encode() + b"\r\nContent-Type: application/json\r\n"
                    b"Transfer-Encoding: chunked\r\n\r\n"
                    b"a\r\n{\"code\":\"E\r\n5\r\nG-ABC\r\n2\r\n\"}\r\n0\r\n\r\n")
    s["two-content-lengths"] = (b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Length: 2"
                                b"\r\nContent-Length: 3\r\nContent-Type: application/json\r\n"
                                b"\r\n{}")
    s["cl-and-te"] = (b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                      b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
    # The request head rules of hygiene.c: each must be refused at once.
    te = b"POST /api/v1/offices HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + \
        ALL.encode() + b"\r\nContent-Type: application/json\r\n"
    for name, lines in (("te-list", b"Transfer-Encoding: chunked, chunked\r\n"),
                        ("te-unknown", b"Transfer-Encoding: xchunked\r\n"),
                        ("te-gzip-chunked", b"Transfer-Encoding: gzip, chunked\r\n"),
                        ("te-quoted", b'Transfer-Encoding: "chunked"\r\n'),
                        ("te-parameters", b"Transfer-Encoding: chunked;q=1\r\n"),
                        ("te-twice", b"Transfer-Encoding: chunked\r\n"
                                     b"Transfer-Encoding: chunked\r\n")):
        s[name] = te + lines + b"\r\n2\r\n{}\r\n0\r\n\r\n"
    s["te-http10"] = te.replace(b"HTTP/1.1", b"HTTP/1.0") + \
        b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
    # a long chunk extension (libmicrohttpd alone answers 500 once it no
    # longer fits its read buffer)
    s["chunk-extension-long"] = te + b"Transfer-Encoding: chunked\r\n\r\n2;" + \
        b"e" * 15000 + b"\r\n{}\r\n0\r\n\r\n"
    s["two-hosts"] = req("GET", "/api/v1/me", headers=["Host: evil.example"])
    s["two-authorizations"] = req("GET", "/api/v1/me", headers=["Authorization: Bearer " + REG])
    s["two-cookies"] = req("GET", "/api/v1/me", token=None,
                           headers=["Cookie: awda_session=" + ALL, "Cookie: awda_session=" + REG])
    s["two-content-lengths-equal"] = (b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\n"
                                      b"Content-Length: 2\r\nContent-Length: 2\r\n"
                                      b"Content-Type: application/json\r\n\r\n{}")
    s["two-if-match"] = req("PATCH", "/api/v1/cases/@CASE@", {"notes": "x"},
                            headers=['If-Match: "1"', 'If-Match: "2"'])
    s["header-name-space"] = req("GET", "/api/v1/me", headers=["X Y: z", "Host : other"])
    s["header-name-control"] = req("GET", "/api/v1/me", headers=["X-\x01Y: z"])
    s["header-value-bare-cr"] = req("GET", "/api/v1/me",
                                    headers=["X-A: a\rTransfer-Encoding: chunked"])
    s["header-value-control"] = req("GET", "/api/v1/me", headers=["X-A: \x1b[31m\x7f"])
    s["host-not-host-port"] = req("GET", "/api/v1/me").replace(
        b"Host: localhost:8080", b"Host: user@a b, c:99999")
    s["if-match-star"] = req("PATCH", "/api/v1/cases/@CASE@", {"notes": "x"},
                             headers=["If-Match: *"])
    s["if-match-list"] = req("PATCH", "/api/v1/cases/@CASE@", {"notes": "x"},
                             headers=['If-Match: "stale-0", W/"1", ,"1"'])
    s["control-in-path"] = req("GET", "/api/v1/cases/%00%0a/../@CASE@?q=%01x", token=REG)
    s["http10-no-host"] = b"GET /api/v1/me HTTP/1.0\r\nAuthorization: Bearer " + \
        ALL.encode() + b"\r\n\r\n"
    s["expect-continue"] = req("POST", "/api/v1/offices", OFFICE, headers=["Expect: 100-continue"])
    s["body-too-large"] = req("POST", "/api/v1/offices", None,
                              headers=["Content-Length: 99999999999"])
    s["json-duplicate-keys"] = req("POST", "/api/v1/offices",
                                   b'{"code":"EG-ABC","code":"EG-XYZ","name":"x"}')
    s["json-deep"] = req("POST", "/api/v1/cases", b"[" * 20 + b"]" * 20)
    s["json-bad-utf8"] = req("POST", "/api/v1/offices", b'{"code":"EG-\xc3\x28"}')
    s["wrong-content-type"] = req("POST", "/api/v1/cases", CASE, ctype="text/plain")
    s["if-match-bad"] = req("PATCH", "/api/v1/cases/@CASE@", {"notes": "x"},
                            headers=['If-Match: "99999999999999999999"'])
    s["idempotency-key-bad"] = req("POST", "/api/v1/offices", OFFICE,
                                   headers=["Idempotency-Key: a b"])
    s["method-not-allowed"] = req("PUT", "/api/v1/cases", CASE)
    s["uppercase-uuid"] = req("GET", "/api/v1/cases/@CASE@".replace("@CASE@",
                                                                    "0190F5C8-0000-7000-8000-00000000000A"))
    # The web interface (static.c) and attempts to leave its root.
    s["static-index"] = req("GET", "/", token=None)
    s["static-spa-route"] = req("GET", "/cases/@CASE@", token=None)
    s["static-asset-gzip"] = req("GET", "/app.0123abcd.js", token=None,
                                 headers=["Accept-Encoding: gzip, br"])
    s["static-etag"] = req("GET", "/app.0123abcd.js", token=None,
                           headers=['If-None-Match: "x"'])
    s["static-head"] = req("HEAD", "/i18n/en.0a1b2c3d.json", token=None)
    s["static-dotdot"] = req("GET", "/../secret.txt", token=None)
    s["static-encoded-dotdot"] = req("GET", "/%2e%2e/%2E%2E/secret.txt", token=None)
    s["static-symlink"] = req("GET", "/leak.txt", token=None)
    s["static-backslash"] = req("GET", "/..%5csecret.txt", token=None)
    return s


def validate_seeds():
    s = {"case": ("case", CASE), "case-ethiopic": ("case", CASE_ETH),
         "office": ("office", OFFICE), "user": ("user", USER),
         "person": ("person", CASE["members"][1]["person"]),
         "member": ("member", CASE["members"][0]),
         "document": ("document", CASE["members"][0]["person"]["documents"][0]),
         "contact": ("contact", CASE["members"][0]["person"]["contact"]),
         "restriction": ("restriction", RESTRICTION)}
    for kind, body in RECORDS.items():
        b = dict(body)
        for k, v in b.items():
            if v == "@PERSON@":
                b[k] = "0190f5c8-1234-7abc-8def-0123456789ab"
        s["record-" + kind] = (kind, b)
    return {name: ent + "\n" + json.dumps(body, ensure_ascii=False, indent=None)
            for name, (ent, body) in s.items()}


NAMES = {
    "arabic": "محمد عبد الله",
    "arabic-female": "فاطمة الزهراء بنت أحمد",
    "latin-french": "Mohamed Abdallah Ould Cheikh",
    "latin-english": "Muhammad Abdullah",
    "latin-accents": "Aïssatou Diallo Bâ",
    "ethiopic": "አበበ ከበደ",
    "tigrinya": "ዮሃንስ ተስፋይ",
    "mixed": "Abdallah عبد الله 2",
    "long": "Abd al-Rahman ibn Muhammad ibn Abd al-Aziz al-Saud bin Khalid",
}


HTTP_TOKENS = [
    "GET", "POST", "PATCH", "DELETE", "HEAD", "PUT", "OPTIONS", "HTTP/1.1", "HTTP/1.0", "\r\n",
    "\r\n\r\n", "Host: ", "Content-Length: ", "Transfer-Encoding: chunked",
    "Content-Type: application/json", "Content-Type: application/json; charset=utf-8",
    "Authorization: Bearer ", "Cookie: awda_session=", "Origin: http://localhost:8080",
    "If-Match: ", "Idempotency-Key: ", "Expect: 100-continue", "Connection: close",
    "Connection: keep-alive", ALL, REG, "@CASE@", "@PERSON@", "@RESTRICTION@",
    "%00", "%0d%0a", "%2f", "%ff", "?q=", "&limit=", "&cursor=", "W/\"", "0\r\n\r\n",
    "Transfer-Encoding: ", "chunked", ", chunked", "xchunked", ";q=1", "\"chunked\"",
    "Host: localhost", "Host: a b", ":65536", "user@", " : ", "\r", "\x01", "\x7f",
    "If-Match: *", "W/\"1\"", "\"stale-0\"", "Idempotency-Key: ", "Cookie: ",
    "EG-CAI", "ML-BKO", "SD-KRT", "fz-all", "fz-reg", "null", "true", "false", "[]", "{}",
]


def source_literals():
    """Names and values from the field tables and routes (to keep the
    dictionaries in step with the code)."""
    import re
    out = set()
    import glob
    files = ["core/entities.c", "core/records.c", "core/journey.c", "core/guards.c",
             "core/snapshot.c", "core/stages.def", "core/events.def", "core/roles.def"]
    files += sorted(os.path.relpath(p, os.path.join(HERE, "..", "src"))
                    for p in glob.glob(os.path.join(HERE, "..", "src", "http", "api_*.c")))
    for f in files:
        text = open(os.path.join(HERE, "..", "src", f), encoding="utf-8").read()
        for lit in re.findall(r'"((?:[^"\\\n]|\\.)*)"', text):
            if re.fullmatch(r"[a-z_]{2,40}|/[a-z0-9/{}_.-]+|[A-Z]{3}", lit):
                out.add(lit)
    return sorted(out)


def write_dict(name, tokens):
    lines = ["# %s.dict: libFuzzer dictionary, written by fuzz/make-seeds.py" % name]
    for t in tokens:
        b = t.encode("utf-8")
        esc = "".join(chr(c) if 0x20 <= c < 0x7f and c not in (0x22, 0x5c) else "\\x%02x" % c
                      for c in b)
        lines.append('"%s"' % esc)
    with open(os.path.join(HERE, name + ".dict"), "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    lits = source_literals()
    write_dict("http", HTTP_TOKENS + [x.replace("{id}", "@CASE@") for x in lits])
    write_dict("validate", list(RECORDS) + ['"' + x + '":' for x in lits if x.islower()] + lits)
    write_dict("norm", ["al-", "abd", "bin", "ibn", "ould", "\u0627\u0644", "\u0639\u0628\u062f",
                        "\u200d", "\u0301", "\ufeff"])
    for name, data in http_seeds().items():
        write("http", name, data)
    for name, data in validate_seeds().items():
        write("validate", name, data)
    for name, data in NAMES.items():
        write("norm", name, data)


if __name__ == "__main__":
    main()
