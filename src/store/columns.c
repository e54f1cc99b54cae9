/*
 * columns.c — moving values between JSON and SQLite for every store file:
 * binding parameters, reading columns, the column lists generated from
 * the field tables (core/entities.c), stage lists from the stage table,
 * and the capped builder of SQL text (sql_t).
 *
 * Nothing here is silent about a failure: SQL text past STORE_MAX_SQL or a
 * value that cannot be serialised makes the statement fail (logged)
 * instead of running with a piece missing or "{}" in its place.
 */
#include "internal.h"
#include "../util/timeutil.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- SQL text ----------------------------------------------------------- */

void sql_init(sql_t *q)
{
    buf_init(&q->b, STORE_MAX_SQL);
    q->failed = 0;
}

void sql_puts(sql_t *q, const char *s)
{
    if (!q->failed && buf_puts(&q->b, s) != BUF_OK)
        q->failed = 1;
}

void sql_printf(sql_t *q, const char *fmt, ...)
{
    if (q->failed)
        return;
    /* One formatted piece (a clause with its parameter numbers) at a time,
     * through a fixed buffer; the text grows through sql_puts, capped. */
    va_list ap;
    va_start(ap, fmt);
    char small[1024];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof small) {
        q->failed = 1; /* the store's pieces are a few hundred bytes at most */
        return;
    }
    sql_puts(q, small);
}

char *sql_take(sql_t *q)
{
    if (q->failed) {
        awda_log(LOG_ERROR, "sql_build", "\"reason\":\"longer than %d bytes\"", STORE_MAX_SQL);
        buf_free(&q->b);
        return NULL;
    }
    return buf_take(&q->b);
}

void sql_free(sql_t *q)
{
    buf_free(&q->b);
}

/* ---- generated column lists ----------------------------------------------- */

void store_col_names(sql_t *q, const awda_entity_t *e)
{
    for (size_t i = 0; i < e->nfields; i++)
        if (is_col(&e->fields[i]))
            sql_printf(q, ",%s", e->fields[i].name);
}

void store_col_marks(sql_t *q, const awda_entity_t *e)
{
    for (size_t i = 0; i < e->nfields; i++)
        if (is_col(&e->fields[i]))
            sql_puts(q, ",?");
}

void store_col_sets(sql_t *q, const awda_entity_t *e)
{
    for (size_t i = 0; i < e->nfields; i++)
        if (is_col(&e->fields[i]))
            sql_printf(q, ",%s=?", e->fields[i].name);
}

unsigned store_stage_bit(const char *stage)
{
    int i = awda_value_index(AWDA_STAGES, stage);
    if (i < 0) {
        awda_log(LOG_ERROR, "sql_build", "\"unknown_stage\":\"%s\"", stage);
        return 0;
    }
    return 1u << i;
}

void store_stage_list(sql_t *q, unsigned mask)
{
    int n = 0;
    for (int i = 0; AWDA_STAGES[i]; i++)
        if (mask & (1u << i))
            sql_printf(q, "%s'%s'", n++ ? "," : "", AWDA_STAGES[i]);
    if (!n)
        sql_puts(q, "NULL");
}

/* ---- binding ---------------------------------------------------------------- */

int bind_json(sqlite3_stmt *st, int i, const json_t *v, size_t flags)
{
    char *t = json_dumps(v, JSON_COMPACT | flags);
    if (!t) {
        awda_log(LOG_ERROR, "json_dumps", "\"parameter\":%d", i);
        return STORE_ERR;
    }
    sqlite3_bind_text(st, i, t, -1, SQLITE_TRANSIENT);
    free(t);
    return STORE_OK;
}

int store_bind_cols(sqlite3_stmt *st, int idx, const awda_entity_t *e, const json_t *obj)
{
    for (size_t i = 0; i < e->nfields; i++) {
        const awda_field_t *f = &e->fields[i];
        if (!is_col(f))
            continue;
        json_t *v = json_object_get(obj, f->name);
        if (!v || json_is_null(v)) {
            sqlite3_bind_null(st, idx);
        } else if (f->flags & F_JSONCOL) {
            if (bind_json(st, idx, v, 0) != STORE_OK)
                return -1;
        } else if (json_is_integer(v)) {
            sqlite3_bind_int64(st, idx, json_integer_value(v));
        } else if (json_is_boolean(v)) {
            sqlite3_bind_int(st, idx, json_is_true(v));
        } else {
            sqlite3_bind_text(st, idx, json_string_value(v), (int)json_string_length(v),
                              SQLITE_TRANSIENT);
        }
        idx++;
    }
    return idx;
}

/* ---- reading ------------------------------------------------------------------ */

json_t *store_col_json(sqlite3_stmt *st, int col, const awda_field_t *f)
{
    int t = sqlite3_column_type(st, col);
    if (t == SQLITE_NULL)
        return json_null();
    if (f && (f->flags & F_JSONCOL)) {
        json_t *v = json_loadb((const char *)sqlite3_column_text(st, col),
                               (size_t)sqlite3_column_bytes(st, col), 0, NULL);
        return v ? v : json_null();
    }
    if (f && f->type == FT_BOOL)
        return json_boolean(sqlite3_column_int(st, col));
    if (t == SQLITE_INTEGER)
        return json_integer(sqlite3_column_int64(st, col));
    return json_stringn((const char *)sqlite3_column_text(st, col),
                        (size_t)sqlite3_column_bytes(st, col));
}

json_t *store_col_time(sqlite3_stmt *st, int col)
{
    char ts[32];
    awda_iso_ms(sqlite3_column_int64(st, col), ts);
    return json_string(ts);
}

int64_t store_lookup_pk(store_conn_t *c, store_stmt_t *d, const char *key)
{
    sqlite3_stmt *st = stmt(c, d);
    if (!st || !key)
        return 0;
    bind_text_or_null(st, 1, key);
    int64_t pk = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    done(st, 0);
    return pk;
}

char *store_offices_json(const int64_t *offices, int nof)
{
    if (nof < 0)
        return NULL;
    buf_t b;
    buf_init(&b, 16 * 1024);
    buf_putc(&b, '[');
    for (int i = 0; i < nof; i++)
        buf_printf(&b, "%s%lld", i ? "," : "", (long long)offices[i]);
    buf_putc(&b, ']');
    return buf_take(&b);
}

void store_key_range(const char *key, char hi[AWDA_NAME_KEY_MAX + 2])
{
    /* Keys are [a-z0-9]; '{' sorts after 'z', so [key, key+"{") is the
     * range of every key that starts with key. */
    snprintf(hi, AWDA_NAME_KEY_MAX + 2, "%s{", key);
}
