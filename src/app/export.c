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
 *   - Medical and protection detail is never exported.
 *
 * Spreadsheet programs run cells that begin with = + - or @ as formulas;
 * such text is prefixed with an apostrophe. Direction overrides and
 * isolates (U+202A..U+202E, U+2066..U+2069) are stripped from every cell,
 * so that no value displays as something else. Rows are capped at
 * AWDA_MAX_EXPORT_ROWS. The export itself is audited like every request.
 */
#include "internal.h"
#include "../util/buf.h"
#include "../util/id.h"
#include "../util/limits.h"
#include "../util/timeutil.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xlsxwriter.h>

typedef struct {
    const char *title; /* column heading */
    const char *hxl;   /* HXL hashtag */
    const char *key;   /* member of the store row; NULL: computed */
    int names_only;    /* only with names=true */
} column_t;

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
};
#define NCOLUMNS (sizeof COLUMNS / sizeof COLUMNS[0])

typedef struct {
    app_t *app;
    store_conn_t *c;
    int names;
    const char *recipient; /* NULL or "internal": no consent filter */
    unsigned char key[crypto_generichash_KEYBYTES];
    int xlsx;
    buf_t csv;
    lxw_workbook *wb;
    lxw_worksheet *ws;
    long rows, withheld;
    int failed;
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
    } else if (strcmp(col->hxl, "#affected+vuln") == 0) {
        size_t i, o = 0;
        json_t *v;
        json_array_foreach(json_object_get(row, "vulnerabilities"), i, v)
        {
            int n = snprintf(out + o, cap - o, "%s%s", i ? " " : "", json_string_value(v));
            if (n < 0 || (size_t)n >= cap - o)
                break;
            o += (size_t)n;
        }
    }
    /* No direction override that makes a name display as something
     * else (field.h); what is left is not a formula either. */
    awda_strip_bidi(out);
    /* Not a formula when opened in a spreadsheet. */
    if (strchr("=+-@", out[0]) && out[0]) {
        size_t n = strlen(out);
        if (n + 1 < cap) {
            memmove(out + 1, out, n + 1);
            out[0] = '\'';
        }
    }
}

static int included(const export_t *x, size_t k)
{
    return x->names || !COLUMNS[k].names_only;
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

/* Reads the whole of fd into a malloc'd buffer; NULL on failure. */
static char *slurp(int fd, size_t *len)
{
    off_t size = lseek(fd, 0, SEEK_END);
    if (size < 0 || size > (off_t)AWDA_MAX_EXPORT_BYTES || lseek(fd, 0, SEEK_SET) < 0)
        return NULL;
    char *out = malloc((size_t)size + 1);
    size_t got = 0;
    while (out && got < (size_t)size) {
        ssize_t n = read(fd, out + got, (size_t)size - got);
        if (n <= 0) {
            free(out);
            return NULL;
        }
        got += (size_t)n;
    }
    *len = got;
    return out;
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

    export_t x;
    memset(&x, 0, sizeof x);
    x.app = app;
    x.c = c;
    x.names = names;
    x.recipient = names && strcmp(q->recipient, "internal") != 0 ? q->recipient : NULL;
    x.xlsx = q->xlsx;
    randombytes_buf(x.key, sizeof x.key);
    int fd = -1;
    if (x.xlsx) {
        /* libxlsxwriter writes to a path: an anonymous memory file keeps the
         * data off the disk. */
        fd = memfd_create("awda-export", MFD_CLOEXEC);
        char path[64];
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        x.wb = fd >= 0 ? workbook_new(path) : NULL;
        x.ws = x.wb ? workbook_add_worksheet(x.wb, "cases") : NULL;
        if (!x.ws) {
            if (x.wb)
                workbook_close(x.wb);
            if (fd >= 0)
                close(fd);
            app_fail(r, APP_ERROR, "the spreadsheet could not be started");
            return;
        }
    } else {
        buf_init(&x.csv, AWDA_MAX_EXPORT_BYTES);
        x.failed |= buf_puts(&x.csv, "\xEF\xBB\xBF"); /* a BOM: spreadsheets then read UTF-8 */
    }
    put_header(&x);
    /* One consistent snapshot: api.c runs every GET in a read transaction. */
    long n = store_export_rows(c, &f, AWDA_MAX_EXPORT_ROWS, on_row, &x);
    char *out = NULL;
    size_t len = 0;
    if (x.xlsx) {
        if (workbook_close(x.wb) != LXW_NO_ERROR)
            x.failed = 1;
        if (!x.failed)
            out = slurp(fd, &len);
        close(fd);
    } else if (!x.failed) {
        len = x.csv.len;
        out = buf_take(&x.csv);
    }
    if (!x.xlsx)
        buf_free(&x.csv);
    if (n < 0 || x.failed || !out) {
        free(out);
        app_fail(r, APP_ERROR, "the export could not be made (too large, or the database failed)");
        return;
    }
    if (x.recipient && x.rows == 0 && x.withheld > 0) {
        free(out);
        app_fail(r, APP_NO_CONSENT,
                 "none of the %ld persons in this export consented to share their data with %s",
                 x.withheld, to);
        return;
    }
    char day[11];
    awda_date_format(awda_today(), day);
    r->raw = out;
    r->raw_len = len;
    r->raw_type = x.xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                         : "text/csv; charset=utf-8";
    snprintf(r->filename, sizeof r->filename, "awda-cases-%s%s.%s", day,
             names ? "" : "-pseudonymised", x.xlsx ? "xlsx" : "csv");
    r->withheld = x.withheld;
    r->code = APP_OK;
}
