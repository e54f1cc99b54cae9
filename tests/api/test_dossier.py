"""GET /api/v1/persons/{id}/dossier: everything held about one person, for
an access request — their record, every case they belong to with their
relationship, the journey records about them (not those about other
members), the timelines, and who read or changed their data. Redacted like
every other answer; managers and administrators only; audited."""
import secrets
import time

from harness import test, shared, request, assert_problem, main
from journey_util import Journey, adult, consent_body, health_body


def _audited(srv, person_id):
    for _ in range(100):
        st, _, data = srv.request("GET", "/api/v1/audit?case=" + person_id, token=srv.admin())
        if any(i["route"] == "/api/v1/persons/{id}/dossier" for i in data["items"]):
            return True
        time.sleep(0.05)
    return False


@test
def the_dossier_holds_everything_about_one_person_and_nothing_about_others():
    j = Journey(members=[adult("principal"), adult("spouse")])
    srv = j.srv
    me, other = j.pid(0), j.pid(1)
    marker = "DOSSIERMED" + secrets.token_hex(6)
    j.record(consent_body(me, evidence_ref="FORM-MINE"))
    j.record(consent_body(other, evidence_ref="FORM-OTHERS"))
    j.record(health_body(me, clinical_notes=marker))
    assert j.req("GET", "", role="registration")[0] == 200  # a read, for the access log

    # Audit records are written within milliseconds, after the answer.
    for _ in range(100):
        st, _, d = request("GET", "/api/v1/persons/%s/dossier" % me, token=j.tok("manager"))
        assert st == 200, (st, d)
        if any(a["route"] == "/api/v1/cases/{id}" for a in d["access_log"]):
            break
        time.sleep(0.05)
    assert d["person_id"] == me and d["person"]["id"] == me, d.keys()
    assert d["generated_by"] == j.user("manager")
    assert len(d["cases"]) == 1, d["cases"]
    c = d["cases"][0]
    assert c["case_id"] == j.id and c["relationship"] == "principal", c
    assert c["case"]["number"] == j.case["number"]
    kinds = sorted(r["kind"] for r in c["records"])
    assert kinds == ["consent", "health_assessment"], kinds
    text = str(d)
    assert "FORM-MINE" in text and "FORM-OTHERS" not in text, "only this person's records"
    assert c["events"], "the case timeline is part of the dossier"
    # Who looked at their case is in the access log.
    reads = [a for a in d["access_log"] if a["route"] == "/api/v1/cases/{id}" and
             a["user"] == j.user("registration")]
    assert reads, d["access_log"][:5]
    # Medical detail is sealed for a manager, and the dossier says so.
    assert marker not in text
    assert "medical" in d["withheld"], d["withheld"]
    health = [r for r in c["records"] if r["kind"] == "health_assessment"][0]
    assert health["data"]["clinical_notes"] == "[sealed]", health
    # The other member's dossier lists their own consent, not this one's.
    st, _, d2 = request("GET", "/api/v1/persons/%s/dossier" % other, token=srv.admin())
    assert st == 200 and d2["cases"][0]["relationship"] == "spouse", d2
    assert "FORM-OTHERS" in str(d2) and "FORM-MINE" not in str(d2)
    # Producing a dossier is itself audited.
    assert _audited(srv, me), "the dossier request is in the audit log"


@test
def only_managers_and_administrators_produce_a_dossier():
    j = Journey()
    for role in ("registration", "counsellor", "medical", "protection", "operations"):
        assert_problem(request("GET", "/api/v1/persons/%s/dossier" % j.pid(), token=j.tok(role)),
                       403, "forbidden")
    assert request("GET", "/api/v1/persons/%s/dossier" % j.pid(), token=j.tok("manager"))[0] == 200


@test
def an_unknown_person_is_404():
    s = shared()
    for pid in ("0190a0a0-0000-7000-8000-000000000000", "not-a-uuid"):
        assert_problem(request("GET", "/api/v1/persons/%s/dossier" % pid, token=s.admin()),
                       404, "not-found")


if __name__ == "__main__":
    main()
