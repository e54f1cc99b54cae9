"""The manifest of a movement (src/app/manifest.c,
GET /api/v1/movements/{id}/manifest?format=json|csv|xlsx): passengers by
family (case number, then position), names in both scripts, age at the
departure date and its group (0-4, 5-11, 12-17, 18-59, 60+), counts by
sex, age group and vulnerability, a line per escort, always current; the
CSV and the XLSX carry the same rows (the XLSX is opened with zipfile and
its sheet XML parsed); the scope by office (404) and the permission
movement.manifest (403)."""
import csv
import datetime
import io
import re
import xml.etree.ElementTree as ET
import zipfile

from harness import test, assert_problem, main
from journey_util import adult, child
from test_movements import M, req, create, add, ready_case

NS = {"x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def manifest(mid, fmt=None, role="operations", office="EG-CAI"):
    return req("GET", M + "/" + mid + "/manifest" +
               ("?format=" + fmt if fmt else ""), role=role, office=office)


def csv_rows(text):
    assert text.startswith("\ufeff"), "a BOM for spreadsheets"
    rows = list(csv.reader(io.StringIO(text[1:])))
    return [_trim(r) for r in rows]


def _trim(row):
    row = list(row)
    while row and row[-1] == "":
        row.pop()
    return row


def _col(ref):
    n = 0
    for ch in re.match(r"[A-Z]+", ref).group(0):
        n = n * 26 + ord(ch) - 64
    return n - 1


def xlsx_rows(raw):
    """The first sheet's rows as lists of text (numbers as their digits),
    read from the workbook's XML."""
    z = zipfile.ZipFile(io.BytesIO(raw))
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall(
                "x:si", NS):
            shared.append("".join(t.text or "" for t in si.iter(
                "{%s}t" % NS["x"])))
    sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    rows = {}
    for r in sheet.find("x:sheetData", NS).findall("x:row", NS):
        cells = {}
        for c in r.findall("x:c", NS):
            t, v = c.get("t"), c.find("x:v", NS)
            if t == "s":
                val = shared[int(v.text)]
            elif t == "inlineStr":
                val = "".join(x.text or "" for x in c.iter("{%s}t" % NS["x"]))
            elif v is not None:
                f = float(v.text)
                val = str(int(f)) if f == int(f) else v.text
            else:
                val = ""
            cells[_col(c.get("r"))] = val
        row = [""] * (max(cells) + 1 if cells else 0)
        for k, val in cells.items():
            row[k] = val
        rows[int(r.get("r"))] = _trim(row)
    n = max(rows) if rows else 0
    return [rows.get(i, []) for i in range(1, n + 1)]


def files_agree(mid):
    """The CSV and the XLSX of the manifest, as rows, asserting they are
    the same rows cell for cell; returns them."""
    st, h, text = manifest(mid, "csv")
    assert st == 200 and h["Content-Type"].startswith("text/csv"), (st, h)
    assert "attachment" in h["Content-Disposition"], h
    st, h, raw = manifest(mid, "xlsx")
    assert st == 200 and h["Content-Type"].startswith(
        "application/vnd.openxmlformats"), (st, h)
    a, b = csv_rows(text), xlsx_rows(raw)
    assert a == b, "\n".join("%r\n%r" % (x, y) for x, y in zip(a, b) if x != y)
    return a


def section(rows, first):
    return {r[1]: int(r[2]) for r in rows if r and r[0] == first}


def lines(rows, kind):
    return [r for r in rows if len(r) > 1 and r[1] == kind]


@test
def the_manifest_of_an_empty_movement_has_zero_counts_and_its_escort_line():
    m = create()
    st, _, d = manifest(m["id"])
    assert st == 200, (st, d)
    assert d["passengers"] == [] and d["escorts"] == [], d
    c = d["counts"]
    assert c["passengers"] == 0 and c["escorts"] == 0
    assert c["age_group"] == {"0-4": 0, "5-11": 0, "12-17": 0, "18-59": 0,
                              "60+": 0}, c
    assert c["sex"] == {"female": 0, "male": 0}, c
    assert d["movement"]["reference"] == m["reference"]
    assert d["movement"]["departure_date"] == m["departs_at"][:10]
    assert [(l["from"], l["to"]) for l in d["movement"]["legs"]] == [
        ("CAI", "ALG"), ("ALG", "BKO")]
    # an escort travels even before any passenger
    st, _, e = req("POST", M + "/" + m["id"] + "/escorts",
                   {"kind": "operational", "name": "Ops Escort",
                    "organisation": "IOM"})
    assert st == 201, e
    # text that a spreadsheet would run as a formula is written as text
    st, _, e = req("POST", M + "/" + m["id"] + "/escorts",
                   {"kind": "medical", "name": "Dr Plus",
                    "organisation": "=HYPERLINK(\"http://x\")"})
    assert st == 201, e
    rows = files_agree(m["id"])
    assert lines(rows, "passenger") == []
    esc = lines(rows, "escort")
    assert len(esc) == 2 and "Ops Escort" in esc[0] and "IOM" in esc[0], esc
    assert esc[1][16] == "'=HYPERLINK(\"http://x\")", esc[1]
    assert section(rows, "count") == {"passengers": 0, "escorts": 2}
    assert ["route", "CAI - ALG - BKO"] in rows, rows[:12]
    assert manifest(m["id"])[2]["counts"]["escorts"] == 2


def _birth(day, years, plus_days=0):
    d = day.replace(year=day.year - years) + datetime.timedelta(days=plus_days)
    return d.isoformat()


@test
def passengers_by_family_with_ages_at_departure_counts_and_escorts():
    m = create()
    dep = datetime.date.fromisoformat(m["departs_at"][:10])
    # a child who turns 5 the day after departure is 4: group 0-4; one
    # who turns 5 on the day is 5: group 5-11
    fam = ready_case([
        adult(name="فاطمة كيتا", name_latin="Fatoumata Keita", sex="female",
              date_of_birth=_birth(dep, 34)),
        adult("spouse", sex="male", date_of_birth=_birth(dep, 61),
              vulnerabilities=["elderly"]),
        child(rel="child", flags=("disability",), sex="male",
              date_of_birth=_birth(dep, 5, plus_days=1)),
        child(rel="child", flags=(), date_of_birth=_birth(dep, 5)),
        child(rel="child", flags=(), date_of_birth=_birth(dep, 17)),
    ])
    solo = ready_case([adult(sex="male", date_of_birth=_birth(dep, 25))])
    # booked in the other order: the manifest goes by family
    d = add(m["id"], cases=[solo.id, fam.id])
    assert len(d["added"]) == 6, d
    st, _, e = req("POST", M + "/" + m["id"] + "/escorts",
                   {"kind": "medical", "name": "Dr Awa Diallo",
                    "passengers": [fam.pid(2)]})
    assert st == 201, e

    st, _, man = manifest(m["id"])
    assert st == 200, (st, man)
    ps = man["passengers"]
    assert [p["person_id"] for p in ps] == fam.pids() + solo.pids(), ps
    assert [p["no"] for p in ps] == [1, 2, 3, 4, 5, 6]
    assert ps[0]["name"] == "فاطمة كيتا" and ps[0]["name_latin"] == \
        "Fatoumata Keita"
    assert [p["age"] for p in ps] == [34, 61, 4, 5, 17, 25], ps
    assert [p["age_group"] for p in ps] == ["18-59", "60+", "0-4", "5-11",
                                            "12-17", "18-59"]
    assert ps[0]["case_number"] == fam.case["number"]
    assert ps[0]["travel_document"]["number"], ps[0]
    c = man["counts"]
    assert c["passengers"] == 6 and c["escorts"] == 1
    assert c["age_group"] == {"0-4": 1, "5-11": 1, "12-17": 1, "18-59": 2,
                              "60+": 1}, c
    assert c["sex"] == {"female": 3, "male": 3}, c
    assert c["vulnerability"]["elderly"] == 1
    assert c["vulnerability"]["disability"] == 1
    assert c["vulnerability"]["pregnant"] == 0
    assert man["escorts"][0]["accompanies"][0]["person_id"] == fam.pid(2)

    rows = files_agree(m["id"])
    pas = lines(rows, "passenger")
    assert [r[0] for r in pas] == ["1", "2", "3", "4", "5", "6"]
    assert pas[0][4:6] == ["فاطمة كيتا", "Fatoumata Keita"], pas[0]
    assert [r[8] for r in pas] == ["34", "61", "4", "5", "17", "25"]
    assert [r[9] for r in pas] == ["18-59", "60+", "0-4", "5-11", "12-17",
                                   "18-59"]
    esc = lines(rows, "escort")
    assert len(esc) == 1 and esc[0][4] == "Dr Awa Diallo", esc
    assert esc[0][15] == "medical"
    assert section(rows, "age group") == c["age_group"]
    assert section(rows, "sex") == c["sex"]
    assert section(rows, "vulnerability") == c["vulnerability"]

    # always current: a household taken off is gone at once
    st, _, d = req("POST", M + "/" + m["id"] + "/passengers/remove",
                   {"case_id": solo.id, "reason": "changed flight"})
    assert st == 200, (st, d)
    man = manifest(m["id"])[2]
    assert [p["person_id"] for p in man["passengers"]] == fam.pids()
    assert man["counts"]["age_group"]["18-59"] == 1
    assert section(files_agree(m["id"]), "count")["passengers"] == 5


@test
def another_office_gets_404_and_a_role_without_movement_manifest_403():
    m = create()
    for role in ("operations", "manager"):
        assert manifest(m["id"], role=role)[0] == 200
    st, _, d = manifest(m["id"], office="ML-BKO")   # the receiving office
    assert st == 200, (st, d)
    for fmt in (None, "csv", "xlsx"):
        st, _, d = manifest(m["id"], fmt, office="DZ-TAM")
        assert st == 404, (fmt, st, d)
    for role in ("counsellor", "medical", "registration", "protection"):
        assert_problem(manifest(m["id"], role=role), 403, "forbidden")
    assert_problem(manifest(m["id"], "pdf"), 400, "bad-request")
    assert manifest("01930000-0000-7000-8000-000000000000")[0] == 404


if __name__ == "__main__":
    main()
