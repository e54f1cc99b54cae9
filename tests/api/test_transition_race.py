"""A step is decided on a reader and written only if nothing it weighed
changed meanwhile (src/app/journey.c): a record that makes the step
impossible, added at the same moment as the step, is never overlooked —
the timeline, which is the order the writer committed things in, never
shows the step after a record that forbids it."""
import threading

from harness import test, main
from journey_util import Journey, health_body
from test_journey import prepare_parallel


def race_record(cases):
    """For each case, fires `ready` and an `unfit` health assessment at
    the same moment; returns [(step status, record status, journey)]."""
    out = []
    for j in cases:
        res = {}
        barrier = threading.Barrier(2)

        def step():
            barrier.wait()
            res["step"] = j.req("POST", "/transitions", {"event": "ready"},
                                role="operations")[0]

        def record():
            barrier.wait()
            res["record"] = j.req("POST", "/records",
                                  health_body(j.pid(), "unfit"),
                                  role="medical")[0]

        ts = [threading.Thread(target=step), threading.Thread(target=record)]
        for t in ts:
            t.start()
        for t in ts:
            t.join(30)
        out.append((res.get("step"), res.get("record"), j))
    return out


@test
def an_unfit_assessment_racing_ready_is_never_overlooked():
    def prep():
        j = Journey()
        j.to_stage("pre_departure")
        j.fill_ready()
        return j
    first = prep()  # the staff of the office, made once before the others
    cases = [first] + prepare_parallel(11, prep)
    outcomes = set()
    for st_step, st_rec, j in race_record(cases):
        assert st_rec == 201, st_rec
        assert st_step in (200, 409), st_step
        kinds = [e["kind"] for e in j.events()]
        stepped = [i for i, e in enumerate(j.events())
                   if e["kind"] == "transition"
                   and e["data"].get("event") == "ready"]
        recorded = [i for i, e in enumerate(j.events())
                    if e["kind"] == "recorded"]
        last_record = max(recorded)
        if st_step == 200:
            assert j.stage() == "ready"
            assert len(stepped) == 1, kinds
            # the step was committed before the record that forbids it
            assert stepped[0] < last_record, \
                "ready was taken after an unfit assessment: %r" % kinds
        else:
            assert j.stage() == "pre_departure", j.stage()
            assert not stepped, kinds
        outcomes.add(st_step)
    # The order of the timeline: which way each race went is what it says.
    assert outcomes, "no race ran"


if __name__ == "__main__":
    main()
