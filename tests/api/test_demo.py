"""The demo dataset (`awda demo`, what `make run` serves) tells the story of
the source documents: five offices in Egypt, Algeria and Mali, a user per
role, about 120 cases and 200 persons with names in Arabic and Latin
script, unaccompanied children, cases at every stage up to ready, a
restricted destination, cases handed over to the office in Mali that will
receive them, and a referral the partner in Kayes may see."""
import json
import os
import re
import shutil
import sqlite3
import subprocess

from harness import Server, test, main


def _demo():
    srv = Server()
    srv.init()
    p = subprocess.run([srv.bin, "demo", "--db", srv.db], capture_output=True, timeout=300)
    out = p.stdout.decode()
    assert p.returncode == 0, (p.returncode, out[-2000:], p.stderr.decode()[-2000:])
    users = dict(re.findall(r"^user: (\S+)\s.*password: (\S+)$", out, re.M))
    return srv, out, users


def _all_cases(srv, tok):
    items, cursor = [], None
    while True:
        q = "/api/v1/cases?limit=200" + ("&cursor=" + cursor if cursor else "")
        st, _, data = srv.request("GET", q, token=tok)
        assert st == 200, (st, data)
        items += data["items"]
        cursor = data["next_cursor"]
        if not cursor:
            return items


@test
def the_demo_tells_the_story_of_the_source_documents():
    srv, out, users = _demo()
    try:
        srv.start()
        assert len(users) >= 12, users
        tok = srv.admin()
        offices = {o["code"] for o in srv.request("GET", "/api/v1/offices", token=tok)[2]["items"]}
        assert {"EG-CAI", "DZ-TAM", "DZ-ALG", "ML-BKO", "ML-KYS"} <= offices, offices
        cases = _all_cases(srv, tok)
        assert 100 <= len(cases) <= 160, len(cases)
        persons = sum(c["member_count"] for c in cases)
        assert 170 <= persons <= 260, persons
        stages = {c["stage"] for c in cases}
        assert {"registered", "counselled", "consented", "eligible", "pre_departure",
                "ready"} <= stages, stages
        arabic = [c for c in cases if re.search("[\u0600-\u06ff]", c["principal"]["name"])]
        latin = [c for c in cases if re.fullmatch(r"[A-Za-zÀ-ÿ' .-]+", c["principal"]["name"])]
        assert len(arabic) >= 20 and len(latin) >= 20, (len(arabic), len(latin))
        # Unaccompanied children.
        uac = 0
        for c in cases:
            if c["member_count"] == 1:
                full = srv.request("GET", "/api/v1/cases/" + c["id"], token=tok)[2]
                if "unaccompanied_child" in (full["members"][0]["person"]["vulnerabilities"] or []):
                    uac += 1
        assert uac >= 5, uac
        # A restricted destination, and cases handed over to Mali.
        rs = srv.request("GET", "/api/v1/restrictions", token=tok)[2]["items"]
        assert any(r["kind"] == "suspended" for r in rs) and \
            any(r["kind"] == "approval_required" for r in rs), rs
        st, _, data = srv.login("fatou.reintegration", users["fatou.reintegration"])
        assert st == 201, data
        received = _all_cases(srv, data["token"])
        handed = [c for c in received if c["office"].startswith("DZ-")]
        assert handed, "the office in Mali sees the cases handed over to it"
        # The partner in Kayes sees its referral, with the person's name.
        st, _, data = srv.login("awa.partner", users["awa.partner"])
        assert st == 201, data
        refs = srv.request("GET", "/api/v1/referrals", token=data["token"])[2]
        assert refs["items"] and refs["items"][0]["person"]["name"], refs
        # The donor sees figures, no names.
        st, _, data = srv.login("claire.donor", users["claire.donor"])
        figures = srv.request("GET", "/api/v1/statistics", token=data["token"])[2]
        assert figures["cases_by_stage"], figures
    finally:
        srv.cleanup()


DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data", "demo")


def _users_in(db):
    with sqlite3.connect(db) as c:
        return c.execute("SELECT count(*) FROM users").fetchone()[0]


@test
def a_bad_demo_data_file_is_named_and_changes_nothing():
    """The dataset is data (data/demo): a missing, malformed or inconsistent
    file stops `awda demo` before it writes, with the file and the problem
    named."""
    srv = Server()
    try:
        srv.init()
        before = _users_in(srv.db)
        bad = os.path.join(srv.tmp, "demo")
        breakages = [
            ("users.json", None, "users.json: missing"),
            ("names.json", "{\"pools\": [", "names.json:1:"),
            ("households.json", lambda h: h["rows"][0].update(profile="Atlantis"),
             'households.json: rows[0]: no profile "Atlantis"'),
            ("journeys.json", lambda j: j["quotas"][0].update(stage="departed"),
             'journeys.json: quotas: "stage" is not one of the known values'),
        ]
        for name, change, said in breakages:
            shutil.rmtree(bad, ignore_errors=True)
            shutil.copytree(DATA, bad)
            path = os.path.join(bad, name)
            if change is None:
                os.remove(path)
            elif isinstance(change, str):
                with open(path, "w") as f:
                    f.write(change)
            else:
                with open(path) as f:
                    doc = json.load(f)
                change(doc)
                with open(path, "w") as f:
                    json.dump(doc, f, ensure_ascii=False)
            p = subprocess.run([srv.bin, "demo", "--db", srv.db, "--demo-data", bad],
                               capture_output=True, timeout=120)
            err = p.stderr.decode()
            assert p.returncode != 0, (name, err)
            assert said in err, (name, said, err)
            assert _users_in(srv.db) == before, (name, "nothing is written")
        p = subprocess.run([srv.bin, "demo", "--db", srv.db, "--demo-data",
                            os.path.join(srv.tmp, "nowhere")], capture_output=True, timeout=60)
        assert p.returncode != 0 and b"holds no demo dataset" in p.stderr, p.stderr
        # the same files, unbroken, load (found through the environment)
        shutil.rmtree(bad)
        shutil.copytree(DATA, bad)
        p = subprocess.run([srv.bin, "demo", "--db", srv.db], capture_output=True, timeout=300,
                           env=dict(os.environ, AWDA_DEMO_DATA=bad))
        assert p.returncode == 0, p.stderr.decode()[-2000:]
        assert _users_in(srv.db) == before + 16
        # a second load finds the cases of the first and writes nothing
        p = subprocess.run([srv.bin, "demo", "--db", srv.db], capture_output=True, timeout=300,
                           env=dict(os.environ, AWDA_DEMO_DATA=bad))
        assert p.returncode != 0 and b"already holds cases" in p.stderr, p.stderr
        assert _users_in(srv.db) == before + 16
    finally:
        srv.cleanup()


if __name__ == "__main__":
    main()
