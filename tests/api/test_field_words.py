"""The field words inside translated messages (src/text/messages/field_words.inc).

A field's words ("the name", "date of birth") reach a message as a %s
parameter; the catalogue writes them in the user's language too, so a
French user reads "le nom ne doit pas être vide", not "the name ne doit
pas être vide". Checked on a case registration: an empty name, a date of
birth that is not a date, and the precision of the date of birth missing
while the date is given (a field required on a condition, whose words
are a phrase of their own with the field's words inside). English is
unchanged. The same words in an import's problems (a row with an empty
name: the name is required), read in French and Arabic.
"""
import csv
import io
import json
import os
import time
import uuid

from harness import (test, request, admin, assert_problem, case_body, main,
                     shared, REPO)

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
           "يجب إدخال دقة تاريخ الميلاد عند إدخال تاريخ الميلاد")


_importer = []


def importer():
    """A registration officer of EG-CAI (who may import)."""
    if not _importer:
        _importer.append(shared().make_user(["registration"], ["EG-CAI"])[1])
    return _importer[0]


def import_rows(rows):
    """Runs a dry-run import of the spreadsheet example's columns; the
    import's id once it has ended."""
    mapping = json.load(open(os.path.join(REPO, "data", "import",
                                          "spreadsheet.mapping.json")))
    header = ["household", "name", "name_latin", "sex", "birth",
              "nationality", "relationship", "phone", "passport", "languages",
              "vulnerabilities", "origin", "destination", "area"]
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(header)
    for r in rows:
        w.writerow([r.get(k, "") for k in header])
    b = "----fieldwords" + uuid.uuid4().hex
    body = ("--%s\r\nContent-Disposition: form-data; name=\"mapping\"\r\n\r\n"
            "%s\r\n--%s\r\nContent-Disposition: form-data; name=\"file\"; "
            "filename=\"people.csv\"\r\nContent-Type: application/octet-stream"
            "\r\n\r\n%s\r\n--%s--\r\n"
            % (b, json.dumps(mapping), b, out.getvalue(), b)).encode("utf-8")
    st, h, d = shared().request("POST", "/api/v1/imports", raw=body,
                                headers={"Content-Type":
                                         "multipart/form-data; boundary=" + b},
                                token=importer(), timeout=60)
    assert st == 202, (st, d)
    end = time.time() + 120
    while True:
        st, _, d = shared().request("GET", h["Location"], token=importer())
        assert st == 200, (st, d)
        if d["status"] in ("done", "refused", "failed"):
            return d["id"]
        assert time.time() < end, d
        time.sleep(0.1)


@test
def import_problems_in_three_languages():
    t = uuid.uuid4().hex[:8]
    imp = import_rows([{"household": "H-" + t, "name": "", "sex": "f",
                        "birth": "12/03/1988", "nationality": "MLI",
                        "relationship": "head", "origin": "MLI",
                        "destination": "MLI", "area": "Kayes"}])
    got = []
    for headers in (None, FR, AR):
        st, _, d = shared().request("GET", "/api/v1/imports/%s/problems" % imp,
                                    token=importer(), headers=headers)
        assert st == 200, (st, d)
        got.append([p["message"] for p in d["items"] if p["field"] == "name"])
    assert got == [["the name is required"],
                   ["le nom est obligatoire"],
                   ["يجب إدخال الاسم"]], got


if __name__ == "__main__":
    main()
