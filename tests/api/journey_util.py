"""
journey_util.py — helpers for the return-journey API tests.

  * staff(office)   one user per journey role (counsellor, manager,
                    operations, medical, protection, registration) in an
                    office, created once per server and cached on it.
  * Journey         one fresh case and the people who work on it: add
                    records of every kind, take steps, read readiness and
                    events; fill_ready() / fill_board() record everything a
                    step needs (except what the test names in skip=), and
                    to_stage() walks a case up the journey.
  * times           UTC helpers in the API's "YYYY-MM-DDTHH:MMZ" format.
  * codes, unmet_codes, only
                    what a refused step or readiness lists; only() asserts
                    that a refusal lists exactly one requirement (about a
                    person, named in capitals in its message).

Admin is not a journey role (an IT administrator does not do casework), so
everything here goes through users holding the roles.
"""
import datetime

from harness import (shared, person, case_body, create_case,
                     rand_letters, assert_problem, _short)

ROLES = ("counsellor", "manager", "operations", "medical", "protection",
         "registration")
TOPICS = ["return_process", "origin_situation", "reintegration_options",
          "rights_and_withdrawal"]
PROCEDURES = ["exit_visa", "fine_waiver", "police_clearance"]
STAGES_BEFORE_DEPARTURE = ["registered", "counselled", "consented",
                           "eligible", "pre_departure", "ready", "booked"]
PATH = ["registered", "counselled", "consented", "eligible", "pre_departure",
        "ready", "booked", "departed"]
STEP_INTO = {"counselled": "counsel", "consented": "consent",
             "eligible": "approve_eligibility",
             "pre_departure": "start_pre_departure", "ready": "ready",
             "booked": "book", "departed": "depart"}
# who takes each step in these tests
STEP_ROLE = {"counsel": "counsellor", "consent": "counsellor",
             "approve_eligibility": "manager",
             "start_pre_departure": "operations", "ready": "operations",
             "book": "operations", "depart": "operations",
             "withdraw": "counsellor", "hold": "counsellor",
             "resume": "counsellor", "reopen": "counsellor",
             "close": "registration", "arrive": "operations"}
# who records each kind in these tests
RECORD_ROLE = {"counselling": "counsellor", "consent": "counsellor",
               "reconfirmation": "counsellor", "eligibility": "manager",
               "restriction_approval": "manager", "procedure": "operations",
               "travel_document": "operations", "escort": "operations",
               "health_assessment": "medical", "guardian": "protection",
               "best_interests_assessment": "protection",
               "best_interests_determination": "protection",
               "child_views": "protection", "family_assessment": "protection",
               "protection_officer": "protection",
               "risk_assessment": "protection"}


# --------------------------------------------------------------------------
# Time
# --------------------------------------------------------------------------

def utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(
        second=0, microsecond=0)


def dt(d):
    """A datetime as the API writes it: YYYY-MM-DDTHH:MMZ (UTC)."""
    return d.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%MZ")


def hours_from_now(h):
    return dt(utcnow() + datetime.timedelta(hours=h))


def today():
    return datetime.datetime.now(datetime.timezone.utc).date()


def day(offset=0):
    return (today() + datetime.timedelta(days=offset)).isoformat()


# --------------------------------------------------------------------------
# Staff
# --------------------------------------------------------------------------

def staff(office="EG-CAI", server=None):
    """{role: (username, token)} for the journey roles in office; created
    once per server. The manager sees every office anyway."""
    srv = server or shared()
    cache = getattr(srv, "_journey_staff", None)
    if cache is None:
        cache = srv._journey_staff = {}
    if office not in cache:
        cache[office] = {r: srv.make_user([r], [office]) for r in ROLES}
    return cache[office]


def token(role, office="EG-CAI"):
    return staff(office)[role][1]


def username(role, office="EG-CAI"):
    return staff(office)[role][0]


# --------------------------------------------------------------------------
# Record bodies (valid by default; override with keyword arguments)
# --------------------------------------------------------------------------

def counselling_body(topics=None, **over):
    b = {"kind": "counselling", "date": day(0), "counsellor": "Amina Test",
         "language": ["ar", "fr"], "interpreter": False,
         "topics": list(TOPICS if topics is None else topics),
         "notes": "session at the office"}
    b.update(over)
    return b


def consent_body(person_id, **over):
    b = {"kind": "consent", "person_id": person_id, "purpose": "return",
         "given_by": "self", "notice_version": "2026-1",
         "method": "signed_form", "interview_date": day(0),
         "language": ["ar"], "interpreter": False,
         "evidence_ref": "FORM-" + rand_letters(6)}
    b.update(over)
    return b


def partner(name="Caritas Mali"):
    """The id of a partner organisation on the shared server (consent to
    share, its withdrawal and referrals name partners by id)."""
    return shared().ensure_partner(name)


def guardian_consent_body(person_id, child_views="wants to go home",
                          **over):
    b = dict(given_by="guardian", guardian_name="Guardian Of Child",
             child_views=child_views)
    b.update(over)
    return consent_body(person_id, **b)


def reconfirmation_body(person_id, at, **over):
    b = {"kind": "reconfirmation", "person_id": person_id, "at": at,
         "method": "in_person", "notes": "still wishes to return"}
    b.update(over)
    return b


def eligibility_body(decision="eligible", **over):
    b = {"kind": "eligibility", "decision": decision,
         "reason": "meets the programme criteria"}
    b.update(over)
    return b


def procedure_body(type_, status="done", **over):
    b = {"kind": "procedure", "type": type_, "status": status,
         "requested_on": day(-10)}
    if status == "done":
        b["done_on"] = day(-1)
    b.update(over)
    return b


def travel_document_body(person_id, status="issued", expiry=None, **over):
    b = {"kind": "travel_document", "person_id": person_id,
         "type": "laissez_passer", "consulate": "Consulate in Cairo",
         "status": status, "requested_on": day(-20)}
    if status == "issued":
        b.update({"issued_on": day(-2), "number": "LP" + rand_letters(6),
                  "expiry": expiry or day(90)})
    b.update(over)
    return b


def health_body(person_id, result="fit", at=None, pre_embarkation=False,
                **over):
    b = {"kind": "health_assessment", "person_id": person_id,
         "result": result, "at": at or hours_from_now(-30),
         "assessor": "Dr Test", "pre_embarkation": pre_embarkation,
         "needs": []}
    if result == "temporarily_unfit":
        b["stabilisation_plan"] = "rest and treatment for two weeks"
    b.update(over)
    return b


def child_bodies(person_id, family_office="ML-BKO"):
    """kind -> body for every child-protection record a child needs."""
    return {
        "guardian": {"kind": "guardian", "person_id": person_id,
                     "name": "Guardian Of Child",
                     "relation": "appointed guardian",
                     "organisation": "Child Protection Unit"},
        "best_interests_assessment": {
            "kind": "best_interests_assessment", "person_id": person_id,
            "date": day(-5), "by": "Protection Officer",
            "summary": "assessment summary"},
        "best_interests_determination": {
            "kind": "best_interests_determination", "person_id": person_id,
            "decision": "return_in_best_interests", "date": day(-3),
            "by": "BID panel", "reasons": "family traced and willing"},
        "child_views": {"kind": "child_views", "person_id": person_id,
                        "date": day(-5), "views": "wants to see the family"},
        "family_assessment": {"kind": "family_assessment",
                              "person_id": person_id,
                              "office": family_office, "date": day(-4),
                              "outcome": "family_traced_and_willing",
                              "notes": "mother and uncle at home"},
        "escort": escort_body(person_id),
    }


CHILD_CODES = {"guardian": "child.guardian",
               "best_interests_assessment": "child.bia",
               "best_interests_determination": "child.bid",
               "child_views": "child.views",
               "family_assessment": "child.family",
               "escort": "child.escort"}


def escort_body(person_id, escort_kind="child_protection",
                name="Escort Person"):
    """An escort record; escort_kind is medical, operational or
    child_protection (the field escort_type)."""
    return {"kind": "escort", "person_id": person_id,
            "escort_type": escort_kind, "name": name}


# --------------------------------------------------------------------------
# A case on its journey
# --------------------------------------------------------------------------

def member(rel="principal", **pover):
    return {"relationship": rel, "person": person(**pover)}


def adult(rel="principal", **pover):
    p = dict(nationality="MLI", date_of_birth="1990-05-01",
             dob_precision="exact",
             documents=[{"type": "passport", "number": "P" + rand_letters(7),
                         "issuing_country": "MLI", "expiry": "2031-01-01"}])
    p.update(pover)
    return member(rel, **p)


def child(age=15, rel="principal", flags=("unaccompanied_child",),
          **pover):
    """A member who is `age` today (the birthday was about five months
    ago), flagged unaccompanied unless told otherwise."""
    dob = today() - datetime.timedelta(days=int(365.25 * age) + 150)
    p = dict(nationality="MLI", date_of_birth=dob.isoformat(),
             dob_precision="exact", vulnerabilities=list(flags),
             sex="female", languages=["bm"],
             documents=[{"type": "passport", "number": "P" + rand_letters(7),
                         "issuing_country": "MLI", "expiry": "2031-01-01"}])
    p.update(pover)
    return member(rel, **p)


class Journey:
    """A fresh case in office, destination MLI (Bamako) unless told."""

    def __init__(self, members=None, office="EG-CAI", destination="MLI",
                 area=None, creator="registration", **over):
        self.srv = shared()
        self.office = office
        self.staff = staff(office)
        body = case_body(office=office,
                         members=members or [adult()],
                         origin_country=destination,
                         destination_country=destination,
                         destination_admin_area=area or "Bamako",
                         destination_pcode=None, **over)
        self.case = create_case(body, token=self.tok(creator))
        self.id = self.case["id"]
        self.members = self.case["members"]

    # -- people --------------------------------------------------------------

    def tok(self, role):
        return self.staff[role][1]

    def user(self, role):
        return self.staff[role][0]

    def pid(self, i=0):
        return self.members[i]["person_id"]

    def pids(self):
        return [m["person_id"] for m in self.members]

    def display(self, i=0):
        p = self.members[i]["person"]
        return (p.get("name_latin") or p["name"]).upper()

    # -- HTTP ------------------------------------------------------------------

    def req(self, method, suffix, body=None, role="registration",
            headers=None, token=None):
        return self.srv.request(method, "/api/v1/cases/" + self.id + suffix,
                                body=body, headers=headers,
                                token=token or self.tok(role))

    def record(self, body, role=None, expect=201):
        r = self.req("POST", "/records", body,
                     role=role or RECORD_ROLE[body["kind"]])
        if expect is not None:
            note = ""
            if body["kind"] == "escort" and r[0] == 422:
                note = (" -- an escort record could not be created: "
                        "the escort's own field `kind` (medical | operational"
                        " | child_protection) has the same name as the "
                        "record kind, so the API always reports it missing; "
                        "child.escort and escort.medical can never be met")
            assert r[0] == expect, "record %s: expected %s, got %s %s%s" % (
                body["kind"], expect, r[0], _short(r[2]), note)
        return r

    def step(self, event, reason=None, role=None, expect=200, at=None):
        """Takes event. Departure and arrival say when they happened: `at`
        defaults to now for them (at=False sends none)."""
        body = {"event": event}
        if reason is not None:
            body["reason"] = reason
        if at is None and event in ("depart", "arrive"):
            at = hours_from_now(0)
        if at:
            body["at"] = at
        r = self.req("POST", "/transitions", body,
                     role=role or STEP_ROLE[event])
        if expect is not None:
            assert r[0] == expect, "step %s: expected %s, got %s %s" % (
                event, expect, r[0], _short(r[2], 3000))
        return r

    def unmet(self, event, role=None, at=None):
        """Takes event expecting 409 requirements-unmet; returns the
        problem body."""
        r = self.step(event, role=role, expect=None, at=at)
        return assert_problem(r, 409, "requirements-unmet")

    def get(self, role="registration"):
        st, h, c = self.req("GET", "", role=role)
        assert st == 200, (st, c)
        return c

    def stage(self):
        return self.get()["stage"]

    def patch(self, changes, role="registration"):
        c = self.get(role)
        r = self.req("PATCH", "", changes, role=role,
                     headers={"If-Match": '"%d"' % c["version"]})
        assert r[0] == 200, "patch: %s %s" % (r[0], _short(r[2]))
        return r[2]

    def set_departure(self, value):
        return self.patch({"planned_departure": value})

    def readiness(self, role="registration"):
        st, _, d = self.req("GET", "/readiness", role=role)
        assert st == 200, (st, d)
        return d

    def next_step(self, event, role="registration"):
        for n in self.readiness(role)["next"]:
            if n["event"] == event:
                return n
        raise AssertionError("readiness lists no step %s" % event)

    def events(self, role="registration"):
        st, _, d = self.req("GET", "/events", role=role)
        assert st == 200, (st, d)
        return d["items"]

    def records(self, role="registration", kind=None):
        st, _, d = self.req("GET", "/records" + ("?kind=" + kind if kind
                                                  else ""), role=role)
        assert st == 200, (st, d)
        return d["items"]

    # -- filling requirements ----------------------------------------------

    def counsel_all(self):
        self.record(counselling_body())

    def consent_all(self, skip=()):
        for i, m in enumerate(self.members):
            if i in skip:
                continue
            if self.is_child(i) or self.is_minor(i):
                self.record(guardian_consent_body(m["person_id"]))
            else:
                self.record(consent_body(m["person_id"]))

    def is_minor(self, i):
        """Under 18 today by an exact date of birth (a child with a parent
        in the case consents through the guardian too)."""
        p = self.members[i]["person"]
        if p.get("dob_precision") != "exact" or not p.get("date_of_birth"):
            return False
        b = datetime.date.fromisoformat(p["date_of_birth"])
        t = today()
        return (t.year - b.year - ((t.month, t.day) < (b.month, b.day))) < 18

    def is_child(self, i):
        p = self.members[i]["person"]
        return bool(set(p.get("vulnerabilities") or []) &
                    {"unaccompanied_child", "separated_child"})

    def eligible(self):
        self.record(eligibility_body())

    def fill_ready(self, skip=(), departure_hours=48):
        """Everything `ready` needs beyond consent/eligibility, except what
        skip names: "departure", "procedure.<type>", "health:<i>",
        "child.*:<i>" (by code), "child:<i>" (all child records)."""
        if "departure" not in skip:
            self.set_departure(hours_from_now(departure_hours))
        for t in PROCEDURES:
            if "procedure." + t not in skip:
                self.record(procedure_body(t, "done" if t != "fine_waiver"
                                           else "not_needed"))
        for i, pid in enumerate(self.pids()):
            if "health:%d" % i not in skip:
                self.record(health_body(pid))
            if self.is_child(i) and "child:%d" % i not in skip:
                self.fill_child(i, skip=skip)

    def fill_child(self, i=0, skip=(), family_office="ML-BKO"):
        pid = self.pid(i)
        for kind, body in child_bodies(pid, family_office).items():
            if "%s:%d" % (CHILD_CODES[kind], i) in skip:
                continue
            self.record(body)

    def fill_board(self, skip=(), at_hours=-1):
        """Reconfirmation and pre-embarkation check for every member
        (skip: "reconfirmation:<i>", "pre:<i>")."""
        for i, pid in enumerate(self.pids()):
            if "reconfirmation:%d" % i not in skip:
                self.record(reconfirmation_body(pid, hours_from_now(at_hours)))
            if "pre:%d" % i not in skip:
                self.record(health_body(pid, at=hours_from_now(at_hours),
                                        pre_embarkation=True))

    def to_stage(self, target, fill=True):
        """Walks the case from its stage up to target along the main path,
        recording what each step needs (fill=True). A case walked to
        `booked` leaves in two hours, and its members have reconfirmed and
        been checked for boarding (so it can depart now)."""
        cur = self.stage()
        i = PATH.index(cur)
        for s in PATH[i + 1: PATH.index(target) + 1]:
            ev = STEP_INTO[s]
            if fill:
                if ev == "counsel":
                    self.counsel_all()
                elif ev == "consent":
                    self.consent_all()
                elif ev == "approve_eligibility":
                    self.eligible()
                elif ev == "ready":
                    self.fill_ready()
                elif ev == "book":
                    self.set_departure(hours_from_now(2))
                    self.fill_board()
            self.step(ev)
        assert self.stage() == target, (self.stage(), target)
        return self


def codes(problem):
    return sorted(r["code"] for r in problem.get("requirements", []))


def unmet_codes(next_step):
    return sorted(r["code"] for r in next_step["requirements"] if not r["met"])


def only(problem, code, person=None, contains=None):
    """problem lists exactly one requirement, `code` (about person)."""
    reqs = problem["requirements"]
    assert [r["code"] for r in reqs] == [code], \
        "expected exactly [%s], got %r" % (code, reqs)
    assert problem["detail"].startswith("1 requirement of the step"), \
        problem["detail"]
    r = reqs[0]
    assert "met" not in r or r["met"] is False, r
    if person is not None:
        j, i = person
        assert r.get("person_id") == j.pid(i), (r, j.pid(i))
        assert r.get("person") == j.display(i), (r, j.display(i))
        assert j.display(i) in r["message"], \
            "message should name %s in capitals: %r" % (j.display(i),
                                                        r["message"])
    if contains is not None:
        assert contains in r["message"], (contains, r["message"])
    return r
