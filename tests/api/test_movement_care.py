"""The care of a movement (src/app/movement_care.c): escorts (each takes a
seat; one on a full movement is refused, in the same transaction as the
count), the escort requirements that confirming checks (a medical need,
an unaccompanied child), airport assistance per leg, onward transport and
the travel allowance per passenger (money in integer minor units with an
ISO 4217 currency, refused at the field's path otherwise), the scope by
office (another office's user gets 404, the receiving office sees it) and
the permissions (403 without movement.manage).

Movements and their passengers are made through the movements module's routes
(POST /api/v1/movements, .../passengers): the cases go from Cairo
(EG-CAI) to Mali; the receiving office is Bamako (ML-BKO)."""
import threading

from harness import test, shared, assert_problem, main
from journey_util import child, health_body, escort_body, username
from test_movements import M, req, create, get, add, ready_case


def care(mid, suffix=""):
    return M + "/" + mid + suffix


def confirm(mid):
    """POST .../confirm at the movement's version: (status, body)."""
    m = get(mid)
    st, _, d = req("POST", care(mid, "/confirm"),
                   headers={"If-Match": '"%d"' % m["version"]})
    return st, d


def fields(resp, status=422):
    p = assert_problem(resp, status)
    return {e["field"] for e in p.get("errors", [])}


def booked(capacity=150, members=None, **kw):
    """A movement with one ready household on it: (movement, journey)."""
    j = ready_case(members)
    m = create(capacity=capacity, **kw)
    d = add(m["id"], cases=[j.id])
    assert len(d["added"]) == len(j.pids()), d
    return m, j


# --------------------------------------------------------------------------
# Escorts
# --------------------------------------------------------------------------

@test
def an_escort_takes_a_seat_and_one_on_a_full_movement_is_refused():
    m, j = booked(capacity=2)
    st, h, e = req("POST", care(m["id"], "/escorts"),
                   {"kind": "medical", "name": "Dr Fatoumata Keita",
                    "organisation": "Clinique du Fleuve",
                    "passengers": [j.pid()]})
    assert st == 201, (st, e)
    assert h["Location"] == care(m["id"], "/escorts/" + e["id"])
    assert e["kind"] == "medical" and e["passengers"] == [j.pid()], e
    assert e["accompanies"][0]["person_id"] == j.pid()
    assert get(m["id"])["seats_taken"] == 2
    # full: 1 passenger + 1 escort of 2 seats
    st, _, p = req("POST", care(m["id"], "/escorts"),
                   {"kind": "operational", "name": "Second Escort"})
    assert_problem((st, _, p), 409, "conflict")
    assert p["code"] == "movement.full", p
    assert p["seats_taken"] == 2 and p["capacity"] == 2, p
    assert "2 of 2" in p["detail"], p
    st, _, lst = req("GET", care(m["id"], "/escorts"))
    assert st == 200 and len(lst["items"]) == 1, lst
    assert lst["seats_taken"] == 2 and lst["capacity"] == 2
    # removed: the seat is free again, and the next one fits
    st, _, d = req("DELETE", care(m["id"], "/escorts/" + e["id"]))
    assert st == 204, (st, d)
    st, _, e2 = req("POST", care(m["id"], "/escorts"),
                    {"kind": "operational", "user": j.user("operations")})
    assert st == 201, (st, e2)
    assert e2["user"] == j.user("operations") and e2["organisation"] is None


@test
def two_planners_adding_escorts_for_the_last_seat_never_both_succeed():
    m, j = booked(capacity=3)      # one passenger: two seats left
    out = []
    barrier = threading.Barrier(3)

    def planner(k):
        barrier.wait()
        out.append(req("POST", care(m["id"], "/escorts"),
                       {"kind": "operational", "name": "Escort %d" % k}))

    threads = [threading.Thread(target=planner, args=(k,)) for k in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    codes = sorted(r[0] for r in out)
    assert codes == [201, 201, 409], [(r[0], r[2]) for r in out]
    assert get(m["id"])["seats_taken"] == 3


@test
def a_retried_escort_with_the_same_idempotency_key_takes_one_seat():
    m, j = booked(capacity=3)
    body = {"kind": "medical", "name": "Dr Retry", "passengers": [j.pid()]}
    key = {"Idempotency-Key": "escort-" + m["id"]}
    st1, _, e1 = req("POST", care(m["id"], "/escorts"), body, headers=key)
    st2, h2, e2 = req("POST", care(m["id"], "/escorts"), body, headers=key)
    assert st1 == 201 and st2 == 201, (st1, e1, st2, e2)
    assert e1["id"] == e2["id"] and h2.get("Idempotent-Replayed") == "true"
    assert get(m["id"])["seats_taken"] == 2
    assert_problem(req("POST", care(m["id"], "/escorts"),
                       dict(body, name="Someone Else"), headers=key), 422,
                   "idempotency-key-reused")


@test
def an_escort_names_a_staff_member_or_an_external_escort_and_passengers_of_this_movement():
    m, j = booked()
    other = ready_case()           # ready, but not on this movement
    path = care(m["id"], "/escorts")
    assert fields(req("POST", path, {"kind": "medical"})) >= {"user"}
    assert "name" in fields(req("POST", path, {"kind": "medical",
                                               "user": j.user("medical"),
                                               "name": "Both"}))
    assert "kind" in fields(req("POST", path, {"kind": "nurse", "name": "X"}))
    assert "user" in fields(req("POST", path, {"kind": "medical",
                                               "user": "no-such-user"}))
    got = fields(req("POST", path, {"kind": "medical", "name": "Dr X",
                                    "passengers": [j.pid(), other.pid()]}))
    assert got == {"passengers[1]"}, got
    assert "organisation" in fields(req("POST", path, {
        "kind": "medical", "user": j.user("medical"), "organisation": "X"}))
    # nothing was added
    assert req("GET", path)[2]["items"] == []
    # a change: staff member instead of the external escort, passengers kept
    st, _, e = req("POST", path, {"kind": "medical", "name": "Dr X",
                                  "organisation": "MSF",
                                  "passengers": [j.pid()]})
    assert st == 201, e
    st, _, e = req("PATCH", path + "/" + e["id"],
                   {"user": j.user("medical"), "kind": "operational"})
    assert st == 200, (st, e)
    assert e["user"] == j.user("medical") and e["organisation"] is None
    assert e["kind"] == "operational" and e["passengers"] == [j.pid()]
    st, _, e = req("PATCH", path + "/" + e["id"], {"passengers": []})
    assert st == 200 and e["passengers"] == [], e
    st, _, d = req("PATCH", path + "/01930000-0000-7000-8000-000000000000",
                   {"kind": "medical"})
    assert st == 404, (st, d)


@test
def a_passenger_needing_a_medical_escort_is_confirmed_only_with_one():
    j = ready_case()
    # the latest fitness-to-travel assessment asks for a medical escort
    j.record(health_body(j.pid(), "fit_with_conditions",
                         needs=["medical_escort"]))
    # the case's own escort record passes the booking check; the
    # movement still needs a medical escort of its own on board
    j.record(escort_body(j.pid(), "medical"))
    m = create()
    d = add(m["id"], cases=[j.id])
    assert len(d["added"]) == 1, d
    st, p = confirm(m["id"])
    assert st == 409, (st, p)
    assert "escort.medical" in str(p), p
    # an operational escort is not a medical one
    st, _, e = req("POST", care(m["id"], "/escorts"),
                   {"kind": "operational", "name": "Ops Escort",
                    "passengers": [j.pid()]})
    assert st == 201, e
    st, p = confirm(m["id"])
    assert st == 409 and "escort.medical" in str(p), (st, p)
    st, _, e = req("PATCH", care(m["id"], "/escorts/" + e["id"]),
                   {"kind": "medical"})
    assert st == 200, e
    st, p = confirm(m["id"])
    assert st == 200, (st, p)
    # confirmed: escorts still change; departed ones would not
    assert get(m["id"])["status"] == "confirmed"


@test
def an_unaccompanied_child_is_confirmed_only_with_an_escort():
    j = ready_case([child(15)])
    m = create()
    d = add(m["id"], cases=[j.id])
    assert len(d["added"]) == 1, d
    st, p = confirm(m["id"])
    assert st == 409 and "escort.child" in str(p), (st, p)
    st, _, e = req("POST", care(m["id"], "/escorts"),
                   {"kind": "operational", "name": "Child Escort",
                    "passengers": [j.pid()]})
    assert st == 201, e
    st, p = confirm(m["id"])
    assert st == 200, (st, p)


# --------------------------------------------------------------------------
# Airport assistance
# --------------------------------------------------------------------------

@test
def airport_assistance_is_per_leg_with_a_version():
    m = create()
    path = care(m["id"], "/assistance")
    partner = shared().ensure_partner("Caritas Mali", "MLI")  # its id
    st, h, a = req("POST", path, {"leg": 1, "point": "arrival",
                                  "meeting_point": "Bamako, arrivals hall",
                                  "partner": partner})
    assert st == 201, (st, a)
    assert a["status"] == "requested" and a["version"] == 1, a
    assert a["partner"]["name"] == "Caritas Mali" and h["ETag"] == '"1"'
    st, _, a0 = req("POST", path, {"leg": 0, "point": "transit",
                                   "user": username("operations")})
    assert st == 201, a0
    got = fields(req("POST", path, {"leg": 2, "point": "departure"}))
    assert got == {"leg"}, got        # two legs: 0 and 1
    assert "point" in fields(req("POST", path, {"leg": 0, "point": "lounge"}))
    assert "leg" in fields(req("POST", path, {"leg": 0.5, "point": "transit"}))
    assert "partner" in fields(req("POST", path, {
        "leg": 0, "point": "transit",
        "partner": "01930000-0000-7000-8000-000000000000"}))
    assert "partner" in fields(req("POST", path, {
        "leg": 0, "point": "transit", "user": "x1", "partner": partner}))
    lst = req("GET", path)[2]["items"]
    assert [(x["leg"], x["point"]) for x in lst] == [(0, "transit"),
                                                      (1, "arrival")], lst
    # a change names the version it read: an old one is refused
    one = path + "/" + a["id"]
    st, h, a = req("PATCH", one, {"status": "confirmed"},
                   headers={"If-Match": '"1"'})
    assert st == 200 and a["status"] == "confirmed" and a["version"] == 2, a
    assert a["meeting_point"] == "Bamako, arrivals hall"
    assert_problem(req("PATCH", one, {"status": "done"},
                       headers={"If-Match": '"1"'}), 412)
    assert "status" in fields(req("PATCH", one, {"status": "lost"}))
    st, _, a = req("PATCH", one, {"status": "done", "partner": None})
    assert st == 200 and a["status"] == "done" and a["partner"] is None, a


# --------------------------------------------------------------------------
# Onward transport and the travel allowance: money
# --------------------------------------------------------------------------

@test
def onward_transport_money_is_whole_minor_units_in_an_iso_4217_currency():
    m, j = booked()
    path = care(m["id"], "/passengers/" + j.pid() + "/onward")
    good = {"mode": "bus", "provider": "Sonef", "destination_pcode": "ML0701",
            "destination_admin_area": "Kayes",
            "cost": {"amount_minor": 15000, "currency": "XOF"}}
    for cost, field in (({"amount_minor": -100, "currency": "XOF"},
                         "cost.amount_minor"),
                        ({"amount_minor": 150.5, "currency": "XOF"},
                         "cost.amount_minor"),
                        ({"amount_minor": "150", "currency": "XOF"},
                         "cost.amount_minor"),
                        ({"amount_minor": 150, "currency": "XYZ"},
                         "cost.currency"),
                        ({"amount_minor": 150, "currency": "xof"},
                         "cost.currency"),
                        ({"amount_minor": 150}, "cost.currency")):
        got = fields(req("PUT", path, dict(good, cost=cost)))
        assert got == {field}, (cost, got)
    assert "destination_pcode" in fields(req("PUT", path, dict(
        good, destination_pcode="ML 07/01")))
    assert "mode" in fields(req("PUT", path, dict(good, mode="camel")))
    assert req("GET", care(m["id"], "/onward"))[2]["items"] == []
    st, _, o = req("PUT", path, good)
    assert st == 200, (st, o)
    assert o["cost"] == {"amount_minor": 15000, "currency": "XOF"}, o
    assert o["taken"] is None and o["person_id"] == j.pid()
    st, _, o = req("PUT", path, {"mode": "car", "cost": None})
    assert st == 200 and o["mode"] == "car" and o["cost"] is None, o
    lst = req("GET", care(m["id"], "/onward"))[2]["items"]
    assert [x["person_id"] for x in lst] == [j.pid()], lst
    assert req("DELETE", path)[0] == 204
    assert req("DELETE", path)[0] == 404
    # someone who is not a passenger of this movement
    other = ready_case()
    st, _, d = req("PUT", care(m["id"], "/passengers/" + other.pid() +
                               "/onward"), good)
    assert st == 404, (st, d)


@test
def a_travel_allowance_is_whole_minor_units_in_an_iso_4217_currency():
    m, j = booked()
    path = care(m["id"], "/passengers/" + j.pid() + "/allowance")
    for body, field in (({"amount_minor": -1, "currency": "XOF"},
                         "amount_minor"),
                        ({"amount_minor": 2.5, "currency": "XOF"},
                         "amount_minor"),
                        ({"amount_minor": 10 ** 13, "currency": "XOF"},
                         "amount_minor"),
                        ({"amount_minor": 100, "currency": "ABC"},
                         "currency"),
                        ({"amount_minor": 100, "currency": "EURO"},
                         "currency"),
                        ({"currency": "EUR"}, "amount_minor")):
        got = fields(req("PUT", path, body))
        assert got == {field}, (body, got)
    st, _, a = req("PUT", path, {"amount_minor": 50000, "currency": "XOF",
                                 "budget_line": "EUTF-MLI-2.1"})
    assert st == 200, (st, a)
    assert a["amount_minor"] == 50000 and a["currency"] == "XOF", a
    assert a["recorded_by"] == j.user("operations")
    st, _, a = req("PUT", path, {"amount_minor": 0, "currency": "EGP"})
    assert st == 200 and a["budget_line"] is None, a
    lst = req("GET", care(m["id"], "/allowances"))[2]["items"]
    assert [(x["amount_minor"], x["currency"]) for x in lst] == [(0, "EGP")]


# --------------------------------------------------------------------------
# Scope and permissions
# --------------------------------------------------------------------------

@test
def another_office_gets_404_and_the_receiving_office_sees_the_care():
    m, j = booked()
    st, _, e = req("POST", care(m["id"], "/escorts"),
                   {"kind": "operational", "name": "Ops Escort"})
    assert st == 201, e
    for method, suffix, body in (
            ("GET", "/escorts", None),
            ("POST", "/escorts", {"kind": "operational", "name": "X"}),
            ("DELETE", "/escorts/" + e["id"], None),
            ("GET", "/assistance", None),
            ("POST", "/assistance", {"leg": 0, "point": "departure"}),
            ("GET", "/onward", None),
            ("PUT", "/passengers/" + j.pid() + "/allowance",
             {"amount_minor": 1, "currency": "XOF"})):
        st, _, d = req(method, care(m["id"], suffix), body, office="DZ-TAM")
        assert st == 404, (method, suffix, st, d)
    st, _, lst = req("GET", care(m["id"], "/escorts"), office="ML-BKO")
    assert st == 200 and len(lst["items"]) == 1, (st, lst)
    st, _, a = req("POST", care(m["id"], "/assistance"),
                   {"leg": 1, "point": "arrival"}, office="ML-BKO")
    assert st == 201, (st, a)


@test
def roles_without_movement_manage_may_read_but_not_change_the_care():
    m, j = booked()
    for role in ("counsellor", "medical", "registration"):
        st, _, d = req("POST", care(m["id"], "/escorts"),
                       {"kind": "medical", "name": "Dr X"}, role=role)
        assert_problem((st, _, d), 403, "forbidden")
        st, _, d = req("PUT", care(m["id"], "/passengers/" + j.pid() +
                                   "/allowance"),
                       {"amount_minor": 1, "currency": "XOF"}, role=role)
        assert st == 403, (role, st, d)
        st, _, d = req("GET", care(m["id"], "/escorts"), role=role)
        assert st == 200, (role, st, d)
    st, _, d = req("POST", care(m["id"], "/escorts"),
                   {"kind": "medical", "name": "Dr X"}, role="manager")
    assert st == 201, (st, d)


if __name__ == "__main__":
    main()
