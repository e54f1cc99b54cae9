#!/usr/bin/env python3
"""movements_bench.py — the issue-11 figures on the bench data: the boarding
check (GET /api/v1/movements/{id}/board) of a movement of 150 passengers
and the manifest (GET .../manifest, json, csv and xlsx) of one of 500,
measured as server time (the access log's "us") beside references from the
same server in the same run: GET /healthz and GET /api/v1/cases/{id}.

    bench/movements_bench.py [--db bench/data/awda.db] [--reps 40]
                             [--persons 1000000 --cases 600000]

It needs build/awda (release) and bench/gen (make -C bench gen). When --db
does not exist it is made as bench/run.sh makes it (`awda init`, then
bench/gen with --persons/--cases, seed 20260101); the admin password is kept
beside it (admin_password.txt), or taken from there when the file exists.

The passengers: households of one to three people (principal, spouse,
child) registered in Cairo (EG-CAI) for Mali, walked up the journey to
`ready` with every record, reconfirmation and pre-embarkation check (the
helpers of tests/api/journey_util.py, against this server), then added to
two charters (150 and 500 seats) in one request each. A movement's
departure is two hours ahead so every boarding check is met and does its
whole work. The extra cases are left on the database: run it on a copy when
that matters.

Output: per route, n, p50, p95, max of server µs and of the client's wall
time, and the ratios of the p50s against the references. Raw server log:
bench/out/movements_server.log."""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "api"))
os.environ.setdefault("AWDA_BIN", os.path.join(ROOT, "build", "awda"))

import harness  # noqa: E402
import journey_util  # noqa: E402
from journey_util import Journey, adult, child  # noqa: E402
import test_movements as tm  # noqa: E402


def make_db(db, persons, cases):
    os.makedirs(os.path.dirname(db), exist_ok=True)
    p = subprocess.run([os.environ["AWDA_BIN"], "init", "--db", db],
                       capture_output=True, text=True, check=True)
    pw = re.search(r"^password:\s*(\S+)", p.stdout, re.M).group(1)
    with open(os.path.join(os.path.dirname(db), "admin_password.txt"),
              "w") as f:
        f.write(pw + "\n")
    t = time.time()
    subprocess.run([os.path.join(ROOT, "bench", "gen"), "--db", db,
                    "--persons", str(persons), "--cases", str(cases),
                    "--seed", "20260101"], check=True, cwd=ROOT)
    print("generated %d persons in %d cases: %.1f s" % (
        persons, cases, time.time() - t), flush=True)


def server_on(db):
    """A harness.Server on an existing database, made the shared server so
    that journey_util's helpers drive it."""
    s = harness.Server(threads=8)
    s.db = db
    s.admin_user = "admin"
    with open(os.path.join(os.path.dirname(db), "admin_password.txt")) as f:
        s.admin_password = f.read().strip()
    s._passwords["admin"] = s.admin_password
    s.start(timeout=120)
    harness._shared = s
    return s


def household(k):
    """Households of 1, 2 and 3 people in turn."""
    n = 1 + k % 3
    ms = [adult()]
    if n > 1:
        ms.append(adult("spouse", sex="female"))
    if n > 2:
        ms.append(child(age=9, rel="child", flags=()))
    return ms


def ready_households(passengers, start):
    """Ready households holding exactly `passengers` people."""
    sizes, k = [], start
    while sum(sizes) < passengers:
        n = 1 + k % 3
        sizes.append(min(n, passengers - sum(sizes)))
        k += 1
    out, errs, lock = [None] * len(sizes), [], threading.Lock()
    it = iter(range(len(sizes)))

    def work():
        while True:
            with lock:
                i = next(it, None)
            if i is None:
                return
            try:
                ms = household(sizes[i] - 1)[:sizes[i]]
                j = Journey(members=ms)
                j.to_stage("ready")
                j.fill_board()
                out[i] = j
            except BaseException as e:  # noqa
                errs.append(e)
                return
    ts = [threading.Thread(target=work) for _ in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    if errs:
        raise errs[0]
    return out


def movement(households, capacity):
    m = tm.create(capacity=capacity, dep=2)
    d = tm.add(m["id"], cases=[j.id for j in households])
    assert not d["refused"], d["refused"][:3]
    assert d["movement"]["seats_taken"] == capacity, d["movement"]
    return m["id"]


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default=os.path.join(ROOT, "bench/data/awda.db"))
    ap.add_argument("--reps", type=int, default=40)
    ap.add_argument("--persons", type=int, default=1000000)
    ap.add_argument("--cases", type=int, default=600000)
    ap.add_argument("--perf", metavar="ROUTE",
                    help="after the measurement, `perf record -g` the "
                    "server while it answers ROUTE (e.g. board150) --reps "
                    "times; the data in bench/out/movements-ROUTE.perf")
    a = ap.parse_args()
    if not os.path.exists(a.db):
        make_db(a.db, a.persons, a.cases)
    s = server_on(a.db)
    try:
        harness.shared()   # offices, as the tests expect
        journey_util.staff("EG-CAI")    # the staff, before the threads
        t = time.time()
        hh150 = ready_households(150, 0)
        hh500 = ready_households(500, 1)
        print("ready households: %d + %d, %.1f s" % (
            len(hh150), len(hh500), time.time() - t), flush=True)
        m150 = movement(hh150, 150)
        m500 = movement(hh500, 500)
        tok = tm.token("operations")
        case_ids = [j.id for j in hh150[:20]]
        routes = {
            "healthz": ("/healthz", None),
            "case": (None, None),
            "board150": ("/api/v1/movements/%s/board" % m150, None),
            "manifest500": ("/api/v1/movements/%s/manifest" % m500, None),
            "manifest500_csv": ("/api/v1/movements/%s/manifest?format=csv"
                                % m500, None),
            "manifest500_xlsx": ("/api/v1/movements/%s/manifest?format=xlsx"
                                 % m500, None),
            "board500": ("/api/v1/movements/%s/board" % m500, None),
        }
        wall = {k: [] for k in routes}
        # interleaved, so that the machine's noise falls on every route
        for r in range(a.reps):
            for k, (path, _) in routes.items():
                p = path or "/api/v1/cases/" + case_ids[r % len(case_ids)]
                t0 = time.perf_counter()
                st, _, body = s.request("GET", p, token=tok, timeout=60)
                wall[k].append((time.perf_counter() - t0) * 1e6)
                assert st == 200, (k, st, str(body)[:300])
                if r == 0 and k == "board150":
                    assert len(body["passengers"]) == 150
                    assert all(x["boarding"]["met"]
                               for x in body["passengers"]), "not all met"
                if r == 0 and k == "manifest500":
                    assert body["counts"]["passengers"] == 500
        # server CPU time per request: each route alone, a.reps times
        # (utime + stime of the whole process, /proc/PID/stat, in ticks)
        tick = os.sysconf("SC_CLK_TCK")
        cpu = {}

        def cpu_ticks():
            f = open("/proc/%d/stat" % s.proc.pid).read()
            f = f[f.rindex(")") + 2:].split()
            return int(f[11]) + int(f[12])
        for k, (path, _) in routes.items():
            t0 = cpu_ticks()
            for r in range(a.reps):
                p = path or "/api/v1/cases/" + case_ids[r % len(case_ids)]
                s.request("GET", p, token=tok, timeout=60)
            cpu[k] = (cpu_ticks() - t0) * 1000.0 / tick / a.reps
        if a.perf:
            out = os.path.join(ROOT, "bench/out/movements-%s.perf" % a.perf)
            os.makedirs(os.path.dirname(out), exist_ok=True)
            pr = subprocess.Popen(["perf", "record", "--call-graph", "dwarf", "-o", out, "-p",
                                   str(s.proc.pid)],
                                  stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
            time.sleep(1)
            for r in range(a.reps):
                s.request("GET", routes[a.perf][0], token=tok, timeout=60)
            pr.send_signal(2)
            pr.wait()
            print("perf data:", out)
    finally:
        s.stop()
    os.makedirs(os.path.join(ROOT, "bench/out"), exist_ok=True)
    logp = os.path.join(ROOT, "bench/out/movements_server.log")
    shutil.copy(s.log_path, logp)
    us = {}
    route_of = {"/healthz": "healthz", "/api/v1/cases/{id}": "case",
                "/api/v1/movements/{id}/board": "board",
                "/api/v1/movements/{id}/manifest": "manifest"}
    seq = []
    for line in open(logp, errors="replace"):
        if '"route"' not in line or '"GET"' not in line:
            continue
        try:
            j = json.loads(line[line.index("{"):])
        except ValueError:
            continue
        if j.get("route") in route_of:
            seq.append((route_of[j["route"]], j["us"], j.get("bytes")))
    # the measured requests are the last reps × routes GETs of these routes,
    # in the order sent
    order = list(routes)
    # the measured requests come first among the last ones: after them,
    # reps × routes for the CPU time, then reps for perf
    seq = seq[:len(seq) - a.reps * len(order) - (a.reps if a.perf else 0)]
    tail = seq[-a.reps * len(order):]
    for i, (kind, u, b) in enumerate(tail):
        k = order[i % len(order)]
        assert k.startswith(kind) or (k == "case" and kind == "case"), \
            (i, k, kind)
        us.setdefault(k, []).append((u, b))
    print("\n| route | n | bytes | server µs p50 | p95 | max | client ms p50"
          " | server CPU ms/request |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for k in order:
        xs = [u for u, _ in us[k]]
        print("| %s | %d | %s | %d | %d | %d | %.1f | %.1f |" % (
            k, len(xs), us[k][0][1], pct(xs, .5), pct(xs, .95), max(xs),
            pct(wall[k], .5) / 1000, cpu[k]))
    h = pct([u for u, _ in us["healthz"]], .5)
    c = pct([u for u, _ in us["case"]], .5)
    print()
    for k in order[2:]:
        p = pct([u for u, _ in us[k]], .5)
        print("%s: p50 %.1f ms = %.0f x healthz, %.1f x case read; "
              "CPU %.1f ms = %.1f x case read's" % (
                  k, p / 1000, p / max(h, 1), p / max(c, 1), cpu[k],
                  cpu[k] / max(cpu["case"], 0.01)))


if __name__ == "__main__":
    main()
