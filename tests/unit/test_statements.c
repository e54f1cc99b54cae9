/*
 * test_statements.c — the machinery every store file shares
 * (src/store/conn.c, columns.c, migrate.c): the statement cache, the
 * capped SQL builder, binding JSON, and the generated migration list.
 *
 * The statement cache hands each descriptor a slot the first time it is
 * used and prepares it once per connection: a statement must come back
 * the same on the next call, two descriptors must never share a slot (one
 * would run the other's SQL), a connection must grow past its first array
 * and a builder must run once. SQL text past its cap and a value that
 * cannot be serialised must fail instead of running with a piece missing
 * or "{}" in its place. The migration list is generated from the numbered
 * files: its length is their number.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <glob.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/store/internal.h"

typedef struct {
    char dir[64];
    char path[96];
    store_t *s;
} fixture_t;

static int setup(void **state)
{
    if (sodium_init() < 0)
        return -1;
    fixture_t *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/awda-stmt-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
    int applied = 0;
    if (store_open(f->path, &f->s) != STORE_OK || store_migrate(f->s, &applied) != STORE_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    store_close(f->s);
    char p[128];
    static const char *const suffix[] = {"", "-wal", "-shm", "-audit", "-audit-wal", "-audit-shm"};
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        snprintf(p, sizeof p, "%s%s", f->path, suffix[i]);
        unlink(p);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

#define NDESC 150 /* more than a connection's first array (64) */
static store_stmt_t MANY[NDESC];
static char MANY_SQL[NDESC][32];

static void test_each_descriptor_its_own_statement(void **state)
{
    fixture_t *f = *state;
    store_conn_t *c = store_reader(f->s);
    assert_non_null(c);
    for (int i = 0; i < NDESC; i++) {
        snprintf(MANY_SQL[i], sizeof MANY_SQL[i], "SELECT %d", i);
        MANY[i].sql = MANY_SQL[i];
    }
    sqlite3_stmt *first[NDESC];
    for (int i = 0; i < NDESC; i++) {
        first[i] = stmt(c, &MANY[i]);
        assert_non_null(first[i]);
        assert_int_equal(sqlite3_step(first[i]), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(first[i], 0), i); /* its own SQL */
        done(first[i], 0);
    }
    assert_true(c->nst >= NDESC && c->nst <= STORE_MAX_STATEMENTS);
    for (int i = 0; i < NDESC; i++) {
        assert_ptr_equal(stmt(c, &MANY[i]), first[i]); /* prepared once */
        for (int j = 0; j < i; j++)
            assert_int_not_equal(atomic_load(&MANY[i].slot), atomic_load(&MANY[j].slot));
    }
}

static int builds;
static char *count_build(const store_stmt_t *d)
{
    (void)d;
    builds++;
    sql_t q;
    sql_init(&q);
    sql_puts(&q, "SELECT ");
    sql_printf(&q, "%d", 42);
    return sql_take(&q);
}
static store_stmt_t BUILT = {.build = count_build};

static void test_builder_runs_once_for_every_connection(void **state)
{
    fixture_t *f = *state;
    store_conn_t *a = store_reader(f->s);
    store_conn_t *b = store_snapshot_open(f->s);
    assert_non_null(b);
    for (int k = 0; k < 3; k++) {
        store_conn_t *c = k == 1 ? b : a;
        sqlite3_stmt *st = stmt(c, &BUILT);
        assert_non_null(st);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(st, 0), 42);
        done(st, 0);
    }
    assert_int_equal(builds, 1);
    store_snapshot_close(b);
}

static void test_sql_past_its_cap_fails(void **state)
{
    (void)state;
    sql_t q;
    sql_init(&q);
    char piece[4096];
    memset(piece, 'x', sizeof piece - 1);
    piece[sizeof piece - 1] = '\0';
    for (int i = 0; i <= STORE_MAX_SQL / (int)(sizeof piece - 1); i++)
        sql_puts(&q, piece);
    sql_puts(&q, " and the end");
    assert_null(sql_take(&q)); /* not a text with its end cut off */

    sql_init(&q);
    sql_printf(&q, "%s", piece); /* one piece longer than any the store writes */
    assert_null(sql_take(&q));

    sql_init(&q);
    sql_printf(&q, "SELECT %d", 1);
    char *ok = sql_take(&q);
    assert_string_equal(ok, "SELECT 1");
    free(ok);
}

static void test_a_value_that_cannot_be_serialised_fails_the_write(void **state)
{
    fixture_t *f = *state;
    store_conn_t *c = store_reader(f->s);
    json_t *loop = json_array();
    json_t *inner = json_array();
    json_array_append(loop, inner);
    json_array_append(inner, loop); /* a cycle: json_dumps refuses it */
    json_t *data = json_pack("{s:o}", "x", loop);
    assert_null(json_dumps(data, JSON_COMPACT));
    /* The event is refused as a failure, not stored as "{}" (which the
     * missing case would then refuse as STORE_NOTFOUND). */
    assert_int_equal(store_event_append(c, 1, 0, "note", data), STORE_ERR);
    json_array_clear(inner); /* break the cycle to free it */
    json_decref(inner);
    json_decref(data);
}

static void test_the_migration_list_is_the_numbered_files(void **state)
{
    fixture_t *f = *state;
    glob_t g;
    assert_int_equal(glob("src/store/migration_*.sql", 0, NULL, &g), 0);
    int files = (int)g.gl_pathc + 1; /* and schema.sql */
    globfree(&g);
    assert_int_equal(store_schema_latest(), files);
    assert_int_equal(store_schema_version(f->s), files);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_each_descriptor_its_own_statement, setup, teardown),
        cmocka_unit_test_setup_teardown(test_builder_runs_once_for_every_connection, setup,
                                        teardown),
        cmocka_unit_test(test_sql_past_its_cap_fails),
        cmocka_unit_test_setup_teardown(test_a_value_that_cannot_be_serialised_fails_the_write,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_the_migration_list_is_the_numbered_files, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
