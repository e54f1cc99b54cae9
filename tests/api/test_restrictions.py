"""Country restrictions: managers create, update and review them (with
If-Match and history); a restriction in force blocks the journey's steps
for cases going there until it ends or, for approval_required, until a
manager approves the case; affected-cases lists who is concerned.

Restrictions are global: every test restricts a place of its own (a
random admin area) or a country no other test returns people to, and ends
what it started, so nothing leaks into other tests' cases."""
from harness import (test, shared, request, admin, assert_problem,
                     rand_letters, main)
from journey_util import Journey, token, username, day, codes, unmet_codes

R = "/api/v1/restrictions"


def area():
    return "Area " + rand_letters(8).capitalize()


def body(**over):
    b = {"country": "MLI", "admin_area": area(), "kind": "suspended",
         "effective_from": day(-30), "effective_until": None,
         "reason": "security situation", "next_review": day(60)}
    b.update(over)
    return b


def create(role="manager", **over):
    r = request("POST", R, body(**over), token=token(role))
    assert r[0] == 201, (r[0], r[2])
    return r[2]


def get(rid, role="manager"):
    st, h, d = request("GET", R + "/" + rid, token=token(role))
    assert st == 200, (st, d)
    return d, h


def patch(rid, changes, version, path="", role="manager"):
    return request("PATCH" if not path else "POST", R + "/" + rid + path,
                   changes, token=token(role),
                   headers={"If-Match": '"%d"' % version}
                   if version is not None else None)


def end(res):
    """Ends a restriction (yesterday), whatever its version."""
    cur, _ = get(res["id"])
    r = patch(res["id"], {"effective_from": day(-60),
                          "effective_until": day(-1)}, cur["version"])
    assert r[0] == 200, (r[0], r[2])
    return r[2]


def affected(rid, role="manager"):
    st, _, d = request("GET", R + "/" + rid + "/affected-cases",
                       token=token(role))
    assert st == 200, (st, d)
    assert d["restriction_id"] == rid and d["count"] == len(d["items"]), d
    return d


def affected_ids(rid, role="manager"):
    return [c["id"] for c in affected(rid, role)["items"]]


# --------------------------------------------------------------------------
# managing restrictions
# --------------------------------------------------------------------------

@test
def manager_creates_a_restriction_with_history_and_etag():
    b = body(kind="approval_required")
    st, h, d = request("POST", R, b, token=token("manager"))
    assert st == 201, (st, d)
    assert h.get("ETag") == '"1"', h.get("ETag")
    assert (h.get("Location") or "").endswith(R + "/" + d["id"]), \
        h.get("Location")
    assert d["version"] == 1
    for k in ("country", "admin_area", "kind", "effective_from", "reason",
              "next_review"):
        assert d[k] == b[k], (k, d[k], b[k])
    assert d.get("effective_until") is None
    hist = d["history"]
    assert len(hist) == 1 and hist[0]["action"] == "created", hist
    assert hist[0]["user"] == username("manager"), hist
    assert hist[0]["restriction"]["kind"] == "approval_required", hist
    g, h2 = get(d["id"], role="counsellor")     # case staff read
    assert h2.get("ETag") == '"1"', h2.get("ETag")
    assert g["id"] == d["id"] and g["history"] == d["history"]
    st, _, lst = request("GET", R, token=token("operations"))
    assert st == 200 and d["id"] in [x["id"] for x in lst["items"]], lst


@test
def only_managers_create_or_change_restrictions():
    for role in ("counsellor", "operations", "registration", "medical",
                 "protection"):
        r = request("POST", R, body(), token=token(role))
        assert_problem(r, 403, "forbidden")
    r = request("POST", R, body(), token=admin())
    assert_problem(r, 403, "forbidden")
    res = create()
    r = patch(res["id"], {"reason": "changed"}, 1, role="operations")
    assert_problem(r, 403, "forbidden")
    r = patch(res["id"], {"next_review": day(90)}, 1, path="/review",
              role="counsellor")
    assert_problem(r, 403, "forbidden")
    assert get(res["id"])[0]["version"] == 1
    # partners and donors do not even read them
    srv = shared()
    _, ptok = srv.make_user(["partner"], ["EG-CAI"])
    assert_problem(request("GET", R, token=ptok), 403, "forbidden")


def patch_raw(rid, changes, if_match, path=""):
    return request("PATCH" if not path else "POST", R + "/" + rid + path,
                   changes, token=token("manager"),
                   headers={"If-Match": if_match})


@test
def restriction_if_match_by_the_letter_of_rfc_9110():
    """* matches the current version; a weak or foreign entity-tag is 412;
    a list matches when one strong tag is current; not a list is 400."""
    res = create()
    rid = res["id"]
    for value in ('W/"1"', '"stale-0"', '"2", W/"1"'):
        assert_problem(patch_raw(rid, {"reason": "no"}, value), 412,
                       "precondition-failed")
        assert_problem(patch_raw(rid, {"next_review": day(90)}, value,
                                 path="/review"), 412, "precondition-failed")
    for value in ("1", '"1', "*, \"1\""):
        assert_problem(patch_raw(rid, {"reason": "no"}, value), 400,
                       "bad-request")
    assert get(rid)[0]["version"] == 1
    r = patch_raw(rid, {"reason": "by star"}, "*")
    assert r[0] == 200 and r[2]["version"] == 2, r
    r = patch_raw(rid, {"next_review": day(100)}, '"stale-0", "2"',
                  path="/review")
    assert r[0] == 200 and r[2]["version"] == 3, r
    end(get(rid)[0])


@test
def invalid_restrictions_are_422_with_the_field():
    cases = [
        (body(country="XYZ"), "country"),
        (body(country="ML"), "country"),
        (body(kind="banned"), "kind"),
        (body(effective_from=day(10), effective_until=day(5)),
         "effective_until"),
        (body(effective_from="2026-13-01"), "effective_from"),
        (body(next_review="soon"), "next_review"),
        (dict((k, v) for k, v in body().items() if k != "reason"), "reason"),
        (dict((k, v) for k, v in body().items() if k != "country"),
         "country"),
        (body(colour="red"), "colour"),
    ]
    before = len(request("GET", R, token=token("manager"))[2]["items"])
    for b, field in cases:
        r = request("POST", R, b, token=token("manager"))
        assert_problem(r, 422, "validation", field)
    after = len(request("GET", R, token=token("manager"))[2]["items"])
    assert after == before, "an invalid restriction was stored"


@test
def update_and_review_need_if_match_and_grow_the_history():
    res = create(kind="approval_required")
    rid = res["id"]
    r = patch(rid, {"reason": "no If-Match"}, None)
    assert_problem(r, 428, "precondition-required")
    r = patch(rid, {"reason": "updated reason"}, 1)
    assert r[0] == 200, r
    assert r[1].get("ETag") == '"2"', r[1].get("ETag")
    d = r[2]
    assert d["version"] == 2 and d["reason"] == "updated reason"
    assert [x["action"] for x in d["history"]] == ["created", "updated"]
    # stale
    r = patch(rid, {"reason": "stale"}, 1)
    assert_problem(r, 412, "precondition-failed")
    r = patch(rid, {"next_review": day(120)}, 1, path="/review")
    assert_problem(r, 412, "precondition-failed")
    r = patch(rid, {"next_review": day(120)}, None, path="/review")
    assert_problem(r, 428, "precondition-required")
    r = patch(rid, {"next_review": day(120)}, 2, path="/review")
    assert r[0] == 200, r
    d = r[2]
    assert d["version"] == 3 and d["next_review"] == day(120)
    assert [x["action"] for x in d["history"]] == \
        ["created", "updated", "reviewed"], d["history"]
    # an invalid change changes nothing
    r = patch(rid, {"kind": "forbidden"}, 3)
    assert_problem(r, 422, "validation", "kind")
    r = patch(rid, {"effective_until": day(-100)}, 3)
    assert_problem(r, 422, "validation", "effective_until")
    g, h = get(rid)
    assert g["version"] == 3 and g["reason"] == "updated reason", g
    assert len(g["history"]) == 3
    # the history keeps what the restriction was at each change
    assert g["history"][0]["restriction"]["reason"] == "security situation"
    assert g["history"][1]["restriction"]["reason"] == "updated reason"


@test
def unknown_restriction_is_404():
    for rid in ("0193a5b0-1234-7abc-8def-0123456789ab", "nope"):
        assert_problem(request("GET", R + "/" + rid, token=token("manager")),
                       404, "not-found")
        assert_problem(request("GET", R + "/" + rid + "/affected-cases",
                               token=token("manager")), 404, "not-found")
        assert_problem(patch(rid, {"reason": "x"}, 1), 404, "not-found")


@test
def review_overdue_lists_restrictions_past_their_review_date():
    late = create(next_review=day(-3), effective_from=day(-100))
    due = create(next_review=day(0))
    fine = create(next_review=day(30))
    st, _, d = request("GET", R + "?review_overdue=true",
                       token=token("counsellor"))
    assert st == 200, (st, d)
    ids = [x["id"] for x in d["items"]]
    assert late["id"] in ids, "overdue restriction not listed"
    assert fine["id"] not in ids and due["id"] not in ids, d
    for x in d["items"]:
        assert x["next_review"] < day(0), x
    st, _, d = request("GET", R + "?review_overdue=false",
                       token=token("counsellor"))
    assert st == 200 and fine["id"] in [x["id"] for x in d["items"]]
    r = request("GET", R + "?review_overdue=yes", token=token("counsellor"))
    assert_problem(r, 400, "bad-request")
    # a review moves it out of the overdue list
    r = patch(late["id"], {"next_review": day(45)}, 1, path="/review")
    assert r[0] == 200, r
    st, _, d = request("GET", R + "?review_overdue=true",
                       token=token("manager"))
    assert late["id"] not in [x["id"] for x in d["items"]]


# --------------------------------------------------------------------------
# restrictions and the journey
# --------------------------------------------------------------------------

@test
def suspension_mid_process_blocks_the_next_steps():
    a = area()
    j = Journey(area=a)
    j.to_stage("eligible")
    other = Journey(area=area())       # another area of the same country
    other.to_stage("eligible")
    res = create(admin_area=a.upper(), kind="suspended",
                 reason="fighting near the town")
    try:
        ids = affected_ids(res["id"])
        assert j.id in ids, "the case going there is not listed"
        assert other.id not in ids, "a case going elsewhere is listed"
        item = [c for c in affected(res["id"])["items"]
                if c["id"] == j.id][0]
        assert item["stage"] == "eligible" and \
            item["destination_country"] == "MLI" and \
            item["destination_admin_area"] == a and \
            item["office"] == "EG-CAI" and item["number"], item
        n = j.next_step("start_pre_departure")
        assert n["ready"] is False and unmet_codes(n) == \
            ["restriction.suspended"], n
        r = [x for x in n["requirements"]
             if x["code"] == "restriction.suspended"][0]
        assert "suspended" in r["message"] and \
            "fighting near the town" in r["message"], r
        p = j.unmet("start_pre_departure")
        assert codes(p) == ["restriction.suspended"], p
        assert j.stage() == "eligible"
        # other areas are not concerned
        n = other.next_step("start_pre_departure")
        assert n["ready"] is True, n
        assert "restriction.clear" in [x["code"] for x in
                                       n["requirements"]], n
        # approval does not lift a suspension
        j.record({"kind": "restriction_approval", "restriction_id":
                  res["id"], "justification": "the family is waiting"})
        assert codes(j.unmet("start_pre_departure")) == \
            ["restriction.suspended"]
        # withdrawn cases are no longer affected; on-hold ones still are
        j2 = Journey(area=a)
        j2.step("withdraw", reason="prefers to stay")
        j3 = Journey(area=a.lower())
        j3.step("hold", reason="waiting for the restriction to end")
        ids = affected_ids(res["id"])
        assert j2.id not in ids, ids
        assert j3.id in ids, "an on-hold case going there is not listed"
    finally:
        end(res)
    assert j.id not in affected_ids(res["id"])
    assert j.step("start_pre_departure")[2]["stage"] == "pre_departure"


@test
def suspension_blocks_every_step_towards_departure():
    a = area()
    j = Journey(area=a)
    j.to_stage("booked")
    c = Journey(area=a)
    c.to_stage("consented")
    c.eligible()
    p = Journey(area=a)
    p.to_stage("pre_departure")
    p.fill_ready()
    r2 = Journey(area=a)
    r2.to_stage("ready")
    r2.fill_board()
    res = create(admin_area=a, kind="suspended")
    try:
        assert set(affected_ids(res["id"])) >= {j.id, c.id, p.id, r2.id}
        for jj, ev in ((c, "approve_eligibility"), (p, "ready"),
                       (r2, "book"), (j, "depart")):
            prob = jj.unmet(ev)
            assert codes(prob) == ["restriction.suspended"], (ev, prob)
        # steps that are not towards departure are not blocked
        c.step("hold", reason="restriction")
        assert c.step("resume", expect=None)[0] == 200
    finally:
        end(res)
    j.step("depart")


@test
def approval_required_blocks_until_a_manager_approves():
    a = area()
    j = Journey(area=a)
    j.to_stage("consented")
    j.eligible()
    res = create(admin_area=a, kind="approval_required",
                 reason="case-by-case review of returns to the north")
    try:
        assert j.id in affected_ids(res["id"])
        p = j.unmet("approve_eligibility")
        r = only_code(p, "restriction.approval")
        assert "approval" in r["message"], r
        # only a manager approves, with a justification of 10+ characters
        bad = {"kind": "restriction_approval", "restriction_id": res["id"],
               "justification": "ok"}
        assert_problem(j.record(bad, expect=422), 422, "validation",
                       "justification")
        good = dict(bad, justification="family traced, area calm for months")
        for role in ("counsellor", "operations", "protection"):
            assert_problem(j.record(good, role=role, expect=403), 403,
                           "forbidden")
        unknown = dict(good, restriction_id="0193a5b0-1234-7abc-8def-"
                       "0123456789ab")
        assert_problem(j.record(unknown, expect=422), 422, "validation",
                       "restriction_id")
        assert j.id in affected_ids(res["id"])
        j.record(good)
        assert j.id not in affected_ids(res["id"]), \
            "an approved case is still listed as affected"
        n = j.next_step("approve_eligibility")
        assert n["ready"] is True, n
        assert [x for x in n["requirements"]
                if x["code"] == "restriction.approval"][0]["met"] is True
        j.step("approve_eligibility")
        j.step("start_pre_departure")
        # an approval is for that restriction only
        res2 = create(admin_area=a, kind="approval_required")
        try:
            n = j.next_step("ready")
            appr = [x for x in n["requirements"]
                    if x["code"] == "restriction.approval"]
            assert [x["met"] for x in appr] == [True, False], appr
            assert j.id in affected_ids(res2["id"])
        finally:
            end(res2)
    finally:
        end(res)


def only_code(problem, code):
    assert codes(problem) == [code], problem
    return problem["requirements"][0]


@test
def country_wide_restriction_covers_every_area_and_not_other_countries():
    # Burkina Faso: no other test returns anyone there
    j1 = Journey(destination="BFA", area="Ouagadougou")
    j2 = Journey(destination="BFA", area=area())
    m = Journey(area=area())
    for x in (j1, j2, m):
        x.to_stage("consented")
        x.eligible()
    res = create(country="BFA", admin_area=None, kind="suspended")
    try:
        ids = affected_ids(res["id"])
        assert j1.id in ids and j2.id in ids and m.id not in ids, ids
        for x in (j1, j2):
            assert codes(x.unmet("approve_eligibility")) == \
                ["restriction.suspended"]
        m.step("approve_eligibility")
    finally:
        end(res)
    assert affected_ids(res["id"]) == []
    j1.step("approve_eligibility")


@test
def restriction_not_yet_or_no_longer_in_force_does_not_block():
    a = area()
    j = Journey(area=a)
    j.to_stage("consented")
    j.eligible()
    future = create(admin_area=a, effective_from=day(10))
    past = create(admin_area=a, effective_from=day(-20),
                  effective_until=day(-1))
    assert affected_ids(future["id"]) == []
    assert affected_ids(past["id"]) == []
    n = j.next_step("approve_eligibility")
    assert n["ready"] is True, n
    # it comes into force: the case is blocked
    r = patch(future["id"], {"effective_from": day(0)}, 1)
    assert r[0] == 200, r
    try:
        assert j.id in affected_ids(future["id"])
        assert codes(j.unmet("approve_eligibility")) == \
            ["restriction.suspended"]
    finally:
        end(future)
    j.step("approve_eligibility")


@test
def affected_cases_respects_office_scope():
    srv = shared()
    srv.ensure_office("DZ-TAM", "Tamanrasset", "DZA")
    a = area()
    mine = Journey(area=a)
    theirs = Journey(area=a, office="DZ-TAM")
    res = create(admin_area=a)
    try:
        assert {mine.id, theirs.id} <= set(affected_ids(res["id"]))
        ids = affected_ids(res["id"], role="counsellor")   # EG-CAI only
        assert mine.id in ids and theirs.id not in ids, ids
    finally:
        end(res)


if __name__ == "__main__":
    main()
