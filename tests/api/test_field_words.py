"""The field words inside translated messages (src/text/messages.c).

A field's words ("the name", "date of birth") reach a message as a %s
parameter; the catalogue writes them in the user's language too, so a
French user reads "le nom ne doit pas être vide", not "the name ne doit
pas être vide". Checked on a case registration: an empty name, a date of
birth that is not a date, and the precision of the date of birth missing
while the date is given (a field required on a condition, whose words
are a phrase of their own with the field's words inside). English is
unchanged.
"""
from harness import test, request, admin, assert_problem, case_body, main

FR = {"Accept-Language": "fr"}
AR = {"Accept-Language": "ar"}
PERSON = "members[0].person."


def messages(body, headers):
    resp = request("POST", "/api/v1/cases", body, token=admin(),
                   headers=headers)
    p = assert_problem(resp, 422, "validation")
    return {e["field"]: e["message"] for e in p["errors"]}


def with_person(**fields):
    body = case_body()
    body["members"][0]["person"].update(fields)
    return body


def expect(body, field, en, fr, ar):
    got = (messages(body, None).get(PERSON + field),
           messages(body, FR).get(PERSON + field),
           messages(body, AR).get(PERSON + field))
    assert got == (en, fr, ar), got


@test
def empty_name_in_three_languages():
    expect(with_person(name=""), "name",
           "the name must not be empty",
           "le nom ne doit pas être vide",
           "يجب ألا يكون الاسم فارغًا")


@test
def date_of_birth_not_a_date_in_three_languages():
    expect(with_person(date_of_birth="soon", dob_precision="exact"),
           "date_of_birth",
           "date of birth must be a date written as YYYY-MM-DD, YYYY-MM or YYYY",
           "la date de naissance doit être une date écrite AAAA-MM-JJ, "
           "AAAA-MM ou AAAA",
           "يجب أن يكون تاريخ الميلاد تاريخًا بالصيغة YYYY-MM-DD "
           "أو YYYY-MM أو YYYY")


@test
def conditional_requirement_in_three_languages():
    body = with_person(date_of_birth="1990-05-01")
    body["members"][0]["person"].pop("dob_precision", None)
    expect(body, "dob_precision",
           "the precision of the date of birth is required "
           "when date of birth is given",
           "la précision de la date de naissance est obligatoire "
           "lorsque la date de naissance est indiqué(e)",
           "دقة تاريخ الميلاد مطلوب عند إدخال تاريخ الميلاد")


if __name__ == "__main__":
    main()
