"""Reintegration plans (src/app/plans.c, plan_items.c): the kinds of plan
and their validation at field paths, items by type from the value table
(listed in the user's language, added by an administrator), approval by
the programme manager that commits each item's budget on the ledger and
takes the cases to `reintegrating`, refused with the numbers when the
budget line has not enough left; items in progress and delivered (with
evidence) taking the cases to `monitoring`; closing (items still in
progress need a reason, and release what they committed); the referral
consent gate; the plans overdue 30 days after arrival (and on the
dashboard); the scope of the office that works the case after the
hand-over.

Cases are returnees met in Bamako (ML-BKO) after they came home (see
plans_util.py)."""
from harness import test, shared, assert_problem, error_fields, main
from journey_util import Journey, adult, partner, consent_body
from plans_util import (req, tok, staff, if_match, arrived, stage,
                        budget_line, line_totals, ledger_of_item, plan, item,
                        get_plan, approve, patch_item)


def fields(problem):
    return [e["field"] for e in problem.get("errors", [])]


@test
def plan_kinds_are_checked_field_by_field():
    a, b = arrived(), arrived()
    bad = [
        ({"kind": "family", "title": "x", "members": [{"case_id": a.id}]}, "kind"),
        ({"kind": "individual", "title": "x",
          "members": [{"case_id": a.id}, {"case_id": b.id}]}, "members"),
        ({"kind": "collective", "title": "x", "members": [{"case_id": a.id}]},
         "members"),
        ({"kind": "collective", "title": "Bakery",
          "members": [{"case_id": a.id, "share_bp": 6000},
                      {"case_id": b.id, "share_bp": 0}]}, "members[1].share_bp"),
        ({"kind": "collective", "title": "Bakery",
          "members": [{"case_id": a.id, "share_bp": 6000},
                      {"case_id": b.id, "share_bp": 3000}]}, "members"),
        ({"kind": "community", "title": "Well", "members": []}, "country"),
        ({"kind": "community", "title": "Well", "country": "MLI",
          "beneficiaries": [{"sex": "female", "age_group": "18-65",
                             "count": 4}]}, "beneficiaries[0].age_group"),
        ({"kind": "community", "title": "Well", "country": "MLI",
          "beneficiaries": [{"sex": "female", "age_group": "18-59", "count": 4},
                            {"sex": "female", "age_group": "18-59",
                             "count": 2}]}, "beneficiaries[1]"),
        ({"kind": "individual", "title": "x", "country": "MLI",
          "members": [{"case_id": a.id}]}, "country"),
        ({"kind": "individual", "title": "",
          "members": [{"case_id": a.id}]}, "title"),
        ({"kind": "individual", "title": "x",
          "members": [{"case_id": a.id, "person_id": b.members[0]["person_id"]}]},
         "members[0].person_id"),
    ]
    for body, field in bad:
        p = assert_problem(req("POST", "/plans", body), 422, "validation")
        assert field in fields(p), (body, p)
    # the good ones
    col = plan(None, kind="collective", title="Bakery",
               members=[{"case_id": a.id, "share_bp": 6000},
                        {"case_id": b.id, "share_bp": 4000}])
    assert [m["share_bp"] for m in col["members"]] == [6000, 4000], col
    com = plan(None, kind="community", title="Village well", country="MLI",
               admin_area="Kayes", members=[{"case_id": a.id}],
               beneficiaries=[{"sex": "female", "age_group": "18-59", "count": 40},
                              {"sex": "male", "age_group": "0-4", "count": 12}])
    assert com["country"] == "MLI" and com["admin_area"] == "Kayes", com
    assert {(x["sex"], x["age_group"], x["count"]) for x in com["beneficiaries"]} \
        == {("female", "18-59", 40), ("male", "0-4", 12)}, com
    assert com["status"] == "draft" and com["office"] == "ML-BKO", com


@test
def a_plan_is_made_after_arrival():
    j = Journey([adult(nationality="MLI")], office="ML-BKO", destination="MLI")
    p = assert_problem(req("POST", "/plans", {"kind": "individual", "title": "x",
                                              "members": [{"case_id": j.id}]}),
                       422, "validation")
    assert "members[0].case_id" in fields(p) and "registered" in str(p), p


@test
def item_types_in_the_users_language_and_added_by_an_administrator():
    st, h, d = req("GET", "/plan-item-types",
                   headers={"Accept-Language": "fr"})
    assert st == 200 and d["language"] == "fr", d
    t = {x["code"]: x for x in d["items"]}
    assert t["business_start_up"]["name"] == "Création d'entreprise", t
    assert t["psychosocial_counselling"]["dimension"] == "psychosocial", t
    d = req("GET", "/plan-item-types?lang=ar")[2]
    assert {x["code"]: x for x in d["items"]}["housing"]["name"] == "السكن", d
    new = {"code": "agri_inputs", "dimension": "economic",
           "name_en": "Agricultural inputs", "name_fr": "Intrants agricoles",
           "name_ar": "مدخلات زراعية"}
    assert_problem(req("POST", "/plan-item-types", new), 403, "forbidden")
    admin = shared().admin()
    bad = dict(new, code="Agri Inputs", dimension="money")
    p = assert_problem(req("POST", "/plan-item-types", bad, token=admin), 422,
                       "validation")
    assert {"code", "dimension"} <= set(fields(p)), p
    st, h, d = req("POST", "/plan-item-types", new, token=admin)
    assert st in (201, 422), (st, d)  # 422 when a previous run of this server added it
    d = req("GET", "/plan-item-types")[2]
    assert new["code"] in [x["code"] for x in d["items"]], d
    p = assert_problem(req("POST", "/plan-item-types", new, token=admin), 422,
                       "validation")
    assert fields(p) == ["code"], p


@test
def approval_commits_each_items_budget_and_starts_reintegration():
    j = arrived()
    line = budget_line(amount_minor=1000000)
    p = plan(j)
    it = item(p["id"], line=line, budget=150000)
    free = item(p["id"], line=None, budget=0, type="psychosocial_counselling",
                modality="in_kind")
    assert it["status"] == "planned" and it["dimension"] == "economic", it
    # a retry with the same Idempotency-Key adds nothing
    body = {"type": "housing", "budget_minor": 0, "currency": "USD", "modality": "cash",
            "delivery": "direct"}
    key = {"Idempotency-Key": "it-" + p["id"]}
    r1 = req("POST", "/plans/%s/items" % p["id"], body, headers=key)
    r2 = req("POST", "/plans/%s/items" % p["id"], body, headers=key)
    assert r1[0] == r2[0] == 201 and r1[2]["id"] == r2[2]["id"], (r1, r2)
    assert len(get_plan(p["id"])["items"]) == 3
    # only the programme manager approves
    r = req("POST", "/plans/%s/approve" % p["id"], role="reintegration",
            headers=if_match(get_plan(p["id"])["version"]))
    assert_problem(r, 403, "forbidden")
    assert_problem(req("POST", "/plans/%s/approve" % p["id"], role="manager"), 428)
    assert line_totals(line) == (0, 0)
    d = approve(p["id"])
    assert d["status"] == "approved" and d["approved_by"], d
    assert {x["id"]: x["status"] for x in d["items"]} == \
        {it["id"]: "approved", free["id"]: "approved", r1[2]["id"]: "approved"}, d
    assert ledger_of_item(it["id"]) == [("commitment", 150000)], ledger_of_item(it["id"])
    assert ledger_of_item(free["id"]) == []
    assert line_totals(line) == (150000, 0)
    assert stage(j) == "reintegrating"
    ev = j.events()
    assert any(e["kind"] == "transition" and e["data"]["event"] == "start_reintegration"
               for e in ev), ev
    # an approved plan is approved once
    assert_problem(req("POST", "/plans/%s/approve" % p["id"], role="manager",
                       headers=if_match(d["version"])), 409, "conflict")


@test
def approval_beyond_what_the_line_has_left_is_refused_with_the_numbers():
    j = arrived()
    line = budget_line(amount_minor=100000)
    p = plan(j)
    it = item(p["id"], line=line, budget=80000)
    item(p["id"], line=line, budget=30000, type="vocational_training")
    r = req("POST", "/plans/%s/approve" % p["id"], role="manager",
            headers=if_match(get_plan(p["id"])["version"]))
    assert r[0] == 409, r
    assert "300.00" in str(r[2]) or "200.00" in str(r[2]), r   # the numbers
    assert line_totals(line) == (0, 0)                          # nothing committed
    assert get_plan(p["id"])["status"] == "draft" and stage(j) == "arrived"
    assert ledger_of_item(it["id"]) == []
    # an item with a budget is charged to a line before approval
    q = plan(arrived())
    item(q["id"], budget=5000)
    r = req("POST", "/plans/%s/approve" % q["id"], role="manager",
            headers=if_match(get_plan(q["id"])["version"]))
    assert "items[0].budget_line" in fields(assert_problem(r, 422, "validation")), r
    # and in the line's currency
    r = req("POST", "/plans/%s/items" % q["id"],
            {"type": "housing", "budget_minor": 5000, "currency": "XOF",
             "modality": "cash", "delivery": "direct", "budget_line": line})
    assert "currency" in fields(assert_problem(r, 422, "validation")), r


@test
def delivered_items_take_the_case_to_monitoring_and_closing_ends_it():
    j = arrived()
    line = budget_line()
    p = plan(j)
    a = item(p["id"], line=line, budget=100000)
    b = item(p["id"], line=line, budget=20000, type="business_training")
    approve(p["id"])
    # approved → in progress → delivered, with evidence
    r = patch_item(p["id"], a["id"], {"status": "delivered"}, expect=422)
    assert "evidence" in fields(r[2]), r
    r = patch_item(p["id"], a["id"], {"budget_minor": 1}, expect=422)
    assert "budget_minor" in fields(r[2]), r
    patch_item(p["id"], a["id"], {"status": "in_progress"})
    patch_item(p["id"], a["id"], {"status": "delivered",
                                  "evidence": "receipt R-2026-118"})
    assert stage(j) == "reintegrating"          # b is not delivered yet
    r = patch_item(p["id"], b["id"], {"status": "cancelled"}, expect=422)
    assert "reason" in fields(r[2]), r
    patch_item(p["id"], b["id"], {"status": "cancelled",
                                  "reason": "found a job instead"})
    assert stage(j) == "monitoring"
    # b released what it committed: 120000 - 20000
    assert line_totals(line) == (100000, 0), line_totals(line)
    assert [k for k, _ in ledger_of_item(b["id"])] == ["commitment", "release"]
    r = patch_item(p["id"], a["id"], {"status": "in_progress"}, expect=409)
    d = get_plan(p["id"])
    r = req("POST", "/plans/%s/close" % p["id"], {"closure_reason": "plan_completed"},
            headers=if_match(d["version"]))
    assert r[0] == 200 and r[2]["status"] == "closed", r
    c = j.get()
    assert c["stage"] == "closed" and c["closure_reason"] == "plan_completed", c


@test
def closing_while_items_are_in_progress_needs_a_reason():
    j = arrived()
    line = budget_line()
    p = plan(j)
    a = item(p["id"], line=line, budget=70000)
    approve(p["id"])
    patch_item(p["id"], a["id"], {"status": "in_progress"})
    d = get_plan(p["id"])
    r = req("POST", "/plans/%s/close" % p["id"], {"closure_reason": "re_migrated"},
            headers=if_match(d["version"]))
    pr = assert_problem(r, 422, "validation")
    # nor is the case closed on its own while its items are in progress
    r2 = j.step("close", reason="re_migrated", role="manager", expect=409)
    assert "in progress: 1" in r2[2]["detail"], r2
    assert fields(pr) == ["reason"] and "in progress: 1" in pr["errors"][0]["message"], pr
    assert pr["errors"][0]["code"] == "plan.items_in_progress", pr
    r = req("POST", "/plans/%s/close" % p["id"], {"closure_reason": "holiday",
                                                 "reason": "x"},
            headers=if_match(d["version"]))
    assert "closure_reason" in fields(assert_problem(r, 422, "validation")), r
    assert stage(j) == "reintegrating" and line_totals(line) == (70000, 0)
    r = req("POST", "/plans/%s/close" % p["id"],
            {"closure_reason": "re_migrated", "reason": "left for Algeria in May"},
            headers=if_match(d["version"]))
    assert r[0] == 200 and r[2]["status"] == "closed", r
    assert [x["status"] for x in r[2]["items"]] == ["cancelled"], r
    assert line_totals(line) == (0, 0)
    c = j.get()
    assert c["stage"] == "closed" and c["closure_reason"] == "re_migrated", c


@test
def a_referral_carries_personal_data_only_with_consent():
    j = arrived()
    org = partner("Caritas Mali")
    p = plan(j)
    body = {"type": "psychosocial_counselling", "budget_minor": 0,
            "currency": "XOF", "modality": "in_kind", "delivery": "referral"}
    r = req("POST", "/plans/%s/items" % p["id"], body)
    assert "partner" in fields(assert_problem(r, 422, "validation")), r
    r = req("POST", "/plans/%s/items" % p["id"],
            dict(body, partner=org, referral_status="sent"))
    pr = assert_problem(r, 403, "consent-required")
    assert j.display() in pr["detail"] and "Caritas Mali" in pr["detail"], pr
    # planned without being sent: no data leaves yet
    it = item(p["id"], **dict(body, partner=org))
    r = patch_item(p["id"], it["id"], {"referral_status": "sent"}, expect=403)
    # the person consents to share with this partner
    st, _, rec = j.req("POST", "/records", consent_body(
        j.pid(), purpose="data_sharing", recipient=org), token=tok("manager"))
    assert st == 201, (st, rec)
    r = patch_item(p["id"], it["id"], {"referral_status": "sent"})
    assert r[2]["referral_status"] == "sent" and r[2]["partner"] == org, r
    # a direct item has no referral status
    d = item(p["id"], budget=0, currency="XOF", type="legal_help")
    r = patch_item(p["id"], d["id"], {"referral_status": "sent"}, expect=422)


@test
def plans_overdue_thirty_days_after_arrival_are_listed():
    late, recent = arrived(days_ago=40), arrived(days_ago=5)
    st, h, d = req("GET", "/reintegration/overdue")
    assert st == 200 and d["due_days"] == 30, d
    ids = [x["case_id"] for x in d["items"]]
    assert late.id in ids and recent.id not in ids, d
    # another office does not see them (nor the office that sent a case
    # it handed over: the receiving office works it)
    _, cai = shared().make_user(["reintegration"], ["EG-CAI"])
    d2 = shared().request("GET", "/api/v1/reintegration/overdue", token=cai)[2]
    assert late.id not in [x["case_id"] for x in d2["items"]], d2
    # on the dashboard
    dash = req("GET", "/dashboard")[2]
    assert late.id in [x["case_id"] for x in dash["plans_overdue"]], dash
    # an approved plan takes it off the list
    p = plan(late)
    item(p["id"], budget=0, currency="XOF", type="family_tracing")
    approve(p["id"])
    d = req("GET", "/reintegration/overdue")[2]
    assert late.id not in [x["case_id"] for x in d["items"]], d


@test
def the_receiving_office_works_the_case_after_the_hand_over():
    j = Journey([adult()], office="EG-CAI", destination="MLI")
    j.to_stage("departed")
    j.step("arrive")
    assert j.req("POST", "/handover", {"office": "ML-BKO"}, role="operations")[0] == 200
    # Cairo still reads the case but does not plan its reintegration
    _, cai = shared().make_user(["reintegration"], ["EG-CAI"])
    body = {"kind": "individual", "title": "Shop", "members": [{"case_id": j.id}]}
    assert_problem(shared().request("POST", "/api/v1/plans", body, token=cai), 403,
                   "forbidden")
    p = plan(j)  # Bamako does
    assert p["office"] == "ML-BKO", p
    # a user of an office that sees none of its cases: absent
    shared().ensure_office("ML-KYS", "Kayes", "MLI")
    _, kys = shared().make_user(["reintegration"], ["ML-KYS"])
    assert_problem(shared().request("GET", "/api/v1/plans/" + p["id"], token=kys),
                   404, "not-found")
    # Cairo reads the plan of its case, and cannot change it
    assert shared().request("GET", "/api/v1/plans/" + p["id"], token=cai)[0] == 200
    r = shared().request("POST", "/api/v1/plans/%s/items" % p["id"],
                         {"type": "housing", "budget_minor": 0, "currency": "XOF",
                          "modality": "cash", "delivery": "direct"}, token=cai)
    assert_problem(r, 403, "forbidden")
    st, _, lst = req("GET", "/cases/%s/plans" % j.id)
    assert st == 200 and [x["id"] for x in lst["items"]] == [p["id"]], lst


@test
def partners_say_their_kind_and_the_services_and_places_they_cover():
    org = partner("Caritas Mali")
    admin = shared().admin()
    path = "/partners/%s/services" % org
    body = {"kind": "ngo", "services": [
        {"service": "psychosocial_counselling", "country": "MLI", "admin_area": "Kayes"},
        {"service": "housing", "country": "MLI"}]}
    assert_problem(req("PUT", path, body), 403, "forbidden")
    bad = {"kind": "church", "services": [{"service": "haircut", "country": "MLX"}]}
    p = assert_problem(req("PUT", path, bad, token=admin), 422, "validation")
    assert {"kind", "services[0].country"} <= set(fields(p)), p
    p = assert_problem(req("PUT", path, dict(body, services=[{"service": "haircut",
                                                              "country": "MLI"}]),
                           token=admin), 422, "validation")
    assert fields(p) == ["services[0].service"], p
    st, _, d = req("PUT", path, body, token=admin)
    assert st == 200 and d["kind"] == "ngo" and len(d["services"]) == 2, (st, d)
    st, _, d = req("GET", path)
    assert st == 200 and {(s["service"], s["admin_area"]) for s in d["services"]} == \
        {("psychosocial_counselling", "Kayes"), ("housing", "")}, d
    assert_problem(req("GET", "/partners/00000000-0000-7000-8000-000000000000/services"),
                   404, "not-found")


@test
def an_administrator_scripts_types_and_the_overdue_list():
    import subprocess
    srv = shared()
    late = arrived(days_ago=45)

    def awda(*args):
        return subprocess.run([srv.bin] + list(args) + ["--db", srv.db],
                              capture_output=True, text=True, timeout=60)
    p = awda("plan", "types", "--lang", "fr")
    assert p.returncode == 0 and "Création d'entreprise" in p.stdout, (p.returncode, p.stdout,
                                                                         p.stderr)
    p = awda("plan", "overdue")
    assert p.returncode == 0 and late.case["number"] in p.stdout, (p.stdout, p.stderr)
    p = awda("plan", "show", "00000000-0000-7000-8000-000000000000")
    assert p.returncode == 1 and "no plan" in p.stderr, (p.returncode, p.stderr)
    assert awda("plan", "bogus").returncode == 2


@test
def a_collective_plan_takes_every_returnee_into_reintegration():
    a, b = arrived(), arrived()
    line = budget_line()
    p = plan(None, kind="collective", title="Bakery in Kita",
             members=[{"case_id": a.id, "share_bp": 5000},
                      {"case_id": b.id, "share_bp": 5000}])
    it = item(p["id"], line=line, budget=400000, type="business_start_up")
    approve(p["id"])
    assert stage(a) == "reintegrating" and stage(b) == "reintegrating"
    assert line_totals(line) == (400000, 0)
    patch_item(p["id"], it["id"], {"status": "delivered", "evidence": "lease and oven invoice"})
    assert stage(a) == "monitoring" and stage(b) == "monitoring"
    # one of them re-migrates: their case closes on its own, the other's goes on
    a.step("close", reason="re_migrated", role="manager")
    assert stage(a) == "closed" and stage(b) == "monitoring"


if __name__ == "__main__":
    main()
