"""The psychosocial detail of follow-up sealed at rest and read by need to
know (src/store/followup.c, src/app/monitoring.c, src/app/survey.c): a
monitoring visit's findings and a survey response's raw answers are not in
the bytes of the database; the roles that read follow-up without seeing
medical or protection detail (registration, counsellor, an administrator
in a dossier) get "[sealed]" in their place and still the scores; key
rotation re-seals them and `awda survey rescore` opens them with the new
key to the same scores; anonymisation clears them, the notes on the
plan items a visit saw and the needs assessment's free text (the scores,
dates and states seen stay); the person's dossier (an access request) holds
their needs assessments, the visits and their survey responses."""
import datetime
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import tempfile
import time
import uuid

from harness import Server, shared, case_body, create_case, test, main
from journey_util import adult, day, dt, utcnow
from test_survey import (ANSWERS, EXPECTED_V1, EXPECTED_V2, DEFAULT, version2,
                         load_default, scores, run_awda)

YEAR_MS = 365 * 24 * 3600 * 1000
ROLES = ("registration", "counsellor", "reintegration", "manager", "medical",
         "protection", "me", "finance")


def staff(srv, office="ML-BKO"):
    """{role: token} in office, made once per server."""
    cache = getattr(srv, "_seal_staff", None)
    if cache is None:
        srv.setup_fixtures()
        cache = srv._seal_staff = {r: srv.make_user([r], [office])[1] for r in ROLES}
    return cache


def db_bytes(srv):
    data = b""
    for suffix in ("", "-wal"):
        if os.path.exists(srv.db + suffix):
            with open(srv.db + suffix, "rb") as f:
                data += f.read()
    return data


def rows(srv, sql, args=()):
    db = sqlite3.connect(srv.db, timeout=30)
    try:
        return db.execute(sql, args).fetchall()
    finally:
        db.close()


def returnee(srv):
    """A case of Bamako at `arrived`, with a needs assessment, a visit and
    a baseline survey response; (case, person id, markers)."""
    t = staff(srv)
    case = create_case(case_body(office="ML-BKO", members=[adult(nationality="MLI")],
                                 origin_country="MLI", destination_country="MLI",
                                 destination_admin_area="Bamako", destination_pcode=None),
                       token=t["registration"], server=srv)
    url = "/api/v1/cases/" + case["id"]
    at = dt(utcnow() - datetime.timedelta(days=2))
    st, _, d = srv.request("POST", url + "/transitions",
                           {"event": "record_arrival", "at": at}, token=t["manager"])
    assert st == 200, (st, d)
    pid = case["members"][0]["person_id"]
    mark = secrets.token_hex(5).upper()
    m = {"findings": "FINDMARK%s sleeps badly, fears his creditors" % mark,
         "skills": "SKILLMARK" + mark, "psy": "PSYMARK" + mark}
    st, _, d = srv.request("POST", url + "/needs-assessments", {
        "assessed_on": day(0), "skills": m["skills"], "psychosocial_needs": m["psy"],
        "choice": "own_project"}, token=t["reintegration"])
    assert st == 201, (st, d)
    st, _, d = srv.request("POST", url + "/monitoring-visits", {
        "visited_on": day(0), "mode": "in_person", "visitor": "Awa Traoré",
        "findings": m["findings"]}, token=t["me"])
    assert st == 201 and d["findings"] == m["findings"], (st, d)
    m["visit"] = d["id"]
    st, _, d = srv.request("POST", url + "/survey-responses", {
        "person_id": pid, "round": "baseline", "answered_on": day(0),
        "answers": ANSWERS}, token=t["me"])
    assert st == 201 and d["answers"] == ANSWERS, (st, d)
    assert scores(d) == EXPECTED_V1, d
    m["response"] = d["id"]
    return case, pid, m


@test
def findings_and_answers_are_sealed_at_rest_and_read_by_need_to_know():
    srv = shared()
    t = staff(srv)
    case, pid, m = returnee(srv)
    # At rest: sealed text, neither the findings nor the answers in clear
    # anywhere in the file or its WAL.
    (findings,), = rows(srv, "SELECT findings FROM monitoring_visits WHERE id=?", (m["visit"],))
    (answers,), = rows(srv, "SELECT answers FROM survey_responses WHERE id=?", (m["response"],))
    assert findings.startswith("sealed:v") and answers.startswith("sealed:v"), (findings, answers)
    blob = db_bytes(srv)
    assert b"FINDMARK" + m["findings"][8:18].encode() not in blob
    plain = json.dumps(ANSWERS, sort_keys=True, separators=(",", ":")).encode()
    for needle in (plain, b'"distress":"often"', b'"wish_to_stay":"neutral"'):
        assert needle not in blob, needle
    # Who reads them: the recorders of follow-up, the roles that see
    # medical or protection detail; the others get "[sealed]" — and the
    # scores all the same.
    url = "/api/v1/cases/" + case["id"]
    for role, sees in (("me", True), ("reintegration", True), ("manager", True),
                       ("medical", True), ("protection", True), ("registration", False),
                       ("counsellor", False), ("finance", False)):
        st, _, v = srv.request("GET", url + "/monitoring-visits", token=t[role])
        assert st == 200, (role, st, v)
        st, _, s = srv.request("GET", url + "/survey-responses", token=t[role])
        assert st == 200, (role, st, s)
        got_v, got_s = v["items"][0], s["items"][0]
        if sees:
            assert got_v["findings"] == m["findings"], (role, got_v)
            assert got_s["answers"] == ANSWERS, (role, got_s)
        else:
            assert got_v["findings"] == "[sealed]", (role, got_v)
            assert got_s["answers"] == "[sealed]", (role, got_s)
            assert got_v["visitor"] == "Awa Traoré", (role, got_v)
        assert scores(got_s) == EXPECTED_V1, (role, got_s)
    # The timeline says a visit and a survey took place, not what they found.
    st, _, ev = srv.request("GET", url + "/events", token=t["registration"])
    assert "FINDMARK" not in str(ev) and "often" not in str(ev), ev


@test
def the_dossier_holds_needs_visits_and_survey_responses():
    srv = shared()
    t = staff(srv)
    case, pid, m = returnee(srv)
    st, _, d = srv.request("GET", "/api/v1/persons/%s/dossier" % pid, token=t["manager"])
    assert st == 200, (st, d)
    (c,) = [c for c in d["cases"] if c["case_id"] == case["id"]]
    (n,) = c["needs_assessments"]
    assert n["person_id"] == pid and n["skills"] == m["skills"], n
    assert n["psychosocial_needs"] == m["psy"], n  # the manager records plans
    (v,) = c["monitoring_visits"]
    assert v["id"] == m["visit"] and v["findings"] == m["findings"], v
    (s,) = c["survey_responses"]
    assert s["id"] == m["response"] and s["answers"] == ANSWERS, s
    assert scores(s) == EXPECTED_V1, s
    # An administrator produces it too, with the psychosocial detail sealed.
    st, _, d = srv.request("GET", "/api/v1/persons/%s/dossier" % pid, token=srv.admin())
    assert st == 200, (st, d)
    (c,) = [c for c in d["cases"] if c["case_id"] == case["id"]]
    assert c["needs_assessments"][0]["psychosocial_needs"] == "[sealed]", c
    assert c["monitoring_visits"][0]["findings"] == "[sealed]", c
    assert c["survey_responses"][0]["answers"] == "[sealed]", c
    assert scores(c["survey_responses"][0]) == EXPECTED_V1, c
    assert "FINDMARK" not in str(d) and "PSYMARK" not in str(d)


def plan_item(srv, case):
    """A plan of the case's first member with one item delivered, written
    straight into the database (the plans room's tables, migration 17):
    the item's id."""
    db = sqlite3.connect(srv.db, timeout=30)
    try:
        now = int(time.time() * 1000)
        cpk, opk = db.execute("SELECT pk, office_pk FROM cases WHERE id=?",
                              (case["id"],)).fetchone()
        ppk = db.execute("SELECT pk FROM persons WHERE id=?",
                         (case["members"][0]["person_id"],)).fetchone()[0]
        plan = db.execute(
            "INSERT INTO plans(id,kind,title,office_pk,status,version,created_at,updated_at) "
            "VALUES(?,'individual','Tailoring shop',?,'approved',1,?,?)",
            (str(uuid.uuid4()), opk, now, now)).lastrowid
        db.execute("INSERT INTO plan_members(plan_pk,case_pk,person_pk,share_bp) "
                   "VALUES(?,?,?,10000)", (plan, cpk, ppk))
        item = str(uuid.uuid4())
        db.execute(
            "INSERT INTO plan_items(id,plan_pk,type,budget_minor,currency,modality,delivery,"
            "status,version,created_at,updated_at) VALUES(?,?,'business_start_up',150000,"
            "'XOF','in_kind','direct','delivered',1,?,?)", (item, plan, now, now))
        db.commit()
        return item
    finally:
        db.close()


def _under(srv, version):
    like = "sealed:v%d:%%" % version
    return (rows(srv, "SELECT count(*) FROM monitoring_visits WHERE findings LIKE ?",
                 (like,))[0][0],
            rows(srv, "SELECT count(*) FROM survey_responses WHERE answers LIKE ?",
                 (like,))[0][0])


@test
def key_rotation_reseals_them_and_rescoring_opens_them():
    tmp = tempfile.mkdtemp(prefix="awda-survey-")
    srv = Server(env={"AWDA_SURVEY_DATA": tmp})
    try:
        shutil.copy(DEFAULT, os.path.join(tmp, "rss-default.json"))
        srv.start()
        case, pid, m = returnee(srv)
        srv.stop()
        assert _under(srv, 1) == (1, 1), _under(srv, 1)
        p = subprocess.run([srv.bin, "keys", "rotate", "--db", srv.db], capture_output=True,
                           timeout=60)
        assert p.returncode == 0, (p.stdout, p.stderr)
        assert _under(srv, 1) == (0, 0) and _under(srv, 2) == (1, 1), \
            (_under(srv, 1), _under(srv, 2))
        # A new version of the instrument: the answers, opened with the new
        # key, give the scores computed by hand in test_survey.py.
        with open(os.path.join(tmp, "rss-v2.json"), "w") as f:
            json.dump(version2(load_default()), f)
        p = run_awda(srv, "survey", "rescore")
        assert p.returncode == 0, (p.stdout, p.stderr)
        assert b'"rescored": 1' in p.stdout, p.stdout
        srv.start()
        t = staff(srv)
        url = "/api/v1/cases/" + case["id"]
        st, _, s = srv.request("GET", url + "/survey-responses", token=t["me"])
        assert st == 200, (st, s)
        assert s["items"][0]["answers"] == ANSWERS, s
        assert scores(s["items"][0]) == EXPECTED_V2, s
        assert s["items"][0]["instrument"]["version"] == 2, s
        st, _, v = srv.request("GET", url + "/monitoring-visits", token=t["me"])
        assert v["items"][0]["findings"] == m["findings"], v
    finally:
        if srv.alive():
            srv.stop()
        srv.cleanup()
        shutil.rmtree(tmp, ignore_errors=True)


@test
def anonymisation_clears_findings_answers_and_the_needs_free_text():
    tmp = tempfile.mkdtemp(prefix="awda-survey-")
    srv = Server(env={"AWDA_SURVEY_DATA": tmp})
    try:
        shutil.copy(DEFAULT, os.path.join(tmp, "rss-default.json"))
        srv.start()
        t = staff(srv)
        case, pid, m = returnee(srv)
        url = "/api/v1/cases/" + case["id"]
        # A visit that saw a plan item, with a note on it.
        item = plan_item(srv, case)
        note = "NOTEMARK" + secrets.token_hex(5)
        st, _, d = srv.request("POST", url + "/monitoring-visits", {
            "visited_on": day(-1), "mode": "phone", "visitor": "Awa Traoré",
            "item_states": [{"item": item, "status": "delayed", "note": note}]},
            token=t["me"])
        assert st == 201, (st, d)
        st, _, d = srv.request("POST", url + "/transitions",
                               {"event": "close", "reason": "ineligible"},
                               token=t["registration"])
        assert st == 200, (st, d)
        db = sqlite3.connect(srv.db, timeout=10)
        try:
            db.execute("UPDATE cases SET updated_at = updated_at - ? WHERE id = ?",
                       (6 * YEAR_MS, case["id"]))
            db.commit()
        finally:
            db.close()
        srv.stop()
        p = subprocess.run([srv.bin, "retention", "run", "--db", srv.db], capture_output=True,
                           timeout=60)
        assert p.returncode == 0 and b"anonymised " + case["number"].encode() in p.stdout, p
        # Rescoring leaves the anonymised response's scores as they were.
        with open(os.path.join(tmp, "rss-v2.json"), "w") as f:
            json.dump(version2(load_default()), f)
        p = run_awda(srv, "survey", "rescore")
        assert p.returncode == 0 and b'"rescored": 0' in p.stdout, (p.stdout, p.stderr)
        srv.start()
        st, _, n = srv.request("GET", url + "/needs-assessments", token=t["reintegration"])
        assert st == 200, (st, n)
        n = n["items"][0]
        assert n["choice"] == "own_project" and n["assessed_on"] == day(0), n
        assert n["skills"] is None and n["psychosocial_needs"] is None, n
        st, _, v = srv.request("GET", url + "/monitoring-visits", token=t["me"])
        assert v["items"][1]["findings"] is None, v
        assert v["items"][1]["visited_on"] == day(0), v
        # the state seen stays, the note goes
        assert v["items"][0]["item_states"] == [{"item": item, "status": "delayed"}], v
        st, _, s = srv.request("GET", url + "/survey-responses", token=t["me"])
        assert s["items"][0]["answers"] == {}, s
        assert scores(s["items"][0]) == EXPECTED_V1, s  # the statistics stay
        (f, a, h, k), = rows(srv, "SELECT v.findings, r.answers, n.psychosocial_needs, "
                             "n.skills FROM monitoring_visits v, survey_responses r, "
                             "needs_assessments n WHERE v.id=? AND r.id=? AND n.case_pk="
                             "v.case_pk", (m["visit"], m["response"]))
        assert f is None and a == "{}" and h is None and k is None, (f, a, h, k)
        srv.stop()
        subprocess.run([srv.bin, "retention", "run", "--db", srv.db], capture_output=True,
                       timeout=60)  # checkpoints with no server holding the WAL
        blob = db_bytes(srv)
        assert m["skills"].encode() not in blob and note.encode() not in blob
    finally:
        if srv.alive():
            srv.stop()
        srv.cleanup()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
