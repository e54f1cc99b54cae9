/*
 * retention.c — keeping personal data no longer than needed.
 *
 * The policy is per kind of case, from the configuration: a case closed
 * for retention_closed_years (default 5), or withdrawn for
 * retention_withdrawn_years (default 2), is anonymised: the store removes
 * irreversibly what names or reaches a person (names, contact, documents,
 * day and month of birth, free text, medical and protection detail) and
 * keeps the statistical fields (stage, office, countries, dates, closure
 * reason, sex, year of birth, nationality, vulnerability flags), so the
 * programme's figures stay true. The database's writer connection runs
 * with secure_delete, so removed values are overwritten on disk, not just
 * unlinked.
 *
 * A dry run lists what would change and changes nothing. A real run
 * anonymises each case in its own transaction (a crash leaves every case
 * either untouched or fully anonymised), adds "anonymised" to the case's
 * timeline and records it in the audit log as done by "retention". The
 * server runs it once a day (app_housekeeping); `awda retention run`
 * runs it at once.
 */
#include "internal.h"
#include "../util/timeutil.h"
#include <stdio.h>
#include <string.h>

/* Cases handled per policy per run: a backlog is worked off over days. */
#define RETENTION_BATCH 5000

typedef struct {
    int64_t case_pk;
    int persons;
    int64_t now;
} anon_ctx_t;

static int anonymise_job(store_conn_t *c, void *p, app_result_t *r)
{
    anon_ctx_t *x = p;
    int rc = store_case_anonymise(c, x->case_pk, x->now, &x->persons);
    if (rc == STORE_OK) {
        json_t *ev =
            json_pack("{s:s,s:i}", "reason", "retention period over", "persons", x->persons);
        rc = store_event_append(c, x->case_pk, 0, "anonymised", ev);
        json_decref(ev);
    }
    r->code = rc == STORE_OK ? APP_OK : rc == STORE_NOTFOUND ? APP_NOT_FOUND : APP_ERROR;
    return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

void app_retention_run(app_t *app, int dry_run, int64_t now_ms, app_result_t *r)
{
    store_conn_t *c = app_reader(app, r);
    if (!c)
        return;
    const struct {
        const char *stage;
        int years;
    } policy[] = {
        {"closed", app->cfg.retention_closed_years},
        {"withdrawn", app->cfg.retention_withdrawn_years},
    };
    json_t *cases = json_array();
    int anonymised = 0, persons = 0, failed = 0;
    for (size_t i = 0; i < sizeof policy / sizeof policy[0]; i++) {
        int64_t before = now_ms - (int64_t)policy[i].years * 365 * 24 * 3600 * 1000;
        store_read_begin(c);
        json_t *due = store_retention_due(c, policy[i].stage, before, RETENTION_BATCH);
        store_read_end(c);
        size_t k;
        json_t *cs;
        json_array_foreach(due, k, cs)
        {
            const char *id = json_string_value(json_object_get(cs, "id"));
            if (!dry_run) {
                int64_t pk = 0, opk = 0, ver = 0;
                if (store_case_find(c, id, &pk, &opk, &ver) != STORE_OK)
                    continue;
                anon_ctx_t x = {pk, 0, now_ms};
                app_result_t jr = {0};
                app_run(app, anonymise_job, &x, &jr);
                int ok = jr.code == APP_OK;
                app_result_free(&jr);
                if (!ok) {
                    failed++;
                    continue;
                }
                anonymised++;
                persons += x.persons;
                json_object_set_new(cs, "persons_anonymised", json_integer(x.persons));
                app_audit(app, NULL, "retention", "", "RETENTION", "anonymise case", id, 200);
            }
            json_object_set_new(cs, "policy_years", json_integer(policy[i].years));
            json_array_append(cases, cs);
        }
        json_decref(due);
    }
    r->body = json_pack("{s:b,s:i,s:i,s:i,s:o}", "dry_run", dry_run, "cases_due",
                        (int)json_array_size(cases), "cases_anonymised", anonymised,
                        "persons_anonymised", persons, "cases", cases);
    if (failed)
        app_fail(r, APP_ERROR, "%d case(s) could not be anonymised; see the log", failed);
    else
        r->code = APP_OK;
}
