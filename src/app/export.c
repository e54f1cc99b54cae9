/*
 * export.c — cases as a spreadsheet: CSV (UTF-8) or XLSX (libxlsxwriter),
 * one row per member of each case, with a second header row of HXL
 * hashtags so humanitarian tools read the columns.
 *
 * What leaves the system follows the data-protection rules:
 *
 *   - By default an export is pseudonymised: no names, no day or month of
 *     birth, and the person is a pseudonym (a keyed BLAKE2b of their id
 *     under a key drawn for this export alone), so rows of one person link
 *     within the file but not across exports or back to awda's ids.
 *   - names=true adds names, the person's id and the full date of birth.
 *     Only roles holding export.names may ask (authz.c), and they must say
 *     for whom (recipient): "internal" for the organisation's own use, or
 *     the id of the partner organisation it goes to — then only the
 *     persons who consented to share their data with that partner are
 *     included (the others are counted in X-Withheld-Persons), and when
 *     none did the answer is 403 consent-required.
 *   - Medical and protection detail is never exported, with one
 *     exception: the protection concerns of persons (victim of
 *     trafficking...) appear, in a column of their own, only in an
 *     export for internal use by a role that sees protection detail.
 *
 * Spreadsheet programs run cells that begin with = + - or @ as formulas;
 * such text is prefixed with an apostrophe. Direction overrides and
 * isolates (U+202A..U+202E, U+2066..U+2069) are stripped from every cell,
 * so that no value displays as something else. The export itself is
 * audited like every request.
 *
 * Size: nothing is held whole in memory. The rows come from a snapshot of
 * the export's own (store_snapshot_open: one read transaction, so the
 * file is one state of the database) through a cursor, one at a time. A
 * CSV is made while it is sent: http.c asks csv_produce for the next
 * bytes as the connection takes them, and at most AWDA_EXPORT_CHUNK bytes
 * of rows are made ahead. An XLSX is assembled by libxlsxwriter in
 * constant_memory mode (each row written to a temporary file as it is
 * finished) into an unlinked temporary file, which is then sent in the
 * same way. Before anything is sent, the rows are counted in the same
 * snapshot: an export larger than the setting export_max_rows (or, for
 * XLSX, than a worksheet holds) is refused whole with 422
 * export-too-large, which names the limit and how to narrow the export;
 * X-Export-Rows says how many rows the file holds, and a stream that
 * fails midway is cut, never ended as if it were whole. At most
 * AWDA_MAX_EXPORTS_IN_FLIGHT exports run at a time (503 beyond).
 */
#include "internal.h"
#include "sheet.h"
#include "../util/buf.h"
#include "../util/id.h"
#include "../util/limits.h"
#include "../util/log.h"
#include "../util/timeutil.h"
#include <errno.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

typedef struct {
    const char *title; /* column heading */
    const char *hxl;   /* HXL hashtag */
    const char *key;   /* member of the store row; NULL: computed */
    int names_only;    /* only with names=true */
} column_t;

/* The protection concerns: only for a role that sees protection detail,
 * and only for internal use. */
#define PROTECTION_HXL "#affected+vuln+protection"

static const column_t COLUMNS[] = {
    {"case number", "#case+code", "number", 0},
    {"office", "#org+code", "office", 0},
    {"stage", "#status", "stage", 0},
    {"country of origin", "#country+origin+code", "origin_country", 0},
    {"destination country", "#country+dest+code", "destination_country", 0},
    {"destination area", "#adm1+name", "destination_admin_area", 0},
    {"destination p-code", "#adm1+code", "destination_pcode", 0},
    {"project", "#activity+project", "project", 0},
    {"planned departure", "#date+departure", "planned_departure", 0},
    {"closure reason", "#status+reason", "closure_reason", 0},
    {"registered", "#date+registered", "registered_at", 0},
    {"person", "#beneficiary+code", NULL, 0}, /* pseudonym, or the id with names */
    {"relationship", "#beneficiary+relationship", "relationship", 0},
    {"name", "#beneficiary+name", "name", 1},
    {"name in Latin script", "#beneficiary+name+latin", "name_latin", 1},
    {"sex", "#sex", "sex", 0},
    {"date of birth", "#date+birth", NULL, 0}, /* the year only without names */
    {"date of birth precision", "#date+birth+precision", "dob_precision", 0},
    {"nationality", "#country+nationality", "nationality", 0},
    {"vulnerabilities", "#affected+vuln", NULL, 0},
    {"protection concerns", PROTECTION_HXL, NULL, 0},
};
#define NCOLUMNS (sizeof COLUMNS / sizeof COLUMNS[0])

typedef struct {
    app_t *app;
    store_conn_t *c; /* the export's own snapshot (store_snapshot_open) */
    int names;
    int protection;        /* the protection concerns column */
    const char *recipient; /* NULL or "internal": no consent filter */
    char recipient_buf[AWDA_MAX_SHORT + 1];
    unsigned char key[crypto_generichash_KEYBYTES];
    int xlsx;
    buf_t csv; /* CSV: bytes made and not yet sent (from sent on) */
    size_t sent;
    lxw_workbook *wb;
    lxw_worksheet *ws;
    long rows, withheld;
    long long expected; /* rows the file must hold */
    int failed;
    store_export_t *cur;
    int ended;
    int fd; /* XLSX: the finished file being sent */
} export_t;

/* The text of column k for a row into out (empty when none). */
static void cell(export_t *x, const json_t *row, size_t k, char *out, size_t cap)
{
    const column_t *col = &COLUMNS[k];
    out[0] = '\0';
    if (col->key) {
        const char *v = json_string_value(json_object_get(row, col->key));
        snprintf(out, cap, "%s", v ? v : "");
    } else if (strcmp(col->hxl, "#beneficiary+code") == 0) {
        const char *id = json_string_value(json_object_get(row, "person_id"));
        if (x->names) {
            snprintf(out, cap, "%s", id ? id : "");
        } else if (id) {
            unsigned char h[8];
            crypto_generichash(h, sizeof h, (const unsigned char *)id, strlen(id), x->key,
                               sizeof x->key);
            char hex[17];
            sodium_bin2hex(hex, sizeof hex, h, sizeof h);
            snprintf(out, cap, "P-%s", hex);
        }
    } else if (strcmp(col->hxl, "#date+birth") == 0) {
        const char *d = json_string_value(json_object_get(row, "date_of_birth"));
        if (d)
            snprintf(out, cap, "%.*s", x->names ? (int)strlen(d) : 4, d);
    } else if (strncmp(col->hxl, "#affected+vuln", 14) == 0) {
        size_t i, o = 0;
        json_t *v;
        const char *list = strcmp(col->hxl, PROTECTION_HXL) == 0 ? "protection_vulnerabilities"
                                                                 : "vulnerabilities";
        json_array_foreach(json_object_get(row, list), i, v)
        {
            int n = snprintf(out + o, cap - o, "%s%s", i ? " " : "", json_string_value(v));
            if (n < 0 || (size_t)n >= cap - o)
                break;
            o += (size_t)n;
        }
    }
    /* No direction override that makes a name display as something
     * else (field.h); what is left is not a formula either. */
    app_sheet_guard(out, cap); /* not a formula when opened in a spreadsheet */
}

static int included(const export_t *x, size_t k)
{
    return (x->names || !COLUMNS[k].names_only) &&
           (x->protection || strcmp(COLUMNS[k].hxl, PROTECTION_HXL) != 0);
}

/* Appends one quoted CSV field; nonzero when the buffer is full. */
static int csv_field(buf_t *b, const char *s)
{
    int rc = buf_putc(b, '"');
    for (; *s && !rc; s++) {
        if (*s == '"')
            rc |= buf_putc(b, '"');
        rc |= buf_putc(b, *s);
    }
    return rc | buf_putc(b, '"');
}

static void put_header(export_t *x)
{
    for (int line = 0; line < 2; line++) {
        int first = 1;
        for (size_t k = 0, col = 0; k < NCOLUMNS; k++) {
            if (!included(x, k))
                continue;
            const char *t = line == 0 ? COLUMNS[k].title : COLUMNS[k].hxl;
            if (x->xlsx) {
                worksheet_write_string(x->ws, (lxw_row_t)line, (lxw_col_t)col, t, NULL);
            } else {
                if (!first)
                    x->failed |= buf_putc(&x->csv, ',');
                x->failed |= csv_field(&x->csv, t);
            }
            first = 0;
            col++;
        }
        if (!x->xlsx)
            x->failed |= buf_puts(&x->csv, "\r\n");
    }
}

static int on_row(const json_t *row, void *ctx)
{
    export_t *x = ctx;
    if (x->recipient) {
        int64_t ppk = json_integer_value(json_object_get(row, "person_pk"));
        if (store_sharing_consent(x->c, ppk, "data_sharing", x->recipient) != 1) {
            x->withheld++;
            return 0;
        }
    }
    char v[AWDA_MAX_NAME * 2 + 64];
    int first = 1;
    for (size_t k = 0, col = 0; k < NCOLUMNS; k++) {
        if (!included(x, k))
            continue;
        cell(x, row, k, v, sizeof v);
        if (x->xlsx) {
            if (v[0] && worksheet_write_string(x->ws, (lxw_row_t)(x->rows + 2), (lxw_col_t)col, v,
                                               NULL) != LXW_NO_ERROR)
                x->failed = 1;
        } else {
            if (!first)
                x->failed |= buf_putc(&x->csv, ',');
            x->failed |= csv_field(&x->csv, v);
        }
        first = 0;
        col++;
    }
    if (!x->xlsx)
        x->failed |= buf_puts(&x->csv, "\r\n");
    x->rows++;
    return x->failed;
}

/* ---- making and sending ------------------------------------------------- */

static atomic_int exports_in_flight;

/* Ends an export: its cursor, snapshot, file and buffer (app_done_fn). */
static void export_free(void *ctx)
{
    export_t *x = ctx;
    store_export_close(x->cur);
    store_snapshot_close(x->c);
    if (x->fd >= 0)
        close(x->fd);
    buf_free(&x->csv);
    sodium_memzero(x->key, sizeof x->key);
    free(x);
    atomic_fetch_sub(&exports_in_flight, 1);
}

/* Makes the CSV as the connection takes it (app_produce_fn): rows are
 * formatted into x->csv up to AWDA_EXPORT_CHUNK bytes ahead. */
static long csv_produce(void *ctx, char *out, size_t max)
{
    export_t *x = ctx;
    size_t n = 0;
    while (n < max) {
        if (x->sent < x->csv.len) {
            size_t k = x->csv.len - x->sent < max - n ? x->csv.len - x->sent : max - n;
            memcpy(out + n, x->csv.data + x->sent, k);
            x->sent += k;
            n += k;
            continue;
        }
        if (x->ended)
            break;
        buf_reset(&x->csv);
        x->sent = 0;
        while (!x->ended && x->csv.len < AWDA_EXPORT_CHUNK) {
            json_t *row = NULL;
            int rc = store_export_next(x->cur, &row);
            if (rc < 0)
                return -1;
            if (rc == 0)
                x->ended = 1;
            else if (on_row(row, x) != 0)
                x->failed = 1;
            json_decref(row);
            if (x->failed)
                return -1;
        }
    }
    /* The file is whole only with every row it announced (one snapshot:
     * anything else is a fault, and the answer is cut). */
    if (n == 0 && x->rows != x->expected) {
        awda_log(LOG_ERROR, "export", "\"rows\":%ld,\"expected\":%lld", x->rows, x->expected);
        return -1;
    }
    return (long)n;
}

/* Sends the finished XLSX file (app_produce_fn). */
static long file_produce(void *ctx, char *out, size_t max)
{
    export_t *x = ctx;
    ssize_t n;
    do
        n = read(x->fd, out, max);
    while (n < 0 && errno == EINTR);
    return n < 0 ? -1 : (long)n;
}

/* Counts the rows that go out for a third-party recipient (those whose
 * persons consented) and those withheld, in the export's snapshot; -1 on
 * error. */
static long long consenting_rows(export_t *x, const store_case_filter_t *f)
{
    store_export_t *cur = store_export_open(x->c, f, 0);
    long long rows = 0;
    json_t *row;
    int rc = -1;
    while (cur && (rc = store_export_next(cur, &row)) == 1) {
        int64_t ppk = json_integer_value(json_object_get(row, "person_pk"));
        if (store_sharing_consent(x->c, ppk, "data_sharing", x->recipient) == 1)
            rows++;
        else
            x->withheld++;
        json_decref(row);
    }
    store_export_close(cur);
    return rc == 0 ? rows : -1;
}

/* Writes the whole workbook (constant memory) into x->fd; 0 when done. */
static int make_xlsx(export_t *x)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", x->fd);
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = LXW_TRUE};
    x->wb = workbook_new_opt(path, &opt);
    x->ws = x->wb ? workbook_add_worksheet(x->wb, "cases") : NULL;
    if (!x->ws) {
        if (x->wb)
            workbook_close(x->wb);
        return -1;
    }
    put_header(x);
    json_t *row;
    int rc;
    while ((rc = store_export_next(x->cur, &row)) == 1) {
        on_row(row, x);
        json_decref(row);
        if (x->failed)
            break;
    }
    if (workbook_close(x->wb) != LXW_NO_ERROR)
        x->failed = 1;
    x->wb = NULL;
    x->ws = NULL;
    return rc == 0 && !x->failed && x->rows == x->expected && lseek(x->fd, 0, SEEK_SET) == 0 ? 0
                                                                                             : -1;
}

/* Reads a registration date parameter into epoch ms (the start of that
 * day, UTC; plus one day with next); problems go to errors. */
static int64_t date_param(const char *name, const char *v, int next, json_t *errors)
{
    awda_date_t d;
    if (!v)
        return 0;
    if (strlen(v) != 10 || awda_date_parse(v, 10, &d) != 3) {
        awda_error_add(errors, name, "%s must be a date such as 2026-01-31", name);
        return 0;
    }
    return (awda_days_from_civil(d.year, d.month, d.day) + next) * 86400000LL;
}

void app_export_cases(app_t *app, const app_actor_t *a, const app_export_query_t *q,
                      app_result_t *r)
{
    store_conn_t *c = app_reader(app, r);
    if (!c)
        return;
    json_t *errors = json_array();
    store_case_filter_t f = {0};
    app_case_filter(c, a, q->stage, q->office, errors, &f);
    f.created_from = date_param("registered_from", q->registered_from, 0, errors);
    f.created_before = date_param("registered_to", q->registered_to, 1, errors);
    int names = 0;
    if (q->names && strcmp(q->names, "true") == 0)
        names = 1;
    else if (q->names && strcmp(q->names, "false") != 0)
        awda_error_add(errors, "names", "names must be true or false");
    if (names && (!q->recipient || !*q->recipient))
        awda_error_add(errors, "recipient",
                       "say for whom an export with names is: \"internal\" for this "
                       "organisation's own use, or the id of the partner organisation it "
                       "goes to");
    else if (q->recipient && strlen(q->recipient) > AWDA_MAX_SHORT)
        awda_error_add(errors, "recipient", "the recipient is too long");
    char to[AWDA_MAX_SHORT + 1] = ""; /* the partner's name */
    if (names && q->recipient && *q->recipient && strlen(q->recipient) <= AWDA_MAX_SHORT &&
        strcmp(q->recipient, "internal") != 0) { /* a partner's id (partners.c) */
        json_t *p = app_partner_ref(c, q->recipient, "recipient", errors);
        snprintf(to, sizeof to, "%s", p ? json_string_value(json_object_get(p, "name")) : "");
        json_decref(p);
    }
    if (json_array_size(errors)) {
        app_bad_request(r, errors, "check the parameters of the export");
        return;
    }
    json_decref(errors);
    if (names && !app_allowed(a, PERM_EXPORT_NAMES)) {
        app_fail(r, APP_FORBIDDEN,
                 "your role may export pseudonymised data only (without names); leave out "
                 "names=true");
        return;
    }
    if (atomic_fetch_add(&exports_in_flight, 1) >= AWDA_MAX_EXPORTS_IN_FLIGHT) {
        atomic_fetch_sub(&exports_in_flight, 1);
        r->retry_after = 30;
        app_fail(r, APP_UNAVAILABLE, "%d exports are being made already; try again in a minute",
                 AWDA_MAX_EXPORTS_IN_FLIGHT);
        return;
    }

    export_t *x = calloc(1, sizeof *x);
    if (!x) {
        atomic_fetch_sub(&exports_in_flight, 1);
        app_fail(r, APP_ERROR, "the export could not be started");
        return;
    }
    x->app = app;
    x->fd = -1;
    x->names = names;
    if (names && strcmp(q->recipient, "internal") != 0) {
        snprintf(x->recipient_buf, sizeof x->recipient_buf, "%s", q->recipient);
        x->recipient = x->recipient_buf;
    }
    /* Protection concerns: for a role that sees them, for internal use. */
    x->protection = (app_visible_sensitivity(a) & (1u << SENS_PROTECTION)) && !x->recipient;
    x->xlsx = q->xlsx;
    randombytes_buf(x->key, sizeof x->key);
    buf_init(&x->csv, AWDA_EXPORT_CHUNK * 4);
    x->c = store_snapshot_open(app_store(app));
    long long total = x->c ? store_export_count(x->c, &f) : -1;
    long long limit = app->cfg.export_max_rows;
    if (x->xlsx && limit > AWDA_XLSX_MAX_ROWS)
        limit = AWDA_XLSX_MAX_ROWS;
    if (total < 0) {
        app_fail(r, APP_ERROR, "the export could not be read from the database");
        goto fail;
    }
    if (total > limit) {
        app_fail(r, APP_TOO_LARGE,
                 "this export would hold %lld rows, more than the %lld an export may hold%s; "
                 "narrow it by office, stage or registration dates (registered_from, "
                 "registered_to)%s",
                 total, limit, x->xlsx && limit == AWDA_XLSX_MAX_ROWS ? " in a worksheet" : "",
                 x->xlsx && total <= app->cfg.export_max_rows ? ", or ask for CSV" : "");
        r->extra = json_pack("{s:I,s:I}", "limit", (json_int_t)limit, "rows", (json_int_t)total);
        goto fail;
    }
    x->expected = total;
    if (x->recipient) {
        x->expected = consenting_rows(x, &f);
        if (x->expected < 0) {
            app_fail(r, APP_ERROR, "the export could not be read from the database");
            goto fail;
        }
        if (x->expected == 0 && x->withheld > 0) {
            app_fail(r, APP_NO_CONSENT,
                     "none of the %ld persons in this export consented to share their data with "
                     "%s",
                     x->withheld, to);
            goto fail;
        }
    }
    long withheld = x->withheld;
    x->withheld = 0;
    x->cur = store_export_open(x->c, &f, x->protection);
    if (!x->cur) {
        app_fail(r, APP_ERROR, "the export could not be read from the database");
        goto fail;
    }
    if (x->xlsx) {
        x->fd = app_sheet_temp_file("awda-export");
        if (x->fd < 0 || make_xlsx(x) != 0) {
            app_fail(r, APP_ERROR, "the spreadsheet could not be made");
            goto fail;
        }
        /* Made: the snapshot is not needed while the file is sent. */
        store_export_close(x->cur);
        store_snapshot_close(x->c);
        x->cur = NULL;
        x->c = NULL;
        r->produce = file_produce;
    } else {
        x->failed |= buf_puts(&x->csv, "\xEF\xBB\xBF"); /* a BOM: spreadsheets then read UTF-8 */
        put_header(x);
        r->produce = csv_produce;
    }
    r->produce_ctx = x;
    r->produce_done = export_free;
    char day[11];
    awda_date_format(awda_today(), day);
    r->raw_type = x->xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                          : "text/csv; charset=utf-8";
    snprintf(r->filename, sizeof r->filename, "awda-cases-%s%s.%s", day,
             names ? "" : "-pseudonymised", x->xlsx ? "xlsx" : "csv");
    r->withheld = withheld;
    r->rows = x->expected;
    r->code = APP_OK;
    return;
fail:
    export_free(x);
}
