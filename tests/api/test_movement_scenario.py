"""The scenario of issue 11: one charter from Cairo (EG-CAI) via Algiers to
Bamako (ML-BKO) with every kind of blocker, driven from booking to arrival
through the real server.

The passengers (each a case that reached `ready` with every record of the
journey, built here and nowhere else):

  family   a mother, her elderly husband and their son of 8: travel
  pregnant a woman travelling alone: travels
  medical  a man whose fitness-to-travel assessment asks for a medical
           escort: blocks the confirmation until the movement has one
           assigned to him, then travels
  doc_hh   a household of two; after `ready` the consulate's replacement
           laissez-passer of the second member expires the day before
           departure: refused at booking, whole, naming that member
  doc      one whose laissez-passer is replaced after booking by one that
           expires the day before departure: blocks the departure
  child    an unaccompanied child with no escort on the movement: blocks
           the confirmation; taken off (on hold)
  withdraw one who withdraws after the confirmation: blocks the departure
  area     one going to an admin area that a restriction suspends after the
           confirmation: blocks the departure
  old_pre  one whose pre-embarkation check was made 80 hours before the
           departure (the window is 72): shown as due on the board, blocks
           the departure
  noshow1, noshow2   did not come: removed as no-shows (back to `ready`,
           and `on_hold`)

What the test holds the server to: each refusal lists exactly the blocked
persons, each with the right code and a sentence naming the person; a
refused confirmation or departure changes nothing; the manifest's counts
are exactly those of who is still on board (and the escort); exactly the
expected cases reach `departed`, then `arrived` at the receiving office,
and every other case is where its removal put it."""
import datetime
import threading

from harness import test, shared, assert_problem, rand_letters, main
from journey_util import (Journey, adult, child, token, hours_from_now,
                          health_body, escort_body, travel_document_body,
                          reconfirmation_body)
from test_movements import M, req, create, get, add, if_match

R = "/api/v1/restrictions"


def birth(dep, years, plus_days=0):
    """A date of birth making the person `years` old on the day dep."""
    d = dep.replace(year=dep.year - years) + datetime.timedelta(
        days=plus_days)
    return d.isoformat()


def no_documents(rel="principal", **over):
    """An adult whose only travel document will be a laissez-passer
    record (so that record alone decides whether the document is valid)."""
    return adult(rel, documents=[], **over)


def journey(members, area=None, before_ready=None, board=True,
            board_skip=()):
    j = Journey(members=members, area=area)
    if before_ready:
        before_ready(j)
    j.to_stage("ready")
    if board:
        j.fill_board(skip=board_skip)
    return j


def laissez_passer(j, i, expiry):
    j.record(travel_document_body(j.pid(i), expiry=expiry))


# Requirements of the whole case: their sentence names the place or the
# decision; the error names each member by person_id.
CASE_WIDE = {"restriction.suspended", "restriction.approval",
             "eligibility.decision", "departure.planned"}


def errors_by_person(problem):
    """person_id -> set of codes, and person_id -> the sentences naming
    the person (every error names its person by id)."""
    codes, msgs = {}, {}
    for e in problem.get("errors", []):
        pid = e.get("person_id")
        assert pid, "every error names a person: %r" % (e,)
        codes.setdefault(pid, set()).add(e["code"])
        if e["code"] not in CASE_WIDE:
            msgs.setdefault(pid, []).append(e["message"])
    return codes, msgs


def remove(mid, j, reason, no_show=False, then=None):
    body = {"case_id": j.id, "reason": reason, "no_show": no_show}
    if then:
        body["then"] = then
    st, _, d = req("POST", M + "/" + mid + "/passengers/remove", body)
    assert st == 200, (st, d)
    return d


def act(mid, action, body=None, office="EG-CAI"):
    m = get(mid, office=office)
    return req("POST", M + "/" + mid + "/" + action, body, office=office,
               headers=if_match(m["version"]))


@test
def a_charter_with_every_kind_of_blocker_departs_and_arrives_with_exactly_the_cleared():
    m = create(capacity=30, dep=2)
    mid = m["id"]
    dep = datetime.date.fromisoformat(m["departs_at"][:10])
    day_before = (dep - datetime.timedelta(days=1)).isoformat()
    area_r = "Area " + rand_letters(8).capitalize()

    def lp_valid(j):
        """A laissez-passer valid a year past the departure, each member."""
        for i in range(len(j.pids())):
            laissez_passer(j, i, (dep + datetime.timedelta(days=365))
                           .isoformat())

    def medical_need(j):
        j.record(health_body(j.pid(), "fit_with_conditions",
                             needs=["medical_escort"]))
        j.record(escort_body(j.pid(), "medical"))

    makers = {
        "family": lambda: journey([
            adult(sex="female", date_of_birth=birth(dep, 34)),
            adult("spouse", sex="male", date_of_birth=birth(dep, 61),
                  vulnerabilities=["elderly"]),
            child(rel="child", flags=(), sex="male",
                  date_of_birth=birth(dep, 8))]),
        "pregnant": lambda: journey([adult(
            sex="female", date_of_birth=birth(dep, 25),
            vulnerabilities=["pregnant"])]),
        "medical": lambda: journey([adult(
            sex="male", date_of_birth=birth(dep, 52))]),
        "doc_hh": lambda: journey([no_documents(), no_documents("spouse")],
                                  before_ready=lp_valid, board=False),
        "doc": lambda: journey([no_documents()], before_ready=lp_valid),
        "child": lambda: journey([child(15)]),
        "withdraw": lambda: journey([adult()]),
        "area": lambda: journey([adult()], area=area_r),
        "old_pre": lambda: journey([adult()], board_skip=("pre:0",)),
        "noshow1": lambda: journey([adult()], board=False),
        "noshow2": lambda: journey([adult()], board=False),
    }
    names = list(makers)
    journey([adult()], board=False)        # the office's staff, made once
    js = build_all(makers)
    # after `ready`: the medical need, the late document, the old check
    medical_need(js["medical"])
    laissez_passer(js["doc_hh"], 1, day_before)
    js["old_pre"].record(health_body(js["old_pre"].pid(),
                                     at=hours_from_now(-80),
                                     pre_embarkation=True))
    for n in names:
        assert js[n].stage() == "ready", (n, js[n].stage())

    # ---- booking: one request for every household -------------------
    d = add(mid, cases=[js[n].id for n in names])
    blocked_hh = js["doc_hh"]
    refused = {e["person_id"]: e for e in d["refused"]}
    assert set(refused) == set(blocked_hh.pids()), d["refused"]
    for i, pid in enumerate(blocked_hh.pids()):
        codes = {b["code"] for b in refused[pid]["blockers"]}
        want = {"household.blocked"} | ({"document.valid"} if i == 1
                                        else set())
        assert codes == want, (i, refused[pid])
        hh = [b["message"] for b in refused[pid]["blockers"]
              if b["code"] == "household.blocked"][0]
        assert blocked_hh.display(1) in hh, hh
    doc_msg = [b["message"] for b in refused[blocked_hh.pid(1)]["blockers"]
               if b["code"] == "document.valid"][0]
    assert blocked_hh.display(1) in doc_msg and day_before in doc_msg, doc_msg
    on_board = [n for n in names if n != "doc_hh"]
    want_added = {pid for n in on_board for pid in js[n].pids()}
    assert {x["person_id"] for x in d["added"]} == want_added, d["added"]
    assert blocked_hh.stage() == "ready"
    assert all(js[n].stage() == "booked" for n in on_board)
    assert d["movement"]["seats_taken"] == len(want_added)   # 13

    # ---- the board: who still needs the last days' records, escorts ----
    st, _, b = req("GET", M + "/" + mid + "/board")
    assert st == 200, (st, b)
    by = {p["person_id"]: p for p in b["passengers"]}
    assert set(by) == want_added, by.keys()
    old = by[js["old_pre"].pid()]
    assert old["booking"]["met"] and not old["boarding"]["met"], old
    assert [x["code"] for x in old["boarding"]["blockers"]] == \
        ["health.pre_embarkation"], old
    assert [x["code"] for x in old["due"]] == ["preembarkation"], old
    for n in ("noshow1", "noshow2"):
        assert sorted(x["code"] for x in by[js[n].pid()]["due"]) == \
            ["preembarkation", "reconfirmation"], by[js[n].pid()]
    for n in ("family", "pregnant", "medical", "doc", "withdraw", "area"):
        for pid in js[n].pids():
            assert by[pid]["boarding"]["met"] and by[pid]["due"] == [], \
                (n, by[pid])
    assert {(x["person_id"], x["code"]) for x in b["blockers"]} == {
        (js["medical"].pid(), "escort.medical"),
        (js["child"].pid(), "escort.child")}, b["blockers"]

    # ---- confirmation: refused for the escorts, naming both -------------
    p = assert_problem(act(mid, "confirm"), 409)
    codes, msgs = errors_by_person(p)
    assert codes == {js["medical"].pid(): {"escort.medical"},
                     js["child"].pid(): {"escort.child"}}, p
    for n in ("medical", "child"):   # (the escort sentences name the
        # person as written, not in capitals as the journey's do)
        assert any(js[n].display() in s.upper()
                   for s in msgs[js[n].pid()]), msgs
    assert get(mid)["status"] == "planned"
    st, _, e = req("POST", M + "/" + mid + "/escorts",
                   {"kind": "medical", "name": "Dr Awa Diallo",
                    "organisation": "Clinique du Fleuve",
                    "passengers": [js["medical"].pid()]})
    assert st == 201, (st, e)
    remove(mid, js["child"], "no escort is free for the child",
           then="on_hold")
    st, _, c = act(mid, "confirm")
    assert st == 200 and c["status"] == "confirmed", (st, c)

    # ---- after the confirmation: what changes before the day ----------
    js["withdraw"].step("withdraw", reason="wants to stay with a cousin")
    laissez_passer(js["doc"], 0, day_before)
    st, _, res = req("POST", R, {
        "country": "MLI", "admin_area": area_r.upper(), "kind": "suspended",
        "effective_from": (dep - datetime.timedelta(days=1)).isoformat(),
        "effective_until": None, "reason": "fighting near the town",
        "next_review": (dep + datetime.timedelta(days=60)).isoformat()},
        role="manager")
    assert st == 201, (st, res)
    try:
        _the_day(mid, js, names, dep, c)
    finally:
        cur = req("GET", R + "/" + res["id"], role="manager")[2]
        st, _, x = req("PATCH", R + "/" + res["id"], {
            "effective_from": (dep - datetime.timedelta(days=60)).isoformat(),
            "effective_until": (dep - datetime.timedelta(days=1)).isoformat()},
            role="manager", headers=if_match(cur["version"]))
        assert st == 200, (st, x)


def build_all(makers):
    """name -> Journey, every maker run on its own thread."""
    out, errs = {}, []

    def work(n):
        try:
            out[n] = makers[n]()
        except BaseException as e:   # noqa
            errs.append(e)
    ts = [threading.Thread(target=work, args=(n,)) for n in makers]
    for t in ts:
        t.start()
    for t in ts:
        t.join(300)
    if errs:
        raise errs[0]
    return out


def _the_day(mid, js, names, dep, confirmed):
    # ---- the board shows what changed since the booking ----------------
    st, _, b = req("GET", M + "/" + mid + "/board")
    assert st == 200, (st, b)
    by = {p["person_id"]: p for p in b["passengers"]}
    pid = {n: js[n].pid() for n in js}
    assert {k for k, p in by.items() if not p["booking"]["met"]} == {
        pid["withdraw"], pid["doc"], pid["area"]}, by
    assert {k for k, p in by.items() if not p["boarding"]["met"]} == {
        pid["withdraw"], pid["doc"], pid["area"], pid["old_pre"],
        pid["noshow1"], pid["noshow2"]}, by
    for n, code in (("doc", "document.valid"),
                    ("area", "restriction.suspended")):
        got = [x["code"] for x in by[pid[n]]["booking"]["blockers"]]
        assert code in got, (n, by[pid[n]])
    assert b["blockers"] == [], b["blockers"]

    # ---- departure: refused, naming exactly the four and why ------------
    before = get(mid)
    p = assert_problem(act(mid, "depart", {"at": hours_from_now(0)}), 409)
    codes, msgs = errors_by_person(p)
    want = {js["withdraw"].pid(): "case.stage",
            js["doc"].pid(): "document.valid",
            js["area"].pid(): "restriction.suspended",
            js["old_pre"].pid(): "health.pre_embarkation"}
    assert set(codes) == set(want) | {js[n].pid() for n in
                                      ("noshow1", "noshow2")}, codes
    for pid, code in want.items():
        assert code in codes[pid], (pid, code, codes[pid])
    for n in ("noshow1", "noshow2"):
        assert codes[js[n].pid()] == {"reconfirmation",
                                      "health.pre_embarkation"}, codes
    n_of = {js[n].pid(): n for n in js}
    for pid in msgs:
        j = js[n_of[pid]]
        assert all(j.display() in s for s in msgs[pid]), (n_of[pid], msgs)
    # the withdrawal says so; the restriction gives the place and reason
    assert any("withdrawn" in s for s in msgs[js["withdraw"].pid()]), msgs
    area = [e for e in p["errors"] if e["person_id"] == js["area"].pid()]
    assert [e["code"] for e in area] == ["restriction.suspended"], area
    assert area[0]["case_id"] == js["area"].id
    assert "fighting near the town" in area[0]["message"] and \
        js["area"].case["destination_admin_area"].upper() in \
        area[0]["message"], area
    # nothing changed
    after = get(mid)
    assert after["status"] == "confirmed" and \
        after["version"] == before["version"], after
    for n in ("family", "pregnant", "medical", "doc", "area", "old_pre",
              "noshow1", "noshow2"):
        assert js[n].stage() == "booked", (n, js[n].stage())

    # ---- taking them off ------------------------------------------------
    remove(mid, js["withdraw"], "withdrew before departure")
    remove(mid, js["doc"], "laissez-passer expires before the flight")
    remove(mid, js["area"], "return to the area is suspended",
           then="on_hold")
    remove(mid, js["old_pre"], "pre-embarkation check too old",
           then="on_hold")
    remove(mid, js["noshow1"], "did not come to the airport", no_show=True)
    remove(mid, js["noshow2"], "did not come to the airport", no_show=True,
           then="on_hold")

    # ---- the manifest: exactly who is on board, and the escort ---------
    travel = ("family", "pregnant", "medical")
    st, _, man = req("GET", M + "/" + mid + "/manifest")
    assert st == 200, (st, man)
    assert [x["person_id"] for x in man["passengers"]] == \
        [pid for n in sorted(travel, key=lambda n: js[n].case["number"])
         for pid in js[n].pids()], man["passengers"]
    cnt = man["counts"]
    assert cnt["passengers"] == 5 and cnt["escorts"] == 1, cnt
    assert cnt["sex"] == {"female": 2, "male": 3}, cnt
    assert cnt["age_group"] == {"0-4": 0, "5-11": 1, "12-17": 0,
                                "18-59": 3, "60+": 1}, cnt
    assert {k: v for k, v in cnt["vulnerability"].items() if v} == \
        {"elderly": 1, "pregnant": 1}, cnt
    assert [e["name"] for e in man["escorts"]] == ["Dr Awa Diallo"], man

    # ---- departure, then arrival: exactly the cleared ----------------
    st, _, d = act(mid, "depart", {"at": hours_from_now(0)})
    assert st == 200 and d["status"] == "departed", (st, d)
    went = {pid for n in travel for pid in js[n].pids()}
    status = {x["person_id"]: x["status"] for x in d["passengers"]}
    assert {pid for pid, s in status.items() if s == "departed"} == went, \
        status
    assert status[js["noshow1"].pid()] == "no_show"
    assert status[js["withdraw"].pid()] == "removed"
    stages = {n: js[n].stage() for n in names}
    assert stages == {
        "family": "departed", "pregnant": "departed", "medical": "departed",
        "doc_hh": "ready", "doc": "ready", "child": "on_hold",
        "withdraw": "withdrawn", "area": "on_hold", "old_pre": "on_hold",
        "noshow1": "ready", "noshow2": "on_hold"}, stages

    st, _, a = act(mid, "arrive", {"at": hours_from_now(0),
                                   "met_by": "Bamako reception team"},
                   office="ML-BKO")
    assert st == 200 and a["status"] == "arrived", (st, a)
    assert {x["person_id"] for x in a["passengers"]
            if x["status"] == "arrived"} == went, a["passengers"]
    for n in names:
        office = "ML-BKO" if n in travel else "EG-CAI"
        st, _, c = shared().request("GET", "/api/v1/cases/" + js[n].id,
                                    token=token("operations", office))
        assert st == 200, (n, st, c)
        if n in travel:
            assert c["stage"] == "arrived" and \
                c["receiving_office"] == "ML-BKO", (n, c)
        else:
            assert c["stage"] == stages[n], (n, c["stage"], stages[n])


if __name__ == "__main__":
    main()
