"""The return journey's windows and timeline: the reconfirmation and
pre-embarkation windows before departure, the boarding requirements
rechecked at departure, and every step and record (and no refused step) on
the case's timeline."""
import datetime

from harness import test, main
from journey_util import (Journey, adult, dt, utcnow, hours_from_now,
                          counselling_body, consent_body, reconfirmation_body,
                          eligibility_body, health_body, username, only)


H = datetime.timedelta(hours=1)


# --------------------------------------------------------------------------
# 1. reconfirmation and pre-embarkation windows
# --------------------------------------------------------------------------

def booked_case(departure):
    """A case booked for `departure` (at most 24 hours ahead, so that its
    departure can be confirmed now), nothing recorded for boarding."""
    j = Journey()
    j.to_stage("pre_departure")
    j.fill_ready(skip={"departure"})
    j.set_departure(dt(departure))
    j.step("ready")
    j.step("book")
    return j


@test
def reconfirmation_100_hours_before_departure_does_not_count():
    now = utcnow()
    dep = now + 20 * H
    j = booked_case(dep)
    j.record(health_body(j.pid(), at=dt(now - H), pre_embarkation=True))
    j.record(reconfirmation_body(j.pid(), dt(dep - 100 * H)))
    r = only(j.unmet("depart"), "reconfirmation", person=(j, 0))
    assert r["message"] == "consent for %s not reconfirmed within 72 " \
        "hours of departure" % j.display(), r["message"]
    j.record(reconfirmation_body(j.pid(), dt(now - H)))
    assert j.step("depart")[2]["stage"] == "departed"


@test
def reconfirmation_24_hours_before_departure_counts():
    now = utcnow()
    dep = now + 23 * H
    j = booked_case(dep)
    j.fill_board(at_hours=-1)     # 24 hours before departure
    n = j.next_step("depart")
    assert n["ready"] is True, n
    j.step("depart")


@test
def reconfirmation_window_boundaries():
    now = utcnow()
    dep = now + 20 * H
    j = booked_case(dep)
    j.record(health_body(j.pid(), at=dt(now - H), pre_embarkation=True))
    # a minute too early
    j.record(reconfirmation_body(j.pid(), dt(dep - 72 * H - H / 60)))
    only(j.unmet("depart"), "reconfirmation", person=(j, 0))
    # in the future (not yet happened) does not count either
    j.record(reconfirmation_body(j.pid(), dt(now + 2 * H)))
    only(j.unmet("depart"), "reconfirmation", person=(j, 0))
    # exactly 72 hours before departure counts
    j.record(reconfirmation_body(j.pid(), dt(dep - 72 * H)))
    j.step("depart")


@test
def pre_embarkation_check_window_and_result():
    now = utcnow()
    dep = now + 20 * H
    j = booked_case(dep)
    j.record(reconfirmation_body(j.pid(), dt(now - H)))
    p = j.unmet("depart")
    only(p, "health.pre_embarkation", person=(j, 0),
         contains="no pre-embarkation check")
    # an ordinary assessment is not the pre-embarkation check
    j.record(health_body(j.pid(), at=dt(now - H)))
    only(j.unmet("depart"), "health.pre_embarkation", person=(j, 0))
    # too early
    j.record(health_body(j.pid(), at=dt(dep - 100 * H),
                         pre_embarkation=True))
    only(j.unmet("depart"), "health.pre_embarkation", person=(j, 0),
         contains="within 72 hours")
    # in the window, but not fit
    j.record(health_body(j.pid(), "temporarily_unfit", at=dt(now - H),
                         pre_embarkation=True))
    only(j.unmet("depart"), "health.pre_embarkation", person=(j, 0),
         contains="not fit")
    j.record(health_body(j.pid(), "fit", at=dt(now - H),
                         pre_embarkation=True))
    j.step("depart")


@test
def depart_lists_reconfirmation_and_check_per_member():
    j = Journey([adult(), adult("spouse", sex="female")])
    j.to_stage("pre_departure")
    j.fill_ready()
    j.step("ready")
    j.step("book")
    j.set_departure(hours_from_now(2))
    j.fill_board(skip={"reconfirmation:1", "pre:0"})
    p = j.unmet("depart")
    got = sorted((r["code"], r["person_id"]) for r in p["requirements"])
    assert got == sorted([("reconfirmation", j.pid(1)),
                          ("health.pre_embarkation", j.pid(0))]), got
    assert p["detail"] == "2 requirements of the step depart are not met"


@test
def depart_rechecks_the_boarding_requirements():
    now = utcnow()
    j = Journey()
    j.to_stage("booked")
    j.record(health_body(j.pid(), "unfit", at=dt(now - H),
                         pre_embarkation=True))
    only(j.unmet("depart"), "health.pre_embarkation", person=(j, 0))
    assert j.stage() == "booked"


# --------------------------------------------------------------------------
# 2. the timeline
# --------------------------------------------------------------------------

@test
def every_step_and_record_is_on_the_timeline():
    j = Journey()
    at = hours_from_now(0)
    path = [("counsel", "registered", "counselled"),
            ("consent", "counselled", "consented"),
            ("approve_eligibility", "consented", "eligible"),
            ("start_pre_departure", "eligible", "pre_departure"),
            ("hold", "pre_departure", "on_hold"),
            ("resume", "on_hold", "pre_departure"),
            ("ready", "pre_departure", "ready"),
            ("book", "ready", "booked"),
            ("depart", "booked", "departed"),
            ("arrive", "departed", "arrived")]
    made = []
    for ev, frm, to in path:
        if ev == "counsel":
            made.append(j.record(counselling_body())[2])
        elif ev == "consent":
            made.append(j.record(consent_body(j.pid()))[2])
        elif ev == "approve_eligibility":
            made.append(j.record(eligibility_body())[2])
        elif ev == "ready":
            before = len(j.records(role="manager"))
            j.fill_ready()
            made.extend(j.records(role="manager")[before:])
        elif ev == "book":
            j.set_departure(hours_from_now(2))
            before = len(j.records(role="manager"))
            j.fill_board()
            made.extend(j.records(role="manager")[before:])
        j.step(ev, reason="reason for " + ev,
               at=at if ev in ("depart", "arrive") else None)
    events = j.events()
    trans = [e for e in events if e["kind"] == "transition"]
    want = [{"event": ev, "from": frm, "to": to, "reason": "reason for " + ev}
            for ev, frm, to in path]
    for w in want:
        if w["event"] in ("depart", "arrive"):
            w["at"] = at      # when they happened
    assert [e["data"] for e in trans] == want, [e["data"] for e in trans]
    for e in trans:
        assert e["user"] in (username("counsellor"), username("manager"),
                             username("operations")), e
    recorded = [e for e in events if e["kind"] == "recorded"]
    assert len(recorded) == len(made), (len(recorded), len(made))
    assert [e["data"]["record_id"] for e in recorded] == \
        [r["id"] for r in made]
    for e, r in zip(recorded, made):
        assert e["data"]["kind"] == r["kind"], (e, r)
        if r.get("person_id"):
            assert e["data"].get("person_id") == r["person_id"], (e, r)
    assert events[0]["kind"] == "created"
    ids = [e["id"] for e in events]
    assert ids == sorted(ids), "events are not oldest first"


@test
def refused_steps_leave_no_trace_on_the_timeline():
    j = Journey()
    n = len(j.events())
    j.unmet("counsel")
    j.step("book", role="operations", expect=409)
    j.step("counsel", role="medical", expect=403)
    assert len(j.events()) == n
    c = j.get()
    assert c["stage"] == "registered" and c["version"] == 1, c


if __name__ == "__main__":
    main()
