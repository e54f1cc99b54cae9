/*
 * money.c — programmes, projects and their budget lines, and the budget
 * view (see money.h).
 *
 * Bodies are validated against the field tables below (every problem at
 * once, at its field), then written in one writer job; a code or name
 * already taken is a 409 naming it. A project counts in one currency, the
 * currency of its budget lines. The budget view reads budget_line_totals
 * (kept by the ledger in the transaction of every entry), never the
 * ledger itself: one row per line, whatever the ledger's length.
 *
 * The ledger's reads are here too (an entry, the pages of a line and of a
 * case, the reconciliation); its writes are ledger.c.
 */
#include "internal.h"
#include "ledger_int.h"
#include "money.h"
#include "../core/country.h"
#include "../core/movement_care.h"
#include "../store/money.h"
#include "../util/id.h"
#include <stdio.h>
#include <string.h>

#define FLD(n_, t_, f_, lo_, hi_, s_, w_)                                                          \
    {                                                                                              \
        .name = n_, .type = t_, .flags = f_, .min = lo_, .max = hi_, .sub = s_,                    \
        .label = "project." n_, .words = w_                                                        \
    }
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *name_check(const char *s, size_t n)
{
    (void)s;
    return n < 1 || n > AWDA_MAX_NAME ? "must be 1 to 200 characters long" : NULL;
}

static const char *country_check(const char *s, size_t n)
{
    return awda_country_valid(s, n) ? NULL : "must be ISO 3166 alpha-3 codes such as MLI";
}

static const awda_field_t PROGRAMME_FIELDS[] = {
    FLD("code", FT_STRING, F_REQUIRED, 1, AWDA_MAX_MONEY_CODE, NULL, "the code"),
    FLD("name", FT_STRING, F_REQUIRED, 1, AWDA_MAX_NAME, NULL, "the name"),
    {.name = "components",
     .type = FT_STRINGS,
     .flags = F_NULLABLE,
     .max = AWDA_MAX_MONEY_LIST,
     .label = "programme.components",
     .words = "the components",
     .check = name_check},
    {.name = "regions",
     .type = FT_STRINGS,
     .flags = F_NULLABLE,
     .max = AWDA_MAX_MONEY_LIST,
     .label = "programme.regions",
     .words = "the regions",
     .check = name_check},
    {.name = "countries",
     .type = FT_STRINGS,
     .flags = F_NULLABLE,
     .max = AWDA_MAX_MONEY_LIST,
     .label = "programme.countries",
     .words = "the countries",
     .check = country_check},
};
static const awda_entity_t PROGRAMME = {"programme", "The programme", PROGRAMME_FIELDS,
                                        COUNT(PROGRAMME_FIELDS), NULL};

static const awda_field_t PLACE_FIELDS[] = {
    FLD("country", FT_COUNTRY, F_REQUIRED, 0, 0, NULL, "the country"),
    FLD("admin_area", FT_STRING, F_NULLABLE, 1, AWDA_MAX_NAME, NULL, "the administrative area"),
    FLD("pcode", FT_STRING, F_NULLABLE, 1, AWDA_MAX_PCODE, NULL, "the P-code"),
};
static const awda_entity_t PLACE = {"place", "The place", PLACE_FIELDS, COUNT(PLACE_FIELDS), NULL};

static const awda_field_t LINE_FIELDS[] = {
    FLD("code", FT_STRING, F_REQUIRED, 1, AWDA_MAX_MONEY_CODE, NULL, "the code of the line"),
    FLD("name", FT_STRING, F_REQUIRED, 1, AWDA_MAX_NAME, NULL, "the name of the line"),
    FLD("amount_minor", FT_INT, F_REQUIRED, 0, AWDA_MAX_MONEY_MINOR, NULL,
        "the budget of the line (a whole number of the currency's minor units)"),
};
static const awda_entity_t LINE = {"budget_line", "The budget line", LINE_FIELDS,
                                   COUNT(LINE_FIELDS), NULL};

static void project_rules(const json_t *p, const char *path, json_t *errors);

static const awda_field_t PROJECT_FIELDS[] = {
    FLD("code", FT_STRING, F_REQUIRED, 1, AWDA_MAX_MONEY_CODE, NULL, "the code"),
    FLD("name", FT_STRING, F_REQUIRED, 1, AWDA_MAX_NAME, NULL, "the name"),
    FLD("programme", FT_STRING, F_NULLABLE, 1, AWDA_MAX_NAME, NULL, "the programme"),
    FLD("donor", FT_STRING, F_REQUIRED, 1, AWDA_MAX_NAME, NULL, "the donor"),
    FLD("currency", FT_STRING, F_REQUIRED, 3, 3, NULL, "the currency (ISO 4217)"),
    FLD("starts_on", FT_DATE, F_REQUIRED, 0, 0, NULL, "the start"),
    FLD("ends_on", FT_DATE, F_REQUIRED, 0, 0, NULL, "the end"),
    FLD("places", FT_ARRAY, F_NULLABLE, 0, AWDA_MAX_MONEY_LIST, &PLACE, "the places"),
    FLD("budget_lines", FT_ARRAY, F_NULLABLE, 0, AWDA_MAX_MONEY_LIST, &LINE, "the budget lines"),
};
static const awda_entity_t PROJECT = {"project", "The project", PROJECT_FIELDS,
                                      COUNT(PROJECT_FIELDS), project_rules};

/* The currency exists, the end is not before the start. */
static void project_rules(const json_t *p, const char *path, json_t *errors)
{
    (void)path;
    const char *cur = json_string_value(json_object_get(p, "currency"));
    if (cur && strlen(cur) == 3 && !awda_currency_valid(cur))
        awda_error_add(errors, "currency",
                       "%s is not an ISO 4217 currency code: write the three capital letters, "
                       "such as USD",
                       cur);
    const char *s = json_string_value(json_object_get(p, "starts_on"));
    const char *e = json_string_value(json_object_get(p, "ends_on"));
    if (s && e && strcmp(e, s) < 0)
        awda_error_add(errors, "ends_on", "the end must not be before the start");
}

/* Each target is a whole number for a named indicator: {indicator: n}
 * (its members are names of the organisation's choosing, so they are
 * checked here rather than by a field table). */
static void targets_check(const json_t *t, json_t *errors)
{
    const char *k;
    json_t *v;
    if (!t || json_is_null(t))
        return;
    if (!json_is_object(t))
        awda_error_add(errors, "targets", "the targets must be an object: {indicator: number}");
    else if (json_object_size(t) > AWDA_MAX_MONEY_LIST)
        awda_error_add(errors, "targets", "the targets have too many entries (at most %d)",
                       AWDA_MAX_MONEY_LIST);
    else
        json_object_foreach((json_t *)t, k, v)
        {
            if (strlen(k) < 1 || strlen(k) > AWDA_MAX_MONEY_CODE)
                awda_error_add(errors, "targets", "an indicator is named in 1 to %d characters",
                               AWDA_MAX_MONEY_CODE);
            else if (!json_is_integer(v) || json_integer_value(v) < 0 ||
                     json_integer_value(v) > AWDA_MAX_MONEY_TARGET)
                awda_error_add(errors, "targets", "the target of %s must be a whole number from 0",
                               k);
        }
}

static int valid(const awda_entity_t *e, const json_t *body, const char *title, app_result_t *r)
{
    json_t *errors = json_array();
    if (awda_validate(e, body, "", errors) > 0) {
        app_invalid(r, errors, title);
        return 0;
    }
    json_decref(errors);
    return 1;
}

/* ---- programmes ------------------------------------------------------------ */

void app_programme_list(app_t *app, const app_actor_t *a, app_result_t *r)
{
    (void)a;
    store_conn_t *c = app_reader(app, r);
    json_t *items = c ? store_programme_list(c) : NULL;
    if (!c)
        return;
    if (!items) {
        app_fail(r, APP_ERROR, "the programmes could not be read");
        return;
    }
    r->body = json_pack("{s:o}", "items", items);
    r->code = APP_OK;
}

typedef struct {
    const app_actor_t *a;
    const char *id;
    const json_t *body;
} money_ctx_t;

static int programme_job(store_conn_t *c, void *p, app_result_t *r)
{
    money_ctx_t *x = p;
    char id[37];
    int rc = store_programme_insert(c, x->body, id);
    if (rc == STORE_CONFLICT) {
        refuse(r, APP_CONFLICT, "code", "a programme with the code %s exists already",
               json_string_value(json_object_get(x->body, "code")));
        return STORE_ABORT;
    }
    if (rc != STORE_OK)
        return rc;
    r->body = json_deep_copy(x->body);
    json_object_set_new(r->body, "id", json_string(id));
    r->code = APP_CREATED;
    snprintf(r->location, sizeof r->location, "/api/v1/programmes/%s", id);
    return STORE_OK;
}

void app_programme_create(app_t *app, const app_actor_t *a, const json_t *body, app_result_t *r)
{
    if (!valid(&PROGRAMME, body, "The programme is not valid", r))
        return;
    money_ctx_t x = {a, NULL, body};
    app_run(app, programme_job, &x, r);
}

/* ---- projects ---------------------------------------------------------------- */

void app_project_list(app_t *app, const app_actor_t *a, app_result_t *r)
{
    (void)a;
    store_conn_t *c = app_reader(app, r);
    if (!c)
        return;
    json_t *items = store_project_list(c);
    if (!items) {
        app_fail(r, APP_ERROR, "the projects could not be read");
        return;
    }
    r->body = json_pack("{s:o}", "items", items);
    r->code = APP_OK;
}

static int64_t project_of(store_conn_t *c, const char *ref, app_result_t *r)
{
    int64_t pk = ref && strlen(ref) <= AWDA_MAX_NAME ? store_project_pk(c, ref) : 0;
    if (!pk)
        app_fail(r, APP_NOT_FOUND, "there is no such project");
    return pk;
}

void app_project_get(app_t *app, const app_actor_t *a, const char *id, app_result_t *r)
{
    (void)a;
    store_conn_t *c = app_reader(app, r);
    int64_t pk = c ? project_of(c, id, r) : 0;
    if (!pk)
        return;
    r->body = store_project_get(c, pk);
    if (!r->body) {
        app_fail(r, APP_ERROR, "the project could not be read");
        return;
    }
    r->version = json_integer_value(json_object_get(r->body, "version"));
    r->code = APP_OK;
}

static int add_line(store_conn_t *c, int64_t project_pk, const json_t *l, const char *field,
                    app_result_t *r)
{
    char id[37];
    int rc = store_budget_line_insert(c, project_pk, l, id);
    if (rc == STORE_CONFLICT) {
        refuse(r, APP_CONFLICT, field, "the project has a budget line %s already",
               json_string_value(json_object_get(l, "code")));
        return STORE_ABORT;
    }
    return rc;
}

static int project_job(store_conn_t *c, void *p, app_result_t *r)
{
    money_ctx_t *x = p;
    const char *prog = json_string_value(json_object_get(x->body, "programme"));
    int64_t prog_pk = prog ? store_programme_pk(c, prog) : 0;
    if (prog && !prog_pk) {
        refuse(r, APP_INVALID, "programme", "there is no programme %s", prog);
        return STORE_ABORT;
    }
    char id[37];
    int64_t pk;
    int rc = store_project_insert(c, x->body, prog_pk, id, &pk);
    if (rc == STORE_CONFLICT) {
        refuse(r, APP_CONFLICT, "code", "a project with this code or name exists already");
        return STORE_ABORT;
    }
    if (rc != STORE_OK)
        return rc;
    size_t i;
    json_t *l;
    json_array_foreach(json_object_get(x->body, "budget_lines"), i, l)
    {
        char field[48];
        snprintf(field, sizeof field, "budget_lines[%zu].code", i);
        if ((rc = add_line(c, pk, l, field, r)) != STORE_OK)
            return rc;
    }
    r->body = store_project_get(c, pk);
    if (!r->body)
        return STORE_ERR;
    r->code = APP_CREATED;
    snprintf(r->location, sizeof r->location, "/api/v1/projects/%s", id);
    return STORE_OK;
}

void app_project_create(app_t *app, const app_actor_t *a, const json_t *body, app_result_t *r)
{
    json_t *errors = json_array(), *rest = json_copy((json_t *)body);
    json_object_del(rest, "targets");
    awda_validate(&PROJECT, rest, "", errors);
    json_decref(rest);
    targets_check(json_object_get(body, "targets"), errors);
    if (json_array_size(errors)) {
        app_invalid(r, errors, "The project is not valid");
        return;
    }
    json_decref(errors);
    money_ctx_t x = {a, NULL, body};
    app_run(app, project_job, &x, r);
}

static int line_job(store_conn_t *c, void *p, app_result_t *r)
{
    money_ctx_t *x = p;
    int64_t pk = project_of(c, x->id, r);
    if (!pk)
        return STORE_ABORT;
    int rc = add_line(c, pk, x->body, "code", r);
    if (rc != STORE_OK)
        return rc;
    r->body = store_project_get(c, pk);
    r->code = APP_CREATED;
    return r->body ? STORE_OK : STORE_ERR;
}

void app_budget_line_create(app_t *app, const app_actor_t *a, const char *project,
                            const json_t *body, app_result_t *r)
{
    if (!valid(&LINE, body, "The budget line is not valid", r))
        return;
    money_ctx_t x = {a, project, body};
    app_run(app, line_job, &x, r);
}

/* ---- the budget view ------------------------------------------------------------ */

static json_int_t bp(int64_t part, int64_t whole)
{
    return whole > 0 ? (json_int_t)((__int128)part * 10000 / whole) : 0;
}

void app_budget_view(app_t *app, const app_actor_t *a, const char *project, app_result_t *r)
{
    (void)a;
    store_conn_t *c = app_reader(app, r);
    int64_t pk = c ? project_of(c, project, r) : 0;
    if (!pk)
        return;
    json_t *proj = store_project_get(c, pk);
    json_t *lines = proj ? store_budget_view(c, pk) : NULL;
    if (!lines) {
        json_decref(proj);
        app_fail(r, APP_ERROR, "the budget could not be read");
        return;
    }
    int64_t t[5] = {0};
    static const char *const keys[] = {"budget_minor", "committed_minor", "disbursed_minor",
                                       "remaining_minor", "entries"};
    size_t i;
    json_t *l;
    json_array_foreach(lines, i, l)
    {
        for (int k = 0; k < 5; k++)
            t[k] += json_integer_value(json_object_get(l, keys[k]));
        int64_t budget = json_integer_value(json_object_get(l, "budget_minor"));
        json_object_set_new(
            l, "utilisation_bp",
            json_integer(bp(json_integer_value(json_object_get(l, "disbursed_minor")), budget)));
    }
    json_t *totals = json_object();
    for (int k = 0; k < 5; k++)
        json_object_set_new(totals, keys[k], json_integer((json_int_t)t[k]));
    json_object_set_new(totals, "utilisation_bp", json_integer(bp(t[2], t[0])));
    r->body =
        json_pack("{s:{s:O,s:O,s:O},s:O,s:o,s:o}", "project", "id", json_object_get(proj, "id"),
                  "code", json_object_get(proj, "code"), "name", json_object_get(proj, "name"),
                  "currency", json_object_get(proj, "currency"), "lines", lines, "totals", totals);
    json_decref(proj);
    r->code = r->body ? APP_OK : APP_ERROR;
}

/* ---- reading the ledger --------------------------------------------------------------- */

void app_ledger_entry(app_t *app, const app_actor_t *a, const char *entry_id, app_result_t *r)
{
    (void)a;
    store_conn_t *c = app_reader(app, r);
    store_ledger_entry_t o;
    int64_t pk;
    int reversed;
    if (!c)
        return;
    if (!awda_uuid_valid(entry_id, strlen(entry_id)) ||
        store_ledger_find(c, entry_id, &o, &pk, &reversed) != STORE_OK ||
        !(r->body = store_ledger_get(c, pk))) {
        app_fail(r, APP_NOT_FOUND, "there is no such ledger entry");
        return;
    }
    r->code = APP_OK;
}

static void page(store_conn_t *c, int64_t line_pk, int64_t case_pk, const char *cursor,
                 const char *limit, app_result_t *r)
{
    json_t *errors = json_array();
    long long lim, cur;
    app_parse_page(limit, cursor, errors, &lim, &cur);
    if (json_array_size(errors)) {
        app_bad_request(r, errors, "the paging parameters are not valid");
        return;
    }
    json_decref(errors);
    json_t *items = store_ledger_list(c, line_pk, case_pk, cur, (int)lim);
    if (!items) {
        app_fail(r, APP_ERROR, "the ledger could not be read");
        return;
    }
    json_t *next = json_null();
    if ((long long)json_array_size(items) == lim)
        next =
            json_sprintf("%lld", (long long)json_integer_value(json_object_get(
                                     json_array_get(items, json_array_size(items) - 1), "cursor")));
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) json_object_del(it, "cursor");
    r->body = json_pack("{s:o,s:o}", "items", items, "next_cursor", next);
    r->code = APP_OK;
}

void app_ledger_of_line(app_t *app, const app_actor_t *a, const char *line_id, const char *cursor,
                        const char *limit, app_result_t *r)
{
    (void)a;
    store_conn_t *c = app_reader(app, r);
    store_budget_line_row_t line;
    if (!c)
        return;
    if (!awda_uuid_valid(line_id, strlen(line_id)) ||
        store_budget_line_find(c, line_id, &line) != STORE_OK) {
        app_fail(r, APP_NOT_FOUND, "there is no such budget line");
        return;
    }
    page(c, line.pk, 0, cursor, limit, r);
}

void app_ledger_of_case(app_t *app, const app_actor_t *a, const char *case_id, const char *cursor,
                        const char *limit, app_result_t *r)
{
    store_conn_t *c = app_reader(app, r);
    int64_t pk, office, version;
    if (!c || !app_find_case(c, a, case_id, &pk, &office, &version, r))
        return;
    page(c, 0, pk, cursor, limit, r);
}

void app_ledger_verify(app_t *app, app_result_t *r)
{
    store_conn_t *c = app_reader(app, r);
    if (!c)
        return;
    long long lines = 0;
    json_t *bad = store_ledger_verify(c, &lines);
    if (!bad) {
        app_fail(r, APP_ERROR, "the ledger could not be read");
        return;
    }
    size_t n = json_array_size(bad);
    r->body = json_pack("{s:I,s:o}", "lines_checked", (json_int_t)lines, "mismatches", bad);
    if (n) {
        r->code = APP_CONFLICT;
        snprintf(r->detail, sizeof r->detail,
                 "%zu budget lines have totals that differ from the sums of the ledger", n);
    } else
        r->code = APP_OK;
}
