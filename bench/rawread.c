/*
 * rawread.c — the store's floor: reading whole cases with plain SQLite.
 *
 *   bench/rawread --db PATH --ids FILE [--threads 2] [--seconds 10]
 *
 * Each thread opens its own read-only connection and, for random case ids
 * from FILE (one per line), does what any implementation of
 * GET /api/v1/cases/{id} must do at the storage level: find the case by id
 * (joined with its office and assigned user), list its members in order,
 * read each member person and their documents — touching every column,
 * but building no JSON and doing no HTTP, with the server's page cache
 * size (8 MB per connection) and, like the server today, one autocommit
 * read transaction per statement. Two switches show what the server could
 * gain: --txn 1 wraps each case read in one BEGIN/COMMIT (one WAL read
 * lock instead of one per statement), --mmap N maps the file (no pread
 * copies). The reads per second it prints
 * (a parseable RESULT line) are the ceiling for the API's case read on
 * this machine; run.sh reports the server as a ratio of it, measured in the
 * same run, beside the ratio to bench/bare.
 */
#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char **ids;
static long nids;
static const char *db_path;
static double seconds = 10.0;
static int use_txn;     /* --txn 1: one read transaction per case */
static long mmap_bytes; /* --mmap N: PRAGMA mmap_size=N */
static volatile int stop;

typedef struct {
    long reads, members;
    unsigned seed;
    int failed;
} worker_t;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void touch_row(sqlite3_stmt *s, volatile size_t *sink)
{
    int n = sqlite3_column_count(s);
    for (int i = 0; i < n; i++) {
        const unsigned char *t = sqlite3_column_text(s, i);
        *sink += t ? (size_t)sqlite3_column_bytes(s, i) : 0;
    }
}

static void *work(void *arg)
{
    worker_t *w = arg;
    sqlite3 *db = NULL;
    volatile size_t sink = 0;
    if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        w->failed = 1;
        return NULL;
    }
    /* The server's per-connection page cache (src/store/sqlite.c). */
    sqlite3_exec(db, "PRAGMA cache_size=-8000", NULL, NULL, NULL);
    if (mmap_bytes > 0) {
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA mmap_size=%ld", mmap_bytes);
        sqlite3_exec(db, pragma, NULL, NULL, NULL);
    }
    sqlite3_stmt *qc = NULL, *qm = NULL, *qp = NULL, *qd = NULL;
    int rc = sqlite3_prepare_v2(
        db,
        "SELECT c.pk, c.id, c.number, c.version, c.stage, c.created_at, c.updated_at, o.code, "
        "u.username, c.origin_country, c.destination_country, c.destination_admin_area, "
        "c.destination_pcode, c.project, c.notes FROM cases c JOIN offices o ON o.pk = "
        "c.office_pk LEFT JOIN users u ON u.pk = c.assigned_to_pk WHERE c.id = ?",
        -1, &qc, NULL);
    rc |= sqlite3_prepare_v2(db,
                             "SELECT person_pk, relationship FROM case_members WHERE case_pk = ? "
                             "ORDER BY position",
                             -1, &qm, NULL);
    rc |= sqlite3_prepare_v2(db,
                             "SELECT pk, id, name, name_latin, sex, date_of_birth, "
                             "dob_precision, nationality, languages, contact, vulnerabilities, "
                             "created_at, updated_at FROM persons WHERE pk = ?",
                             -1, &qp, NULL);
    rc |= sqlite3_prepare_v2(db,
                             "SELECT type, number, issuing_country, expiry FROM "
                             "person_documents WHERE person_pk = ? ORDER BY pk",
                             -1, &qd, NULL);
    if (rc != SQLITE_OK) {
        fprintf(stderr, "rawread: %s\n", sqlite3_errmsg(db));
        w->failed = 1;
        goto done;
    }
    while (!stop) {
        const char *id = ids[rand_r(&w->seed) % (unsigned)nids];
        if (use_txn)
            sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
        sqlite3_bind_text(qc, 1, id, -1, SQLITE_STATIC);
        if (sqlite3_step(qc) == SQLITE_ROW) {
            touch_row(qc, &sink);
            sqlite3_bind_int64(qm, 1, sqlite3_column_int64(qc, 0));
            while (sqlite3_step(qm) == SQLITE_ROW) {
                touch_row(qm, &sink);
                int64_t ppk = sqlite3_column_int64(qm, 0);
                sqlite3_bind_int64(qp, 1, ppk);
                if (sqlite3_step(qp) == SQLITE_ROW)
                    touch_row(qp, &sink);
                sqlite3_reset(qp);
                sqlite3_bind_int64(qd, 1, ppk);
                while (sqlite3_step(qd) == SQLITE_ROW)
                    touch_row(qd, &sink);
                sqlite3_reset(qd);
                w->members++;
            }
            sqlite3_reset(qm);
        }
        sqlite3_reset(qc);
        if (use_txn)
            sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
        w->reads++;
    }
done:
    sqlite3_finalize(qc);
    sqlite3_finalize(qm);
    sqlite3_finalize(qp);
    sqlite3_finalize(qd);
    sqlite3_close(db);
    return NULL;
}

static long parse_long(const char *s, const char *what, long lo, long hi)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) {
        fprintf(stderr, "rawread: bad %s: %s\n", what, s);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv)
{
    const char *ids_path = NULL;
    long threads = 2;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--db") == 0)
            db_path = argv[i + 1];
        else if (strcmp(argv[i], "--ids") == 0)
            ids_path = argv[i + 1];
        else if (strcmp(argv[i], "--threads") == 0)
            threads = parse_long(argv[i + 1], "--threads", 1, 64);
        else if (strcmp(argv[i], "--txn") == 0)
            use_txn = (int)parse_long(argv[i + 1], "--txn", 0, 1);
        else if (strcmp(argv[i], "--mmap") == 0)
            mmap_bytes = parse_long(argv[i + 1], "--mmap", 0, 1L << 40);
        else if (strcmp(argv[i], "--seconds") == 0)
            seconds = (double)parse_long(argv[i + 1], "--seconds", 1, 3600);
        else {
            fprintf(stderr, "rawread: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    if (!db_path || !ids_path) {
        fprintf(stderr,
                "usage: rawread --db PATH --ids FILE [--threads N] [--seconds N] [--txn 0|1] "
                "[--mmap BYTES]\n");
        return 2;
    }
    FILE *f = fopen(ids_path, "r");
    if (!f) {
        fprintf(stderr, "rawread: cannot read %s\n", ids_path);
        return 1;
    }
    long cap = 1024;
    ids = malloc(sizeof(char *) * (size_t)cap);
    char line[128];
    while (ids && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (strlen(line) != 36)
            continue;
        if (nids == cap) {
            cap *= 2;
            char **n = realloc(ids, sizeof(char *) * (size_t)cap);
            if (!n)
                break;
            ids = n;
        }
        ids[nids] = strdup(line);
        if (ids[nids])
            nids++;
    }
    fclose(f);
    if (!ids || nids == 0) {
        fprintf(stderr, "rawread: no ids in %s\n", ids_path);
        return 1;
    }
    sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    worker_t w[64];
    pthread_t th[64];
    memset(w, 0, sizeof w);
    double t0 = now_s();
    for (long i = 0; i < threads; i++) {
        w[i].seed = (unsigned)(12345 + 7919 * i);
        if (pthread_create(&th[i], NULL, work, &w[i]) != 0) {
            fprintf(stderr, "rawread: cannot start thread\n");
            return 1;
        }
    }
    struct timespec ts = {(time_t)seconds, 0};
    nanosleep(&ts, NULL);
    stop = 1;
    long reads = 0, members = 0;
    int failed = 0;
    for (long i = 0; i < threads; i++) {
        pthread_join(th[i], NULL);
        reads += w[i].reads;
        members += w[i].members;
        failed |= w[i].failed;
    }
    double el = now_s() - t0;
    printf("RESULT name=rawread threads=%ld txn=%d mmap=%ld reads=%ld duration_s=%.2f rps=%.1f "
           "members_per_read=%.2f\n",
           threads, use_txn, mmap_bytes, reads, el, (double)reads / el,
           reads ? (double)members / (double)reads : 0.0);
    for (long i = 0; i < nids; i++)
        free(ids[i]);
    free(ids);
    return failed;
}
