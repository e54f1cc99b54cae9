"""The return journey: guards list every unmet requirement, counselling and
consent per member, withdrawal and reopening, and a withdrawal racing a step.
Children are in test_journey_children.py; the reconfirmation and
pre-embarkation windows and the timeline in test_journey_windows.py."""
import threading

from harness import test, assert_problem, main
from journey_util import (Journey, adult, codes, unmet_codes, hours_from_now,
                          day, TOPICS, STAGES_BEFORE_DEPARTURE,
                          counselling_body, consent_body, partner,
                          eligibility_body, procedure_body,
                          travel_document_body, health_body, escort_body,
                          username, only)


def at_pre_departure(members=None, **kw):
    j = Journey(members=members, **kw)
    j.to_stage("pre_departure")
    return j


# --------------------------------------------------------------------------
# 1. the `ready` guard: each requirement on its own, then all together
# --------------------------------------------------------------------------

@test
def ready_without_planned_departure_lists_only_that():
    j = at_pre_departure()
    j.fill_ready(skip={"departure"})
    only(j.unmet("ready"), "departure.planned", contains="not set")
    j.set_departure(hours_from_now(48))
    j.step("ready")


@test
def ready_with_departure_in_the_past_lists_only_that():
    j = at_pre_departure()
    j.fill_ready(skip={"departure"})
    j.set_departure(hours_from_now(-2))
    only(j.unmet("ready"), "departure.planned", contains="in the past")


@test
def ready_without_travel_document_lists_only_that():
    j = at_pre_departure([adult(documents=[])])
    j.fill_ready()
    only(j.unmet("ready"), "document.valid", person=(j, 0),
         contains="has no travel document")


@test
def ready_with_passport_expiring_before_departure_lists_only_that():
    exp = day(1)   # departure is in 48 h
    j = at_pre_departure([adult(documents=[
        {"type": "passport", "number": "P7654321", "issuing_country": "MLI",
         "expiry": exp}])])
    j.fill_ready()
    r = only(j.unmet("ready"), "document.valid", person=(j, 0))
    assert r["message"] == "passport of %s expires before the planned " \
        "departure (%s)" % (j.display(), exp), r["message"]


@test
def ready_with_national_id_only_has_no_travel_document():
    j = at_pre_departure([adult(documents=[
        {"type": "national_id", "number": "N1", "issuing_country": "MLI",
         "expiry": "2035-01-01"}])])
    j.fill_ready()
    only(j.unmet("ready"), "document.valid", person=(j, 0))


@test
def travel_document_record_counts_only_once_issued_and_valid():
    j = at_pre_departure([adult(documents=[])])
    j.fill_ready()
    j.record(travel_document_body(j.pid(), status="interview",
                                  interview_on=day(-1)))
    only(j.unmet("ready"), "document.valid", person=(j, 0),
         contains="not issued yet")
    j.record(travel_document_body(j.pid(), status="issued", expiry=day(1)))
    only(j.unmet("ready"), "document.valid", person=(j, 0),
         contains="expires before the planned departure")
    j.record(travel_document_body(j.pid(), status="issued", expiry=day(60)))
    c = j.step("ready")[2]
    assert c["stage"] == "ready"


@test
def ready_with_pending_procedure_lists_only_that():
    j = at_pre_departure()
    j.fill_ready(skip={"procedure.exit_visa"})
    j.record(procedure_body("exit_visa", "requested"))
    only(j.unmet("ready"), "procedure.exit_visa", contains="still pending")
    j.record(procedure_body("exit_visa", "done"))
    j.step("ready")


@test
def ready_with_unrecorded_procedure_lists_only_that():
    j = at_pre_departure()
    j.fill_ready(skip={"procedure.police_clearance"})
    only(j.unmet("ready"), "procedure.police_clearance",
         contains="police_clearance")


@test
def ready_with_health_temporarily_unfit_lists_only_that():
    j = at_pre_departure()
    j.fill_ready(skip={"health:0"})
    j.record(health_body(j.pid(), "temporarily_unfit"))
    only(j.unmet("ready"), "health.fit", person=(j, 0),
         contains="temporarily unfit")
    j.record(health_body(j.pid(), "fit_with_conditions"))
    j.step("ready")


@test
def ready_with_health_unfit_or_missing_lists_only_that():
    j = at_pre_departure()
    j.fill_ready(skip={"health:0"})
    only(j.unmet("ready"), "health.fit", person=(j, 0),
         contains="no fitness-to-travel assessment")
    j.record(health_body(j.pid(), "unfit"))
    only(j.unmet("ready"), "health.fit", person=(j, 0),
         contains="unfit to travel")


@test
def pre_embarkation_check_is_not_the_fitness_assessment():
    # a pre-embarkation check alone does not stand for the health assessment
    j = at_pre_departure()
    j.fill_ready(skip={"health:0"})
    j.record(health_body(j.pid(), at=hours_from_now(-1),
                         pre_embarkation=True))
    only(j.unmet("ready"), "health.fit", person=(j, 0))


@test
def ready_with_later_ineligible_decision_lists_only_that():
    j = at_pre_departure()
    j.fill_ready()
    j.record(eligibility_body("ineligible", reason="has a pending asylum"
                              " claim"))
    only(j.unmet("ready"), "eligibility.decision",
         contains="has a pending asylum claim")


@test
def ready_needs_medical_escort_when_assessment_says_so():
    j = at_pre_departure()
    j.fill_ready(skip={"health:0"})
    j.record(health_body(j.pid(), "fit_with_conditions",
                         needs=["medical_escort", "wheelchair"]))
    only(j.unmet("ready"), "escort.medical", person=(j, 0),
         contains="needs a medical escort")
    j.record(escort_body(j.pid(), "medical", "Nurse Escort"))
    j.step("ready")


@test
def ready_for_victim_of_trafficking_needs_officer_and_risk_assessment():
    j = at_pre_departure([adult(protection_vulnerabilities=["victim_of_trafficking"])],
                         creator="protection")
    j.fill_ready()
    p = j.unmet("ready")
    assert codes(p) == ["protection.officer", "protection.risk"], p
    # Whoever reads the requirements learns what is missing, not why: only
    # the protection role may know that the person was trafficked.
    assert "traffick" not in str(p).lower(), p
    st, _, ready = j.req("GET", "/readiness", role="registration")
    assert st == 200 and "traffick" not in str(ready).lower(), ready
    for r in p["requirements"]:
        assert r["person_id"] == j.pid() and j.display() in r["message"], r
    # the officer must be a user with the protection role
    r = j.record({"kind": "protection_officer", "person_id": j.pid(),
                  "username": username("counsellor")}, expect=422)
    assert_problem(r, 422, "validation", "username")
    j.record({"kind": "protection_officer", "person_id": j.pid(),
              "username": username("protection")})
    only(j.unmet("ready"), "protection.risk", person=(j, 0))
    j.record({"kind": "risk_assessment", "person_id": j.pid(),
              "date": day(-1), "level": "medium",
              "summary": "trafficker network at origin"})
    j.step("ready")


@test
def ready_lists_every_unmet_requirement_at_once():
    j = at_pre_departure([adult(), adult("spouse", documents=[],
                                         sex="female")])
    j.fill_ready(skip={"departure", "procedure.exit_visa", "health:0",
                       "health:1"})
    j.record(procedure_body("exit_visa", "requested"))
    j.record(health_body(j.pid(0), "temporarily_unfit"))
    p = j.unmet("ready")
    got = sorted((r["code"], r.get("person_id")) for r in
                 p["requirements"])
    want = sorted([("departure.planned", None),
                   ("document.valid", j.pid(1)),
                   ("procedure.exit_visa", None),
                   ("health.fit", j.pid(0)),
                   ("health.fit", j.pid(1))])
    assert got == want, (got, want)
    assert p["title"] == "The case is not ready for this step", p["title"]
    assert p["detail"] == "5 requirements of the step ready are not met", \
        p["detail"]
    text = " ".join(r["message"] for r in p["requirements"])
    for i in (0, 1):
        assert j.display(i) in text, (j.display(i), text)
    # readiness shows the same list, with what is met
    n = j.next_step("ready")
    assert n["ready"] is False and n["missing"] == 5, n
    assert sorted(unmet_codes(n)) == sorted(c for c, _ in want), n
    met = {r["code"] for r in n["requirements"] if r["met"]}
    assert {"consent.return", "eligibility.decision", "restriction.clear",
            "procedure.fine_waiver", "procedure.police_clearance"} <= met, n
    assert j.stage() == "pre_departure"


@test
def readiness_says_who_may_take_each_step():
    j = at_pre_departure()
    n = j.next_step("ready", role="operations")
    assert n["allowed"] is True, n
    n = j.next_step("ready", role="counsellor")
    assert n["allowed"] is False, n
    r = j.step("ready", role="counsellor", expect=403)
    assert_problem(r, 403, "forbidden")
    r = j.step("ready", role="medical", expect=403)
    names = {s["event"] for s in j.readiness()["next"]}
    assert {"ready", "withdraw", "hold", "close"} <= names, names


@test
def step_from_wrong_stage_is_a_conflict_and_unknown_step_422():
    j = Journey()
    r = j.step("book", role="operations", expect=409)
    p = assert_problem(r, 409, "conflict")
    assert "registered" in p.get("detail", "") and "book" in \
        p.get("detail", ""), p
    r = j.req("POST", "/transitions", {"event": "teleport"})
    assert_problem(r, 422, "validation", "event")
    r = j.req("POST", "/transitions", {"event": "counsel", "why": "x"},
              role="counsellor")
    assert_problem(r, 422, "validation", "why")
    assert j.stage() == "registered"


# --------------------------------------------------------------------------
# 2. counselling and consent
# --------------------------------------------------------------------------

@test
def counsel_each_topic_missing_on_its_own():
    for topic in TOPICS:
        j = Journey()
        j.record(counselling_body([t for t in TOPICS if t != topic]))
        only(j.unmet("counsel"), "counselling." + topic)
        assert j.stage() == "registered"


@test
def counsel_without_any_session_lists_all_four_topics():
    j = Journey()
    p = j.unmet("counsel")
    assert codes(p) == sorted("counselling." + t for t in TOPICS), p
    assert p["detail"] == "4 requirements of the step counsel are not met"


@test
def counselling_topics_add_up_over_sessions():
    j = Journey()
    j.record(counselling_body(TOPICS[:2]))
    j.record(counselling_body(TOPICS[2:]))
    assert j.step("counsel")[2]["stage"] == "counselled"


@test
def consent_is_needed_from_every_member():
    j = Journey([adult(), adult("spouse", sex="female"),
                 adult("sibling", date_of_birth="1995-02-02")])
    j.counsel_all()
    j.step("counsel")
    j.record(consent_body(j.pid(0)))
    j.record(consent_body(j.pid(1)))
    # consent to share data is not consent to return
    j.record(consent_body(j.pid(2), purpose="data_sharing",
                          recipient=partner("UNICEF")))
    r = only(j.unmet("consent"), "consent.return", person=(j, 2))
    assert r["message"] == "no consent to return is recorded for %s" % \
        j.display(2), r["message"]
    p = j.get()
    j.record(consent_body(j.pid(2)))
    c = j.step("consent")[2]
    assert c["stage"] == "consented" and c["version"] == p["version"] + 1


@test
def consent_step_with_nobody_consenting_lists_each_member():
    j = Journey([adult(), adult("spouse", sex="female"),
                 adult("sibling")])
    j.counsel_all()
    j.step("counsel")
    p = j.unmet("consent")
    assert codes(p) == ["consent.return"] * 3, p
    assert {r["person_id"] for r in p["requirements"]} == set(j.pids())
    for i in range(3):
        assert any(j.display(i) in r["message"] for r in p["requirements"])


# --------------------------------------------------------------------------
# 3. withdrawal, hold, reopen
# --------------------------------------------------------------------------

def case_at(stage):
    j = Journey()
    if stage == "on_hold":
        j.to_stage("eligible")
        j.step("hold", reason="waiting for the family")
    else:
        j.to_stage(stage)
    return j


@test
def withdraw_from_every_stage_before_departure():
    for stage in STAGES_BEFORE_DEPARTURE + ["on_hold"]:
        j = case_at(stage)
        c = j.step("withdraw", reason="wants to stay")[2]
        assert c["stage"] == "withdrawn", (stage, c["stage"])
        assert c["stage_before"] == stage, (stage, c.get("stage_before"))
        assert j.get()["stage"] == "withdrawn"
        # every other step is a conflict now
        for ev in ("counsel", "consent", "ready", "book", "depart", "hold",
                   "withdraw", "resume"):
            r = j.step(ev, reason="x", role="manager", expect=None)
            assert_problem(r, 409, "conflict")
        # only counselling and consent can be recorded
        r = j.record(procedure_body("exit_visa"), expect=409)
        assert_problem(r, 409, "conflict")
        r = j.record(health_body(j.pid()), expect=409)
        assert_problem(r, 409, "conflict")
        if stage not in ("registered", "counselled"):
            # reopening needs a fresh consent: the old one was withdrawn
            p = j.unmet("reopen")
            r = only(p, "consent.return", person=(j, 0),
                     contains="withdrew consent")
            assert r["message"] == "%s withdrew consent to return; a new " \
                "consent is needed" % j.display(), r["message"]
        j.record(counselling_body())
        j.record(consent_body(j.pid()))
        c = j.step("reopen", reason="changed mind")[2]
        assert c["stage"] == "consented", (stage, c["stage"])


@test
def withdraw_marks_every_return_consent_withdrawn():
    j = Journey([adult(), adult("spouse", sex="female")])
    j.to_stage("eligible")
    j.record(consent_body(j.pid(0), purpose="data_sharing",
                          recipient=partner("Partner NGO")))
    j.step("withdraw", reason="no longer wishes to return")
    items = j.records(kind="consent", role="counsellor")
    ret = [r for r in items if r["data"]["purpose"] == "return"]
    assert len(ret) == 2
    for r in ret:
        assert r["data"].get("withdrawn_at"), r
    other = [r for r in items if r["data"]["purpose"] != "return"]
    assert other and not other[0]["data"].get("withdrawn_at"), other
    # reopen needs a new consent from each member: one is not enough
    j.record(consent_body(j.pid(0)))
    only(j.unmet("reopen"), "consent.return", person=(j, 1),
         contains="withdrew consent")
    j.record(consent_body(j.pid(1)))
    assert j.step("reopen")[2]["stage"] == "consented"


@test
def withdraw_needs_a_reason():
    j = case_at("consented")
    only(j.unmet("withdraw"), "reason")
    assert j.stage() == "consented"


@test
def withdraw_after_departure_is_a_conflict():
    j = Journey()
    j.to_stage("departed")
    r = j.step("withdraw", reason="too late", role="manager", expect=409)
    assert_problem(r, 409, "conflict")
    r = j.step("hold", reason="too late", role="manager", expect=409)
    assert_problem(r, 409, "conflict")
    j.step("arrive")
    r = j.step("withdraw", reason="too late", role="manager", expect=409)
    assert_problem(r, 409, "conflict")
    assert j.stage() == "arrived"


@test
def hold_and_resume_return_to_the_stage_before():
    j = case_at("eligible")
    c = j.step("hold", reason="medical review")[2]
    assert c["stage"] == "on_hold" and c["stage_before"] == "eligible", c
    n = j.next_step("resume")
    assert n["to"] == "eligible", n
    c = j.step("resume")[2]
    assert c["stage"] == "eligible", c


@test
def resume_rechecks_the_requirements_of_the_stage():
    j = case_at("eligible")
    j.step("hold", reason="re-assessment")
    j.record(eligibility_body("ineligible", reason="found a valid visa"))
    p = j.unmet("resume")
    assert "eligibility.decision" in codes(p), p
    assert j.stage() == "on_hold"


# --------------------------------------------------------------------------
# 4. a withdrawal racing a step
# --------------------------------------------------------------------------

def race(cases, event):
    """For each case, fires `event` and `withdraw` at the same moment;
    returns [(ready status, withdraw status, final stage)]."""
    out = []
    for j in cases:
        res = {}
        barrier = threading.Barrier(2)

        def go(name, ev, role, reason=None):
            barrier.wait()
            body = {"event": ev}
            if reason:
                body["reason"] = reason
            res[name] = j.req("POST", "/transitions", body, role=role)[0]

        ts = [threading.Thread(target=go, args=("step", event,
                                                "operations")),
              threading.Thread(target=go, args=("withdraw", "withdraw",
                                                "counsellor",
                                                "changed her mind"))]
        for t in ts:
            t.start()
        for t in ts:
            t.join(30)
        out.append((res.get("step"), res.get("withdraw"), j.get()))
    return out


def prepare_parallel(n, fn):
    out = [None] * n
    errs = []

    def work(i):
        try:
            out[i] = fn()
        except BaseException as e:   # noqa
            errs.append(e)
    ts = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(120)
    if errs:
        raise errs[0]
    return out


def check_race(results, event, ok_stage, pre_stage):
    """Whatever the order, the case ends withdrawn; the step succeeded
    exactly when the withdrawal came second (stage_before says which)."""
    orders = set()
    for st_step, st_wd, c in results:
        assert st_wd == 200, "withdraw is possible from %s and from %s; " \
            "got %s" % (pre_stage, ok_stage, st_wd)
        assert st_step in (200, 409), st_step
        assert c["stage"] == "withdrawn", \
            "a case whose consent was withdrawn ended at %s (step %s: %s, " \
            "withdraw: %s)" % (c["stage"], event, st_step, st_wd)
        want = ok_stage if st_step == 200 else pre_stage
        assert c["stage_before"] == want, (st_step, c["stage_before"])
        orders.add(st_step)
    return orders


@test
def withdrawal_racing_ready_always_ends_withdrawn():
    def prep():
        j = Journey()
        j.to_stage("pre_departure")
        j.fill_ready()
        return j
    cases = prepare_parallel(20, prep)
    res = race(cases, "ready")
    check_race(res, "ready", "ready", "pre_departure")
    for j in cases[:5]:
        for r in j.records(kind="consent", role="counsellor"):
            assert r["data"].get("withdrawn_at"), r


@test
def withdrawal_racing_book_always_ends_withdrawn():
    def prep():
        j = Journey()
        j.to_stage("ready")
        j.fill_board()
        return j
    cases = prepare_parallel(12, prep)
    res = race(cases, "book")
    check_race(res, "book", "booked", "ready")


if __name__ == "__main__":
    main()
