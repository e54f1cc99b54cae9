"""Persons: search across scripts, case- and accent-insensitive prefixes."""
from harness import (test, shared, request, admin, assert_problem, case_body,
                     person, create_case, urlquote, main)

_made = {}


def _fresh():
    """Forgets cached cases when the shared server was restarted."""
    if _made.get("server") is not shared():
        _made.clear()
        _made["server"] = shared()


def arabic_person():
    """The case with a principal named محمد عبد الله and no Latin name."""
    _fresh()
    if "ar" not in _made:
        c = create_case(case_body(members=[{"relationship": "principal",
                                            "person": person(
                                                name="محمد عبد الله",
                                                name_latin=None)}]))
        _made["ar"] = c
    return _made["ar"]


def fatoumata():
    _fresh()
    if "fd" not in _made:
        c = create_case(case_body(office="ML-BKO", members=[
            {"relationship": "principal",
             "person": person(name="Fatoumata Diallo",
                              name_latin="Fatoumata Diallo", sex="female",
                              nationality="MLI")}]))
        _made["fd"] = c
    return _made["fd"]


def search(q, limit=200, token=None):
    st, _, data = request("GET", "/api/v1/persons?q=%s&limit=%d" % (
        urlquote(q), limit), token=token or admin())
    assert st == 200, (q, st, data)
    return data["items"]


def office_user(office):
    """A registration user of office only (made once per server). The
    searches look as a case worker of the fixture's office does: other
    tests of the shared server register hundreds of persons under random
    names in other offices, and a name whose skeleton is the query's ranks
    before a prefix ("Fifuti" before "Fatoumata" for "Fatou")."""
    _fresh()
    key = "user " + office
    if key not in _made:
        _made[key] = shared().make_user(["registration"], [office])[1]
    return _made[key]


def assert_found(q, c):
    pid = c["members"][0]["person_id"]
    items = search(q, token=office_user(c["office"]))
    assert pid in [p["id"] for p in items], \
        "q=%r did not find %s (got %r)" % (q, c["members"][0]["person"]["name"],
                                          [p["name"] for p in items][:20])
    return [p for p in items if p["id"] == pid][0]


def make_search_test(q, which):
    def fn():
        assert_found(q, which())
    fn.__name__ = "search_%s" % q
    return fn


for _q in ("Mohamed", "mohamed", "Muhammad", "محمد", "MOHAMMED",
           "Mohamed Abdallah", "abdallah"):
    test(make_search_test(_q, arabic_person),
         name="search_arabic_name_with_" + _q.replace(" ", "_"))
for _q in ("fatoumata", "Diallo", "DIALLO", "Fatou", "Fatoumata Diallo",
           "Fatoumàta", "Dialló"):
    test(make_search_test(_q, fatoumata),
         name="search_latin_name_with_" + _q.replace(" ", "_"))


@test
def case_list_q_finds_arabic_name_from_latin():
    c = arabic_person()
    for q in ("Muhammad", "محمد عبد"):
        st, _, data = request("GET", "/api/v1/cases?limit=200&q=" +
                              urlquote(q), token=admin())
        assert st == 200, (st, data)
        assert c["id"] in [x["id"] for x in data["items"]], q


@test
def search_result_shape_and_cases():
    c = arabic_person()
    p = assert_found("محمد", c)
    assert p["name"] == "محمد عبد الله"
    assert p["name_latin"] is None
    for k in ("sex", "date_of_birth", "nationality"):
        assert k in p, (k, p)
    assert "documents" not in p, p  # a summary, not the whole person
    assert {"id": c["id"], "number": c["number"], "office": c["office"]} in \
        p["cases"], p["cases"]


@test
def search_does_not_find_unrelated_names():
    c = fatoumata()
    pid = c["members"][0]["person_id"]
    for q in ("Zygmunt", "Diallox", "Mohamed"):
        assert pid not in [p["id"] for p in search(q)], q


@test
def search_requires_q():
    for path in ("/api/v1/persons", "/api/v1/persons?q=",
                 "/api/v1/persons?limit=5"):
        r = request("GET", path, token=admin())
        assert_problem(r, 400, "bad-request")


@test
def search_limit_is_respected():
    for _ in range(3):
        create_case(case_body(members=[{"relationship": "principal",
                                        "person": person(
                                            name="Ousmane Traore")}]))
    items = search("Ousmane", limit=2)
    assert len(items) == 2, len(items)


@test
def person_get_returns_person_with_cases():
    c = fatoumata()
    pid = c["members"][0]["person_id"]
    st, _, p = request("GET", "/api/v1/persons/" + pid, token=admin())
    assert st == 200, (st, p)
    assert p["id"] == pid
    assert p["name"] == "Fatoumata Diallo"
    assert p["nationality"] == "MLI"
    assert [x["id"] for x in p["cases"]] == [c["id"]]
    assert p["cases"][0]["number"] == c["number"]
    assert p["cases"][0]["office"] == "ML-BKO"


@test
def person_get_unknown_is_404():
    for pid in ("0193a5b0-1234-7abc-8def-0123456789ab", "xyz"):
        r = request("GET", "/api/v1/persons/" + pid, token=admin())
        assert_problem(r, 404, "not-found")


if __name__ == "__main__":
    main()
