/*
 * tmpapp.h — the application layer over a temporary database, for the
 * unit tests of use cases (tests/unit/test_app_*.c).
 *
 * tmpapp_setup (a cmocka setup) opens a temporary database (tmpdb.h),
 * makes an app_t over it with the default configuration, and adds the
 * offices EG-CAI (Egypt), ML-BKO (Mali) and SD-KRT (Sudan); tmpapp_teardown
 * frees the app and removes the database. tmpapp_actor makes an actor of
 * a user added with tmpdb_user, as a signed-in request would carry it;
 * tmpapp_system the command line's actor with full rights; tmpapp_register
 * registers a household of one through app_case_create. The use cases
 * are called directly, as the faces (http/, cli/) call them, after the
 * permission check the faces make (app_allowed), which these tests do
 * not repeat.
 */
#ifndef AWDA_TESTS_TMPAPP_H
#define AWDA_TESTS_TMPAPP_H
#include "tmpdb.h"
#include "../../src/app/app.h"

typedef struct {
    tmpdb_t *db;
    app_t *app;
} tmpapp_t;

static inline int tmpapp_setup(void **state)
{
    tmpapp_t *t = calloc(1, sizeof *t);
    assert_non_null(t);
    t->db = tmpdb_open();
    app_config_t cfg;
    memset(&cfg, 0, sizeof cfg);
    t->app = app_new(t->db->store, &cfg);
    assert_non_null(t->app);
    tmpdb_office(t->db, "EG-CAI", "EGY");
    tmpdb_office(t->db, "ML-BKO", "MLI");
    tmpdb_office(t->db, "SD-KRT", "SDN");
    *state = t;
    return 0;
}

static inline int tmpapp_teardown(void **state)
{
    tmpapp_t *t = *state;
    app_free(t->app);
    tmpdb_close(t->db);
    free(t);
    *state = NULL;
    return 0;
}

/* A user with roles and offices (JSON arrays, as tmpdb_user) as an actor. */
static inline void tmpapp_actor(tmpapp_t *t, const char *username, const char *roles,
                                const char *offices, app_actor_t *a)
{
    memset(a, 0, sizeof *a);
    tmpdb_user(t->db, username, roles, offices);
    tmpdb_principal(t->db, username, &a->p);
}

static inline void tmpapp_system(app_actor_t *a)
{
    memset(a, 0, sizeof *a);
    a->system = 1;
}

/* Today (UTC) as YYYY-MM-DD. */
static inline void tmpapp_today(char out[11])
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

/* Fails the test with the result's detail and field errors unless it has
 * the expected code. */
#define tmpapp_expect(r, expected)                                                                 \
    do {                                                                                           \
        if ((r)->code != (expected)) {                                                             \
            char *errs_ = (r)->errors ? json_dumps((r)->errors, JSON_COMPACT) : NULL;              \
            print_error("code %d, expected %d: %s %s\n", (int)(r)->code, (int)(expected),          \
                        (r)->detail, errs_ ? errs_ : "");                                          \
            free(errs_);                                                                           \
            fail();                                                                                \
        }                                                                                          \
    } while (0)

/* Registers a household of one (Hamid Musa, returning to Khartoum, Sudan)
 * in office as actor a; its id into id. */
static inline void tmpapp_register(tmpapp_t *t, const app_actor_t *a, const char *office,
                                   char id[37])
{
    json_t *b = tmpdb_json(
        "{\"origin_country\":\"SDN\",\"destination_country\":\"SDN\","
        "\"destination_admin_area\":\"Khartoum\",\"destination_pcode\":null,\"project\":null,"
        "\"assigned_to\":null,\"notes\":null,\"members\":[{\"relationship\":\"principal\","
        "\"person\":{\"name\":\"Hamid Musa\",\"name_latin\":\"Hamid Musa\",\"sex\":\"male\","
        "\"date_of_birth\":\"1985-03-02\",\"dob_precision\":\"exact\",\"nationality\":\"SDN\","
        "\"languages\":[\"ar\"],\"documents\":[],\"contact\":null,\"vulnerabilities\":[]}}]}");
    json_object_set_new(b, "office", json_string(office));
    app_result_t r;
    memset(&r, 0, sizeof r);
    app_case_create(t->app, a, b, NULL, NULL, &r);
    json_decref(b);
    tmpapp_expect(&r, APP_CREATED);
    snprintf(id, 37, "%s", json_string_value(json_object_get(r.body, "id")));
    app_result_free(&r);
}

/* 1 when the result's field errors name field. */
static inline int tmpapp_has_error(const app_result_t *r, const char *field)
{
    size_t i;
    json_t *e;
    json_array_foreach(r->errors, i, e)
    {
        if (strcmp(json_string_value(json_object_get(e, "field")), field) == 0)
            return 1;
    }
    return 0;
}

#endif
