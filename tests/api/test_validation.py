"""Validation: every rule of the case contract, one test each.

Each test sends an otherwise valid case with one defect and asserts
422 application/problem+json of type validation, that errors[] names the
exact field path, and that nothing was created (the case count and a
name search are unchanged).
"""
import copy

from harness import (test, add_test, shared, request, admin, assert_problem,
                     case_body, person, create_case, list_all_cases, urlquote,
                     future_date, main)

MOD = "test_validation"


def principal(body):
    return body["members"][0]["person"]


def expect_422(body, fields, token=None):
    before = len(list_all_cases())
    r = request("POST", "/api/v1/cases", body, token=token or admin())
    data = assert_problem(r, 422, "validation", fields=fields)
    for e in data.get("errors", []):
        assert isinstance(e.get("message"), str) and e["message"], e
    after = len(list_all_cases())
    assert after == before, "a case was created by an invalid request " \
        "(%d → %d)" % (before, after)
    try:
        name = body["members"][0]["person"]["name"]
    except (KeyError, IndexError, TypeError):
        name = None
    if isinstance(name, str) and 3 < len(name) < 100 and name.isascii():
        st, _, found = request("GET", "/api/v1/persons?q=" + urlquote(name),
                               token=admin())
        assert st == 200, (st, found)
        assert not [p for p in found["items"] if p["name"] == name], \
            "a person was created by an invalid request"
    return data


def case(name, fields, mutate):
    """Registers a validation test: mutate(body) makes one defect."""
    def fn():
        body = case_body()
        mutate(body)
        expect_422(body, fields)
    add_test(name, fn, MOD)


def setter(path, value):
    """Returns mutate(body) that sets body[...path...] = value."""
    def mutate(body):
        obj = body
        for k in path[:-1]:
            obj = obj[k]
        obj[path[-1]] = value
    return mutate


def deleter(path):
    def mutate(body):
        obj = body
        for k in path[:-1]:
            obj = obj[k]
        del obj[path[-1]]
    return mutate


P = ["members", 0, "person"]
PF = "members[0].person."

# ---- missing required fields -------------------------------------------
case("missing_office", ["office"], deleter(["office"]))
case("missing_origin_country", ["origin_country"], deleter(["origin_country"]))
case("missing_destination_country", ["destination_country"],
     deleter(["destination_country"]))
case("missing_members", ["members"], deleter(["members"]))
case("missing_relationship", ["members[0].relationship"],
     deleter(["members", 0, "relationship"]))
case("missing_person_and_person_id", ["members[0].person",
                                      "members[0].person_id", "members[0]"],
     deleter(["members", 0, "person"]))
case("missing_person_name", [PF + "name"], deleter(P + ["name"]))
case("missing_person_sex", [PF + "sex"], deleter(P + ["sex"]))
case("missing_person_nationality", [PF + "nationality"],
     deleter(P + ["nationality"]))
case("missing_document_number", [PF + "documents[0].number"],
     deleter(P + ["documents", 0, "number"]))
case("missing_document_type", [PF + "documents[0].type"],
     deleter(P + ["documents", 0, "type"]))
case("null_for_required_office", ["office"], setter(["office"], None))
case("empty_name", [PF + "name"], setter(P + ["name"], ""))
case("bad_dob_precision_enum",
     [PF + "dob_precision"], setter(P + ["dob_precision"], "roughly"))

# ---- bad enums -------------------------------------------------------------
case("bad_sex", [PF + "sex"], setter(P + ["sex"], "robot"))
case("bad_sex_case", [PF + "sex"], setter(P + ["sex"], "Male"))
case("bad_relationship", ["members[0].relationship"],
     setter(["members", 0, "relationship"], "boss"))
case("bad_vulnerability", [PF + "vulnerabilities[0]", PF + "vulnerabilities"],
     setter(P + ["vulnerabilities"], ["sad"]))
case("bad_document_type", [PF + "documents[0].type"],
     setter(P + ["documents", 0, "type"], "library_card"))
case("bad_language_code", [PF + "languages[0]", PF + "languages"],
     setter(P + ["languages"], ["english"]))

# ---- country codes ---------------------------------------------------------
case("bad_country_XYZ_origin", ["origin_country"],
     setter(["origin_country"], "XYZ"))
case("bad_country_mali_nationality", [PF + "nationality"],
     setter(P + ["nationality"], "mali"))
case("bad_country_XYZ_destination", ["destination_country"],
     setter(["destination_country"], "XYZ"))
case("bad_country_alpha2_nationality", [PF + "nationality"],
     setter(P + ["nationality"], "ML"))
case("bad_document_issuing_country", [PF + "documents[0].issuing_country"],
     setter(P + ["documents", 0, "issuing_country"], "XYZ"))

# ---- dates -----------------------------------------------------------------
case("future_date_of_birth", [PF + "date_of_birth"],
     setter(P + ["date_of_birth"], future_date()))
case("impossible_date_2001_02_30", [PF + "date_of_birth"],
     setter(P + ["date_of_birth"], "2001-02-30"))
case("impossible_month_13", [PF + "date_of_birth"],
     setter(P + ["date_of_birth"], "2001-13-01"))
case("date_before_1900", [PF + "date_of_birth"],
     setter(P + ["date_of_birth"], "1899-12-31"))
case("date_wrong_format", [PF + "date_of_birth"],
     setter(P + ["date_of_birth"], "01/05/1990"))
case("bad_document_expiry", [PF + "documents[0].expiry"],
     setter(P + ["documents", 0, "expiry"], "2030-02-30"))


def dob(value, prec):
    def m(body):
        principal(body)["date_of_birth"] = value
        principal(body)["dob_precision"] = prec
    return m


DOBF = [PF + "dob_precision", PF + "date_of_birth"]
case("dob_precision_exact_needs_full_date", DOBF, dob("1990", "exact"))
case("dob_precision_exact_with_month_only", DOBF, dob("1990-05", "exact"))
case("dob_precision_month_with_year_only", DOBF, dob("1990", "month"))

# ---- cross-field rules -----------------------------------------------------
case("no_principal", ["members"], setter(["members", 0, "relationship"],
                                         "spouse"))


def two_principals(body):
    body["members"].append({"relationship": "principal", "person": person()})


case("two_principals", ["members", "members[1].relationship"], two_principals)


def adult_unaccompanied(body):
    principal(body)["date_of_birth"] = "1980-01-01"
    principal(body)["vulnerabilities"] = ["unaccompanied_child"]


case("unaccompanied_child_flag_on_adult",
     [PF + "vulnerabilities", PF + "vulnerabilities[0]"], adult_unaccompanied)


@test
def same_person_twice():
    c = create_case()
    pid = c["members"][0]["person_id"]
    body = case_body(members=[
        {"relationship": "principal", "person_id": pid},
        {"relationship": "spouse", "person_id": pid}])
    expect_422(body, ["members[1].person_id", "members[1]", "members"])


@test
def unknown_person_id():
    body = case_body(members=[{"relationship": "principal",
                               "person_id":
                               "0193a5b0-1234-7abc-8def-0123456789ab"}])
    expect_422(body, ["members[0].person_id"])


# ---- unknown fields --------------------------------------------------------
def check_unknown(field_path, mutate):
    def fn():
        body = case_body()
        mutate(body)
        data = expect_422(body, [field_path])
        msgs = [e["message"] for e in data["errors"]
                if e.get("field") == field_path]
        assert "this field is not known" in msgs, msgs
    return fn


add_test("unknown_top_level_field",
         check_unknown("colour", setter(["colour"], "blue")), MOD)
add_test("unknown_person_field",
         check_unknown(PF + "eye_colour", setter(P + ["eye_colour"], "brown")),
         MOD)
add_test("unknown_member_field",
         check_unknown("members[0].nickname",
                       setter(["members", 0, "nickname"], "Mo")), MOD)
add_test("unknown_contact_field",
         check_unknown(PF + "contact.fax",
                       setter(P + ["contact", "fax"], "123")), MOD)

# ---- lengths and formats ---------------------------------------------------
case("name_too_long_201_bytes", [PF + "name"], setter(P + ["name"], "a" * 201))
case("name_too_long_in_utf8_bytes", [PF + "name"],
     setter(P + ["name"], "م" * 101))  # 101 chars, 202 bytes
case("name_latin_too_long", [PF + "name_latin"],
     setter(P + ["name_latin"], "b" * 201))
case("notes_too_long", ["notes"], setter(["notes"], "n" * 20001))
case("admin_area_too_long", ["destination_admin_area"],
     setter(["destination_admin_area"], "k" * 121))
case("project_too_long", ["project"], setter(["project"], "p" * 121))
case("pcode_bad_characters", ["destination_pcode"],
     setter(["destination_pcode"], "SD-01; x"))
case("pcode_too_long", ["destination_pcode"],
     setter(["destination_pcode"], "S" * 21))
case("document_number_too_long", [PF + "documents[0].number"],
     setter(P + ["documents", 0, "number"], "9" * 61))
case("document_number_empty", [PF + "documents[0].number"],
     setter(P + ["documents", 0, "number"], ""))
case("email_without_at", [PF + "contact.email"],
     setter(P + ["contact", "email"], "not-an-email"))
case("phone_with_letters", [PF + "contact.phone"],
     setter(P + ["contact", "phone"], "call me maybe"))
case("phone_too_long", [PF + "contact.phone"],
     setter(P + ["contact", "phone"], "1" * 33))
case("too_many_languages", [PF + "languages"],
     setter(P + ["languages"], ["ar", "en", "fr", "bm", "ha", "wo", "ff",
                                "ti", "am", "so", "sw"]))


def too_many_members(body):
    body["members"] += [{"relationship": "other", "person": person()}
                        for _ in range(60)]


case("too_many_members_61", ["members"], too_many_members)
case("empty_members", ["members"], setter(["members"], []))

# ---- wrong JSON types ------------------------------------------------------
case("number_for_name", [PF + "name"], setter(P + ["name"], 42))
case("string_for_members", ["members"], setter(["members"], "everyone"))
case("object_for_members", ["members"], setter(["members"], {"a": 1}))
case("number_for_office", ["office"], setter(["office"], 7))
case("string_for_languages", [PF + "languages"],
     setter(P + ["languages"], "ar"))
case("string_for_member", ["members[0]"], setter(["members", 0], "me"))
case("array_for_person", [PF.rstrip(".")],
     setter(["members", 0, "person"], ["x"]))
case("bool_for_notes", ["notes"], setter(["notes"], True))
case("number_for_contact", [PF + "contact"], setter(P + ["contact"], 5))

# ---- references ------------------------------------------------------------
case("office_does_not_exist", ["office"], setter(["office"], "ZZ-NOP"))
case("office_bad_pattern", ["office"], setter(["office"], "cairo"))
case("assigned_to_unknown_user", ["assigned_to"],
     setter(["assigned_to"], "no-such-user-xyz"))


@test
def several_errors_reported_at_once():
    body = case_body()
    body["origin_country"] = "XYZ"
    principal(body)["sex"] = "robot"
    principal(body)["date_of_birth"] = "2001-02-30"
    data = expect_422(body, ["origin_country"])
    got = {e["field"] for e in data["errors"]}
    assert {"origin_country", PF + "sex", PF + "date_of_birth"} <= got, got


@test
def errors_in_second_member_name_its_index():
    body = case_body()
    body["members"].append({"relationship": "spouse",
                            "person": person(nationality="Sudan")})
    expect_422(body, ["members[1].person.nationality"])


@test
def values_at_the_limits_are_accepted():
    body = case_body(notes="n" * 20000, destination_admin_area="k" * 120,
                     project="p" * 120, destination_pcode="S" * 20)
    p = principal(body)
    p["name"] = "م" * 100                       # 200 bytes
    p["name_latin"] = "b" * 200
    p["documents"][0]["number"] = "9" * 60
    p["contact"]["phone"] = "+" + "1" * 31
    p["languages"] = ["ar", "en", "fr", "bm", "ha", "wo", "ff", "ti", "am",
                      "som"]
    p["date_of_birth"] = "1900-01-01"
    c = create_case(body)
    st, _, g = request("GET", "/api/v1/cases/" + c["id"], token=admin())
    assert g["notes"] == body["notes"]
    assert g["members"][0]["person"]["name"] == p["name"]
    assert g["members"][0]["person"]["languages"] == p["languages"]


@test
def assigned_to_existing_user_accepted():
    s = shared()
    user, _ = s.make_user(["registration"], ["EG-CAI"])
    c = create_case(case_body(assigned_to=user))
    assert c["assigned_to"] == user


if __name__ == "__main__":
    main()
