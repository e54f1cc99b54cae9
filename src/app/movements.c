/*
 * movements.c — the use cases of a movement itself: list, read, create,
 * change, cancel; and what the other movement_*.c files share (finding a
 * movement within the actor's scope, the table of what each status
 * allows and its check, the If-Match check, the answer with its "steps"
 * and "open"). See movements.h.
 *
 * Legs: each leg says where from and where to (IATA airport codes, three
 * capital letters, for air movements; a place for land and sea), the
 * flight or vehicle number, and its departure and arrival as the local
 * time the ticket shows ("2026-12-20T06:30") with the IANA zone of the
 * place ("Africa/Algiers"). ICU turns each into UTC (ucal_open on the
 * zone; a zone ICU does not know as a system zone is refused on its
 * field). Legs must chain (leg i arrives where leg i+1 departs), each
 * arrives after it departs and departs after the one before arrived. The
 * movement's departure and arrival are its first leg's and its last's.
 *
 * Every write is one job on the writer (app_run); the checks that depend
 * on the movement's row (scope, status, version) are made inside it.
 */
#include "movements.h"
#include "internal.h"
#include "../core/field.h"
#include "../util/id.h"
#include "../util/limits.h"
#include "../util/timeutil.h"
#include <stdio.h>
#include <string.h>
#include <unicode/ucal.h>
#include <unicode/ustring.h>

const char *const APP_MOVEMENT_TYPES[] = {"charter", "scheduled_flight", "land", "sea", NULL};

/* The one table of a movement's statuses, in the order of its life, with
 * what each allows (MOVEMENT_* of movements.h): the server's checks read
 * it (movement_allows, movement_allows_of), and so does the interface,
 * through each movement's "steps", "open" and "care". */
#define CARE_ALL (MOVEMENT_ASSISTANCE | MOVEMENT_ONWARD | MOVEMENT_ALLOWANCE)
#define MOVEMENT_STATUS_TABLE(X)                                                                   \
    X("planned", MOVEMENT_CONFIRM | MOVEMENT_CANCEL | MOVEMENT_OPEN | CARE_ALL)                    \
    X("confirmed", MOVEMENT_DEPART | MOVEMENT_CANCEL | MOVEMENT_OPEN | CARE_ALL)                   \
    X("departed", MOVEMENT_ARRIVE | CARE_ALL)                                                      \
    X("arrived", MOVEMENT_ASSISTANCE | MOVEMENT_ALLOWANCE)                                         \
    X("cancelled", 0)

#define STATUS_NAME(name, allows)   name,
#define STATUS_ALLOWS(name, allows) allows,
const char *const APP_MOVEMENT_STATUSES[] = {MOVEMENT_STATUS_TABLE(STATUS_NAME) NULL};
static const unsigned STATUS_ALLOWS_OF[] = {MOVEMENT_STATUS_TABLE(STATUS_ALLOWS)};
#undef STATUS_NAME
#undef STATUS_ALLOWS

/* The steps by their bit (MOVEMENT_CONFIRM is bit 0): the names of the
 * routes POST /movements/{id}/<step> and of a movement's "steps". */
static const char *const STEP_NAMES[] = {"confirm", "depart", "arrive", "cancel", NULL};
_Static_assert(MOVEMENT_CONFIRM == 1u && MOVEMENT_DEPART == 2u && MOVEMENT_ARRIVE == 4u &&
                   MOVEMENT_CANCEL == 8u,
               "STEP_NAMES names the steps by their bit");

static int one_of(const char *v, const char *const *list)
{
    for (int i = 0; v && list[i]; i++)
        if (strcmp(v, list[i]) == 0)
            return 1;
    return 0;
}

/* ---- shared helpers --------------------------------------------------------- */

int movement_find(store_conn_t *c, const app_actor_t *a, const char *id, store_movement_row_t *row,
                  app_result_t *r)
{
    int rc =
        id && awda_uuid_valid(id, strlen(id)) ? store_movement_find(c, id, row) : STORE_NOTFOUND;
    if (rc == STORE_OK && (a->system || app_all_offices(a) || app_in_office(a, row->office_pk) ||
                           app_in_office(a, row->receiving_pk)))
        return 1;
    if (rc == STORE_ERR)
        app_fail(r, APP_ERROR, "the movement could not be read");
    else
        app_fail(r, APP_NOT_FOUND, "there is no movement with this id");
    return 0;
}

int movement_at_office(const app_actor_t *a, const store_movement_row_t *row, int receiving,
                       app_result_t *r)
{
    if (a->system || app_all_offices(a) ||
        app_in_office(a, receiving ? row->receiving_pk : row->office_pk))
        return 1;
    if (receiving)
        app_fail(r, APP_FORBIDDEN, "the arrival is confirmed by the receiving office (%s)",
                 row->receiving);
    else
        app_fail(r, APP_FORBIDDEN,
                 "the movement is planned and departed by the sending office (%s)", row->office);
    return 0;
}

unsigned movement_allows_of(const char *status)
{
    for (int i = 0; status && APP_MOVEMENT_STATUSES[i]; i++)
        if (strcmp(status, APP_MOVEMENT_STATUSES[i]) == 0)
            return STATUS_ALLOWS_OF[i];
    return 0;
}

int movement_allows(const store_movement_row_t *row, unsigned what, app_result_t *r)
{
    if (movement_allows_of(row->status) & what)
        return 1;
    char wanted[64];
    size_t w = 0;
    for (int i = 0; APP_MOVEMENT_STATUSES[i]; i++) {
        if (!(STATUS_ALLOWS_OF[i] & what))
            continue;
        int k = snprintf(wanted + w, sizeof wanted - w, "%s%s", w ? ", " : "",
                         APP_MOVEMENT_STATUSES[i]);
        if (k > 0 && (size_t)k < sizeof wanted - w)
            w += (size_t)k;
    }
    app_fail(r, APP_CONFLICT, "the movement is %s; this needs a movement that is %s", row->status,
             wanted);
    return 0;
}

void movement_add_steps(json_t *m)
{
    unsigned allows = movement_allows_of(json_string_value(json_object_get(m, "status")));
    json_t *steps = json_array();
    for (int i = 0; STEP_NAMES[i]; i++)
        if (allows & (1u << i))
            json_array_append_new(steps, json_string(STEP_NAMES[i]));
    json_object_set_new(m, "steps", steps);
    json_object_set_new(m, "open", json_boolean(allows & MOVEMENT_OPEN));
    json_object_set_new(m, "care",
                        json_pack("{s:b,s:b,s:b}", "assistance",
                                  (allows & MOVEMENT_ASSISTANCE) != 0, "onward",
                                  (allows & MOVEMENT_ONWARD) != 0, "allowance",
                                  (allows & MOVEMENT_ALLOWANCE) != 0));
}

json_t *movement_json(store_conn_t *c, int64_t pk, int passengers)
{
    json_t *m = store_movement_get(c, pk, passengers);
    if (m)
        movement_add_steps(m);
    return m;
}

int movement_if_match(const app_if_match_t *m, const store_movement_row_t *row, app_result_t *r)
{
    if (!m || !m->present) {
        app_fail(r, APP_PRECONDITION_REQUIRED,
                 "send the version you saw in an If-Match header (the ETag of the movement)");
        return 0;
    }
    if (!app_if_match_ok(m, row->version)) {
        app_fail(r, APP_STALE,
                 "the movement was changed by someone else (it is now at version %lld); reload it",
                 (long long)row->version);
        return 0;
    }
    return 1;
}

int movement_answer(store_conn_t *c, int64_t pk, app_code_t code, app_result_t *r)
{
    r->body = movement_json(c, pk, 1);
    if (!r->body)
        return STORE_ERR;
    r->code = code;
    r->version = (long long)json_integer_value(json_object_get(r->body, "version"));
    return STORE_OK;
}

void movement_departure_text(int64_t ms, char out[32])
{
    char full[32];
    store_movement_utc(ms, full);
    /* 2026-12-20T05:30:00Z -> 2026-12-20T05:30Z */
    snprintf(out, 32, "%.16sZ", full);
}

int movement_case_event(store_conn_t *c, const app_actor_t *a, int64_t case_pk, const char *kind,
                        const char *event, const char *from, const char *to,
                        const store_movement_row_t *row, json_t *more)
{
    json_t *ev = json_pack("{s:s,s:s,s:s,s:{s:s,s:s}}", "event", event, "from", from, "to", to,
                           "movement", "id", row->id, "type", row->type);
    if (more)
        json_object_update(ev, more);
    json_decref(more);
    int rc = store_event_append(c, case_pk, a->p.pk, kind, ev);
    json_decref(ev);
    return rc;
}

/* ---- legs ------------------------------------------------------------------ */

/* Parses exactly "YYYY-MM-DDTHH:MM" into its parts; 0 on success. */
static int parse_local(const char *s, int f[5])
{
    static const char shape[] = "dddd-dd-ddTdd:dd";
    if (!s || strlen(s) != sizeof shape - 1)
        return -1;
    for (size_t i = 0; i < sizeof shape - 1; i++) {
        if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != shape[i])
            return -1;
    }
    static const int at[5] = {0, 5, 8, 11, 14}, len[5] = {4, 2, 2, 2, 2};
    for (int k = 0; k < 5; k++) {
        f[k] = 0;
        for (int i = 0; i < len[k]; i++)
            f[k] = f[k] * 10 + (s[at[k] + i] - '0');
    }
    if (f[1] < 1 || f[1] > 12 || f[2] < 1 || f[2] > awda_days_in_month(f[0], f[1]) || f[3] > 23 ||
        f[4] > 59 || f[0] < 1970)
        return -1;
    return 0;
}

/* The local time s in the IANA zone tz as UTC epoch ms: 0, -1 when the
 * time is not written as YYYY-MM-DDTHH:MM, -2 when the zone is unknown. */
static int local_to_utc(const char *s, const char *tz, int64_t *ms)
{
    UChar zone[AWDA_MOVEMENT_MAX_TEXT + 1], canon[128];
    int32_t zlen = 0;
    UErrorCode st = U_ZERO_ERROR;
    if (!tz || strlen(tz) > AWDA_MOVEMENT_MAX_TEXT)
        return -2;
    u_strFromUTF8(zone, AWDA_MOVEMENT_MAX_TEXT + 1, &zlen, tz, -1, &st);
    UBool system = 0;
    if (U_SUCCESS(st))
        ucal_getCanonicalTimeZoneID(zone, zlen, canon, 128, &system, &st);
    if (U_FAILURE(st) || !system)
        return -2;
    int f[5];
    if (parse_local(s, f) != 0)
        return -1;
    UCalendar *cal = ucal_open(zone, zlen, "en", UCAL_GREGORIAN, &st);
    if (U_FAILURE(st))
        return -2;
    ucal_clear(cal);
    ucal_setDateTime(cal, f[0], f[1] - 1, f[2], f[3], f[4], 0, &st);
    UDate d = ucal_getMillis(cal, &st);
    ucal_close(cal);
    if (U_FAILURE(st))
        return -1;
    *ms = (int64_t)d;
    return 0;
}

static const char *text_field(const json_t *o, const char *k, int required, const char *path,
                              json_t *errors)
{
    const json_t *v = json_object_get(o, k);
    char field[96];
    snprintf(field, sizeof field, "%s%s", path, k);
    if (!v || json_is_null(v)) {
        if (required)
            awda_error_add(errors, field, "this field is required");
        return NULL;
    }
    if (!json_is_string(v) || json_string_length(v) == 0 ||
        json_string_length(v) > AWDA_MOVEMENT_MAX_TEXT) {
        awda_error_add(errors, field, "must be text of 1 to %d bytes", AWDA_MOVEMENT_MAX_TEXT);
        return NULL;
    }
    return json_string_value(v);
}

static int is_iata(const char *s)
{
    if (!s || strlen(s) != 3)
        return 0;
    for (int i = 0; i < 3; i++)
        if (s[i] < 'A' || s[i] > 'Z')
            return 0;
    return 1;
}

/* Checks the legs of a movement of type (air or not) and adds to each
 * its departs_ms and arrives_ms. */
static void validate_legs(json_t *legs, const char *type, json_t *errors)
{
    if (!json_is_array(legs) || json_array_size(legs) < 1 ||
        json_array_size(legs) > AWDA_MOVEMENT_MAX_LEGS) {
        awda_error_add(errors, "legs", "a movement has 1 to %d legs, in travel order",
                       AWDA_MOVEMENT_MAX_LEGS);
        return;
    }
    int air = type && (strcmp(type, "charter") == 0 || strcmp(type, "scheduled_flight") == 0);
    int64_t prev_arrival = 0;
    const char *prev_to = NULL;
    size_t i;
    json_t *l;
    json_array_foreach(legs, i, l)
    {
        char path[32], field[64];
        snprintf(path, sizeof path, "legs[%zu].", i);
        if (!json_is_object(l)) {
            snprintf(field, sizeof field, "legs[%zu]", i);
            awda_error_add(errors, field, "a leg must be a JSON object");
            continue;
        }
        const char *k;
        json_t *v;
        json_object_foreach(l, k, v)
        {
            static const char *const KNOWN[] = {"from",       "to",         "number",
                                                "departs_at", "departs_tz", "arrives_at",
                                                "arrives_tz", NULL};
            if (!one_of(k, KNOWN) && strcmp(k, "departs_ms") != 0 && strcmp(k, "arrives_ms") != 0) {
                snprintf(field, sizeof field, "%s%.20s", path, k);
                awda_error_add(errors, field, "this field is not known");
            }
        }
        const char *from = text_field(l, "from", 1, path, errors);
        const char *to = text_field(l, "to", 1, path, errors);
        text_field(l, "number", 0, path, errors);
        if (air && from && !is_iata(from)) {
            snprintf(field, sizeof field, "%sfrom", path);
            awda_error_add(errors, field,
                           "an airport is its IATA code: 3 capital letters (e.g. %s)", "TMR");
        }
        if (air && to && !is_iata(to)) {
            snprintf(field, sizeof field, "%sto", path);
            awda_error_add(errors, field,
                           "an airport is its IATA code: 3 capital letters (e.g. %s)", "BKO");
        }
        if (i > 0 && from && prev_to && strcmp(from, prev_to) != 0) {
            snprintf(field, sizeof field, "%sfrom", path);
            awda_error_add(errors, field,
                           "the leg must leave from %s, where the leg before arrives", prev_to);
        }
        prev_to = to;
        int64_t ms[2] = {0, 0};
        static const char *const WHEN[2][2] = {{"departs_at", "departs_tz"},
                                               {"arrives_at", "arrives_tz"}};
        for (int w = 0; w < 2; w++) {
            const char *local = json_string_value(json_object_get(l, WHEN[w][0]));
            const char *tz = json_string_value(json_object_get(l, WHEN[w][1]));
            int rc = local_to_utc(local, tz, &ms[w]);
            if (rc == -2) {
                snprintf(field, sizeof field, "%s%s", path, WHEN[w][1]);
                awda_error_add(errors, field,
                               "the time zone must be an IANA zone name, e.g. Africa/Algiers");
                ms[w] = 0;
            } else if (rc == -1) {
                snprintf(field, sizeof field, "%s%s", path, WHEN[w][0]);
                awda_error_add(errors, field,
                               "the local time must be written as YYYY-MM-DDTHH:MM, e.g. "
                               "2026-12-20T06:30");
                ms[w] = 0;
            }
        }
        if (ms[0] && ms[1] && ms[1] <= ms[0]) {
            snprintf(field, sizeof field, "%sarrives_at", path);
            awda_error_add(errors, field, "the leg must arrive after it departs");
        }
        if (ms[0] && prev_arrival && ms[0] < prev_arrival) {
            snprintf(field, sizeof field, "%sdeparts_at", path);
            awda_error_add(errors, field, "the leg cannot depart before the leg before arrives");
        }
        prev_arrival = ms[1] ? ms[1] : prev_arrival;
        json_object_set_new(l, "departs_ms", json_integer(ms[0]));
        json_object_set_new(l, "arrives_ms", json_integer(ms[1]));
    }
}

/* Checks a whole movement (type, reference, carrier, capacity, legs):
 * the legs get their UTC times. */
static void validate_movement(json_t *m, json_t *errors)
{
    const char *type = json_string_value(json_object_get(m, "type"));
    if (!one_of(type, APP_MOVEMENT_TYPES))
        awda_error_add(errors, "type",
                       "the type must be one of: charter, scheduled_flight, land, sea");
    text_field(m, "reference", 1, "", errors);
    text_field(m, "carrier", 0, "", errors);
    const json_t *cap = json_object_get(m, "capacity");
    if (!json_is_integer(cap) || json_integer_value(cap) < 1 ||
        json_integer_value(cap) > AWDA_MOVEMENT_MAX_CAPACITY)
        awda_error_add(errors, "capacity", "the capacity is a number of seats from 1 to %d",
                       AWDA_MOVEMENT_MAX_CAPACITY);
    validate_legs(json_object_get(m, "legs"), type, errors);
}

/* ---- list, read ------------------------------------------------------------- */

void app_movement_list(app_t *app, const app_actor_t *a, const char *status, const char *office,
                       app_result_t *r)
{
    store_conn_t *c = app_reader(app, r);
    if (!c)
        return;
    json_t *errors = json_array();
    if (status && !one_of(status, APP_MOVEMENT_STATUSES))
        awda_error_add(errors, "status",
                       "the status must be one of: planned, confirmed, departed, arrived, "
                       "cancelled");
    int64_t office_pk = 0;
    if (office && strlen(office) <= AWDA_MAX_SHORT)
        office_pk = store_office_pk(c, office);
    if (office && !office_pk)
        awda_error_add(errors, "office", "there is no office with the code %s", office);
    if (json_array_size(errors)) {
        app_bad_request(r, errors, "check the parameters");
        return;
    }
    json_decref(errors);
    int all = a->system || app_all_offices(a);
    json_t *items = store_movement_list(c, status, office_pk, a->p.offices,
                                        all ? -1 : a->p.noffices, AWDA_MOVEMENT_LIST_MAX);
    if (!items) {
        app_fail(r, APP_ERROR, "the movements could not be read");
        return;
    }
    size_t i;
    json_t *m;
    json_array_foreach(items, i, m)
    {
        movement_add_steps(m);
    }
    r->body = json_pack("{s:o}", "items", items);
    r->code = APP_OK;
}

void app_movement_get(app_t *app, const app_actor_t *a, const char *id, app_result_t *r)
{
    store_conn_t *c = app_reader(app, r);
    store_movement_row_t row;
    if (!c || !movement_find(c, a, id, &row, r))
        return;
    if (movement_answer(c, row.pk, APP_OK, r) != STORE_OK)
        app_fail(r, APP_ERROR, "the movement could not be read");
}

/* ---- create, change ----------------------------------------------------------- */

typedef struct {
    const app_actor_t *a;
    json_t *m; /* validated, legs with their UTC times */
    const char *id;
    const app_if_match_t *match;
    const char *reason;
} movement_ctx_t;

static int create_job(store_conn_t *c, void *p, app_result_t *r)
{
    movement_ctx_t *x = p;
    const char *office = json_string_value(json_object_get(x->m, "office"));
    const char *receiving = json_string_value(json_object_get(x->m, "receiving_office"));
    int64_t opk = store_office_pk(c, office), rpk = store_office_pk(c, receiving);
    json_t *errors = json_array();
    if (!opk)
        awda_error_add(errors, "office", "there is no office with the code %s", office);
    else if (!x->a->system && !app_all_offices(x->a) && !app_in_office(x->a, opk))
        awda_error_add(errors, "office", "you do not work for the office %s", office);
    if (!rpk)
        awda_error_add(errors, "receiving_office", "there is no office with the code %s",
                       receiving);
    else if (rpk == opk)
        awda_error_add(errors, "receiving_office",
                       "the receiving office must be another office than the sending office");
    if (json_array_size(errors)) {
        app_invalid(r, errors, "The movement is not valid");
        return STORE_ABORT;
    }
    json_decref(errors);
    char id[37];
    int64_t pk = 0;
    int rc = store_movement_insert(c, x->m, opk, rpk, x->a->p.pk, id, &pk);
    if (rc != STORE_OK)
        return rc;
    snprintf(r->location, sizeof r->location, "/api/v1/movements/%s", id);
    return movement_answer(c, pk, APP_CREATED, r);
}

void app_movement_create(app_t *app, const app_actor_t *a, const json_t *body, const char *idem_key,
                         const char *request_hash, app_result_t *r)
{
    json_t *errors = json_array();
    json_t *m = json_deep_copy(body);
    const char *k;
    json_t *v;
    json_object_foreach(m, k, v)
    {
        static const char *const KNOWN[] = {"type",   "reference",        "carrier", "capacity",
                                            "office", "receiving_office", "legs",    NULL};
        if (!one_of(k, KNOWN))
            awda_error_add(errors, k, "this field is not known");
    }
    validate_movement(m, errors);
    text_field(m, "office", 1, "", errors);
    text_field(m, "receiving_office", 1, "", errors);
    if (json_array_size(errors)) {
        json_decref(m);
        app_invalid(r, errors, "The movement is not valid");
        return;
    }
    json_decref(errors);
    movement_ctx_t x = {a, m, NULL, NULL, NULL};
    app_run_idempotent(app, a, idem_key, request_hash, create_job, &x, r);
    json_decref(m);
}

/* The cases booked on the movement follow its new departure. */
static int follow_departure(store_conn_t *c, int64_t pk, int64_t departs_ms)
{
    json_t *cases = store_movement_cases(c, pk, "booked");
    if (!cases)
        return STORE_ERR;
    char planned[32];
    movement_departure_text(departs_ms, planned);
    int rc = STORE_OK;
    size_t i;
    json_t *e;
    json_array_foreach(cases, i, e)
    {
        int64_t cpk = json_integer_value(json_object_get(e, "case_pk"));
        rc = store_movement_case_departure(c, cpk, planned);
        if (rc == STORE_OK)
            rc = store_case_touch(c, cpk);
        if (rc != STORE_OK)
            break;
    }
    json_decref(cases);
    return rc;
}

static int patch_job(store_conn_t *c, void *p, app_result_t *r)
{
    movement_ctx_t *x = p;
    store_movement_row_t row;
    if (!movement_find(c, x->a, x->id, &row, r) || !movement_at_office(x->a, &row, 0, r) ||
        !movement_allows(&row, MOVEMENT_OPEN, r) || !movement_if_match(x->match, &row, r))
        return STORE_ABORT;
    json_t *cur = store_movement_get(c, row.pk, 0);
    if (!cur)
        return STORE_ERR;
    json_t *m = json_pack("{s:O,s:O,s:O,s:O,s:O}", "type", json_object_get(cur, "type"),
                          "reference", json_object_get(cur, "reference"), "carrier",
                          json_object_get(cur, "carrier"), "capacity",
                          json_object_get(cur, "capacity"), "legs", json_object_get(cur, "legs"));
    json_decref(cur);
    json_object_update(m, x->m);
    json_t *errors = json_array();
    validate_movement(m, errors);
    long long taken = store_movement_seats_taken(c, row.pk);
    long long cap = json_integer_value(json_object_get(m, "capacity"));
    if (!awda_has_error(errors, "capacity") && cap < taken)
        awda_error_add(errors, "capacity",
                       "the capacity cannot be below the %lld seats already taken", taken);
    int rc = STORE_ABORT;
    if (json_array_size(errors)) {
        app_invalid(r, errors, "The movement is not valid");
        errors = NULL;
        goto out;
    }
    rc = store_movement_update(c, row.pk, row.version, m);
    if (rc == STORE_OK && json_object_get(x->m, "legs")) {
        int64_t departs = json_integer_value(
            json_object_get(json_array_get(json_object_get(m, "legs"), 0), "departs_ms"));
        if (departs != row.departs_ms)
            rc = follow_departure(c, row.pk, departs);
    }
    if (rc == STORE_OK)
        rc = movement_answer(c, row.pk, APP_OK, r);
out:
    json_decref(errors);
    json_decref(m);
    return rc;
}

void app_movement_patch(app_t *app, const app_actor_t *a, const char *id, const app_if_match_t *m,
                        const json_t *body, app_result_t *r)
{
    json_t *errors = json_array();
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)body, k, v)
    {
        static const char *const CHANGEABLE[] = {"reference", "carrier", "capacity", "legs", NULL};
        if (!one_of(k, CHANGEABLE))
            awda_error_add(errors, k,
                           "this field cannot be changed (only reference, carrier, capacity and "
                           "legs can)");
    }
    if (json_array_size(errors)) {
        app_invalid(r, errors, "The movement is not valid");
        return;
    }
    json_decref(errors);
    json_t *copy = json_deep_copy(body);
    movement_ctx_t x = {a, copy, id, m, NULL};
    app_run(app, patch_job, &x, r);
    json_decref(copy);
}

/* ---- cancel ---------------------------------------------------------------- */

static int cancel_job(store_conn_t *c, void *p, app_result_t *r)
{
    movement_ctx_t *x = p;
    store_movement_row_t row;
    if (!movement_find(c, x->a, x->id, &row, r) || !movement_at_office(x->a, &row, 0, r) ||
        !movement_allows(&row, MOVEMENT_CANCEL, r))
        return STORE_ABORT;
    if (x->match->present && !movement_if_match(x->match, &row, r))
        return STORE_ABORT;
    json_t *cases = store_movement_cases(c, row.pk, "booked");
    if (!cases)
        return STORE_ERR;
    int rc = store_movement_passengers_off(c, row.pk, 0, "removed", x->reason, x->a->p.pk, NULL);
    size_t i;
    json_t *e;
    json_array_foreach(cases, i, e)
    {
        if (rc != STORE_OK)
            break;
        int64_t cpk = json_integer_value(json_object_get(e, "case_pk"));
        json_t *caze = store_case_get(c, cpk);
        const char *stage = json_string_value(json_object_get(caze, "stage"));
        if (stage && strcmp(stage, "booked") == 0) {
            rc = store_case_set_stage(c, cpk, json_integer_value(json_object_get(caze, "version")),
                                      "ready", NULL, NULL);
            if (rc == STORE_OK)
                rc = movement_case_event(c, x->a, cpk, "unbooked", "unbook", "booked", "ready",
                                         &row, json_pack("{s:s}", "reason", x->reason));
        }
        json_decref(caze);
    }
    json_decref(cases);
    if (rc == STORE_OK)
        rc = store_movement_set_status(c, row.pk, row.version, "cancelled", 0, x->reason);
    if (rc == STORE_OK)
        rc = movement_answer(c, row.pk, APP_OK, r);
    return rc;
}

void app_movement_cancel(app_t *app, const app_actor_t *a, const char *id, const app_if_match_t *m,
                         const json_t *body, app_result_t *r)
{
    json_t *errors = json_array();
    const json_t *reason = json_object_get(body, "reason");
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)body, k, v)
    {
        if (strcmp(k, "reason") != 0)
            awda_error_add(errors, k, "this field is not known");
    }
    if (!json_is_string(reason) || json_string_length(reason) == 0 ||
        json_string_length(reason) > AWDA_MOVEMENT_MAX_REASON)
        awda_error_add(errors, "reason", "the reason is required (text of at most %d bytes)",
                       AWDA_MOVEMENT_MAX_REASON);
    if (json_array_size(errors)) {
        app_invalid(r, errors, "The cancellation is not valid");
        return;
    }
    json_decref(errors);
    movement_ctx_t x = {a, NULL, id, m, json_string_value(reason)};
    app_run(app, cancel_job, &x, r);
}
