"""Hand-over: the receiving office in the country of return sees a case
once it is handed over to it — the case, its person, its place in lists
and searches — and not before; only operations and programme managers hand
over, and only to an office in the country of return."""
from harness import test, shared, request, assert_problem, main
from journey_util import Journey, adult, staff


def _bamako():
    s = shared()
    s.ensure_office("ML-BKO", "Bamako", "MLI")
    return s.make_user(["reintegration"], ["ML-BKO"])[1]


@test
def the_receiving_office_sees_a_case_once_it_is_handed_over():
    name = "HANDOVER" + shared().admin_user[:4].upper()
    j = Journey(members=[adult(name=name + " DIALLO", name_latin=name + " DIALLO")],
                destination="MLI")
    bko = _bamako()
    # Before: the Bamako office does not know the case exists.
    assert_problem(request("GET", "/api/v1/cases/" + j.id, token=bko), 404, "not-found")
    assert_problem(request("GET", "/api/v1/persons/" + j.pid(), token=bko), 404, "not-found")
    found = request("GET", "/api/v1/cases?limit=200&q=" + name, token=bko)[2]
    assert all(c["id"] != j.id for c in found["items"]), found

    st, h, c = j.req("POST", "/handover", {"office": "ML-BKO"}, role="operations")
    assert st == 200, (st, c)
    assert c["receiving_office"] == "ML-BKO" and c["office"] == j.office, c
    assert c["version"] == j.case["version"] + 1 and h["ETag"] == '"%d"' % c["version"], c

    # After: the case, the person, the list and the name search.
    st, _, got = request("GET", "/api/v1/cases/" + j.id, token=bko)
    assert st == 200 and got["receiving_office"] == "ML-BKO", (st, got)
    assert request("GET", "/api/v1/persons/" + j.pid(), token=bko)[0] == 200
    found = request("GET", "/api/v1/cases?limit=200&q=" + name, token=bko)[2]
    assert any(c["id"] == j.id for c in found["items"]), found
    persons = request("GET", "/api/v1/persons?q=" + name, token=bko)[2]
    assert any(p["id"] == j.pid() for p in persons["items"]), persons
    events = j.req("GET", "/events")[2]
    events = events["items"] if isinstance(events, dict) else events
    assert any(e["kind"] == "handed_over" and e["data"]["office"] == "ML-BKO" for e in events)
    # Another office in Mali that was not chosen still does not see it.
    s = shared()
    s.ensure_office("ML-KYS", "Kayes", "MLI")
    _, kys = s.make_user(["reintegration"], ["ML-KYS"])
    assert request("GET", "/api/v1/cases/" + j.id, token=kys)[0] == 404


@test
def only_operations_and_managers_hand_over_and_only_to_the_country_of_return():
    j = Journey(destination="MLI")
    shared().ensure_office("ML-BKO", "Bamako", "MLI")
    for role in ("registration", "counsellor", "medical"):
        assert_problem(j.req("POST", "/handover", {"office": "ML-BKO"}, role=role), 403,
                       "forbidden")
    st, _, p = j.req("POST", "/handover", {"office": "EG-CAI"}, role="operations")
    assert_problem((st, _, p), 422, "validation")
    assert p["errors"][0]["field"] == "office" and "MLI" in p["errors"][0]["message"], p
    st, _, p = j.req("POST", "/handover", {"office": "XX-NOP"}, role="operations")
    assert_problem((st, _, p), 422, "validation")
    st, _, p = j.req("POST", "/handover", {"office": "ML-BKO", "extra": 1}, role="operations")
    assert_problem((st, _, p), 422, "validation")
    assert j.req("POST", "/handover", {"office": "ML-BKO"}, role="manager")[0] == 200
    # An office outside the user's own cannot be reached through a hand-over.
    other = staff("DZ-TAM")["operations"][1]
    assert_problem(j.req("POST", "/handover", {"office": "ML-BKO"}, token=other), 404,
                   "not-found")


if __name__ == "__main__":
    main()
