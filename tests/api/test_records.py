"""Journey records: validation per kind (with the field path), who may
record each kind, redaction of medical and protection detail by role (in
records, readiness and refused steps), listing, idempotency, and what can
be recorded on closed and withdrawn cases."""
import http.client
import json
import urllib.parse

from harness import test, shared, admin, assert_problem, main
from journey_util import (Journey, adult, child, token, username, partner,
                          hours_from_now, day, counselling_body,
                          consent_body, guardian_consent_body,
                          reconfirmation_body, eligibility_body,
                          procedure_body, travel_document_body, health_body,
                          child_bodies, escort_body, ROLES)

NO_SUCH = "0193a5b0-1234-7abc-8def-0123456789ab"


def raw_get(path, tok):
    """GET returning the exact response bytes (no JSON decoding)."""
    srv = shared()
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=15)
    try:
        conn.request("GET", path, headers={"Authorization": "Bearer " + tok})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def raw_post(path, body, tok):
    srv = shared()
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=15)
    try:
        conn.request("POST", path, body=json.dumps(body).encode(),
                     headers={"Authorization": "Bearer " + tok,
                              "Content-Type": "application/json"})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


# --------------------------------------------------------------------------
# validation
# --------------------------------------------------------------------------

def invalid_examples(j, stranger_pid):
    pid = j.pid()
    cb = child_bodies(pid)
    return [
        (counselling_body(topics=["return_process", "bogus"]), "topics[1]"),
        (dict(counselling_body(), date="23/11/2026"), "date"),
        ({k: v for k, v in counselling_body().items() if k != "language"},
         "language"),
        (dict(counselling_body(), interpreter="no"), "interpreter"),
        (consent_body(stranger_pid), "person_id"),
        (consent_body(pid, purpose="marketing"), "purpose"),
        (consent_body(pid, purpose="data_sharing"), "recipient"),
        (consent_body(pid, method="oral_with_witness"), "witness"),
        (consent_body(pid, given_by="guardian"), "guardian_name"),
        (consent_body(pid, given_by="uncle"), "given_by"),
        ({k: v for k, v in consent_body(pid).items()
          if k != "evidence_ref"}, "evidence_ref"),
        (reconfirmation_body(pid, "yesterday"), "at"),
        (reconfirmation_body(pid, hours_from_now(-1), method="email"),
         "method"),
        (eligibility_body("maybe"), "decision"),
        ({"kind": "eligibility", "decision": "eligible"}, "reason"),
        ({"kind": "restriction_approval", "restriction_id": NO_SUCH,
          "justification": "long enough justification"}, "restriction_id"),
        (procedure_body("visa_on_arrival"), "type"),
        (procedure_body("exit_visa", "pending"), "status"),
        (travel_document_body(pid, type="national_id"), "type"),
        (travel_document_body(pid, expiry="2030-02-30"), "expiry"),
        (dict(health_body(pid, "temporarily_unfit"),
              stabilisation_plan=None), "stabilisation_plan"),
        (health_body(pid, "ok"), "result"),
        (health_body(pid, needs=["helicopter"]), "needs[0]"),
        ({k: v for k, v in health_body(pid).items()
          if k != "pre_embarkation"}, "pre_embarkation"),
        ({k: v for k, v in cb["guardian"].items() if k != "name"}, "name"),
        (dict(cb["best_interests_assessment"], date="2026-02-30"), "date"),
        (dict(cb["best_interests_determination"], decision="unsure"),
         "decision"),
        ({k: v for k, v in cb["child_views"].items() if k != "views"},
         "views"),
        (dict(cb["family_assessment"], office="EG-CAI"), "office"),
        (dict(cb["family_assessment"], outcome="lost"), "outcome"),
        ({k: v for k, v in escort_body(pid).items() if k != "name"}, "name"),
        ({"kind": "protection_officer", "person_id": pid,
          "username": username("operations")}, "username"),
        ({"kind": "risk_assessment", "person_id": pid, "date": day(-1),
          "level": "extreme"}, "level"),
        (dict(counselling_body(), mood="good"), "mood"),
    ]


@test
def every_kind_validates_its_fields():
    j = Journey()
    stranger = Journey().pid()
    kinds = set()
    for b, field in invalid_examples(j, stranger):
        r = j.record(b, role="manager" if b["kind"] in (
            "eligibility", "restriction_approval") else None, expect=None)
        assert r[0] == 422, "%s with bad %s: expected 422, got %s %r" % (
            b["kind"], field, r[0], r[2])
        assert_problem(r, 422, "validation", field)
        kinds.add(b["kind"])
    assert len(kinds) == 16, sorted(kinds)
    assert j.records(role="manager") == [], "an invalid record was stored"
    assert [e["kind"] for e in j.events()] == ["created"]


@test
def unknown_kind_is_422():
    j = Journey()
    for b in ({"kind": "horoscope"}, {"person_id": j.pid()}, {"kind": 3}):
        r = j.req("POST", "/records", b, role="manager")
        assert_problem(r, 422, "validation", "kind")
    st, _, d = j.req("GET", "/records?kind=horoscope")
    assert st == 400, (st, d)


@test
def record_on_unknown_or_other_office_case_is_404():
    srv = shared()
    srv.ensure_office("DZ-TAM", "Tamanrasset", "DZA")
    j = Journey(office="DZ-TAM")
    r = j.req("POST", "/records", counselling_body(),
              token=token("counsellor"))     # an EG-CAI counsellor
    assert_problem(r, 404, "not-found")
    r = j.req("GET", "/records", token=token("counsellor"))
    assert_problem(r, 404, "not-found")
    r = srv.request("POST", "/api/v1/cases/%s/records" % NO_SUCH,
                    counselling_body(), token=token("counsellor"))
    assert_problem(r, 404, "not-found")


# --------------------------------------------------------------------------
# who records what
# --------------------------------------------------------------------------

@test
def only_the_right_roles_record_each_kind():
    j = Journey()
    pid = j.pid()
    cb = child_bodies(pid)
    table = [
        (counselling_body(), {"counsellor", "protection", "manager"}),
        (consent_body(pid), {"counsellor", "protection", "manager"}),
        (reconfirmation_body(pid, hours_from_now(-1)),
         {"counsellor", "protection", "manager"}),
        (eligibility_body(), {"manager"}),
        (procedure_body("exit_visa"), {"operations", "registration",
                                       "manager"}),
        (travel_document_body(pid), {"operations", "registration",
                                     "manager"}),
        (health_body(pid), {"medical"}),
        (cb["guardian"], {"protection"}),
        (cb["best_interests_assessment"], {"protection"}),
        (cb["child_views"], {"protection"}),
        ({"kind": "risk_assessment", "person_id": pid, "date": day(-1),
          "level": "low"}, {"protection"}),
    ]
    for body, allowed in table:
        for role in ROLES:
            r = j.record(body, role=role, expect=None)
            if role in allowed:
                assert r[0] == 201, (body["kind"], role, r[0], r[2])
            else:
                assert r[0] == 403, (body["kind"], role, r[0], r[2])
                assert_problem(r, 403, "forbidden")
        # an administrator does not do casework
        r = j.req("POST", "/records", body, token=admin())
        assert_problem(r, 403, "forbidden")


@test
def counsellor_cannot_record_health_but_medical_can():
    j = Journey()
    r = j.record(health_body(j.pid()), role="counsellor", expect=403)
    assert_problem(r, 403, "forbidden")
    assert j.records(kind="health_assessment", role="medical") == []
    r = j.record(health_body(j.pid()), role="medical")
    rec = r[2]
    assert rec["kind"] == "health_assessment" and rec["case_id"] == j.id
    assert rec["person_id"] == j.pid()
    assert rec["created_by"] == username("medical"), rec
    assert rec["data"]["result"] == "fit"


@test
def record_reads_back_oldest_first_and_filters_by_kind():
    j = Journey()
    a = j.record(counselling_body(["return_process"]))[2]
    b = j.record(consent_body(j.pid()))[2]
    c = j.record(counselling_body(["origin_situation"]))[2]
    items = j.records(role="counsellor")
    assert [x["id"] for x in items] == [a["id"], b["id"], c["id"]]
    items = j.records(role="counsellor", kind="counselling")
    assert [x["id"] for x in items] == [a["id"], c["id"]]
    assert items[0]["data"]["topics"] == ["return_process"]
    assert items[0] == a, (items[0], a)
    # server-owned consent fields are ignored on the way in
    r = j.record(consent_body(j.pid(), withdrawn_at="2026-01-01T00:00:00Z"),
                 expect=None)
    assert r[0] in (201, 422), r
    if r[0] == 201:
        assert not r[2]["data"].get("withdrawn_at"), r[2]


@test
def record_create_is_idempotent():
    j = Journey()
    h = {"Idempotency-Key": "rec-" + j.id}
    body = counselling_body()
    r1 = j.req("POST", "/records", body, role="counsellor", headers=h)
    r2 = j.req("POST", "/records", body, role="counsellor", headers=h)
    assert r1[0] == 201 and r2[0] == 201, (r1, r2)
    assert r1[2]["id"] == r2[2]["id"]
    assert len(j.records()) == 1
    r3 = j.req("POST", "/records", dict(body, notes="other"),
               role="counsellor", headers=h)
    assert_problem(r3, 422, "idempotency-key-reused")
    assert len(j.records()) == 1


@test
def records_refused_on_closed_case_and_limited_on_withdrawn():
    j = Journey()
    j.step("close", reason="ineligible")
    assert j.get()["closure_reason"] == "ineligible"
    for body in (counselling_body(), consent_body(j.pid())):
        r = j.record(body, expect=409)
        assert_problem(r, 409, "conflict")
    w = Journey()
    w.to_stage("consented")
    w.step("withdraw", reason="changed mind")
    for body, role in ((procedure_body("exit_visa"), None),
                       (eligibility_body(), None),
                       (reconfirmation_body(w.pid(), hours_from_now(-1)),
                        None),
                       (health_body(w.pid()), None)):
        r = w.record(body, role=role, expect=409)
        assert_problem(r, 409, "conflict")
    w.record(counselling_body())
    w.record(consent_body(w.pid()))


# --------------------------------------------------------------------------
# redaction
# --------------------------------------------------------------------------

MED = "MEDMARK-7QX2Z"
PROT = "PROTMARK-K9W4V"


def planted_case():
    """A child case at pre_departure with medical and protection markers
    in every sealed field; the `ready` step is not yet possible."""
    j = Journey([child(15)])
    pid = j.pid()
    j.record(counselling_body())
    j.step("counsel")
    j.record(guardian_consent_body(pid, child_views=PROT + " consent views",
                                   guardian_name=PROT + " guardian"))
    j.step("consent")
    j.record(eligibility_body())
    j.step("approve_eligibility")
    j.step("start_pre_departure")
    j.record(health_body(pid, "temporarily_unfit",
                         diagnosis=MED + " diagnosis",
                         clinical_notes=MED + " clinical notes",
                         stabilisation_plan=MED + " plan"))
    cb = child_bodies(pid)
    cb["guardian"].update(name=PROT + " name", relation=PROT + " rel",
                          organisation=PROT + " org")
    cb["best_interests_assessment"]["summary"] = PROT + " BIA summary"
    cb["best_interests_determination"]["reasons"] = PROT + " BID reasons"
    cb["child_views"]["views"] = PROT + " views"
    cb["family_assessment"]["notes"] = PROT + " family notes"
    for k in ("guardian", "best_interests_assessment",
              "best_interests_determination", "child_views",
              "family_assessment"):
        j.record(cb[k])
    j.record({"kind": "risk_assessment", "person_id": pid, "date": day(-1),
              "level": "high", "summary": PROT + " risk summary"})
    return j


SEALED_MED = {("health_assessment", "diagnosis"),
              ("health_assessment", "clinical_notes"),
              ("health_assessment", "stabilisation_plan")}
SEALED_PROT = {("consent", "child_views"), ("consent", "guardian_name"),
               ("guardian", "name"), ("guardian", "relation"),
               ("guardian", "organisation"),
               ("best_interests_assessment", "summary"),
               ("best_interests_determination", "reasons"),
               ("child_views", "views"), ("family_assessment", "notes"),
               ("risk_assessment", "summary")}


# Who reads the sealed detail of each kind: the role that sees its class,
# and the roles that record the kind (consents: counsellors, protection
# officers, programme managers) — whoever records something reads it back.
CONSENT_RECORDERS = {"counsellor", "protection", "manager"}


def reads(role, kind):
    if kind == "health_assessment":
        return role == "medical"
    return role == "protection" or (kind == "consent" and
                                    role in CONSENT_RECORDERS)


@test
def medical_and_protection_detail_is_sealed_by_role():
    j = planted_case()
    path = "/api/v1/cases/%s/records" % j.id
    for role in ROLES:
        st, raw = raw_get(path, token(role))
        assert st == 200, (role, st)
        sees_med = role == "medical"
        sees_prot = role == "protection"
        assert (MED.encode() in raw) == sees_med, \
            "%s %s the medical marker in GET records" % (
                role, "does not see" if sees_med else "sees")
        # the protection detail of other kinds than consents
        assert (("%s BIA summary" % PROT).encode() in raw) == sees_prot, \
            "%s %s the protection marker in GET records" % (
                role, "does not see" if sees_prot else "sees")
        items = json.loads(raw)["items"]
        for rec in items:
            for f, v in rec["data"].items():
                key = (rec["kind"], f)
                if key in SEALED_MED | SEALED_PROT:
                    if reads(role, rec["kind"]):
                        assert v.startswith(MED) or v.startswith(PROT), \
                            (role, key, v)
                    else:
                        assert v == "[sealed]", (role, key, v)
        # what is not sealed stays readable
        h = [r for r in items if r["kind"] == "health_assessment"][0]
        assert h["data"]["result"] == "temporarily_unfit", (role, h)
        bid = [r for r in items
               if r["kind"] == "best_interests_determination"][0]
        assert bid["data"]["decision"] == "return_in_best_interests"
    # the ?kind filter seals the same way
    st, raw = raw_get(path + "?kind=health_assessment", token("manager"))
    assert st == 200 and MED.encode() not in raw and b"[sealed]" in raw
    # admin reads cases but is neither medical nor protection
    st, raw = raw_get(path, admin())
    assert st == 200 and MED.encode() not in raw and \
        PROT.encode() not in raw


@test
def create_response_is_sealed_too():
    j = Journey()
    # the author reads back what they typed: the counsellor who recorded a
    # child's views in a consent sees them in the answer
    st, raw = raw_post("/api/v1/cases/%s/records" % j.id,
                       guardian_consent_body(j.pid(),
                                             child_views=PROT + " v"),
                       token("counsellor"))
    assert st == 201 and PROT.encode() in raw, (st, raw)
    st, raw = raw_post("/api/v1/cases/%s/records" % j.id,
                       health_body(j.pid(), clinical_notes=MED + " n"),
                       token("medical"))
    assert st == 201 and MED.encode() in raw, (st, raw)
    # whoever records a consent to share (registration) sees their own,
    # sealed for the others of that role
    body = guardian_consent_body(j.pid(), purpose="data_sharing",
                                 recipient=partner(),
                                 child_views=PROT + " share")
    st, raw = raw_post("/api/v1/cases/%s/records" % j.id, body,
                       token("registration"))
    assert st == 201 and (PROT + " share").encode() in raw, (st, raw)
    other = shared().make_user(["registration"], ["EG-CAI"])[1]
    st, raw = raw_get("/api/v1/cases/%s/records?kind=consent" % j.id, other)
    assert st == 200 and PROT.encode() not in raw and b"[sealed]" in raw, raw


@test
def readiness_and_refused_steps_never_show_sealed_detail():
    j = planted_case()
    for role in ROLES:
        st, raw = raw_get("/api/v1/cases/%s/readiness" % j.id, token(role))
        assert st == 200, (role, st, raw)
        assert MED.encode() not in raw and PROT.encode() not in raw, \
            (role, raw[:500])
    st, raw = raw_post("/api/v1/cases/%s/transitions" % j.id,
                       {"event": "ready"}, token("operations"))
    assert st == 409, (st, raw)
    body = json.loads(raw)
    assert "health.fit" in [r["code"] for r in body["requirements"]]
    assert MED.encode() not in raw and PROT.encode() not in raw, raw
    for role in ROLES:
        st, raw = raw_get("/api/v1/cases/%s/events" % j.id, token(role))
        assert st == 200 and MED.encode() not in raw and \
            PROT.encode() not in raw, (role, raw[:500])
        st, raw = raw_get("/api/v1/cases/%s" % j.id, token(role))
        assert st == 200 and MED.encode() not in raw and \
            PROT.encode() not in raw, (role, raw[:500])


@test
def markers_never_appear_in_exports_dossiers_searches_or_the_log():
    j = planted_case()
    mgr = token("manager")
    for path in ("/api/v1/exports/cases.csv", "/api/v1/exports/cases.xlsx",
                 "/api/v1/exports/cases.csv?names=true&recipient=internal",
                 "/api/v1/persons/%s/dossier" % j.pid(),
                 "/api/v1/persons?q=" + urllib.parse.quote(
                     j.members[0]["person"]["name"].split()[0]),
                 "/api/v1/cases?limit=200"):
        for tok in (mgr, admin()):
            st, raw = raw_get(path, tok)
            assert st == 200, (path, st, raw[:300])
            # a programme manager records consents, so reads them in the
            # dossier; nothing else that is sealed
            if tok == mgr and "/dossier" in path:
                assert (PROT + " consent views").encode() in raw, raw[:300]
                raw = raw.replace((PROT + " consent views").encode(), b"") \
                    .replace((PROT + " guardian").encode(), b"")
            assert MED.encode() not in raw and PROT.encode() not in raw, (path, raw[:300])
    log = j.srv.log_text()
    assert MED not in log and PROT not in log, "a marker reached the server log"


@test
def every_record_appears_on_the_timeline():
    j = Journey([adult(), adult("spouse", sex="female")])
    made = [j.record(counselling_body())[2],
            j.record(consent_body(j.pid(0)))[2],
            j.record(consent_body(j.pid(1)))[2],
            j.record(procedure_body("exit_visa", "requested"))[2],
            j.record(health_body(j.pid(1)))[2]]
    rec = [e for e in j.events() if e["kind"] == "recorded"]
    assert [(e["data"]["kind"], e["data"]["record_id"],
             e["data"].get("person_id")) for e in rec] == \
        [(r["kind"], r["id"], r["person_id"]) for r in made], rec
    users = [e["user"] for e in rec]
    assert users == [username("counsellor")] * 3 + \
        [username("operations"), username("medical")], users


if __name__ == "__main__":
    main()
