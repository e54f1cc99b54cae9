#!/usr/bin/env python3
"""dupeval.py — the issue-13 figures of duplicate detection: recall@10 of
the planted duplicate pairs (bench/gen --dups, bench/dupgen.c) and the
latency seen by the client, against a real server over loopback.

    bench/dupeval.py --make 100000 [--db bench/data/dup100k.db]   # make, then measure
    bench/dupeval.py --db bench/data/dup100k.db [--probes 2000] [--check 300]

--make N builds the database first: `awda init`, `bench/gen --persons N
--cases 0.6N --dups D --labels DB.labels.tsv` (D = 3000 from 100,000
persons up, else N/50), then `awda duplicates reindex` (the blocking keys);
the admin password is kept beside the database (DB.password).

What it measures
  - Probes: every labelled pair (or --probes of them, drawn with --seed),
    each queried from one side, chosen at random: GET
    /api/v1/persons/{id}/duplicates?limit=10, one keep-alive connection,
    one request at a time. A probe is a hit when the other person of the
    pair is among the ten answered. recall@10 = hits / probes, overall, per
    kind, and for the pairs written in different scripts; also recall@1 and
    the mean rank of the hits.
  - Latency from the client: the wall time of each of those requests
    (sending to the last byte read), p50 / p95 / p99 / max; the server's own
    time ("us" of its access log) beside it; then wrk (bench/dupeval.lua)
    over the same probe ids for --wrk-seconds at 1 and at 8 connections.
  - POST /api/v1/duplicates/check on --check pairs: the body is one
    person's fields as saved (name, name_latin, sex, date_of_birth,
    dob_precision, nationality); hit when the other person of the pair is in
    the ten answered (the saved record of the person itself is usually one
    of the ten).
Output: a Markdown table on stdout and in bench/out/dupeval-<persons>.md,
the misses (both names and dates) in bench/out/dupeval-<persons>-misses.tsv.
"""
import argparse
import csv
import http.client
import json
import os
import random
import re
import socket
import sqlite3
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(cmd, **kw):
    print("$ " + " ".join(cmd), flush=True)
    return subprocess.run(cmd, check=True, cwd=ROOT, **kw)


def make_db(awda, db, persons, dups, seed):
    for suffix in ("", "-wal", "-shm", ".key"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    os.makedirs(os.path.dirname(os.path.abspath(db)), exist_ok=True)
    p = run([awda, "init", "--db", db], capture_output=True, text=True)
    pw = re.search(r"^password:\s*(\S+)", p.stdout, re.M).group(1)
    with open(db + ".password", "w") as f:
        f.write(pw + "\n")
    t = time.time()
    run([os.path.join(ROOT, "bench", "gen"), "--db", db, "--persons", str(persons),
         "--cases", str(int(persons * 0.6)), "--seed", str(seed), "--dups", str(dups),
         "--labels", db + ".labels.tsv"])
    t_gen = time.time() - t
    t = time.time()
    run([awda, "duplicates", "reindex", "--db", db])
    t_idx = time.time() - t
    print("made %d persons: gen %.1f s, duplicates reindex %.1f s" % (persons, t_gen, t_idx),
          flush=True)
    return t_gen, t_idx


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Client:
    """One keep-alive connection."""

    def __init__(self, port, token=None):
        self.port, self.token = port, token
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def req(self, method, path, body=None):
        h = {}
        if self.token:
            h["Authorization"] = "Bearer " + self.token
        data = None
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode()
            h["Content-Type"] = "application/json"
        t = time.perf_counter()
        self.conn.request(method, path, body=data, headers=h)
        r = self.conn.getresponse()
        raw = r.read()
        dt = time.perf_counter() - t
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = raw[:200]
        return r.status, parsed, dt


def start_server(awda, db, threads, log_path):
    port = free_port()
    log = open(log_path, "wb")
    proc = subprocess.Popen([awda, "serve", "--db", db, "--listen", "127.0.0.1:%d" % port,
                             "--threads", str(threads)], stdout=log, stderr=subprocess.STDOUT,
                            cwd=ROOT)
    deadline = time.time() + 300
    while time.time() < deadline:
        if proc.poll() is not None:
            sys.exit("the server exited at start-up; see " + log_path)
        try:
            st, _, _ = Client(port).req("GET", "/healthz")
            if st == 200:
                return proc, port
        except OSError:
            pass
        time.sleep(0.1)
    proc.kill()
    sys.exit("the server did not answer /healthz; see " + log_path)


def pctl(xs, p):
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100.0 * (len(xs) - 1))))]


def ids_of(data):
    """The person ids of an answer {items: [{person: {id}}]}, in order
    (None for a candidate outside the user's scope)."""
    out = []
    for it in (data or {}).get("items", []):
        out.append((it.get("person") or {}).get("id"))
    return out


def recall_rows(probes):
    """(label, n, hits, recall@10, recall@1, mean rank of hits) rows."""
    groups = [("all pairs", probes)]
    kinds = sorted({p["kind"] for p in probes})
    groups += [("kind " + k, [p for p in probes if p["kind"] == k]) for k in kinds]
    groups.append(("across scripts", [p for p in probes if p["cross"]]))
    groups.append(("same script", [p for p in probes if not p["cross"]]))
    rows = []
    for label, ps in groups:
        n = len(ps)
        hits = [p for p in ps if p["rank"]]
        r1 = sum(1 for p in hits if p["rank"] == 1)
        rows.append((label, n, len(hits), len(hits) / n if n else float("nan"),
                     r1 / n if n else float("nan"),
                     sum(p["rank"] for p in hits) / len(hits) if hits else float("nan")))
    return rows


def cpu_s(pid):
    """User + system CPU seconds of process pid so far."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wrk(port, token, ids_path, conns, seconds, pid):
    env = dict(os.environ, AWDA_TOKEN=token, AWDA_DUP_IDS=ids_path)
    threads = min(conns, 2)
    c0 = cpu_s(pid)
    p = subprocess.run(["wrk", "-t%d" % threads, "-c%d" % conns, "-d%ds" % seconds,
                        "-s", os.path.join(ROOT, "bench", "dupeval.lua"),
                        "http://127.0.0.1:%d" % port], env=env, capture_output=True,
                       text=True, cwd=ROOT)
    cpu = cpu_s(pid) - c0
    m = re.search(r"^RESULT .*$", p.stdout, re.M)
    if not m:
        return {"error": (p.stdout + p.stderr)[-300:]}
    r = dict(kv.split("=", 1) for kv in m.group(0).split()[1:])
    r["cpu_us"] = cpu * 1e6 / max(int(r["requests"]), 1)
    return r


def machine():
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return "%s, %d cores" % (cpu, os.cpu_count() or 0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", default=None)
    ap.add_argument("--make", type=int, default=0, metavar="PERSONS")
    ap.add_argument("--dups", type=int, default=0)
    ap.add_argument("--labels", default=None)
    ap.add_argument("--awda", default=os.path.join(ROOT, "build", "awda"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--probes", type=int, default=0, help="0: every labelled pair")
    ap.add_argument("--check", type=int, default=300)
    ap.add_argument("--wrk-seconds", type=int, default=10)
    ap.add_argument("--seed", type=int, default=20260101)
    a = ap.parse_args()
    if not a.db:
        a.db = os.path.join(ROOT, "bench", "data",
                            "dup%dk.db" % ((a.make or 100000) // 1000))
    out_dir = os.path.join(ROOT, "bench", "out")
    os.makedirs(out_dir, exist_ok=True)
    made = None
    if a.make:
        dups = a.dups or (3000 if a.make >= 100000 else max(a.make // 50, 10))
        made = make_db(a.awda, a.db, a.make, dups, a.seed)
    labels = a.labels or a.db + ".labels.tsv"
    with open(a.db + ".password") as f:
        password = f.read().strip()

    pairs = list(csv.DictReader(open(labels), delimiter="\t"))
    rng = random.Random(a.seed)
    if a.probes and a.probes < len(pairs):
        pairs = rng.sample(pairs, a.probes)
    probes = []
    for p in pairs:
        a_side = rng.random() < 0.5
        probes.append({"kind": p["kind"], "cross": p["cross_script"] == "1",
                       "probe": p["person_a"] if a_side else p["person_b"],
                       "partner": p["person_b"] if a_side else p["person_a"],
                       "rank": 0})
    ro = sqlite3.connect("file:%s?mode=ro" % a.db, uri=True)
    npersons = ro.execute("SELECT count(*) FROM persons").fetchone()[0]
    tag = "%dk" % (npersons // 1000)

    load0 = os.getloadavg()
    log_path = os.path.join(out_dir, "dupeval-%s-server.log" % tag)
    t = time.time()
    proc, port = start_server(a.awda, a.db, a.threads, log_path)
    t_start = time.time() - t
    # A database written before the duplicates module: its server makes the
    # keys of the older persons at start, in the background; wait for them
    # (recall measured before would be that of a half-made index).
    t = time.time()
    while ro.execute("SELECT count(*) FROM sqlite_master WHERE name = "
                     "'person_dup_backfill'").fetchone()[0] and \
            ro.execute("SELECT count(*) FROM person_dup_backfill WHERE next_pk <= upto_pk"
                       ).fetchone()[0]:
        if proc.poll() is not None:
            sys.exit("the server exited; see " + log_path)
        time.sleep(1)
    t_backfill = time.time() - t
    try:
        c = Client(port)
        st, s, _ = c.req("POST", "/api/v1/session", {"username": "admin", "password": password})
        if st != 201:
            sys.exit("sign-in failed: %s %r" % (st, s))
        c.token = s["token"]

        # Warm-up: 50 probes (not counted), then every probe once.
        for p in probes[:50]:
            c.req("GET", "/api/v1/persons/%s/duplicates?limit=10" % p["probe"])
        lat, ref, statuses, out_scope = [], [], {}, 0
        for p in probes:
            # The reference, interleaved so that the machine's load weighs
            # on both alike: the same person read (GET /persons/{id}).
            _, _, dt = c.req("GET", "/api/v1/persons/%s" % p["probe"])
            ref.append(dt * 1000)
            st, data, dt = c.req("GET", "/api/v1/persons/%s/duplicates?limit=10" % p["probe"])
            statuses[st] = statuses.get(st, 0) + 1
            lat.append(dt * 1000)
            ids = ids_of(data) if st == 200 else []
            out_scope += sum(1 for i in ids if i is None)
            if p["partner"] in ids:
                p["rank"] = ids.index(p["partner"]) + 1

        # The misses again with the longest list the server gives (50): a
        # partner found further down, or not a candidate at all.
        for p in probes:
            if not p["rank"]:
                st, data, _ = c.req("GET", "/api/v1/persons/%s/duplicates?limit=50" % p["probe"])
                ids = ids_of(data) if st == 200 else []
                p["rank50"] = ids.index(p["partner"]) + 1 if p["partner"] in ids else 0

        # POST /duplicates/check on a sample.
        q = ("SELECT name, name_latin, sex, date_of_birth, dob_precision, nationality "
             "FROM persons WHERE id = ?")
        chk = rng.sample(probes, min(a.check, len(probes)))
        chk_lat, chk_hits, chk_status = [], 0, {}
        for p in chk:
            row = ro.execute(q, (p["probe"],)).fetchone()
            body = {"name": row[0], "sex": row[2], "dob_precision": row[4],
                    "nationality": row[5]}
            if row[1]:
                body["name_latin"] = row[1]
            if row[3]:
                body["date_of_birth"] = row[3]
            st, data, dt = c.req("POST", "/api/v1/duplicates/check?limit=10", body)
            chk_status[st] = chk_status.get(st, 0) + 1
            chk_lat.append(dt * 1000)
            if st == 200 and p["partner"] in ids_of(data):
                chk_hits += 1

        ids_path = os.path.join(out_dir, "dupeval-%s-ids.txt" % tag)
        with open(ids_path, "w") as f:
            f.write("\n".join(p["probe"] for p in probes) + "\n")
        w1 = wrk(port, c.token, ids_path, 1, a.wrk_seconds, proc.pid)
        w8 = wrk(port, c.token, ids_path, 8, a.wrk_seconds, proc.pid)
    finally:
        proc.terminate()
        proc.wait()
    load1 = os.getloadavg()

    server_us = []
    for line in open(log_path, errors="replace"):
        if '"/api/v1/persons/{id}/duplicates"' in line:
            try:
                server_us.append(json.loads(line)["us"] / 1000.0)
            except (ValueError, KeyError):
                pass

    # The report.
    L = []
    L.append("### Duplicate detection at %s persons (%s)" % (format(npersons, ","),
                                                            time.strftime("%Y-%m-%d %H:%M UTC",
                                                                          time.gmtime())))
    L.append("")
    L.append("Machine: %s; load average %.2f at the start, %.2f at the end (1 min). "
             "Server: `awda serve --threads %d`; server start-up %.1f s; waited %.1f s for "
             "the keys of older persons." % (
                 machine(), load0[0], load1[0], a.threads, t_start, t_backfill))
    if made:
        L.append("Made in this run: bench/gen %.1f s, `awda duplicates reindex` %.1f s." % made)
    L.append("Probes: %d labelled pairs, each queried once from a side drawn at random; "
             "statuses %s; candidates outside the user's scope: %d." % (
                 len(probes), statuses, out_scope))
    L.append("")
    L.append("| pairs | probes | hits | recall@10 | recall@1 | mean rank of hits |")
    L.append("|---|---:|---:|---:|---:|---:|")
    for label, n, h, r10, r1, mr in recall_rows(probes):
        b = "**" if label in ("all pairs", "across scripts") else ""
        L.append("| %s%s%s | %d | %d | %s%.3f%s | %.3f | %.2f |" % (b, label, b, n, h, b, r10, b,
                                                                  r1, mr))
    L.append("")
    misses = [p for p in probes if not p["rank"]]
    below = [p for p in misses if p.get("rank50")]
    L.append("Of the %d misses, %d have the other person between rank 11 and 50 of the longest "
             "answer (limit=50); %d are not among the 50." % (len(misses), len(below),
                                                             len(misses) - len(below)))
    L.append("")
    L.append("| latency, GET /api/v1/persons/{id}/duplicates?limit=10 | n | p50 ms | p95 ms | "
             "p99 ms | max ms |")
    L.append("|---|---:|---:|---:|---:|---:|")
    L.append("| client, 1 keep-alive connection, one at a time (Python) | %d | %.2f | **%.2f** | "
             "%.2f | %.2f |" % (len(lat), pctl(lat, 50), pctl(lat, 95), pctl(lat, 99), max(lat)))
    L.append("| reference: GET /api/v1/persons/{id} of the same probes, interleaved | %d | %.2f | "
             "%.2f | %.2f | %.2f |" % (len(ref), pctl(ref, 50), pctl(ref, 95), pctl(ref, 99),
                                      max(ref)))
    if server_us:
        L.append("| server time (access log `us`), every request of this run | %d | %.2f | %.2f "
                 "| %.2f | %.2f |" % (len(server_us), pctl(server_us, 50), pctl(server_us, 95),
                                      pctl(server_us, 99), max(server_us)))
    for name, w in (("wrk, 1 connection", w1), ("wrk, 8 connections (2 threads)", w8)):
        if "error" in w:
            L.append("| %s | failed: %s | | | | |" % (name, w["error"].replace("\n", " ")))
        else:
            L.append("| %s, %s req/s, server CPU %.0f µs/req, non-2xx %s | %s | %.2f | **%.2f** "
                     "| %.2f | %.2f |" % (
                name, w["rps"], w["cpu_us"], w["non2xx"], w["requests"], float(w["p50_ms"]),
                float(w["p95_ms"]), float(w["p99_ms"]), float(w["max_ms"])))
    L.append("")
    L.append("Duplicates query against the person read, same client, same run: p50 x%.1f, "
             "p95 x%.1f." % (pctl(lat, 50) / pctl(ref, 50), pctl(lat, 95) / pctl(ref, 95)))
    L.append("")
    L.append("POST /api/v1/duplicates/check?limit=10 with one person's saved fields, %d probes "
             "(statuses %s): the other person in the ten answered for %d (recall@10 %.3f); "
             "client latency p50 %.2f ms, p95 %.2f ms, p99 %.2f ms." % (
                 len(chk), chk_status, chk_hits, chk_hits / len(chk) if chk else float("nan"),
                 pctl(chk_lat, 50), pctl(chk_lat, 95), pctl(chk_lat, 99)))
    report = "\n".join(L) + "\n"
    print(report)
    with open(os.path.join(out_dir, "dupeval-%s.md" % tag), "w") as f:
        f.write(report)

    # The misses, with both records, for whoever tunes the keys.
    miss_path = os.path.join(out_dir, "dupeval-%s-misses.tsv" % tag)
    q = "SELECT name, name_latin, sex, date_of_birth, dob_precision, nationality FROM persons " \
        "WHERE id = ?"
    with open(miss_path, "w") as f:
        f.write("kind\tcross\trank_in_50\tprobe\tprobe_record\tpartner\tpartner_record\n")
        for p in probes:
            if not p["rank"]:
                f.write("%s\t%d\t%d\t%s\t%s\t%s\t%s\n" % (
                    p["kind"], p["cross"], p.get("rank50", 0), p["probe"],
                    " | ".join(str(x) for x in ro.execute(q, (p["probe"],)).fetchone()),
                    p["partner"],
                    " | ".join(str(x) for x in ro.execute(q, (p["partner"],)).fetchone())))
    print("misses: " + miss_path)


if __name__ == "__main__":
    main()
