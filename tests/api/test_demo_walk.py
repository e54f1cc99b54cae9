"""A whole return with the demo users alone: the README's section "Walk a
whole return with the demo" names, for each step, the demo user who takes
it in Cairo and in Tamanrasset; this test loads the demo into a fresh
database, signs in as exactly those users (passwords from the output of
`awda demo`, as in var/demo-credentials.txt) and walks both of the demo's
fresh households - Cairo -> Khartoum and Tamanrasset -> Bamako - from
registered to arrived, asserting every record (201), edit, hand-over and
step (200) on the way. The arrival is confirmed by the user of the
receiving office the case was handed over to."""
import os
import re
import subprocess

from harness import Server, test, main, REPO, _short
from journey_util import (counselling_body, consent_body,
                          guardian_consent_body, eligibility_body,
                          procedure_body, travel_document_body, health_body,
                          reconfirmation_body, hours_from_now, PROCEDURES)

SECTION = "## Walk a whole return with the demo"
# The README's step keys, in the order of the walk.
KEYS = ["counsel", "consent", "approve_eligibility", "start_pre_departure",
        "travel_document", "procedure", "health_assessment",
        "planned_departure", "ready", "book", "reconfirmation",
        "pre_embarkation", "handover", "depart", "arrive"]
# The two households: how to find them, where they go, who receives them.
WALKS = [
    {"column": 1, "search": "Elgaili", "office": "EG-CAI", "members": 3,
     "country": "SDN", "area": "Khartoum", "receiving": "SD-KRT",
     "consulate": "Embassy of Sudan in Cairo",
     "doc": "emergency_travel_document"},
    {"column": 2, "search": "Niangadou", "office": "DZ-TAM", "members": 2,
     "country": "MLI", "area": "Bamako", "receiving": "ML-BKO",
     "consulate": "Consulat général du Mali à Tamanrasset",
     "doc": "laissez_passer"},
]


def _readme_table():
    """{step key: [user for Cairo, user for Tamanrasset]} from the README."""
    with open(os.path.join(REPO, "README.md"), encoding="utf-8") as f:
        text = f.read()
    assert SECTION in text, "README.md has no section %r" % SECTION
    part = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in part.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("|") or len(cells) < 4:
            continue
        key = re.search(r"`([a-z_]+)`", cells[0])
        if not key:
            continue
        users = [re.search(r"`([a-z]+\.[a-z]+)`", c) for c in cells[1:3]]
        assert all(users), "README row %r names no demo user per office" % line
        rows[key.group(1)] = [u.group(1) for u in users]
    assert sorted(rows) == sorted(KEYS), (sorted(rows), sorted(KEYS))
    return rows


def _demo():
    srv = Server()
    srv.init()
    p = subprocess.run([srv.bin, "demo", "--db", srv.db], capture_output=True,
                       timeout=300)
    out = p.stdout.decode()
    assert p.returncode == 0, (p.returncode, out[-2000:],
                               p.stderr.decode()[-2000:])
    users = {}
    for m in re.finditer(r"^user: (\S+)\s+role: (\S+)\s+office: (\S+)\s+"
                         r"password: (\S+)$", out, re.M):
        users[m.group(1)] = {"role": m.group(2),
                             "offices": m.group(3).split(","),
                             "password": m.group(4)}
    return srv, users, p.stderr.decode()


class Walker:
    """One household walked by the demo users the README names."""

    def __init__(self, srv, users, table, walk):
        self.srv, self.users, self.walk = srv, users, walk
        self.who = {k: v[walk["column"] - 1] for k, v in table.items()}
        self.tokens = {}
        tok = self.token(self.who["counsel"])
        st, _, found = srv.request(
            "GET", "/api/v1/cases?limit=50&q=" + walk["search"], token=tok)
        assert st == 200, (st, found)
        mine = [c for c in found["items"] if c["office"] == walk["office"]]
        assert len(mine) == 1, ("one demo household %s in %s" %
                                (walk["search"], walk["office"]), found)
        self.id = mine[0]["id"]
        self.case = self.get(tok)
        c = self.case
        assert c["stage"] == "registered", c["stage"]
        assert len(c["members"]) == walk["members"], c["members"]
        assert (c["destination_country"], c["destination_admin_area"]) == \
            (walk["country"], walk["area"]), c
        assert self.records(tok) == [], "registered, not advanced"

    def token(self, user):
        if user not in self.tokens:
            assert user in self.users, "no demo user %s" % user
            st, _, data = self.srv.login(user, self.users[user]["password"])
            assert st == 201, (user, st, data)
            self.tokens[user] = data["token"]
        return self.tokens[user]

    def req(self, key, method, suffix, body=None, expect=200, headers=None):
        user = self.who[key]
        st, h, data = self.srv.request(
            method, "/api/v1/cases/" + self.id + suffix, body,
            headers=headers, token=self.token(user))
        assert st == expect, "%s (%s, %s): expected %s, got %s %s" % (
            key, self.walk["office"], user, expect, st, _short(data, 3000))
        return data

    def get(self, tok):
        st, _, c = self.srv.request("GET", "/api/v1/cases/" + self.id,
                                    token=tok)
        assert st == 200, (st, c)
        return c

    def records(self, tok):
        st, _, d = self.srv.request(
            "GET", "/api/v1/cases/" + self.id + "/records", token=tok)
        assert st == 200, (st, d)
        return d["items"]

    def record(self, key, body):
        self.req(key, "POST", "/records", body, expect=201)

    def step(self, key, event=None, at=None):
        body = {"event": event or key}
        if at:
            body["at"] = at
        c = self.req(key, "POST", "/transitions", body)
        self.case = c
        return c

    def pids(self):
        return [m["person_id"] for m in self.case["members"]]

    def minor(self, i):
        p = self.case["members"][i]["person"]
        born = p.get("date_of_birth") or ""
        return p.get("dob_precision") == "exact" and \
            int(hours_from_now(0)[:4]) - int(born[:4]) < 18

    def walk_home(self):
        w = self.walk
        self.record("counsel", counselling_body())
        assert self.step("counsel")["stage"] == "counselled"
        for i, pid in enumerate(self.pids()):
            self.record("consent", guardian_consent_body(pid) if self.minor(i)
                        else consent_body(pid))
        assert self.step("consent")["stage"] == "consented"
        self.record("approve_eligibility", eligibility_body())
        assert self.step("approve_eligibility")["stage"] == "eligible"
        assert self.step("start_pre_departure")["stage"] == "pre_departure"
        for pid in self.pids():
            self.record("travel_document", travel_document_body(
                pid, type=w["doc"], consulate=w["consulate"]))
            self.record("health_assessment", health_body(pid))
        for t in PROCEDURES:
            self.record("procedure", procedure_body(t))
        c = self.get(self.token(self.who["planned_departure"]))
        self.req("planned_departure", "PATCH", "",
                 {"planned_departure": hours_from_now(3)},
                 headers={"If-Match": '"%d"' % c["version"]})
        assert self.step("ready")["stage"] == "ready"
        assert self.step("book")["stage"] == "booked"
        for i, pid in enumerate(self.pids()):
            if not self.minor(i):
                self.record("reconfirmation",
                            reconfirmation_body(pid, hours_from_now(0)))
            self.record("pre_embarkation", health_body(
                pid, at=hours_from_now(0), pre_embarkation=True))
        c = self.req("handover", "POST", "/handover",
                     {"office": w["receiving"]})
        assert c["receiving_office"] == w["receiving"], c
        assert self.step("depart", at=hours_from_now(0))["stage"] == \
            "departed"
        # The arrival is the receiving office's: its user works there and
        # nowhere in the host country.
        arriving = self.users[self.who["arrive"]]
        assert arriving["offices"] == [w["receiving"]], arriving
        c = self.step("arrive", at=hours_from_now(0))
        assert c["stage"] == "arrived", c["stage"]
        if w["receiving"] == "ML-BKO":
            # The README: the reintegration officer in Bamako goes on.
            st, _, c = self.srv.request(
                "POST", "/api/v1/cases/" + self.id + "/transitions",
                {"event": "start_reintegration"},
                token=self.token("fatou.reintegration"))
            assert st == 200 and c["stage"] == "reintegrating", (st, c)


@test
def both_demo_households_walk_home_with_the_users_the_readme_names():
    table = _readme_table()
    srv, users, err = _demo()
    try:
        srv.start()
        for walk in WALKS:
            Walker(srv, users, table, walk).walk_home()
    finally:
        srv.cleanup()


if __name__ == "__main__":
    main()
