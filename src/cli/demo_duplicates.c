/*
 * demo_duplicates.c — possible duplicates in the demo dataset (issue 13):
 * the humans of data/demo/duplicates.json registered twice, as offices do
 * — in Arabic script in one office and in French transliteration in
 * another, with a typo, the family name first, a date of birth with day
 * and month exchanged. Each registration is a case created through the
 * application layer (app_case_create, as the system actor, every field
 * rule applying); then the second registrations are flagged by the
 * duplicates module (app_duplicates_flag), which writes the pairs it
 * finds to the review queue — so `make run` shows a queue to review,
 * merge and undo. Called once by the demo driver (demo.c), last.
 */
#include "demo_int.h"
#include "../app/duplicates.h"
#include "../util/id.h"
#include "../util/limits.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* The most registrations read from the file (twice as many cases). */
#define DEMO_DUPLICATES_MAX 64

/* Registers one case of the person in office; copies the person's id
 * into id (when id is not NULL). 0, or -1 after reporting why. */
static int register_one(app_t *app, const app_actor_t *sys, const json_t *reg, size_t i,
                        char id[AWDA_UUID_LEN + 1])
{
    const json_t *person = json_object_get(reg, "person");
    const char *nat = json_string_value(json_object_get(person, "nationality"));
    json_t *members = json_array();
    demo_member_add(members, "principal", json_deep_copy(person));
    json_t *body =
        json_pack("{s:O,s:s,s:s,s:o,s:s}", "office", json_object_get(reg, "office"),
                  "origin_country", nat ? nat : "", "destination_country", nat ? nat : "",
                  "members", members, "notes", "registered again in another office");
    app_result_t r = {0};
    app_case_create(app, sys, body, NULL, NULL, &r);
    json_decref(body);
    json_t *caze = r.code == APP_CREATED ? app_result_body(&r) : NULL;
    const char *pid = json_string_value(
        json_object_get(json_array_get(json_object_get(caze, "members"), 0), "person_id"));
    int rc = pid && strlen(pid) <= AWDA_UUID_LEN ? 0 : -1;
    if (rc) {
        char what[80];
        snprintf(what, sizeof what, "duplicates.json: registration %zu", i);
        demo_report(what, &r);
    } else if (id) {
        snprintf(id, AWDA_UUID_LEN + 1, "%s", pid);
    }
    app_result_free(&r);
    return rc;
}

int demo_load_duplicates(app_t *app, const app_actor_t *sys, const char *dir)
{
    if (!demo_file_exists(dir, "duplicates.json"))
        return 0; /* a dataset without duplicates */
    json_t *d = demo_json_file(dir, "duplicates.json", 0);
    if (!d)
        return -1;
    json_t *regs = json_object_get(d, "registrations");
    if (!json_is_array(regs) || json_array_size(regs) > DEMO_DUPLICATES_MAX) {
        fprintf(stderr,
                "awda demo: %s/duplicates.json: must hold \"registrations\": [...] (at most 64)\n",
                dir);
        json_decref(d);
        return -1;
    }
    char again[DEMO_DUPLICATES_MAX][AWDA_UUID_LEN + 1];
    const char *ids[DEMO_DUPLICATES_MAX];
    size_t n = 0, i;
    json_t *reg;
    int rc = 0;
    json_array_foreach(regs, i, reg)
    {
        if (register_one(app, sys, json_object_get(reg, "first"), i, NULL) ||
            register_one(app, sys, json_object_get(reg, "again"), i, again[n])) {
            rc = -1;
            break;
        }
        ids[n] = again[n];
        n++;
    }
    json_decref(d);
    if (rc)
        return rc;
    long flagged = app_duplicates_flag_ids(app, ids, n, "registration");
    if (flagged < 0) {
        fprintf(stderr, "awda demo: the possible duplicates could not be flagged\n");
        return -1;
    }
    fprintf(stderr, "awda demo: %zu persons registered twice, %ld possible duplicates to review\n",
            n, flagged);
    return 0;
}
