/*
 * activities.c — group activities not tied to one case (followup.h):
 * psychosocial group sessions, trainings of social and health workers,
 * awareness campaigns, community events, workshops.
 *
 * An activity belongs to an office (the actor must work for it) and is
 * held on a date (not in the future) in a place (a country, optionally an
 * admin area and its P-code). It may name a project and a budget line
 * (the line's project is the activity's; naming both, they must agree).
 * Participants are the returnees linked by person id (each one the actor
 * may see) plus others counted by sex (female, male) and age group (the
 * manifest's: 0-4, 5-11, 12-17, 18-59, 60+). A cost in minor units with
 * an ISO 4217 currency is committed on the budget line through the
 * ledger's contract (app_ledger_commit, money.h) in the same writer job
 * as the activity: both or neither; a cost in another currency than the
 * line's needs the rate it was converted at ({num, den}). The ledger
 * refuses with the numbers a cost past what the line has left.
 */
#include "followup.h"
#include "internal.h"
#include "money.h"
#include "../core/country.h"
#include "../core/field.h"
#include "../core/movement_care.h"
#include "../util/timeutil.h"
#include "../util/limits.h"
#include <stdio.h>
#include <string.h>

static const char *const KINDS[] = {"psychosocial_group", "training", "awareness",
                                    "community_event",    "workshop", NULL};
static const char *const SEXES[] = {"female", "male", NULL};

static int one_of(const char *v, const char *const *list)
{
    for (int i = 0; v && list[i]; i++)
        if (strcmp(v, list[i]) == 0)
            return 1;
    return 0;
}

static void check_pcode(const char *s, json_t *errors)
{
    size_t n = s ? strlen(s) : 0;
    int ok = n > 0 && n <= AWDA_MAX_PCODE;
    for (size_t i = 0; ok && i < n; i++)
        ok = (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-';
    if (s && !ok)
        awda_error_add(errors, "pcode", "a P-code is at most %d capital letters, digits and dashes",
                       AWDA_MAX_PCODE);
}

static void check_facilitators(const json_t *f, json_t *errors)
{
    if (!f || json_is_null(f))
        return;
    if (!json_is_array(f) || json_array_size(f) > AWDA_ACTIVITY_MAX_FACILITATORS) {
        awda_error_add(errors, "facilitators", "a list of at most %d names",
                       AWDA_ACTIVITY_MAX_FACILITATORS);
        return;
    }
    size_t i;
    const json_t *v;
    json_array_foreach(f, i, v)
    {
        if (!json_is_string(v) || json_string_length(v) == 0 ||
            json_string_length(v) > AWDA_FOLLOWUP_MAX_TEXT) {
            char field[48];
            snprintf(field, sizeof field, "facilitators[%zu]", i);
            awda_error_add(errors, field, "must be text of 1 to %d bytes", AWDA_FOLLOWUP_MAX_TEXT);
        }
    }
}

static void check_counts(const json_t *counts, json_t *errors)
{
    if (!counts || json_is_null(counts))
        return;
    if (!json_is_array(counts) || json_array_size(counts) > 10) {
        awda_error_add(errors, "counts",
                       "a list of at most 10 rows {sex, age_group, count}, one per sex and age "
                       "group");
        return;
    }
    size_t i, j;
    const json_t *e;
    json_array_foreach(counts, i, e)
    {
        char field[48];
        const char *sex = json_string_value(json_object_get(e, "sex"));
        const char *age = json_string_value(json_object_get(e, "age_group"));
        const json_t *n = json_object_get(e, "count");
        snprintf(field, sizeof field, "counts[%zu].sex", i);
        if (!one_of(sex, SEXES))
            awda_error_add(errors, field, "the sex is female or male");
        snprintf(field, sizeof field, "counts[%zu].age_group", i);
        if (!one_of(age, AWDA_AGE_GROUPS))
            awda_error_add(errors, field, "the age group is one of 0-4, 5-11, 12-17, 18-59, 60+");
        snprintf(field, sizeof field, "counts[%zu].count", i);
        if (!json_is_integer(n) || json_integer_value(n) < 0 ||
            json_integer_value(n) > AWDA_ACTIVITY_MAX_COUNT)
            awda_error_add(errors, field, "a whole number from 0 to %d", AWDA_ACTIVITY_MAX_COUNT);
        for (j = 0; sex && age && j < i; j++) {
            const json_t *o = json_array_get(counts, j);
            if (json_equal(json_object_get(o, "sex"), json_object_get(e, "sex")) &&
                json_equal(json_object_get(o, "age_group"), json_object_get(e, "age_group"))) {
                snprintf(field, sizeof field, "counts[%zu]", i);
                awda_error_add(errors, field, "this sex and age group is counted twice");
            }
        }
    }
}

static void check_cost(const json_t *cost, const json_t *line, json_t *errors)
{
    if (!cost || json_is_null(cost))
        return;
    const json_t *amount = json_object_get(cost, "amount_minor");
    const char *cur = json_string_value(json_object_get(cost, "currency"));
    const json_t *rate = json_object_get(cost, "rate");
    if (!json_is_object(cost)) {
        awda_error_add(errors, "cost", "the cost is {amount_minor, currency, rate?}");
        return;
    }
    if (!json_is_integer(amount) || json_integer_value(amount) < 0 ||
        json_integer_value(amount) > AWDA_MAX_MONEY_MINOR)
        awda_error_add(errors, "cost.amount_minor",
                       "the amount is a whole number of the currency's minor units (cents), "
                       "from 0");
    if (!cur || strlen(cur) != 3 || !awda_currency_valid(cur))
        awda_error_add(errors, "cost.currency",
                       "the currency is an ISO 4217 code of three capital letters, such as XOF");
    if (rate && !json_is_null(rate)) {
        const json_t *num = json_object_get(rate, "num"), *den = json_object_get(rate, "den");
        if (!json_is_integer(num) || !json_is_integer(den) || json_integer_value(num) < 1 ||
            json_integer_value(den) < 1 || json_integer_value(num) > AWDA_MAX_MONEY_MINOR ||
            json_integer_value(den) > AWDA_MAX_MONEY_MINOR)
            awda_error_add(errors, "cost.rate",
                           "the rate is a fraction {num, den} of whole numbers from 1: num units "
                           "of the cost's currency for den of the budget line's");
    }
    if (json_integer_value(amount) > 0 && (!line || json_is_null(line)))
        awda_error_add(errors, "budget_line", "a cost is charged to a budget line: name it");
}

typedef struct {
    const app_actor_t *a;
    const json_t *body;
} activity_ctx_t;

/* The person pks of the participants (visible to the actor) into pks;
 * problems into errors. STORE_ERR on a database error. */
static int resolve_participants(store_conn_t *c, const app_actor_t *a, const json_t *list,
                                int64_t *pks, json_t *errors)
{
    size_t i;
    const json_t *v;
    json_array_foreach(list, i, v)
    {
        char field[48];
        snprintf(field, sizeof field, "participants[%zu]", i);
        const char *id = json_string_value(v);
        int64_t pk = id && strlen(id) == 36 ? store_person_pk(c, id) : 0;
        json_t *p = pk ? store_person_get(c, pk, 1) : NULL;
        int visible = p && (a->system || app_person_visible(c, a, p));
        json_decref(p);
        pks[i] = visible ? pk : 0;
        if (!visible)
            awda_error_add(errors, field, "there is no person with this id");
        for (size_t j = 0; visible && j < i; j++)
            if (pks[j] == pk)
                awda_error_add(errors, field, "this person is named twice");
    }
    return STORE_OK;
}

static int create_job(store_conn_t *c, void *p, app_result_t *r)
{
    activity_ctx_t *x = p;
    const json_t *b = x->body;
    json_t *errors = json_array();
    const char *office = json_string_value(json_object_get(b, "office"));
    int64_t office_pk = store_office_pk(c, office);
    if (!office_pk)
        awda_error_add(errors, "office", "there is no office with the code %s", office);
    else if (!x->a->system && !app_all_offices(x->a) && !app_in_office(x->a, office_pk))
        awda_error_add(errors, "office", "you do not work for the office %s", office);
    const char *project = json_string_value(json_object_get(b, "project"));
    int64_t project_pk = project ? store_followup_project_pk(c, project) : 0;
    if (project && !project_pk)
        awda_error_add(errors, "project", "there is no project with this id");
    const char *line = json_string_value(json_object_get(b, "budget_line"));
    int64_t line_pk = 0;
    char line_cur[4] = "";
    if (line) {
        app_result_t lr = {0};
        line_pk = app_budget_line_find(c, line, line_cur, &lr);
        app_result_free(&lr);
        if (!line_pk)
            awda_error_add(errors, "budget_line", "there is no budget line with this id");
        else {
            int64_t lp = store_followup_line_project(c, line_pk);
            if (project_pk && lp != project_pk)
                awda_error_add(errors, "budget_line",
                               "this budget line belongs to another project than the activity's");
            project_pk = lp;
        }
    }
    const json_t *cost = json_object_get(b, "cost");
    const char *cur = json_string_value(json_object_get(cost, "currency"));
    const json_t *rate = json_object_get(cost, "rate");
    int64_t rnum = json_integer_value(json_object_get(rate, "num"));
    int64_t rden = json_integer_value(json_object_get(rate, "den"));
    if (line_pk && cur && strcmp(cur, line_cur) != 0 && !(rnum > 0 && rden > 0))
        awda_error_add(errors, "cost.rate",
                       "the budget line counts in %s: a cost in %s needs the rate it was "
                       "converted at",
                       line_cur, cur);
    const json_t *parts = json_object_get(b, "participants");
    size_t np = json_array_size(parts);
    int64_t *pks = np ? calloc(np, sizeof *pks) : NULL;
    if (np && !pks) {
        json_decref(errors);
        return STORE_ERR;
    }
    resolve_participants(c, x->a, parts, pks, errors);
    if (json_array_size(errors)) {
        free(pks);
        app_invalid(r, errors, "The activity is not valid");
        return STORE_ABORT;
    }
    json_decref(errors);
    char id[37];
    int64_t pk = 0;
    int rc = store_activity_insert(c, b, office_pk, project_pk, line_pk, x->a->p.pk, id, &pk);
    for (size_t i = 0; rc == STORE_OK && i < np; i++)
        rc = store_activity_participant_add(c, pk, pks[i]);
    free(pks);
    size_t i;
    const json_t *e;
    json_array_foreach(json_object_get(b, "counts"), i, e)
    {
        if (rc != STORE_OK)
            break;
        rc = store_activity_count_add(c, pk, json_string_value(json_object_get(e, "sex")),
                                      json_string_value(json_object_get(e, "age_group")),
                                      json_integer_value(json_object_get(e, "count")));
    }
    int64_t amount = json_integer_value(json_object_get(cost, "amount_minor"));
    if (rc == STORE_OK && line_pk && amount > 0) {
        app_ledger_ref_t ref = {0};
        ref.activity_pk = pk;
        int same = strcmp(cur, line_cur) == 0;
        rc = app_ledger_commit(c, x->a, line_pk, amount, cur, same ? 0 : rnum, same ? 0 : rden,
                               &ref, r);
        if (rc == STORE_ABORT && r->errors) {
            /* the ledger names its own fields: they are the cost's here */
            size_t k;
            json_t *pe;
            json_array_foreach(r->errors, k, pe)
            {
                const char *f = json_string_value(json_object_get(pe, "field"));
                char field[64];
                snprintf(field, sizeof field, "cost.%.40s", f ? f : "amount_minor");
                json_object_set_new(pe, "field", json_string(field));
            }
        }
    }
    if (rc != STORE_OK)
        return rc;
    if (!(r->body = store_activity_get(c, pk)))
        return STORE_ERR;
    snprintf(r->location, sizeof r->location, "/api/v1/activities/%s", id);
    r->version = json_integer_value(json_object_get(r->body, "version"));
    r->code = APP_CREATED;
    return STORE_OK;
}

void app_activity_create(app_t *app, const app_actor_t *a, const json_t *body, const char *idem_key,
                         const char *request_hash, app_result_t *r)
{
    json_t *errors = json_array();
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)body, k, v)
    {
        static const char *const KNOWN[] = {
            "kind",         "title",  "held_on", "office",      "country",
            "admin_area",   "pcode",  "project", "budget_line", "facilitators",
            "participants", "counts", "cost",    NULL};
        if (!one_of(k, KNOWN))
            awda_error_add(errors, k, "this field is not known");
    }
    const char *kind = followup_text(body, "kind", 1, 32, errors);
    if (kind && !one_of(kind, KINDS))
        awda_error_add(errors, "kind",
                       "the kind is one of: psychosocial_group, training, awareness, "
                       "community_event, workshop");
    followup_text(body, "title", 1, AWDA_FOLLOWUP_MAX_TEXT, errors);
    const char *on = followup_text(body, "held_on", 1, 10, errors);
    if (on)
        followup_date(on, "held_on", errors);
    followup_text(body, "office", 1, AWDA_MAX_SHORT, errors);
    const char *country = followup_text(body, "country", 1, 3, errors);
    if (country && !awda_country_valid(country, strlen(country)))
        awda_error_add(errors, "country", "the country is an ISO 3166 alpha-3 code, such as MLI");
    followup_text(body, "admin_area", 0, AWDA_FOLLOWUP_MAX_TEXT, errors);
    check_pcode(followup_text(body, "pcode", 0, AWDA_MAX_PCODE, errors), errors);
    followup_text(body, "project", 0, 36, errors);
    followup_text(body, "budget_line", 0, 36, errors);
    check_facilitators(json_object_get(body, "facilitators"), errors);
    const json_t *parts = json_object_get(body, "participants");
    if (parts && !json_is_null(parts) &&
        (!json_is_array(parts) || json_array_size(parts) > AWDA_ACTIVITY_MAX_PARTICIPANTS))
        awda_error_add(errors, "participants", "a list of at most %d person ids",
                       AWDA_ACTIVITY_MAX_PARTICIPANTS);
    check_counts(json_object_get(body, "counts"), errors);
    check_cost(json_object_get(body, "cost"), json_object_get(body, "budget_line"), errors);
    if (json_array_size(errors)) {
        app_invalid(r, errors, "The activity is not valid");
        return;
    }
    json_decref(errors);
    activity_ctx_t x = {a, body};
    app_run_idempotent(app, a, idem_key, request_hash, create_job, &x, r);
}

void app_activity_get(app_t *app, const app_actor_t *a, const char *id, app_result_t *r)
{
    store_conn_t *c = app_reader(app, r);
    if (!c)
        return;
    int64_t pk = 0, office_pk = 0;
    int rc = id && strlen(id) == 36 ? store_activity_find(c, id, &pk, &office_pk) : STORE_NOTFOUND;
    if (rc == STORE_ERR) {
        app_fail(r, APP_ERROR, "the activity could not be read");
        return;
    }
    if (rc != STORE_OK || !(a->system || app_in_office(a, office_pk))) {
        app_fail(r, APP_NOT_FOUND, "there is no activity with this id");
        return;
    }
    if (!(r->body = store_activity_get(c, pk))) {
        app_fail(r, APP_ERROR, "the activity could not be read");
        return;
    }
    r->version = json_integer_value(json_object_get(r->body, "version"));
    r->code = APP_OK;
}

void app_activity_list(app_t *app, const app_actor_t *a, const char *office, const char *project,
                       const char *from, const char *to, app_result_t *r)
{
    store_conn_t *c = app_reader(app, r);
    if (!c)
        return;
    json_t *errors = json_array();
    int64_t office_pk = 0, project_pk = 0;
    if (office && strlen(office) <= AWDA_MAX_SHORT)
        office_pk = store_office_pk(c, office);
    if (office && !office_pk)
        awda_error_add(errors, "office", "there is no office with the code %s", office);
    if (project && strlen(project) == 36)
        project_pk = store_followup_project_pk(c, project);
    if (project && !project_pk)
        awda_error_add(errors, "project", "there is no project with this id");
    awda_date_t d;
    if (from && (strlen(from) != 10 || awda_date_parse(from, 10, &d) != 3))
        awda_error_add(errors, "from", "write the date as YYYY-MM-DD");
    if (to && (strlen(to) != 10 || awda_date_parse(to, 10, &d) != 3))
        awda_error_add(errors, "to", "write the date as YYYY-MM-DD");
    if (json_array_size(errors)) {
        app_bad_request(r, errors, "check the parameters");
        return;
    }
    json_decref(errors);
    int all = a->system || app_all_offices(a);
    json_t *items = store_activity_list(c, a->p.offices, all ? -1 : a->p.noffices, office_pk,
                                        project_pk, from, to, AWDA_ACTIVITY_LIST_MAX);
    if (!items) {
        app_fail(r, APP_ERROR, "the activities could not be read");
        return;
    }
    r->body = json_pack("{s:o}", "items", items);
    r->code = APP_OK;
}
