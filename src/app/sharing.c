/*
 * sharing.c — what leaves the organisation: referrals to partners and
 * aggregate figures for donors.
 *
 * Sharing with a third party needs that person's consent to share with
 * that recipient. A referral is a journey record (kind "referral",
 * core/records.c); journey.c refuses to record one, with 403
 * "consent-required", unless the person's latest consent to share
 * ("data_sharing") with the named partner is newer than any withdrawal of
 * it (store_sharing_consent). A partner user (role partner, with the
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
 * destination, sex, nationality and closure reason, with every count
 * below STATS_MIN_CELL suppressed (a count of 1 or 2 in a small office can
 * identify a person).
 */
#include "internal.h"
#include "../util/limits.h"
#include "../util/timeutil.h"
#include <stdio.h>
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
    if (!org || !*org) {
        json_decref(me);
        app_fail(r, APP_FORBIDDEN,
                 "your account names no organisation; ask an administrator to set it");
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
        json_pack("{s:s,s:o,s:o}", "organisation", org, "items", items, "next_cursor",
                  json_array_size(page) == (size_t)lim && last ? json_string(next) : json_null());
    json_decref(page);
    json_decref(me);
    r->code = APP_OK;
}

void app_statistics(app_t *app, const app_actor_t *a, app_result_t *r)
{
    (void)a;
    store_conn_t *c = app_reader(app, r);
    if (!c)
        return;
    json_t *s = store_statistics(c);
    const char *k;
    json_t *arr;
    json_object_foreach(s, k, arr)
    {
        size_t i;
        json_t *cell;
        json_array_foreach(arr, i, cell)
        {
            json_int_t n = json_integer_value(json_object_get(cell, "count"));
            if (n > 0 && n < STATS_MIN_CELL) {
                json_object_set_new(cell, "count", json_null());
                json_object_set_new(cell, "suppressed", json_true());
            }
        }
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
    int64_t pk, office_pk, version;
    if (!app_find_case(c, a, case_id, &pk, &office_pk, &version, r))
        return;
    json_t *caze = store_case_get(c, pk);
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
