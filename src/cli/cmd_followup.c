/*
 * cmd_followup.c — the commands of follow-up: `awda survey load |
 * rescore | instruments` and `awda activity list | add`, and the loading
 * of the survey instruments when the server starts (cli_survey_load).
 *
 * The survey instruments are files (data/survey/README.md): every *.json
 * of the survey directory, read in name order, checked and stored into
 * survey_instruments by (code, version) through the application layer
 * (app_survey_instrument_load). The directory is the one configured
 * (--survey-data DIR or AWDA_SURVEY_DATA) alone; otherwise, like the demo
 * data, it is looked for beside the binary: <bin>/../share/awda/survey
 * (where an installation puts it), then <bin>/../data/survey and
 * <bin>/../../data/survey (a build in the source tree). A file that is not
 * a valid instrument, or that changes a version already stored, stops the
 * command (and the server) with its name and the problem: scores must
 * always say which definition made them. No directory found is a warning
 * (the survey then answers that no instrument is loaded).
 */
#include "cli.h"
#include "../app/followup.h"
#include "../util/limits.h"
#include "../util/log.h"
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int holds_json(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    struct dirent *e;
    int found = 0;
    while (!found && (e = readdir(d))) {
        size_t n = strlen(e->d_name);
        found = n > 5 && e->d_name[0] != '.' && strcmp(e->d_name + n - 5, ".json") == 0;
    }
    closedir(d);
    return found;
}

/* The survey directory into out; 0, or -1 when none. */
static int survey_dir(ctx_t *c, char *out, size_t cap)
{
    const char *configured = cli_opt(c, 1, "--survey-data");
    if (!configured)
        configured = getenv("AWDA_SURVEY_DATA");
    if (configured && *configured) {
        snprintf(out, cap, "%s", configured);
        return holds_json(out) ? 0 : -1;
    }
    char exe[1024];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char *slash = n > 0 ? (exe[n] = '\0', strrchr(exe, '/')) : NULL;
    if (!slash)
        return -1;
    *slash = '\0';
    static const char *const BESIDE[] = {"/../share/awda/survey", "/../data/survey",
                                         "/../../data/survey"};
    for (size_t i = 0; i < sizeof BESIDE / sizeof BESIDE[0]; i++) {
        snprintf(out, cap, "%s%s", exe, BESIDE[i]);
        if (holds_json(out))
            return 0;
    }
    return -1;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads path whole (at most AWDA_SURVEY_MAX_FILE bytes): malloc'd text
 * (caller frees) and its length, or NULL. */
static char *read_whole(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(AWDA_SURVEY_MAX_FILE + 1);
    size_t n = buf ? fread(buf, 1, AWDA_SURVEY_MAX_FILE + 1, f) : 0;
    fclose(f);
    if (!buf || n > AWDA_SURVEY_MAX_FILE) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

int cli_survey_load(ctx_t *c, FILE *out)
{
    char dir[1100];
    if (survey_dir(c, dir, sizeof dir) != 0) {
        awda_log(LOG_WARN, "survey_instruments_missing", NULL);
        if (out)
            fprintf(out, "awda: no survey directory found (--survey-data DIR)\n");
        return 0;
    }
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    char *names[AWDA_SURVEY_MAX_FILES];
    int nn = 0, rc = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n > 5 && e->d_name[0] != '.' && strcmp(e->d_name + n - 5, ".json") == 0) {
            if (nn == AWDA_SURVEY_MAX_FILES) {
                fprintf(stderr, "awda: %s holds more than %d instrument files\n", dir,
                        AWDA_SURVEY_MAX_FILES);
                rc = -1;
                break;
            }
            names[nn++] = strdup(e->d_name);
        }
    }
    closedir(d);
    qsort(names, (size_t)nn, sizeof names[0], by_name);
    for (int i = 0; i < nn; i++) {
        char path[1400], why[256];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        size_t len = 0;
        char *text = rc == 0 ? read_whole(path, &len) : NULL;
        int inserted = 0;
        if (rc == 0 && !text) {
            fprintf(stderr, "awda: %s: cannot be read (or is larger than %d bytes)\n", path,
                    AWDA_SURVEY_MAX_FILE);
            rc = -1;
        } else if (rc == 0 &&
                   app_survey_instrument_load(c->app, text, len, &inserted, why, sizeof why) != 0) {
            fprintf(stderr, "awda: survey instrument %s: %s\n", path, why);
            rc = -1;
        } else if (rc == 0 && out && inserted) {
            fprintf(out, "survey instrument %s loaded\n", names[i]);
        }
        free(text);
        free(names[i]);
    }
    return rc;
}

static void print_result(app_result_t *r)
{
    char *s = r->body ? json_dumps(r->body, JSON_INDENT(2) | JSON_ENSURE_ASCII) : NULL;
    if (s)
        printf("%s\n", s);
    free(s);
}

int cmd_survey(ctx_t *c)
{
    const char *sub = c->nrest > 1 ? c->rest[1] : "";
    if (cli_wants_help(c) || !*sub) {
        printf("Usage: awda survey load | rescore [--instrument CODE] | instruments "
               "[--db PATH] [--survey-data DIR]\n\n"
               "  load         store the instruments of the survey directory (the server does "
               "it at start)\n"
               "  rescore      load them, then recompute the scores of every response scored "
               "with an older\n"
               "               version than the newest of its instrument\n"
               "  instruments  list the instruments stored\n");
        return *sub || cli_wants_help(c) ? 0 : 2;
    }
    if (cli_open_all(c, 1) != 0)
        return 1;
    int rc = 0;
    app_result_t r = {0};
    if (strcmp(sub, "load") == 0) {
        rc = cli_survey_load(c, stdout) == 0 ? 0 : 1;
    } else if (strcmp(sub, "rescore") == 0) {
        rc = cli_survey_load(c, stdout) == 0 ? 0 : 1;
        if (rc == 0) {
            app_survey_rescore(c->app, cli_opt(c, 2, "--instrument"), &r);
            if (r.code == APP_OK)
                print_result(&r);
            else {
                cli_print_result_errors("survey rescore", &r);
                rc = 1;
            }
        }
    } else if (strcmp(sub, "instruments") == 0) {
        app_actor_t sys = cli_system_actor();
        app_survey_instrument_list(c->app, &sys, &r);
        print_result(&r);
        rc = r.code == APP_OK ? 0 : 1;
    } else {
        fprintf(stderr, "awda survey: unknown subcommand %s\n", sub);
        rc = 2;
    }
    app_result_free(&r);
    cli_close_all(c);
    return rc;
}

int cmd_activity(ctx_t *c)
{
    const char *sub = c->nrest > 1 ? c->rest[1] : "";
    if (cli_wants_help(c) || !*sub) {
        printf("Usage: awda activity list [--office CODE] [--from DATE] [--to DATE] | add --file "
               "ACTIVITY.json [--db PATH]\n\n"
               "  list  the activities, the latest first (JSON)\n"
               "  add   records an activity from a JSON file (the body of POST "
               "/api/v1/activities);\n"
               "        its cost is committed on its budget line\n");
        return *sub || cli_wants_help(c) ? 0 : 2;
    }
    if (cli_open_all(c, 1) != 0)
        return 1;
    app_actor_t sys = cli_system_actor();
    app_result_t r = {0};
    int rc = 0;
    if (strcmp(sub, "list") == 0) {
        app_activity_list(c->app, &sys, cli_opt(c, 2, "--office"), NULL, cli_opt(c, 2, "--from"),
                          cli_opt(c, 2, "--to"), &r);
    } else if (strcmp(sub, "add") == 0) {
        const char *file = cli_opt(c, 2, "--file");
        size_t len = 0;
        char *text = file ? read_whole(file, &len) : NULL;
        json_t *body = text ? json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL) : NULL;
        free(text);
        if (!json_is_object(body)) {
            fprintf(stderr, "awda activity add: --file must name a JSON object\n");
            rc = 2;
        } else {
            app_activity_create(c->app, &sys, body, NULL, NULL, &r);
        }
        json_decref(body);
    } else {
        fprintf(stderr, "awda activity: unknown subcommand %s\n", sub);
        rc = 2;
    }
    if (rc == 0 && (r.code == APP_OK || r.code == APP_CREATED))
        print_result(&r);
    else if (rc == 0) {
        cli_print_result_errors("activity", &r);
        rc = 1;
    }
    app_result_free(&r);
    cli_close_all(c);
    return rc;
}
