"""Cases: create, read, list (filters, paging), events, post-back."""
import re

from harness import (test, shared, request, admin, assert_problem,
                     case_body, person, create_case, get_case, list_all_cases,
                     urlquote, main)

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
TS = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z"


@test
def create_case_returns_201_location_etag_and_server_fields():
    body = case_body()
    st, h, c = request("POST", "/api/v1/cases", body, token=admin())
    assert st == 201, (st, c)
    assert re.fullmatch(UUID, c["id"]), c["id"]
    assert (h.get("Location") or "").endswith("/api/v1/cases/" + c["id"]), \
        h.get("Location")
    assert h.get("ETag") == '"1"', h.get("ETag")
    assert c["version"] == 1
    assert c["stage"] == "registered"
    assert re.fullmatch(r"EG-CAI-\d{4}-\d{6}", c["number"]), c["number"]
    assert re.fullmatch(TS, c["created_at"]), c["created_at"]
    assert re.fullmatch(TS, c["updated_at"]), c["updated_at"]
    assert c["office"] == "EG-CAI"
    m = c["members"][0]
    assert m["relationship"] == "principal"
    assert re.fullmatch(UUID, m["person_id"]), m
    assert m["person"]["id"] == m["person_id"]


@test
def case_number_year_and_timestamps_are_current():
    import datetime
    now = datetime.datetime.now(datetime.timezone.utc)
    c = create_case()
    assert c["number"].split("-")[2] == str(now.year), c["number"]
    created = datetime.datetime.strptime(c["created_at"][:19],
                                         "%Y-%m-%dT%H:%M:%S").replace(
        tzinfo=datetime.timezone.utc)
    assert abs((created - now).total_seconds()) < 300, c["created_at"]
    assert c["updated_at"] == c["created_at"]


@test
def person_id_inside_person_is_ignored_on_create():
    first = create_case()
    old = first["members"][0]["person"]
    body = case_body()
    body["members"][0]["person"]["id"] = old["id"]    # server-owned: ignored
    c = create_case(body)
    new = c["members"][0]["person"]
    assert new["id"] != old["id"], "person.id in a POST linked/overwrote " \
        "an existing person"
    assert new["name"] == body["members"][0]["person"]["name"]
    st, _, g = get_case(first["id"])
    assert g["members"][0]["person"]["name"] == old["name"], \
        "an existing person was overwritten"


@test
def created_case_reads_back_identically():
    body = case_body(destination_admin_area="Kayes",
                     destination_pcode="ML01", project="EU-IOM JI",
                     notes="ملاحظة: العودة إلى كايس\nline two")
    body["members"].append({"relationship": "child", "person": person(
        name="فاطمة", name_latin="Fatima", sex="female",
        date_of_birth="2015-03", dob_precision="month",
        nationality="MLI", languages=["bm"], documents=[],
        vulnerabilities=["separated_child"])})
    c = create_case(body)
    st, h, g = get_case(c["id"])
    assert st == 200, (st, g)
    assert h.get("ETag") == '"1"', h.get("ETag")
    for k in ("office", "origin_country", "destination_country",
              "destination_admin_area", "destination_pcode", "project",
              "notes"):
        assert g[k] == body[k], (k, g[k], body[k])
    assert len(g["members"]) == 2
    for sent, got in zip(body["members"], g["members"]):
        assert got["relationship"] == sent["relationship"]
        for k, v in sent["person"].items():
            assert got["person"][k] == v, (k, got["person"][k], v)
    assert g == c, "GET differs from the POST response"


@test
def case_numbers_are_unique_and_per_office():
    a = create_case(case_body(office="EG-CAI"))
    b = create_case(case_body(office="EG-CAI"))
    d = create_case(case_body(office="DZ-TAM"))
    assert a["number"] != b["number"]
    assert a["id"] != b["id"]
    assert d["number"].startswith("DZ-TAM-"), d["number"]


@test
def unknown_and_invalid_case_ids_are_404():
    for cid in ("0193a5b0-1234-7abc-8def-0123456789ab", "nope", "1",
                "00000000-0000-0000-0000-000000000000"):
        r = request("GET", "/api/v1/cases/" + cid, token=admin())
        assert_problem(r, 404, "not-found")


@test
def get_body_can_be_posted_back():
    c = create_case()
    st, _, g = get_case(c["id"])
    st, _, c2 = request("POST", "/api/v1/cases", g, token=admin())
    assert st == 201, (st, c2)
    assert c2["id"] != c["id"]
    assert c2["number"] != c["number"]
    assert c2["version"] == 1
    assert c2["members"][0]["person_id"] == c["members"][0]["person_id"], \
        "posting back should link the same person via person_id"


@test
def members_can_link_existing_person_by_id():
    c = create_case()
    pid = c["members"][0]["person_id"]
    c2 = create_case(case_body(members=[{"relationship": "principal",
                                         "person_id": pid}]))
    assert c2["members"][0]["person_id"] == pid
    assert c2["members"][0]["person"]["name"] == \
        c["members"][0]["person"]["name"]
    st, _, p = request("GET", "/api/v1/persons/" + pid, token=admin())
    assert st == 200, (st, p)
    ids = {x["id"] for x in p["cases"]}
    assert {c["id"], c2["id"]} <= ids, p["cases"]


@test
def unaccompanied_child_flag_accepted_for_a_child():
    c = create_case(case_body(members=[{"relationship": "principal",
                                        "person": person(
                                            date_of_birth="2012-01-01",
                                            vulnerabilities=[
                                                "unaccompanied_child"])}]))
    assert c["members"][0]["person"]["vulnerabilities"] == \
        ["unaccompanied_child"]


@test
def valid_dob_precisions_are_accepted():
    for dob, prec in (("1990-05-01", "exact"), ("1990-05", "month"),
                      ("1990-05-01", "month"), ("1990", "year"),
                      ("1990-05-01", "year"), ("1990", "estimated"),
                      ("1900-01-01", "exact")):
        c = create_case(case_body(members=[{"relationship": "principal",
                                            "person": person(
                                                date_of_birth=dob,
                                                dob_precision=prec)}]))
        p = c["members"][0]["person"]
        assert (p["date_of_birth"], p["dob_precision"]) == (dob, prec), p


@test
def stateless_and_unknown_nationality_accepted():
    c = create_case(case_body(members=[
        {"relationship": "principal", "person": person(nationality="XXA")},
        {"relationship": "spouse", "person": person(nationality="XXX")}]))
    assert [m["person"]["nationality"] for m in c["members"]] == \
        ["XXA", "XXX"]


@test
def sixty_members_is_the_maximum_accepted():
    members = [{"relationship": "principal", "person": person()}] + \
        [{"relationship": "other", "person": person(documents=[])}
         for _ in range(59)]
    c = create_case(case_body(members=members))
    assert len(c["members"]) == 60


@test
def list_cases_newest_first_with_summary_shape():
    a = create_case()
    b = create_case()
    st, _, data = request("GET", "/api/v1/cases?office=EG-CAI&limit=2",
                          token=admin())
    assert st == 200, (st, data)
    ids = [x["id"] for x in data["items"]]
    assert ids == [b["id"], a["id"]], ids
    s = data["items"][0]
    for k in ("id", "number", "stage", "office", "origin_country",
              "destination_country", "version", "updated_at", "principal",
              "member_count"):
        assert k in s, "summary lacks %s: %r" % (k, s)
    p = s["principal"]
    for k in ("id", "name", "name_latin", "nationality", "sex",
              "date_of_birth"):
        assert k in p, "principal lacks %s: %r" % (k, p)
    assert p["name"] == b["members"][0]["person"]["name"]
    assert s["member_count"] == 1
    assert "next_cursor" in data


@test
def list_cases_paging_visits_every_case_once():
    office = "ML-BKO"
    made = {create_case(case_body(office=office))["id"] for _ in range(5)}
    seen = []
    cursor = None
    pages = 0
    while True:
        q = "/api/v1/cases?office=%s&limit=2" % office
        if cursor:
            q += "&cursor=" + urlquote(cursor)
        st, _, data = request("GET", q, token=admin())
        assert st == 200, (st, data)
        assert len(data["items"]) <= 2
        seen.extend(x["id"] for x in data["items"])
        pages += 1
        cursor = data["next_cursor"]
        if cursor is None:
            break
        assert pages < 500
    assert len(seen) == len(set(seen)), "a case appeared twice while paging"
    assert made <= set(seen)
    assert pages >= 3


@test
def list_cases_cursor_is_stable_while_cases_are_added():
    office = "DZ-TAM"
    for _ in range(4):
        create_case(case_body(office=office))
    st, _, p1 = request("GET", "/api/v1/cases?limit=2&office=" + office,
                        token=admin())
    assert st == 200 and p1["next_cursor"], (st, p1)
    newer = [create_case(case_body(office=office))["id"] for _ in range(3)]
    st, _, p2 = request("GET", "/api/v1/cases?limit=2&office=%s&cursor=%s"
                        % (office, urlquote(p1["next_cursor"])),
                        token=admin())
    assert st == 200, (st, p2)
    ids1 = [x["id"] for x in p1["items"]]
    ids2 = [x["id"] for x in p2["items"]]
    assert len(ids2) == 2
    assert not set(ids1) & set(ids2), "page 2 repeats page 1 after inserts"
    assert not set(newer) & set(ids2), "newer cases leaked into page 2"


@test
def list_cases_default_limit_is_50():
    st, _, data = request("GET", "/api/v1/cases", token=admin())
    assert st == 200, (st, data)
    assert len(data["items"]) <= 50
    total = len(list_all_cases())
    if total > 50:
        assert len(data["items"]) == 50 and data["next_cursor"]


@test
def list_cases_filters_by_office_stage_nationality():
    c = create_case(case_body(office="DZ-TAM", members=[
        {"relationship": "principal", "person": person(nationality="GIN")}]))
    items = list_all_cases("office=DZ-TAM")
    assert c["id"] in [x["id"] for x in items]
    assert all(x["office"] == "DZ-TAM" for x in items)
    items = list_all_cases("office=DZ-TAM&nationality=GIN")
    assert c["id"] in [x["id"] for x in items]
    assert all(x["principal"]["nationality"] == "GIN" for x in items), items
    items = list_all_cases("office=DZ-TAM&nationality=BFA")
    assert c["id"] not in [x["id"] for x in items]
    items = list_all_cases("office=DZ-TAM&stage=registered")
    assert c["id"] in [x["id"] for x in items]
    items = list_all_cases("office=DZ-TAM&stage=closed")
    assert c["id"] not in [x["id"] for x in items]


@test
def list_cases_q_matches_number_prefix_and_name():
    c = create_case()
    items = list_all_cases("q=" + urlquote(c["number"]))
    assert [x["id"] for x in items] == [c["id"]], items
    items = list_all_cases("q=" + urlquote(c["number"][:-2]))
    assert c["id"] in [x["id"] for x in items]
    name = c["members"][0]["person"]["name"]
    items = list_all_cases("q=" + urlquote(name))
    assert c["id"] in [x["id"] for x in items], items


@test
def list_cases_bad_parameters_are_400_naming_the_parameter():
    for q, param in (("limit=0", "limit"), ("limit=201", "limit"),
                     ("limit=abc", "limit"), ("stage=flying", "stage"),
                     ("nationality=mali", "nationality"),
                     ("nationality=XYZ", "nationality"),
                     ("cursor=garbage!!", "cursor")):
        r = request("GET", "/api/v1/cases?" + q, token=admin())
        assert_problem(r, 400, "bad-request", fields=[param])


@test
def list_cases_limit_bounds_accepted():
    create_case()
    for lim in (1, 200):
        st, _, data = request("GET", "/api/v1/cases?limit=%d" % lim,
                              token=admin())
        assert st == 200, (lim, st, data)
        assert 1 <= len(data["items"]) <= lim


@test
def events_start_with_created():
    c = create_case()
    st, _, data = request("GET", "/api/v1/cases/%s/events" % c["id"],
                          token=admin())
    assert st == 200, (st, data)
    ev = data["items"]
    assert len(ev) == 1, ev
    e = ev[0]
    assert e["kind"] == "created"
    assert e["user"] == shared().admin_user
    assert re.fullmatch(TS, e["at"]), e["at"]
    assert isinstance(e["id"], int)


@test
def events_of_unknown_case_is_404():
    r = request("GET", "/api/v1/cases/0193a5b0-1234-7abc-8def-0123456789ab"
                "/events", token=admin())
    assert_problem(r, 404, "not-found")


@test
def server_owned_fields_in_post_are_ignored():
    body = case_body(id="0193a5b0-1234-7abc-8def-0123456789ab",
                     number="XX-XXX-1999-000001", version=42,
                     stage="closed", created_at="1999-01-01T00:00:00.000Z",
                     updated_at="1999-01-01T00:00:00.000Z")
    c = create_case(body)
    assert c["id"] != body["id"]
    assert c["number"].startswith("EG-CAI-")
    assert c["version"] == 1 and c["stage"] == "registered"
    assert not c["created_at"].startswith("1999")


@test
def unknown_route_is_404_and_wrong_method_405_with_allow():
    r = request("GET", "/api/v1/nothing-here", token=admin())
    assert_problem(r, 404, "not-found")
    r = request("PUT", "/api/v1/cases", {}, token=admin())
    assert_problem(r, 405, "method-not-allowed")
    allow = (r[1].get("Allow") or "").upper()
    assert "GET" in allow and "POST" in allow, allow
    r = request("DELETE", "/api/v1/cases/0193a5b0-1234-7abc-8def-0123456789ab",
                token=admin())
    assert_problem(r, 405, "method-not-allowed")
    assert "PATCH" in (r[1].get("Allow") or "").upper()


if __name__ == "__main__":
    main()
