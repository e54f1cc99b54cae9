"""The Reintegration Sustainability Survey (src/app/survey.c): the default
instrument (data/survey/rss-default.json) loaded at start, scores against
examples computed by hand below, the same response after a change of
weights and `awda survey rescore`, a changed definition under the same
version refused, invalid answers answered 422 at their field path, a
person's scores over time in order, and the scope by office."""
import copy
import json
import os
import shutil
import subprocess
import tempfile

from harness import (test, shared, Server, create_case, case_body, person,
                     assert_problem, main)
from journey_util import day

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT = os.path.join(HERE, "..", "..", "data", "survey", "rss-default.json")

# One answer per question of the default instrument (version 1). The
# scores of each option are in the file; the arithmetic is below.
ANSWERS = {
    # economic
    "economic_satisfaction": "satisfied",      # 7500
    "food_reduction": "sometimes",             # 5000
    "can_borrow": "no",                        # 0
    "debt_level": "below_monthly_spending",    # 5000
    "work": "part_time",                       # 7500
    "productive_assets": "yes",                # 10000
    # social
    "housing_access": "good",                  # 7500
    "housing_quality": "fair",                 # 5000
    "children_in_school": "no_school_age_children",  # not scored
    "justice_access": "poor",                  # 2500
    "documents_access": "very_good",           # 10000
    "safe_water": "good",                      # 7500
    "health_access": "fair",                   # 5000
    "health_quality": "no_answer",             # not scored
    # psychosocial
    "social_activities": "rarely",             # 2500
    "support_network": "yes",                  # 10000
    "discrimination": "rarely",                # 7500
    "feel_safe": "agree",                      # 7500
    "conflicts": "never",                      # 10000
    "distress": "often",                       # 2500
    "wish_to_stay": "neutral",                 # 5000
}

# Indicators (the mean of their scored answers, half up):
#   economic_satisfaction 7500 (weight in dimension 25)
#   food_security         5000 (20)
#   access_to_credit         0 (15)
#   debt                  5000 (15)
#   work_and_assets       (7500 + 10000) / 2 = 8750 (25)
#   housing               (7500 + 5000) / 2 = 6250 (25)
#   education             none: no scored answer (15, left out)
#   justice_and_documents (2500 + 10000) / 2 = 6250 (20)
#   water                 7500 (15)
#   health_care           5000: no_answer is not scored (25)
#   social_participation  2500 (15)
#   support_network       10000 (20)
#   belonging             7500 (20)
#   safety                (7500 + 10000) / 2 = 8750 (20)
#   wellbeing             (2500 + 5000) / 2 = 3750 (25)
# economic     = (25*7500 + 20*5000 + 15*0 + 15*5000 + 25*8750) / 100
#              = 581250 / 100 = 5812.5 -> 5813 (half up)
# social       = (25*6250 + 20*6250 + 15*7500 + 25*5000) / (25+20+15+25)
#              = 518750 / 85 = 6102.9 -> 6103
# psychosocial = (15*2500 + 20*10000 + 20*7500 + 20*8750 + 25*3750) / 100
#              = 656250 / 100 = 6562.5 -> 6563
# composite    = every scored indicator, weight 1 each:
#              (26250 + 25000 + 32500) / 14 = 83750 / 14 = 5982.1 -> 5982
EXPECTED_V1 = {"economic_bp": 5813, "social_bp": 6103,
               "psychosocial_bp": 6563, "composite_bp": 5982}

# Version 2 changes the weights: economic_satisfaction weighs 50 in its
# dimension (was 25), and the economic indicators weigh 2 in the
# composite (the others 1).
# economic     = (50*7500 + 20*5000 + 15*0 + 15*5000 + 25*8750) / 125
#              = 768750 / 125 = 6150
# social, psychosocial: unchanged (6103, 6563)
# composite    = (2*26250 + 25000 + 32500) / (2*5 + 4 + 5)
#              = 110000 / 19 = 5789.5 -> 5789 (110000 = 19*5789 + 9: below half)
EXPECTED_V2 = {"economic_bp": 6150, "social_bp": 6103,
               "psychosocial_bp": 6563, "composite_bp": 5789}


def version2(definition):
    d = copy.deepcopy(definition)
    d["version"] = 2
    for ind in d["indicators"]:
        if ind["code"] == "economic_satisfaction":
            ind["weight_in_dimension"] = 50
        if ind["dimension"] == "economic":
            ind["weight_in_composite"] = 2
    return d


def load_default():
    with open(DEFAULT, encoding="utf-8") as f:
        return json.load(f)


def follow_staff(srv=None, office="EG-CAI"):
    """(me token, registration token) in office, made once per server."""
    srv = srv or shared()
    cache = getattr(srv, "_follow_staff", None)
    if cache is None:
        cache = srv._follow_staff = {}
    if office not in cache:
        cache[office] = (srv.make_user(["me"], [office])[1],
                         srv.make_user(["registration"], [office])[1])
    return cache[office]


def new_case(srv=None, office="EG-CAI", members=None):
    srv = srv or shared()
    _, reg = follow_staff(srv, office)
    return create_case(case_body(office=office, members=members),
                       token=reg, server=srv)


def respond(case, answers=None, round_="baseline", on=None, srv=None,
            pid=None, tok=None, expect=201, **over):
    srv = srv or shared()
    body = {"person_id": pid or case["members"][0]["person_id"],
            "round": round_, "answered_on": on or day(0),
            "answers": answers if answers is not None else dict(ANSWERS)}
    body.update(over)
    r = srv.request("POST", "/api/v1/cases/%s/survey-responses" % case["id"],
                    body, token=tok or follow_staff(srv)[0])
    if expect is not None:
        assert r[0] == expect, (r[0], r[2])
    return r


def scores(d):
    s = dict(d["scores"])
    s.pop("indicators", None)
    return s


@test
def test_default_instrument_loaded_at_start():
    tok = follow_staff()[0]
    st, _, d = shared().request("GET", "/api/v1/survey/instruments", token=tok)
    assert st == 200, (st, d)
    assert {"code": "rss", "version": 1} in [
        {"code": i["code"], "version": i["version"]} for i in d["items"]], d
    st, _, d = shared().request("GET", "/api/v1/survey/instruments/rss",
                                token=tok)
    assert st == 200, (st, d)
    inds = d["definition"]["indicators"]
    assert len(inds) == 15, len(inds)
    dims = sorted({i["dimension"] for i in inds})
    assert dims == ["economic", "psychosocial", "social"], dims
    questions = [q["code"] for i in inds for q in i["questions"]]
    assert sorted(questions) == sorted(ANSWERS), questions


@test
def test_scores_against_hand_computed_example():
    case = new_case()
    st, h, d = respond(case)
    assert scores(d) == EXPECTED_V1, d["scores"]
    assert d["instrument"] == {"code": "rss", "version": 1}, d
    assert d["answers"] == ANSWERS, d["answers"]
    ind = d["scores"]["indicators"]
    assert ind["work_and_assets"] == 8750 and ind["education"] is None, ind
    assert ind["access_to_credit"] == 0, ind
    # read back as stored
    st, _, lst = shared().request(
        "GET", "/api/v1/cases/%s/survey-responses" % case["id"],
        token=follow_staff()[0])
    assert st == 200 and scores(lst["items"][0]) == EXPECTED_V1, lst
    # every answer of one dimension unscored: that dimension has no score
    only = dict(ANSWERS, economic_satisfaction="no_answer",
                food_reduction="no_answer", can_borrow="no_answer",
                debt_level="no_answer", work="no_answer",
                productive_assets="no_answer")
    st, _, d = respond(case, only, round_="follow_up")
    assert d["scores"]["economic_bp"] is None, d["scores"]
    # composite of the 9 other scored indicators: (25000 + 32500) / 9
    # = 6388.9 -> 6389
    assert d["scores"]["composite_bp"] == 6389, d["scores"]


@test
def test_invalid_answers_422_at_their_field():
    case = new_case()
    bad = dict(ANSWERS, food_reduction="always", bogus_question="yes")
    del bad["can_borrow"]
    d = assert_problem(respond(case, bad, expect=None), 422,
                       fields="answers.food_reduction")
    fields = [e["field"] for e in d["errors"]]
    for f in ("answers.food_reduction", "answers.can_borrow",
              "answers.bogus_question"):
        assert f in fields, (f, fields)
    assert_problem(respond(case, dict(ANSWERS, work=3), expect=None), 422,
                   fields="answers.work")
    assert_problem(respond(case, round_="midline", expect=None), 422,
                   fields="round")
    assert_problem(respond(case, on=day(2), expect=None), 422,
                   fields="answered_on")
    assert_problem(respond(case, on="2026-02-30", expect=None), 422,
                   fields="answered_on")
    other = new_case()
    assert_problem(respond(case, pid=other["members"][0]["person_id"],
                           expect=None), 422, fields="person_id")
    assert_problem(respond(case, instrument="nope", expect=None), 422,
                   fields="instrument")
    # nothing was stored by the refusals
    st, _, lst = shared().request(
        "GET", "/api/v1/cases/%s/survey-responses" % case["id"],
        token=follow_staff()[0])
    assert lst["items"] == [], lst
    # one baseline per person and case
    respond(case)
    assert_problem(respond(case, expect=None), 422, fields="round")
    respond(case, round_="follow_up")


@test
def test_person_scores_over_time_in_order():
    case = new_case()
    pid = case["members"][0]["person_id"]
    low = {k: v for k, v in ANSWERS.items()}
    low["economic_satisfaction"] = "very_dissatisfied"
    # recorded out of order; listed in the order answered
    respond(case, ANSWERS, round_="follow_up", on=day(-10))
    respond(case, low, round_="baseline", on=day(-200))
    respond(case, ANSWERS, round_="follow_up", on=day(-100))
    st, _, d = shared().request(
        "GET", "/api/v1/persons/%s/sustainability-scores" % pid,
        token=follow_staff()[0])
    assert st == 200, (st, d)
    items = d["items"]
    assert [i["answered_on"] for i in items] == [day(-200), day(-100),
                                                 day(-10)], items
    assert [i["round"] for i in items] == ["baseline", "follow_up",
                                           "follow_up"], items
    assert items[0]["months_after_baseline"] == 0, items[0]
    assert items[2]["months_after_baseline"] >= 6, items[2]
    # the baseline's economic score is lower: 7500 -> 0 on the heaviest
    # indicator: (25*0 + 20*5000 + 15*0 + 15*5000 + 25*8750)/100 = 3937.5
    assert items[0]["scores"]["economic_bp"] == 3938, items[0]
    assert items[1]["scores"] == EXPECTED_V1, items[1]


@test
def test_survey_scope_by_office():
    case = new_case()
    pid = case["members"][0]["person_id"]
    respond(case)
    srv = shared()
    other_me = follow_staff(srv, "DZ-TAM")[0]
    for path in ("/api/v1/cases/%s/survey-responses" % case["id"],
                 "/api/v1/persons/%s/sustainability-scores" % pid):
        st, _, d = srv.request("GET", path, token=other_me)
        assert st == 404, (path, st, d)
    assert_problem(respond(case, tok=other_me, expect=None), 404)
    donor = srv.make_user(["donor"], ["EG-CAI"])[1]
    st, _, d = srv.request("GET", "/api/v1/cases/%s/survey-responses"
                           % case["id"], token=donor)
    assert st == 403, (st, d)
    # a counsellor reads (followup.read) but does not record (followup.manage)
    couns = srv.make_user(["counsellor"], ["EG-CAI"])[1]
    st, _, d = srv.request("GET", "/api/v1/persons/%s/sustainability-scores"
                           % pid, token=couns)
    assert st == 200 and len(d["items"]) == 1, (st, d)
    assert_problem(respond(case, tok=couns, expect=None), 403)
    # the same person in a case of another office (linked by a manager,
    # who works across offices): its response is not among the scores
    # Cairo sees
    mgr = srv.make_user(["manager"], ["DZ-TAM"])[1]
    far = create_case(case_body(office="DZ-TAM", members=[
        {"relationship": "principal", "person_id": pid}]), token=mgr)
    respond(far, round_="baseline", tok=mgr, pid=pid)
    st, _, d = srv.request("GET", "/api/v1/persons/%s/sustainability-scores"
                           % pid, token=follow_staff()[0])
    assert st == 200, (st, d)
    assert [i["case_id"] for i in d["items"]] == [case["id"]], d
    st, _, d = srv.request("GET", "/api/v1/persons/%s/sustainability-scores"
                           % pid, token=mgr)
    assert len(d["items"]) == 2, d


@test
def test_a_retry_with_the_same_key_records_once():
    case = new_case()
    body = {"person_id": case["members"][0]["person_id"],
            "round": "baseline", "answered_on": day(0),
            "answers": dict(ANSWERS)}
    path = "/api/v1/cases/%s/survey-responses" % case["id"]
    key = {"Idempotency-Key": "survey-retry-" + case["id"]}
    tok = follow_staff()[0]
    r1 = shared().request("POST", path, body, headers=key, token=tok)
    r2 = shared().request("POST", path, body, headers=key, token=tok)
    assert r1[0] == r2[0] == 201, (r1, r2)
    assert r1[2]["id"] == r2[2]["id"], (r1[2], r2[2])
    st, _, lst = shared().request("GET", path, token=tok)
    assert len(lst["items"]) == 1, lst


def run_awda(srv, *args, env=None):
    return subprocess.run([srv.bin] + list(args) + ["--db", srv.db],
                          capture_output=True, timeout=120,
                          env=dict(srv.env, **(env or {})))


@test
def test_rescore_after_a_change_of_weights():
    tmp = tempfile.mkdtemp(prefix="awda-survey-")
    srv = Server(env={"AWDA_SURVEY_DATA": tmp})
    try:
        shutil.copy(DEFAULT, os.path.join(tmp, "rss-default.json"))
        srv.start()
        srv.setup_fixtures()
        case = new_case(srv)
        _, _, d = respond(case, srv=srv)
        assert scores(d) == EXPECTED_V1, d
        rid = d["id"]
        srv.stop()
        # version 1 changed in place: refused, nothing stored
        changed = version2(load_default())
        changed["version"] = 1
        with open(os.path.join(tmp, "rss-default.json"), "w") as f:
            json.dump(changed, f)
        p = run_awda(srv, "survey", "rescore")
        assert p.returncode != 0, p
        assert b"new version" in p.stderr, p.stderr
        # the same change as version 2, beside version 1
        shutil.copy(DEFAULT, os.path.join(tmp, "rss-default.json"))
        with open(os.path.join(tmp, "rss-v2.json"), "w") as f:
            json.dump(version2(load_default()), f)
        p = run_awda(srv, "survey", "rescore")
        assert p.returncode == 0, (p.stdout, p.stderr)
        out = json.loads(p.stdout.decode().split("\n", 1)[1]
                         if p.stdout.startswith(b"survey instrument")
                         else p.stdout)
        assert out["items"] == [{"code": "rss", "version": 2,
                                 "rescored": 1}], out
        # a second rescore has nothing left to do
        p = run_awda(srv, "survey", "rescore")
        assert b'"rescored": 0' in p.stdout, p.stdout
        srv.start()
        me = follow_staff(srv)[0]
        st, _, lst = srv.request(
            "GET", "/api/v1/cases/%s/survey-responses" % case["id"],
            token=me)
        got = [i for i in lst["items"] if i["id"] == rid][0]
        assert scores(got) == EXPECTED_V2, got
        assert got["instrument"] == {"code": "rss", "version": 2}, got
        assert got["answers"] == ANSWERS, got  # the raw answers are kept
        # new responses are scored with the newest version
        _, _, d = respond(case, srv=srv, round_="follow_up")
        assert scores(d) == EXPECTED_V2, d
    finally:
        srv.cleanup()
        shutil.rmtree(tmp, ignore_errors=True)


@test
def test_bad_instrument_file_stops_the_server():
    tmp = tempfile.mkdtemp(prefix="awda-survey-")
    srv = Server(env={"AWDA_SURVEY_DATA": tmp})
    try:
        d = load_default()
        d["indicators"] = [i for i in d["indicators"]
                           if i["dimension"] != "social"]
        with open(os.path.join(tmp, "broken.json"), "w") as f:
            json.dump(d, f)
        srv.init()
        p = run_awda(srv, "survey", "load")
        assert p.returncode != 0, p
        assert b"social dimension has no indicator" in p.stderr, p.stderr
        try:
            srv.start(timeout=5)
            raise AssertionError("the server started with a broken instrument")
        except RuntimeError as e:
            assert "social dimension" in str(e), e
    finally:
        srv.cleanup()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
