"""Money (src/app/money.c, ledger.c; src/store/money.c, ledger.c):
programmes, projects and budget lines, the budget view to the cent, the
append-only ledger — disbursements (a tranche paid once, never beyond the
item's approved amount or the line's remaining amount, refused with the
numbers; another currency only at a recorded rate), reversals and
repayment, commitments — who sees what, and `awda ledger verify`.

Plan items belong to the plans room; the tests that pay them write a plan
and its items straight into the database (the rows that room's approval
writes), then commit their budget through the ledger's own route."""
import os
import sqlite3
import subprocess
import uuid

from harness import (test, shared, create_case, assert_problem, rand_letters,
                     binary, main)

P = "/api/v1/projects"


def admin_req(method, path, body=None, srv=None):
    srv = srv or shared()
    return srv.request(method, path, body=body, token=srv.admin())


def finance(srv=None, offices=("EG-CAI",)):
    srv = srv or shared()
    cache = getattr(srv, "_money_finance", None)
    if cache is None:
        cache = srv._money_finance = {}
    key = tuple(offices)
    if key not in cache:
        cache[key] = srv.make_user(["finance"], list(offices))[1]
    return cache[key]


def fin(method, path, body=None, srv=None, headers=None, offices=("EG-CAI",)):
    srv = srv or shared()
    return srv.request(method, path, body=body, headers=headers,
                       token=finance(srv, offices))


def project(lines=(("2.1", "Psychosocial support", 100000),), currency="USD",
            srv=None, **over):
    code = "T-" + rand_letters(8).upper()
    b = {"code": code, "name": "Test project " + code, "donor": "Test donor",
         "currency": currency, "starts_on": "2026-01-01",
         "ends_on": "2027-12-31",
         "places": [{"country": "MLI", "admin_area": "Bamako"}],
         "targets": {"beneficiaries": 5000},
         "budget_lines": [{"code": c, "name": n, "amount_minor": a}
                          for c, n, a in lines]}
    b.update(over)
    st, h, d = admin_req("POST", P, b, srv)
    assert st == 201, (st, d)
    return d


def line_id(proj, code="2.1"):
    return [l["id"] for l in proj["budget_lines"] if l["code"] == code][0]


def pay_body(amount, currency="USD", **over):
    b = {"amount_minor": amount, "currency": currency, "method": "cash",
         "proof_reference": "R-" + rand_letters(6), "recipient": "A returnee",
         "paid_on": "2026-12-01"}
    b.update(over)
    return b


def pay(line, amount, srv=None, expect=201, **over):
    st, h, d = fin("POST", "/api/v1/budget-lines/%s/disbursements" % line,
                   pay_body(amount, **over), srv)
    assert st == expect, (st, d)
    return d


def budget(proj, srv=None):
    st, h, d = fin("GET", P + "/" + proj["id"] + "/budget", srv=srv)
    assert st == 200, (st, d)
    return d


def the_line(view, code="2.1"):
    return [l for l in view["lines"] if l["code"] == code][0]


def plan_items(srv, case, line, budgets, status="approved"):
    """A plan of the case with one item per budget (minor units, the
    line's currency), written as the plans room writes them; ids."""
    db = sqlite3.connect(srv.db, timeout=30)
    try:
        cur = db.cursor()
        case_pk, office_pk = cur.execute(
            "SELECT pk,office_pk FROM cases WHERE id=?", (case["id"],)).fetchone()
        person_pk = cur.execute(
            "SELECT person_pk FROM case_members WHERE case_pk=?",
            (case_pk,)).fetchone()[0]
        line_pk = cur.execute("SELECT pk FROM budget_lines WHERE id=?",
                              (line,)).fetchone()[0]
        cur.execute("INSERT INTO plans(id,kind,title,office_pk,status,version,"
                    "created_at,updated_at) VALUES(?,'individual','Plan',?,"
                    "'approved',1,0,0)", (str(uuid.uuid4()), office_pk))
        plan_pk = cur.lastrowid
        cur.execute("INSERT INTO plan_members VALUES(?,?,?,10000)",
                    (plan_pk, case_pk, person_pk))
        ids = []
        for b in budgets:
            iid = str(uuid.uuid4())
            cur.execute("INSERT INTO plan_items(id,plan_pk,type,budget_minor,"
                        "currency,modality,delivery,budget_line_pk,status,"
                        "version,created_at,updated_at) VALUES(?,?,"
                        "'business_start_up',?,'USD','cash','direct',?,?,1,0,0)",
                        (iid, plan_pk, b, line_pk, status))
            ids.append(iid)
        db.commit()
        return ids
    finally:
        db.close()


def commit(line, amount, srv=None, expect=201, **over):
    b = {"amount_minor": amount, "currency": "USD"}
    b.update(over)
    st, h, d = fin("POST", "/api/v1/budget-lines/%s/commitments" % line, b, srv)
    assert st == expect, (st, d)
    return d


def verify(srv):
    p = subprocess.run([binary(), "ledger", "verify", "--db", srv.db],
                       capture_output=True, timeout=60)
    return p.returncode, p.stdout.decode() + p.stderr.decode()


# ---------------------------------------------------------------------------

@test
def test_money_project_and_budget_to_the_cent():
    proj = project(lines=(("1.1", "Travel", 50000), ("2.1", "Grants", 100001)))
    assert proj["budget_minor"] == 150001
    assert proj["targets"] == {"beneficiaries": 5000}
    l2 = line_id(proj)
    c = create_case()
    # three payments of odd cents, one in XOF at a recorded rate
    pay(l2, 1, case=c["id"])
    pay(l2, 33333, case=c["id"])
    # 1 USD = 600.5 XOF: 120,100 XOF are USD 200.00; 4 XOF are 0.67 cents → 1
    e = pay(l2, 120100, currency="XOF", rate={"num": 6005, "den": 10},
            case=c["id"])
    assert e["amount_minor"] == 20000 and e["paid_minor"] == 120100
    assert e["paid_currency"] == "XOF" and e["rate"] == {"num": 6005, "den": 10}
    e = pay(l2, 4, currency="XOF", rate={"num": 6005, "den": 10}, case=c["id"])
    assert e["amount_minor"] == 1
    v = budget(proj)
    l = the_line(v)
    assert l["budget_minor"] == 100001
    assert l["disbursed_minor"] == 1 + 33333 + 20000 + 1 == 53335
    assert l["committed_minor"] == 53335
    assert l["remaining_minor"] == 100001 - 53335
    assert l["utilisation_bp"] == 53335 * 10000 // 100001
    assert v["totals"]["budget_minor"] == 150001
    assert v["totals"]["disbursed_minor"] == 53335
    assert v["totals"]["remaining_minor"] == 150001 - 53335
    assert the_line(v, "1.1")["disbursed_minor"] == 0
    st, h, d = fin("GET", "/api/v1/cases/%s/ledger" % c["id"])
    assert st == 200 and len(d["items"]) == 8, d  # 4 commitments, 4 payments
    assert {x["kind"] for x in d["items"]} == {"commitment", "disbursement"}


@test
def test_money_refusals_carry_the_numbers():
    proj = project(lines=(("2.1", "Grants", 200000),))
    l2 = line_id(proj)
    c = create_case()
    pay(l2, 120000, case=c["id"])
    st, h, d = fin("POST", "/api/v1/budget-lines/%s/disbursements" % l2,
                   pay_body(120000, case=c["id"]))
    assert_problem((st, h, d), 409)
    assert d["detail"] == "USD 1,200.00 asked, USD 800.00 left on line 2.1", d
    assert d["errors"][0]["field"] == "amount_minor"
    st, h, d = fin("POST", "/api/v1/budget-lines/%s/disbursements" % l2,
                   pay_body(120000, case=c["id"]),
                   headers={"Accept-Language": "fr"})
    assert d["detail"] == ("USD 1,200.00 demandés, il reste USD 800.00 sur la "
                           "ligne 2.1"), d
    # an item: never beyond its approved (committed) amount
    item = plan_items(shared(), c, l2, [30000])[0]
    commit(l2, 30000, plan_item=item)
    pay(l2, 20000, plan_item=item, tranche=1)
    st, h, d = fin("POST", "/api/v1/budget-lines/%s/disbursements" % l2,
                   pay_body(15000, plan_item=item, tranche=2))
    assert_problem((st, h, d), 409)
    assert d["detail"] == ("USD 150.00 asked, USD 100.00 left of the approved "
                           "amount of this plan item"), d
    # a commitment beyond what the line has left
    st, h, d = fin("POST", "/api/v1/budget-lines/%s/commitments" % l2,
                   {"amount_minor": 50001, "currency": "USD", "case": c["id"]})
    assert_problem((st, h, d), 409)
    # 2,000.00 − 1,200.00 paid − 300.00 committed to the item
    assert d["detail"] == "USD 500.01 to commit, USD 500.00 left on line 2.1", d
    # XOF has no minor unit, TND three
    proj3 = project(lines=(("1", "Cash", 5000),), currency="XOF")
    st, h, d = fin("POST", "/api/v1/budget-lines/%s/disbursements"
                   % line_id(proj3, "1"), pay_body(1234567, "XOF", case=c["id"]))
    assert d["detail"] == "XOF 1,234,567 asked, XOF 5,000 left on line 1", d


@test
def test_money_other_currency_needs_a_rate():
    proj = project()
    l2 = line_id(proj)
    c = create_case()
    st, h, d = fin("POST", "/api/v1/budget-lines/%s/disbursements" % l2,
                   pay_body(1000, "EUR", case=c["id"]))
    assert_problem((st, h, d), 422, fields=["currency"])
    st, h, d = fin("POST", "/api/v1/budget-lines/%s/disbursements" % l2,
                   pay_body(1000, "ZZZ", case=c["id"]))
    assert_problem((st, h, d), 422, fields=["currency"])
    # a rate for the line's own currency is a mistake, not a conversion
    st, h, d = fin("POST", "/api/v1/budget-lines/%s/disbursements" % l2,
                   pay_body(1000, rate={"num": 1, "den": 1}, case=c["id"]))
    assert_problem((st, h, d), 422, fields=["rate"])
    assert the_line(budget(proj))["disbursed_minor"] == 0


@test
def test_money_tranche_once_reversal_then_repayment():
    proj = project()
    l2 = line_id(proj)
    c = create_case()
    item = plan_items(shared(), c, l2, [50000])[0]
    commit(l2, 50000, plan_item=item)
    first = pay(l2, 25000, plan_item=item, tranche=1)
    assert first["attempt"] == 1 and first["case_id"] == c["id"]
    st, h, d = fin("POST", "/api/v1/budget-lines/%s/disbursements" % l2,
                   pay_body(25000, plan_item=item, tranche=1))
    assert_problem((st, h, d), 409, fields=["tranche"])
    # a reversal takes it back, once; then the tranche is paid again
    st, h, rev = fin("POST", "/api/v1/ledger/%s/reversal" % first["id"],
                     {"reason": "paid to the wrong phone number"})
    assert st == 201 and rev["kind"] == "reversal", (st, rev)
    assert rev["reverses"] == first["id"] and rev["amount_minor"] == 25000
    st, h, d = fin("POST", "/api/v1/ledger/%s/reversal" % first["id"],
                   {"reason": "again"})
    assert_problem((st, h, d), 409)
    st, h, d = fin("POST", "/api/v1/ledger/%s/reversal" % rev["id"],
                   {"reason": "undo"})
    assert_problem((st, h, d), 409)
    l = the_line(budget(proj))
    assert l["disbursed_minor"] == 0 and l["committed_minor"] == 50000
    again = pay(l2, 25000, plan_item=item, tranche=1)
    assert again["attempt"] == 2
    st, h, d = fin("GET", "/api/v1/ledger/" + first["id"])
    assert d["reversed_by"] == rev["id"]
    l = the_line(budget(proj))
    assert l["disbursed_minor"] == 25000 and l["committed_minor"] == 50000
    # a commitment with payments against it is not taken back past them
    com = [x for x in fin("GET", "/api/v1/budget-lines/%s/ledger" % l2)[2]
           ["items"] if x["kind"] == "commitment"][0]
    st, h, d = fin("POST", "/api/v1/ledger/%s/reversal" % com["id"],
                   {"reason": "cancelled"})
    assert_problem((st, h, d), 409)
    # the ledger itself refuses edits and deletions
    db = sqlite3.connect(shared().db, timeout=30)
    for sql in ("UPDATE ledger SET amount_minor=1", "DELETE FROM ledger"):
        try:
            db.execute(sql)
            raise AssertionError(sql + " was allowed")
        except sqlite3.DatabaseError as e:
            assert "append-only" in str(e)
    db.close()


@test
def test_money_who_sees_what():
    srv = shared()
    proj = project()
    l2 = line_id(proj)
    c = create_case()
    pay(l2, 100, case=c["id"])
    donor = srv.make_user(["donor"], ["EG-CAI"])[1]
    counsellor = srv.make_user(["counsellor"], ["EG-CAI"])[1]
    for tok in (donor, counsellor):
        for path in (P + "/" + proj["id"] + "/budget",
                     "/api/v1/budget-lines/%s/ledger" % l2,
                     "/api/v1/cases/%s/ledger" % c["id"]):
            st, h, d = srv.request("GET", path, token=tok)
            assert st == 403, (path, st, d)
        st, h, d = srv.request("POST", "/api/v1/budget-lines/%s/disbursements"
                               % l2, pay_body(1, case=c["id"]), token=tok)
        assert st == 403, (st, d)
    # the counsellor sees the project itself, not its money
    st, h, d = srv.request("GET", P + "/" + proj["code"], token=counsellor)
    assert st == 200 and d["id"] == proj["id"], d
    # finance of another office does not reach the case, nor pays for it
    st, h, d = fin("GET", "/api/v1/cases/%s/ledger" % c["id"],
                   offices=("ML-BKO",))
    assert st == 404, (st, d)
    st, h, d = fin("POST", "/api/v1/budget-lines/%s/disbursements" % l2,
                   pay_body(1, case=c["id"]), offices=("ML-BKO",))
    assert_problem((st, h, d), 422, fields=["case"])
    # finance sees amounts and proofs
    st, h, d = fin("GET", "/api/v1/cases/%s/ledger" % c["id"])
    pay_entry = [x for x in d["items"] if x["kind"] == "disbursement"][0]
    assert pay_entry["proof_reference"].startswith("R-")
    assert pay_entry["paid_by"] and pay_entry["recipient"] == "A returnee"


@test
def test_money_idempotent_payment():
    proj = project()
    l2 = line_id(proj)
    c = create_case()
    key = {"Idempotency-Key": "pay-" + rand_letters(12)}
    body = pay_body(500, case=c["id"])
    st1, h, d1 = fin("POST", "/api/v1/budget-lines/%s/disbursements" % l2,
                     body, headers=key)
    st2, h, d2 = fin("POST", "/api/v1/budget-lines/%s/disbursements" % l2,
                     body, headers=key)
    assert st1 == 201 and st2 == 201 and d1["id"] == d2["id"], (d1, d2)
    assert the_line(budget(proj))["disbursed_minor"] == 500


@test
def test_money_invalid_bodies_at_their_fields():
    st, h, d = admin_req("POST", P, {"code": "X", "name": "X", "donor": "D",
                                     "currency": "USX", "starts_on": "2027-01-01",
                                     "ends_on": "2026-01-01",
                                     "targets": {"people": -1}})
    assert_problem((st, h, d), 422, fields=["currency"])
    fields = {e["field"] for e in d["errors"]}
    assert {"currency", "ends_on", "targets"} <= fields, d
    proj = project()
    st, h, d = fin("POST", "/api/v1/budget-lines/%s/disbursements"
                   % line_id(proj), {"amount_minor": 0, "currency": "USD",
                                     "method": "cheque"})
    assert_problem((st, h, d), 422)
    fields = {e["field"] for e in d["errors"]}
    assert {"amount_minor", "method", "proof_reference", "recipient",
            "paid_on"} <= fields, d


@test
def test_ledger_verify_finds_a_corrupted_total():
    from harness import Server
    srv = Server().start()
    try:
        srv.setup_fixtures()
        proj = project(srv=srv)
        c = create_case(server=srv)
        pay(line_id(proj), 700, srv=srv, case=c["id"])
        rc, out = verify(srv)
        assert rc == 0 and "agree" in out, out
        db = sqlite3.connect(srv.db, timeout=30)
        db.execute("UPDATE budget_line_totals SET disbursed_minor="
                   "disbursed_minor+1")
        db.commit()
        rc, out = verify(srv)
        assert rc == 1 and '"disbursed_minor": 701' in out, out
        db.execute("UPDATE budget_line_totals SET disbursed_minor="
                   "disbursed_minor-1")
        db.commit()
        db.close()
        rc, out = verify(srv)
        assert rc == 0, out
    finally:
        srv.stop()
        srv.cleanup()


@test
def test_money_demo_project_through_the_command_line():
    """The Mali psychosocial project of data/demo/money.json, created by
    `awda project create` (as an administrator scripts it) and read back
    by `awda project budget`: USD 280,000 in four lines, 5,000
    beneficiaries, Bamako, Kita and Kayes."""
    import json
    import tempfile
    from harness import Server
    srv = Server().init()
    try:
        demo = os.path.join(os.path.dirname(__file__), "..", "..", "data",
                            "demo", "money.json")
        with open(demo) as f:
            money = json.load(f)
        proj = dict(money["projects"][0])
        proj.pop("programme")  # the programme is created by `awda demo`
        path = os.path.join(tempfile.mkdtemp(dir=srv.tmp), "p.json")
        with open(path, "w") as f:
            json.dump(proj, f)

        def cli(*args):
            p = subprocess.run([binary(), *args, "--db", srv.db],
                               capture_output=True, timeout=60)
            return p.returncode, p.stdout.decode(), p.stderr.decode()
        rc, out, err = cli("project", "create", path)
        assert rc == 0, (out, err)
        made = json.loads(out)
        assert made["budget_minor"] == 28000000 and made["currency"] == "USD"
        assert made["targets"] == {"beneficiaries": 5000}
        assert [p["admin_area"] for p in made["places"]] == ["Bamako", "Kita", "Kayes"]
        rc, out, err = cli("project", "budget", "Mali psychosocial support")
        assert rc == 0, (out, err)
        v = json.loads(out)
        assert len(v["lines"]) == 4 and v["totals"]["budget_minor"] == 28000000
        assert v["totals"]["remaining_minor"] == 28000000
        rc, out, err = cli("project", "create", path)  # the code is taken
        assert rc == 1 and "exists already" in err, (rc, out, err)
    finally:
        srv.cleanup()


if __name__ == "__main__":
    main()
