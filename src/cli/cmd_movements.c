/*
 * cmd_movements.c — `awda movement`: the movements of the command line
 * (create, list, add, check, confirm, manifest, depart, arrive, cancel).
 *
 * How it works: each subcommand builds the body the API would take and
 * calls the same use case of the application layer (app/movements.h,
 * app/manifest.h) as the system actor, so every rule of the API holds:
 * the booking check per household, capacity, the boarding check and the
 * escort requirements at departure, the hand-over at arrival. A movement
 * is named by its id or by its reference (among the movements a list
 * answers, AWDA_MOVEMENT_LIST_MAX), a case by its id or its number. The changes that need an
 * If-Match in the API act on the version they read ("*"): a person at a
 * terminal sees what they change.
 *
 * Exit status: 0 done; 1 refused or failed (why, in words, on stderr:
 * every blocker of every person for add, confirm and depart); 2 a usage
 * error. `add` exits 1 when any household was refused, even though the
 * others were booked (they stay booked, and say so on stdout).
 */
#include "cli.h"
#include "../app/app.h"
#include "../app/manifest.h"
#include "../app/movements.h"
#include "../util/id.h"
#include "../util/limits.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *jstr(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static void usage(void)
{
    printf("Usage:\n"
           "  awda movement create --office CODE --receiving-office CODE --type TYPE\n"
           "                       --reference TEXT --carrier TEXT --capacity N\n"
           "                       --leg "
           "FROM,TO,NUMBER,DEPARTS_AT,DEPARTS_TZ,ARRIVES_AT,ARRIVES_TZ...\n"
           "  awda movement create --json FILE        (the body of POST /movements; - for stdin)\n"
           "  awda movement list [--status STATUS] [--office CODE]\n"
           "  awda movement add MOVEMENT CASE... [--person PERSON_ID]...   (case ids or numbers)\n"
           "  awda movement check MOVEMENT            the planning board: blockers per person\n"
           "  awda movement confirm MOVEMENT\n"
           "  awda movement manifest MOVEMENT [--format csv|xlsx|json] [--output FILE]\n"
           "  awda movement depart MOVEMENT --at YYYY-MM-DDTHH:MMZ\n"
           "  awda movement arrive MOVEMENT --at YYYY-MM-DDTHH:MMZ --met-by NAME [--notes TEXT]\n"
           "  awda movement cancel MOVEMENT --reason TEXT\n\n"
           "TYPE: charter, scheduled_flight, land or sea. Leg times are the local times of\n"
           "the ticket (2026-12-20T06:30) with the IANA zone of the place (Africa/Algiers).\n"
           "MOVEMENT is the movement's id or its reference. The command line acts with\n"
           "full rights; every rule of the API still applies. Exit status 1 when refused.\n");
}

/* ---- naming a movement ------------------------------------------------------- */

/* The id of the movement named ref (an id, or a reference) into out; 0, or
 * -1 after saying why. */
static int movement_id(ctx_t *c, const app_actor_t *sys, const char *ref, char out[64])
{
    if (awda_uuid_valid(ref, strlen(ref))) {
        snprintf(out, 64, "%s", ref);
        return 0;
    }
    app_result_t r = {0};
    app_movement_list(c->app, sys, NULL, NULL, &r);
    int found = 0;
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(r.body, "items"), i, m)
    {
        if (strcmp(jstr(m, "reference"), ref) == 0) {
            snprintf(out, 64, "%s", jstr(m, "id"));
            found++;
        }
    }
    app_result_free(&r);
    if (found == 1)
        return 0;
    if (found)
        fprintf(stderr, "awda: %d movements have the reference %s; name one by its id\n", found,
                ref);
    else
        fprintf(stderr, "awda: there is no movement with the id or reference %s\n", ref);
    return -1;
}

/* ---- printing ------------------------------------------------------------------- */

static void print_movement(FILE *out, const json_t *m)
{
    fprintf(out, "%s  %s %s  %s  %s -> %s  %lld/%lld seats  v%lld\n", jstr(m, "id"),
            jstr(m, "type"), jstr(m, "reference"), jstr(m, "status"), jstr(m, "office"),
            jstr(m, "receiving_office"),
            (long long)json_integer_value(json_object_get(m, "seats_taken")),
            (long long)json_integer_value(json_object_get(m, "capacity")),
            (long long)json_integer_value(json_object_get(m, "version")));
    size_t i;
    json_t *l;
    json_array_foreach(json_object_get(m, "legs"), i, l)
    {
        fprintf(out, "    %s -> %s  %s  %s %s  ->  %s %s\n", jstr(l, "from"), jstr(l, "to"),
                jstr(l, "number"), jstr(l, "departs_at"), jstr(l, "departs_tz"),
                jstr(l, "arrives_at"), jstr(l, "arrives_tz"));
    }
}

static void print_blockers(FILE *out, const json_t *list, const char *indent)
{
    size_t i;
    json_t *b;
    json_array_foreach(list, i, b)
        fprintf(out, "%s%-28s %s\n", indent, jstr(b, "code"), jstr(b, "message"));
}

/* The refusal of confirm or depart: each error names a person. */
static void print_refusal(const char *what, app_result_t *r)
{
    fprintf(stderr, "awda: %s refused: %s\n", what, r->detail[0] ? r->detail : "refused");
    size_t i;
    json_t *e;
    json_array_foreach(r->errors, i, e)
    {
        const char *code = jstr(e, "code");
        fprintf(stderr, "  %-28s %s\n", code[0] ? code : jstr(e, "field"), jstr(e, "message"));
    }
}

/* ---- the subcommands ----------------------------------------------------------------- */

/* "FROM,TO,NUMBER,DEPARTS_AT,DEPARTS_TZ,ARRIVES_AT,ARRIVES_TZ" as a leg; NULL
 * when it has not seven parts. */
static json_t *parse_leg(const char *s)
{
    static const char *const KEYS[] = {"from",       "to",         "number",    "departs_at",
                                       "departs_tz", "arrives_at", "arrives_tz"};
    json_t *leg = json_object();
    for (size_t k = 0; k < 7; k++) {
        const char *e = strchr(s, ',');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if ((k < 6) != (e != NULL) || n > AWDA_MOVEMENT_MAX_TEXT) {
            json_decref(leg);
            return NULL;
        }
        json_object_set_new(leg, KEYS[k], json_stringn(s, n));
        s += n + (e ? 1 : 0);
    }
    return leg;
}

static int do_create(ctx_t *c, const app_actor_t *sys, app_result_t *r)
{
    const char *file = cli_opt(c, 2, "--json");
    json_t *body = NULL;
    if (file) {
        json_error_t err;
        body = strcmp(file, "-") == 0 ? json_loadf(stdin, JSON_REJECT_DUPLICATES, &err)
                                      : json_load_file(file, JSON_REJECT_DUPLICATES, &err);
        if (!json_is_object(body)) {
            fprintf(stderr, "awda: %s:%d: %s\n", file, err.line,
                    body ? "the movement must be a JSON object" : err.text);
            json_decref(body);
            return 2;
        }
    } else {
        body = json_object();
        static const char *const OPTS[][2] = {{"--type", "type"},
                                              {"--reference", "reference"},
                                              {"--carrier", "carrier"},
                                              {"--office", "office"},
                                              {"--receiving-office", "receiving_office"}};
        for (size_t k = 0; k < sizeof OPTS / sizeof OPTS[0]; k++) {
            const char *v = cli_opt(c, 2, OPTS[k][0]);
            if (v)
                json_object_set_new(body, OPTS[k][1], json_string(v));
        }
        const char *cap = cli_opt(c, 2, "--capacity");
        if (cap) {
            long long n = 0;
            if (app_parse_int(cap, 0, AWDA_MOVEMENT_MAX_CAPACITY, &n) != 0) {
                fprintf(stderr, "awda: --capacity must be a whole number of seats (at most %d)\n",
                        AWDA_MOVEMENT_MAX_CAPACITY);
                json_decref(body);
                return 2;
            }
            json_object_set_new(body, "capacity", json_integer(n));
        }
        json_t *legs = json_array();
        for (int i = 2; i + 1 < c->nrest; i++) {
            if (strcmp(c->rest[i], "--leg") != 0)
                continue;
            json_t *leg = parse_leg(c->rest[i + 1]);
            if (!leg) {
                fprintf(stderr,
                        "awda: --leg %s: give FROM,TO,NUMBER,DEPARTS_AT,DEPARTS_TZ,ARRIVES_AT,"
                        "ARRIVES_TZ\n",
                        c->rest[i + 1]);
                json_decref(legs);
                json_decref(body);
                return 2;
            }
            json_array_append_new(legs, leg);
        }
        json_object_set_new(body, "legs", legs);
    }
    app_movement_create(c->app, sys, body, NULL, NULL, r);
    json_decref(body);
    if (r->code == APP_CREATED)
        print_movement(stdout, r->body);
    return 0;
}

/* The id of the case named ref (an id, or a case number) appended to
 * cases; 0, or -1 after saying why. */
static int case_id(ctx_t *c, const app_actor_t *sys, const char *ref, json_t *cases)
{
    if (awda_uuid_valid(ref, strlen(ref)))
        return json_array_append_new(cases, json_string(ref));
    app_case_query_t q;
    memset(&q, 0, sizeof q);
    q.q = ref;
    q.limit = "5";
    app_result_t r = {0};
    app_case_list(c->app, sys, &q, &r);
    const char *found = NULL;
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(app_result_body(&r), "items"), i, x)
    {
        if (strcmp(jstr(x, "number"), ref) == 0)
            found = jstr(x, "id");
    }
    if (found)
        json_array_append_new(cases, json_string(found));
    else
        fprintf(stderr, "awda: there is no case with the id or number %s\n", ref);
    app_result_free(&r);
    return found ? 0 : -1;
}

static int do_add(ctx_t *c, const app_actor_t *sys, const char *id, app_result_t *r)
{
    json_t *cases = json_array(), *persons = json_array();
    for (int i = 3; i < c->nrest; i++) {
        if (strcmp(c->rest[i], "--person") == 0 && i + 1 < c->nrest)
            json_array_append_new(persons, json_string(c->rest[++i]));
        else if (strncmp(c->rest[i], "--", 2) == 0)
            i++; /* an option of the settings (--db PATH) */
        else if (case_id(c, sys, c->rest[i], cases) != 0) {
            json_decref(cases);
            json_decref(persons);
            return 1;
        }
    }
    if (!json_array_size(cases) && !json_array_size(persons)) {
        fprintf(stderr, "awda: name the cases (or --person) to add\n");
        json_decref(cases);
        json_decref(persons);
        return 2;
    }
    json_t *body = json_pack("{s:o,s:o}", "cases", cases, "persons", persons);
    app_movement_add(c->app, sys, id, body, NULL, NULL, r);
    json_decref(body);
    if (r->code != APP_OK)
        return 0;
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(r->body, "added"), i, p)
        printf("booked   %s  %s\n", jstr(p, "person_id"), jstr(p, "name"));
    json_array_foreach(json_object_get(r->body, "refused"), i, p)
    {
        fprintf(stderr, "refused  %s  %s\n", jstr(p, "person_id"), jstr(p, "name"));
        print_blockers(stderr, json_object_get(p, "blockers"), "    ");
    }
    const json_t *m = json_object_get(r->body, "movement");
    printf("%lld of %lld seats taken\n",
           (long long)json_integer_value(json_object_get(m, "seats_taken")),
           (long long)json_integer_value(json_object_get(m, "capacity")));
    return json_array_size(json_object_get(r->body, "refused")) ? 1 : 0;
}

static int do_check(ctx_t *c, const app_actor_t *sys, const char *id, app_result_t *r)
{
    app_movement_board(c->app, sys, id, r);
    if (r->code != APP_OK)
        return 0;
    print_movement(stdout, json_object_get(r->body, "movement"));
    int blocked = 0;
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(r->body, "passengers"), i, p)
    {
        const json_t *bk = json_object_get(p, "booking"), *bd = json_object_get(p, "boarding");
        int ok =
            json_is_true(json_object_get(bk, "met")) && json_is_true(json_object_get(bd, "met"));
        blocked += !ok;
        printf("%s %s  %s\n", ok ? "[x]" : "[ ]", jstr(p, "person_id"), jstr(p, "name"));
        print_blockers(stdout, json_object_get(bk, "blockers"), "      booking  ");
        print_blockers(stdout, json_object_get(bd, "blockers"), "      boarding ");
        size_t k;
        json_t *d;
        json_array_foreach(json_object_get(p, "due"), k, d)
            printf("      due      %-28s from %s until %s\n", jstr(d, "code"), jstr(d, "from"),
                   jstr(d, "until"));
    }
    const json_t *mb = json_object_get(r->body, "blockers");
    if (json_array_size(mb)) {
        printf("movement:\n");
        print_blockers(stdout, mb, "      ");
    }
    printf("%zu passenger(s), %d with blockers, %zu escort requirement(s) unmet\n",
           json_array_size(json_object_get(r->body, "passengers")), blocked, json_array_size(mb));
    return 0;
}

static int do_manifest(ctx_t *c, const app_actor_t *sys, const char *id, app_result_t *r)
{
    const char *format = cli_opt(c, 3, "--format");
    const char *path = cli_opt(c, 3, "--output");
    if (!path && format && strcmp(format, "xlsx") == 0 && isatty(STDOUT_FILENO)) {
        fprintf(stderr, "awda: an XLSX manifest is not for the terminal: give --output FILE\n");
        return 2;
    }
    app_manifest(c->app, sys, id, format ? format : "csv", r);
    if (r->code != APP_OK)
        return 0;
    char *text = NULL;
    const char *data = r->raw;
    size_t len = r->raw_len;
    if (!data) {
        text = json_dumps(r->body, JSON_INDENT(2));
        data = text;
        len = text ? strlen(text) : 0;
    }
    FILE *f = path ? fopen(path, "wb") : stdout;
    if (!f) {
        fprintf(stderr, "awda: cannot write %s\n", path);
        free(text);
        return 1;
    }
    int bad = !data || fwrite(data, 1, len, f) != len || (text && fputc('\n', f) == EOF);
    bad |= path ? fclose(f) != 0 : fflush(f) != 0;
    free(text);
    if (bad) {
        fprintf(stderr, "awda: the manifest could not be written%s%s\n", path ? " to " : "",
                path ? path : "");
        return 1;
    }
    if (path)
        fprintf(stderr, "awda: manifest written to %s (%zu bytes)\n", path, len);
    return 0;
}

/* confirm, depart, arrive, cancel: the If-Match of the API is "*". */
static int do_travel(ctx_t *c, const app_actor_t *sys, const char *sub, const char *id,
                     app_result_t *r)
{
    app_if_match_t any = {.present = 1, .any = 1};
    json_t *body = json_object();
    static const char *const OPTS[][2] = {
        {"--at", "at"}, {"--met-by", "met_by"}, {"--notes", "notes"}, {"--reason", "reason"}};
    for (size_t k = 0; k < sizeof OPTS / sizeof OPTS[0]; k++) {
        const char *v = cli_opt(c, 3, OPTS[k][0]);
        if (v)
            json_object_set_new(body, OPTS[k][1], json_string(v));
    }
    if (strcmp(sub, "confirm") == 0)
        app_movement_confirm(c->app, sys, id, &any, body, r);
    else if (strcmp(sub, "depart") == 0)
        app_movement_depart(c->app, sys, id, &any, body, r);
    else if (strcmp(sub, "arrive") == 0)
        app_movement_arrive(c->app, sys, id, &any, body, r);
    else
        app_movement_cancel(c->app, sys, id, &any, body, r);
    json_decref(body);
    if (r->code == APP_OK) {
        print_movement(stdout, r->body);
        return 0;
    }
    if (r->code == APP_CONFLICT && json_array_size(r->errors)) {
        print_refusal(sub, r);
        return 1;
    }
    return 0;
}

int cmd_movement(ctx_t *c)
{
    const char *sub = c->nrest > 1 ? c->rest[1] : NULL;
    static const char *const NEED_ID[] = {"add",    "check",  "confirm", "manifest",
                                          "depart", "arrive", "cancel",  NULL};
    int needs_id = 0;
    for (int i = 0; sub && NEED_ID[i]; i++)
        needs_id |= strcmp(sub, NEED_ID[i]) == 0;
    if (!sub || cli_wants_help(c) || (needs_id && c->nrest < 3)) {
        usage();
        return cli_wants_help(c) ? 0 : 2;
    }
    if (!needs_id && strcmp(sub, "create") != 0 && strcmp(sub, "list") != 0) {
        fprintf(stderr, "awda: unknown movement command %s\n", sub);
        return 2;
    }
    if (cli_open_all(c, 0) != 0)
        return 1;
    app_actor_t sys = cli_system_actor();
    app_result_t r = {0};
    int rc = 0;
    char id[64] = "";
    if (needs_id && movement_id(c, &sys, c->rest[2], id) != 0) {
        cli_close_all(c);
        return 1;
    }
    if (strcmp(sub, "create") == 0) {
        rc = do_create(c, &sys, &r);
        if (rc == 2) {
            cli_close_all(c);
            return 2;
        }
    } else if (strcmp(sub, "list") == 0) {
        app_movement_list(c->app, &sys, cli_opt(c, 2, "--status"), cli_opt(c, 2, "--office"), &r);
        size_t i;
        json_t *m;
        json_array_foreach(json_object_get(r.body, "items"), i, m) print_movement(stdout, m);
    } else if (strcmp(sub, "add") == 0) {
        rc = do_add(c, &sys, id, &r);
    } else if (strcmp(sub, "check") == 0) {
        rc = do_check(c, &sys, id, &r);
    } else if (strcmp(sub, "manifest") == 0) {
        rc = do_manifest(c, &sys, id, &r);
    } else {
        rc = do_travel(c, &sys, sub, id, &r);
    }
    if (rc == 2) {
        app_result_free(&r);
        cli_close_all(c);
        return 2;
    }
    if (rc == 0 && r.code != APP_OK && r.code != APP_CREATED) {
        cli_print_result_errors(sub, &r);
        rc = 1;
    }
    app_result_free(&r);
    cli_close_all(c);
    return rc;
}
