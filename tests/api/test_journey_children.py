"""The return journey of children: an unaccompanied child's whole path, each
child-protection requirement on its own, which determinations and family
outcomes count, a child with a parent in the case, and the reading of dates
of birth near 18."""
import datetime

from harness import test, assert_problem, main
from journey_util import (Journey, adult, child, codes, hours_from_now,
                          today, consent_body, guardian_consent_body,
                          child_bodies, escort_body, CHILD_CODES, only)


# --------------------------------------------------------------------------
# 1. children
# --------------------------------------------------------------------------

@test
def unaccompanied_child_whole_path():
    j = Journey([child(15)])
    pid = j.pid()
    j.counsel_all()
    j.step("counsel")
    # a child's own consent is not enough
    j.record(consent_body(pid))
    r = only(j.unmet("consent"), "consent.return", person=(j, 0))
    assert "guardian" in r["message"], r
    # the guardian's consent without the child's views is not enough
    j.record(guardian_consent_body(pid, child_views=None))
    only(j.unmet("consent"), "consent.return", person=(j, 0))
    j.record(guardian_consent_body(pid))
    j.step("consent")
    j.eligible()
    j.step("approve_eligibility")
    j.step("start_pre_departure")
    j.fill_ready(skip={"child:0"})
    p = j.unmet("ready")
    assert codes(p) == sorted(CHILD_CODES.values()), p
    for r in p["requirements"]:
        assert r["person_id"] == pid and j.display() in r["message"], r
    # the family is assessed by an office in the country of return
    bodies = child_bodies(pid)
    fam = dict(bodies["family_assessment"], office="EG-CAI")
    r = j.record(fam, expect=422)
    assert_problem(r, 422, "validation", "office")
    fam = dict(bodies["family_assessment"], office="ZZ-ZZZ")
    assert_problem(j.record(fam, expect=422), 422, "validation", "office")
    # a negative determination does not count
    j.record(dict(bodies["best_interests_determination"],
                  decision="return_not_in_best_interests"))
    for kind, body in bodies.items():
        j.record(body)
    c = j.step("ready")[2]
    assert c["stage"] == "ready"
    j.step("book")
    # boarding: the child reconfirms (no adult in the case) and is checked
    j.set_departure(hours_from_now(2))
    p = j.unmet("depart")
    assert codes(p) == ["health.pre_embarkation", "reconfirmation"], p
    j.fill_board()
    assert j.step("depart")[2]["stage"] == "departed"


@test
def child_requirements_each_missing_on_its_own():
    escort_refused = None
    for kind, code in CHILD_CODES.items():
        j = Journey([child(15)])
        j.to_stage("pre_departure")
        j.fill_ready(skip={"%s:0" % code, "child.escort:0"})
        expect = sorted({code, "child.escort"})
        if code != "child.escort":
            r = j.record(escort_body(j.pid()), expect=None)
            if r[0] == 201:
                expect = [code]
            else:
                escort_refused = r
        p = j.unmet("ready")
        assert codes(p) == expect, (code, p)
        if expect == [code]:
            only(p, code, person=(j, 0))
        for r in p["requirements"]:
            assert r["person_id"] == j.pid() and \
                j.display() in r["message"], r
    assert escort_refused is None, \
        "no escort could be recorded for a child, so child.escort " \
        "is always unmet and an unaccompanied child can never be ready: " \
        "%s %r" % (escort_refused[0], escort_refused[2])


@test
def negative_determination_or_family_outcome_alone_does_not_count():
    j = Journey([child(16)])
    j.to_stage("pre_departure")
    j.fill_ready(skip={"child.escort:0", "child.bid:0", "child.family:0"})
    j.record(dict(child_bodies(j.pid())["best_interests_determination"],
                  decision="return_not_in_best_interests"))
    j.record(dict(child_bodies(j.pid())["family_assessment"],
                  outcome="family_not_suitable"))
    p = j.unmet("ready")
    assert codes(p) == ["child.bid", "child.escort", "child.family"], p


@test
def later_negative_determination_or_family_outcome_replaces_positive():
    # (independent of escorts: the escort requirement is left unmet)
    j = Journey([child(16)])
    j.to_stage("pre_departure")
    j.fill_ready(skip={"child.escort:0"})
    j.record(dict(child_bodies(j.pid())["best_interests_determination"],
                  decision="return_not_in_best_interests"))
    # the latest determination counts: a later negative one replaces the
    # positive one recorded by fill_ready
    p = j.unmet("ready")
    assert codes(p) == ["child.bid", "child.escort"], \
        "a best-interests determination that return is NOT in the child's " \
        "interests, recorded after a positive one, must block `ready` (the " \
        "latest record of a kind counts); got %r" % codes(p)
    j.record(dict(child_bodies(j.pid())["family_assessment"],
                  outcome="family_not_found"))
    p = j.unmet("ready")
    assert codes(p) == ["child.bid", "child.escort", "child.family"], \
        "a later family assessment finding no family must replace the " \
        "earlier positive one; got %r" % codes(p)
    r = [x for x in p["requirements"] if x["code"] == "child.bid"][0]
    assert r["message"] == "no best-interests determination that return " \
        "is in the interests of the child %s" % j.display(), r


@test
def child_with_a_parent_in_the_case_needs_no_child_protection_steps():
    # only unaccompanied/separated children need guardian, BIA, BID, ...
    j = Journey([adult(), child(10, rel="child", flags=())])
    j.counsel_all()
    j.step("counsel")
    j.record(consent_body(j.pid(0)))
    j.record(guardian_consent_body(j.pid(1)))
    j.step("consent")
    j.eligible()
    j.step("approve_eligibility")
    j.step("start_pre_departure")
    j.fill_ready()
    n = j.next_step("ready")
    assert not any(c.startswith("child.") for c in
                   [r["code"] for r in n["requirements"]]), n
    j.step("ready")
    j.step("book")
    j.set_departure(hours_from_now(2))
    # reconfirmation only for the adult; pre-embarkation for both
    p = j.unmet("depart")
    got = sorted((r["code"], r["person_id"]) for r in p["requirements"])
    assert got == sorted([("health.pre_embarkation", j.pid(0)),
                          ("health.pre_embarkation", j.pid(1)),
                          ("reconfirmation", j.pid(0))]), got


def near_18_case(dob, precision):
    """A single-member case (no flags) at pre_departure with departure in
    48 hours; returns (journey, child codes the `ready` step lists)."""
    j = Journey([adult(date_of_birth=dob, dob_precision=precision)])
    j.counsel_all()
    j.step("counsel")
    j.record(guardian_consent_body(j.pid()))   # valid either way
    j.step("consent")
    j.eligible()
    j.step("approve_eligibility")
    j.step("start_pre_departure")
    j.set_departure(hours_from_now(48))
    n = j.next_step("ready")
    return j, sorted(r["code"] for r in n["requirements"]
                     if r["code"].startswith("child."))


@test
def estimated_birth_year_eighteen_years_ago_reads_as_a_child():
    y = today().year - 18
    for dob, prec in (("%d" % y, "year"), ("%d" % y, "estimated"),
                      ("%d-06" % y, "estimated"),
                      ("%d-01-01" % y, "estimated")):
        j, got = near_18_case(dob, prec)
        assert got == sorted(CHILD_CODES.values()), \
            "dob %s (%s): youngest possible age is under 18 at departure; " \
            "child requirements expected, got %r" % (dob, prec, got)


@test
def year_precision_with_a_full_date_reads_conservatively():
    # "year" precision says only the year is known: the youngest reading of
    # a person born "in 2008" is 31 December 2008, whatever day was typed.
    y = today().year - 18
    j, got = near_18_case("%d-01-01" % y, "year")
    stored = j.get()["members"][0]["person"]
    assert got == sorted(CHILD_CODES.values()), \
        "date_of_birth %r with dob_precision %r: the youngest possible " \
        "age at departure is 17 (born up to %d-12-31), so the child " \
        "requirements should appear; got %r" % (
            stored["date_of_birth"], stored["dob_precision"], y, got)


@test
def exact_birth_date_making_eighteen_before_departure_is_an_adult():
    # 17 today, 18 tomorrow; departure in 48 hours
    t = today() + datetime.timedelta(days=1)
    dob = t.replace(year=t.year - 18) if not (t.month == 2 and t.day == 29) \
        else t.replace(year=t.year - 18, day=28)
    j, got = near_18_case(dob.isoformat(), "exact")
    assert got == [], "18 at the planned departure: no child " \
        "requirements expected, got %r" % got
    # 18 only some days after the departure: a child at departure
    t2 = today() + datetime.timedelta(days=5)
    dob2 = t2.replace(year=t2.year - 18) if not (t2.month == 2 and
                                                  t2.day == 29) \
        else t2.replace(year=t2.year - 18, day=28)
    j2, got2 = near_18_case(dob2.isoformat(), "exact")
    assert got2 == sorted(CHILD_CODES.values()), got2


if __name__ == "__main__":
    main()
