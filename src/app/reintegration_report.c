/*
 * reintegration_report.c — the reintegration report of a project over a
 * period (GET /api/v1/projects/{id}/report?from=&to=&format=), for M&E,
 * managers, finance and donors (reintegration.report).
 *
 * The figures are counted by the store (store/reintegration_report.c says
 * what each one counts) in the read transaction of the request, so they
 * are of one state of the database. The period defaults to the project's
 * own (starts_on .. ends_on); both days are included.
 *
 * Scope. Roles that see every office, a programme manager of the project
 * and donors get the whole project; the others (M&E, finance in an office)
 * the cases, plans and activities of their offices (a case also by its
 * receiving office, as for cases). The budget is the project's whole
 * budget for everyone: it is not per office. "scope" in the answer says
 * which.
 *
 * Donors read aggregates only, and small counts are suppressed as the
 * statistics suppress them (app/sharing.c): a count of persons, cases or
 * items from 1 to RR_MIN_CELL - 1 is never shown (null); inside a
 * breakdown that adds up to a total shown, hidden values are at least two
 * and at least RR_MIN_CELL together (the smallest shown value joins them
 * until they are), so no hidden value can be worked out from the total;
 * a breakdown whose total is too small is withheld whole. Lists of cells
 * by sex and age group end with one "combined" cell (as the statistics'
 * rows), or are one "suppressed" cell. For a donor the beneficiaries
 * reached through plans and through activities (which overlap) are given
 * as one breakdown of the total — returnees reached, community
 * beneficiaries, others counted at activities — and their sum by sex and
 * age group; a mean score of fewer than RR_MIN_CELL responses is null,
 * and so is the share who chose their own project when that count is
 * hidden. Amounts of money are aggregates and are shown.
 *
 * Files. CSV and XLSX carry the same figures as the JSON (after
 * suppression), one per row — project, period, section, indicator,
 * breakdown, sex, age group, value, currency, note — under a row of
 * titles and a row of HXL hashtags, so humanitarian tools read the
 * columns. Text cells lose direction overrides and never start a formula
 * (an apostrophe is put before = + - @), as in the exports.
 */
#include "internal.h"
#include "reintegration_report.h"
#include "sheet.h"
#include "../store/reintegration_report.h"
#include "../util/buf.h"
#include "../util/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RR_MIN_CELL 5 /* as the statistics (STATS_MIN_CELL, app/sharing.c) */

/* ---- disclosure control for donors -------------------------------------- */

/* Marks in hide[] the values of v[0..n) not to be shown: each from 1 to
 * RR_MIN_CELL - 1, then the smallest shown value while the hidden ones
 * are fewer than two or sum to less than RR_MIN_CELL. Zeros are shown.
 * Returns 1 when that cannot be done (the breakdown is withheld whole). */
static int protect(const long long *v, size_t n, unsigned char *hide)
{
    long long sum = 0;
    size_t nh = 0;
    for (size_t i = 0; i < n; i++) {
        hide[i] = v[i] > 0 && v[i] < RR_MIN_CELL;
        sum += hide[i] ? v[i] : 0;
        nh += hide[i];
    }
    while (nh > 0 && (nh < 2 || sum < RR_MIN_CELL)) {
        size_t pick = n;
        for (size_t i = 0; i < n; i++)
            if (!hide[i] && v[i] > 0 && (pick == n || v[i] < v[pick]))
                pick = i;
        if (pick == n)
            return 1;
        hide[pick] = 1;
        sum += v[pick];
        nh++;
    }
    return 0;
}

/* A count of 1 .. RR_MIN_CELL - 1 in o[k] becomes null. */
static void hide_small(json_t *o, const char *k)
{
    json_int_t v = json_integer_value(json_object_get(o, k));
    if (v > 0 && v < RR_MIN_CELL)
        json_object_set_new(o, k, json_null());
}

/* The breakdown of objs[i][field] (i < n) whose total is total[tkey]:
 * hidden values become null; withheld, every value and the total. */
static void protect_fields(json_t *const *objs, size_t n, const char *field, json_t *total,
                           const char *tkey)
{
    long long v[8] = {0};
    unsigned char hide[8] = {0};
    n = n < 8 ? n : 8;
    for (size_t i = 0; i < n; i++)
        v[i] = json_integer_value(json_object_get(objs[i], field));
    int withheld = protect(v, n, hide);
    for (size_t i = 0; i < n; i++)
        if (withheld || hide[i])
            json_object_set_new(objs[i], field, json_null());
    if (withheld)
        json_object_set_new(total, tkey, json_null());
    else
        hide_small(total, tkey);
}

/* Cells [{"sex", "age_group", "count"}] protected: a new array of the
 * cells shown, then {"sex": null, "age_group": null, "count", "combined":
 * true}, or one {"count": null, "suppressed": true} when withheld. */
static json_t *protect_cells(const json_t *cells)
{
    size_t n = json_array_size(cells);
    long long *v = calloc(n + 1, sizeof *v);
    unsigned char *hide = calloc(n + 1, 1);
    json_t *out = json_array();
    int withheld = !v || !hide;
    for (size_t i = 0; !withheld && i < n; i++)
        v[i] = json_integer_value(json_object_get(json_array_get(cells, i), "count"));
    withheld = withheld || protect(v, n, hide);
    long long sum = 0;
    for (size_t i = 0; !withheld && i < n; i++) {
        if (hide[i])
            sum += v[i];
        else
            json_array_append(out, json_array_get(cells, i));
    }
    if (withheld) {
        json_array_clear(out);
        json_array_append_new(
            out, json_pack("{s:n,s:n,s:n,s:b}", "sex", "age_group", "count", "suppressed", 1));
    } else if (sum > 0) {
        json_array_append_new(out, json_pack("{s:n,s:n,s:I,s:b}", "sex", "age_group", "count",
                                             (json_int_t)sum, "combined", 1));
    }
    free(v);
    free(hide);
    return out;
}

/* The sum of the counts of cells. */
static long long cells_sum(const json_t *cells)
{
    long long s = 0;
    size_t i;
    json_t *c;
    json_array_foreach(cells, i, c) s += json_integer_value(json_object_get(c, "count"));
    return s;
}

static void protect_array_fields(json_t *arr, const char *field, json_t *total)
{
    json_t *objs[8];
    size_t n = json_array_size(arr) < 8 ? json_array_size(arr) : 8;
    for (size_t i = 0; i < n; i++)
        objs[i] = json_array_get(arr, i);
    protect_fields(objs, n, field, total, field);
}

/* The figures as a donor may read them (see the top of this file). */
static void suppress(json_t *f)
{
    json_t *ret = json_object_get(f, "returns");
    hide_small(ret, "cases");
    json_int_t persons = json_integer_value(json_object_get(ret, "persons"));
    json_object_set_new(ret, "by_sex_age", protect_cells(json_object_get(ret, "by_sex_age")));
    if (persons > 0 && persons < RR_MIN_CELL)
        json_object_set_new(ret, "persons", json_null());

    json_t *od = json_object_get(f, "plans_overdue");
    long long pv[2] = {json_integer_value(json_object_get(od, "late")),
                       json_integer_value(json_object_get(od, "without_plan"))};
    unsigned char ph[2];
    int pw = protect(pv, 2, ph);
    if (pw || ph[0])
        json_object_set_new(od, "late", json_null());
    if (pw || ph[1])
        json_object_set_new(od, "without_plan", json_null());
    if (pw)
        json_object_set_new(od, "total", json_null());

    json_t *as = json_object_get(f, "assistance");
    json_t *tot = json_object_get(as, "total");
    json_t *tcopy = json_deep_copy(tot); /* both breakdowns read the true totals */
    protect_array_fields(json_object_get(as, "by_dimension"), "started", tot);
    protect_array_fields(json_object_get(as, "by_dimension"), "completed", tot);
    protect_array_fields(json_object_get(as, "by_plan_kind"), "started", tcopy);
    protect_array_fields(json_object_get(as, "by_plan_kind"), "completed", tcopy);
    json_decref(tcopy);

    /* Beneficiaries: one breakdown of the total by channel, and the total
     * by sex and age group. */
    json_t *b = json_object_get(f, "beneficiaries");
    json_t *ch =
        json_pack("{s:I,s:I,s:I}", "returnees",
                  (json_int_t)(cells_sum(json_object_get(b, "total")) -
                               cells_sum(json_object_get(b, "community")) -
                               cells_sum(json_object_get(b, "activity_others"))),
                  "community", (json_int_t)cells_sum(json_object_get(b, "community")),
                  "activity_others", (json_int_t)cells_sum(json_object_get(b, "activity_others")));
    json_t *chtot = json_pack("{s:I}", "total", (json_int_t)cells_sum(json_object_get(b, "total")));
    static const char *const CH[] = {"returnees", "community", "activity_others"};
    long long cv[3];
    unsigned char chide[3];
    for (int i = 0; i < 3; i++)
        cv[i] = json_integer_value(json_object_get(ch, CH[i]));
    int cw = protect(cv, 3, chide);
    for (int i = 0; i < 3; i++)
        if (cw || chide[i])
            json_object_set_new(ch, CH[i], json_null());
    if (cw)
        json_object_set_new(chtot, "total", json_null());
    else
        hide_small(chtot, "total");
    json_object_set_new(ch, "total", json_incref(json_object_get(chtot, "total")));
    json_decref(chtot);
    json_t *cells = protect_cells(json_object_get(b, "total"));
    json_object_del(b, "returnees_in_plans");
    json_object_del(b, "activity_participants");
    json_object_del(b, "community");
    json_object_del(b, "activity_others");
    json_object_set_new(b, "total", cells);
    json_object_set_new(b, "by_channel", ch);

    json_t *su = json_object_get(f, "sustainability");
    const char *round;
    json_t *r;
    json_object_foreach(su, round, r)
    {
        if (json_integer_value(json_object_get(r, "responses")) < RR_MIN_CELL) {
            const char *k;
            json_t *v;
            void *tmp;
            json_object_foreach_safe(r, tmp, k, v)
            {
                if (strcmp(k, "responses") != 0)
                    json_object_set_new(r, k, json_null());
            }
            hide_small(r, "responses");
        }
    }

    json_t *c = json_object_get(f, "choice");
    static const char *const CHOICES[] = {"own_project", "proposed_option", "referral"};
    long long chv[3];
    unsigned char chh[3];
    for (int i = 0; i < 3; i++)
        chv[i] = json_integer_value(json_object_get(c, CHOICES[i]));
    int chw = protect(chv, 3, chh);
    for (int i = 0; i < 3; i++)
        if (chw || chh[i])
            json_object_set_new(c, CHOICES[i], json_null());
    if (chw)
        json_object_set_new(c, "assessed", json_null());
    else
        hide_small(c, "assessed");
    if (!json_is_integer(json_object_get(c, "own_project")) ||
        !json_is_integer(json_object_get(c, "assessed")))
        json_object_set_new(c, "own_project_share_bp", json_null());
}

/* ---- the rows of the files ---------------------------------------------- */

static const struct {
    const char *title, *hxl;
} COLUMNS[] = {
    {"project", "#activity+code"},
    {"period start", "#date+start"},
    {"period end", "#date+end"},
    {"section", "#meta+section"},
    {"indicator", "#indicator+code"},
    {"breakdown", "#indicator+category"},
    {"sex", "#affected+sex"},
    {"age group", "#affected+age_group"},
    {"value", "#indicator+value+num"},
    {"currency", "#currency"},
    {"note", "#meta+note"},
};
#define NCOL (sizeof COLUMNS / sizeof COLUMNS[0])

typedef struct {
    json_t *rows;
    const char *project, *from, *to, *currency;
    int suppressed; /* a donor's report: a null count was suppressed */
} rows_t;

static json_t *s_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

/* One figure: value is an integer or null (borrowed). */
static void row(rows_t *x, const char *section, const char *indicator, const char *breakdown,
                const char *sex, const char *age, const json_t *value, const char *currency)
{
    const char *note = NULL;
    if (!json_is_integer(value))
        note = x->suppressed ? "suppressed: fewer than 5, or would reveal such a count"
                             : "none to count";
    json_array_append_new(x->rows,
                          json_pack("[s,s,s,s,s,o,o,o,O,o,o]", x->project, x->from, x->to, section,
                                    indicator, s_or_null(breakdown), s_or_null(sex), s_or_null(age),
                                    json_is_integer(value) ? value : json_null(),
                                    s_or_null(currency), s_or_null(note)));
}

static void rows_fields(rows_t *x, const char *section, const json_t *o, const char *const *fields,
                        const char *breakdown)
{
    for (size_t k = 0; fields[k]; k++)
        if (json_object_get(o, fields[k]))
            row(x, section, fields[k], breakdown, NULL, NULL, json_object_get(o, fields[k]), NULL);
}

static void rows_cells(rows_t *x, const char *section, const char *indicator, const json_t *cells)
{
    size_t i;
    json_t *c;
    json_array_foreach(cells, i, c)
    {
        const char *sex = json_string_value(json_object_get(c, "sex"));
        const char *age = json_string_value(json_object_get(c, "age_group"));
        const char *b = json_is_true(json_object_get(c, "combined"))     ? "others, combined"
                        : json_is_true(json_object_get(c, "suppressed")) ? "all, withheld"
                                                                         : NULL;
        row(x, section, indicator, b, sex, age, json_object_get(c, "count"), NULL);
    }
}

/* The rows of the report's figures (after suppression); caller owns. */
static json_t *rows_of(const json_t *rep)
{
    const json_t *p = json_object_get(rep, "project");
    const json_t *per = json_object_get(rep, "period");
    rows_t x = {json_array(),
                json_string_value(json_object_get(p, "code")),
                json_string_value(json_object_get(per, "from")),
                json_string_value(json_object_get(per, "to")),
                json_string_value(json_object_get(p, "currency")),
                json_is_integer(json_object_get(rep, "suppressed_below"))};
    const json_t *ret = json_object_get(rep, "returns");
    static const char *const RET[] = {"cases", "persons", NULL};
    rows_fields(&x, "returns", ret, RET, NULL);
    rows_cells(&x, "returns", "persons", json_object_get(ret, "by_sex_age"));
    static const char *const OD[] = {"total", "late", "without_plan", NULL};
    rows_fields(&x, "plans_overdue", json_object_get(rep, "plans_overdue"), OD, NULL);

    const json_t *as = json_object_get(rep, "assistance");
    static const char *const SC[] = {"started", "completed", NULL};
    static const struct {
        const char *list, *key;
    } BY[] = {{"by_dimension", "dimension"}, {"by_plan_kind", "kind"}};
    for (size_t b = 0; b < 2; b++) {
        size_t i;
        json_t *o;
        json_array_foreach(json_object_get(as, BY[b].list), i, o)
            rows_fields(&x, "assistance", o, SC, json_string_value(json_object_get(o, BY[b].key)));
    }
    rows_fields(&x, "assistance", json_object_get(as, "total"), SC, "total");

    const json_t *be = json_object_get(rep, "beneficiaries");
    static const char *const GRIDS[] = {"returnees_in_plans", "community", "activity_participants",
                                        "activity_others",    "total",     NULL};
    for (size_t k = 0; GRIDS[k]; k++)
        if (json_object_get(be, GRIDS[k]))
            rows_cells(&x, "beneficiaries", GRIDS[k], json_object_get(be, GRIDS[k]));
    static const char *const CH[] = {"returnees", "community", "activity_others", "total", NULL};
    if (json_object_get(be, "by_channel"))
        rows_fields(&x, "beneficiaries", json_object_get(be, "by_channel"), CH, "by channel");
    static const char *const HELD[] = {"activities_held", NULL};
    rows_fields(&x, "beneficiaries", be, HELD, NULL);

    static const char *const MONEY[] = {"budget_minor", "committed_minor", "disbursed_minor",
                                        "remaining_minor", NULL};
    const json_t *bu = json_object_get(rep, "budget");
    size_t i;
    json_t *l;
    json_array_foreach(json_object_get(bu, "lines"), i, l)
    {
        char name[AWDA_MAX_SHORT * 2 + 4];
        snprintf(name, sizeof name, "%s %s", json_string_value(json_object_get(l, "code")),
                 json_string_value(json_object_get(l, "name")));
        for (size_t k = 0; MONEY[k]; k++)
            row(&x, "budget", MONEY[k], name, NULL, NULL, json_object_get(l, MONEY[k]), x.currency);
        row(&x, "budget", "utilisation_bp", name, NULL, NULL, json_object_get(l, "utilisation_bp"),
            NULL);
    }
    const json_t *bt = json_object_get(bu, "total");
    for (size_t k = 0; MONEY[k]; k++)
        row(&x, "budget", MONEY[k], "total", NULL, NULL, json_object_get(bt, MONEY[k]), x.currency);
    row(&x, "budget", "utilisation_bp", "total", NULL, NULL, json_object_get(bt, "utilisation_bp"),
        NULL);

    static const char *const SU[] = {"responses",       "economic_bp",  "social_bp",
                                     "psychosocial_bp", "composite_bp", NULL};
    static const char *const ROUNDS[] = {"baseline", "follow_up", NULL};
    const json_t *su = json_object_get(rep, "sustainability");
    for (size_t k = 0; ROUNDS[k]; k++)
        rows_fields(&x, "sustainability", json_object_get(su, ROUNDS[k]), SU, ROUNDS[k]);
    static const char *const CHOICE[] = {"assessed", "own_project",          "proposed_option",
                                         "referral", "own_project_share_bp", NULL};
    rows_fields(&x, "choice", json_object_get(rep, "choice"), CHOICE, NULL);
    return x.rows;
}

/* ---- CSV and XLSX --------------------------------------------------------- */

/* ---- the use case -------------------------------------------------------------- */

/* A day parameter into out (YYYY-MM-DD), or dflt when absent; problems
 * go to errors. */
static void day_param(const char *name, const char *v, const char *dflt, char out[11],
                      json_t *errors)
{
    awda_date_t d;
    out[0] = '\0';
    if (!v) {
        snprintf(out, 11, "%s", dflt && strlen(dflt) == 10 ? dflt : "");
        return;
    }
    if (strlen(v) != 10 || awda_date_parse(v, 10, &d) != 3) {
        awda_error_add(errors, name, "%s must be a date such as 2026-01-31", name);
        return;
    }
    memcpy(out, v, 11);
}

/* 1 when the actor counts over the whole project (see the top). */
static int whole_project(const app_actor_t *a, const char *project)
{
    if (app_all_offices(a) || (a->p.roles & app_role_bit("donor")))
        return 1;
    json_t *mine = app_scope_projects(a) ? json_loads(app_scope_projects(a), 0, NULL) : NULL;
    int in = 0;
    size_t i;
    json_t *v;
    json_array_foreach(mine, i, v) in |=
        json_is_string(v) && strcmp(json_string_value(v), project) == 0;
    json_decref(mine);
    return in;
}

/* The actor's offices as a JSON array text (caller frees). */
static char *offices_json(const app_actor_t *a)
{
    json_t *arr = json_array();
    for (int i = 0; i < a->p.noffices; i++)
        json_array_append_new(arr, json_integer((json_int_t)a->p.offices[i]));
    char *s = json_dumps(arr, JSON_COMPACT);
    json_decref(arr);
    return s;
}

void app_reintegration_report(app_t *app, const app_actor_t *a, const app_rr_query_t *q,
                              app_result_t *r)
{
    const char *fmt = q->format ? q->format : "json";
    int kind = strcmp(fmt, "json") == 0   ? 0
               : strcmp(fmt, "csv") == 0  ? 1
               : strcmp(fmt, "xlsx") == 0 ? 2
                                          : -1;
    json_t *errors = json_array();
    if (kind < 0)
        awda_error_add(errors, "format", "format must be json, csv or xlsx");
    store_conn_t *c = app_reader(app, r);
    if (!c) {
        json_decref(errors);
        return;
    }
    json_t *project = NULL;
    int64_t ppk = 0;
    int found = q->project && strlen(q->project) <= AWDA_MAX_SHORT
                    ? store_rr_project(c, q->project, &project, &ppk)
                    : STORE_NOTFOUND;
    if (found == STORE_ERR) {
        json_decref(errors);
        app_fail(r, APP_ERROR, "the report could not be counted");
        return;
    }
    char from[11], to[11], today[11];
    day_param("from", q->from, json_string_value(json_object_get(project, "starts_on")), from,
              errors);
    day_param("to", q->to, json_string_value(json_object_get(project, "ends_on")), to, errors);
    if (from[0] && to[0] && strcmp(from, to) > 0)
        awda_error_add(errors, "to",
                       "the period ends before it begins: to must be on or after from");
    if (json_array_size(errors)) {
        json_decref(project);
        app_bad_request(r, errors, "check the parameters of the report");
        return;
    }
    json_decref(errors);
    if (found != STORE_OK || !from[0] || !to[0]) {
        json_decref(project);
        app_fail(r, APP_NOT_FOUND, "there is no project with this id");
        return;
    }
    const char *name = json_string_value(json_object_get(project, "name"));
    int whole = whole_project(a, name);
    char *offices = whole ? NULL : offices_json(a);
    awda_date_format(awda_today(), today);
    store_rr_query_t sq = {ppk, name, from, to, today, offices};
    json_t *f = whole || offices ? store_rr_figures(c, &sq) : NULL;
    free(offices);
    if (!f) {
        json_decref(project);
        app_fail(r, APP_ERROR, "the report could not be counted");
        return;
    }
    int donor = !a->system && (a->p.roles & app_role_bit("donor"));
    if (donor)
        suppress(f);
    char now[32];
    awda_iso_ms(awda_now_ms(), now);
    json_object_set_new(f, "project", project);
    json_object_set_new(f, "period", json_pack("{s:s,s:s}", "from", from, "to", to));
    json_object_set_new(f, "scope", json_string(whole ? "project" : "offices"));
    json_object_set_new(f, "plan_deadline_days", json_integer(STORE_RR_PLAN_DAYS));
    json_object_set_new(f, "suppressed_below", donor ? json_integer(RR_MIN_CELL) : json_null());
    json_object_set_new(f, "generated_at", json_string(now));
    r->code = APP_OK;
    if (kind == 0) {
        r->body = f;
        return;
    }
    json_t *rows = rows_of(f);
    size_t len = 0;
    /* the titles and the HXL hashtags head the file */
    json_t *table = json_array();
    for (int line = 0; line < 2; line++) {
        json_t *head = json_array();
        for (size_t k = 0; k < NCOL; k++)
            json_array_append_new(head, json_string(line ? COLUMNS[k].hxl : COLUMNS[k].title));
        json_array_append_new(table, head);
    }
    json_array_extend(table, rows);
    char *doc = kind == 1 ? app_sheet_csv(table, AWDA_MAX_REPORT_BYTES, AWDA_MAX_SHORT * 2, &len)
                          : app_sheet_xlsx(table, "report", 16, AWDA_MAX_REPORT_BYTES,
                                           AWDA_MAX_SHORT * 2, &len);
    json_decref(table);
    r->rows = (long long)json_array_size(rows);
    json_decref(rows);
    if (!doc) {
        json_decref(f);
        app_fail(r, APP_ERROR, "the report file could not be made");
        return;
    }
    r->raw = doc;
    r->raw_len = len;
    r->raw_type = kind == 1 ? "text/csv; charset=utf-8"
                            : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    char safe[25];
    size_t n = 0;
    for (const char *s = json_string_value(json_object_get(project, "code")); s && *s && n < 24;
         s++)
        if ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
            *s == '-' || *s == '_')
            safe[n++] = *s;
    safe[n] = '\0';
    snprintf(r->filename, sizeof r->filename, "report-%s-%s-%s.%s", safe, from, to,
             kind == 1 ? "csv" : "xlsx");
    json_decref(f);
}
