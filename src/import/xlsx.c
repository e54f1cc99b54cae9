/*
 * xlsx.c — an XLSX workbook read into sheets (src/import/table.h): the
 * zip, the XML driver, the workbook and its relationships. The shared
 * strings, the styles and the sheets themselves are in xlsx_sheet.c.
 *
 * The zip is opened from memory by libzip with its consistency checks (a
 * damaged zip: BAD_XLSX). Before anything is inflated, every member's
 * declared size is held to AWDA_IMPORT_MAX_UNZIPPED_BYTES (alone and all
 * together) and, from AWDA_IMPORT_ZIP_RATIO_FROM_BYTES on, to
 * AWDA_IMPORT_MAX_ZIP_RATIO times its compressed size: ZIP_BOMB. Declared
 * sizes can lie (libzip inflates past them), so xlsx_run counts the bytes
 * as they are inflated and stops at the same limits.
 *
 * The parts are found as a spreadsheet program finds them: _rels/.rels
 * names the workbook (xl/workbook.xml when it names none); the workbook
 * lists the sheets in order with their names and relationship ids
 * (workbookPr date1904 gives the date system); its relationships
 * (xl/_rels/workbook.xml.rels) give each sheet's member and the shared
 * strings' and styles'. A zip without a workbook (a .docx, a plain zip)
 * is NOT_A_TABLE. Chart sheets are skipped.
 *
 * The XML of every member goes through expat in chunks of 64 KiB; a
 * DOCTYPE or an entity declaration stops it (an entity expansion bomb —
 * "billion laughs" — never starts): BAD_XLSX. Element nesting is held to
 * AWDA_IMPORT_MAX_XML_DEPTH.
 */
#include "xlsx_internal.h"
#include "../util/limits.h"
#include <stdlib.h>
#include <string.h>

#define CHUNK 65536

/* ---- the XML driver ------------------------------------------------------ */

static const char *local(const char *name)
{
    const char *c = strrchr(name, ':');
    return c ? c + 1 : name;
}

const char *xml_attr(const char **attrs, const char *name)
{
    for (size_t i = 0; attrs && attrs[i]; i += 2)
        if (strcmp(local(attrs[i]), name) == 0)
            return attrs[i + 1];
    return NULL;
}

void xml_stop(xml_ctx_t *c, awda_table_status_t st)
{
    if (!c->st)
        c->st = st;
    XML_StopParser(c->p, XML_FALSE);
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
    xml_ctx_t *c = ud;
    if (c->st)
        return;
    if (++c->depth > AWDA_IMPORT_MAX_XML_DEPTH) {
        xml_stop(c, AWDA_TABLE_BAD_XLSX);
        return;
    }
    if (c->part->start)
        c->part->start(c, local(name), attrs);
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    xml_ctx_t *c = ud;
    if (c->st)
        return;
    if (c->part->end)
        c->part->end(c, local(name));
    c->depth--;
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
    xml_ctx_t *c = ud;
    if (!c->st && c->part->text)
        c->part->text(c, s, len);
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal)
{
    (void)name;
    (void)sysid;
    (void)pubid;
    (void)has_internal;
    xml_stop(ud, AWDA_TABLE_BAD_XLSX);
}

static void XMLCALL on_entity(void *ud, const XML_Char *name, int param, const XML_Char *value,
                              int vlen, const XML_Char *base, const XML_Char *sysid,
                              const XML_Char *pubid, const XML_Char *notation)
{
    (void)name;
    (void)param;
    (void)value;
    (void)vlen;
    (void)base;
    (void)sysid;
    (void)pubid;
    (void)notation;
    xml_stop(ud, AWDA_TABLE_BAD_XLSX);
}

static int over_ratio(uint64_t size, uint64_t comp)
{
    if (size < (uint64_t)AWDA_IMPORT_ZIP_RATIO_FROM_BYTES)
        return 0;
    return size > (comp ? comp : 1) * (uint64_t)AWDA_IMPORT_MAX_ZIP_RATIO;
}

static zip_int64_t locate(zip_t *z, const char *path)
{
    zip_int64_t i = zip_name_locate(z, path, 0);
    return i >= 0 ? i : zip_name_locate(z, path, ZIP_FL_NOCASE);
}

awda_table_status_t xlsx_run(xlsx_t *x, const char *path, const xml_part_t *part, void *ud,
                             int *found)
{
    if (found)
        *found = 0;
    zip_int64_t i = locate(x->z, path);
    if (i < 0)
        return AWDA_TABLE_OK;
    if (found)
        *found = 1;
    zip_stat_t zs;
    zip_stat_init(&zs);
    if (zip_stat_index(x->z, (zip_uint64_t)i, 0, &zs) != 0)
        return AWDA_TABLE_BAD_XLSX;
    uint64_t comp = (zs.valid & ZIP_STAT_COMP_SIZE) ? zs.comp_size : 0;
    if (comp > x->len)
        comp = x->len; /* a declared compressed size cannot pass the file */
    zip_file_t *f = zip_fopen_index(x->z, (zip_uint64_t)i, 0);
    if (!f)
        return AWDA_TABLE_BAD_XLSX; /* encrypted, an unknown method… */
    XML_Parser p = XML_ParserCreate(NULL);
    if (!p) {
        zip_fclose(f);
        return AWDA_TABLE_TOO_LARGE;
    }
    xml_ctx_t c = {.x = x, .p = p, .part = part, .ud = ud};
    XML_SetUserData(p, &c);
    XML_SetElementHandler(p, on_start, on_end);
    XML_SetCharacterDataHandler(p, on_text);
    XML_SetStartDoctypeDeclHandler(p, on_doctype);
    XML_SetEntityDeclHandler(p, on_entity);
    XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
    awda_table_status_t st = AWDA_TABLE_OK;
    uint64_t count = 0;
    for (;;) {
        zip_int64_t n = zip_fread(f, x->buf, CHUNK);
        if (n < 0) {
            st = AWDA_TABLE_BAD_XLSX; /* a damaged stream, a wrong CRC */
            break;
        }
        count += (uint64_t)n;
        x->inflated += (uint64_t)n;
        if (count > (uint64_t)AWDA_IMPORT_MAX_UNZIPPED_BYTES ||
            x->inflated > (uint64_t)AWDA_IMPORT_MAX_UNZIPPED_BYTES || over_ratio(count, comp)) {
            st = AWDA_TABLE_ZIP_BOMB;
            break;
        }
        if (XML_Parse(p, x->buf, (int)n, n == 0) != XML_STATUS_OK) {
            st = c.st ? c.st : AWDA_TABLE_BAD_XLSX;
            break;
        }
        if (n == 0)
            break;
    }
    zip_fclose(f);
    XML_ParserFree(p);
    return st;
}

awda_table_status_t xlsx_fail(xlsx_t *x, awda_table_status_t st, size_t sheet, long row, long col)
{
    awda_table_error_t *e = x->err;
    if (!e)
        return st;
    memset(e, 0, sizeof *e);
    e->status = st;
    e->line = row;
    e->column = col;
    if (sheet < x->t->nsheets) {
        const char *name = x->t->arena + x->t->sheets[sheet].name;
        size_t n = strlen(name);
        if (n >= sizeof e->sheet) {
            n = sizeof e->sheet - 1;
            while (n > 0 && ((unsigned char)name[n] & 0xc0) == 0x80)
                n--;
        }
        memcpy(e->sheet, name, n);
        e->sheet[n] = 0;
    }
    return st;
}

/* ---- paths ------------------------------------------------------------------ */

/* The member a relationship's target names, from the folder (with its
 * trailing '/', or "") of the part whose relationships these are. */
static int resolve(const char *dir, const char *target, char *out, size_t cap)
{
    char tmp[XLSX_PATH_MAX];
    int n = target[0] == '/' ? snprintf(tmp, sizeof tmp, "%s", target + 1)
                             : snprintf(tmp, sizeof tmp, "%s%s", dir, target);
    if (n < 0 || (size_t)n >= sizeof tmp)
        return -1;
    /* drop "./" and fold "x/../" */
    size_t o = 0;
    const char *s = tmp;
    while (*s) {
        const char *e = strchr(s, '/');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        if (len == 1 && s[0] == '.') {
        } else if (len == 2 && s[0] == '.' && s[1] == '.') {
            if (o > 0)
                o--; /* before the '/' */
            while (o > 0 && out[o - 1] != '/')
                o--;
        } else if (len > 0) {
            if (o + len + 2 > cap)
                return -1;
            memcpy(out + o, s, len);
            o += len;
            if (e)
                out[o++] = '/';
        }
        s = e ? e + 1 : s + len;
    }
    if (o > 0 && out[o - 1] == '/')
        o--;
    out[o] = 0;
    return o > 0 ? 0 : -1;
}

/* ---- relationships -------------------------------------------------------------- */

typedef struct {
    char id[64];
    char type[32]; /* the last word of the Type URI: worksheet, styles… */
    char path[XLSX_PATH_MAX];
} rel_t;

typedef struct {
    const char *dir;
    rel_t *rels;
    size_t n, cap;
} rels_t;

static void rels_start(xml_ctx_t *c, const char *name, const char **attrs)
{
    rels_t *r = c->ud;
    if (strcmp(name, "Relationship") != 0)
        return;
    const char *id = xml_attr(attrs, "Id"), *type = xml_attr(attrs, "Type"),
               *target = xml_attr(attrs, "Target"), *mode = xml_attr(attrs, "TargetMode");
    if (!id || !type || !target || (mode && strcmp(mode, "External") == 0))
        return;
    if (r->n == r->cap) {
        if (r->cap >= AWDA_IMPORT_MAX_ZIP_ENTRIES) {
            xml_stop(c, AWDA_TABLE_BAD_XLSX);
            return;
        }
        rel_t *a = table_grow(r->rels, &r->cap, sizeof *a, 16);
        if (!a) {
            xml_stop(c, AWDA_TABLE_TOO_LARGE);
            return;
        }
        r->rels = a;
    }
    rel_t *e = &r->rels[r->n];
    const char *word = strrchr(type, '/');
    word = word ? word + 1 : type;
    if (strlen(id) >= sizeof e->id || strlen(word) >= sizeof e->type)
        return; /* not one of ours */
    memcpy(e->id, id, strlen(id) + 1);
    memcpy(e->type, word, strlen(word) + 1);
    if (resolve(r->dir, target, e->path, sizeof e->path) != 0) {
        xml_stop(c, AWDA_TABLE_BAD_XLSX);
        return;
    }
    r->n++;
}

static const xml_part_t RELS = {.start = rels_start};

static const rel_t *rel_by_type(const rels_t *r, const char *type)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->rels[i].type, type) == 0)
            return &r->rels[i];
    return NULL;
}

static const rel_t *rel_by_id(const rels_t *r, const char *id)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->rels[i].id, id) == 0)
            return &r->rels[i];
    return NULL;
}

/* ---- the workbook ---------------------------------------------------------------- */

typedef struct {
    char name[256];
    char rid[64];
} wsheet_t;

typedef struct {
    wsheet_t *sheets;
    size_t n;
} workbook_t;

static void workbook_start(xml_ctx_t *c, const char *name, const char **attrs)
{
    workbook_t *w = c->ud;
    if (strcmp(name, "workbookPr") == 0) {
        const char *d = xml_attr(attrs, "date1904");
        c->x->date1904 = d && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0);
    } else if (strcmp(name, "sheet") == 0) {
        const char *nm = xml_attr(attrs, "name"), *rid = xml_attr(attrs, "id");
        if (!nm || !rid || strlen(rid) >= sizeof w->sheets[0].rid ||
            strlen(nm) >= sizeof w->sheets[0].name) {
            xml_stop(c, AWDA_TABLE_BAD_XLSX);
            return;
        }
        if (w->n >= AWDA_IMPORT_MAX_SHEETS) {
            xml_stop(c, AWDA_TABLE_TOO_MANY_SHEETS);
            return;
        }
        memcpy(w->sheets[w->n].name, nm, strlen(nm) + 1);
        memcpy(w->sheets[w->n].rid, rid, strlen(rid) + 1);
        w->n++;
    }
}

static const xml_part_t WORKBOOK = {.start = workbook_start};

/* The folder of a member, with its '/' ("" at the top). */
static void dir_of(const char *path, char *dir, size_t cap)
{
    const char *s = strrchr(path, '/');
    size_t n = s ? (size_t)(s - path) + 1 : 0;
    if (n >= cap)
        n = 0;
    memcpy(dir, path, n);
    dir[n] = 0;
}

static awda_table_status_t check_declared(xlsx_t *x)
{
    zip_int64_t n = zip_get_num_entries(x->z, 0);
    if (n < 0 || n > AWDA_IMPORT_MAX_ZIP_ENTRIES)
        return AWDA_TABLE_BAD_XLSX;
    uint64_t total = 0;
    for (zip_int64_t i = 0; i < n; i++) {
        zip_stat_t zs;
        zip_stat_init(&zs);
        if (zip_stat_index(x->z, (zip_uint64_t)i, 0, &zs) != 0)
            return AWDA_TABLE_BAD_XLSX;
        if (!(zs.valid & ZIP_STAT_SIZE))
            continue;
        uint64_t comp = (zs.valid & ZIP_STAT_COMP_SIZE) ? zs.comp_size : 0;
        total += zs.size;
        if (zs.size > (uint64_t)AWDA_IMPORT_MAX_UNZIPPED_BYTES ||
            total > (uint64_t)AWDA_IMPORT_MAX_UNZIPPED_BYTES || over_ratio(zs.size, comp))
            return AWDA_TABLE_ZIP_BOMB;
    }
    return AWDA_TABLE_OK;
}

static awda_table_status_t read_workbook(xlsx_t *x)
{
    awda_table_status_t st = check_declared(x);
    if (st)
        return st;
    /* the workbook, from the package's relationships */
    char wbpath[XLSX_PATH_MAX] = "xl/workbook.xml";
    rels_t top = {.dir = ""};
    int found;
    st = xlsx_run(x, "_rels/.rels", &RELS, &top, &found);
    const rel_t *doc = st ? NULL : rel_by_type(&top, "officeDocument");
    if (doc)
        memcpy(wbpath, doc->path, strlen(doc->path) + 1);
    free(top.rels);
    if (st)
        return st;
    workbook_t wb = {.sheets = calloc(AWDA_IMPORT_MAX_SHEETS, sizeof(wsheet_t))};
    if (!wb.sheets)
        return AWDA_TABLE_TOO_LARGE;
    st = xlsx_run(x, wbpath, &WORKBOOK, &wb, &found);
    if (!st && !found)
        st = AWDA_TABLE_NOT_A_TABLE;
    /* its relationships: dir/_rels/name.rels */
    char dir[XLSX_PATH_MAX], relpath[XLSX_PATH_MAX + 16];
    dir_of(wbpath, dir, sizeof dir);
    rels_t r = {.dir = dir};
    if (!st) {
        snprintf(relpath, sizeof relpath, "%s_rels/%s.rels", dir, wbpath + strlen(dir));
        st = xlsx_run(x, relpath, &RELS, &r, &found);
        if (!st && !found)
            st = AWDA_TABLE_BAD_XLSX;
    }
    const rel_t *e;
    if (!st && (e = rel_by_type(&r, "styles")) != NULL)
        st = xlsx_read_styles(x, e->path);
    if (!st && (e = rel_by_type(&r, "sharedStrings")) != NULL)
        st = xlsx_read_shared_strings(x, e->path);
    for (size_t i = 0; !st && i < wb.n; i++) {
        e = rel_by_id(&r, wb.sheets[i].rid);
        if (!e) {
            st = AWDA_TABLE_BAD_XLSX;
            break;
        }
        if (strcmp(e->type, "worksheet") != 0)
            continue; /* a chart sheet, a dialog sheet */
        size_t idx;
        st = table_add_sheet(x->t, wb.sheets[i].name, strlen(wb.sheets[i].name), &idx);
        if (st)
            break;
        st = xlsx_read_sheet(x, e->path, idx);
    }
    free(r.rels);
    free(wb.sheets);
    return st;
}

awda_table_status_t table_read_xlsx(awda_table_t *t, const unsigned char *data, size_t len,
                                    awda_table_error_t *err)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    if (!src) {
        zip_error_fini(&ze);
        return AWDA_TABLE_TOO_LARGE;
    }
    zip_t *z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
    zip_error_fini(&ze);
    if (!z) {
        zip_source_free(src);
        return AWDA_TABLE_BAD_XLSX;
    }
    xlsx_t x = {.t = t, .z = z, .err = err, .buf = malloc(CHUNK), .len = len};
    awda_table_status_t st = x.buf ? read_workbook(&x) : AWDA_TABLE_TOO_LARGE;
    zip_discard(z);
    free(x.buf);
    free(x.sst);
    free(x.xf);
    free(x.fmt);
    return st;
}
