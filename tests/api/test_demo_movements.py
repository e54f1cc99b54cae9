"""The demo's movements (data/demo/movements.json, src/cli/demo_movements.c):
a new user opens a planned charter from Tamanrasset via Algiers to Bamako
with its passengers at every state — booked and ready to board, blocked
with the reason (a laissez-passer that expires before the departure, a
reconfirmation still due), escorted (a medical escort for the passenger
whose health assessment asks for one, an escort for the unaccompanied
child) — and a scheduled flight from Cairo to Khartoum with airport
assistance and onward transport; both have a manifest. A bad
movements.json is named before anything is written."""
import csv
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess

from harness import Server, test, main

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data", "demo")


def _demo():
    srv = Server()
    srv.init()
    p = subprocess.run([srv.bin, "demo", "--db", srv.db], capture_output=True, timeout=300)
    out = p.stdout.decode()
    assert p.returncode == 0, (p.returncode, out[-2000:], p.stderr.decode()[-2000:])
    users = dict(re.findall(r"^user: (\S+)\s.*password: (\S+)$", out, re.M))
    return srv, users, p.stderr.decode()


def _get(srv, tok, path):
    st, _, d = srv.request("GET", "/api/v1/movements" + path, token=tok)
    assert st == 200, (st, path, d)
    return d


@test
def the_demo_holds_a_charter_and_a_flight_with_their_boards_and_manifests():
    srv, users, err = _demo()
    try:
        assert "CH-TMR-BKO" in err and "MS 853 CAI-KRT" in err, err[-1000:]
        srv.start()
        st, _, login = srv.login("omar.operations", users["omar.operations"])
        assert st == 201, login
        tok = login["token"]
        items = _get(srv, tok, "")["items"]
        by_ref = {m["reference"]: m for m in items}
        charter = by_ref["CH-TMR-BKO"]
        assert charter["type"] == "charter" and charter["status"] == "planned", charter
        assert [(l["from"], l["to"]) for l in charter["legs"]] == [("TMR", "ALG"), ("ALG", "BKO")]
        assert (charter["office"], charter["receiving_office"]) == ("DZ-TAM", "ML-BKO")

        m = _get(srv, tok, "/" + charter["id"])
        booked = [p for p in m["passengers"] if p["status"] == "booked"]
        assert len(booked) >= 10 and len(booked) == len(m["passengers"]), m["passengers"]
        # the seats: passengers and the two escorts
        assert m["seats_taken"] == len(booked) + 2, m["seats_taken"]

        # the board: blockers per person, with their reasons
        board = _get(srv, tok, "/" + charter["id"] + "/board")
        rows = board["passengers"]
        assert len(rows) == len(booked)
        expiring = [r for r in rows if any(b["code"] == "document.valid"
                                           for b in r["booking"]["blockers"])]
        assert len(expiring) == 4, [r["name"] for r in expiring]        # the Sangaré family
        for r in expiring:
            msg = [b["message"] for b in r["booking"]["blockers"]][0]
            assert r["name"] in msg and "expires before the planned departure" in msg, msg
        unconfirmed = [r for r in rows if r["booking"]["met"] and
                       {b["code"] for b in r["boarding"]["blockers"]} ==
                       {"reconfirmation", "health.pre_embarkation"}]
        assert len(unconfirmed) == 2, [r["name"] for r in unconfirmed]  # the Konaté brothers
        for r in unconfirmed:
            assert {d["code"] for d in r["due"]} == {"reconfirmation", "preembarkation"}, r
        ready = [r for r in rows if r["booking"]["met"] and r["boarding"]["met"]]
        assert len(ready) == len(rows) - 6, [r["name"] for r in rows]
        assert board["blockers"] == [], board["blockers"]  # every escort assigned

        # escorts: a medical one for the passenger who needs one, one for the child
        esc = _get(srv, tok, "/" + charter["id"] + "/escorts")["items"]
        assert sorted(e["kind"] for e in esc) == ["medical", "operational"], esc
        # airport assistance at departure, transit and arrival; onward transport for everyone
        points = {a["point"] for a in _get(srv, tok, "/" + charter["id"] + "/assistance")["items"]}
        assert points == {"departure", "transit", "arrival"}, points
        onward = _get(srv, tok, "/" + charter["id"] + "/onward")["items"]
        assert len(onward) == len(booked), onward

        # the manifest: a row per passenger and per escort, with counts
        man = _get(srv, tok, "/" + charter["id"] + "/manifest?format=json")
        assert len(man["passengers"]) == len(booked) and len(man["escorts"]) == 2, man
        assert sum(man["counts"]["sex"].values()) == len(booked), man["counts"]
        assert man["counts"]["age_group"]["60+"] >= 1 and man["counts"]["age_group"]["5-11"] >= 2
        st, _, text = srv.request("GET", "/api/v1/movements/" + charter["id"] +
                                  "/manifest?format=csv", token=tok)
        assert st == 200, st
        lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
        pax = [l for l in lines if len(l) > 1 and l[1] == "passenger"]
        assert len(pax) == len(booked), lines

        # the flight from Cairo: seen by the receiving office too
        flight = by_ref["MS 853 CAI-KRT"]
        assert flight["type"] == "scheduled_flight", flight
        assert [(l["from"], l["to"]) for l in flight["legs"]] == [("CAI", "KRT")]
        st, _, login = srv.login("tarig.operations", users["tarig.operations"])
        assert st == 201, login
        ktok = login["token"]
        f = _get(srv, ktok, "/" + flight["id"])
        assert f["passengers"] and all(p["status"] == "booked" for p in f["passengers"]), f
        assist = _get(srv, ktok, "/" + flight["id"] + "/assistance")["items"]
        assert {a["point"] for a in assist} == {"departure", "arrival"}, assist
        onward = _get(srv, ktok, "/" + flight["id"] + "/onward")["items"]
        assert len(onward) == len(f["passengers"]) and onward[0]["mode"] == "bus", onward
        man = _get(srv, tok, "/" + flight["id"] + "/manifest?format=json")
        assert len(man["passengers"]) == len(f["passengers"]), man
    finally:
        srv.cleanup()


def _users_in(db):
    with sqlite3.connect(db) as c:
        return c.execute("SELECT count(*) FROM users").fetchone()[0]


@test
def a_bad_movements_file_is_named_and_changes_nothing():
    srv = Server()
    try:
        srv.init()
        before = _users_in(srv.db)
        bad = os.path.join(srv.tmp, "demo")
        for change, said in (
                (None, "movements.json: missing"),
                (lambda d: d["movements"][0]["households"].append("nobody"),
                 "movements.json: movements[0]: names a household"),
                (lambda d: d["movements"][1]["movement"].update(receiving_office="XX-NOP"),
                 "movements.json: movements[1]: \"office\" and \"receiving_office\"")):
            shutil.rmtree(bad, ignore_errors=True)
            shutil.copytree(DATA, bad)
            path = os.path.join(bad, "movements.json")
            if change is None:
                os.remove(path)
            else:
                with open(path) as f:
                    doc = json.load(f)
                change(doc)
                with open(path, "w") as f:
                    json.dump(doc, f, ensure_ascii=False)
            p = subprocess.run([srv.bin, "demo", "--db", srv.db, "--demo-data", bad],
                               capture_output=True, timeout=120)
            err = p.stderr.decode()
            assert p.returncode != 0 and said in err, (said, err)
            assert _users_in(srv.db) == before, (said, "nothing is written")
    finally:
        srv.cleanup()


if __name__ == "__main__":
    main()
