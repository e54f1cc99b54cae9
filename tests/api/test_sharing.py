"""Sharing with third parties: a referral to a partner needs the person's
consent to share with that partner (else 403 consent-required, saying
who and with whom); a partner user sees only the referrals addressed to
their organisation, only while the person still consents, and never the
case, documents or vulnerabilities; donors see aggregate counts with small
cells suppressed, never personal data."""
from harness import test, shared, request, assert_problem, main, uniq_username, person
from journey_util import Journey, adult, consent_body, day, health_body, partner

PARTNER = "Caritas Mali"   # partners are records: what is sent is their id


def referral_body(pid, to=None, **over):
    b = {"kind": "referral", "person_id": pid, "partner": to or partner(PARTNER),
         "service": "livelihood", "date": day(0), "notes": "tailoring course in Kayes"}
    b.update(over)
    return b


def partner_user(org=PARTNER):
    s = shared()
    name = uniq_username()
    body = {"username": name, "password": "pw-" + name + "-long", "roles": ["partner"],
            "offices": [], "organisation": partner(org)}
    st, _, data = s.request("POST", "/api/v1/users", body, token=s.admin())
    assert st == 201, (st, data)
    assert data["organisation"] == partner(org), data
    st, _, data = s.login(name, body["password"])
    assert st == 201, (st, data)
    return data["token"]


@test
def a_referral_needs_consent_to_share_with_that_partner():
    j = Journey(members=[adult(), adult("spouse")])
    pid = j.pid(0)
    st, _, data = j.record(referral_body(pid), role="counsellor", expect=None)
    assert_problem((st, _, data), 403, "consent-required")
    assert j.display(0) in data["detail"] and PARTNER in data["detail"], data
    # Consent to share with another partner does not count.
    j.record(consent_body(pid, purpose="data_sharing", recipient=partner("Another NGO")))
    assert j.record(referral_body(pid), role="counsellor", expect=None)[0] == 403
    # Consent for a spouse does not count for the principal.
    j.record(consent_body(j.pid(1), purpose="data_sharing", recipient=partner(PARTNER)))
    assert j.record(referral_body(pid), role="counsellor", expect=None)[0] == 403
    # With consent it is recorded.
    j.record(consent_body(pid, purpose="data_sharing", recipient=partner(PARTNER)))
    st, _, rec = j.record(referral_body(pid), role="counsellor")
    assert rec["data"]["partner"] == partner(PARTNER), rec
    # Roles that do not refer cannot.
    assert j.record(referral_body(pid), role="medical", expect=None)[0] == 403


@test
def partners_see_only_their_referrals_and_only_while_consent_stands():
    j = Journey()
    pid = j.pid()
    j.record(consent_body(pid, purpose="data_sharing", recipient=partner(PARTNER)))
    j.record(referral_body(pid, notes="REFNOTE-" + j.id[:8]), role="counsellor")
    caritas, other = partner_user(), partner_user("Other Partner")

    st, _, data = request("GET", "/api/v1/referrals?limit=200", token=caritas)
    assert st == 200, (st, data)
    mine = [i for i in data["items"] if i["person"]["id"] == pid]
    assert len(mine) == 1, data["items"][:3]
    ref = mine[0]
    assert ref["service"] == "livelihood" and ref["notes"].startswith("REFNOTE-"), ref
    p = ref["person"]
    assert p["name"] == j.members[0]["person"]["name"] and p["contact"], p
    for hidden in ("documents", "vulnerabilities"):
        assert hidden not in p, p
    assert j.id not in str(ref), "the partner is not given the case"
    # Another organisation sees nothing of it.
    data = request("GET", "/api/v1/referrals?limit=200", token=other)[2]
    assert all(i["person"]["id"] != pid for i in data["items"]), data
    # A partner reads no case and no person.
    assert_problem(request("GET", "/api/v1/cases/" + j.id, token=caritas), 403, "forbidden")
    assert_problem(request("GET", "/api/v1/persons/" + pid, token=caritas), 403, "forbidden")
    assert_problem(request("GET", "/api/v1/cases", token=caritas), 403, "forbidden")

    # The person withdraws consent to share: the referral disappears for
    # the partner and a new one is refused.
    j.record({"kind": "consent_withdrawal", "person_id": pid, "purpose": "data_sharing",
              "recipient": partner(PARTNER), "date": day(0)}, role="counsellor")
    data = request("GET", "/api/v1/referrals?limit=200", token=caritas)[2]
    assert all(i["person"]["id"] != pid for i in data["items"]), data
    assert j.record(referral_body(pid), role="counsellor", expect=None)[0] == 403
    # A new consent restores it.
    j.record(consent_body(pid, purpose="data_sharing", recipient=partner(PARTNER)))
    data = request("GET", "/api/v1/referrals?limit=200", token=caritas)[2]
    assert any(i["person"]["id"] == pid for i in data["items"]), data


@test
def consent_to_share_can_be_withdrawn_even_after_the_case_ended():
    j = Journey()
    pid = j.pid()
    j.record(consent_body(pid, purpose="data_sharing", recipient=partner(PARTNER)))
    j.step("withdraw", reason="decided to stay")
    j.record({"kind": "consent_withdrawal", "person_id": pid, "purpose": "data_sharing",
              "recipient": partner(PARTNER), "date": day(0)}, role="counsellor")


@test
def whoever_refers_may_record_consent_to_share_but_not_consent_to_return():
    s = shared()
    j = Journey()
    pid = j.pid()
    s.ensure_office("ML-BKO", "Bamako", "MLI")
    _, reint = s.make_user(["reintegration"], ["EG-CAI"])
    url = "/api/v1/cases/%s/records" % j.id
    st, _, p = request("POST", url, consent_body(pid), token=reint)
    assert_problem((st, _, p), 403, "forbidden")
    st, _, rec = request("POST", url, consent_body(pid, purpose="data_sharing",
                                                   recipient=partner(PARTNER)), token=reint)
    assert st == 201, (st, rec)
    # The withdrawal marks the consent itself as withdrawn.
    st, _, _ = request("POST", url, {"kind": "consent_withdrawal", "person_id": pid,
                                     "purpose": "data_sharing", "recipient": partner(PARTNER),
                                     "date": day(0)}, token=reint)
    assert st == 201
    recs = request("GET", url + "?kind=consent", token=reint)[2]["items"]
    mine = [r for r in recs if r["id"] == rec["id"]][0]
    assert mine["data"].get("withdrawn_at"), mine


@test
def medical_detail_goes_to_an_escort_only_for_those_who_consented():
    j = Journey(members=[adult(), adult("spouse")])
    me_, other = j.pid(0), j.pid(1)
    escort = "Dr Escort " + j.id[:6]
    j.record(health_body(me_, clinical_notes="MINE-" + j.id[:6]))
    j.record(health_body(other, clinical_notes="THEIRS-" + j.id[:6]))
    path = "/api/v1/cases/%s/medical-summary?recipient=%s" % (j.id, escort.replace(" ", "%20"))
    med = j.tok("medical")
    assert_problem(request("GET", path, token=med), 403, "consent-required")
    j.record(consent_body(me_, purpose="medical_data_sharing", recipient=escort))
    st, _, data = request("GET", path, token=med)
    assert st == 200, (st, data)
    assert [p["person_id"] for p in data["persons"]] == [me_], data
    assert data["persons"][0]["health_assessment"]["data"]["clinical_notes"].startswith("MINE-")
    assert [w["person_id"] for w in data["withheld"]] == [other], data
    assert "THEIRS-" not in str(data)
    # Only the medical officer hands medical detail over; a recipient is required.
    for role in ("counsellor", "manager", "operations"):
        assert_problem(request("GET", path, token=j.tok(role)), 403, "forbidden")
    assert_problem(request("GET", "/api/v1/cases/%s/medical-summary" % j.id, token=med), 400,
                   "bad-request")


@test
def a_partner_user_needs_an_organisation():
    s = shared()
    name = uniq_username()
    st, _, data = s.request("POST", "/api/v1/users", {
        "username": name, "password": "pw-" + name + "-long", "roles": ["partner"]},
        token=s.admin())
    assert_problem((st, _, data), 422, "validation")
    assert any(e["field"] == "organisation" for e in data["errors"]), data


@test
def donors_see_aggregates_with_small_counts_suppressed_and_no_personal_data():
    s = shared()
    s.ensure_office("EG-CAI", "Cairo", "EGY")
    marker = "DONORNAME" + uniq_username().upper()
    j = Journey(members=[adult(name=marker, name_latin=marker)])
    _, donor = s.make_user(["donor"], [])
    st, _, data = request("GET", "/api/v1/statistics", token=donor)
    assert st == 200, (st, data)
    assert data["suppressed_below"] == 5
    assert marker not in str(data) and j.id not in str(data)
    for key in ("cases_by_stage", "cases_by_office", "cases_by_destination", "persons_by_sex",
                "persons_by_nationality"):
        for cell in data[key]:
            if cell.get("suppressed"):
                assert cell["count"] is None, cell
            else:
                assert cell["count"] >= 5, (key, cell)
    total = sum(c["count"] or 0 for c in data["cases_by_stage"])
    assert total >= 1 or any(c.get("suppressed") for c in data["cases_by_stage"])
    for path in ("/api/v1/cases", "/api/v1/persons?q=a", "/api/v1/cases/" + j.id,
                 "/api/v1/referrals"):
        assert_problem(request("GET", path, token=donor), 403, "forbidden")


if __name__ == "__main__":
    main()
