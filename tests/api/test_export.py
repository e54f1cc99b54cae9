"""Exports: cases as CSV or XLSX, one row per member, with HXL hashtags.
Pseudonymised by default (no names, year of birth only, a pseudonym that
changes from export to export); with names only for roles that may, only
when the recipient is said, and for a third party only the persons who
consented to share with it (403 consent-required when none did). Medical
and protection detail never appears. Formulas cannot be smuggled in."""
import csv
import io
import zipfile

from harness import test, shared, request, assert_problem, main, uniq_username, case_body, person
from journey_util import Journey, adult, consent_body, health_body, partner as partner_id


def _csv(data):
    assert data.startswith("\ufeff"), "a BOM so spreadsheets read UTF-8"
    return list(csv.reader(io.StringIO(data[1:])))


def _get(path, token):
    st, h, data = request("GET", path, token=token)
    return st, h, data


@test
def a_pseudonymised_export_has_no_names_and_links_rows_only_within_itself():
    s = shared()
    tag = uniq_username().upper()
    name = "EXPNAME" + tag
    marker = "EXPMED" + tag
    j = Journey(members=[adult(name=name, name_latin=name, date_of_birth="1991-03-07"),
                         adult("spouse", name=name + " B", name_latin=name + " B")])
    j.record(health_body(j.pid(0), clinical_notes=marker))
    _, me = s.make_user(["me"], ["EG-CAI"])
    st, h, data = _get("/api/v1/exports/cases.csv?office=EG-CAI", me)
    assert st == 200, (st, data)
    assert h["Content-Type"].startswith("text/csv"), h["Content-Type"]
    assert "attachment" in h["Content-Disposition"] and "pseudonymised" in h["Content-Disposition"]
    rows = _csv(data)
    head, hxl = rows[0], rows[1]
    assert "name" not in head and "#beneficiary+name" not in hxl, head
    assert hxl[head.index("case number")] == "#case+code"
    mine = [r for r in rows[2:] if r[head.index("case number")] == j.case["number"]]
    assert len(mine) == 2, mine
    assert name not in data and marker not in data and j.pid(0) not in data
    assert mine[0][head.index("date of birth")] == "1991", mine[0]
    pseudo = mine[0][head.index("person")]
    assert pseudo.startswith("P-") and pseudo != mine[1][head.index("person")]
    # A second export gives other pseudonyms: files cannot be joined.
    again = _csv(_get("/api/v1/exports/cases.csv?office=EG-CAI", me)[2])
    again = [r for r in again[2:] if r[head.index("case number")] == j.case["number"]]
    assert again[0][head.index("person")] != pseudo
    # M&E may not ask for names.
    st, _, p = _get("/api/v1/exports/cases.csv?names=true&recipient=internal", me)
    assert_problem((st, _, p), 403, "forbidden")


@test
def names_need_a_recipient_and_a_third_party_gets_only_those_who_consented():
    s = shared()
    tag = uniq_username().upper()
    j = Journey(members=[adult(name="CONSENTS" + tag, name_latin="CONSENTS" + tag),
                         adult("spouse", name="REFUSES" + tag, name_latin="REFUSES" + tag)])
    partner = "Partner " + tag
    org = partner_id(partner)
    mgr = j.tok("manager")
    st, _, p = _get("/api/v1/exports/cases.csv?names=true", mgr)
    assert_problem((st, _, p), 400, "bad-request")
    assert p["errors"][0]["field"] == "recipient", p
    # For internal use: everyone, with names.
    st, h, data = _get("/api/v1/exports/cases.csv?names=true&recipient=internal&office=EG-CAI",
                       mgr)
    assert st == 200 and "CONSENTS" + tag in data and "REFUSES" + tag in data
    # For the partner before anyone consented: refused, with the reason.
    st, _, p = _get("/api/v1/exports/cases.csv?names=true&office=EG-CAI&stage=registered"
                    "&recipient=" + org, mgr)
    assert_problem((st, _, p), 403, "consent-required")
    assert partner in p["detail"], p
    # A third party is a partner organisation, named by its id.
    st, _, p = _get("/api/v1/exports/cases.csv?names=true&office=EG-CAI"
                    "&recipient=" + partner.replace(" ", "%20"), mgr)
    assert_problem((st, _, p), 400, "bad-request")
    assert [e["field"] for e in p["errors"]] == ["recipient"], p
    j.record(consent_body(j.pid(0), purpose="data_sharing", recipient=org))
    st, h, data = _get("/api/v1/exports/cases.csv?names=true&office=EG-CAI&stage=registered"
                       "&recipient=" + org, mgr)
    assert st == 200, (st, data)
    assert "CONSENTS" + tag in data and "REFUSES" + tag not in data
    assert int(h["X-Withheld-Persons"]) >= 1, h["X-Withheld-Persons"]
    rows = _csv(data)
    assert all(r[rows[0].index("name")].startswith("CONSENTS") for r in rows[2:]), rows[2:]


@test
def xlsx_is_a_real_workbook_and_formulas_are_defused():
    s = shared()
    s.ensure_office("EG-CAI", "Cairo", "EGY")
    nasty = "=HYPERLINK(\"http://x\",\"y\")" + uniq_username()
    st, _, c = request("POST", "/api/v1/cases", case_body(project=nasty), token=s.admin())
    assert st == 201, c
    st, h, data = request("GET", "/api/v1/exports/cases.xlsx?office=EG-CAI", token=s.admin())
    assert st == 200, (st, data)
    assert h["Content-Type"].startswith("application/vnd.openxmlformats"), h["Content-Type"]
    raw = data if isinstance(data, bytes) else data.encode("latin-1")
    z = zipfile.ZipFile(io.BytesIO(raw))
    assert "xl/worksheets/sheet1.xml" in z.namelist(), z.namelist()
    # The workbook is written in constant memory: its text is inline in
    # the worksheet rather than in a shared-strings part.
    strings = "".join(z.read(n).decode() for n in z.namelist()
                      if n.startswith("xl/") and n.endswith(".xml"))
    assert "#case+code" in strings and c["number"] in strings
    assert "'=HYPERLINK" in strings.replace("&apos;", "'"), "a formula is written as text"
    csvdata = request("GET", "/api/v1/exports/cases.csv?office=EG-CAI", token=s.admin())[2]
    assert "'=HYPERLINK" in csvdata


@test
def only_some_roles_export_and_each_sees_only_their_offices():
    s = shared()
    s.ensure_office("DZ-TAM", "Tamanrasset", "DZA")
    other = request("POST", "/api/v1/cases", case_body(office="DZ-TAM"), token=s.admin())[2]
    for role in ("registration", "counsellor", "medical", "partner", "donor"):
        _, tok = s.make_user([role], ["EG-CAI"])
        assert_problem(_get("/api/v1/exports/cases.csv", tok), 403, "forbidden")
    _, me = s.make_user(["me"], ["EG-CAI"])
    data = _get("/api/v1/exports/cases.csv", me)[2]
    assert other["number"] not in data
    assert_problem(_get("/api/v1/exports/cases.csv?stage=nowhere", me), 400, "bad-request")


if __name__ == "__main__":
    main()
