"""What a case worker's dashboard needs from the API: the cases assigned to
them (`GET /cases?assigned=me`), and the number of cases per stage in the
offices they work for (`GET /case-counts`), counted by the server over all
cases, not a page of them."""
from harness import (test, shared, request, assert_problem, main, case_body, list_all_cases)


@test
def assigned_me_lists_the_cases_assigned_to_me_only():
    s = shared()
    s.ensure_office("EG-CAI", "Cairo", "EGY")
    me, tok = s.make_user(["registration"], ["EG-CAI"])
    other, _ = s.make_user(["registration"], ["EG-CAI"])
    mine = [request("POST", "/api/v1/cases", case_body(assigned_to=me), token=tok)[2]
            for _ in range(2)]
    request("POST", "/api/v1/cases", case_body(assigned_to=other), token=tok)
    st, _, data = request("GET", "/api/v1/cases?assigned=me&limit=200", token=tok)
    assert st == 200, (st, data)
    assert {c["id"] for c in data["items"]} == {c["id"] for c in mine}, data["items"]
    assert all(c["assigned_to"] == me for c in data["items"])
    assert all("planned_departure" in c for c in data["items"])
    st, _, data = request("GET", "/api/v1/cases?assigned=" + other + "&limit=200", token=tok)
    assert st == 200 and len(data["items"]) == 1, data
    st, _, data = request("GET", "/api/v1/cases?assigned=nobody-here", token=tok)
    assert_problem((st, _, data), 400, "bad-request")
    assert data["errors"][0]["field"] == "assigned", data


@test
def case_counts_match_the_cases_the_user_may_see():
    s = shared()
    s.ensure_office("EG-CAI", "Cairo", "EGY")
    s.ensure_office("DZ-TAM", "Tamanrasset", "DZA")
    request("POST", "/api/v1/cases", case_body(office="DZ-TAM"), token=s.admin())
    _, tok = s.make_user(["counsellor"], ["EG-CAI"])
    st, _, counts = request("GET", "/api/v1/case-counts", token=tok)
    assert st == 200, (st, counts)
    seen = list_all_cases(token=tok)
    by = {}
    for c in seen:
        by[c["stage"]] = by.get(c["stage"], 0) + 1
    assert counts["by_stage"] == by and counts["total"] == len(seen), (counts, by)
    assert all(c["office"] == "EG-CAI" for c in seen)
    # Of one office; an unknown office is a clear error.
    st, _, one = request("GET", "/api/v1/case-counts?office=DZ-TAM", token=s.admin())
    assert st == 200 and one["total"] >= 1, one
    assert_problem(request("GET", "/api/v1/case-counts?office=XX-NOP", token=tok), 400,
                   "bad-request")
    for role in ("partner", "donor"):
        _, t = s.make_user([role], ["EG-CAI"])
        assert_problem(request("GET", "/api/v1/case-counts", token=t), 403, "forbidden")


if __name__ == "__main__":
    main()
