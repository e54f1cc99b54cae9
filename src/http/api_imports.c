/*
 * api_imports.c — the API module of imports: POST /api/v1/imports starts
 * an import (a job on an import thread of its own: 202 with Location),
 * GET /api/v1/imports/{id} its progress, GET /api/v1/imports/{id}/problems
 * its problems by row (JSON, or CSV to download), GET /api/v1/imports the
 * imports of the user's offices. Permission import.run on every route;
 * the scope is the import's office (app/import_jobs.c).
 *
 * The upload. The body is either multipart/form-data — a part "file" (the
 * CSV or XLSX), a part "mapping" (the mapping's JSON, as text or a file)
 * or "mapping_example" (the name of a mapping shipped in data/import/),
 * and optional parts "office" and "mode" — or the file itself as the raw
 * body (text/csv, the XLSX media type, application/octet-stream) with
 * ?mapping_example=, &office=, &mode= in the query. The body arrives
 * within the server's body cap (--max-body, at most
 * AWDA_MAX_BODY_CEILING); the file is written to a temporary file (mode
 * 0600, under TMPDIR) that the import reads and deletes when it is over,
 * so the request's memory is freed as soon as the job is queued. A file
 * or mapping that cannot be read is answered with problem+json (422) and
 * nothing is written.
 *
 * The multipart parser is our own, with length-capped cursors
 * (libmicrohttpd's is not used: see docs/ARCHITECTURE.md).
 */
#include "api.h"
#include "../app/imports.h"
#include "../core/field.h"
#include "../text/messages.h"
#include "../util/limits.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <unistd.h>

/* A (pointer, length) string. */
typedef struct {
    const char *p;
    size_t n;
} span_t;

#define MAX_PARTS 8

typedef struct {
    span_t name, filename, data;
} part_t;

/* The value of parameter key (boundary, name, filename) in a header
 * value: quoted or not; 0 when absent. */
static int header_param(span_t h, const char *key, span_t *out)
{
    size_t k = strlen(key);
    for (size_t i = 0; i + k + 1 <= h.n; i++) {
        if ((i == 0 || h.p[i - 1] == ';' || h.p[i - 1] == ' ') &&
            strncasecmp(h.p + i, key, k) == 0 && h.p[i + k] == '=') {
            size_t s = i + k + 1, e;
            if (s < h.n && h.p[s] == '"') {
                s++;
                for (e = s; e < h.n && h.p[e] != '"'; e++)
                    ;
            } else {
                for (e = s; e < h.n && h.p[e] != ';' && h.p[e] != ' '; e++)
                    ;
            }
            *out = (span_t){h.p + s, e - s};
            return 1;
        }
    }
    return 0;
}

/* Splits a multipart body into parts; the count, or -1 when malformed. */
static int multipart(const char *body, size_t len, span_t boundary, part_t *parts, int max)
{
    char delim[80];
    if (boundary.n == 0 || boundary.n > 70)
        return -1;
    int dn = snprintf(delim, sizeof delim, "--%.*s", (int)boundary.n, boundary.p);
    const char *end = body + len;
    const char *p = memmem(body, len, delim, (size_t)dn);
    int n = 0;
    while (p) {
        p += dn;
        if (end - p >= 2 && p[0] == '-' && p[1] == '-')
            return n; /* the closing delimiter */
        if (end - p < 2 || p[0] != '\r' || p[1] != '\n' || n == max)
            return -1;
        p += 2;
        const char *hend = memmem(p, (size_t)(end - p), "\r\n\r\n", 4);
        if (!hend)
            return -1;
        part_t *pt = &parts[n];
        memset(pt, 0, sizeof *pt);
        for (const char *line = p; line < hend;) {
            const char *eol = memmem(line, (size_t)(hend - line), "\r\n", 2);
            if (!eol)
                eol = hend;
            span_t h = {line, (size_t)(eol - line)};
            if (h.n > 20 && strncasecmp(h.p, "Content-Disposition:", 20) == 0) {
                header_param(h, "name", &pt->name);
                header_param(h, "filename", &pt->filename);
            }
            line = eol + 2;
        }
        const char *data = hend + 4;
        char next[84];
        int nn = snprintf(next, sizeof next, "\r\n%s", delim);
        const char *stop = memmem(data, (size_t)(end - data), next, (size_t)nn);
        if (!stop)
            return -1;
        pt->data = (span_t){data, (size_t)(stop - data)};
        n++;
        p = stop + 2;
    }
    return -1;
}

static const part_t *part_named(const part_t *parts, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (parts[i].name.n == strlen(name) && memcmp(parts[i].name.p, name, parts[i].name.n) == 0)
            return &parts[i];
    return NULL;
}

/* A short text part (office, mode, example name) into out; "" when none
 * or too long. */
static const char *part_text(const part_t *parts, int n, const char *name, char *out, size_t cap)
{
    const part_t *p = part_named(parts, n, name);
    out[0] = '\0';
    if (p && p->data.n < cap) {
        memcpy(out, p->data.p, p->data.n);
        out[p->data.n] = '\0';
    }
    return out;
}

/* The shipped mapping named name (letters, digits and dashes), read from
 * data/import/ beside the binary, as malloc'd text; NULL when none. */
static char *example_mapping(const char *name, size_t *len)
{
    size_t n = strlen(name);
    if (n == 0 || n > 64)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (!islower((unsigned char)name[i]) && !isdigit((unsigned char)name[i]) && name[i] != '-')
            return NULL;
    const char *dir = getenv("AWDA_IMPORT_DATA");
    char exe[1024], path[1400];
    static const char *const BESIDE[] = {"/../share/awda/import", "/../data/import",
                                         "/../../data/import"};
    ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char *slash = k > 0 ? (exe[k] = '\0', strrchr(exe, '/')) : NULL;
    if (slash)
        *slash = '\0';
    for (int i = -1; i < 3; i++) {
        if (i < 0 && !(dir && *dir))
            continue;
        if (i >= 0 && !slash)
            break;
        snprintf(path, sizeof path, "%s%s/%s.mapping.json", i < 0 ? dir : exe,
                 i < 0 ? "" : BESIDE[i], name);
        FILE *f = fopen(path, "rb");
        if (!f)
            continue;
        char *s = malloc(AWDA_IMPORT_MAX_MAPPING_BYTES + 1);
        size_t got = s ? fread(s, 1, AWDA_IMPORT_MAX_MAPPING_BYTES, f) : 0;
        fclose(f);
        if (!s)
            return NULL;
        s[got] = '\0';
        *len = got;
        return s;
    }
    return NULL;
}

/* Writes the uploaded bytes to a new temporary directory (mode 0700), in
 * a file named as the upload was (a CSV's sheet is named after its file),
 * its characters kept to letters, digits, '.', '-' and '_'; its path into
 * path. */
static int spool(const char *data, size_t n, const char *name, char *path, size_t cap)
{
    const char *tmp = getenv("TMPDIR");
    char dir[256], base[96];
    snprintf(dir, sizeof dir, "%s/awda-import-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return -1;
    size_t k = 0;
    for (const char *p = name; *p && k + 1 < sizeof base; p++)
        base[k++] = (isalnum((unsigned char)*p) || *p == '.' || *p == '-' || *p == '_') ? *p : '_';
    base[k] = '\0';
    if (!k || base[0] == '.')
        snprintf(base, sizeof base, "upload");
    snprintf(path, cap, "%s/%s", dir, base);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) {
        rmdir(dir);
        return -1;
    }
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(fd, data + done, n - done);
        if (w <= 0)
            break;
        done += (size_t)w;
    }
    if (close(fd) != 0 || done < n) {
        unlink(path);
        rmdir(dir);
        return -1;
    }
    return 0;
}

/* Removes a spooled file and its directory. */
static void unspool(const char *path)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    unlink(path);
    if (slash) {
        *slash = '\0';
        rmdir(dir);
    }
}

/* Answers 422 with the problems e (taken). */
static void refuse_form(api_call_t *c, json_t *e)
{
    api_problem(c->x, 422, "validation", "The import is not valid", NULL, e);
    json_decref(e);
}

static void h_import_start(api_call_t *c)
{
    http_exchange_t *x = c->x;
    const char *ct = http_header(x, "Content-Type");
    part_t parts[MAX_PARTS];
    int np = 0;
    span_t file = {x->body, x->body_len}, boundary;
    char office[16], mode[32], example[80], fname[256];
    const char *mapping = NULL;
    size_t mapping_len = 0;
    char *owned = NULL;
    snprintf(fname, sizeof fname, "upload");
    if (ct && strncasecmp(ct, "multipart/form-data", 19) == 0) {
        if (!header_param((span_t){ct, strlen(ct)}, "boundary", &boundary) ||
            (np = multipart(x->body, x->body_len, boundary, parts, MAX_PARTS)) < 0) {
            json_t *e = json_array();
            awda_error_add(e, "", "the form could not be read (multipart/form-data)");
            refuse_form(c, e);
            return;
        }
        const part_t *f = part_named(parts, np, "file");
        if (!f) {
            json_t *e = json_array();
            awda_error_add(e, "file", "send the file to import as the part \"file\"");
            refuse_form(c, e);
            return;
        }
        file = f->data;
        if (f->filename.n)
            snprintf(fname, sizeof fname, "%.*s", (int)(f->filename.n < 200 ? f->filename.n : 200),
                     f->filename.p);
        const part_t *m = part_named(parts, np, "mapping");
        if (m && m->data.n) {
            mapping = m->data.p;
            mapping_len = m->data.n;
        }
        part_text(parts, np, "office", office, sizeof office);
        part_text(parts, np, "mode", mode, sizeof mode);
        part_text(parts, np, "mapping_example", example, sizeof example);
    } else {
        const char *o = api_arg(c, "office"), *md = api_arg(c, "mode"),
                   *ex = api_arg(c, "mapping_example");
        snprintf(office, sizeof office, "%s", o ? o : "");
        snprintf(mode, sizeof mode, "%s", md ? md : "");
        snprintf(example, sizeof example, "%s", ex ? ex : "");
    }
    if (!mapping && *example) {
        owned = example_mapping(example, &mapping_len);
        if (!owned) {
            json_t *e = json_array();
            awda_error_add(e, "mapping_example", "there is no example mapping with this name");
            refuse_form(c, e);
            return;
        }
        mapping = owned;
    }
    if (!mapping) {
        json_t *e = json_array();
        awda_error_add(e, "mapping",
                       "send the mapping (the part \"mapping\") or name an example mapping");
        refuse_form(c, e);
        return;
    }
    int md = *mode ? app_import_mode_parse(mode) : APP_IMPORT_DRY_RUN;
    if (md < 0) {
        free(owned);
        json_t *e = json_array();
        awda_error_add(e, "mode", "must be dry_run, all_or_nothing or valid_rows");
        refuse_form(c, e);
        return;
    }
    if (file.n == 0) {
        free(owned);
        json_t *e = json_array();
        awda_error_add(e, "file", "the file is empty");
        refuse_form(c, e);
        return;
    }
    char path[512];
    if (spool(file.p, file.n, fname, path, sizeof path)) {
        free(owned);
        app_result_t r = {0};
        app_fail(&r, APP_UNAVAILABLE, "the file could not be stored for the import");
        api_respond(c, &r);
        return;
    }
    app_import_opts_t o = {
        path, fname, mapping, mapping_len, *office ? office : NULL, (app_import_mode_t)md, 1, 1, 0};
    app_result_t r = {0};
    app_import_t *im = app_import_prepare(c->app, &c->actor, &o, &r);
    free(owned);
    if (!im) {
        unspool(path);
        api_respond(c, &r);
        return;
    }
    app_result_free(&r);
    memset(&r, 0, sizeof r);
    app_import_start(im, &r);
    int created = r.code == APP_CREATED;
    api_respond(c, &r);
    if (created)
        x->status = 202;
}

static void h_import_get(api_call_t *c)
{
    app_result_t r = {0};
    app_import_get(c->app, &c->actor, c->param, &r);
    api_respond(c, &r);
}

/* The language of the CSV report: the user's saved one, else
 * Accept-Language, else English. */
static int report_lang(api_call_t *c)
{
    const char *saved = c->actor.p.language;
    int l = awda_lang_parse(saved, strlen(saved));
    if (l < 0)
        l = awda_lang_accept(http_header(c->x, "Accept-Language"));
    return l < 0 ? AWDA_LANG_EN : l;
}

static void h_import_problems(api_call_t *c)
{
    const char *format = api_arg(c, "format");
    const char *accept = http_header(c->x, "Accept");
    int csv = (format && strcmp(format, "csv") == 0) || (accept && strstr(accept, "text/csv"));
    app_result_t r = {0};
    app_import_problems(c->app, &c->actor, c->param, api_arg(c, "after"), csv, report_lang(c), &r);
    api_respond(c, &r);
}

static void h_import_list(api_call_t *c)
{
    app_result_t r = {0};
    app_import_list(c->app, &c->actor, &r);
    api_respond(c, &r);
}

static const api_route_t ROUTES[] = {
    {"POST", "/api/v1/imports", PERM_IMPORT, 0, h_import_start},
    {"GET", "/api/v1/imports", PERM_IMPORT, 0, h_import_list},
    {"GET", "/api/v1/imports/{id}", PERM_IMPORT, 0, h_import_get},
    {"GET", "/api/v1/imports/{id}/problems", PERM_IMPORT, API_MESSAGES, h_import_problems},
};

const api_module_t api_module_imports = API_MODULE_OF(imports, ROUTES);
