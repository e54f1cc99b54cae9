#!/usr/bin/env python3
"""cold_reads.py — how long one read of a case takes when its pages are not
in memory (the readiness target of issue 10: p95 <= 1 ms on cold pages).

    python3 bench/cold_reads.py --db DB [--bin build/awda] [--ids bench/out/case_ids.txt]
        [--n 300] [--seed 20261206] [--password-file DB.password] [--port 8197]

For each of two requests — GET /api/v1/cases/{id}/readiness and
GET /api/v1/cases/{id} — it:
  1. drops the database file, its WAL and its audit file from the OS page
     cache (posix_fadvise DONTNEED on those files only, not the machine's
     whole cache; pages being written are not dropped, none are);
  2. starts a fresh server on DB (loopback, two threads), signs in as the
     admin (the password in DB.password unless --password-file);
  3. asks for n different cases (drawn with the seed from the ids file that
     bench/run.sh writes), one after the other on one keep-alive
     connection, timing each answer at the client: these are cold reads;
  4. asks for the same n cases again: warm reads;
  5. stops the server.
Prints p50, p95, p99 and the largest time of the cold and of the warm reads,
in milliseconds, and the read calls the server made per request in each
(/proc/PID/io syscr: SQLite reads a page of the file with one pread; a
request's other read calls are few), and exits 1 if an answer is not a 200. Only loopback is
used. The server writes the audit of the reads into DB's audit file; nothing
else in DB changes.
"""
import argparse
import os
import random
import sys
import time

import awda_server

HERE = os.path.dirname(os.path.abspath(__file__))


def drop_cache(db):
    """Asks the kernel to forget the cached pages of the database's files."""
    for path in (db, db + "-wal", db + "-audit", db + "-audit-wal"):
        if not os.path.exists(path):
            continue
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def read_calls(pid):
    """The read system calls process pid has made so far."""
    with open("/proc/%d/io" % pid) as f:
        for line in f:
            if line.startswith("syscr:"):
                return int(line.split()[1])
    return 0


def pct(xs, p):
    s = sorted(xs)
    return s[min(len(s) - 1, int(round(p / 100.0 * (len(s) - 1))))]


def run(binary, db, port, password, paths):
    """Cold then warm times (ms) of GET paths on a fresh server, and the
    read calls per request of each."""
    drop_cache(db)
    srv, c = awda_server.start(binary, db, port, who="cold_reads.py")
    try:
        token = awda_server.sign_in(c, "admin", password, who="cold_reads.py")
        hdr = {"Authorization": "Bearer " + token}
        times, calls = [], []
        for _ in range(2):  # cold, then warm
            t = []
            before = read_calls(srv.pid)
            for path in paths:
                t0 = time.perf_counter()
                c.request("GET", path, headers=hdr)
                r = c.getresponse()
                r.read()
                t.append((time.perf_counter() - t0) * 1000.0)
                if r.status != 200:
                    sys.exit("cold_reads.py: GET %s: %d" % (path, r.status))
            times.append(t)
            calls.append((read_calls(srv.pid) - before) / float(len(paths)))
        return times, calls
    finally:
        srv.terminate()
        srv.wait()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--bin", default=os.path.join(HERE, "..", "build", "awda"))
    ap.add_argument("--ids", default=os.path.join(HERE, "out", "case_ids.txt"))
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--seed", type=int, default=20261206)
    ap.add_argument("--password-file")
    ap.add_argument("--port", type=int, default=8197)
    a = ap.parse_args()
    with open(a.password_file or a.db + ".password") as f:
        password = f.read().strip()
    with open(a.ids) as f:
        ids = [x.strip() for x in f if x.strip()]
    if len(ids) < a.n:
        sys.exit("cold_reads.py: %s holds %d ids, fewer than --n %d" % (a.ids, len(ids), a.n))
    pick = random.Random(a.seed).sample(ids, a.n)
    print("| request | reads | cold p50 / p95 / p99 / max ms | warm p50 / p95 / p99 / max ms "
          "| read calls per request, cold / warm |")
    print("|---|---:|---|---|---|")
    for what, fmt in (("readiness", "/api/v1/cases/%s/readiness"), ("case", "/api/v1/cases/%s")):
        (cold, warm), (ccold, cwarm) = run(a.bin, a.db, a.port, password,
                                           [fmt % i for i in pick])
        row = lambda t: " / ".join("%.2f" % x for x in
                                   (pct(t, 50), pct(t, 95), pct(t, 99), max(t)))
        print("| %s | %d | %s | %s | %.1f / %.1f |" % (what, a.n, row(cold), row(warm), ccold,
                                                     cwarm))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
