/*
 * sharing.c — what leaves the organisation: referrals to partners and
 * aggregate figures for donors.
 *
 * Sharing with a third party needs that person's consent to share with
 * that recipient. A referral is a journey record (kind "referral",
 * core/records.c); records.c refuses to record one, with 403
 * "consent-required", unless the person's latest consent to share
 * ("data_sharing") with the named partner is newer than any withdrawal of
 * it (store_sharing_consent). The partner is named by the id of its
 * record (partners.c). A partner user (role partner, with the partner
 * organisation they work for) lists the referrals addressed to their
 * organisation — and only those whose person still consents: a consent
 * withdrawn after the referral hides it again. They see the person's
 * names, sex, date of birth, nationality, languages and contact; never
 * documents, vulnerabilities, the case, or anything sealed.
 *
 * Medical detail leaves only the same way: the medical officer gets, for
 * an escort or a receiving medical provider, the latest health assessment
 * of each member who consented to share medical data with that recipient
 * (purpose "medical_data_sharing"); the others are listed as withheld.
 *
 * Donors, M&E and managers read aggregates: counts by stage, office,
 * destination, sex, nationality and closure reason. A count of 1 or 2 in
 * a small office can identify a person, and hiding it is not enough: the
 * breakdowns of one population share its total (cases by stage, office
 * and destination; persons by sex and nationality), so one hidden cell
 * is the total minus the cells shown. Disclosure control (protect()):
 *
 *   - a value counted fewer than STATS_MIN_CELL times is never named;
 *   - such values are reported together, as one "combined" row, which
 *     holds at least two values and at least STATS_MIN_CELL; until it
 *     does, the smallest named value joins it (so the combined row minus
 *     any total still mixes two or more unnamed values);
 *   - a breakdown whose values cannot make such a row (its total is below
 *     STATS_MIN_CELL) is withheld whole: one row, count null;
 *   - the closed cases by reason add up to the "closed" stage: that stage
 *     joins the combined row only when nothing else can, and then the
 *     reasons are withheld, or they would give it back.
 *
 * What is shown adds up to the true totals, and no value below the
 * threshold can be named or worked out from the rows and their totals.
 */
#include "internal.h"
#include "../util/limits.h"
#include "../util/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STATS_MIN_CELL 5

void app_referral_list(app_t *app, const app_actor_t *a, const char *cursor, const char *limit,
                       app_result_t *r)
{
    store_conn_t *c = app_reader(app, r);
    if (!c)
        return;
    long long lim, cur;
    json_t *errors = json_array();
    app_parse_page(limit, cursor, errors, &lim, &cur);
    if (json_array_size(errors)) {
        app_bad_request(r, errors, "check the parameters");
        return;
    }
    json_decref(errors);
    json_t *me = store_user_get(c, a->p.username);
    const char *org = json_string_value(json_object_get(me, "organisation"));
    json_t *partner = org ? app_partner_ref(c, org, "organisation", NULL) : NULL;
    if (!partner) {
        json_decref(me);
        app_fail(r, APP_FORBIDDEN,
                 "your account names no partner organisation; ask an administrator to set it");
        return;
    }
    int64_t last = 0;
    json_t *page = store_referrals_for(c, org, cur, (int)lim, &last);
    json_t *items = json_array();
    size_t i;
    json_t *it;
    json_array_foreach(page, i, it)
    {
        int64_t ppk = json_integer_value(json_object_get(it, "_person_pk"));
        json_object_del(it, "_person_pk");
        if (store_sharing_consent(c, ppk, "data_sharing", org) == 1)
            json_array_append(items, it);
    }
    char next[32];
    snprintf(next, sizeof next, "%lld", (long long)last);
    r->body =
        json_pack("{s:O,s:s,s:o,s:o}", "organisation", json_object_get(partner, "name"),
                  "partner_id", org, "items", items, "next_cursor",
                  json_array_size(page) == (size_t)lim && last ? json_string(next) : json_null());
    json_decref(page);
    json_decref(partner);
    json_decref(me);
    r->code = APP_OK;
}

/* The whole breakdown withheld: one row, count null. */
static json_t *withheld(void)
{
    return json_pack("[{s:n,s:n,s:b,s:b}]", "key", "count", "combined", 1, "suppressed", 1);
}

/* Disclosure control of one breakdown (see the top of this file): a new
 * array of the named rows (each counted at least STATS_MIN_CELL times) in
 * their order, then the combined row, or the withheld row. The key avoid
 * (or NULL) joins the combined row only when nothing else can; *joined
 * says whether it did. Caller owns the result. */
static json_t *protect(const json_t *cells, const char *avoid, int *joined)
{
    size_t n = json_array_size(cells);
    if (joined)
        *joined = 0;
    unsigned char *hidden = n <= AWDA_STATS_MAX_ROWS ? calloc(n + 1, 1) : NULL;
    if (!hidden)
        return withheld();
    json_int_t sum = 0;
    size_t nh = 0;
    for (size_t i = 0; i < n; i++) {
        json_int_t v = json_integer_value(json_object_get(json_array_get(cells, i), "count"));
        hidden[i] = v < STATS_MIN_CELL;
        if (hidden[i]) {
            sum += v;
            nh++;
        }
    }
    /* The smallest named value joins the combined row until it holds two
     * values and enough people; the avoided key goes last. */
    while (nh > 0 && (nh < 2 || sum < STATS_MIN_CELL)) {
        size_t pick = n;
        for (int pass = 0; pass < 2 && pick == n; pass++) {
            for (size_t i = 0; i < n; i++) {
                const json_t *cell = json_array_get(cells, i);
                const char *key = json_string_value(json_object_get(cell, "key"));
                int avoided = avoid && key && strcmp(key, avoid) == 0;
                if (hidden[i] || (pass == 0 && avoided))
                    continue;
                if (pick == n ||
                    json_integer_value(json_object_get(cell, "count")) <
                        json_integer_value(json_object_get(json_array_get(cells, pick), "count")))
                    pick = i;
            }
        }
        if (pick == n)
            break; /* every value is hidden and still too few */
        const char *key = json_string_value(json_object_get(json_array_get(cells, pick), "key"));
        if (joined && avoid && key && strcmp(key, avoid) == 0)
            *joined = 1;
        hidden[pick] = 1;
        sum += json_integer_value(json_object_get(json_array_get(cells, pick), "count"));
        nh++;
    }
    if (nh > 0 && (nh < 2 || sum < STATS_MIN_CELL)) {
        free(hidden);
        return withheld();
    }
    json_t *out = json_array();
    for (size_t i = 0; i < n; i++)
        if (!hidden[i])
            json_array_append(out, json_array_get(cells, i));
    free(hidden);
    if (nh > 0)
        json_array_append_new(
            out, json_pack("{s:n,s:I,s:b}", "key", "count", (json_int_t)sum, "combined", 1));
    return out;
}

void app_statistics(app_t *app, const app_actor_t *a, app_result_t *r)
{
    (void)a;
    store_conn_t *c = app_reader(app, r);
    if (!c)
        return;
    json_t *s = store_statistics(c);
    if (!s) {
        app_fail(r, APP_ERROR, "the figures could not be counted");
        return;
    }
    /* The closed stage is the total of the closure reasons: the stages
     * first, then the reasons, withheld when the closed stage is not
     * shown only because it was needed to hide another. */
    int closed_joined = 0;
    json_object_set_new(s, "cases_by_stage",
                        protect(json_object_get(s, "cases_by_stage"), "closed", &closed_joined));
    const char *k;
    json_t *arr;
    void *tmp;
    json_object_foreach_safe(s, tmp, k, arr)
    {
        if (strcmp(k, "cases_by_stage") == 0)
            continue;
        if (strcmp(k, "cases_closed_by_reason") == 0 && closed_joined)
            json_object_set_new(s, k, withheld());
        else
            json_object_set_new(s, k, protect(arr, NULL, NULL));
    }
    char now[32];
    awda_iso_ms(awda_now_ms(), now);
    json_object_set_new(s, "suppressed_below", json_integer(STATS_MIN_CELL));
    json_object_set_new(s, "generated_at", json_string(now));
    r->body = s;
    r->code = APP_OK;
}

void app_medical_summary(app_t *app, const app_actor_t *a, const char *case_id,
                         const char *recipient, app_result_t *r)
{
    store_conn_t *c = app_reader(app, r);
    if (!c)
        return;
    if (!recipient || !*recipient || strlen(recipient) > AWDA_MAX_SHORT) {
        json_t *e = json_array();
        awda_error_add(e, "recipient",
                       "say to whom the medical detail goes: the escort or the receiving "
                       "medical provider named in the person's consent");
        app_bad_request(r, e, "check the parameters");
        return;
    }
    store_case_row_t row;
    json_t *caze = app_read_case(c, a, case_id, &row, r);
    if (!caze)
        return;
    int64_t pk = row.pk;
    json_t *records = store_record_list(c, pk, "health_assessment");
    json_t *persons = json_array(), *withheld = json_array();
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(caze, "members"), i, m)
    {
        const char *pid = json_string_value(json_object_get(m, "person_id"));
        json_t *p = json_object_get(m, "person");
        char name[AWDA_MAX_NAME + 1];
        awda_person_display(p, name, sizeof name);
        if (store_sharing_consent(c, store_person_pk(c, pid), "medical_data_sharing", recipient) !=
            1) {
            json_array_append_new(withheld, json_pack("{s:s,s:s}", "person_id", pid, "name", name));
            continue;
        }
        /* The latest assessment (records come oldest first). */
        json_t *latest = NULL;
        size_t k;
        json_t *rec;
        json_array_foreach(records, k, rec)
        {
            if (strcmp(json_string_value(json_object_get(rec, "person_id")), pid) == 0)
                latest = rec;
        }
        json_array_append_new(
            persons, json_pack("{s:s,s:s,s:O,s:O}", "person_id", pid, "name", name, "date_of_birth",
                               json_object_get(p, "date_of_birth"), "health_assessment",
                               latest ? app_redact_record(a, latest) : json_null()));
    }
    if (json_array_size(persons) == 0) {
        app_fail(r, APP_NO_CONSENT,
                 "nobody in this case consented to share their medical data with %s", recipient);
    } else {
        char now[32];
        awda_iso_ms(awda_now_ms(), now);
        r->body = json_pack("{s:s,s:O,s:s,s:s,s:O,s:O}", "case_id", case_id, "number",
                            json_object_get(caze, "number"), "recipient", recipient, "generated_at",
                            now, "persons", persons, "withheld", withheld);
        r->code = APP_OK;
    }
    json_decref(persons);
    json_decref(withheld);
    json_decref(records);
    json_decref(caze);
}
