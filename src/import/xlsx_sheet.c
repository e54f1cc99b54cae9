/*
 * xlsx_sheet.c — the parts of an XLSX workbook that hold the cells: the
 * shared strings, the styles (which cells are dates), and the sheets
 * (src/import/xlsx.c opens the zip and drives expat over each part).
 *
 * Shared strings (xl/sharedStrings.xml): each <si> is the text of its <t>
 * elements, rich text runs (<r><t>) joined, phonetic runs (<rPh>) left
 * out; stored once in the arena, cells point at them. A string longer
 * than a cell may be is kept as a mark, refused where a cell uses it.
 *
 * Styles (xl/styles.xml): each cell style (<cellXfs><xf numFmtId>) is a
 * number, a date, a time or a date and time: built-in formats 14-17 are
 * dates, 18-21 and 45-47 times, 22 both; a custom format (<numFmt
 * formatCode>) is a date if, outside quoted text, [brackets] and escaped
 * characters, it has d or y, or m without h or s (m next to h or s is
 * minutes); a time if it has h or s.
 *
 * Sheets: <row r> and <c r="B7" s t> with <v>, <is> (inline strings),
 * <f> (a formula: the cached value is kept and the cell marked). A cell
 * without r follows the previous one; missing cells are empty; cells
 * without a value (only styled) are nothing. Values: t="s" a shared
 * string, "inlineStr" and "str" text, "b" TRUE/FALSE, "e" the error as
 * written (#N/A), a number (t="n" or none) written as a spreadsheet shows
 * it in General (integral without ".0", else 15 significant digits), or,
 * when its style is a date, as ISO YYYY-MM-DD (with " HH:MM:SS" when the
 * style has a time and the value a time of day; a time alone HH:MM:SS),
 * in the 1900 date system (serial 1 = 1900-01-01, the phantom 1900-02-29
 * that is serial 60 kept as a number) or 1904 (workbookPr date1904).
 * Text is unescaped from Excel's _xHHHH_ form when the character is text.
 */
#include "xlsx_internal.h"
#include "../util/limits.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- small parsers ---------------------------------------------------------- */

/* A decimal number of at most 10 digits; -1 if s is not one. */
static long parse_index(const char *s, size_t n)
{
    if (n == 0 || n > 10)
        return -1;
    long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static long attr_index(const char **attrs, const char *name)
{
    const char *v = xml_attr(attrs, name);
    return v ? parse_index(v, strlen(v)) : -1;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Excel's _xHHHH_ escapes in s (n bytes), in place; the new length. A
 * character that is not text (a control character) stays escaped. */
static size_t unescape_x(char *s, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        if (s[i] == '_' && i + 6 < n && s[i + 1] == 'x' && s[i + 6] == '_') {
            int a = hexval(s[i + 2]), b = hexval(s[i + 3]), c = hexval(s[i + 4]),
                d = hexval(s[i + 5]);
            if (a >= 0 && b >= 0 && c >= 0 && d >= 0) {
                unsigned cp = (unsigned)(a << 12 | b << 8 | c << 4 | d);
                int text = cp == '\t' || cp == '\n' || cp == '\r' ||
                           (cp >= 0x20 && cp != 0x7f && (cp < 0xd800 || cp > 0xdfff));
                if (text) {
                    if (cp < 0x80) {
                        s[o++] = (char)cp;
                    } else if (cp < 0x800) {
                        s[o++] = (char)(0xc0 | cp >> 6);
                        s[o++] = (char)(0x80 | (cp & 0x3f));
                    } else {
                        s[o++] = (char)(0xe0 | cp >> 12);
                        s[o++] = (char)(0x80 | ((cp >> 6) & 0x3f));
                        s[o++] = (char)(0x80 | (cp & 0x3f));
                    }
                    i += 7;
                    continue;
                }
            }
        }
        s[o++] = s[i++];
    }
    return o;
}

/* ---- numbers and dates ------------------------------------------------------- */

int xlsx_format_kind(const char *code)
{
    int d = 0, m = 0, y = 0, h = 0, s = 0;
    for (const char *p = code; *p; p++) {
        switch (*p) {
        case '"':
            while (p[1] && p[1] != '"')
                p++;
            if (p[1])
                p++;
            break;
        case '[':
            while (p[1] && p[1] != ']')
                p++;
            if (p[1])
                p++;
            break;
        case '\\':
        case '_':
        case '*':
            if (p[1])
                p++;
            break;
        case 'd':
        case 'D':
            d = 1;
            break;
        case 'm':
        case 'M':
            m = 1;
            break;
        case 'y':
        case 'Y':
            y = 1;
            break;
        case 'h':
        case 'H':
            h = 1;
            break;
        case 's':
        case 'S':
            s = 1;
            break;
        default:
            break;
        }
    }
    int date = d || y || (m && !h && !s);
    int time = h || s;
    return date && time ? XF_DATETIME : date ? XF_DATE : time ? XF_TIME : XF_NUMBER;
}

static int builtin_kind(long id)
{
    if (id >= 14 && id <= 17)
        return XF_DATE;
    if ((id >= 18 && id <= 21) || (id >= 45 && id <= 47))
        return XF_TIME;
    if (id == 22)
        return XF_DATETIME;
    return XF_NUMBER;
}

/* The civil date of a day counted from 1970-01-01 (H. Hinnant's
 * algorithm). */
static void civil(long z, long *y, unsigned *m, unsigned *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (long)yoe + era * 400 + (*m <= 2);
}

size_t xlsx_number_text(const char *v, size_t n, int kind, int date1904, char *out, size_t cap)
{
    char tmp[64];
    if (n == 0 || n >= sizeof tmp)
        return 0;
    memcpy(tmp, v, n);
    tmp[n] = 0;
    char *end;
    double x = strtod(tmp, &end);
    if (end != tmp + n || !isfinite(x))
        return 0;
    int r;
    if (kind != XF_NUMBER && x >= 0 && x <= 2958465.0) {
        double day = floor(x);
        long secs = lround((x - day) * 86400.0);
        if (secs >= 86400) {
            day += 1;
            secs = 0;
        }
        long serial = (long)day, unix_day;
        if (kind == XF_TIME) {
            if (x >= 1)
                goto number;
            r = snprintf(out, cap, "%02ld:%02ld:%02ld", secs / 3600, secs / 60 % 60, secs % 60);
            return r > 0 && (size_t)r < cap ? (size_t)r : 0;
        }
        if (date1904)
            unix_day = serial - 24107;
        else if (serial >= 61)
            unix_day = serial - 25569;
        else if (serial >= 1 && serial < 60)
            unix_day = serial - 25568;
        else
            goto number;
        long y;
        unsigned m, d;
        civil(unix_day, &y, &m, &d);
        if (kind == XF_DATETIME && secs > 0)
            r = snprintf(out, cap, "%04ld-%02u-%02u %02ld:%02ld:%02ld", y, m, d, secs / 3600,
                         secs / 60 % 60, secs % 60);
        else
            r = snprintf(out, cap, "%04ld-%02u-%02u", y, m, d);
        return r > 0 && (size_t)r < cap ? (size_t)r : 0;
    }
number:
    if (x == trunc(x) && fabs(x) < 1e15)
        r = snprintf(out, cap, "%.0f", x == 0 ? 0.0 : x);
    else
        r = snprintf(out, cap, "%.15g", x);
    return r > 0 && (size_t)r < cap ? (size_t)r : 0;
}

/* ---- shared strings ----------------------------------------------------------- */

typedef struct {
    int in_si, in_t, in_rph, too_long;
    size_t n;
    char buf[AWDA_IMPORT_MAX_CELL_BYTES + 1];
} sst_t;

static void sst_start(xml_ctx_t *c, const char *name, const char **attrs)
{
    (void)attrs;
    sst_t *s = c->ud;
    if (strcmp(name, "si") == 0) {
        s->in_si = 1;
        s->n = 0;
        s->too_long = 0;
    } else if (strcmp(name, "rPh") == 0) {
        s->in_rph = 1;
    } else if (strcmp(name, "t") == 0 && s->in_si && !s->in_rph) {
        s->in_t = 1;
    }
}

static void sst_end(xml_ctx_t *c, const char *name)
{
    sst_t *s = c->ud;
    xlsx_t *x = c->x;
    if (strcmp(name, "t") == 0) {
        s->in_t = 0;
    } else if (strcmp(name, "rPh") == 0) {
        s->in_rph = 0;
    } else if (strcmp(name, "si") == 0 && s->in_si) {
        s->in_si = 0;
        if (x->nsst == x->capsst) {
            if (x->capsst >= (size_t)AWDA_IMPORT_MAX_SHARED_STRINGS) {
                xml_stop(c, AWDA_TABLE_TOO_LARGE);
                return;
            }
            uint32_t *a = table_grow(x->sst, &x->capsst, sizeof *a, 1024);
            if (!a) {
                xml_stop(c, AWDA_TABLE_TOO_LARGE);
                return;
            }
            x->sst = a;
        }
        uint32_t off = XLSX_SST_TOO_LONG;
        if (!s->too_long) {
            awda_table_status_t st = table_str(x->t, s->buf, unescape_x(s->buf, s->n), &off);
            if (st) {
                xml_stop(c, st);
                return;
            }
        }
        x->sst[x->nsst++] = off;
    }
}

static void sst_text(xml_ctx_t *c, const char *t, int len)
{
    sst_t *s = c->ud;
    if (!s->in_t || s->too_long)
        return;
    if (s->n + (size_t)len > AWDA_IMPORT_MAX_CELL_BYTES) {
        s->too_long = 1;
        return;
    }
    memcpy(s->buf + s->n, t, (size_t)len);
    s->n += (size_t)len;
}

static const xml_part_t SST = {.start = sst_start, .end = sst_end, .text = sst_text};

awda_table_status_t xlsx_read_shared_strings(xlsx_t *x, const char *path)
{
    sst_t *s = calloc(1, sizeof *s);
    if (!s)
        return AWDA_TABLE_TOO_LARGE;
    awda_table_status_t st = xlsx_run(x, path, &SST, s, NULL);
    free(s);
    return st;
}

/* ---- styles --------------------------------------------------------------------- */

typedef struct {
    int in_numfmts, in_cellxfs, sorted;
} styles_t;

static int fmt_cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static int kind_of(xlsx_t *x, long id)
{
    for (size_t lo = 0, hi = x->nfmt; lo < hi;) {
        size_t mid = (lo + hi) / 2;
        if (x->fmt[mid].id == (uint32_t)id)
            return x->fmt[mid].kind;
        if (x->fmt[mid].id < (uint32_t)id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return builtin_kind(id);
}

static void styles_start(xml_ctx_t *c, const char *name, const char **attrs)
{
    styles_t *s = c->ud;
    xlsx_t *x = c->x;
    if (strcmp(name, "numFmts") == 0) {
        s->in_numfmts = 1;
    } else if (strcmp(name, "numFmt") == 0 && s->in_numfmts) {
        long id = attr_index(attrs, "numFmtId");
        const char *code = xml_attr(attrs, "formatCode");
        if (id < 0 || !code || x->nfmt >= AWDA_IMPORT_MAX_STYLES)
            return;
        if (!x->fmt && !(x->fmt = calloc(AWDA_IMPORT_MAX_STYLES, sizeof *x->fmt))) {
            xml_stop(c, AWDA_TABLE_TOO_LARGE);
            return;
        }
        x->fmt[x->nfmt].id = (uint32_t)id;
        x->fmt[x->nfmt].kind = (unsigned char)xlsx_format_kind(code);
        x->nfmt++;
    } else if (strcmp(name, "cellXfs") == 0) {
        s->in_cellxfs = 1;
        if (!s->sorted && x->nfmt) {
            qsort(x->fmt, x->nfmt, sizeof *x->fmt, fmt_cmp);
            s->sorted = 1;
        }
    } else if (strcmp(name, "xf") == 0 && s->in_cellxfs) {
        if (x->nxf >= AWDA_IMPORT_MAX_STYLES)
            return; /* beyond: numbers */
        if (!x->xf && !(x->xf = calloc(AWDA_IMPORT_MAX_STYLES, 1))) {
            xml_stop(c, AWDA_TABLE_TOO_LARGE);
            return;
        }
        long id = attr_index(attrs, "numFmtId");
        x->xf[x->nxf++] = (unsigned char)(id < 0 ? XF_NUMBER : kind_of(x, id));
    }
}

static void styles_end(xml_ctx_t *c, const char *name)
{
    styles_t *s = c->ud;
    if (strcmp(name, "numFmts") == 0)
        s->in_numfmts = 0;
    else if (strcmp(name, "cellXfs") == 0)
        s->in_cellxfs = 0;
}

static const xml_part_t STYLES = {.start = styles_start, .end = styles_end};

awda_table_status_t xlsx_read_styles(xlsx_t *x, const char *path)
{
    styles_t s = {0};
    return xlsx_run(x, path, &STYLES, &s, NULL);
}

/* ---- sheets ------------------------------------------------------------------------ */

typedef struct {
    size_t sheet;
    long row, lastrow;
    int in_row;
    size_t nextcol, rowlen;
    /* the cell being read */
    int in_c, in_v, in_is, in_t, in_rph, has_f;
    char type[16];
    long style;
    size_t col;
    size_t n;
    char buf[AWDA_IMPORT_MAX_CELL_BYTES + 1];
    uint32_t rowbuf[AWDA_IMPORT_MAX_COLUMNS];
} sheet_t;

static void fail_at(xml_ctx_t *c, awda_table_status_t st, long col)
{
    sheet_t *s = c->ud;
    xlsx_fail(c->x, st, s->sheet, s->row, col);
    xml_stop(c, st);
}

/* "B7" -> column 1; -1 if not a cell reference. */
static long ref_col(const char *r)
{
    long col = 0;
    size_t i = 0;
    while ((r[i] >= 'A' && r[i] <= 'Z') || (r[i] >= 'a' && r[i] <= 'z')) {
        if (i == 3)
            return -1;
        col = col * 26 + ((r[i] | 0x20) - 'a' + 1);
        i++;
    }
    if (i == 0 || r[i] < '1' || r[i] > '9')
        return -1;
    return col - 1;
}

static void sheet_start(xml_ctx_t *c, const char *name, const char **attrs)
{
    sheet_t *s = c->ud;
    if (strcmp(name, "row") == 0) {
        const char *r = xml_attr(attrs, "r");
        long n = r ? parse_index(r, strlen(r)) : s->lastrow + 1;
        if (n < 1 || n > INT32_MAX) {
            fail_at(c, AWDA_TABLE_BAD_XLSX, 0);
            return;
        }
        s->row = n;
        s->in_row = 1;
        s->rowlen = 0;
        s->nextcol = 0;
    } else if (strcmp(name, "c") == 0 && s->in_row) {
        const char *r = xml_attr(attrs, "r");
        long col = r ? ref_col(r) : (long)s->nextcol;
        const char *t = xml_attr(attrs, "t");
        if (col < 0 || col >= 16384 || (t && strlen(t) >= sizeof s->type)) {
            fail_at(c, AWDA_TABLE_BAD_XLSX, 0);
            return;
        }
        s->col = (size_t)col;
        memcpy(s->type, t ? t : "n", strlen(t ? t : "n") + 1);
        s->style = attr_index(attrs, "s");
        s->in_c = 1;
        s->has_f = 0;
        s->n = 0;
    } else if (s->in_c) {
        if (strcmp(name, "v") == 0)
            s->in_v = 1;
        else if (strcmp(name, "f") == 0)
            s->has_f = 1;
        else if (strcmp(name, "is") == 0)
            s->in_is = 1;
        else if (strcmp(name, "rPh") == 0)
            s->in_rph = 1;
        else if (strcmp(name, "t") == 0 && s->in_is && !s->in_rph)
            s->in_t = 1;
    }
}

/* The value of the cell just read, as an arena offset (0: none). */
static awda_table_status_t cell_value(xml_ctx_t *c, sheet_t *s, uint32_t *off)
{
    xlsx_t *x = c->x;
    *off = 0;
    if (strcmp(s->type, "s") == 0) {
        if (s->n == 0)
            return AWDA_TABLE_OK;
        long i = parse_index(s->buf, s->n);
        if (i < 0 || (size_t)i >= x->nsst)
            return AWDA_TABLE_BAD_XLSX;
        if (x->sst[i] == XLSX_SST_TOO_LONG)
            return AWDA_TABLE_CELL_TOO_LONG;
        *off = x->sst[i];
        return AWDA_TABLE_OK;
    }
    if (strcmp(s->type, "b") == 0) {
        if (s->n == 0)
            return AWDA_TABLE_OK;
        const char *b = s->n == 1 && s->buf[0] == '1' ? "TRUE" : "FALSE";
        return table_str(x->t, b, strlen(b), off);
    }
    if (strcmp(s->type, "n") == 0) {
        char num[64];
        int kind = s->style >= 0 && (size_t)s->style < x->nxf ? x->xf[s->style] : XF_NUMBER;
        size_t n = xlsx_number_text(s->buf, s->n, kind, x->date1904, num, sizeof num);
        if (n)
            return table_str(x->t, num, n, off);
        return table_str(x->t, s->buf, s->n, off);
    }
    /* inlineStr, str (a formula's text), e (#N/A…), d (an ISO date) */
    return table_str(x->t, s->buf, unescape_x(s->buf, s->n), off);
}

static void sheet_end(xml_ctx_t *c, const char *name)
{
    sheet_t *s = c->ud;
    xlsx_t *x = c->x;
    if (strcmp(name, "v") == 0) {
        s->in_v = 0;
    } else if (strcmp(name, "t") == 0) {
        s->in_t = 0;
    } else if (strcmp(name, "is") == 0) {
        s->in_is = 0;
    } else if (strcmp(name, "rPh") == 0) {
        s->in_rph = 0;
    } else if (strcmp(name, "c") == 0 && s->in_c) {
        s->in_c = s->in_v = s->in_is = s->in_t = s->in_rph = 0;
        s->nextcol = s->col + 1;
        uint32_t off;
        awda_table_status_t st = cell_value(c, s, &off);
        if (st) {
            fail_at(c, st, (long)s->col + 1);
            return;
        }
        if (s->has_f)
            off |= TABLE_FORMULA_BIT;
        if (off == 0)
            return; /* a styled cell without a value */
        if (s->col >= AWDA_IMPORT_MAX_COLUMNS) {
            fail_at(c, AWDA_TABLE_TOO_MANY_COLUMNS, (long)s->col + 1);
            return;
        }
        while (s->rowlen < s->col)
            s->rowbuf[s->rowlen++] = 0;
        if (s->col == s->rowlen)
            s->rowlen++;
        s->rowbuf[s->col] = off;
    } else if (strcmp(name, "row") == 0 && s->in_row) {
        s->in_row = 0;
        s->lastrow = s->row;
        table_sheet_t *sh = &x->t->sheets[s->sheet];
        for (size_t i = 0; i < s->rowlen; i++) {
            awda_table_status_t st = table_cell(x->t, sh, s->rowbuf[i]);
            if (st) {
                fail_at(c, st, (long)i + 1);
                return;
            }
        }
        awda_table_status_t st = table_end_row(x->t, sh, s->row);
        if (st)
            fail_at(c, st, 0);
    }
}

static void sheet_text(xml_ctx_t *c, const char *t, int len)
{
    sheet_t *s = c->ud;
    if (!(s->in_v || (s->in_is && s->in_t && !s->in_rph)))
        return;
    if (s->n + (size_t)len > AWDA_IMPORT_MAX_CELL_BYTES) {
        fail_at(c, AWDA_TABLE_CELL_TOO_LONG, (long)s->col + 1);
        return;
    }
    memcpy(s->buf + s->n, t, (size_t)len);
    s->n += (size_t)len;
}

static const xml_part_t SHEET = {.start = sheet_start, .end = sheet_end, .text = sheet_text};

awda_table_status_t xlsx_read_sheet(xlsx_t *x, const char *path, size_t sheet)
{
    sheet_t *s = calloc(1, sizeof *s);
    if (!s)
        return AWDA_TABLE_TOO_LARGE;
    s->sheet = sheet;
    int found;
    awda_table_status_t st = xlsx_run(x, path, &SHEET, s, &found);
    free(s);
    if (!st && !found)
        st = AWDA_TABLE_BAD_XLSX;
    if (st && (!x->err || x->err->status != st))
        xlsx_fail(x, st, sheet, 0, 0);
    return st;
}
