/*
 * gen.c — realistic data generator and bulk loader for awda benchmarks.
 *
 *   bench/gen --db PATH --persons 1000000 --cases 600000 [--seed N]
 *             [--demo-data data/demo] [--names data/demo/names.json]
 *
 * The database must exist and carry awda's schema (`build/awda init --db
 * PATH`). gen adds the five benchmark offices when absent (as the demo
 * dataset's offices.json describes them), then registers
 * --cases households holding exactly --persons people, as the server
 * would: persons (+ a passport for ~60%), their search keys in
 * person_name_keys, cases numbered <OFFICE>-<YEAR>-<6 digits> in creation
 * order, case_members, one "created" event per case, and office_counters
 * so the server continues each office-year sequence.
 *
 * How it works
 *   - Plan: household sizes (1..6, mean persons/cases) are drawn and then
 *     nudged until they sum to --persons exactly; creation times are drawn
 *     uniformly over the last ~2.5 years and sorted, so case numbers and
 *     UUIDv7 ids (whose first 48 bits are that time) grow together.
 *   - A generator thread builds batches of ~50k persons (names from
 *     data/demo/names.json, the demo's name pools; areas of return and
 *     their P-codes from places.json, languages and passport patterns from
 *     the profiles of households.json; dates, documents...) and computes each person's
 * name keys with the project's own src/text/norm.c (awda_name_keys with pairs=1 on both `name` and
 * `name_latin`, deduplicated). ICU transliteration is the costly part, so it overlaps with the
 * inserts.
 *   - The main thread inserts each batch in one transaction with prepared
 *     statements (journal_mode=WAL, synchronous=OFF, big page cache during
 *     the load; synchronous=FULL and a WAL checkpoint afterwards).
 *   - INSERTs name their columns. The schema may gain columns: before
 *     loading, PRAGMA table_info is checked, and a new NOT NULL column
 *     without a default stops the load with a clear message.
 *
 * Everything random comes from one xoshiro256** stream seeded by --seed,
 * consumed by the generator thread only, so a seed gives the same names,
 * households and numbers (times and ids follow the current date).
 *
 * Files: gen.c (options, the two threads and the load), gen_households.c
 * (the plan, and what a household and its people look like), gen_sql.c
 * (the schema check and the INSERTs), gen.h between them; the demo
 * dataset's tables are read by gen_names.c (names) and gen_demo.c
 * (places, offices, languages), what the generator keeps of its own is
 * gen_tables.h, its random numbers gen_rng.h, the planted duplicates
 * dupgen.c.
 */
#include "../src/text/norm.h"
#include "dupgen.h"
#include "gen.h"
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The plan shared by both threads (gen.h). */
plan_t plan;

/* Two batches in flight: the generator fills one while the main thread
 * inserts the other. */
static batch_t slots[2];
static int slot_full[2];
static pthread_mutex_t qlock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t qcond = PTHREAD_COND_INITIALIZER;

void die(const char *what, const char *detail)
{
    fprintf(stderr, "gen: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    exit(1);
}

void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (!p)
        die("out of memory", NULL);
    return p;
}

int year_of_ms(int64_t ms)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    return tm.tm_year + 1900;
}

static void *generator(void *arg)
{
    (void)arg;
    long ci = 0;
    int slot = 0;
    while (ci < plan.ncases) {
        pthread_mutex_lock(&qlock);
        while (slot_full[slot])
            pthread_cond_wait(&qcond, &qlock);
        pthread_mutex_unlock(&qlock);
        batch_t *b = &slots[slot];
        b->ncases = b->npersons = 0;
        b->keys_len = 0;
        while (ci < plan.ncases && b->npersons < BATCH_PERSONS)
            make_case(&plan.rng, b, ci++);
        b->last = ci >= plan.ncases;
        pthread_mutex_lock(&qlock);
        slot_full[slot] = 1;
        pthread_cond_broadcast(&qcond);
        pthread_mutex_unlock(&qlock);
        slot ^= 1;
    }
    awda_norm_thread_done();
    return NULL;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long parse_long(const char *s, const char *what)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || !end || *end || end == s || v < 0)
        die("bad number for", what);
    return v;
}

static void usage(void)
{
    fprintf(stderr, "usage: gen --db PATH --persons N --cases M [--seed S] [--demo-data DIR]\n"
                    "           [--names PATH] [--dups N --labels FILE]\n"
                    "  fills an awda database made by `awda init --db PATH` from the demo\n"
                    "  dataset in DIR (default: data/demo beside bench/; names.json there\n"
                    "  unless --names gives another); with --dups,\n"
                    "  plants N second registrations of persons and writes the pairs to FILE\n"
                    "  (bench/dupgen.c), and half the persons in Arabic script have no\n"
                    "  name_latin\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const char *path = NULL;
    uint64_t seed = 20260101;
    /* The demo dataset, found from bench/gen in the source tree. */
    static char demo_here[4096], names_in_demo[4200];
    const char *demo = "data/demo", *names = NULL;
    ssize_t nexe = readlink("/proc/self/exe", demo_here, sizeof demo_here - 64);
    char *slash = nexe > 0 ? (demo_here[nexe] = '\0', strrchr(demo_here, '/')) : NULL;
    if (slash) {
        snprintf(slash, 64, "/../data/demo");
        demo = demo_here;
    }
    plan.npersons = 1000000;
    plan.ncases = 600000;
    plan.arabic_latin_pct = 100;
    long ndups = 0;
    const char *labels = NULL;
    for (int i = 1; i < argc; i++) {
        if (i + 1 >= argc)
            usage();
        if (strcmp(argv[i], "--db") == 0)
            path = argv[++i];
        else if (strcmp(argv[i], "--persons") == 0)
            plan.npersons = parse_long(argv[++i], "--persons");
        else if (strcmp(argv[i], "--cases") == 0)
            plan.ncases = parse_long(argv[++i], "--cases");
        else if (strcmp(argv[i], "--seed") == 0)
            seed = (uint64_t)parse_long(argv[++i], "--seed");
        else if (strcmp(argv[i], "--demo-data") == 0)
            demo = argv[++i];
        else if (strcmp(argv[i], "--names") == 0)
            names = argv[++i];
        else if (strcmp(argv[i], "--dups") == 0)
            ndups = parse_long(argv[++i], "--dups");
        else if (strcmp(argv[i], "--labels") == 0)
            labels = argv[++i];
        else
            usage();
    }
    if (!names) {
        snprintf(names_in_demo, sizeof names_in_demo, "%s/names.json", demo);
        names = names_in_demo;
    }
    pools_load(names);
    gen_demo_load(demo);
    if (!path)
        usage();
    if (plan.ncases < 1 || plan.npersons < plan.ncases ||
        plan.npersons > plan.ncases * MAX_HOUSEHOLD || plan.ncases > 50000000)
        die("need 1 <= cases <= persons <= 6 * cases", NULL);

    double t0 = now_s();
    if (awda_norm_init() != 0)
        die("ICU transliterator did not open", NULL);
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        die("cannot open database (create it with `awda init --db PATH`)", path);
    sqlite3_busy_timeout(db, 5000);

    check_schema();

    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=OFF");
    exec("PRAGMA cache_size=-2000000"); /* 2 GB: the key index stays in memory */
    exec("PRAGMA temp_store=MEMORY");
    exec("PRAGMA foreign_keys=OFF");

    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    plan.now_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    plan.now_year = year_of_ms(plan.now_ms);

    /* Offices and the admin user. */
    int64_t office_pk[N_OFFICES];
    exec("BEGIN");
    sqlite3_stmt *ins_office = prep_insert("INSERT OR IGNORE", "offices");
    sqlite3_stmt *get_office = prep("SELECT pk FROM offices WHERE code = ?");
    for (int i = 0; i < N_OFFICES; i++) {
        sqlite3_bind_text(ins_office, 1, OFFICE_DEMO[i].code, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins_office, 2, OFFICE_DEMO[i].name, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins_office, 3, OFFICE_DEMO[i].country, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins_office, 4, OFFICE_DEMO[i].location, -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins_office, 5, plan.now_ms);
        step(ins_office);
        sqlite3_bind_text(get_office, 1, OFFICES[i].code, -1, SQLITE_STATIC);
        if (sqlite3_step(get_office) != SQLITE_ROW)
            die("office missing after insert", OFFICES[i].code);
        office_pk[i] = sqlite3_column_int64(get_office, 0);
        sqlite3_reset(get_office);
    }
    exec("COMMIT");
    sqlite3_finalize(ins_office);
    sqlite3_finalize(get_office);
    int64_t admin_pk = query_int("SELECT pk FROM users WHERE username = 'admin'", -1);

    /* Continue existing numbering: office_counters.next is the next number. */
    for (int o = 0; o < N_OFFICES; o++)
        for (int y = 0; y < 8; y++)
            plan.counters[o][y] = 1;
    sqlite3_stmt *getc = prep("SELECT year, next FROM office_counters WHERE office_pk = ?");
    for (int o = 0; o < N_OFFICES; o++) {
        sqlite3_bind_int64(getc, 1, office_pk[o]);
        while (sqlite3_step(getc) == SQLITE_ROW) {
            int y = sqlite3_column_int(getc, 0) - 2020;
            if (y >= 0 && y < 8)
                plan.counters[o][y] = sqlite3_column_int(getc, 1);
        }
        sqlite3_reset(getc);
    }
    sqlite3_finalize(getc);
    int start_counters[N_OFFICES][8];
    memcpy(start_counters, plan.counters, sizeof start_counters);

    if (ndups > 0) {
        if (!labels)
            usage();
        dupgen_open(labels, plan.ncases, ndups, seed);
        plan.arabic_latin_pct = 50;
    }
    make_plan(seed);
    for (int i = 0; i < 2; i++) {
        slots[i].cases = xmalloc(sizeof(case_t) * (BATCH_PERSONS + MAX_HOUSEHOLD));
        slots[i].persons = xmalloc(sizeof(person_t) * (BATCH_PERSONS + MAX_HOUSEHOLD));
        slots[i].keys_cap = (size_t)BATCH_PERSONS * 80;
        slots[i].keys = xmalloc(slots[i].keys_cap);
    }
    printf("gen: %ld persons in %ld cases into %s (seed %" PRIu64 ")\n", plan.npersons, plan.ncases,
           path, seed);
    fflush(stdout);

    sqlite3_stmt *ins_person = prep_insert("INSERT", "persons");
    sqlite3_stmt *ins_doc = prep_insert("INSERT", "person_documents");
    sqlite3_stmt *ins_key = prep_insert("INSERT OR IGNORE", "person_name_keys");
    sqlite3_stmt *ins_case = prep_insert("INSERT", "cases");
    sqlite3_stmt *ins_member = prep_insert("INSERT", "case_members");
    sqlite3_stmt *ins_event = prep_insert("INSERT", "case_events");

    pthread_t th;
    if (pthread_create(&th, NULL, generator, NULL) != 0)
        die("cannot start the generator thread", NULL);

    long done_p = 0, done_c = 0, done_k = 0, done_d = 0, arabic = 0;
    int64_t *person_pk = xmalloc(sizeof(int64_t) * (BATCH_PERSONS + MAX_HOUSEHOLD));
    int slot = 0;
    double t_load = now_s();
    for (;;) {
        pthread_mutex_lock(&qlock);
        while (!slot_full[slot])
            pthread_cond_wait(&qcond, &qlock);
        pthread_mutex_unlock(&qlock);
        batch_t *b = &slots[slot];

        exec("BEGIN");
        for (int i = 0; i < b->npersons; i++) {
            person_t *p = &b->persons[i];
            sqlite3_stmt *s = ins_person;
            bind_text(s, 1, p->id);
            bind_text(s, 2, p->name);
            bind_text(s, 3, p->latin);
            bind_text(s, 4, p->sex);
            bind_text(s, 5, p->dob);
            bind_text(s, 6, p->prec);
            bind_text(s, 7, p->nat);
            bind_text(s, 8, p->langs);
            bind_text(s, 9, p->contact);
            bind_text(s, 10, p->vuln);
            sqlite3_bind_int64(s, 11, p->at);
            sqlite3_bind_int64(s, 12, p->at);
            step(s);
            int64_t pk = sqlite3_last_insert_rowid(db);
            person_pk[i] = pk;
            if (strcmp(p->name, p->latin) != 0)
                arabic++;
            if (p->pp_number[0]) {
                sqlite3_bind_int64(ins_doc, 1, pk);
                bind_text(ins_doc, 2, "passport");
                bind_text(ins_doc, 3, p->pp_number);
                bind_text(ins_doc, 4, p->nat);
                bind_text(ins_doc, 5, p->pp_expiry);
                step(ins_doc);
                done_d++;
            }
            const char *k = b->keys + p->keys_off;
            for (int j = 0; j < p->nkeys; j++) {
                sqlite3_bind_text(ins_key, 1, k, -1, SQLITE_STATIC);
                sqlite3_bind_int64(ins_key, 2, pk);
                step(ins_key);
                k += strlen(k) + 1;
            }
            done_k += p->nkeys;
        }
        for (int i = 0; i < b->ncases; i++) {
            case_t *c = &b->cases[i];
            sqlite3_stmt *s = ins_case;
            bind_text(s, 1, c->id);
            bind_text(s, 2, c->number);
            sqlite3_bind_int64(s, 3, office_pk[c->office]);
            bind_text(s, 4, c->origin);
            bind_text(s, 5, c->origin);
            bind_text(s, 6, c->area);
            bind_text(s, 7, c->pcode);
            bind_text(s, 8, c->project);
            sqlite3_bind_null(s, 9);
            bind_text(s, 10, "registered");
            sqlite3_bind_int(s, 11, 1);
            bind_text(s, 12, c->notes);
            sqlite3_bind_int64(s, 13, c->at);
            sqlite3_bind_int64(s, 14, c->at);
            if (admin_pk > 0)
                sqlite3_bind_int64(s, 15, admin_pk);
            step(s);
            int64_t cpk = sqlite3_last_insert_rowid(db);
            for (int m = 0; m < c->nmembers; m++) {
                sqlite3_bind_int64(ins_member, 1, cpk);
                sqlite3_bind_int64(ins_member, 2, person_pk[c->first_person + m]);
                bind_text(ins_member, 3, c->rel[m]);
                sqlite3_bind_int(ins_member, 4, m);
                step(ins_member);
            }
            sqlite3_bind_int64(ins_event, 1, cpk);
            sqlite3_bind_int64(ins_event, 2, c->at);
            if (admin_pk > 0)
                sqlite3_bind_int64(ins_event, 3, admin_pk);
            bind_text(ins_event, 4, "created");
            bind_text(ins_event, 5, "{}");
            step(ins_event);
        }
        exec("COMMIT");
        done_p += b->npersons;
        done_c += b->ncases;
        int last = b->last;
        double el = now_s() - t_load;
        printf("gen: %8ld persons %8ld cases %9ld keys  %6.1f s  %7.0f persons/s\n", done_p, done_c,
               done_k, el, el > 0 ? (double)done_p / el : 0.0);
        fflush(stdout);

        pthread_mutex_lock(&qlock);
        slot_full[slot] = 0;
        pthread_cond_broadcast(&qcond);
        pthread_mutex_unlock(&qlock);
        slot ^= 1;
        if (last)
            break;
    }
    pthread_join(th, NULL);
    dupgen_close();

    /* office_counters: `next` is the number the server issues next. */
    exec("BEGIN");
    sqlite3_stmt *setc = prep_insert("INSERT OR REPLACE", "office_counters");
    for (int o = 0; o < N_OFFICES; o++) {
        for (int y = 0; y < 8; y++) {
            if (plan.counters[o][y] == start_counters[o][y])
                continue;
            sqlite3_bind_int64(setc, 1, office_pk[o]);
            sqlite3_bind_int(setc, 2, 2020 + y);
            sqlite3_bind_int(setc, 3, plan.counters[o][y]);
            step(setc);
        }
    }
    exec("COMMIT");
    sqlite3_finalize(setc);
    /* Schema 15 on: the pairs of name keys that drive searches of two
     * words (as src/store/migration_015.sql makes them: in both orders
     * before schema 25, once, smaller key first, from it). */
    if (query_int("SELECT count(*) FROM sqlite_master WHERE name='person_name_pairs'", 0))
        exec(query_int("PRAGMA user_version", 0) >= 25
                 ? "INSERT OR IGNORE INTO person_name_pairs(k1,k2,person_pk) SELECT a.key,b.key,"
                   "a.person_pk FROM person_name_keys a JOIN person_name_keys b ON "
                   "b.person_pk=a.person_pk AND a.key<b.key"
                 : "INSERT OR IGNORE INTO person_name_pairs(k1,k2,person_pk) SELECT a.key,b.key,"
                   "a.person_pk FROM person_name_keys a JOIN person_name_keys b ON "
                   "b.person_pk=a.person_pk AND b.key<>a.key");
    double t_insert = now_s() - t_load;

    sqlite3_finalize(ins_person);
    sqlite3_finalize(ins_doc);
    sqlite3_finalize(ins_key);
    sqlite3_finalize(ins_case);
    sqlite3_finalize(ins_member);
    sqlite3_finalize(ins_event);

    exec("PRAGMA synchronous=FULL");
    exec("PRAGMA wal_checkpoint(TRUNCATE)");
    double t_all = now_s() - t0;

    printf("gen: loaded %ld persons (%.1f%% with Arabic script), %ld cases, %ld passports, "
           "%ld name keys in %.1f s (%.1f s total with checkpoint)\n",
           done_p, done_p ? 100.0 * (double)arabic / (double)done_p : 0.0, done_c, done_d, done_k,
           t_insert, t_all);
    printf("gen: totals now: persons=%" PRId64 " cases=%" PRId64 " case_members=%" PRId64
           " case_events=%" PRId64 " person_documents=%" PRId64 " person_name_keys=%" PRId64
           " offices=%" PRId64 "\n",
           query_int("SELECT count(*) FROM persons", 0), query_int("SELECT count(*) FROM cases", 0),
           query_int("SELECT count(*) FROM case_members", 0),
           query_int("SELECT count(*) FROM case_events", 0),
           query_int("SELECT count(*) FROM person_documents", 0),
           query_int("SELECT count(*) FROM person_name_keys", 0),
           query_int("SELECT count(*) FROM offices", 0));
    sqlite3_close(db);
    awda_norm_shutdown();
    for (int i = 0; i < 2; i++) {
        free(slots[i].cases);
        free(slots[i].persons);
        free(slots[i].keys);
    }
    free(person_pk);
    free(plan.sizes);
    free(plan.times);
    free(plan.office);
    return 0;
}
