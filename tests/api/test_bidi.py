"""Direction overrides (security review, issue 14): U+202A..U+202E and
U+2066..U+2069 make text display as something else — "Ali\u202egnp.exe"
reads "Ali exe.png". Names, codes and areas refuse them (422 naming the
field, for every entity, from the generic field validation); free text
keeps them, and exports strip them from every cell, including values
stored before the rule. The marks Arabic text needs (RLM U+200F, LRM
U+200E, ALM U+061C) are accepted."""
import csv
import io
import sqlite3
import zipfile

from harness import (test, shared, request, admin, assert_problem, case_body, person,
                     uniq_username, uniq_office_code, Server, main)

OVERRIDES = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
             "\u2066", "\u2067", "\u2068", "\u2069"]


def _fields(data):
    return [e["field"] for e in data.get("errors", [])]


@test
def names_areas_and_codes_refuse_direction_overrides():
    s = shared()
    s.ensure_office("EG-CAI", "Cairo", "EGY")
    for ch in OVERRIDES:
        bad = "Ali" + ch + "gnp.exe"
        st, _, data = request("POST", "/api/v1/cases", case_body(members=[
            {"relationship": "principal", "person": person(name=bad)}]), token=admin())
        assert_problem((st, _, data), 422, "validation")
        assert _fields(data) == ["members[0].person.name"], (hex(ord(ch)), data)
        st, _, data = request("POST", "/api/v1/cases", case_body(destination_admin_area=bad),
                              token=admin())
        assert_problem((st, _, data), 422, "validation")
        assert _fields(data) == ["destination_admin_area"], data
    # Every entity: an office, a user's full name, a restriction's area.
    bad = "Cairo\u202e"
    st, _, data = request("POST", "/api/v1/offices", {"code": uniq_office_code(), "name": bad,
                                                      "country": "EGY"}, token=admin())
    assert_problem((st, _, data), 422, "validation")
    assert _fields(data) == ["name"], data
    name = uniq_username()
    st, _, data = request("POST", "/api/v1/users", {
        "username": name, "password": "pw-" + name + "-long", "full_name": "Awa\u2067 T",
        "roles": ["registration"], "offices": ["EG-CAI"]}, token=admin())
    assert_problem((st, _, data), 422, "validation")
    assert _fields(data) == ["full_name"], data
    st, _, data = request("POST", "/api/v1/restrictions", {
        "country": "LBY", "admin_area": "Sirte\u202d", "kind": "suspended",
        "effective_from": "2026-01-01", "reason": "conflict", "next_review": "2027-01-01"},
        token=_manager())
    assert_problem((st, _, data), 422, "validation")
    assert _fields(data) == ["admin_area"], data


def _manager():
    return shared().make_user(["manager"], ["EG-CAI"])[1]


@test
def the_marks_arabic_needs_are_accepted_and_notes_keep_their_text():
    s = shared()
    s.ensure_office("EG-CAI", "Cairo", "EGY")
    name = "\u200fموسى بن\u061c علي\u200e 2"
    notes = "قال \u2067Bamako\u2069 ثم غادر"
    st, _, c = request("POST", "/api/v1/cases", case_body(notes=notes, members=[
        {"relationship": "principal", "person": person(name=name)}]), token=admin())
    assert st == 201, (st, c)
    assert c["members"][0]["person"]["name"] == name
    assert c["notes"] == notes


@test
def exports_strip_direction_overrides_from_every_cell():
    """Values stored before the rule (written here straight into the
    database) leave in no CSV or XLSX cell with an override."""
    srv = Server()
    try:
        srv.start()
        srv.ensure_office("EG-CAI", "Cairo", "EGY")
        tag = uniq_username().upper()
        st, _, c = srv.request("POST", "/api/v1/cases", case_body(members=[
            {"relationship": "principal", "person": person(name="N" + tag, name_latin="L" + tag)}]),
            token=srv.admin())
        assert st == 201, (st, c)
        srv.stop()
        db = sqlite3.connect(srv.db)
        db.execute("UPDATE persons SET name=?, name_latin=? WHERE id=?",
                   ("N" + tag + "\u202egnp.exe", "L" + tag + "\u2066x\u2069",
                    c["members"][0]["person_id"]))
        db.execute("UPDATE cases SET destination_admin_area=?, project=? WHERE id=?",
                   ("Kayes\u202b", "\u202d=1+1", c["id"]))
        db.commit()
        db.close()
        srv.start()
        q = "?names=true&recipient=internal&office=EG-CAI"
        st, _, data = srv.request("GET", "/api/v1/exports/cases.csv" + q, token=srv.admin())
        assert st == 200, (st, data)
        rows = list(csv.reader(io.StringIO(data[1:])))
        head = rows[0]
        mine = [r for r in rows[2:] if r[head.index("case number")] == c["number"]][0]
        assert mine[head.index("name")] == "N" + tag + "gnp.exe", mine
        assert mine[head.index("name in Latin script")] == "L" + tag + "x", mine
        assert mine[head.index("destination area")] == "Kayes", mine
        # What is left after stripping is still kept from being a formula.
        assert mine[head.index("project")] == "'=1+1", mine
        assert not any(ch in data for ch in OVERRIDES), "no override in the CSV"
        st, _, raw = srv.request("GET", "/api/v1/exports/cases.xlsx" + q, token=srv.admin())
        assert st == 200, (st, raw)
        raw = raw if isinstance(raw, bytes) else raw.encode("latin-1")
        z = zipfile.ZipFile(io.BytesIO(raw))
        text = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
        assert "N" + tag + "gnp.exe" in text, "the name is in the workbook"
        assert not any(ch in text for ch in OVERRIDES), "no override in the XLSX"
    finally:
        if srv.alive():
            srv.stop()
        srv.cleanup()


if __name__ == "__main__":
    main()
