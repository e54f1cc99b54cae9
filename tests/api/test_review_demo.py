"""The demo's review queue (data/demo/duplicates.json, src/cli/demo_duplicates.c):
after `awda demo`, the manager finds the five humans registered twice
(Arabic script, French transliteration, a typo, the family name first, day
and month exchanged) in the open queue, flagged by the duplicates module,
and can merge one and undo the merge."""
import re
import subprocess

from harness import Server, test, main


@test
def the_demo_has_a_queue_to_review():
    srv = Server()
    srv.init()
    p = subprocess.run([srv.bin, "demo", "--db", srv.db], capture_output=True, timeout=300)
    assert p.returncode == 0, (p.returncode, p.stderr.decode()[-2000:])
    assert "5 persons registered twice" in p.stderr.decode(), p.stderr.decode()[-600:]
    users = dict(re.findall(r"^user: (\S+)\s.*password: (\S+)$", p.stdout.decode(), re.M))
    try:
        srv.start()
        st, _, data = srv.login("youssef.manager", users["youssef.manager"])
        assert st == 201, data
        tok = data["token"]
        st, _, q = srv.request("GET", "/api/v1/duplicates?status=open", token=tok)
        assert st == 200, q
        names = {tuple(sorted(p["name"] for p in i["persons"])) for i in q["items"]}
        for pair in (("Mamadou Coulibaly", "مامادو كوليبالي"),
                     ("Fatoumata Traoré", "Fatoumata Traroé"),
                     ("Ousmane Ouédraogo", "Ouedraogo Ousmane"),
                     ("Aminata Diallo", "Aminata Diallo")):
            assert tuple(sorted(pair)) in names, (pair, names)
        scores = [i["score"] for i in q["items"]]
        assert scores == sorted(scores, reverse=True), scores
        first = q["items"][0]
        keep = first["persons"][0]["id"]
        st, _, m = srv.request("POST", "/api/v1/duplicates/%s/merge" % first["id"],
                               {"keep": keep}, token=tok)
        assert st == 201 and m["kept"] == keep, (st, m)
        st, _, u = srv.request("POST", "/api/v1/merges/%s/undo" % m["id"], token=tok)
        assert st == 200, (st, u)
        srv.stop()
    finally:
        srv.cleanup()


if __name__ == "__main__":
    main()
