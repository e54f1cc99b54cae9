"""Races on a movement that test_movements.py and test_movement_care.py do
not already run:

  * the last seats of a movement that is nearly full, taken at once by a
    planner adding a household of two, a planner adding two people who
    travel alone and a planner adding an escort: whatever the order, the
    seats end exactly full, never over, and the household is never split;
  * a withdrawal racing the departure, round after round, with the
    withdrawal sent a little before, at the same time as and a little
    after the departure, until both orders have been seen: never both
    succeed, and the case's stage is the one of the request that won.

Cases go from Cairo (EG-CAI) to Mali; the receiving office is Bamako."""
import threading
import time

from harness import test, main
from journey_util import adult, hours_from_now
from test_journey import prepare_parallel
from test_movements import (M, req, create, get, add, if_match, ready_case,
                            ready_cases)


def race(*fns):
    """Runs the functions at once (after one barrier); their results."""
    out = [None] * len(fns)
    barrier = threading.Barrier(len(fns))

    def run(i):
        barrier.wait()
        out[i] = fns[i]()
    ts = [threading.Thread(target=run, args=(i,)) for i in range(len(fns))]
    for t in ts:
        t.start()
    for t in ts:
        t.join(60)
    return out


def escort(mid, name):
    return req("POST", M + "/" + mid + "/escorts",
               {"kind": "operational", "name": name})


@test
def the_last_two_seats_go_to_whoever_comes_first_and_never_one_more():
    rounds = 3
    solos = ready_cases(2 * rounds, board=False)   # the staff made first
    households = prepare_parallel(
        rounds, lambda: ready_case([adult(), adult("spouse")], board=False))
    orders = set()
    for k in range(rounds):
        hh, s1, s2 = households[k], solos[2 * k], solos[2 * k + 1]
        m = create(capacity=5)
        for i in range(3):        # three seats taken by escorts
            st, _, e = escort(m["id"], "Escort %d" % i)
            assert st == 201, (st, e)
        a, b, e = race(
            lambda: req("POST", M + "/" + m["id"] + "/passengers",
                        {"cases": [hh.id]}),
            lambda: req("POST", M + "/" + m["id"] + "/passengers",
                        {"cases": [s1.id, s2.id]}),
            lambda: escort(m["id"], "Late Escort"))
        assert a[0] == 200 and b[0] == 200, (a, b)
        assert e[0] in (201, 409), e
        mv = get(m["id"])
        booked = [p for p in mv["passengers"] if p["status"] == "booked"]
        st, _, esc = req("GET", M + "/" + m["id"] + "/escorts")
        assert mv["seats_taken"] == len(booked) + len(esc["items"]), \
            (mv["seats_taken"], booked, esc)
        assert mv["seats_taken"] == 5, (mv, a, b, e)
        # the household travels whole or not at all
        got = {p["person_id"] for p in booked}
        assert set(hh.pids()) <= got or not (set(hh.pids()) & got), got
        assert hh.stage() == ("booked" if set(hh.pids()) <= got
                              else "ready")
        for j in (s1, s2):
            assert j.stage() == ("booked" if j.pid() in got else "ready")
        # every refusal is movement.full, with the count
        for resp in (a, b):
            for x in resp[2]["refused"]:
                assert [bl["code"] for bl in x["blockers"]] == \
                    ["movement.full"], x
                assert "of 5" in x["blockers"][0]["message"], x
        orders.add(("household" if set(hh.pids()) <= got else "") +
                   ("+solo" if (s1.pid() in got or s2.pid() in got) else "") +
                   ("+escort" if e[0] == 201 else ""))
    print("who got the seats:", sorted(orders))


@test
def a_withdrawal_sent_before_with_or_after_the_departure_never_both_succeed():
    # withdrawal delay relative to the departure, in seconds: negative
    # sends it first; the middle rounds are a true race
    delays = [-0.05, 0.05, -0.01, 0.01, 0, 0, 0, 0, -0.002, 0.002]
    cases = ready_cases(len(delays))
    seen = {}
    for j, delay in zip(cases, delays):
        m = create()
        add(m["id"], cases=[j.id])
        st, _, c = req("POST", M + "/" + m["id"] + "/confirm",
                       headers=if_match(get(m["id"])["version"]))
        assert st == 200, (st, c)
        version = c["version"]

        def go_depart():
            if delay < 0:
                time.sleep(-delay)
            return req("POST", M + "/" + m["id"] + "/depart",
                       {"at": hours_from_now(0)},
                       headers=if_match(version))[0]

        def go_withdraw():
            if delay > 0:
                time.sleep(delay)
            return j.step("withdraw", reason="changed mind", expect=None)[0]

        dep, wd = race(go_depart, go_withdraw)
        assert not (dep == 200 and wd == 200), (delay, dep, wd)
        assert dep == 200 or wd == 200, (delay, dep, wd)
        assert dep in (200, 409) and wd in (200, 409), (delay, dep, wd)
        stage = j.stage()
        status = get(m["id"])["status"]
        if dep == 200:
            assert stage == "departed" and status == "departed", \
                (delay, stage, status)
        else:
            assert stage == "withdrawn" and status == "confirmed", \
                (delay, stage, status)
        seen.setdefault(stage, []).append(delay)
    print("outcomes by delay:", seen)
    assert set(seen) == {"departed", "withdrawn"}, seen


if __name__ == "__main__":
    main()
