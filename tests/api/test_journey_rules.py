"""The journey rules a new case worker ran into with a Cairo household (a
father, a mother and a child of 8, Sudanese, going home to Khartoum):

  * booking is not boarding: a seat is booked weeks ahead; the
    reconfirmation and the pre-embarkation check are asked when the
    departure is confirmed;
  * departure and arrival are confirmed with the time they happened, which
    is checked (not in the future, not days before the planned departure,
    an arrival not before the departure);
  * a change of destination takes a consented case back to counselled, and
    the consents and decisions given for the old destination stop counting;
  * the health rule names the fitness-to-travel assessment it wants, and a
    health assessment dated in the future is refused;
  * whoever records something reads it back (a counsellor typing a child's
    views);
  * the steps offered for a case are those it can take, and "waiting for
    me" lists the cases assigned to me that wait for a step I take."""
import datetime

from harness import test, shared, request, assert_problem, main
from journey_util import (Journey, adult, child, codes, dt, utcnow,
                          hours_from_now, day, consent_body,
                          guardian_consent_body, eligibility_body,
                          health_body, reconfirmation_body, partner)

H = datetime.timedelta(hours=1)


def household(**kw):
    """The Cairo household: father, mother and their child of 8."""
    kw.setdefault("destination", "SDN")
    kw.setdefault("area", "Khartoum")
    return Journey([adult(nationality="SDN"),
                    adult("spouse", sex="female", nationality="SDN"),
                    child(8, rel="child", flags=(), nationality="SDN")], **kw)


def field_errors(problem, field="at"):
    return [e["message"] for e in problem.get("errors", [])
            if e.get("field") == field]


# --------------------------------------------------------------------------
# Booking is not boarding
# --------------------------------------------------------------------------

@test
def a_seat_is_booked_weeks_ahead_without_boarding_checks():
    j = household()
    j.to_stage("pre_departure")
    j.fill_ready(departure_hours=24 * 21)
    j.step("ready")
    # nothing about boarding yet: booking needs what ready needs
    n = j.next_step("book", role="operations")
    assert n["ready"] is True, n
    assert not {"reconfirmation", "health.pre_embarkation"} & \
        {r["code"] for r in n["requirements"]}, n
    c = j.step("book")[2]
    assert c["stage"] == "booked", c
    # the boarding checks wait for the departure, per member
    n = j.next_step("depart", role="operations")
    unmet = sorted((r["code"], r["person_id"]) for r in n["requirements"]
                   if not r["met"])
    assert unmet == sorted(
        [("health.pre_embarkation", p) for p in j.pids()] +
        [("reconfirmation", j.pid(0)), ("reconfirmation", j.pid(1))]), unmet


@test
def booking_still_needs_a_planned_departure_ahead():
    j = Journey()
    j.to_stage("ready")
    j.set_departure(hours_from_now(-3))
    p = j.unmet("book")
    assert codes(p) == ["departure.planned"], p


@test
def departure_is_confirmed_after_the_flight_left():
    # the planned departure is past when the officer confirms it
    j = Journey()
    j.to_stage("ready")
    j.step("book")
    planned = utcnow() - 3 * H
    j.set_departure(dt(planned))
    j.record(reconfirmation_body(j.pid(), dt(planned - 20 * H)))
    j.record(health_body(j.pid(), at=dt(planned - 26 * H),
                         pre_embarkation=True))
    c = j.step("depart", at=dt(planned + H / 2))[2]
    assert c["stage"] == "departed", c


# --------------------------------------------------------------------------
# Departure and arrival are confirmed with their time
# --------------------------------------------------------------------------

def booked():
    j = Journey()
    j.to_stage("booked")        # leaves in two hours, checked for boarding
    return j


@test
def departure_needs_the_time_it_happened():
    j = booked()
    r = j.step("depart", at=False, expect=422)
    p = assert_problem(r, 422, "validation", "at")
    assert field_errors(p) == ["the date and time of the departure are "
                               "required"], p
    r = j.step("depart", at="yesterday", expect=422)
    p = assert_problem(r, 422, "validation", "at")
    assert "YYYY-MM-DDTHH:MMZ" in field_errors(p)[0], p
    assert j.stage() == "booked"


@test
def departure_in_the_future_is_refused():
    j = booked()
    when = utcnow() + H
    p = assert_problem(j.step("depart", at=dt(when), expect=422), 422,
                       "validation", "at")
    msg = field_errors(p)[0]
    assert "in the future" in msg and when.strftime("%Y-%m-%d %H:%M UTC") \
        in msg, msg
    assert j.stage() == "booked"
    n = len(j.events())
    j.step("depart", at=hours_from_now(0))
    assert len(j.events()) == n + 1


@test
def departure_days_before_the_planned_day_is_refused():
    j = Journey()
    j.to_stage("ready")
    planned = utcnow() + 24 * 4 * H
    j.set_departure(dt(planned))
    j.step("book")
    j.fill_board()
    p = assert_problem(j.step("depart", at=hours_from_now(0), expect=422),
                       422, "validation", "at")
    msg = field_errors(p)[0]
    assert "more than 24 hours before the day of the planned departure (%s)" \
        % planned.strftime("%Y-%m-%d %H:%M UTC") in msg, msg
    assert j.stage() == "booked"


@test
def departure_the_evening_before_the_planned_day_is_accepted():
    now = utcnow()
    j = Journey()
    j.to_stage("ready")
    # planned for tomorrow 06:00; the charter left this evening (now)
    tomorrow = (now + 24 * H).replace(hour=6, minute=0)
    j.set_departure(dt(tomorrow))
    j.step("book")
    j.fill_board()
    assert j.step("depart", at=dt(now))[2]["stage"] == "departed"


@test
def arrival_is_not_before_the_departure_nor_in_the_future():
    j = booked()
    left = utcnow() - 2 * H
    j.step("depart", at=dt(left))
    p = assert_problem(j.step("arrive", at=dt(left - H), expect=422), 422,
                       "validation", "at")
    assert field_errors(p) == [
        "the arrival (%s) cannot be before the departure (%s)" % (
            (left - H).strftime("%Y-%m-%d %H:%M UTC"),
            left.strftime("%Y-%m-%d %H:%M UTC"))], p
    p = assert_problem(j.step("arrive", at=hours_from_now(3), expect=422),
                       422, "validation", "at")
    assert "in the future" in field_errors(p)[0], p
    p = assert_problem(j.step("arrive", at=False, expect=422), 422,
                       "validation", "at")
    assert field_errors(p) == ["the date and time of the arrival are "
                               "required"], p
    assert j.stage() == "departed"
    j.step("arrive", at=dt(left + 4 * H / 3))
    trans = [e["data"] for e in j.events() if e["kind"] == "transition"]
    assert trans[-2]["event"] == "depart" and trans[-2]["at"] == dt(left), \
        trans[-2]
    assert trans[-1]["event"] == "arrive" and \
        trans[-1]["at"] == dt(left + 4 * H / 3), trans[-1]


@test
def only_departure_and_arrival_take_a_time():
    j = Journey()
    j.counsel_all()
    r = j.req("POST", "/transitions", {"event": "counsel",
                                       "at": hours_from_now(0)},
              role="counsellor")
    p = assert_problem(r, 422, "validation", "at")
    assert "only a departure or an arrival" in field_errors(p)[0], p
    assert j.stage() == "registered"


# --------------------------------------------------------------------------
# A change of destination undoes what depended on it
# --------------------------------------------------------------------------

@test
def changing_the_destination_after_consent_goes_back_to_counselled():
    j = household(destination="NGA", area="Lagos")
    j.to_stage("pre_departure")
    j.fill_ready()
    j.step("ready")
    c = j.patch({"destination_country": "SDN",
                 "destination_admin_area": "Khartoum"})
    assert c["stage"] == "counselled", c["stage"]
    ev = [e for e in j.events() if e["kind"] == "destination_changed"]
    assert len(ev) == 1, ev
    d = ev[0]["data"]
    assert (d["from_country"], d["from_admin_area"], d["to_country"],
            d["to_admin_area"]) == ("NGA", "Lagos", "SDN", "Khartoum"), d
    assert (d["stage_from"], d["stage_to"]) == ("ready", "counselled"), d
    assert "consent to return" in d["why"] and "eligibility" in d["why"], d
    # the consents given for Nigeria no longer count, for anyone
    p = j.unmet("consent")
    assert codes(p) == ["consent.return"] * 3, p
    for r in p["requirements"]:
        assert "given for the previous destination, NGA (Lagos)" in \
            r["message"], r
    j.record(consent_body(j.pid(0)))
    j.record(consent_body(j.pid(1)))
    j.record(guardian_consent_body(j.pid(2)))
    j.step("consent")
    # nor does the eligibility decision made for Nigeria
    p = j.unmet("approve_eligibility")
    r = [x for x in p["requirements"]][0]
    assert codes(p) == ["eligibility.decision"] and \
        "previous destination" in r["message"], p
    j.eligible()
    assert j.step("approve_eligibility")[2]["stage"] == "eligible"


@test
def changing_only_the_admin_area_also_goes_back():
    j = Journey(destination="MLI", area="Bamako")
    j.to_stage("eligible")
    c = j.patch({"destination_admin_area": "Kayes"})
    assert c["stage"] == "counselled", c["stage"]
    only = j.unmet("consent")
    assert codes(only) == ["consent.return"], only
    assert "MLI (Bamako)" in only["requirements"][0]["message"], only


@test
def a_case_on_hold_resumes_to_counselled_after_a_destination_change():
    j = Journey()
    j.to_stage("eligible")
    j.step("hold", reason="the family is moving")
    c = j.patch({"destination_admin_area": "Kayes"})
    assert c["stage"] == "on_hold" and c["stage_before"] == "counselled", c
    assert j.step("resume")[2]["stage"] == "counselled"


@test
def a_consent_recorded_before_the_change_does_not_count_even_before_the_step():
    j = Journey(destination="NGA", area="Lagos")
    j.counsel_all()
    j.step("counsel")
    j.record(consent_body(j.pid()))
    c = j.patch({"destination_country": "SDN",
                 "destination_admin_area": "Khartoum"})
    assert c["stage"] == "counselled", c     # it was not consented yet
    p = j.unmet("consent")
    assert "previous destination" in p["requirements"][0]["message"], p
    j.record(consent_body(j.pid()))
    j.step("consent")


@test
def a_receiving_office_in_another_country_is_forgotten():
    s = shared()
    bko = s.make_user(["reintegration"], ["ML-BKO"])[1]
    j = Journey(destination="MLI", area="Bamako")
    j.to_stage("consented")
    st, _, c = j.req("POST", "/handover", {"office": "ML-BKO"},
                     role="operations")
    assert st == 200 and c["receiving_office"] == "ML-BKO", c
    # another area of Mali: the Bamako office stays
    c = j.patch({"destination_admin_area": "Kayes"})
    assert c["receiving_office"] == "ML-BKO", c
    assert request("GET", "/api/v1/cases/" + j.id, token=bko)[0] == 200
    # another country: it goes, and the timeline says so
    c = j.patch({"destination_country": "SDN",
                 "destination_admin_area": "Khartoum"})
    assert c.get("receiving_office") is None, c
    ev = [e["data"] for e in j.events() if e["kind"] == "destination_changed"]
    assert ev[-1].get("receiving_office_removed") == "ML-BKO", ev[-1]
    assert "receiving_office_removed" not in ev[0], ev[0]
    assert request("GET", "/api/v1/cases/" + j.id, token=bko)[0] == 404


@test
def other_changes_keep_the_stage_and_the_consents():
    j = Journey()
    j.to_stage("eligible")
    c = j.patch({"notes": "moved to a new address in Cairo"})
    assert c["stage"] == "eligible", c
    assert not [e for e in j.events() if e["kind"] == "destination_changed"]
    j.step("start_pre_departure")


# --------------------------------------------------------------------------
# The health rule says what it wants
# --------------------------------------------------------------------------

@test
def pre_embarkation_checks_alone_name_the_missing_assessment():
    j = Journey()
    j.to_stage("pre_departure")
    j.fill_ready(skip={"health:0"})
    for h in (-30, -20, -2):
        j.record(health_body(j.pid(), at=hours_from_now(h),
                             pre_embarkation=True))
    p = j.unmet("ready")
    assert codes(p) == ["health.fit"], p
    msg = p["requirements"][0]["message"]
    assert msg.startswith("no fitness-to-travel assessment for %s" %
                          j.display()) and \
        "separate" in msg and "pre-embarkation check is recorded" in msg, msg


@test
def a_health_assessment_dated_in_the_future_is_refused():
    j = Journey()
    when = hours_from_now(24 * 3)
    r = j.record(health_body(j.pid(), at=when), expect=422)
    p = assert_problem(r, 422, "validation", "at")
    assert "in the future" in field_errors(p)[0] and when in \
        field_errors(p)[0], p
    r = j.record(health_body(j.pid(), at=hours_from_now(2),
                             pre_embarkation=True), expect=422)
    assert_problem(r, 422, "validation", "at")
    assert j.records(kind="health_assessment", role="medical") == []
    j.record(health_body(j.pid(), at=hours_from_now(0)))


# --------------------------------------------------------------------------
# Whoever records something can read it back
# --------------------------------------------------------------------------

@test
def the_counsellor_who_typed_the_childs_views_reads_them_back():
    j = household()
    views = "wants to see grandmother in Khartoum"
    r = j.record(guardian_consent_body(j.pid(2), child_views=views))
    assert r[2]["data"]["child_views"] == views, r[2]
    assert r[2]["data"]["guardian_name"] == "Guardian Of Child", r[2]
    # counsellors record consents, so they read them
    mine = j.records(kind="consent", role="counsellor")
    assert mine[0]["data"]["child_views"] == views, mine
    assert j.records(kind="consent", role="protection")[0]["data"][
        "child_views"] == views
    # a role that neither records consents nor sees protection detail
    for role in ("operations", "medical", "registration"):
        got = j.records(kind="consent", role=role)[0]["data"]
        assert got["child_views"] == "[sealed]", (role, got)
    # and a counsellor still does not read the clinical detail
    j.record(health_body(j.pid(0), diagnosis="malaria, treated"))
    got = j.records(kind="health_assessment", role="counsellor")[0]["data"]
    assert got["diagnosis"] == "[sealed]", got


@test
def the_author_of_a_consent_to_share_reads_it_back():
    s = shared()
    j = household()
    other = s.make_user(["registration"], ["EG-CAI"])[1]
    body = guardian_consent_body(j.pid(2), purpose="data_sharing",
                                 recipient=partner("Partner NGO"),
                                 child_views="agrees to the referral")
    st, _, rec = j.req("POST", "/records", body, role="registration")
    assert st == 201 and rec["data"]["child_views"] == \
        "agrees to the referral", (st, rec)
    mine = j.records(kind="consent", role="registration")
    assert mine[0]["data"]["child_views"] == "agrees to the referral", mine
    st, _, d = j.req("GET", "/records?kind=consent", token=other)
    assert st == 200 and d["items"][0]["data"]["child_views"] == \
        "[sealed]", d


# --------------------------------------------------------------------------
# The steps offered are those that can be taken
# --------------------------------------------------------------------------

def steps(j, role="registration"):
    return {n["event"]: n for n in j.readiness(role)["next"]}


@test
def an_arrival_at_home_is_offered_only_in_the_country_of_return():
    j = household()                           # Sudanese, registered in Cairo
    assert "record_arrival" not in steps(j, "manager"), steps(j, "manager")
    s = steps(j)
    assert set(s) == {"counsel", "withdraw", "hold", "close"}, set(s)
    assert [e for e, n in s.items() if n["side"]] and \
        s["counsel"]["side"] is False and s["withdraw"]["side"] is True, s
    # an Egyptian back from Europe, registered in Cairo
    e = Journey([adult(nationality="EGY")], destination="EGY", area="Giza")
    n = steps(e, "manager")["record_arrival"]
    assert n["allowed"] is True and n["side"] is False and \
        n["at"] == "optional", n
    assert steps(e)["record_arrival"]["allowed"] is False
    r = e.req("POST", "/transitions", {"event": "record_arrival",
                                       "at": hours_from_now(-24 * 30)},
              role="manager")
    assert r[0] == 200 and r[2]["stage"] == "arrived", r


@test
def after_departure_only_arrival_and_closure_are_offered():
    j = booked()
    assert {"depart", "withdraw", "hold", "close"} == set(steps(j))
    assert steps(j, "operations")["depart"]["at"] == "required"
    j.step("depart")
    assert set(steps(j)) == {"arrive", "close"}, steps(j)
    j.step("arrive")
    assert set(steps(j)) == {"start_reintegration", "close"}, steps(j)


# --------------------------------------------------------------------------
# Waiting for me
# --------------------------------------------------------------------------

def waiting(token):
    st, _, d = request("GET", "/api/v1/cases?waiting=me&limit=200",
                       token=token)
    assert st == 200, (st, d)
    return {c["id"] for c in d["items"]}


@test
def waiting_for_me_lists_the_cases_at_a_step_my_roles_take():
    s = shared()
    me, tok = s.make_user(["registration"], ["EG-CAI"])
    counsellor, ctok = s.make_user(["counsellor"], ["EG-CAI"])
    new = Journey(assigned_to=me)               # next: counselling
    eligible = Journey(assigned_to=me)
    eligible.to_stage("eligible")               # next: pre-departure
    gone = Journey(assigned_to=me)
    gone.to_stage("eligible")
    gone.step("withdraw", reason="stays in Cairo")
    to_counsel = Journey(assigned_to=counsellor)
    got = waiting(tok)
    assert eligible.id in got, got
    assert new.id not in got and gone.id not in got, got
    assert waiting(ctok) == {to_counsel.id}, waiting(ctok)
    # assigned=me still lists them all
    st, _, d = request("GET", "/api/v1/cases?assigned=me&limit=200",
                       token=tok)
    assert {c["id"] for c in d["items"]} == {new.id, eligible.id, gone.id}
    st, _, p = request("GET", "/api/v1/cases?waiting=someone", token=tok)
    assert_problem((st, _, p), 400, "bad-request")
    assert p["errors"][0]["field"] == "waiting", p


@test
def waiting_for_me_follows_the_hand_over():
    s = shared()
    cai_name, cai = s.make_user(["reintegration"], ["EG-CAI"])
    bko_name, bko = s.make_user(["reintegration"], ["ML-BKO"])
    # arrived in Mali, handed over to Bamako: Bamako starts reintegration
    handed = Journey(destination="MLI", assigned_to=cai_name)
    handed.to_stage("departed")
    handed.step("arrive")
    handed.req("POST", "/handover", {"office": "ML-BKO"}, role="operations")
    handed2 = Journey(destination="MLI", assigned_to=bko_name)
    handed2.to_stage("departed")
    handed2.step("arrive")
    handed2.req("POST", "/handover", {"office": "ML-BKO"}, role="operations")
    # arrived in Mali, not handed over: Cairo cannot reintegrate in Mali
    kept = Journey(destination="MLI", assigned_to=cai_name)
    kept.to_stage("departed")
    kept.step("arrive")
    # an Egyptian back home, registered in Cairo: Cairo records the arrival
    home = Journey([adult(nationality="EGY")], destination="EGY",
                   area="Giza", assigned_to=cai_name)
    assert waiting(cai) == {home.id}, (waiting(cai), home.id)
    assert waiting(bko) == {handed2.id}, waiting(bko)


if __name__ == "__main__":
    main()
