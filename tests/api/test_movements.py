"""Movements (src/app/movements.c, movement_passengers.c,
movement_travel.c): legs with local times in their zones (UTC by ICU),
passengers added per household in one writer job (the booking check,
capacity never exceeded, even by two planners at once), removal and
no-shows, the planning board, confirm, depart (every check again, one
transaction; a withdrawal racing it never both succeed), arrive (the
hand-over to the receiving office), cancel, the scope by office, and the
migration of a database of the schema before movements.

Cases go from Cairo (EG-CAI) to Mali; the movements are received by
Bamako (ML-BKO)."""
import datetime
import sqlite3
import threading

from harness import (test, shared, Server, create_case, case_body, person,
                     downgrade, migration_version, assert_problem,
                     rand_letters, main)
from journey_util import (Journey, adult, child, token, utcnow, dt, health_body,
                          hours_from_now)
from test_journey import prepare_parallel

M = "/api/v1/movements"


def local(hours, offset):
    """The local time `hours` from now in a zone `offset` hours from UTC."""
    return (utcnow() + datetime.timedelta(hours=hours + offset)).strftime(
        "%Y-%m-%dT%H:%M")


def legs(dep=2):
    return [{"from": "CAI", "to": "ALG", "number": "AH 6201",
             "departs_at": local(dep, 1), "departs_tz": "Africa/Algiers",
             "arrives_at": local(dep + 3, 1), "arrives_tz": "Africa/Algiers"},
            {"from": "ALG", "to": "BKO", "number": "AH 5002",
             "departs_at": local(dep + 4, 1), "departs_tz": "Africa/Algiers",
             "arrives_at": local(dep + 7, 0), "arrives_tz": "Africa/Bamako"}]


def movement_body(capacity=150, dep=2, **over):
    b = {"type": "charter", "reference": "CH-" + rand_letters(6).upper(),
         "carrier": "Air Algerie", "capacity": capacity, "office": "EG-CAI",
         "receiving_office": "ML-BKO", "legs": legs(dep)}
    b.update(over)
    return b


def req(method, path, body=None, role="operations", office="EG-CAI",
        headers=None):
    return shared().request(method, path, body=body, headers=headers,
                            token=token(role, office))


def create(**over):
    st, h, d = req("POST", M, movement_body(**over))
    assert st == 201, (st, d)
    return d


def get(mid, role="operations", office="EG-CAI"):
    st, h, d = req("GET", M + "/" + mid, role=role, office=office)
    assert st == 200, (st, d)
    return d


def add(mid, cases=(), persons=(), headers=None):
    body = {}
    if cases:
        body["cases"] = list(cases)
    if persons:
        body["persons"] = list(persons)
    st, h, d = req("POST", M + "/" + mid + "/passengers", body,
                   headers=headers)
    assert st == 200, (st, d)
    return d


def if_match(v):
    return {"If-Match": '"%d"' % v}


def ready_case(members=None, board=True):
    j = Journey(members=members or [adult()])
    j.to_stage("ready")
    if board:
        j.fill_board()
    return j


def ready_cases(n, **kw):
    first = ready_case(**kw)  # the office's staff, made once
    return [first] + (prepare_parallel(n - 1, lambda: ready_case(**kw))
                      if n > 1 else [])


def refused_codes(d, pid):
    for e in d["refused"]:
        if e["person_id"] == pid:
            return [b["code"] for b in e["blockers"]]
    return None


def confirm(mid):
    m = get(mid)
    return req("POST", M + "/" + mid + "/confirm",
               headers=if_match(m["version"]))


def depart(mid, at=None):
    m = get(mid)
    return req("POST", M + "/" + mid + "/depart",
               {"at": at or hours_from_now(0)},
               headers=if_match(m["version"]))


# --------------------------------------------------------------------------
# The movement and its legs
# --------------------------------------------------------------------------

@test
def a_movement_is_created_with_its_legs_in_utc_and_read_back():
    b = movement_body(dep=5)
    st, h, d = req("POST", M, b)
    assert st == 201, (st, d)
    assert h["Location"] == M + "/" + d["id"]
    assert d["status"] == "planned" and d["version"] == 1
    assert h["ETag"] == '"1"'
    # Algiers is UTC+1, Bamako UTC+0: the departure and the arrival in UTC,
    # from the local times the body sent (not the clock, which may have
    # passed a minute since the body was made)
    def utc(local_text, offset_hours):
        t = datetime.datetime.strptime(local_text, "%Y-%m-%dT%H:%M")
        return (t - datetime.timedelta(hours=offset_hours)).strftime("%Y-%m-%dT%H:%M:00Z")
    want_dep = utc(b["legs"][0]["departs_at"], 1)
    want_arr = utc(b["legs"][1]["arrives_at"], 0)
    assert d["departs_at"] == want_dep, (d["departs_at"], want_dep)
    assert d["arrives_at"] == want_arr, (d["arrives_at"], want_arr)
    assert [(l["from"], l["to"]) for l in d["legs"]] == [("CAI", "ALG"),
                                                          ("ALG", "BKO")]
    assert d["legs"][0]["departs_at"] == b["legs"][0]["departs_at"]
    assert d["legs"][1]["arrives_tz"] == "Africa/Bamako"
    assert d["office"] == "EG-CAI" and d["receiving_office"] == "ML-BKO"
    assert d["seats_taken"] == 0 and d["passengers"] == []
    # the list, by status; the receiving office sees it too
    st, _, lst = req("GET", M + "?status=planned")
    assert st == 200 and d["id"] in [m["id"] for m in lst["items"]], lst
    st, _, lst = req("GET", M + "?status=arrived")
    assert d["id"] not in [m["id"] for m in lst["items"]]
    assert get(d["id"], office="ML-BKO")["id"] == d["id"]


@test
def bad_legs_are_refused_with_the_field_of_each_problem():
    bad = legs()
    bad[0]["departs_tz"] = "Africa/Atlantis"      # unknown zone
    bad[1]["from"] = "TMR"                        # does not chain
    bad[0]["to"] = "Alg"                          # not an IATA code
    bad[1]["arrives_at"] = "2026-13-01T10:00"     # not a time
    st, _, d = req("POST", M, movement_body(legs=bad))
    p = assert_problem((st, _, d), 422)
    fields = {e["field"] for e in p["errors"]}
    for f in ("legs[0].departs_tz", "legs[1].from", "legs[0].to",
              "legs[1].arrives_at"):
        assert f in fields, (f, p["errors"])
    # a leg that arrives before it departs; no legs; land places are free
    back = legs()
    back[0]["arrives_at"] = back[0]["departs_at"]
    p = assert_problem(req("POST", M, movement_body(legs=back)), 422)
    assert "legs[0].arrives_at" in {e["field"] for e in p["errors"]}
    p = assert_problem(req("POST", M, movement_body(legs=[])), 422)
    assert "legs" in {e["field"] for e in p["errors"]}
    land = legs()
    land[0]["to"] = land[1]["from"] = "Tamanrasset bus station"
    st, _, d = req("POST", M, movement_body(type="land", legs=land))
    assert st == 201, (st, d)


@test
def a_user_of_another_office_does_not_see_the_movement():
    m = create()
    for role in ("operations", "counsellor"):
        st, _, d = req("GET", M + "/" + m["id"], role=role, office="DZ-TAM")
        assert st == 404, (role, st, d)
    st, _, lst = req("GET", M, role="operations", office="DZ-TAM")
    assert m["id"] not in [x["id"] for x in lst["items"]]
    st, _, d = req("POST", M + "/" + m["id"] + "/cancel", {"reason": "x"},
                   role="operations", office="DZ-TAM")
    assert st == 404, (st, d)


# --------------------------------------------------------------------------
# Passengers
# --------------------------------------------------------------------------

@test
def households_are_added_whole_and_one_blocked_member_refuses_its_household():
    a, b, c = ready_cases(1)[0], ready_case([adult(), adult("spouse")]), \
        ready_case()
    # after `ready`, b's second member is found unfit to travel
    b.record(health_body(b.pid(1), "unfit"))
    m = create()
    d = add(m["id"], cases=[a.id, b.id, c.id])
    assert {x["person_id"] for x in d["added"]} == {a.pid(), c.pid()}, d
    for i in (0, 1):
        codes = refused_codes(d, b.pid(i))
        assert codes is not None and "household.blocked" in codes, d
    assert "health.fit" in refused_codes(d, b.pid(1))
    assert "health.fit" not in refused_codes(d, b.pid(0))
    msg = [x for x in d["refused"] if x["person_id"] == b.pid(0)][0]
    blocked = [bl for bl in msg["blockers"]
               if bl["code"] == "household.blocked"][0]["message"]
    assert b.display(1) in blocked, blocked
    assert a.stage() == "booked" and c.stage() == "booked"
    assert b.stage() == "ready"
    assert a.get()["planned_departure"] == m["departs_at"][:16] + "Z"
    assert d["movement"]["seats_taken"] == 2
    assert [p["case_id"] for p in d["movement"]["passengers"]] == [a.id, c.id]
    # the timeline names the movement
    ev = [e for e in a.events() if e["kind"] == "transition"][-1]["data"]
    assert ev["event"] == "book" and ev["movement"]["id"] == m["id"], ev
    # removed again: back to ready; a no-show goes on hold
    st, _, d = req("POST", M + "/" + m["id"] + "/passengers/remove",
                   {"case_id": a.id, "reason": "changed flight"})
    assert st == 200, (st, d)
    assert a.stage() == "ready"
    st, _, d = req("POST", M + "/" + m["id"] + "/passengers/remove",
                   {"case_id": c.id, "reason": "did not come", "no_show": True,
                    "then": "on_hold"})
    assert st == 200, (st, d)
    assert c.stage() == "on_hold"
    assert {p["status"] for p in d["passengers"]} == {"removed", "no_show"}
    assert d["seats_taken"] == 0


@test
def a_person_without_the_rest_of_the_household_is_refused_as_a_split():
    j = ready_case([adult(), adult("spouse")])
    m = create()
    d = add(m["id"], persons=[j.pid(0)])
    assert d["added"] == [], d
    codes = refused_codes(d, j.pid(0))
    assert "household.split" in codes, d
    msg = [b for e in d["refused"] for b in e["blockers"]
           if b["code"] == "household.split"][0]["message"]
    assert j.display(1) in msg, msg
    assert j.stage() == "ready"
    # both persons named: the household travels
    d = add(m["id"], persons=[j.pid(0), j.pid(1)])
    assert len(d["added"]) == 2, d


@test
def two_planners_adding_at_once_never_exceed_the_capacity():
    cases = ready_cases(6, board=False)
    m = create(capacity=3)
    out = {}
    barrier = threading.Barrier(2)

    def planner(k, mine):
        barrier.wait()
        out[k] = req("POST", M + "/" + m["id"] + "/passengers",
                     {"cases": [j.id for j in mine]})

    ts = [threading.Thread(target=planner, args=(k, cases[k::2]))
          for k in (0, 1)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(60)
    added = [x for k in out for x in out[k][2]["added"]]
    full = [x for k in out for x in out[k][2]["refused"]
            if [b["code"] for b in x["blockers"]] == ["movement.full"]]
    assert all(out[k][0] == 200 for k in out), out
    assert len(added) == 3 and len(full) == 3, out
    assert get(m["id"])["seats_taken"] == 3
    assert sorted(j.stage() for j in cases) == ["booked"] * 3 + ["ready"] * 3
    # the message says how full it is
    assert "3 of 3" in full[0]["blockers"][0]["message"], full[0]


@test
def a_retried_add_is_answered_once():
    j = ready_case(board=False)
    m = create()
    hdr = {"Idempotency-Key": "add-" + rand_letters(10)}
    st1, h1, d1 = req("POST", M + "/" + m["id"] + "/passengers",
                      {"cases": [j.id]}, headers=hdr)
    st2, h2, d2 = req("POST", M + "/" + m["id"] + "/passengers",
                      {"cases": [j.id]}, headers=hdr)
    assert st1 == st2 == 200, (st1, st2, d2)
    assert d1 == d2 and len(d1["added"]) == 1
    assert h2.get("Idempotent-Replayed") == "true"
    assert get(m["id"])["seats_taken"] == 1
    # without the key the same request finds the person already booked
    d3 = add(m["id"], cases=[j.id])
    assert "case.not_ready" in refused_codes(d3, j.pid())


@test
def a_change_keeps_the_seats_taken_and_the_booked_cases_follow_the_departure():
    j = ready_case(board=False)
    m = create()
    add(m["id"], cases=[j.id])
    m = get(m["id"])
    st, _, p = req("PATCH", M + "/" + m["id"], {"capacity": 0},
                   headers=if_match(m["version"]))
    assert_problem((st, _, p), 422)
    st, _, p = req("PATCH", M + "/" + m["id"], {"capacity": 5})
    assert st == 428, (st, p)
    st, _, p = req("PATCH", M + "/" + m["id"], {"capacity": 5},
                   headers=if_match(m["version"] - 1))
    assert st == 412, (st, p)
    st, _, p = req("PATCH", M + "/" + m["id"], {"type": "sea"},
                   headers=if_match(m["version"]))
    assert "type" in {e["field"] for e in assert_problem((st, _, p), 422)["errors"]}
    st, _, d = req("PATCH", M + "/" + m["id"],
                   {"legs": legs(dep=30), "reference": "CH-NEW"},
                   headers=if_match(m["version"]))
    assert st == 200, (st, d)
    assert d["version"] == m["version"] + 1 and d["reference"] == "CH-NEW"
    assert d["departs_at"] != m["departs_at"]
    assert j.get()["planned_departure"] == d["departs_at"][:16] + "Z"


@test
def an_unaccompanied_child_without_an_escort_blocks_the_confirmation():
    j = Journey(members=[child()])
    j.to_stage("ready")
    m = create()
    d = add(m["id"], cases=[j.id])
    assert len(d["added"]) == 1, d
    st, _, b = req("GET", M + "/" + m["id"] + "/board")
    assert [x["code"] for x in b["blockers"]] == ["escort.child"], b
    p = assert_problem(confirm(m["id"]), 409)
    named = [e for e in p["errors"] if e.get("person_id") == j.pid()]
    assert [e["code"] for e in named] == ["escort.child"], p
    assert get(m["id"])["status"] == "planned"


# --------------------------------------------------------------------------
# The day of travel
# --------------------------------------------------------------------------

@test
def the_board_says_who_still_needs_the_last_days_records():
    done, todo = ready_case(), ready_case(board=False)
    m = create()
    add(m["id"], cases=[done.id, todo.id])
    st, _, b = req("GET", M + "/" + m["id"] + "/board")
    assert st == 200, (st, b)
    by = {p["person_id"]: p for p in b["passengers"]}
    assert by[done.pid()]["boarding"]["met"], by[done.pid()]
    assert by[done.pid()]["due"] == []
    t = by[todo.pid()]
    assert t["booking"]["met"] and not t["boarding"]["met"], t
    assert sorted(x["code"] for x in t["due"]) == ["preembarkation",
                                                   "reconfirmation"]
    assert all(x["until"] == m["departs_at"] for x in t["due"])
    assert b["blockers"] == []


@test
def departure_moves_every_case_in_one_go_and_arrival_hands_them_over():
    a, b = ready_case(), ready_case([adult(), adult("spouse")])
    b.fill_board()
    m = create()
    add(m["id"], cases=[a.id, b.id])
    st, _, d = confirm(m["id"])
    assert st == 200 and d["status"] == "confirmed", (st, d)
    st, _, d = depart(m["id"])
    assert st == 200, (st, d)
    assert d["status"] == "departed"
    assert {p["status"] for p in d["passengers"]} == {"departed"}
    assert a.stage() == "departed" and b.stage() == "departed"
    # the sending office cannot confirm the arrival
    st, _, p = req("POST", M + "/" + m["id"] + "/arrive",
                   {"at": hours_from_now(0), "met_by": "x"},
                   headers=if_match(d["version"]))
    assert st == 403, (st, p)
    st, _, d = req("POST", M + "/" + m["id"] + "/arrive",
                   {"at": hours_from_now(0), "met_by": "Bamako reception team",
                    "notes": "all well"},
                   office="ML-BKO", headers=if_match(d["version"]))
    assert st == 200, (st, d)
    assert d["status"] == "arrived" and d["reception"]["met_by"]
    for j in (a, b):
        st, _, c = shared().request("GET", "/api/v1/cases/" + j.id,
                                    token=token("operations", "ML-BKO"))
        assert st == 200, (st, c)
        assert c["stage"] == "arrived" and c["receiving_office"] == "ML-BKO"


@test
def departure_is_refused_after_a_withdrawal_and_names_the_person():
    a, b = ready_case(), ready_case()
    m = create()
    add(m["id"], cases=[a.id, b.id])
    assert confirm(m["id"])[0] == 200
    a.step("withdraw", reason="wants to stay")
    st, _, p = depart(m["id"])
    p = assert_problem((st, _, p), 409)
    named = [e for e in p["errors"] if e.get("person_id") == a.pid()]
    assert named and any(a.display() in e["message"] for e in named), p
    assert not [e for e in p["errors"] if e.get("person_id") == b.pid()], p
    assert b.stage() == "booked" and get(m["id"])["status"] == "confirmed"
    # taken off, the rest departs
    st, _, d = req("POST", M + "/" + m["id"] + "/passengers/remove",
                   {"case_id": a.id, "reason": "withdrew"})
    assert st == 200, (st, d)
    assert a.stage() == "withdrawn"
    st, _, d = depart(m["id"])
    assert st == 200, (st, d)
    assert b.stage() == "departed"


@test
def a_withdrawal_racing_the_departure_never_both_succeed():
    cases = ready_cases(4)
    seen = set()
    for j in cases:
        m = create()
        add(m["id"], cases=[j.id])
        assert confirm(m["id"])[0] == 200
        version = get(m["id"])["version"]
        res = {}
        barrier = threading.Barrier(2)

        def go_depart():
            barrier.wait()
            res["depart"] = req("POST", M + "/" + m["id"] + "/depart",
                                {"at": hours_from_now(0)},
                                headers=if_match(version))[0]

        def go_withdraw():
            barrier.wait()
            res["withdraw"] = j.step("withdraw", reason="changed mind",
                                     expect=None)[0]

        ts = [threading.Thread(target=go_depart),
              threading.Thread(target=go_withdraw)]
        for t in ts:
            t.start()
        for t in ts:
            t.join(60)
        assert not (res["depart"] == 200 and res["withdraw"] == 200), res
        assert res["depart"] == 200 or res["withdraw"] == 200, res
        stage = j.stage()
        assert stage == ("departed" if res["depart"] == 200 else "withdrawn")
        seen.add(stage)
    print("outcomes:", sorted(seen))


@test
def cancelling_sends_the_booked_cases_back_to_ready():
    j = ready_case(board=False)
    m = create()
    add(m["id"], cases=[j.id])
    st, _, d = req("POST", M + "/" + m["id"] + "/cancel",
                   {"reason": "the charter was not authorised"})
    assert st == 200 and d["status"] == "cancelled", (st, d)
    assert d["cancel_reason"] == "the charter was not authorised"
    assert j.stage() == "ready"
    st, _, d = req("POST", M + "/" + m["id"] + "/passengers",
                   {"cases": [j.id]})
    assert st == 409, (st, d)


# --------------------------------------------------------------------------
# What a movement allows: its "steps" and "open", and the server's checks
# --------------------------------------------------------------------------

STEPS = ("confirm", "depart", "arrive", "cancel")


def try_step(m, step):
    """POST /movements/{id}/<step> with a valid body, by the office that
    takes the step (the receiving office confirms the arrival)."""
    body = {"confirm": None, "depart": {"at": hours_from_now(0)},
            "arrive": {"at": hours_from_now(0), "met_by": "reception"},
            "cancel": {"reason": "no longer needed"}}[step]
    office = "ML-BKO" if step == "arrive" else "EG-CAI"
    return req("POST", M + "/" + m["id"] + "/" + step, body, office=office,
               headers=if_match(m["version"]))


ALL_CARE = {"assistance": True, "onward": True, "allowance": True}
NO_CARE = {"assistance": False, "onward": False, "allowance": False}


def allows_what_it_says(m, expected_steps, expected_open, expected_care, pid=None):
    """The movement's steps, open and care are the expected ones, in the
    list too; every step not listed, and a change when not open, is
    refused with the movement's status named; with passenger pid, their
    onward transport and allowance are taken exactly when care says so."""
    assert m["steps"] == expected_steps, (m["status"], m["steps"])
    assert m["open"] is expected_open, (m["status"], m["open"])
    assert m["care"] == expected_care, (m["status"], m["care"])
    st, _, d = req("GET", M + "?status=" + m["status"])
    assert st == 200, (st, d)
    listed = [x for x in d["items"] if x["id"] == m["id"]]
    assert listed and listed[0]["steps"] == expected_steps, listed
    assert listed[0]["open"] is expected_open, listed
    assert listed[0]["care"] == expected_care, listed
    for what, body in (("allowance", {"amount_minor": 5000, "currency": "XOF"}),
                       ("onward", {"mode": "bus", "provider": "Sonef"})):
        if pid is None:
            break
        st, _, d = req("PUT", M + "/" + m["id"] + "/passengers/" + pid + "/" + what, body)
        assert st == (200 if expected_care[what] else 409), (m["status"], what, st, d)
    for step in STEPS:
        if step in m["steps"]:
            continue
        p = assert_problem(try_step(m, step), 409)
        assert p["detail"].startswith("the movement is %s; this needs"
                                      % m["status"]), (step, p)
    st, _, d = req("PATCH", M + "/" + m["id"], {"reference": m["reference"]},
                   headers=if_match(m["version"]))
    assert (st == 200) is expected_open, (m["status"], st, d)
    assert get(m["id"])["status"] == m["status"]


@test
def a_movement_lists_the_steps_its_status_allows_and_the_server_refuses_the_others():
    a = ready_case()
    m = create()
    add(m["id"], cases=[a.id])
    m = get(m["id"])
    pid = a.pid()
    allows_what_it_says(m, ["confirm", "cancel"], True, ALL_CARE, pid)
    st, _, d = try_step(get(m["id"]), "confirm")
    assert st == 200 and d["status"] == "confirmed", (st, d)
    allows_what_it_says(d, ["depart", "cancel"], True, ALL_CARE, pid)
    st, _, d = try_step(get(m["id"]), "depart")
    assert st == 200 and d["status"] == "departed", (st, d)
    allows_what_it_says(d, ["arrive"], False, ALL_CARE, pid)
    st, _, d = try_step(get(m["id"]), "arrive")
    assert st == 200 and d["status"] == "arrived", (st, d)
    # after arrival: the allowance (paid on arrival) and the airport
    # assistance may still be recorded, the onward transport no longer
    allows_what_it_says(d, [], False, dict(ALL_CARE, onward=False), pid)
    # cancel, listed while planned and while confirmed, is taken
    for confirmed in (False, True):
        c = create()
        if confirmed:
            assert confirm(c["id"])[0] == 200
        c = get(c["id"])
        assert "cancel" in c["steps"], c
        st, _, d = try_step(c, "cancel")
        assert st == 200 and d["status"] == "cancelled", (st, d)
        allows_what_it_says(d, [], False, NO_CARE)
    # the board's movement says the same
    st, _, b = req("GET", M + "/" + m["id"] + "/board")
    assert st == 200 and b["movement"]["steps"] == [], b
    assert b["movement"]["open"] is False, b


@test
def a_household_taken_off_goes_back_only_to_the_stages_the_schema_lists():
    st, _, schema = req("GET", "/api/v1/schema")
    assert st == 200, (st, schema)
    back = schema["movement_return_stages"]
    assert back == ["ready", "on_hold"], back
    stages = [x["name"] for x in schema["stages"]]
    assert set(back) <= set(stages), (back, stages)
    m = create()
    cases = [ready_case(board=False) for _ in back]
    add(m["id"], cases=[j.id for j in cases])
    # any other stage is refused, and the case stays booked
    for other in ("eligible", "withdrawn", "booked"):
        p = assert_problem(req("POST", M + "/" + m["id"] + "/passengers/remove",
                               {"case_id": cases[0].id, "reason": "x",
                                "then": other}), 422, fields=["then"])
        assert [e["message"] for e in p["errors"] if e["field"] == "then"] \
            == ["the case goes back to ready or on_hold"], p
        assert cases[0].stage() == "booked"
    for j, stage in zip(cases, back):
        st, _, d = req("POST", M + "/" + m["id"] + "/passengers/remove",
                       {"case_id": j.id, "reason": "changed plans",
                        "then": stage})
        assert st == 200, (stage, st, d)
        assert j.stage() == stage
    # a case not at the stage `book` is taken from is refused, as before
    j = Journey()
    j.to_stage("pre_departure")
    d = add(m["id"], cases=[j.id])
    blockers = [x for x in d["refused"] if x["person_id"] == j.pid()][0]
    assert {"code": "case.not_ready",
            "message": "the case of %s is at the stage pre_departure, not ready"
            % j.display()} in [{"code": b["code"], "message": b["message"]}
                               for b in blockers["blockers"]], blockers


# --------------------------------------------------------------------------
# Migration 16
# --------------------------------------------------------------------------

@test
def a_database_of_schema_15_migrates_to_movements_with_its_cases_intact():
    version = migration_version("CREATE TABLE movements")
    s = Server().start()
    try:
        s.ensure_office("EG-CAI", "Cairo", "EGY")
        tok = s.admin()
        ids = [create_case(case_body(), server=s, token=tok)["id"]
               for _ in range(5)]
        before = {i: s.request("GET", "/api/v1/cases/" + i, token=tok)[2]
                  for i in ids}
        s.stop()
        db = sqlite3.connect(s.db)
        try:
            downgrade(db, version - 1)
            db.commit()
            assert not db.execute("SELECT name FROM sqlite_master WHERE "
                                  "name='movements'").fetchall()
        finally:
            db.close()
        s.start()  # serve migrates
        tok = s.admin()
        for i in ids:
            st, _, after = s.request("GET", "/api/v1/cases/" + i, token=tok)
            assert st == 200 and after == before[i], (before[i], after)
        st, _, lst = s.request("GET", M, token=tok)
        assert st == 200 and lst["items"] == [], (st, lst)
        s.stop()
        db = sqlite3.connect(s.db)
        try:
            assert db.execute("PRAGMA user_version").fetchone()[0] >= version
        finally:
            db.close()
    finally:
        s.cleanup()


if __name__ == "__main__":
    main()
