/*
 * dashboard.c — the first screen of case staff in one answer
 * (GET /api/v1/dashboard), so that a slow line pays for one round trip
 * instead of a couple of dozen.
 *
 * It is assembled from the use cases the separate endpoints run, with
 * the same scoping (app_case_list, app_case_counts, app_case_readiness,
 * app_restriction_list), inside the one read transaction the router (http/router.c) opens for
 * a GET, so the parts agree with each other:
 *
 *   by_stage, total       app_case_counts over every case the user sees;
 *   mine                  the newest DASH_MINE cases waiting for the user,
 *                         by the rule of GET /cases?waiting=me (assigned
 *                         to the user, at a stage from which the user's
 *                         roles take a step forward, in the office that
 *                         takes it: app_waiting_filter), each with its
 *                         next step: the first forward step (not "side"
 *                         in the readiness) the user may take, else the
 *                         first forward step, with how many of its
 *                         requirements are unmet ("stopped" when no step
 *                         leads forward);
 *   overdue_reviews       restrictions whose review date has passed, for
 *                         the roles that may read restrictions (null for
 *                         the others);
 *   plans_overdue         cases at `arrived` with no approved reintegration
 *                         plan AWDA_PLAN_DUE_DAYS after arrival, oldest
 *                         first, for the roles that read plans (null for
 *                         the others; app_plans_overdue, app/plans.c);
 *   preembarkation        booked cases leaving within DASH_PREEMBARK_DAYS
 *                         days (or already past their date) whose
 *                         pre-embarkation health check is still missing,
 *                         soonest first. The check is a requirement of
 *                         boarding (the step "depart", from booked), not
 *                         of booking, so only a booked case's readiness
 *                         can say it is missing: ready cases are not read
 *                         (nor audited) for it.
 *
 * Audit: the router (http/router.c) records the request itself; every case whose detail
 * (readiness) was read for the answer gets its own audit record too,
 * under this route, exactly as if the readiness had been asked for
 * separately — so "who looked at this case" stays complete.
 */
#include "internal.h"
#include "plans.h"
#include "../util/limits.h"
#include "../util/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DASH_MINE           8 /* cases waiting for me, with their next step */
#define DASH_PREEMBARK_DAYS 7 /* departures this close need their check soon */
#define DASH_PREEMBARK_MAX  8 /* pre-embarkation checks listed */
#define DASH_ROUTE          "/api/v1/dashboard"

/* The readiness of one case (NULL when it cannot be read), audited. */
static json_t *readiness(app_t *app, const app_actor_t *a, const char *addr, const char *id)
{
    app_result_t r = {0};
    app_case_readiness(app, a, id, &r);
    json_t *body = r.code == APP_OK ? json_incref(r.body) : NULL;
    app_audit(app, a, NULL, addr, "GET", DASH_ROUTE, id, r.code == APP_OK ? 200 : 404);
    app_result_free(&r);
    return body;
}

/* {event, to, allowed, missing} of the step the dashboard names, or NULL
 * (none forward: every possible step is a side step, such as withdraw or
 * hold). */
static json_t *next_step(const json_t *rd)
{
    const json_t *pick = NULL;
    size_t i;
    json_t *n;
    json_array_foreach(json_object_get(rd, "next"), i, n)
    {
        if (json_is_true(json_object_get(n, "side")))
            continue;
        if (!pick)
            pick = n;
        if (json_is_true(json_object_get(n, "allowed"))) {
            pick = n;
            break;
        }
    }
    if (!pick)
        return NULL;
    return json_pack("{s:O,s:O,s:O,s:O}", "event", json_object_get(pick, "event"), "to",
                     json_object_get(pick, "to"), "allowed", json_object_get(pick, "allowed"),
                     "missing", json_object_get(pick, "missing"));
}

/* 1 when some step of rd has the pre-embarkation check unmet. */
static int preembark_missing(const json_t *rd)
{
    size_t i, k;
    json_t *n, *q;
    json_array_foreach(json_object_get(rd, "next"), i, n)
    {
        json_array_foreach(json_object_get(n, "requirements"), k, q)
        {
            const char *code = json_string_value(json_object_get(q, "code"));
            if (code && strcmp(code, "health.pre_embarkation") == 0 &&
                !json_is_true(json_object_get(q, "met")))
                return 1;
        }
    }
    return 0;
}

/* The list body of a case query (at a stage, or waiting for me), or NULL
 * (the problem is in r). */
static json_t *cases(app_t *app, const app_actor_t *a, const char *stage, const char *waiting,
                     const char *limit, app_result_t *out)
{
    app_case_query_t q = {0};
    q.stage = stage;
    q.waiting = waiting;
    q.limit = limit;
    app_result_t r = {0};
    app_case_list(app, a, &q, &r);
    json_t *body = NULL;
    if (r.code == APP_OK) {
        if (!(body = json_incref(app_result_body(&r))))
            app_fail(out, APP_ERROR, "the cases could not be read");
    } else if (r.detail[0])
        app_fail(out, r.code, "%s", r.detail);
    else
        app_fail(out, r.code, "the cases could not be read");
    app_result_free(&r);
    return body;
}

static int by_departure(const void *x, const void *y)
{
    const char *a = json_string_value(json_object_get(*(json_t *const *)x, "planned_departure"));
    const char *b = json_string_value(json_object_get(*(json_t *const *)y, "planned_departure"));
    return strcmp(a ? a : "", b ? b : "");
}

/* Booked cases leaving soon without their pre-embarkation check, soonest
 * first, at most DASH_PREEMBARK_MAX. */
static json_t *preembarkation(app_t *app, const app_actor_t *a, const char *addr, app_result_t *r)
{
    static const char *const STAGES[] = {"booked"};
    char limit[16];
    snprintf(limit, sizeof limit, "%d", AWDA_LIST_MAX);
    int64_t soon = awda_now_ms() + (int64_t)DASH_PREEMBARK_DAYS * 86400000;
    json_t *leaving = json_array();
    for (size_t s = 0; s < sizeof STAGES / sizeof STAGES[0]; s++) {
        json_t *list = cases(app, a, STAGES[s], NULL, limit, r);
        if (!list) {
            json_decref(leaving);
            return NULL;
        }
        size_t i;
        json_t *c;
        json_array_foreach(json_object_get(list, "items"), i, c)
        {
            const char *dep = json_string_value(json_object_get(c, "planned_departure"));
            int64_t ms;
            if (dep && awda_datetime_parse(dep, strlen(dep), &ms) == 0 && ms <= soon)
                json_array_append(leaving, c);
        }
        json_decref(list);
    }
    size_t n = json_array_size(leaving);
    json_t **v = n ? calloc(n, sizeof *v) : NULL;
    for (size_t i = 0; i < n && v; i++)
        v[i] = json_array_get(leaving, i);
    if (v)
        qsort(v, n, sizeof *v, by_departure);
    json_t *out = json_array();
    for (size_t i = 0; v && i < n && json_array_size(out) < DASH_PREEMBARK_MAX; i++) {
        json_t *rd = readiness(app, a, addr, json_string_value(json_object_get(v[i], "id")));
        if (rd && preembark_missing(rd))
            json_array_append(out, v[i]);
        json_decref(rd);
    }
    free(v);
    json_decref(leaving);
    return out;
}

void app_dashboard(app_t *app, const app_actor_t *a, const char *addr, app_result_t *r)
{
    app_result_t counts = {0};
    app_case_counts(app, a, NULL, &counts);
    if (counts.code != APP_OK) {
        app_fail(r, counts.code, "the counts could not be read");
        app_result_free(&counts);
        return;
    }
    json_t *body = json_pack("{s:O,s:O}", "by_stage", json_object_get(counts.body, "by_stage"),
                             "total", json_object_get(counts.body, "total"));
    app_result_free(&counts);

    char limit[16];
    snprintf(limit, sizeof limit, "%d", DASH_MINE);
    json_t *mine = cases(app, a, NULL, "me", limit, r);
    if (!mine)
        goto fail;
    json_t *items = json_array();
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(mine, "items"), i, c)
    {
        json_t *it = json_deep_copy(c);
        json_t *rd = readiness(app, a, addr, json_string_value(json_object_get(c, "id")));
        json_t *step = rd ? next_step(rd) : NULL;
        json_object_set_new(it, "next", step ? step : json_null());
        json_object_set_new(it, "stopped", json_boolean(rd && !step));
        json_decref(rd);
        json_array_append_new(items, it);
    }
    json_object_set_new(body, "mine", items);
    json_object_set_new(body, "mine_more",
                        json_boolean(!json_is_null(json_object_get(mine, "next_cursor")) &&
                                     json_object_get(mine, "next_cursor")));
    json_decref(mine);

    json_t *overdue = json_null();
    if (app_allowed(a, PERM_RESTRICTION_READ)) {
        app_result_t rr = {0};
        app_restriction_list(app, a, "true", &rr);
        if (rr.code != APP_OK) {
            app_fail(r, rr.code, "the restrictions could not be read");
            app_result_free(&rr);
            goto fail;
        }
        overdue = json_incref(json_object_get(rr.body, "items"));
        app_result_free(&rr);
    }
    json_object_set_new(body, "overdue_reviews", overdue);

    /* reintegration plans: the plans overdue */
    json_t *late = json_null();
    if (app_allowed(a, PERM_PLAN_READ)) {
        app_result_t pr = {0};
        app_plans_overdue(app, a, &pr);
        if (pr.code != APP_OK) {
            app_fail(r, pr.code, "the plans overdue could not be read");
            app_result_free(&pr);
            goto fail;
        }
        late = json_incref(json_object_get(pr.body, "items"));
        app_result_free(&pr);
    }
    json_object_set_new(body, "plans_overdue", late);

    json_t *pre = preembarkation(app, a, addr, r);
    if (!pre)
        goto fail;
    json_object_set_new(body, "preembarkation", pre);
    json_object_set_new(body, "preembarkation_days", json_integer(DASH_PREEMBARK_DAYS));
    r->body = body;
    r->code = APP_OK;
    return;
fail:
    json_decref(body);
}
