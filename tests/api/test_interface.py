"""What the web interface needs beyond the registry itself:

  * GET /api/v1/session says whether the caller is signed in without a 401
    (a browser logs every 401 as an error on a cold load): 200
    {"signed_in": false}, a stale cookie cleared, or {"signed_in": true,
    "user": what /me says};
  * an office has an optional name in Arabic and in French (name_ar,
    name_fr) beside its name, added by a migration that keeps the offices
    of an existing database;
  * GET /api/v1/schema says what the interface would otherwise retype:
    the stages in the journey's order, each with its properties
    (src/core/stages.def), and the statuses of a movement."""
import glob
import os
import sqlite3

from harness import (Server, REPO, test, shared, request, assert_problem, main,
                     uniq_office_code)

# The migration that added name_ar and name_fr (its file in src/store/).
NAMES_MIGRATION = "migration_014.sql"


@test
def the_session_probe_answers_200_signed_in_or_not():
    s = shared()
    st, h, d = request("GET", "/api/v1/session")
    assert st == 200 and d == {"signed_in": False}, (st, d)
    assert "Set-Cookie" not in h
    # a stale cookie is said to be no session, and cleared
    st, h, d = request("GET", "/api/v1/session", headers={"Cookie": "awda_session=not-a-session"})
    assert st == 200 and d == {"signed_in": False}, (st, d)
    assert "awda_session=;" in h.get("Set-Cookie", "") and "Max-Age=0" in h["Set-Cookie"], h
    st, _, d = request("GET", "/api/v1/session", token="not-a-token")
    assert st == 200 and d == {"signed_in": False}, (st, d)
    # signed in, with a bearer token or the cookie
    name, tok = s.make_user(["registration"], ["EG-CAI"])
    me = request("GET", "/api/v1/me", token=tok)[2]
    st, h, d = request("GET", "/api/v1/session", token=tok)
    assert st == 200 and d == {"signed_in": True, "user": me}, (st, d, me)
    assert "Set-Cookie" not in h
    st, _, d = request("GET", "/api/v1/session", headers={"Cookie": "awda_session=" + tok})
    assert st == 200 and d["signed_in"] is True and d["user"]["username"] == name, d
    # after sign-out, signed out again
    st, _, _ = request("DELETE", "/api/v1/session", token=tok)
    assert st in (200, 204), st
    st, _, d = request("GET", "/api/v1/session", token=tok)
    assert st == 200 and d == {"signed_in": False}, (st, d)
    # GET /me still says 401 for a missing session
    st, _, p = request("GET", "/api/v1/me")
    assert_problem((st, _, p), 401, "unauthorized")


@test
def an_office_has_a_name_in_arabic_and_in_french():
    s = shared()
    code = uniq_office_code()
    body = {"code": code, "name": "Cairo", "name_ar": "القاهرة", "name_fr": "Le Caire",
            "country": "EGY"}
    st, _, d = request("POST", "/api/v1/offices", body, token=s.admin())
    assert st == 201, (st, d)
    assert d["name_ar"] == "القاهرة" and d["name_fr"] == "Le Caire", d
    listed = [o for o in request("GET", "/api/v1/offices", token=s.admin())[2]["items"]
              if o["code"] == code]
    assert listed == [d], listed
    st, _, d = request("PATCH", "/api/v1/offices/" + code, {"name_fr": "Caire (Le)"},
                       token=s.admin())
    assert st == 200 and d["name_fr"] == "Caire (Le)" and d["name_ar"] == "القاهرة", d
    st, _, d = request("PATCH", "/api/v1/offices/" + code, {"name_ar": None}, token=s.admin())
    assert st == 200 and d["name_ar"] is None and d["name"] == "Cairo", d
    for bad in ({"name_ar": ""}, {"name_fr": "x" * 121}, {"name_fr": 7}):
        p = assert_problem(request("PATCH", "/api/v1/offices/" + code, bad, token=s.admin()),
                           422, "validation")
        assert p["errors"][0]["field"] == list(bad)[0], p
    # without them, an office is as before
    code2 = uniq_office_code()
    st, _, d = request("POST", "/api/v1/offices",
                       {"code": code2, "name": "Kayes", "country": "MLI"}, token=s.admin())
    assert st == 201 and d["name_ar"] is None and d["name_fr"] is None, d
    # the schema offers them to the forms
    fields = [f["name"] for f in request("GET", "/api/v1/schema", token=s.admin())[2]["office"]]
    assert "name_ar" in fields and "name_fr" in fields, fields


@test
def the_migration_keeps_the_offices_of_a_database_made_before_it():
    srv = Server()
    try:
        # A database as the migrations before this one leave it, with offices.
        files = sorted(glob.glob(os.path.join(REPO, "src", "store", "migration_*.sql")))
        names = [os.path.basename(f) for f in files]
        assert NAMES_MIGRATION in names, names
        before = [os.path.join(REPO, "src", "store", "schema.sql")] + \
            files[:names.index(NAMES_MIGRATION)]
        db = sqlite3.connect(srv.db)
        for f in before:
            with open(f, encoding="utf-8") as fh:
                db.executescript(fh.read())
        db.execute("INSERT INTO offices(code,name,country,location,created_at) "
                   "VALUES('EG-CAI','Cairo','EGY','Cairo, Egypt',1)")
        db.execute("INSERT INTO offices(code,name,country,location,created_at) "
                   "VALUES('ML-BKO','Bamako','MLI',NULL,2)")
        db.execute("PRAGMA user_version=%d" % len(before))
        db.commit()
        db.close()
        srv.start()   # init migrates and adds the administrator
        items = srv.request("GET", "/api/v1/offices", token=srv.admin())[2]["items"]
        assert [(o["code"], o["name"], o["location"], o["name_ar"], o["name_fr"])
                for o in items] == [("EG-CAI", "Cairo", "Cairo, Egypt", None, None),
                                    ("ML-BKO", "Bamako", None, None, None)], items
        st, _, d = srv.request("PATCH", "/api/v1/offices/ML-BKO", {"name_ar": "باماكو"},
                               token=srv.admin())
        assert st == 200 and d["name_ar"] == "باماكو", (st, d)
    finally:
        srv.cleanup()


# Properties every stage has in the schema, true or false.
STAGE_PROPERTIES = ["before_departure", "paused", "stopped", "ended", "after_arrival",
                    "awaiting_movement"]


@test
def the_schema_gives_the_stages_with_their_properties_and_the_movement_statuses():
    s = shared()
    _, tok = s.make_user(["registration"], ["EG-CAI"])
    st, _, schema = request("GET", "/api/v1/schema", token=tok)
    assert st == 200, (st, schema)
    stages = schema["stages"]
    names = [x["name"] for x in stages]
    # the order of the journey, the same names the case's stage field offers
    case_stage = [f for f in schema["case"] if f["name"] == "stage"][0]
    assert names == case_stage["values"], (names, case_stage)
    assert names[:3] == ["registered", "counselled", "consented"], names
    for x in stages:
        assert sorted(x) == sorted(["name"] + STAGE_PROPERTIES), x
        assert all(x[p] in (True, False) for p in STAGE_PROPERTIES), x
    by = {x["name"]: {p for p in STAGE_PROPERTIES if x[p]} for x in stages}
    assert by["registered"] == {"before_departure"}, by
    assert by["ready"] == {"before_departure", "awaiting_movement"}, by
    assert by["booked"] == {"before_departure"}, by
    assert by["departed"] == set(), by
    assert by["arrived"] == {"after_arrival"}, by
    assert by["monitoring"] == {"after_arrival"}, by
    assert by["on_hold"] == {"paused"}, by
    assert by["withdrawn"] == {"stopped"}, by
    assert by["closed"] == {"stopped", "ended"}, by
    assert [n for n in names if "awaiting_movement" in by[n]] == \
        ["eligible", "pre_departure", "ready"], by
    assert [n for n in names if "after_arrival" in by[n]] == \
        ["arrived", "reintegrating", "monitoring"], by
    # the statuses of a movement, in the order of its life; each one is a
    # filter the list of movements takes
    assert schema["movement_statuses"] == \
        ["planned", "confirmed", "departed", "arrived", "cancelled"], schema["movement_statuses"]
    admin = s.admin()
    for status in schema["movement_statuses"]:
        st, _, d = request("GET", "/api/v1/movements?status=" + status, token=admin)
        assert st == 200, (status, st, d)
    st, _, d = request("GET", "/api/v1/movements?status=boarding", token=admin)
    assert st == 400, (st, d)
    # the kinds of movement and the values of its care, as the server
    # checks them: the web interface's forms offer exactly these
    assert schema["movement_types"] == ["charter", "scheduled_flight", "land", "sea"], schema
    assert schema["movement_care"] == {
        "escort_kinds": ["medical", "operational"],
        "assistance_points": ["departure", "transit", "arrival"],
        "assistance_statuses": ["requested", "confirmed", "done", "cancelled"],
        "onward_modes": ["bus", "car", "air", "boat", "train", "other"],
    }, schema["movement_care"]


if __name__ == "__main__":
    main()
