/*
 * cmd_import.c — `awda import FILE --mapping FILE [--dry-run] [--office
 * CODE] [--mode all_or_nothing|valid_rows]`: a spreadsheet or a
 * KoboToolbox / ODK export brought in through the import use cases
 * (src/app/imports.h), as the system.
 *
 * On a terminal (stderr) a progress bar is redrawn in place: rows done of
 * the total, and the rate; otherwise a plain line now and then. Then the
 * summary, and every problem by sheet and row ("members.csv:14 sex (sex):
 * ..."). The exit status is 0 when the import did what was asked, 1 when
 * problems block it (a dry run that found problems, an all-or-nothing
 * import refused, a file or mapping that cannot be read), 2 for a wrong
 * command line. A dry run writes nothing at all.
 */
#include "cli.h"
#include "../app/imports.h"
#include "../util/limits.h"
#include "../util/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    int tty;
    long long start_us, last_us;
} bar_t;

static void on_progress(void *arg, const app_import_progress_t *p)
{
    bar_t *b = arg;
    long long now = awda_mono_us();
    int end = strcmp(p->phase, "done") == 0;
    if (!end && now - b->last_us < (b->tty ? 200000 : 10000000))
        return;
    b->last_us = now;
    double secs = (double)(now - b->start_us) / 1e6;
    double rate = secs > 0 ? (double)p->rows_done / secs : 0;
    if (!b->tty) {
        if (!end)
            fprintf(stderr, "import: %s %ld/%ld rows (%.0f rows/s)\n", p->phase, p->rows_done,
                    p->rows_total, rate);
        return;
    }
    int width = 30, fill = p->rows_total ? (int)(width * p->rows_done / p->rows_total) : width;
    if (fill > width)
        fill = width;
    char bar[64];
    memset(bar, '#', (size_t)fill);
    memset(bar + fill, '.', (size_t)(width - fill));
    bar[width] = '\0';
    fprintf(stderr, "\r%-8s [%s] %ld/%ld rows  %.0f rows/s  %ld created%s", p->phase, bar,
            p->rows_done, p->rows_total, rate, p->cases_created, end ? "\n" : "");
    fflush(stderr);
}

static char *read_file(const char *path, size_t max, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *s = malloc(max + 1);
    size_t n = s ? fread(s, 1, max + 1, f) : 0;
    fclose(f);
    if (!s || n > max) {
        free(s);
        return NULL;
    }
    s[n] = '\0';
    *len = n;
    return s;
}

static void print_problems(const json_t *list, FILE *out)
{
    size_t i;
    json_t *p;
    json_array_foreach(list, i, p)
    {
        const char *col = json_string_value(json_object_get(p, "column"));
        const char *field = json_string_value(json_object_get(p, "field"));
        fprintf(out, "%s:%lld", json_string_value(json_object_get(p, "sheet")),
                (long long)json_integer_value(json_object_get(p, "row")));
        if (col && *col)
            fprintf(out, " %s", col);
        if (field && *field)
            fprintf(out, " (%s)", field);
        fprintf(out, ": %s\n", json_string_value(json_object_get(p, "message")));
    }
}

int cmd_import(ctx_t *c)
{
    const char *file = c->nrest > 1 ? c->rest[1] : NULL;
    const char *mapping = cli_opt(c, 2, "--mapping");
    const char *mode_name = cli_opt(c, 2, "--mode");
    int dry = cli_has_flag(c, 2, "--dry-run");
    int mode = dry         ? APP_IMPORT_DRY_RUN
               : mode_name ? app_import_mode_parse(mode_name)
                           : APP_IMPORT_ALL_OR_NOTHING;
    if (!file || *file == '-' || !mapping || cli_wants_help(c) || mode < 0 || (dry && mode_name)) {
        printf("Usage: awda import FILE --mapping FILE [--dry-run] [--office CODE]\n"
               "                   [--mode all_or_nothing|valid_rows] [--db PATH]\n\n"
               "Registers the households of a CSV or XLSX file (a spreadsheet, or a\n"
               "KoboToolbox / ODK export with its repeat groups) by a mapping from its\n"
               "columns to awda's fields (data/import/README.md). Every row is checked by\n"
               "the rules of registration; problems are told by sheet, row and column.\n"
               "  --dry-run  check everything, write nothing\n"
               "  --mode all_or_nothing (default): any problem and nothing is written;\n"
               "         valid_rows: households with a problem are skipped and reported\n"
               "  --office   the office to import into (else the mapping's)\n"
               "Importing the same file again creates nothing new. Possible duplicates\n"
               "are flagged for review, never merged.\n");
        return cli_wants_help(c) ? 0 : 2;
    }
    size_t mlen = 0;
    char *mtext = read_file(mapping, AWDA_IMPORT_MAX_MAPPING_BYTES, &mlen);
    if (!mtext) {
        fprintf(stderr, "awda: cannot read the mapping %s (or it is larger than %d bytes)\n",
                mapping, AWDA_IMPORT_MAX_MAPPING_BYTES);
        return 1;
    }
    if (access(file, R_OK) != 0) {
        fprintf(stderr, "awda: cannot read %s\n", file);
        free(mtext);
        return 1;
    }
    if (cli_open_all(c, 0) != 0) {
        free(mtext);
        return 1;
    }
    app_actor_t a = cli_system_actor();
    app_import_opts_t o = {
        file, NULL, mtext, mlen, cli_opt(c, 2, "--office"), (app_import_mode_t)mode, 0, 0, 1};
    app_result_t r = {0};
    app_import_t *im = app_import_prepare(c->app, &a, &o, &r);
    free(mtext);
    if (!im) {
        cli_print_result_errors("the import cannot run", &r);
        app_result_free(&r);
        cli_close_all(c);
        return 1;
    }
    bar_t bar = {isatty(STDERR_FILENO), awda_mono_us(), 0};
    app_import_on_progress(im, on_progress, &bar);
    app_import_execute(im, &r);
    json_t *b = r.body;
    const char *status = json_string_value(json_object_get(b, "status"));
#define N(k) (long long)json_integer_value(json_object_get(b, k))
    printf("import %s: %s, %lld rows, %lld households: %lld cases and %lld persons %s, "
           "%lld already imported, %lld skipped, %lld problems, %lld possible duplicates "
           "flagged\n",
           json_string_value(json_object_get(b, "file_name")), status ? status : "failed",
           N("rows_total"), N("households"), N("cases_created"), N("persons_created"),
           dry ? "would be checked (dry run: nothing written)" : "created", N("already_imported"),
           N("skipped"), N("problems"), N("duplicates_flagged"));
    const char *detail = json_string_value(json_object_get(b, "message"));
    if (detail)
        printf("%s\n", detail);
    print_problems(json_object_get(b, "problem_list"), stdout);
    if (N("problems") > (long long)json_array_size(json_object_get(b, "problem_list")))
        printf("... and %lld more problems (the first %d are listed)\n",
               N("problems") - (long long)json_array_size(json_object_get(b, "problem_list")),
               AWDA_IMPORT_MAX_PROBLEMS_KEPT);
    int rc = !status || strcmp(status, "done") != 0 || (dry && N("problems")) ? 1 : 0;
#undef N
    app_result_free(&r);
    if (!dry)
        store_checkpoint(c->store);
    cli_close_all(c);
    return rc;
}
