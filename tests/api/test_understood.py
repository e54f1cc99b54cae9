"""Validation a case worker understands (issue 9), seen through the API.

A household from Cairo (a father, a mother and a child of about 8, Sudanese)
is registered as a new case worker would, and every answer must say what is
wrong in words a person acts on:

  * a date that does not exist (1985-02-30) is "this date does not exist"
    with code date-invalid — in every date field, records included;
  * a name of spaces or punctuation is refused: "a name needs at least one
    letter" (name-needs-letter);
  * a field required only in some cases says when ("required when date of
    birth is given"), and the schema publishes the condition for the forms;
  * a household that looks wrong (a child older than the principal, a
    spouse aged 1, a principal aged 5 without a parent or guardian) is
    refused with a message and a code, and accepted when the request
    confirms it (confirm_plausibility), which the created/updated event
    keeps; later unrelated changes need no new confirmation;
  * the staff of an office (whom a case may be assigned to) are listed for
    the people who work in that office only;
  * the schema gives fixed lists where they exist (procedure types) and
    says where the others come from (offices, staff).
"""
import datetime

from harness import (test, shared, request, admin, assert_problem,
                     case_body, person, create_case, list_all_cases, main)
from journey_util import Journey, counselling_body, reconfirmation_body

PF = "members[0].person."


def years_ago(n, month=None, day=None):
    t = datetime.date.today()
    d = t.replace(year=t.year - n, day=28 if (t.month, t.day) == (2, 29) else t.day)
    if month:
        d = d.replace(month=month, day=day or 1)
    return d.isoformat()


def errors_at(data, field):
    return [e for e in data.get("errors", []) if e.get("field") == field]


def refused(body, field, code, words, token=None):
    """POSTs body: 422 with a problem at field carrying code and words, and
    no case created. Returns that problem."""
    before = len(list_all_cases())
    r = request("POST", "/api/v1/cases", body, token=token or admin())
    data = assert_problem(r, 422, "validation", fields=[field])
    errs = errors_at(data, field)
    assert any(e.get("code") == code for e in errs), (code, errs)
    e = [e for e in errs if e.get("code") == code][0]
    assert words in e["message"], (words, e["message"])
    assert len(list_all_cases()) == before, "a case was created"
    return e


def cairo_household(**over):
    """The household of the issue: father (principal), mother, child of 8
    whose age only is known (an estimated year)."""
    father = person(name="زكريا إبراهيم الطاهر", name_latin="Zakaria Ibrahim",
                    sex="male", date_of_birth="1985-04-12",
                    dob_precision="exact")
    mother = person(name="فاطمة حسن علي", name_latin="Fatima Hassan",
                    sex="female", date_of_birth="1990", dob_precision="year",
                    documents=[])
    child = person(name="مريم زكريا", name_latin="Mariam Zakaria",
                   sex="female",
                   date_of_birth=str(datetime.date.today().year - 8),
                   dob_precision="estimated", documents=[], contact=None)
    for k, v in over.items():
        {"father": father, "mother": mother, "child": child}[k.split("_")[0]][
            k.split("_", 1)[1]] = v
    return case_body(members=[
        {"relationship": "principal", "person": father},
        {"relationship": "spouse", "person": mother},
        {"relationship": "child", "person": child}])


# ---- dates that do not exist ------------------------------------------------

@test
def date_of_birth_that_does_not_exist():
    body = cairo_household(father_date_of_birth="1985-02-30")
    e = refused(body, PF + "date_of_birth", "date-invalid",
                "this date does not exist")
    assert "February 1985 has 28 days" in e["message"], e
    assert "YYYY" not in e["message"], e  # not a format message
    body = cairo_household(mother_date_of_birth="1990-13")
    body["members"][1]["person"]["dob_precision"] = "month"
    refused(body, "members[1].person.date_of_birth", "date-invalid",
            "there is no month 13")


@test
def document_expiry_that_does_not_exist():
    body = cairo_household()
    body["members"][0]["person"]["documents"][0]["expiry"] = "2031-04-31"
    refused(body, PF + "documents[0].expiry", "date-invalid",
            "April 2031 has 30 days")


@test
def record_dates_that_do_not_exist():
    j = Journey()
    r = j.req("POST", "/records", counselling_body(date="2026-02-30"),
              role="counsellor")
    data = assert_problem(r, 422, "validation", fields=["date"])
    assert errors_at(data, "date")[0].get("code") == "date-invalid", data
    r = j.req("POST", "/records",
              reconfirmation_body(j.pid(), "2026-02-30T10:00Z"),
              role="counsellor")
    data = assert_problem(r, 422, "validation", fields=["at"])
    e = errors_at(data, "at")[0]
    assert e.get("code") == "date-invalid", e
    assert "this date does not exist" in e["message"], e


# ---- names ------------------------------------------------------------------

@test
def name_of_spaces_or_punctuation_is_refused():
    for bad in ["   ", "...", "- -", "؟؟", "123"]:
        body = cairo_household(father_name=bad)
        refused(body, PF + "name", "name-needs-letter",
                "a name needs at least one letter")
    body = cairo_household(child_name_latin="  ")
    refused(body, "members[2].person.name_latin", "name-needs-letter",
            "a name needs at least one letter")


@test
def user_full_name_needs_a_letter():
    r = request("POST", "/api/v1/users",
                {"username": "x.dots", "full_name": ". .",
                 "password": "correct horse battery 9",
                 "roles": ["registration"], "offices": ["EG-CAI"]},
                token=admin())
    data = assert_problem(r, 422, "validation", fields=["full_name"])
    assert errors_at(data, "full_name")[0].get("code") == "name-needs-letter"


# ---- required when ------------------------------------------------------------

@test
def precision_required_when_a_date_of_birth_is_given():
    body = cairo_household()
    del body["members"][0]["person"]["dob_precision"]
    refused(body, PF + "dob_precision", "required",
            "required when date of birth is given")
    st, _, schema = request("GET", "/api/v1/schema", token=admin())
    assert st == 200
    dobp = [f for f in schema["person"] if f["name"] == "dob_precision"][0]
    assert dobp["required_when"] == {"field": "date_of_birth"}, dobp
    rec = schema["records"]["consent"]
    witness = [f for f in rec if f["name"] == "witness"][0]
    assert witness["required_when"] == {"field": "method",
                                        "values": ["oral_with_witness"]}


# ---- household plausibility ------------------------------------------------------

@test
def cairo_household_with_an_estimated_age_is_registered():
    c = create_case(cairo_household())
    child = c["members"][2]["person"]
    assert child["dob_precision"] == "estimated", child
    assert child["date_of_birth"] == str(datetime.date.today().year - 8)


@test
def child_older_than_principal_refused_then_confirmed():
    body = cairo_household(child_date_of_birth="1980-06-01",
                           child_dob_precision="exact")
    e = refused(body, "members[2].person.date_of_birth",
                "child-older-than-principal",
                "not younger than the principal applicant")
    assert e.get("confirm") == "confirm_plausibility", e
    assert e["params"]["principal_age"] < e["params"]["age"], e
    # Confirming something else is not enough.
    body["confirm_plausibility"] = ["spouse-too-young"]
    refused(body, "members[2].person.date_of_birth",
            "child-older-than-principal", "not younger")
    body["confirm_plausibility"] = ["child-older-than-principal"]
    c = create_case(body)
    st, _, ev = request("GET", "/api/v1/cases/%s/events" % c["id"],
                        token=admin())
    assert st == 200, ev
    created = [x for x in ev["items"] if x["kind"] == "created"][0]
    conf = created["data"]["confirmed"]
    assert [x["code"] for x in conf] == ["child-older-than-principal"], conf
    assert conf[0]["field"] == "members[2].person.date_of_birth", conf
    # The case itself does not carry the confirmation.
    assert "confirm_plausibility" not in c


@test
def confirmation_of_nothing_is_not_recorded():
    body = cairo_household()
    body["confirm_plausibility"] = ["spouse-too-young"]
    c = create_case(body)
    st, _, ev = request("GET", "/api/v1/cases/%s/events" % c["id"],
                        token=admin())
    created = [x for x in ev["items"] if x["kind"] == "created"][0]
    assert "confirmed" not in created["data"], created


@test
def unknown_confirmation_is_refused():
    body = cairo_household()
    body["confirm_plausibility"] = ["looks-fine"]
    r = request("POST", "/api/v1/cases", body, token=admin())
    assert_problem(r, 422, "validation", fields=["confirm_plausibility[0]"])


@test
def spouse_aged_one_refused():
    body = cairo_household(mother_date_of_birth=years_ago(1),
                           mother_dob_precision="exact")
    e = refused(body, "members[1].person.date_of_birth", "spouse-too-young",
                "this spouse is aged 1")
    assert e["params"] == {"age": 1}, e


@test
def principal_aged_five_without_guardian_refused():
    kid = person(date_of_birth=years_ago(5), dob_precision="exact",
                 documents=[])
    body = case_body(members=[{"relationship": "principal", "person": kid}])
    refused(body, PF + "date_of_birth", "principal-young-without-guardian",
            "no parent or guardian is a member of the case")
    # With a guardian in the case it stands as it is.
    body["members"].append({"relationship": "guardian",
                            "person": person(date_of_birth="1980",
                                             dob_precision="year")})
    create_case(body)


@test
def plausibility_on_update_then_unrelated_changes():
    c = create_case(cairo_household())
    etag = str(c["version"])
    members = c["members"]
    members[1]["person"]["date_of_birth"] = years_ago(1)
    members[1]["person"]["dob_precision"] = "exact"
    patch = {"members": members}
    r = request("PATCH", "/api/v1/cases/" + c["id"], patch, token=admin(),
                headers={"If-Match": '"%s"' % etag})
    data = assert_problem(r, 422, "validation",
                          fields=["members[1].person.date_of_birth"])
    assert errors_at(data, "members[1].person.date_of_birth")[0]["code"] == \
        "spouse-too-young"
    patch["confirm_plausibility"] = ["spouse-too-young"]
    st, h, c2 = request("PATCH", "/api/v1/cases/" + c["id"], patch,
                        token=admin(), headers={"If-Match": '"%s"' % etag})
    assert st == 200, c2
    assert "confirm_plausibility" not in c2
    # A confirmation that is not a list is refused, not replaced.
    r = request("PATCH", "/api/v1/cases/" + c["id"],
                {"notes": "x", "confirm_plausibility": "yes"}, token=admin(),
                headers={"If-Match": '"%s"' % c2["version"]})
    assert_problem(r, 422, "validation", fields=["confirm_plausibility"])
    # An unrelated change later needs no new confirmation.
    st, _, c3 = request("PATCH", "/api/v1/cases/" + c["id"],
                        {"notes": "family seen again"}, token=admin(),
                        headers={"If-Match": '"%s"' % c2["version"]})
    assert st == 200, c3
    st, _, ev = request("GET", "/api/v1/cases/%s/events" % c["id"],
                        token=admin())
    upd = [x for x in ev["items"] if x["kind"] == "updated"]
    assert len(upd) == 2, ev
    assert [x["code"] for x in upd[0]["data"]["confirmed"]] == \
        ["spouse-too-young"], upd[0]
    assert "confirmed" not in upd[1]["data"], upd[1]
    assert upd[1]["data"]["changed"] == ["notes"], upd[1]


# ---- the staff of an office -------------------------------------------------------

@test
def staff_of_my_office_only():
    s = shared()
    me, tok = s.make_user(["registration"], ["EG-CAI"])
    colleague, _ = s.make_user(["counsellor", "protection"], ["EG-CAI"])
    elsewhere, _ = s.make_user(["registration"], ["DZ-TAM"])
    gone, _ = s.make_user(["registration"], ["EG-CAI"])
    st, _, _ = request("PATCH", "/api/v1/users/" + gone, {"disabled": True},
                       token=admin())
    assert st == 200
    st, _, data = request("GET", "/api/v1/offices/EG-CAI/staff", token=tok)
    assert st == 200, data
    names = [u["username"] for u in data["items"]]
    assert me in names and colleague in names, names
    assert elsewhere not in names and gone not in names, names
    col = [u for u in data["items"] if u["username"] == colleague][0]
    assert col == {"username": colleague, "full_name": "Test " + colleague,
                   "roles": ["counsellor", "protection"]}, col
    # Another office's staff: not for this case worker.
    r = request("GET", "/api/v1/offices/DZ-TAM/staff", token=tok)
    assert_problem(r, 403, "forbidden")
    r = request("GET", "/api/v1/offices/ZZ-NOP/staff", token=tok)
    assert_problem(r, 404)
    # An administrator sees every office.
    st, _, data = request("GET", "/api/v1/offices/DZ-TAM/staff",
                          token=admin())
    assert st == 200 and elsewhere in [u["username"] for u in data["items"]]


@test
def staff_list_leaves_out_partners_and_donors():
    s = shared()
    _, tok = s.make_user(["registration"], ["EG-CAI"])
    partner, ptok = s.make_user(["partner"], ["EG-CAI"])
    donor, _ = s.make_user(["donor"], ["EG-CAI"])
    st, _, data = request("GET", "/api/v1/offices/EG-CAI/staff", token=tok)
    names = [u["username"] for u in data["items"]]
    assert partner not in names and donor not in names, names
    r = request("GET", "/api/v1/offices/EG-CAI/staff", token=ptok)
    assert_problem(r, 403)


# ---- lists in the schema -------------------------------------------------------------

@test
def schema_gives_lists_and_their_sources():
    st, _, schema = request("GET", "/api/v1/schema", token=admin())
    assert st == 200
    ptype = [f for f in schema["records"]["procedure"]
             if f["name"] == "type"][0]
    assert ptype["values"] == ["exit_visa", "fine_waiver",
                               "police_clearance"], ptype
    case = {f["name"]: f for f in schema["case"]}
    assert case["assigned_to"]["source"] == "staff"
    assert case["office"]["source"] == "offices"
    assert case["confirm_plausibility"]["confirm"] is True
    assert "child-older-than-principal" in \
        case["confirm_plausibility"]["values"]


if __name__ == "__main__":
    main()
