"""Imports (src/app/imports.c, src/http/api_imports.c): a spreadsheet or
a KoboToolbox export brought in by a mapping as a job with progress; the
dry run writes nothing; all-or-nothing against valid rows; a second
import of the same file creates nothing; every problem names its sheet,
row, column and field; bad files are refused with a problem and change
nothing; the permission and the office scope.

Each test makes its own rows (names with a random part), because a row
imported once is "already imported" for every later import."""
import csv
import io
import json
import os
import sqlite3
import time
import uuid

from harness import test, shared, assert_problem, main, REPO

MAPPING = json.load(open(os.path.join(REPO, "data", "import",
                                      "spreadsheet.mapping.json")))
HEADER = ["household", "name", "name_latin", "sex", "birth", "nationality",
          "relationship", "phone", "passport", "languages", "vulnerabilities",
          "origin", "destination", "area"]


def tag():
    return uuid.uuid4().hex[:8]


def tags(n):
    """n different tags of tag()'s length: a file of thousands of
    households from tag() alone would hold the same tag twice about once
    in 500 runs (two rows of one household, the same passport), and its
    counts would be off by a household."""
    base = uuid.uuid4().hex[:4]
    return ["%s%04x" % (base, i) for i in range(n)]


def rows_csv(rows):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(HEADER)
    for r in rows:
        w.writerow([r.get(k, "") for k in HEADER])
    return out.getvalue().encode("utf-8")


def person(hh, name, **over):
    r = {"household": hh, "name": name, "sex": "m", "birth": "12/03/1988",
         "nationality": "MLI", "relationship": "head", "languages": "bm fr",
         "origin": "MLI", "destination": "MLI", "area": "Kayes"}
    r.update(over)
    return r


def household(t, n=2):
    """A household of n persons with tag t in their names."""
    rows = [person("H-" + t, "Amadou Konaté " + t, phone="+20 100 123 4567",
                   passport="B" + t)]
    for i in range(1, n):
        rows.append(person("H-" + t, "Mariam Konaté %s %d" % (t, i), sex="ذكر" if i % 2 else "f",
                           birth="05/06/2015", relationship="daughter",
                           vulnerabilities=""))
    return rows


def multipart(fields, files):
    """A multipart/form-data body: (content type, bytes)."""
    b = "----awdatest" + uuid.uuid4().hex
    out = io.BytesIO()
    for k, v in fields.items():
        out.write(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n"
                   % (b, k)).encode())
        out.write(v.encode("utf-8") if isinstance(v, str) else v)
        out.write(b"\r\n")
    for k, (name, data) in files.items():
        out.write(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; "
                   "filename=\"%s\"\r\nContent-Type: application/octet-stream"
                   "\r\n\r\n" % (b, k, name)).encode())
        out.write(data)
        out.write(b"\r\n")
    out.write(("--%s--\r\n" % b).encode())
    return "multipart/form-data; boundary=" + b, out.getvalue()


_staff = {}


def staff(office="EG-CAI", roles=("registration",)):
    key = (office, roles)
    if key not in _staff:
        _staff[key] = shared().make_user(list(roles), [office])[1]
    return _staff[key]


def start(data, mode=None, mapping=None, tok=None, office=None, name="people.csv",
          example=None):
    fields = {}
    if example:
        fields["mapping_example"] = example
    else:
        fields["mapping"] = json.dumps(mapping or MAPPING)
    if mode:
        fields["mode"] = mode
    if office:
        fields["office"] = office
    ct, body = multipart(fields, {"file": (name, data)})
    return shared().request("POST", "/api/v1/imports", raw=body,
                            headers={"Content-Type": ct},
                            token=tok or staff(), timeout=60)


def wait(loc, tok=None, timeout=120):
    """Polls the import until it ends: its last progress."""
    end = time.time() + timeout
    while True:
        st, _, d = shared().request("GET", loc, token=tok or staff())
        assert st == 200, (st, d)
        if d["status"] in ("done", "refused", "failed"):
            return d
        assert time.time() < end, d
        time.sleep(0.1)


def run(data, mode=None, tok=None, timeout=120, **kw):
    st, h, d = start(data, mode=mode, tok=tok, **kw)
    assert st == 202, (st, d)
    assert h.get("Location", "").startswith("/api/v1/imports/"), h
    return wait(h["Location"], tok=tok, timeout=timeout)


def counts():
    db = sqlite3.connect(shared().db, timeout=30)
    try:
        return tuple(db.execute("SELECT count(*) FROM %s" % t).fetchone()[0]
                     for t in ("cases", "persons", "case_members", "import_rows",
                               "case_events", "person_name_keys"))
    finally:
        db.close()


def imports_count():
    db = sqlite3.connect(shared().db, timeout=30)
    try:
        return db.execute("SELECT count(*) FROM imports").fetchone()[0]
    finally:
        db.close()


def problems(imp, tok=None):
    st, _, d = shared().request("GET", "/api/v1/imports/%s/problems" % imp["id"],
                                token=tok or staff())
    assert st == 200, (st, d)
    return d["items"]


@test
def dry_run_writes_nothing_and_reports_what_it_would_do():
    t = tag()
    data = rows_csv(household(t, 3) + household(tag(), 1))
    before = counts()
    d = run(data)  # the mode is dry_run unless said
    assert d["mode"] == "dry_run" and d["status"] == "done", d
    assert d["rows_total"] == 4 and d["households"] == 2, d
    assert d["problems"] == 0 and d["cases_created"] == 0, d
    assert counts() == before, (before, counts())


@test
def a_valid_file_is_registered_and_reads_back_through_cases():
    t = tag()
    d = run(rows_csv(household(t, 3)), mode="all_or_nothing")
    assert d["status"] == "done", d
    assert (d["cases_created"], d["persons_created"]) == (1, 3), d
    st, _, found = shared().request("GET", "/api/v1/persons?q=" + t, token=staff())
    db = sqlite3.connect(shared().db, timeout=30)
    cid = db.execute("SELECT c.id FROM import_rows r JOIN cases c ON c.pk=r.case_pk "
                     "JOIN imports i ON i.pk=r.import_pk WHERE i.id=? LIMIT 1",
                     (d["id"],)).fetchone()[0]
    src = db.execute("SELECT r.file_sha256, r.sheet, r.row_number FROM import_rows r JOIN imports i "
                     "ON i.pk=r.import_pk WHERE i.id=? ORDER BY r.row_number", (d["id"],)).fetchall()
    db.close()
    assert [s[2] for s in src] == [2, 3, 4], src
    assert all(s[0] == d["file_sha256"] and s[1] == "people" for s in src), src
    st, _, case = shared().request("GET", "/api/v1/cases/" + cid, token=staff())
    assert st == 200, (st, case)
    assert case["office"] == "EG-CAI" and case["destination_admin_area"] == "Kayes", case
    m = case["members"]
    assert [x["relationship"] for x in m] == ["principal", "child", "child"], m
    head = m[0]["person"]
    assert head["name"] == "Amadou Konaté " + t, head
    assert head["sex"] == "male" and head["date_of_birth"] == "1988-03-12", head
    assert head["dob_precision"] == "exact", head
    assert head["languages"] == ["bm", "fr"], head
    assert head["contact"]["phone"] == "+20 100 123 4567", head
    assert head["documents"][0]["number"] == "B" + t, head
    assert m[1]["person"]["sex"] == "male" and m[2]["person"]["sex"] == "female", m


@test
def reimporting_the_same_file_creates_nothing():
    data = rows_csv(household(tag(), 2) + household(tag(), 1))
    d1 = run(data, mode="valid_rows")
    assert d1["cases_created"] == 2, d1
    before = counts()
    d2 = run(data, mode="valid_rows")
    assert d2["status"] == "done" and d2["cases_created"] == 0, d2
    assert d2["already_imported"] == 2, d2
    assert counts() == before
    # a changed file: its unchanged rows are recognised, the new one is not
    t = tag()
    d3 = run(data + rows_csv(household(t, 1))[len(",".join(HEADER)) + 2:], mode="valid_rows")
    assert (d3["cases_created"], d3["already_imported"]) == (1, 2), d3


def bad_rows(t):
    return household(t, 1) + [
        person("H-B" + t, "Awa " + t, sex="x", birth="31/02/1990"),
        person("H-C" + t, "", nationality="ZZZ", phone="=HYPERLINK(\"x\")"),
    ]


@test
def all_or_nothing_writes_nothing_when_one_row_is_wrong():
    before, n = counts(), imports_count()
    d = run(rows_csv(bad_rows(tag())), mode="all_or_nothing")
    assert d["status"] == "refused" and d["cases_created"] == 0, d
    assert d["problems"] >= 5, d
    assert counts() == before
    assert imports_count() == n + 1  # the import's own record, and its problems


@test
def problems_name_the_sheet_row_column_and_field():
    d = run(rows_csv(bad_rows(tag())))
    got = {(p["row"], p["column"], p["field"]) for p in problems(d)}
    want = {(3, "sex", "sex"), (3, "birth", "date_of_birth"), (4, "name", "name"),
            (4, "nationality", "nationality"), (4, "phone", "contact.phone")}
    assert want <= got, got
    ps = problems(d)
    assert all(p["sheet"] == "people" for p in ps), ps
    formula = [p for p in ps if p["row"] == 4 and p["column"] == "phone"]
    assert any("formula" in p["message"] for p in formula), formula
    # in the user's language
    st, _, fr = shared().request("GET", "/api/v1/imports/%s/problems" % d["id"],
                                 token=staff(), headers={"Accept-Language": "fr"})
    assert st == 200
    msgs = [p["message"] for p in fr["items"]]
    assert any("formule" in m for m in msgs), msgs
    # the CSV report
    st, h, text = shared().request("GET", "/api/v1/imports/%s/problems?format=csv" % d["id"],
                                   token=staff())
    assert st == 200 and h["Content-Type"].startswith("text/csv"), (st, h)
    assert "attachment" in h.get("Content-Disposition", ""), h
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert lines[0] == ["sheet", "row", "column", "field", "message"], lines[0]
    assert ["people", "3", "sex", "sex"] in [l[:4] for l in lines], lines
    # a formula is never written as one
    assert not any(c.startswith("=") for l in lines for c in l), lines


@test
def valid_rows_writes_the_good_households_and_reports_the_others():
    t = tag()
    before = counts()
    d = run(rows_csv(bad_rows(t)), mode="valid_rows")
    assert d["status"] == "done", d
    assert (d["cases_created"], d["persons_created"], d["skipped"]) == (1, 1, 2), d
    after = counts()
    assert (after[0] - before[0], after[1] - before[1]) == (1, 1), (before, after)
    assert {p["row"] for p in problems(d)} == {3, 4}


@test
def a_household_the_write_refuses_is_reported_and_the_others_written():
    """A reference only the write resolves (the assigned case worker): the
    batch is written again one household at a time."""
    t = tag()
    m = dict(MAPPING, case=dict(MAPPING["case"], assigned_to={"column": "name_latin"}))
    rows = household(t, 2) + household(tag(), 1)
    rows[0]["name_latin"] = "nosuchuser" + t
    before = counts()
    d = run(rows_csv(rows), mode="valid_rows", mapping=m)
    assert d["status"] == "done", d
    assert (d["cases_created"], d["persons_created"], d["skipped"]) == (1, 1, 1), d
    after = counts()
    assert (after[0] - before[0], after[1] - before[1]) == (1, 1), (before, after)
    ps = problems(d)
    assert [(p["row"], p["column"], p["field"]) for p in ps] == [(2, "name_latin", "assigned_to")], ps
    assert "nosuchuser" in ps[0]["message"], ps


@test
def a_file_of_several_batches_counts_and_reports_as_one_batch_after_the_other():
    """3,500 households: batches of 1,000, 2,000 and 500, each prepared
    while the one before is written (import_pass.c). Rows the check
    refuses and households the write refuses (an unknown assigned case
    worker: that batch written again one household at a time) in every
    batch: the counts are exact and the problems come in the order they
    came in when each batch waited for the one before."""
    m = dict(MAPPING, case=dict(MAPPING["case"], assigned_to={"column": "name_latin"}))
    rows, checked, refused_rows = [], [], []
    for i, t in enumerate(tags(3500)):
        r = household(t, 1)[0]
        if i % 250 == 7:
            r["sex"] = "x"  # refused by the check
            checked.append(i + 2)
        elif i in (600, 1500, 2999, 3300):
            r["name_latin"] = "nosuchuser" + tag()  # refused by the write
            refused_rows.append(i + 2)
        rows.append(r)
    before = counts()
    d = run(rows_csv(rows), mode="valid_rows", mapping=m, timeout=600)
    bad = len(checked) + len(refused_rows)
    assert d["status"] == "done", d
    assert (d["households"], d["cases_created"], d["persons_created"], d["skipped"],
            d["problems"], d["rows_done"]) == (3500, 3500 - bad, 3500 - bad, bad, bad, 3500), d
    after = counts()
    assert (after[0] - before[0], after[1] - before[1]) == (3500 - bad, 3500 - bad)
    # one batch after the other: the check's problems of a batch's
    # households as they are met, then the write's problems of the batch
    # (AWDA_IMPORT_BATCH_FIRST 1,000 valid households, then twice as many)
    want, waiting, filled, cap = [], [], 0, 1000
    for r in range(2, 3502):
        if r in checked:
            want.append(r)
            continue
        waiting += [r] if r in refused_rows else []
        filled += 1
        if filled == cap:
            want, waiting, filled, cap = want + waiting, [], 0, cap * 2
    want += waiting
    ps = problems(d)
    assert [p["row"] for p in ps] == want, ([p["row"] for p in ps], want)
    assert [p["field"] for p in ps if p["row"] in refused_rows] == ["assigned_to"] * 4, ps


def refused(data, name, code=None):
    before, n = counts(), imports_count()
    st, h, d = start(data, mode="all_or_nothing", name=name)
    assert_problem((st, h, d), 422)
    assert any(e.get("field") == "file" for e in d["errors"]), d
    if code:
        assert any(e.get("code") == code for e in d["errors"]), d
    assert counts() == before and imports_count() == n
    return d


@test
def bad_files_are_refused_with_a_problem_and_change_nothing():
    refused(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n\x00\x00\x01", "a.pdf",
            "not_a_table")
    refused("household,name\nH-1,Am\xe9lie\n".encode("latin-1"), "latin1.csv", "bad_encoding")
    refused(b"household,name\nH-1,\"unterminated\n", "quote.csv", "bad_csv")
    refused(b"PK\x03\x04" + b"\x00" * 200, "broken.xlsx")
    # a sheet far too wide
    refused((",".join("c%d" % i for i in range(100000)) + "\n1\n").encode(), "wide.csv",
            "too_many_columns")


@test
def a_bad_mapping_is_refused_with_its_field():
    for mapping, field in ((dict(MAPPING, person=dict(MAPPING["person"], colour="x")),
                            "person.colour"),
                           (dict(MAPPING, person=dict(MAPPING["person"], name="no such")),
                            "person.name")):
        n = imports_count()
        st, h, d = start(rows_csv(household(tag(), 1)), mapping=mapping)
        assert_problem((st, h, d), 422)
        assert any(e["field"] == field for e in d["errors"]), d
        assert imports_count() == n


@test
def the_raw_body_and_an_example_mapping():
    data = rows_csv(household(tag(), 1))
    st, h, d = shared().request(
        "POST", "/api/v1/imports?mapping_example=spreadsheet&mode=dry_run", raw=data,
        headers={"Content-Type": "text/csv"}, token=staff())
    assert st == 202, (st, d)
    d = wait(h["Location"])
    assert d["status"] == "done" and d["households"] == 1, d
    st, h, d = start(data, example="no-such-example")
    assert_problem((st, h, d), 422, fields=["mapping_example"])


@test
def only_import_run_in_its_office():
    data = rows_csv(household(tag(), 1))
    me = shared().make_user(["me"], ["EG-CAI"])[1]
    st, h, d = start(data, tok=me)
    assert_problem((st, h, d), 403)
    tam = staff("DZ-TAM")
    n = imports_count()
    st, h, d = start(data, tok=tam, office="EG-CAI")
    assert_problem((st, h, d), 403)
    assert imports_count() == n
    mine = run(data)
    st, _, other = shared().request("GET", "/api/v1/imports/" + mine["id"], token=tam)
    assert_problem((st, _, other), 404)
    st, _, other = shared().request("GET", "/api/v1/imports/%s/problems" % mine["id"], token=tam)
    assert_problem((st, _, other), 404)
    st, _, lst = shared().request("GET", "/api/v1/imports", token=tam)
    assert st == 200 and mine["id"] not in [i["id"] for i in lst["items"]], lst
    st, _, lst = shared().request("GET", "/api/v1/imports", token=staff())
    assert st == 200 and mine["id"] in [i["id"] for i in lst["items"]], lst
    # a case the mapping puts in another office
    other_office = dict(MAPPING, case=dict(MAPPING["case"], office={"default": "DZ-TAM"}))
    d = run(rows_csv(household(tag(), 1)), mapping=other_office)
    assert d["problems"] == 1, d
    assert problems(d)[0]["field"] == "office", problems(d)


@test
def possible_duplicates_are_flagged_not_merged():
    t = tag()
    first = person("H-1" + t, "Ousmane Diarra " + t, birth="02/02/1985")
    again = person("H-2" + t, "Ousmane Diara " + t, birth="02/02/1985", phone="+223 70 00 00 00")
    d = run(rows_csv([first, again]), mode="all_or_nothing")
    assert d["status"] == "done" and d["persons_created"] == 2, d
    assert d["duplicates_flagged"] >= 1, d
    db = sqlite3.connect(shared().db, timeout=30)
    try:
        pairs = db.execute(
            "SELECT p.source, p.status FROM duplicate_pairs p JOIN imports i ON i.pk=p.import_pk "
            "WHERE i.id=?", (d["id"],)).fetchall()
    finally:
        db.close()
    assert pairs and all(p == ("import", "open") for p in pairs), pairs


def kobo_workbook(**over):
    """The KoboToolbox example, written by data/import/make-kobo-example.py
    with its rows replaced by over (MAIN_ROWS, MEMBER_ROWS)."""
    import importlib.util
    import tempfile
    spec = importlib.util.spec_from_file_location(
        "make_kobo", os.path.join(REPO, "data", "import", "make-kobo-example.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    for k, v in over.items():
        setattr(mod, k, v)
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "kobo.xlsx")
        mod.write(path)
        return mod, open(path, "rb").read()


def case_of_import(imp):
    db = sqlite3.connect(shared().db, timeout=30)
    try:
        return [r[0] for r in db.execute(
            "SELECT DISTINCT c.id FROM import_rows r JOIN cases c ON c.pk=r.case_pk JOIN imports i "
            "ON i.pk=r.import_pk WHERE i.id=? ORDER BY c.pk", (imp["id"],))]
    finally:
        db.close()


@test
def a_kobo_export_with_groups_and_repeats_round_trips():
    t = tag()
    mod, _ = kobo_workbook()
    main_rows = [[c.replace("Coulibaly", "Coulibaly " + t).replace("Bah", "Bah " + t)
                  for c in r] for r in mod.MAIN_ROWS]
    members = [[c.replace("Coulibaly", "Coulibaly " + t).replace("Bah", "Bah " + t)
                for c in r] for r in mod.MEMBER_ROWS]
    main_rows[2][5] = "آدم إبراهيم " + t
    members[4][0] = "فاطمة آدم " + t
    _, data = kobo_workbook(MAIN_ROWS=main_rows, MEMBER_ROWS=members)
    d = run(data, mode="all_or_nothing", example="kobo-household", name="kobo.xlsx")
    assert d["status"] == "done" and d["format"] == "xlsx", d
    assert (d["households"], d["cases_created"], d["persons_created"]) == (3, 3, 8), d
    cases = []
    for cid in case_of_import(d):
        st, _, c = shared().request("GET", "/api/v1/cases/" + cid, token=staff())
        assert st == 200, (st, c)
        cases.append(c)
    first = cases[0]
    assert first["destination_country"] == "MLI" and first["destination_admin_area"] == "Kayes"
    rels = [(m["relationship"], m["person"]["name"]) for m in first["members"]]
    assert rels == [("principal", "موسى كوليبالي"), ("spouse", "Awa Coulibaly " + t),
                    ("child", "Seydou Coulibaly " + t), ("child", "Fanta Coulibaly " + t)], rels
    head = first["members"][0]["person"]
    assert head["name_latin"] == "Moussa Coulibaly " + t and head["sex"] == "male", head
    assert head["languages"] == ["bm", "fr"] and head["contact"]["phone"] == "+223 76 12 34 56"
    awa = first["members"][1]["person"]
    assert awa["vulnerabilities"] == ["pregnant"] and awa["nationality"] == "MLI", awa
    assert first["members"][2]["person"]["date_of_birth"] == "2014"
    assert first["members"][2]["person"]["dob_precision"] == "year"
    bah = cases[1]["members"]
    assert bah[0]["person"]["vulnerabilities"] == ["single_parent"], bah
    assert bah[1]["person"]["nationality"] == "GIN", bah  # the head's, by parent_column
    sudan = cases[2]["members"]
    assert sudan[0]["person"]["sex"] == "male" and sudan[1]["person"]["sex"] == "female", sudan
    assert sudan[1]["relationship"] == "child", sudan
    # and once more: nothing new
    d2 = run(data, mode="all_or_nothing", example="kobo-household", name="kobo-again.xlsx")
    assert (d2["cases_created"], d2["already_imported"]) == (0, 3), d2


@test
def a_repeat_row_without_its_household_is_a_problem_on_its_row():
    t = tag()
    mod, _ = kobo_workbook()
    main_rows = [[c.replace("Coulibaly", t) for c in mod.MAIN_ROWS[0]]]
    members = [[c.replace("Coulibaly", t) for c in mod.MEMBER_ROWS[0]],
               ["Orphan " + t, "male", "2001", "son", "bm", "", "9", mod.MAIN, "77", "1"]]
    _, data = kobo_workbook(MAIN_ROWS=main_rows, MEMBER_ROWS=members)
    d = run(data, example="kobo-household", name="kobo.xlsx")
    ps = problems(d)
    assert [(p["sheet"], p["row"], p["column"]) for p in ps] == [("member", 3, "_parent_index")], ps
    assert "77" in ps[0]["message"], ps


@test
def a_column_two_groups_end_with_must_be_named_in_full():
    t = tag()
    mod, _ = kobo_workbook()
    cols = list(mod.MAIN_COLS) + ["household/contact/phone"]
    rows = [r + [""] for r in mod.MAIN_ROWS]
    for r in rows:
        r[5] += " " + t
    mod2, data = kobo_workbook(MAIN_COLS=cols, MAIN_ROWS=rows)
    st, h, d = start(data, example="kobo-household", name="kobo.xlsx")
    assert_problem((st, h, d), 422, fields=["person.contact.phone"])
    msg = [e["message"] for e in d["errors"] if e["field"] == "person.contact.phone"][0]
    assert "household/head/phone" in msg and "household/contact/phone" in msg, msg


if __name__ == "__main__":
    main()
