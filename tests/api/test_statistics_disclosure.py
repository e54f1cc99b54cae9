"""Disclosure control of the donors' figures (security review, issue 14):
hiding a small count is not enough when the breakdowns of one population
share its total — persons by sex summed to 208, the nationalities shown to
204, so the one "suppressed" nationality was 4.

These tests play the reader who subtracts. For every breakdown they take
the population's total from any breakdown of the same population that is
shown whole (cases: stage, office, destination; persons: sex, nationality;
the closed cases: the closed stage and the closure reasons), subtract what
is shown, and — knowing, at worst, which values exist (the test made the
data) — try to work out the count of every value not shown. They must not
find one. The same reader run on the old kind of answer finds the hidden
count, so it can fail."""
from harness import test, Server, case_body, person, main

MIN = 5
POPULATIONS = {"cases": ("cases_by_stage", "cases_by_office", "cases_by_destination"),
               "persons": ("persons_by_sex", "persons_by_nationality")}


def worked_out(stats, truth):
    """{(breakdown, value): count} for every value a reader can derive
    although it is not shown. truth: {breakdown: {value: count}} — which
    values exist (worst case: the reader knows)."""
    shown = {}
    for name, rows in stats.items():
        if isinstance(rows, list):
            shown[name] = {r["key"]: r["count"] for r in rows
                           if r.get("count") is not None and not r.get("combined")}
    whole = {name: not any(r.get("count") is None for r in stats[name])
             for name in shown}

    def total(names):
        for n in names:
            if whole[n]:
                return sum(r["count"] for r in stats[n])
        return None

    known = {}
    for pop, names in POPULATIONS.items():
        n = total(names)
        for name in names:
            if n is not None:
                known[name] = n
    # The closed cases: their total is the closed stage when it is shown,
    # and the sum of the reasons when they are shown whole.
    reasons = "cases_closed_by_reason"
    closed = shown["cases_by_stage"].get("closed")
    if closed is None and whole[reasons] and stats[reasons]:
        closed = sum(r["count"] for r in stats[reasons])
        # the closed stage is then known although not shown
        extra = {("cases_by_stage", "closed"): closed}
    else:
        extra = {}
    if closed is not None:
        known[reasons] = closed
    found = {}
    for name, n in known.items():
        hidden = {v: c for v, c in truth[name].items() if v not in shown[name]}
        rest = n - sum(shown[name].values())
        for (b, v), c in extra.items():
            if b == name and v in hidden:
                del hidden[v]
                rest -= c
                found[(b, v)] = c
        if len(hidden) == 1:
            (v,) = hidden
            found[(name, v)] = rest
        elif hidden and rest == len(hidden):  # each at least 1: all ones
            for v in hidden:
                found[(name, v)] = 1
    return found


@test
def the_reader_who_subtracts_finds_a_count_in_the_old_answers():
    """The finding itself, on the shape the server used to give: persons
    by sex sum to 208, the nationalities shown to 204."""
    old = {"persons_by_sex": [{"key": "female", "count": 101}, {"key": "male", "count": 107}],
           "persons_by_nationality": [{"key": "MLI", "count": 150}, {"key": "GIN", "count": 54},
                                      {"key": "NER", "count": None, "suppressed": True}],
           "cases_by_stage": [{"key": "registered", "count": 60}],
           "cases_by_office": [{"key": "EG-CAI", "count": 60}],
           "cases_by_destination": [{"key": "MLI", "count": 60}],
           "cases_closed_by_reason": []}
    truth = {"persons_by_sex": {"female": 101, "male": 107},
             "persons_by_nationality": {"MLI": 150, "GIN": 54, "NER": 4},
             "cases_by_stage": {"registered": 60}, "cases_by_office": {"EG-CAI": 60},
             "cases_by_destination": {"MLI": 60}, "cases_closed_by_reason": {}}
    assert worked_out(old, truth) == {("persons_by_nationality", "NER"): 4}


class Data:
    """Cases of one person each, in one server, with the truth counted as
    they are made."""

    def __init__(self, srv):
        self.srv = srv
        self.tok = srv.make_user(["manager"], ["EG-CAI"])[1]
        self.truth = {k: {} for k in ("cases_by_stage", "cases_by_office",
                                      "cases_by_destination", "persons_by_sex",
                                      "persons_by_nationality", "cases_closed_by_reason")}

    def _add(self, name, key):
        self.truth[name][key] = self.truth[name].get(key, 0) + 1

    def case(self, stage="registered", sex="male", nationality="SDN", destination="MLI"):
        st, _, c = self.srv.request("POST", "/api/v1/cases", case_body(
            destination_country=destination, members=[
                {"relationship": "principal",
                 "person": person(sex=sex, nationality=nationality)}]), token=self.tok)
        assert st == 201, (st, c)
        url = "/api/v1/cases/" + c["id"] + "/transitions"
        if stage in ("withdrawn", "closed"):
            st, _, d = self.srv.request("POST", url, {"event": "withdraw",
                                                      "reason": "decided to stay"},
                                        token=self.tok)
            assert st == 200, (st, d)
        if stage == "closed":
            st, _, d = self.srv.request("POST", url, {"event": "close", "reason": "withdrew"},
                                        token=self.tok)
            assert st == 200, (st, d)
            self._add("cases_closed_by_reason", "withdrew")
        self._add("cases_by_stage", stage)
        self._add("cases_by_office", "EG-CAI")
        self._add("cases_by_destination", destination)
        self._add("persons_by_sex", sex)
        self._add("persons_by_nationality", nationality)

    def stats(self):
        _, donor = self.srv.make_user(["donor"], [])
        st, _, data = self.srv.request("GET", "/api/v1/statistics", token=donor)
        assert st == 200, (st, data)
        return data


def check(data, truth):
    """What every answer must be: named values counted at least 5 times;
    the combined row at least 5 (two values or more); a withheld breakdown
    one row, count null; shown rows adding up to the truth; nothing
    derivable."""
    found = worked_out(data, truth)
    assert found == {}, "worked out from what is shown: %r" % found
    for name, t in truth.items():
        rows = data[name]
        named = [r for r in rows if not r.get("combined")]
        combined = [r for r in rows if r.get("combined")]
        assert len(combined) <= 1, rows
        for r in named:
            assert r["count"] >= MIN and r["count"] == t[r["key"]], (name, r)
        if combined and combined[0]["count"] is None:
            assert rows == combined and combined[0]["suppressed"], rows
        elif combined:
            hidden = [v for v in t if v not in {r["key"] for r in named}]
            assert combined[0]["count"] >= MIN and len(hidden) >= 2, (name, rows, t)
            assert combined[0]["count"] == sum(t[v] for v in hidden), (name, rows, t)
        if t and not (combined and combined[0]["count"] is None):
            assert sum(r["count"] for r in rows) == sum(t.values()), (name, rows, t)


@test
def no_hidden_count_can_be_worked_out_from_the_totals_or_other_breakdowns():
    srv = Server()
    try:
        srv.start()
        srv.ensure_office("EG-CAI", "Cairo", "EGY")
        d = Data(srv)
        # The closed stage (6) is the total of the closure reasons; the
        # only other stage is 3: hiding it needs the closed stage, and then
        # the reasons must not give it back.
        for i in range(6):
            d.case(stage="closed", sex="female" if i < 3 else "male")
        for i in range(3):
            d.case(sex="male", nationality="GIN" if i == 0 else "SDN",
                   destination="GIN" if i < 2 else "MLI")
        data = d.stats()
        check(data, d.truth)
        assert [r.get("combined") for r in data["cases_by_stage"]] == [True], data
        assert data["cases_closed_by_reason"][0]["count"] is None, data
        # One withdrawn case and two more registered: the withdrawn is
        # hidden alone, registered (5) joins it, closed stays named.
        d.case(stage="withdrawn", sex="female", nationality="NER")
        d.case(sex="female")
        d.case(sex="female", destination="GIN")
        data = d.stats()
        check(data, d.truth)
        stages = {r["key"]: r["count"] for r in data["cases_by_stage"] if not r.get("combined")}
        assert stages == {"closed": 6}, data["cases_by_stage"]
        assert data["cases_closed_by_reason"] == [{"key": "withdrew", "count": 6}], data
        # Nationalities: SDN 9, GIN 1, NER 1 — two hidden ones of 1 each
        # would be all ones; SDN joins them.
        assert [r.get("combined") for r in data["persons_by_nationality"]] == [True], data
        # Destinations: MLI 9, GIN 3 — GIN alone would be the total minus
        # MLI; MLI joins it.
        assert len(data["cases_by_destination"]) == 1, data
        # Sex: 6 and 6, shown as they are.
        assert {r["key"]: r["count"] for r in data["persons_by_sex"]} == \
            {"female": 6, "male": 6}, data
    finally:
        if srv.alive():
            srv.stop()
        srv.cleanup()


@test
def a_population_under_five_is_withheld_whole():
    srv = Server()
    try:
        srv.start()
        srv.ensure_office("EG-CAI", "Cairo", "EGY")
        d = Data(srv)
        for nat in ("SDN", "GIN", "NER"):
            d.case(nationality=nat)
        data = d.stats()
        check(data, d.truth)
        for name in ("cases_by_stage", "cases_by_office", "persons_by_nationality"):
            assert data[name] == [{"key": None, "count": None, "combined": True,
                                   "suppressed": True}], (name, data[name])
        assert data["cases_closed_by_reason"] == [], data
    finally:
        if srv.alive():
            srv.stop()
        srv.cleanup()


if __name__ == "__main__":
    main()
