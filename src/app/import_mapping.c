/*
 * import_mapping.c — a mapping (data/import/README.md) read, matched to a
 * workbook, and applied to the rows of one household.
 *
 * The mapping is JSON:
 *   {"sheet": "main sheet" (default: the first),
 *    "office": "EG-CAI" (default office; --office or the form overrides it),
 *    "household": {"key": "hh_id"} (rows with the same key are one case;
 *                  without it, one case per row of the main sheet),
 *    "case": {field: spec}, "person": {field: spec}, "relationship": spec,
 *    "repeat": {"sheet": "members", "index": "_index",
 *               "parent_index": "_parent_index",
 *               "person": {field: spec}, "relationship": spec}}
 * A spec is a column name ("sex"), or {"column", "values" (a value map,
 * matched exactly, then without regard to the case of Latin letters),
 * "split" (a select-multiple answer: split on spaces into a list),
 * "format" (a date: "DD/MM/YYYY", "MM/DD/YYYY", "YYYY-MM-DD"...),
 * "default" (when the cell is empty or there is no column)}.
 *
 * Columns are matched by their full header first ("household/member/
 * name"), then, for a name without "/", by the last segment of the
 * KoboToolbox / ODK group path ("name"); two headers ending alike must be
 * named by their full path. The fields are the field tables' (AWDA_CASE,
 * AWDA_PERSON), plus "contact.phone" etc. and "document.number" etc. for
 * the person's contact and first document: the mapping can only name
 * what registration takes, and the document it builds is checked by the
 * same rules (imports.c calls app_case_validate).
 */
#include "import_mapping.h"
#include "../core/field.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { K_TEXT, K_LIST, K_BOOL, K_INT, K_DATE };

static int kind_of(const awda_field_t *f)
{
    switch (f->type) {
    case FT_FLAGS:
    case FT_LANGS:
    case FT_STRINGS:
        return K_LIST;
    case FT_BOOL:
        return K_BOOL;
    case FT_INT:
        return K_INT;
    case FT_PARTIAL_DATE:
    case FT_DATE:
    case FT_DATETIME:
        return K_DATE;
    default:
        return K_TEXT;
    }
}

/* The field table entry a mapping's field name stands for, or NULL. */
static const awda_field_t *field_of(const char *name, int person)
{
    if (!person) {
        const awda_field_t *f = awda_field_find(&AWDA_CASE, name);
        if (!f || (f->flags & F_SERVER) || strcmp(name, "members") == 0)
            return NULL;
        return f;
    }
    if (strncmp(name, "contact.", 8) == 0)
        return awda_field_find(&AWDA_CONTACT, name + 8);
    if (strncmp(name, "document.", 9) == 0)
        return awda_field_find(&AWDA_DOCUMENT, name + 9);
    const awda_field_t *f = awda_field_find(&AWDA_PERSON, name);
    if (!f || (f->flags & F_SERVER) || f->type == FT_OBJECT || f->type == FT_ARRAY)
        return NULL;
    return f;
}

static int copy(char *dst, size_t cap, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n >= cap)
        return -1;
    memcpy(dst, s ? s : "", n + 1);
    return 0;
}

/* One spec from the mapping's member name at path. */
static int parse_spec(imp_spec_t *sp, const char *name, const json_t *v, const char *path,
                      const awda_field_t *f, json_t *errors)
{
    memset(sp, 0, sizeof *sp);
    sp->col = -1;
    sp->kind = kind_of(f);
    sp->list = sp->kind == K_LIST;
    if (copy(sp->field, sizeof sp->field, name)) {
        awda_error_add(errors, path, "this field name is too long");
        return -1;
    }
    if (json_is_string(v)) {
        if (copy(sp->column, sizeof sp->column, json_string_value(v)) || !*sp->column) {
            awda_error_add(errors, path, "the column name must be 1 to 255 bytes");
            return -1;
        }
        return 0;
    }
    if (!json_is_object(v)) {
        awda_error_add(errors, path, "must be a column name or an object with a column");
        return -1;
    }
    const char *key;
    json_t *x;
    int bad = 0;
    char p[300];
    json_object_foreach((json_t *)v, key, x)
    {
        snprintf(p, sizeof p, "%s.%s", path, key);
        if (strcmp(key, "column") == 0 || strcmp(key, "parent_column") == 0) {
            sp->from_main = key[0] == 'p';
            if (!json_is_string(x) || copy(sp->column, sizeof sp->column, json_string_value(x)) ||
                !*sp->column)
                awda_error_add(errors, p, "the column name must be 1 to 255 bytes"), bad = 1;
        } else if (strcmp(key, "default") == 0) {
            if (!json_is_string(x))
                awda_error_add(errors, p, "a default must be text"), bad = 1;
            else
                sp->deflt = json_string_value(x);
        } else if (strcmp(key, "values") == 0) {
            const char *k2;
            json_t *y;
            if (!json_is_object(x) || json_object_size(x) > AWDA_IMPORT_MAX_VALUE_MAP) {
                awda_error_add(errors, p, "a value map must be an object of at most %d entries",
                               AWDA_IMPORT_MAX_VALUE_MAP);
                bad = 1;
                continue;
            }
            json_object_foreach(x, k2, y)
            {
                if (!json_is_string(y)) {
                    awda_error_add(errors, p, "every value of a value map must be text");
                    bad = 1;
                    break;
                }
            }
            sp->values = x;
        } else if (strcmp(key, "split") == 0) {
            if (!json_is_boolean(x))
                awda_error_add(errors, p, "split must be true or false"), bad = 1;
            sp->split = json_is_true(x);
        } else if (strcmp(key, "format") == 0) {
            const char *s = json_string_value(x);
            int ok = s && sp->kind == K_DATE && strlen(s) < sizeof sp->format;
            for (const char *q = s; ok && *q; q++)
                ok = strchr("YMD/-. ", *q) != NULL;
            if (!ok)
                awda_error_add(
                    errors, p,
                    "a format is for a date and is made of YYYY, MM, DD and separators, such "
                    "as DD/MM/YYYY"),
                    bad = 1;
            else
                copy(sp->format, sizeof sp->format, s);
        } else {
            awda_error_add(errors, p,
                           "is not part of a mapping (column, values, split, format, default)");
            bad = 1;
        }
    }
    if (!bad && !*sp->column && !sp->deflt) {
        awda_error_add(errors, path, "needs a column or a default");
        bad = 1;
    }
    if (sp->split && !sp->list) {
        awda_error_add(errors, path, "only a list (languages, vulnerabilities) can be split");
        bad = 1;
    }
    return bad ? -1 : 0;
}

static int parse_fields(const json_t *obj, const char *path, int person, imp_spec_t *out, int *n,
                        json_t *errors)
{
    const char *name;
    json_t *v;
    int bad = 0;
    char p[300];
    if (!json_is_object(obj)) {
        awda_error_add(errors, path, "must be an object of fields and their columns");
        return -1;
    }
    json_object_foreach((json_t *)obj, name, v)
    {
        snprintf(p, sizeof p, "%s.%s", path, name);
        const awda_field_t *f = field_of(name, person);
        if (!f) {
            if (person)
                awda_error_add(errors, p, "awda has no person field with this name");
            else
                awda_error_add(errors, p, "awda has no case field with this name");
            bad = 1;
            continue;
        }
        if (*n >= AWDA_IMPORT_MAX_SPECS) {
            awda_error_add(errors, path, "maps more than %d fields", AWDA_IMPORT_MAX_SPECS);
            return -1;
        }
        if (parse_spec(&out[*n], name, v, p, f, errors))
            bad = 1;
        else
            (*n)++;
    }
    return bad ? -1 : 0;
}

static int parse_rowmap(const json_t *obj, const char *path, imp_rowmap_t *rm, json_t *errors)
{
    char p[128];
    int bad = 0;
    const json_t *person = json_object_get(obj, "person");
    snprintf(p, sizeof p, "%sperson", path);
    if (person && parse_fields(person, p, 1, rm->person, &rm->nperson, errors))
        bad = 1;
    const json_t *rel = json_object_get(obj, "relationship");
    if (rel) {
        snprintf(p, sizeof p, "%srelationship", path);
        const awda_field_t *f = awda_field_find(&AWDA_MEMBER, "relationship");
        if (parse_spec(&rm->rel, "relationship", rel, p, f, errors))
            bad = 1;
        else
            rm->has_rel = 1;
    }
    return bad ? -1 : 0;
}

int imp_mapping_parse(const char *text, size_t len, imp_mapping_t *m, json_t *errors)
{
    memset(m, 0, sizeof *m);
    m->key_col = m->index_col = m->parent_col = -1;
    if (len > AWDA_IMPORT_MAX_MAPPING_BYTES) {
        awda_error_add(errors, "mapping", "the mapping is larger than %d bytes",
                       AWDA_IMPORT_MAX_MAPPING_BYTES);
        return -1;
    }
    json_error_t jerr;
    m->root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!json_is_object(m->root)) {
        awda_error_add(errors, "mapping", "the mapping is not a JSON object (line %d: %s)",
                       jerr.line, jerr.text);
        return -1;
    }
    int bad = 0;
    const char *key;
    json_t *v;
    json_object_foreach(m->root, key, v)
    {
        static const char *const KNOWN[] = {
            "sheet",        "office", "household", "case",        "person",
            "relationship", "repeat", "title",     "description", NULL};
        if (awda_value_index(KNOWN, key) < 0) {
            awda_error_add(errors, key, "is not part of a mapping");
            bad = 1;
        }
    }
    const json_t *sheet = json_object_get(m->root, "sheet");
    if (sheet && (!json_is_string(sheet) ||
                  copy(m->sheet_name, sizeof m->sheet_name, json_string_value(sheet))))
        awda_error_add(errors, "sheet", "must be the name of a sheet"), bad = 1;
    const json_t *office = json_object_get(m->root, "office");
    if (office &&
        (!json_is_string(office) || copy(m->office, sizeof m->office, json_string_value(office))))
        awda_error_add(errors, "office", "must be an office code such as EG-CAI"), bad = 1;
    const json_t *hh = json_object_get(m->root, "household");
    if (hh) {
        const char *k = json_string_value(json_object_get(hh, "key"));
        if (!k || !*k || copy(m->key_column, sizeof m->key_column, k))
            awda_error_add(errors, "household.key", "must be the column that names the household"),
                bad = 1;
    }
    const json_t *caze = json_object_get(m->root, "case");
    if (caze && parse_fields(caze, "case", 0, m->caze, &m->ncase, errors))
        bad = 1;
    if (parse_rowmap(m->root, "", &m->main, errors))
        bad = 1;
    const json_t *rep = json_object_get(m->root, "repeat");
    if (rep) {
        m->has_repeat = 1;
        const char *s = json_string_value(json_object_get(rep, "sheet"));
        const char *ix = json_string_value(json_object_get(rep, "index"));
        const char *px = json_string_value(json_object_get(rep, "parent_index"));
        if (!s || copy(m->repeat_sheet_name, sizeof m->repeat_sheet_name, s))
            awda_error_add(errors, "repeat.sheet", "must be the name of the repeat group's sheet"),
                bad = 1;
        copy(m->index_column, sizeof m->index_column, ix ? ix : "_index");
        copy(m->parent_column, sizeof m->parent_column, px ? px : "_parent_index");
        if (parse_rowmap(rep, "repeat.", &m->repeat, errors))
            bad = 1;
        if (!m->repeat.nperson)
            awda_error_add(errors, "repeat.person", "a repeat group must map the person's fields"),
                bad = 1;
    }
    if (!m->main.nperson && !m->has_repeat) {
        awda_error_add(errors, "person", "the mapping must map the person's fields");
        bad = 1;
    }
    return bad ? -1 : 0;
}

void imp_mapping_free(imp_mapping_t *m)
{
    json_decref(m->root);
    m->root = NULL;
}

/* ---- matching the workbook ---------------------------------------------- */

static int find_sheet(const awda_table_t *t, const char *name, size_t *out)
{
    for (size_t s = 0; s < awda_table_sheets(t); s++)
        if (strcmp(awda_table_sheet_name(t, s), name) == 0)
            return *out = s, 0;
    return -1;
}

/* 1 when header h is name, or ends with "/" + name (the last segments of
 * a KoboToolbox / ODK group path), without regard to the case of Latin
 * letters. */
static int path_match(const char *h, const char *name)
{
    size_t hn = strlen(h), n = strlen(name);
    if (hn < n || strcasecmp(h + hn - n, name) != 0)
        return 0;
    return hn == n || h[hn - n - 1] == '/';
}

/* The column named name in sheet s: its index, -1 none, -2 several
 * (*other: the second). */
static int find_column(const awda_table_t *t, size_t s, const char *name, int *first, int *other)
{
    size_t n = awda_table_cols(t, s);
    for (size_t c = 0; c < n; c++)
        if (strcmp(awda_table_header(t, s, c), name) == 0)
            return (int)c;
    int found = -1;
    for (size_t c = 0; c < n; c++) {
        if (!path_match(awda_table_header(t, s, c), name))
            continue;
        if (found >= 0) {
            *first = found;
            *other = (int)c;
            return -2;
        }
        found = (int)c;
    }
    return found;
}

static int resolve_one(const awda_table_t *t, size_t s, const char *column, int *col,
                       const char *path, json_t *errors)
{
    int first = -1, other = -1;
    if (!*column)
        return 0;
    *col = find_column(t, s, column, &first, &other);
    if (*col == -2) {
        awda_error_add(errors, path,
                       "the column %s matches several columns of the sheet %s (%s, %s): name it by "
                       "its full path",
                       column, awda_table_sheet_name(t, s), awda_table_header(t, s, (size_t)first),
                       awda_table_header(t, s, (size_t)other));
        *col = -1;
        return -1;
    }
    if (*col < 0) {
        awda_error_add(errors, path, "there is no column %s in the sheet %s", column,
                       awda_table_sheet_name(t, s));
        return -1;
    }
    return 0;
}

static int resolve_specs(const awda_table_t *t, size_t s, size_t main, imp_spec_t *sp, int n,
                         const char *path, json_t *errors)
{
    int bad = 0;
    char p[320];
    for (int i = 0; i < n; i++) {
        snprintf(p, sizeof p, "%s.%s", path, sp[i].field);
        bad |= resolve_one(t, sp[i].from_main ? main : s, sp[i].column, &sp[i].col, p, errors) != 0;
    }
    return bad;
}

int imp_mapping_resolve(imp_mapping_t *m, const awda_table_t *t, json_t *errors)
{
    int bad = 0;
    if (*m->sheet_name) {
        if (find_sheet(t, m->sheet_name, &m->sheet)) {
            awda_error_add(errors, "sheet", "the file has no sheet named %s", m->sheet_name);
            return -1;
        }
    } else {
        m->sheet = 0;
        copy(m->sheet_name, sizeof m->sheet_name, awda_table_sheet_name(t, 0));
    }
    bad |= resolve_specs(t, m->sheet, m->sheet, m->caze, m->ncase, "case", errors);
    bad |= resolve_specs(t, m->sheet, m->sheet, m->main.person, m->main.nperson, "person", errors);
    if (m->main.has_rel)
        bad |= resolve_one(t, m->sheet, m->main.rel.column, &m->main.rel.col, "relationship",
                           errors) != 0;
    if (*m->key_column)
        bad |= resolve_one(t, m->sheet, m->key_column, &m->key_col, "household.key", errors) != 0;
    if (m->has_repeat) {
        if (find_sheet(t, m->repeat_sheet_name, &m->repeat_sheet)) {
            awda_error_add(errors, "repeat.sheet", "the file has no sheet named %s",
                           m->repeat_sheet_name);
            return -1;
        }
        bad |= resolve_one(t, m->sheet, m->index_column, &m->index_col, "repeat.index", errors);
        bad |= resolve_one(t, m->repeat_sheet, m->parent_column, &m->parent_col,
                           "repeat.parent_index", errors);
        bad |= resolve_specs(t, m->repeat_sheet, m->sheet, m->repeat.person, m->repeat.nperson,
                             "repeat.person", errors);
        if (m->repeat.has_rel)
            bad |= resolve_one(t, m->repeat_sheet, m->repeat.rel.column, &m->repeat.rel.col,
                               "repeat.relationship", errors) != 0;
    }
    return bad ? -1 : 0;
}

/* ---- applying it to rows ---------------------------------------------- */

/* The cell's text without surrounding spaces, into out (cap bytes). */
static const char *cell_text(const awda_table_t *t, size_t s, size_t row, int col, char *out,
                             size_t cap)
{
    size_t n = 0;
    const char *v = col >= 0 ? awda_table_cell(t, s, row, (size_t)col, &n) : "";
    while (n && isspace((unsigned char)*v))
        v++, n--;
    while (n && isspace((unsigned char)v[n - 1]))
        n--;
    if (n >= cap)
        n = cap - 1;
    memcpy(out, v, n);
    out[n] = '\0';
    return out;
}

/* The value map's word for text, or text itself. */
static const char *mapped(const imp_spec_t *sp, const char *text)
{
    if (!sp->values)
        return text;
    const json_t *v = json_object_get(sp->values, text);
    if (json_is_string(v))
        return json_string_value(v);
    const char *key;
    json_t *x;
    json_object_foreach((json_t *)sp->values, key, x)
    {
        if (strcasecmp(key, text) == 0)
            return json_string_value(x);
    }
    return text;
}

static int digits(const char **p, int min, int max, int *out)
{
    int n = 0, v = 0;
    while (n < max && isdigit((unsigned char)(*p)[n]))
        v = v * 10 + ((*p)[n] - '0'), n++;
    if (n < min)
        return -1;
    *p += n;
    *out = v;
    return 0;
}

/* A date in fmt (YYYY, MM, DD and separators) as ISO into out; an ISO
 * date (what an XLSX date cell reads as), or a year alone, is taken
 * whatever the format. 0, or -1 when text does not match. */
static int parse_date(const char *fmt, const char *text, char out[16])
{
    size_t n = strlen(text);
    int iso = (n == 4 || n == 7 || n == 10);
    for (size_t i = 0; iso && i < n; i++)
        iso = (i == 4 || i == 7) ? text[i] == '-' : isdigit((unsigned char)text[i]) != 0;
    if (iso || !*fmt) {
        if (!iso)
            return -1;
        memcpy(out, text, n + 1);
        return 0;
    }
    int y = -1, mo = -1, d = -1;
    const char *p = text;
    for (const char *f = fmt; *f;) {
        if (strncmp(f, "YYYY", 4) == 0) {
            if (digits(&p, 4, 4, &y))
                return -1;
            f += 4;
        } else if (strncmp(f, "MM", 2) == 0) {
            if (digits(&p, 1, 2, &mo))
                return -1;
            f += 2;
        } else if (strncmp(f, "DD", 2) == 0) {
            if (digits(&p, 1, 2, &d))
                return -1;
            f += 2;
        } else {
            if (*p != *f)
                return -1;
            p++, f++;
        }
    }
    if (*p || y < 0)
        return -1;
    if (mo < 0)
        snprintf(out, 16, "%04d", y);
    else if (d < 0)
        snprintf(out, 16, "%04d-%02d", y, mo);
    else
        snprintf(out, 16, "%04d-%02d-%02d", y, mo, d);
    return 0;
}

static void cell_problem(json_t *problems, const awda_table_t *t, size_t s, size_t row,
                         const imp_spec_t *sp, const char *msg)
{
    json_array_append_new(problems,
                          json_pack("{s:s,s:I,s:s,s:s,s:s}", "sheet", awda_table_sheet_name(t, s),
                                    "row", (json_int_t)awda_table_row_number(t, s, row), "column",
                                    sp->col >= 0 ? awda_table_header(t, s, (size_t)sp->col) : "",
                                    "field", sp->field, "message", msg));
}

/* The value of spec sp on row (new reference), or NULL when empty. */
static json_t *spec_value(const imp_spec_t *sp, const awda_table_t *t, size_t s, size_t row,
                          size_t main, size_t main_row, json_t *problems)
{
    if (sp->from_main) {
        s = main;
        row = main_row;
    }
    char text[AWDA_IMPORT_MAX_CELL_BYTES + 1];
    cell_text(t, s, row, sp->col, text, sizeof text);
    char msg[AWDA_IMPORT_MAX_CELL_BYTES + 100];
    if (sp->col >= 0 && *text && awda_table_formula(t, s, row, (size_t)sp->col)) {
        snprintf(msg, sizeof msg,
                 "this cell holds a formula; awda imports values only: replace the formula by "
                 "its value");
        cell_problem(problems, t, s, row, sp, msg);
    }
    if (!*text && sp->deflt)
        snprintf(text, sizeof text, "%s", sp->deflt);
    if (!*text)
        return NULL;
    switch (sp->kind) {
    case K_LIST: {
        json_t *arr = json_array();
        if (!sp->split) {
            json_array_append_new(arr, json_string(mapped(sp, text)));
            return arr;
        }
        char *save = NULL;
        for (char *w = strtok_r(text, " \t", &save); w; w = strtok_r(NULL, " \t", &save))
            json_array_append_new(arr, json_string(mapped(sp, w)));
        return arr;
    }
    case K_BOOL: {
        const char *v = mapped(sp, text);
        if (!strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcmp(v, "1"))
            return json_true();
        if (!strcasecmp(v, "false") || !strcasecmp(v, "no") || !strcmp(v, "0"))
            return json_false();
        return json_string(v);
    }
    case K_INT: {
        const char *v = mapped(sp, text);
        char *end;
        long long n = strtoll(v, &end, 10);
        return *end || end == v ? json_string(v) : json_integer(n);
    }
    case K_DATE: {
        char iso[16];
        const char *v = mapped(sp, text);
        if (parse_date(sp->format, v, iso)) {
            snprintf(msg, sizeof msg, "%s is not a date in the format %s", v,
                     *sp->format ? sp->format : "YYYY-MM-DD");
            cell_problem(problems, t, s, row, sp, msg);
            return NULL;
        }
        return json_string(iso);
    }
    default:
        return json_string(mapped(sp, text));
    }
}

/* The person of row in sheet s by rm (new reference). */
static json_t *person_of(const imp_rowmap_t *rm, const awda_table_t *t, size_t s, size_t row,
                         size_t main, size_t main_row, json_t *problems)
{
    json_t *p = json_object();
    int has_precision = 0;
    for (int i = 0; i < rm->nperson; i++) {
        const imp_spec_t *sp = &rm->person[i];
        json_t *v = spec_value(sp, t, s, row, main, main_row, problems);
        if (!v)
            continue;
        if (strcmp(sp->field, "dob_precision") == 0)
            has_precision = 1;
        if (strncmp(sp->field, "contact.", 8) == 0) {
            json_t *c = json_object_get(p, "contact");
            if (!c)
                json_object_set_new(p, "contact", c = json_object());
            json_object_set_new(c, sp->field + 8, v);
        } else if (strncmp(sp->field, "document.", 9) == 0) {
            json_t *d = json_object_get(p, "documents");
            if (!d)
                json_object_set_new(p, "documents", d = json_pack("[{}]"));
            json_object_set_new(json_array_get(d, 0), sp->field + 9, v);
        } else {
            json_object_set_new(p, sp->field, v);
        }
    }
    /* A document is read when its number is there (a default type alone
     * is not a document). */
    json_t *docs = json_object_get(p, "documents");
    if (docs && !json_object_get(json_array_get(docs, 0), "number"))
        json_object_del(p, "documents");
    /* A date of birth without its precision: as precise as it is written. */
    const char *dob = json_string_value(json_object_get(p, "date_of_birth"));
    if (dob && !has_precision) {
        size_t n = strlen(dob);
        json_object_set_new(p, "dob_precision",
                            json_string(n == 10  ? "exact"
                                        : n == 7 ? "month"
                                                 : "year"));
    }
    return p;
}

static json_t *member_of(const imp_rowmap_t *rm, const awda_table_t *t, size_t s, size_t row,
                         size_t main, size_t main_row, const char *rel_default, json_t *problems)
{
    json_t *rel = rm->has_rel ? spec_value(&rm->rel, t, s, row, main, main_row, problems) : NULL;
    if (!rel)
        rel = json_string(rel_default);
    return json_pack("{s:o,s:o}", "relationship", rel, "person",
                     person_of(rm, t, s, row, main, main_row, problems));
}

json_t *imp_household_body(const imp_mapping_t *m, const awda_table_t *t, const imp_household_t *h,
                           imp_source_t *src, size_t nsrc, imp_source_t *src_case, json_t *problems)
{
    json_t *members = json_array();
    size_t n = 0;
    int principal = -1;
    for (size_t i = 0; m->main.nperson && i < h->nrows && n < nsrc; i++, n++) {
        /* The main sheet's person is the head when there is a repeat
         * group; rows of one household say their relationship. */
        const char *dflt = m->has_repeat || i == 0 ? "principal" : "other";
        json_array_append_new(members, member_of(&m->main, t, m->sheet, h->rows[i], m->sheet,
                                                 h->rows[i], dflt, problems));
        src[n] = (imp_source_t){m->sheet, h->rows[i], &m->main};
    }
    for (size_t i = 0; i < h->nreps && n < nsrc; i++, n++) {
        const char *dflt = !m->main.nperson && i == 0 ? "principal" : "other";
        json_array_append_new(members,
                              member_of(&m->repeat, t, m->repeat_sheet, h->reps[i], m->sheet,
                                        h->nrows ? h->rows[0] : 0, dflt, problems));
        src[n] = (imp_source_t){m->repeat_sheet, h->reps[i], &m->repeat};
    }
    /* No member said to be the principal applicant: the first one is. */
    for (size_t i = 0; i < n && principal < 0; i++)
        if (strcmp(json_string_value(json_object_get(json_array_get(members, i), "relationship"))
                       ?: "",
                   "principal") == 0)
            principal = (int)i;
    if (principal < 0 && n)
        json_object_set_new(json_array_get(members, 0), "relationship", json_string("principal"));
    *src_case = (imp_source_t){m->sheet, h->nrows ? h->rows[0] : 0, &m->main};
    json_t *caze = json_object();
    for (int i = 0; i < m->ncase; i++) {
        json_t *v =
            spec_value(&m->caze[i], t, m->sheet, src_case->row, m->sheet, src_case->row, problems);
        if (v)
            json_object_set_new(caze, m->caze[i].field, v);
    }
    if (!json_object_get(caze, "office") && *m->office)
        json_object_set_new(caze, "office", json_string(m->office));
    json_object_set_new(caze, "members", members);
    return caze;
}

/* ---- telling where a problem is ----------------------------------------- */

static const imp_spec_t *spec_named(const imp_spec_t *sp, int n, const char *field)
{
    for (int i = 0; i < n; i++)
        if (strcmp(sp[i].field, field) == 0)
            return &sp[i];
    return NULL;
}

/* The field of a path inside a person: "documents[0].number" →
 * "document.number", "vulnerabilities[1]" → "vulnerabilities". */
static void person_field(const char *rest, char *field, size_t cap)
{
    if (strncmp(rest, "documents[", 10) == 0) {
        const char *dot = strchr(rest, '.');
        snprintf(field, cap, "document%s", dot ? dot : "");
        return;
    }
    snprintf(field, cap, "%s", rest);
    char *br = strchr(field, '[');
    if (br)
        *br = '\0';
}

const char *imp_problem_place(const imp_mapping_t *m, const awda_table_t *t, const char *path,
                              const imp_source_t *src, size_t nsrc, const imp_source_t *src_case,
                              size_t *sheet, size_t *row, char *field, size_t cap)
{
    *sheet = src_case->sheet;
    *row = src_case->row;
    field[0] = '\0';
    const imp_spec_t *sp = NULL;
    if (strncmp(path, "members[", 8) == 0) {
        char *end;
        unsigned long i = strtoul(path + 8, &end, 10);
        if (*end != ']' || i >= nsrc)
            return "";
        const imp_rowmap_t *rm = src[i].map;
        *sheet = src[i].sheet;
        *row = src[i].row;
        const char *rest = end + 1;
        if (strncmp(rest, ".person.", 8) == 0) {
            person_field(rest + 8, field, cap);
            sp = spec_named(rm->person, rm->nperson, field);
        } else if (strcmp(rest, ".relationship") == 0) {
            snprintf(field, cap, "relationship");
            sp = rm->has_rel ? &rm->rel : NULL;
        } else if (*rest == '.') {
            snprintf(field, cap, "%s", rest + 1);
        }
    } else {
        person_field(path, field, cap);
        sp = spec_named(m->caze, m->ncase, field);
    }
    if (!sp)
        return "";
    if (sp->from_main) { /* read from the household's main row */
        *sheet = src_case->sheet;
        *row = src_case->row;
    }
    return sp->col >= 0 ? awda_table_header(t, *sheet, (size_t)sp->col) : sp->column;
}
