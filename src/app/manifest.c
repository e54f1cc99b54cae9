/*
 * manifest.c — the manifest of a movement: what the airline, the border
 * and the receiving office read on the day of travel.
 *
 * It is made at request time from the store (one read transaction of the
 * request), so it is always current: a passenger removed a minute ago is
 * gone, an escort added is there. Passengers come by family — by case
 * number, then position in the case — with their names as written and in
 * Latin script, sex, date of birth, age at the departure date (the
 * youngest reading of a partial date, as the child-protection rules read
 * it) and its group (0-4, 5-11, 12-17, 18-59, 60+), nationality, travel
 * document, vulnerabilities (the list every case worker sees; protection
 * concerns never), status; then a line per escort with the passengers
 * they accompany; then the counts by sex, age group and vulnerability.
 *
 * The three forms carry the same content: the JSON answer, and a table of
 * rows (rows_of) that the CSV writer and the XLSX writer (libxlsxwriter,
 * as app/export.c) both walk, so the two files have the same rows and
 * counts cell for cell. Text cells lose direction overrides and never
 * start a formula (an apostrophe is put before = + - @), as in exports.
 */
#include "internal.h"
#include "sheet.h"
#include "manifest.h"
#include "movement_care.h"
#include "../core/movement_care.h"
#include "../util/buf.h"
#include "../util/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *jstr(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static void inc(json_t *counts, const char *key)
{
    json_t *v = json_object_get(counts, key);
    json_object_set_new(counts, key, json_integer((v ? json_integer_value(v) : 0) + 1));
}

static json_t *zeros(const char *const *keys)
{
    json_t *o = json_object();
    for (size_t i = 0; keys[i]; i++)
        json_object_set_new(o, keys[i], json_integer(0));
    return o;
}

/* The manifest as JSON (caller owns); NULL on a database error. */
static json_t *manifest_json(store_conn_t *c, const store_movement_row_t *m)
{
    static const char *const SEXES[] = {"female", "male", NULL};
    json_t *mv = store_manifest_movement(c, m->pk);
    json_t *passengers = store_manifest_passengers(c, m->pk);
    json_t *escorts = store_escort_list(c, m->pk, NULL);
    long long taken = store_movement_seats_taken(c, m->pk);
    if (!mv || !passengers || !escorts || taken < 0) {
        json_decref(mv);
        json_decref(passengers);
        json_decref(escorts);
        return NULL;
    }
    json_object_set_new(mv, "seats_taken", json_integer(taken));
    /* The departure date (UTC) the ages are counted at; today without legs. */
    time_t t = (time_t)((m->departs_ms ? m->departs_ms : awda_now_ms()) / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    char day[11];
    awda_date_t d = {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
    awda_date_format(d, day);
    json_object_set_new(mv, "departure_date", json_string(day));

    json_t *sex = zeros(SEXES), *groups = zeros(AWDA_AGE_GROUPS),
           *vuln = zeros(AWDA_VULNERABILITIES);
    size_t i;
    json_t *p;
    json_array_foreach(passengers, i, p)
    {
        int age = awda_age_on(jstr(p, "date_of_birth"), jstr(p, "dob_precision"), d.year, d.month,
                              d.day, 1);
        json_object_set_new(p, "no", json_integer((json_int_t)i + 1));
        json_object_set_new(p, "age", age >= 0 ? json_integer(age) : json_null());
        json_object_set_new(p, "age_group", json_string(awda_age_group(age)));
        inc(sex, jstr(p, "sex") ? jstr(p, "sex") : "unknown");
        inc(groups, awda_age_group(age));
        size_t k;
        json_t *v;
        json_array_foreach(json_object_get(p, "vulnerabilities"), k, v)
        {
            if (json_is_string(v))
                inc(vuln, json_string_value(v));
        }
    }
    json_t *counts =
        json_pack("{s:I,s:I,s:o,s:o,s:o}", "passengers", (json_int_t)json_array_size(passengers),
                  "escorts", (json_int_t)json_array_size(escorts), "sex", sex, "age_group", groups,
                  "vulnerability", vuln);
    return json_pack("{s:o,s:o,s:o,s:o}", "movement", mv, "passengers", passengers, "escorts",
                     escorts, "counts", counts);
}

/* ---- the table the files share ---------------------------------------------------- */

static const char *const COLUMNS[] = {"no.",
                                      "line",
                                      "case number",
                                      "relationship",
                                      "name",
                                      "name (Latin script)",
                                      "sex",
                                      "date of birth",
                                      "age at departure",
                                      "age group",
                                      "nationality",
                                      "travel document",
                                      "travel document number",
                                      "vulnerabilities",
                                      "status",
                                      "escort",
                                      "organisation",
                                      "accompanies",
                                      NULL};
#define NCOL 18

static json_t *s_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* The strings of list joined with sep — or, with key, each object's
 * name_latin (else its member key) — cut with " ..." past
 * AWDA_MAX_MANIFEST_CELL. New reference. */
static json_t *joined(const json_t *list, const char *sep, const char *key)
{
    buf_t b;
    buf_init(&b, AWDA_MAX_MANIFEST_CELL);
    size_t i;
    json_t *v;
    int full = 0;
    json_array_foreach(list, i, v)
    {
        const char *s = key ? jstr(v, "name_latin") ? jstr(v, "name_latin") : jstr(v, key)
                            : json_string_value(v);
        if (!s || full)
            continue;
        if ((i && buf_puts(&b, sep)) || buf_puts(&b, s)) {
            /* Past a cell's room: cut, and say so. */
            full = 1;
            if (b.data) {
                b.len = b.len > AWDA_MAX_MANIFEST_CELL - 8 ? AWDA_MAX_MANIFEST_CELL - 8 : b.len;
                b.data[b.len] = '\0';
                buf_puts(&b, " ...");
            }
        }
    }
    json_t *out = json_string(b.data ? b.data : "");
    buf_free(&b);
    return out ? out : json_string("");
}

static void row_add(json_t *rows, json_t *row)
{
    json_array_append_new(rows, row);
}

static void kv(json_t *rows, const char *k, json_t *v)
{
    row_add(rows, json_pack("[s,o]", k, v ? v : json_null()));
}

/* The rows of the manifest: a heading, the column titles, a row per
 * passenger and per escort, then the counts. Cells are strings, integers
 * or null (empty). Caller owns. */
static json_t *rows_of(const json_t *man)
{
    const json_t *mv = json_object_get(man, "movement");
    json_t *rows = json_array();
    char route[512] = "";
    size_t i, o = 0;
    json_t *leg;
    json_array_foreach(json_object_get(mv, "legs"), i, leg)
    {
        int n = snprintf(route + o, sizeof route - o, "%s%s", i ? " - " : "",
                         jstr(leg, "from") ? jstr(leg, "from") : "");
        if (n < 0 || (size_t)n >= sizeof route - o)
            break;
        o += (size_t)n;
        const json_t *next = json_array_get(json_object_get(mv, "legs"), i + 1);
        if (!next) {
            n = snprintf(route + o, sizeof route - o, " - %s",
                         jstr(leg, "to") ? jstr(leg, "to") : "");
            if (n > 0 && (size_t)n < sizeof route - o)
                o += (size_t)n;
        }
    }
    kv(rows, "movement", s_or_null(jstr(mv, "reference")));
    kv(rows, "type", s_or_null(jstr(mv, "type")));
    kv(rows, "carrier", s_or_null(jstr(mv, "carrier")));
    kv(rows, "route", json_string(route));
    kv(rows, "sending office", s_or_null(jstr(mv, "office")));
    kv(rows, "receiving office", s_or_null(jstr(mv, "receiving_office")));
    kv(rows, "departure (UTC)", s_or_null(jstr(mv, "departs_at")));
    kv(rows, "departure date", s_or_null(jstr(mv, "departure_date")));
    kv(rows, "status", s_or_null(jstr(mv, "status")));
    kv(rows, "capacity", json_copy(json_object_get(mv, "capacity")));
    kv(rows, "seats taken", json_copy(json_object_get(mv, "seats_taken")));
    row_add(rows, json_array());
    json_t *head = json_array();
    for (size_t k = 0; COLUMNS[k]; k++)
        json_array_append_new(head, json_string(COLUMNS[k]));
    row_add(rows, head);
    json_t *p;
    json_array_foreach(json_object_get(man, "passengers"), i, p)
    {
        const json_t *doc = json_object_get(p, "travel_document");
        json_t *r = json_pack(
            "[O,s,o,o,o,o,o,o,O,o,o,o,o,o,o,n,n,n]", json_object_get(p, "no"), "passenger",
            s_or_null(jstr(p, "case_number")), s_or_null(jstr(p, "relationship")),
            s_or_null(jstr(p, "name")), s_or_null(jstr(p, "name_latin")), s_or_null(jstr(p, "sex")),
            s_or_null(jstr(p, "date_of_birth")), json_object_get(p, "age"),
            s_or_null(jstr(p, "age_group")), s_or_null(jstr(p, "nationality")),
            s_or_null(jstr(doc, "type")), s_or_null(jstr(doc, "number")),
            joined(json_object_get(p, "vulnerabilities"), " ", NULL), s_or_null(jstr(p, "status")));
        row_add(rows, r);
    }
    json_t *e;
    json_array_foreach(json_object_get(man, "escorts"), i, e)
    {
        char no[24];
        snprintf(no, sizeof no, "E%zu", i + 1);
        row_add(rows, json_pack("[s,s,n,n,o,n,n,n,n,n,n,n,n,n,n,o,o,o]", no, "escort",
                                s_or_null(jstr(e, "name")), s_or_null(jstr(e, "kind")),
                                s_or_null(jstr(e, "organisation")),
                                joined(json_object_get(e, "accompanies"), "; ", "name")));
    }
    row_add(rows, json_array());
    const json_t *counts = json_object_get(man, "counts");
    row_add(rows,
            json_pack("[s,s,O]", "count", "passengers", json_object_get(counts, "passengers")));
    row_add(rows, json_pack("[s,s,O]", "count", "escorts", json_object_get(counts, "escorts")));
    static const struct {
        const char *key, *title;
    } GROUPS[] = {{"sex", "sex"}, {"age_group", "age group"}, {"vulnerability", "vulnerability"}};
    for (size_t g = 0; g < sizeof GROUPS / sizeof GROUPS[0]; g++) {
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)json_object_get(counts, GROUPS[g].key), k, v)
        {
            row_add(rows, json_pack("[s,s,O]", GROUPS[g].title, k, v));
        }
    }
    return rows;
}

/* "manifest-<reference>.<ext>" with the reference's letters, digits and
 * dashes only. */
static void file_name(const json_t *man, const char *ext, char *out, size_t cap)
{
    const char *ref = jstr(json_object_get(man, "movement"), "reference");
    char safe[41];
    size_t n = 0;
    for (; ref && *ref && n < sizeof safe - 1; ref++)
        if ((*ref >= 'A' && *ref <= 'Z') || (*ref >= 'a' && *ref <= 'z') ||
            (*ref >= '0' && *ref <= '9') || *ref == '-' || *ref == '_')
            safe[n++] = *ref;
    safe[n] = '\0';
    snprintf(out, cap, "manifest%s%s.%s", n ? "-" : "", safe, ext);
}

void app_manifest(app_t *app, const app_actor_t *a, const char *movement_id, const char *format,
                  app_result_t *r)
{
    int kind = !format || strcmp(format, "json") == 0 ? 0
               : strcmp(format, "csv") == 0           ? 1
               : strcmp(format, "xlsx") == 0          ? 2
                                                      : -1;
    if (kind < 0) {
        json_t *errors = json_array();
        awda_error_add(errors, "format", "format must be json, csv or xlsx");
        app_bad_request(r, errors, "check the parameters of the manifest");
        return;
    }
    store_conn_t *c = app_reader(app, r);
    store_movement_row_t m;
    if (!c || !app_mvcare_movement(c, a, movement_id, &m, r))
        return;
    json_t *man = manifest_json(c, &m);
    if (!man) {
        app_fail(r, APP_ERROR, "the manifest could not be read");
        return;
    }
    r->code = APP_OK;
    if (kind == 0) {
        r->body = man;
        return;
    }
    json_t *rows = rows_of(man);
    size_t len = 0;
    char *doc = kind == 1
                    ? app_sheet_csv(rows, AWDA_MAX_MANIFEST_BYTES, AWDA_MAX_MANIFEST_CELL, &len)
                    : app_sheet_xlsx(rows, "manifest", 18, AWDA_MAX_MANIFEST_BYTES,
                                     AWDA_MAX_MANIFEST_CELL, &len);
    json_decref(rows);
    if (!doc) {
        json_decref(man);
        app_fail(r, APP_ERROR, "the manifest file could not be made");
        return;
    }
    r->raw = doc;
    r->raw_len = len;
    r->raw_type = kind == 1 ? "text/csv; charset=utf-8"
                            : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    file_name(man, kind == 1 ? "csv" : "xlsx", r->filename, sizeof r->filename);
    r->rows = (long long)json_array_size(json_object_get(man, "passengers"));
    json_decref(man);
}
