#!/usr/bin/env python3
"""
report_gen.py — the data of the project report benchmark: 100,000 cases
of one project with their journey events and everything the
reintegration office records about them, written straight into SQLite
(a database `awda init` made and migrated; no server is running on it).

    bench/report_gen.py --db bench/data/report.db [--cases 100000] [--seed 12]

What it writes (all dates in 2026; the report is asked for the whole
year, so every row is inside the period — the worst case):
  * 2 offices (ML-BKO, EG-CAI); projects "Bench PSS" (the one measured,
    3 budget lines with their totals) and "Bench other" (with
    cases/10 cases of its own, so the project index has to select);
  * per case 1 person, a second member for 30% of them (sexes and ages
    drawn), the case at arrived, reintegrating, monitoring or closed;
  * per case 10 journey events (created, 8 transitions from counsel to
    arrive with its "at", one after), as the journey writes them;
  * an individual plan for 80% of the cases (its members), 1 to 3 items
    each on the project's lines (types of all three dimensions; planned,
    approved, in progress, delivered or cancelled), 1 collective plan
    per 200 cases (3 members) and 1 community plan per 200 cases (with
    beneficiaries by sex and age group);
  * 1 activity per 50 cases, with 5 linked participants and counts;
  * a needs assessment for 90% of the persons; a baseline survey
    response for 60% and a follow-up for 40%, with scores.
Draws come from random.Random(seed): the same arguments give the same data.
"""
import argparse
import json
import random
import sqlite3
import time

AGES = ["0-4", "5-11", "12-17", "18-59", "60+"]
TYPES = [("business_start_up", 4), ("vocational_training", 3), ("job_placement", 1),
         ("education", 1), ("housing", 1), ("medical_care", 1),
         ("psychosocial_counselling", 3), ("community_support", 1)]
ITEM_STATUS = ["planned", "approved", "in_progress", "in_progress", "delivered",
               "delivered", "delivered", "cancelled"]
STEPS = [("counsel", "registered", "counselled"), ("consent", "counselled", "consented"),
         ("approve_eligibility", "consented", "eligible"),
         ("start_pre_departure", "eligible", "pre_departure"),
         ("ready", "pre_departure", "ready"), ("book", "ready", "booked"),
         ("depart", "booked", "departed")]
DAY0 = 1767225600000  # 2026-01-01T00:00Z
DAY = 86400000


def iso_day(ms):
    return time.strftime("%Y-%m-%d", time.gmtime(ms / 1000))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--cases", type=int, default=100000)
    ap.add_argument("--seed", type=int, default=12)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    t0 = time.time()
    db = sqlite3.connect(a.db)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("BEGIN")
    db.execute("INSERT OR IGNORE INTO offices(pk,code,name,country,created_at) VALUES "
               "(1001,'ML-BKO','Bamako','MLI',0),(1002,'EG-CAI','Cairo','EGY',0)")
    db.execute("INSERT INTO projects(pk,id,code,name,donor,currency,starts_on,ends_on,version,"
               "created_at,updated_at) VALUES (1,'bench-project-1','BENCH-PSS','Bench PSS',"
               "'Switzerland','USD','2026-01-01','2026-12-31',1,0,0),(2,'bench-project-2',"
               "'BENCH-OTHER','Bench other','EU','EUR','2026-01-01','2026-12-31',1,0,0)")
    lines = [(1, "1.1", "Economic reintegration"), (2, "1.2", "Social reintegration"),
             (3, "2.1", "Psychosocial support")]
    for pk, code, name in lines:
        db.execute("INSERT INTO budget_lines(pk,id,project_pk,code,name,amount_minor,version,"
                   "created_at,updated_at) VALUES (?,?,1,?,?,?,1,0,0)",
                   (pk, "bench-line-%d" % pk, code, name, 1000000000))
        db.execute("INSERT INTO budget_line_totals VALUES (?,?,?,?)",
                   (pk, rnd.randrange(10 ** 8, 6 * 10 ** 8), rnd.randrange(10 ** 7, 10 ** 8),
                    rnd.randrange(1000, 100000)))
    db.execute("INSERT INTO budget_lines(pk,id,project_pk,code,name,amount_minor,version,"
               "created_at,updated_at) VALUES (4,'bench-line-4',2,'1.1','Other',1000,1,0,0)")

    total = a.cases + a.cases // 10
    persons, members, cases, events = [], [], [], []
    plans, pmembers, items, benef = [], [], [], []
    needs, surveys = [], []
    person_pk = 0
    item_pk = 0
    project_persons = []
    for k in range(1, total + 1):
        project = "Bench PSS" if k <= a.cases else "Bench other"
        office = 1001 if rnd.random() < 0.7 else 1002
        arrived = DAY0 + rnd.randrange(0, 330) * DAY + rnd.randrange(0, DAY)
        stage = rnd.choice(["arrived", "reintegrating", "reintegrating", "monitoring", "closed"])
        cases.append((k, "bench-case-%d" % k, "ML-BKO-2026-%07d" % k, office, 1001, "MLI",
                      "MLI", project, stage, 1, arrived - 40 * DAY, arrived))
        household = [person_pk + 1] + ([person_pk + 2] if rnd.random() < 0.3 else [])
        for pos, p in enumerate(household):
            sex = rnd.choice(["female", "male"])
            year = 2026 - (rnd.randrange(18, 70) if pos == 0 else rnd.randrange(0, 18))
            persons.append((p, "bench-person-%d" % p, "Person %d" % p, sex,
                            "%d-%02d-%02d" % (year, rnd.randrange(1, 13), rnd.randrange(1, 29)),
                            "exact", "MLI", 0, 0))
            members.append((k, p, "principal" if pos == 0 else "child", pos))
            if project == "Bench PSS":
                project_persons.append((k, p))
        person_pk += len(household)
        at = arrived - 40 * DAY
        events.append((k, at, "created", json.dumps({"office": "ML-BKO"}, separators=(",", ":"))))
        for ev, fr, to in STEPS:
            at += 4 * DAY
            d = {"event": ev, "from": fr, "to": to}
            if ev == "depart":
                d["at"] = time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime((arrived - DAY) / 1000))
            events.append((k, at, "transition", json.dumps(d, separators=(",", ":"))))
        events.append((k, arrived + 3600000, "transition", json.dumps(
            {"event": "arrive", "from": "departed", "to": "arrived",
             "at": time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime(arrived / 1000))},
            separators=(",", ":"))))
        events.append((k, arrived + 20 * DAY, "transition", json.dumps(
            {"event": "start_reintegration", "from": "arrived", "to": "reintegrating"},
            separators=(",", ":"))))
        if rnd.random() < 0.8:
            pk = len(plans) + 1
            made = arrived + rnd.randrange(5, 45) * DAY
            plans.append((pk, "bench-plan-%d" % pk, "individual", "Plan", office, "approved",
                          made + DAY, 1, made, made))
            pmembers.append((pk, k, household[0], 10000))
            for _ in range(rnd.randrange(1, 4)):
                item_pk += 1
                typ = rnd.choices([t for t, _ in TYPES], [w for _, w in TYPES])[0]
                line = 1 if typ in ("business_start_up", "vocational_training",
                                    "job_placement") else (3 if "psycho" in typ or
                                                           "community" in typ else 2)
                items.append((item_pk, "bench-item-%d" % item_pk, pk, typ,
                              rnd.randrange(10000, 500000), "USD", "cash", "direct",
                              line if project == "Bench PSS" else 4,
                              rnd.choice(ITEM_STATUS), 1, made, made + rnd.randrange(1, 60) * DAY))
        for p in household:
            if rnd.random() < 0.9:
                needs.append(("bench-needs-%d" % p, k, p, iso_day(arrived + 3 * DAY),
                              rnd.choices(["own_project", "proposed_option", "referral"],
                                          [7, 2, 1])[0], 1, 0, 0))
            for rnd_name, share, after in (("baseline", 0.6, 2), ("follow_up", 0.4, 90)):
                if rnd.random() < share:
                    sc = [rnd.randrange(0, 10001) for _ in range(4)]
                    surveys.append(("bench-survey-%s-%d" % (rnd_name, p), k, p, "rss",
                                    rnd_name, iso_day(min(arrived + after * DAY,
                                                          DAY0 + 364 * DAY)),
                                    "{}", 1, sc[0], sc[1], sc[2], sc[3], 0))
    # collective and community plans
    for g in range(a.cases // 200):
        pk = len(plans) + 1
        made = DAY0 + rnd.randrange(0, 330) * DAY
        plans.append((pk, "bench-plan-%d" % pk, "collective", "Shop", 1001, "approved",
                      made + DAY, 1, made, made))
        for k, p in rnd.sample(project_persons, 3):
            pmembers.append((pk, k, p, 3333))
        item_pk += 1
        items.append((item_pk, "bench-item-%d" % item_pk, pk, "business_expansion", 900000,
                      "USD", "cash", "direct", 1, rnd.choice(ITEM_STATUS), 1, made, made))
        pk = len(plans) + 1
        plans.append((pk, "bench-plan-%d" % pk, "community", "Well", 1001, "approved",
                      made + DAY, 1, made, made))
        item_pk += 1
        items.append((item_pk, "bench-item-%d" % item_pk, pk, "community_support", 700000,
                      "USD", "in_kind", "direct", 3, rnd.choice(ITEM_STATUS), 1, made, made))
        for sex in ("female", "male"):
            for age in AGES:
                benef.append((pk, sex, age, rnd.randrange(0, 40)))
    acts, parts, counts = [], [], []
    for n in range(1, a.cases // 50 + 1):
        acts.append((n, "bench-activity-%d" % n, "psychosocial_group", "Session",
                     iso_day(DAY0 + rnd.randrange(0, 360) * DAY), rnd.choice([1001, 1002]),
                     "MLI", 1, 3, 1, 0, 0))
        for _, p in rnd.sample(project_persons, 5):
            parts.append((n, p))
        for sex in ("female", "male"):
            for age in AGES[2:]:
                counts.append((n, sex, age, rnd.randrange(0, 15)))
    ins = db.executemany
    ins("INSERT INTO persons(pk,id,name,sex,date_of_birth,dob_precision,nationality,created_at,"
        "updated_at) VALUES (?,?,?,?,?,?,?,?,?)", persons)
    ins("INSERT INTO cases(pk,id,number,office_pk,receiving_office_pk,origin_country,"
        "destination_country,project,stage,version,created_at,updated_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", cases)
    ins("INSERT INTO case_members VALUES (?,?,?,?)", members)
    ins("INSERT INTO case_events(case_pk,at,kind,data) VALUES (?,?,?,?)", events)
    ins("INSERT INTO plans(pk,id,kind,title,office_pk,status,approved_at,version,created_at,"
        "updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)", plans)
    ins("INSERT INTO plan_members VALUES (?,?,?,?)", pmembers)
    ins("INSERT INTO plan_beneficiaries VALUES (?,?,?,?)", benef)
    ins("INSERT INTO plan_items(pk,id,plan_pk,type,budget_minor,currency,modality,delivery,"
        "budget_line_pk,status,version,created_at,updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        items)
    ins("INSERT INTO activities(pk,id,kind,title,held_on,office_pk,country,project_pk,"
        "budget_line_pk,version,created_at,updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", acts)
    ins("INSERT INTO activity_participants VALUES (?,?)", parts)
    ins("INSERT INTO activity_counts VALUES (?,?,?,?)", counts)
    ins("INSERT INTO needs_assessments(id,case_pk,person_pk,assessed_on,choice,version,"
        "created_at,updated_at) VALUES (?,?,?,?,?,?,?,?)", needs)
    ins("INSERT INTO survey_responses(id,case_pk,person_pk,instrument_code,round,answered_on,"
        "answers,scored_version,economic_bp,social_bp,psychosocial_bp,composite_bp,created_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", surveys)
    db.commit()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    print("cases %d (project %d), persons %d, events %d, plans %d, items %d, activities %d, "
          "needs %d, surveys %d in %.1f s" % (total, a.cases, len(persons), len(events),
                                              len(plans), len(items), len(acts), len(needs),
                                              len(surveys), time.time() - t0))


if __name__ == "__main__":
    main()
