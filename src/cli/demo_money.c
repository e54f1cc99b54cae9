/*
 * demo_money.c — the money of the demo dataset: the programmes and
 * projects of data/demo/money.json (the EU-IOM Joint Initiative; the Mali
 * psychosocial support project, USD 280,000 for 5,000 beneficiaries in
 * Bamako, Kita and Kayes, in four budget lines), created through the
 * application layer (app_programme_create, app_project_create) as the
 * system actor, so every field rule applies. Called once by the demo
 * driver (demo.c) after the cases.
 */
#include "demo_int.h"
#include "../app/money.h"
#include "../util/limits.h"
#include <jansson.h>
#include <stdio.h>

int demo_load_money(app_t *app, const app_actor_t *sys, const char *dir)
{
    if (!demo_file_exists(dir, "money.json"))
        return 0; /* a dataset without money */
    json_t *m = demo_json_file(dir, "money.json", 0);
    if (!m)
        return -1;
    int rc = 0;
    size_t i, nproj = 0;
    json_t *o;
    json_array_foreach(json_object_get(m, "programmes"), i, o)
    {
        app_result_t r = {0};
        app_programme_create(app, sys, o, &r);
        if (r.code != APP_CREATED) {
            demo_report("money.json: programme", &r);
            rc = -1;
        }
        app_result_free(&r);
        if (rc)
            break;
    }
    json_array_foreach(json_object_get(m, "projects"), i, o)
    {
        if (rc)
            break;
        app_result_t r = {0};
        app_project_create(app, sys, o, &r);
        if (r.code != APP_CREATED) {
            demo_report("money.json: project", &r);
            rc = -1;
        } else
            nproj++;
        app_result_free(&r);
    }
    if (rc == 0)
        fprintf(stderr, "awda demo: %zu programmes, %zu projects with their budget lines loaded\n",
                json_array_size(json_object_get(m, "programmes")), nproj);
    json_decref(m);
    return rc;
}
