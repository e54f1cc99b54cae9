"""The demo dataset (`awda demo`, what `make run` serves) tells the story of
the source documents: five offices in Egypt, Algeria and Mali, a user per
role, about 120 cases and 200 persons with names in Arabic and Latin
script, unaccompanied children, cases at every stage up to ready, a
restricted destination, cases handed over to the office in Mali that will
receive them, and a referral the partner in Kayes may see."""
import re
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


if __name__ == "__main__":
    main()
