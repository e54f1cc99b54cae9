/*
 * table.c — the workbook (src/import/table.h): its arena and sheets, the
 * format found from the bytes, the limits, the reading of a file, and the
 * words for each way a reading fails.
 *
 * awda_table_read looks at the first bytes: a zip (PK\3\4) is read as an
 * XLSX workbook (xlsx.c), anything else as CSV text (csv.c), which refuses
 * binary files itself. The readers build the sheets through table_cell /
 * table_end_row, which hold the limits on columns, rows and cells; the
 * arena (table_str) holds the limit on text. A failed reading frees
 * everything it built and returns no workbook.
 *
 * awda_table_read_file checks the size with fstat before reading a byte,
 * then maps the file read-only (the pages are the page cache's, not the
 * process's), so a file near the limit is never held twice.
 */
#include "table.h"
#include "table_internal.h"
#include "../util/limits.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- the arena ---------------------------------------------------------- */

awda_table_status_t table_reserve(awda_table_t *t, size_t need)
{
    if (need > (size_t)AWDA_IMPORT_MAX_TEXT_BYTES ||
        t->used > (size_t)AWDA_IMPORT_MAX_TEXT_BYTES - need)
        return AWDA_TABLE_TOO_LARGE;
    if (t->used + need <= t->cap)
        return AWDA_TABLE_OK;
    size_t cap = t->cap ? t->cap : 4096;
    while (cap < t->used + need)
        cap *= 2;
    if (cap > (size_t)AWDA_IMPORT_MAX_TEXT_BYTES)
        cap = (size_t)AWDA_IMPORT_MAX_TEXT_BYTES;
    char *a = realloc(t->arena, cap);
    if (!a)
        return AWDA_TABLE_TOO_LARGE;
    t->arena = a;
    t->cap = cap;
    return AWDA_TABLE_OK;
}

void *table_grow(void *p, size_t *cap, size_t elem, size_t first)
{
    size_t n = *cap ? *cap * 2 : first;
    void *a = realloc(p, n * elem);
    if (a)
        *cap = n;
    return a;
}

awda_table_status_t table_str(awda_table_t *t, const char *s, size_t len, uint32_t *off)
{
    if (len == 0) {
        *off = 0;
        return AWDA_TABLE_OK;
    }
    awda_table_status_t st = table_reserve(t, len + 1);
    if (st)
        return st;
    memcpy(t->arena + t->used, s, len);
    t->arena[t->used + len] = 0;
    *off = (uint32_t)t->used;
    t->used += len + 1;
    return AWDA_TABLE_OK;
}

/* ---- sheets and rows ------------------------------------------------------ */

awda_table_status_t table_add_sheet(awda_table_t *t, const char *name, size_t len, size_t *idx)
{
    if (t->nsheets >= AWDA_IMPORT_MAX_SHEETS)
        return AWDA_TABLE_TOO_MANY_SHEETS;
    table_sheet_t *s = realloc(t->sheets, (t->nsheets + 1) * sizeof *s);
    if (!s)
        return AWDA_TABLE_TOO_LARGE;
    t->sheets = s;
    table_sheet_t *n = &s[t->nsheets];
    memset(n, 0, sizeof *n);
    awda_table_status_t st = table_str(t, name, len, &n->name);
    if (st)
        return st;
    *idx = t->nsheets++;
    return AWDA_TABLE_OK;
}

/* Where the row being built starts in s->cells. */
static size_t open_start(const table_sheet_t *s)
{
    if (!s->have_header)
        return 0;
    return s->rows ? s->rowstart[s->rows] : 0;
}

size_t table_row_open(const table_sheet_t *s)
{
    return s->ncells - open_start(s);
}

awda_table_status_t table_cell(awda_table_t *t, table_sheet_t *s, uint32_t off)
{
    if (table_row_open(s) >= AWDA_IMPORT_MAX_COLUMNS)
        return AWDA_TABLE_TOO_MANY_COLUMNS;
    if (s->ncells == s->capcells) {
        if (t->total_cells >= (size_t)AWDA_IMPORT_MAX_CELLS)
            return AWDA_TABLE_TOO_LARGE;
        uint32_t *c = table_grow(s->cells, &s->capcells, sizeof *c, 1024);
        if (!c)
            return AWDA_TABLE_TOO_LARGE;
        s->cells = c;
    }
    if (t->total_cells >= (size_t)AWDA_IMPORT_MAX_CELLS)
        return AWDA_TABLE_TOO_LARGE;
    s->cells[s->ncells++] = off;
    t->total_cells++;
    return AWDA_TABLE_OK;
}

awda_table_status_t table_end_row(awda_table_t *t, table_sheet_t *s, long rownum)
{
    size_t start = open_start(s);
    while (s->ncells > start && s->cells[s->ncells - 1] == 0) {
        s->ncells--;
        t->total_cells--;
    }
    size_t width = s->ncells - start;
    if (width == 0)
        return AWDA_TABLE_OK; /* a row with nothing in it is not a row */
    if (width > s->cols)
        s->cols = width;
    if (!s->have_header) {
        /* the header moves out of cells into hdr */
        s->hdr = malloc(width * sizeof *s->hdr);
        if (!s->hdr)
            return AWDA_TABLE_TOO_LARGE;
        memcpy(s->hdr, s->cells, width * sizeof *s->hdr);
        s->hdrcols = width;
        s->ncells = 0;
        s->have_header = 1;
        s->rowstart = malloc(2 * sizeof *s->rowstart);
        s->rownum = malloc(1 * sizeof *s->rownum);
        if (!s->rowstart || !s->rownum)
            return AWDA_TABLE_TOO_LARGE;
        s->caprows = 1;
        s->rowstart[0] = 0;
        return AWDA_TABLE_OK;
    }
    if (s->rows >= (size_t)AWDA_IMPORT_MAX_ROWS)
        return AWDA_TABLE_TOO_MANY_ROWS;
    if (s->rows == s->caprows) {
        size_t cap = s->caprows * 2 < 256 ? 256 : s->caprows * 2;
        uint32_t *rs = realloc(s->rowstart, (cap + 1) * sizeof *rs);
        if (!rs)
            return AWDA_TABLE_TOO_LARGE;
        s->rowstart = rs;
        uint32_t *rn = realloc(s->rownum, cap * sizeof *rn);
        if (!rn)
            return AWDA_TABLE_TOO_LARGE;
        s->rownum = rn;
        s->caprows = cap;
    }
    s->rownum[s->rows] = (uint32_t)rownum;
    s->rows++;
    s->rowstart[s->rows] = (uint32_t)s->ncells;
    return AWDA_TABLE_OK;
}

/* ---- text checks -------------------------------------------------------- */

size_t table_utf8_check(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        /* eight ASCII bytes at a time, none of them a control character */
        while (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (w & 0x8080808080808080ull)
                break;
            /* a byte under 0x20: (b - 0x20) borrows into the high bit */
            if ((w - 0x2020202020202020ull) & ~w & 0x8080808080808080ull)
                break;
            i += 8;
        }
        if (i >= len)
            break;
        unsigned c = s[i];
        if (c < 0x80) {
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                return i;
            if (c == 0x7f)
                return i;
            i++;
            continue;
        }
        size_t n;
        unsigned cp;
        if (c >= 0xc2 && c <= 0xdf) {
            n = 1;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 2;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 3;
            cp = c & 0x07;
        } else {
            return i;
        }
        if (len - i <= n)
            return i;
        for (size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return i;
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return i;
        i += n + 1;
    }
    return len;
}

/* A number or a telephone number after a sign: digits with spaces, dots,
 * commas, slashes, hyphens and brackets, at least one digit. */
static int numberish(const char *s, size_t len)
{
    int digits = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9')
            digits++;
        else if (!strchr(" .,/-()", c))
            return 0;
    }
    return digits > 0;
}

int table_looks_formula(const char *s, size_t len)
{
    if (len < 2)
        return 0;
    switch (s[0]) {
    case '=':
    case '@':
        return 1;
    case '+':
    case '-':
        return !numberish(s + 1, len - 1);
    default:
        return 0;
    }
}

/* ---- reading ---------------------------------------------------------- */

static void error_set(awda_table_error_t *err, awda_table_status_t st)
{
    if (err) {
        memset(err, 0, sizeof *err);
        err->status = st;
    }
}

/* The CSV's sheet name: name cut to fit cap (between UTF-8 characters),
 * or "Sheet1" when there is none or it is not UTF-8 text. */
static void sheet_name(const char *name, char *out, size_t cap)
{
    size_t n = name ? strlen(name) : 0;
    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)name[n] & 0xc0) == 0x80)
            n--;
    }
    if (n == 0 || table_utf8_check((const unsigned char *)name, n) != n || memchr(name, '\n', n) ||
        memchr(name, '\r', n) || memchr(name, '\t', n)) {
        name = "Sheet1";
        n = 6;
    }
    memcpy(out, name, n);
    out[n] = 0;
}

awda_table_status_t awda_table_read_named(const void *data, size_t len, const char *name,
                                          awda_table_t **out, awda_table_error_t *err)
{
    awda_table_error_t local;
    if (!err)
        err = &local;
    error_set(err, AWDA_TABLE_OK);
    *out = NULL;
    const unsigned char *b = data;
    if (len == 0 || !data) {
        error_set(err, AWDA_TABLE_EMPTY);
        return AWDA_TABLE_EMPTY;
    }
    if (len > (size_t)AWDA_IMPORT_MAX_FILE_BYTES) {
        error_set(err, AWDA_TABLE_TOO_LARGE);
        return AWDA_TABLE_TOO_LARGE;
    }
    awda_table_t *t = calloc(1, sizeof *t);
    if (!t) {
        error_set(err, AWDA_TABLE_TOO_LARGE);
        return AWDA_TABLE_TOO_LARGE;
    }
    /* offset 0: the empty string every empty cell points at */
    awda_table_status_t st = table_reserve(t, 1);
    if (st == AWDA_TABLE_OK) {
        t->arena[0] = 0;
        t->used = 1;
        int zip = len >= 4 && b[0] == 'P' && b[1] == 'K' &&
                  ((b[2] == 3 && b[3] == 4) || (b[2] == 5 && b[3] == 6));
        if (zip) {
            t->format = "xlsx";
            st = table_read_xlsx(t, b, len, err);
        } else {
            t->format = "csv";
            char sheet[256];
            sheet_name(name, sheet, sizeof sheet);
            st = table_read_csv(t, b, len, sheet, err);
        }
    }
    if (st == AWDA_TABLE_OK) {
        size_t with_header = 0;
        for (size_t i = 0; i < t->nsheets; i++)
            with_header += t->sheets[i].have_header;
        if (with_header == 0)
            st = AWDA_TABLE_EMPTY;
    }
    if (st != AWDA_TABLE_OK) {
        if (err->status != st) {
            /* the reader set no place: the status alone */
            error_set(err, st);
        }
        awda_table_free(t);
        return st;
    }
    *out = t;
    return AWDA_TABLE_OK;
}

awda_table_status_t awda_table_read(const void *data, size_t len, awda_table_t **out,
                                    awda_table_error_t *err)
{
    return awda_table_read_named(data, len, NULL, out, err);
}

/* The file's name without its folder and extension, cut to fit a sheet
 * name (between UTF-8 characters). */
static void name_of(const char *path, char *name, size_t cap)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    const char *dot = strrchr(base, '.');
    if (dot && dot != base)
        n = (size_t)(dot - base);
    if (n >= cap)
        n = cap - 1;
    while (n > 0 && ((unsigned char)base[n] & 0xc0) == 0x80)
        n--;
    memcpy(name, base, n);
    name[n] = 0;
}

awda_table_status_t awda_table_read_file(const char *path, awda_table_t **out,
                                         awda_table_error_t *err)
{
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        if (fd >= 0)
            close(fd);
        error_set(err, AWDA_TABLE_IO);
        return AWDA_TABLE_IO;
    }
    if (sb.st_size > AWDA_IMPORT_MAX_FILE_BYTES) {
        close(fd);
        error_set(err, AWDA_TABLE_TOO_LARGE);
        return AWDA_TABLE_TOO_LARGE;
    }
    if (sb.st_size == 0) {
        close(fd);
        error_set(err, AWDA_TABLE_EMPTY);
        return AWDA_TABLE_EMPTY;
    }
    size_t len = (size_t)sb.st_size;
    void *map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED) {
        error_set(err, AWDA_TABLE_IO);
        return AWDA_TABLE_IO;
    }
    char name[64];
    name_of(path, name, sizeof name);
    awda_table_status_t st = awda_table_read_named(map, len, name, out, err);
    munmap(map, len);
    return st;
}

void awda_table_free(awda_table_t *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nsheets; i++) {
        table_sheet_t *s = &t->sheets[i];
        free(s->cells);
        free(s->rowstart);
        free(s->rownum);
        free(s->hdr);
    }
    free(t->sheets);
    free(t->arena);
    free(t);
}

/* ---- reading the workbook ------------------------------------------------- */

const char *awda_table_format(const awda_table_t *t)
{
    return t ? t->format : "";
}

size_t awda_table_sheets(const awda_table_t *t)
{
    return t ? t->nsheets : 0;
}

static const table_sheet_t *sheet_at(const awda_table_t *t, size_t sheet)
{
    return t && sheet < t->nsheets ? &t->sheets[sheet] : NULL;
}

const char *awda_table_sheet_name(const awda_table_t *t, size_t sheet)
{
    const table_sheet_t *s = sheet_at(t, sheet);
    return s ? t->arena + s->name : "";
}

size_t awda_table_cols(const awda_table_t *t, size_t sheet)
{
    const table_sheet_t *s = sheet_at(t, sheet);
    return s ? s->cols : 0;
}

size_t awda_table_rows(const awda_table_t *t, size_t sheet)
{
    const table_sheet_t *s = sheet_at(t, sheet);
    return s ? s->rows : 0;
}

const char *awda_table_header(const awda_table_t *t, size_t sheet, size_t col)
{
    const table_sheet_t *s = sheet_at(t, sheet);
    if (!s || col >= s->hdrcols)
        return "";
    return t->arena + (s->hdr[col] & TABLE_OFFSET_MASK);
}

static uint32_t cell_off(const awda_table_t *t, size_t sheet, size_t row, size_t col)
{
    const table_sheet_t *s = sheet_at(t, sheet);
    if (!s || row >= s->rows)
        return 0;
    size_t a = s->rowstart[row], b = s->rowstart[row + 1];
    return col < b - a ? s->cells[a + col] : 0;
}

const char *awda_table_cell(const awda_table_t *t, size_t sheet, size_t row, size_t col,
                            size_t *len)
{
    uint32_t off = cell_off(t, sheet, row, col);
    const char *c = t ? t->arena + (off & TABLE_OFFSET_MASK) : "";
    if (len)
        *len = strlen(c);
    return c;
}

long awda_table_row_number(const awda_table_t *t, size_t sheet, size_t row)
{
    const table_sheet_t *s = sheet_at(t, sheet);
    return s && row < s->rows ? (long)s->rownum[row] : 0;
}

int awda_table_formula(const awda_table_t *t, size_t sheet, size_t row, size_t col)
{
    return (cell_off(t, sheet, row, col) & TABLE_FORMULA_BIT) != 0;
}

/* ---- words -------------------------------------------------------------- */

const char *awda_table_status_name(awda_table_status_t s)
{
    switch (s) {
    case AWDA_TABLE_OK:
        return "ok";
    case AWDA_TABLE_EMPTY:
        return "empty";
    case AWDA_TABLE_TOO_LARGE:
        return "too_large";
    case AWDA_TABLE_NOT_A_TABLE:
        return "not_a_table";
    case AWDA_TABLE_BAD_ENCODING:
        return "bad_encoding";
    case AWDA_TABLE_BAD_CSV:
        return "bad_csv";
    case AWDA_TABLE_BAD_XLSX:
        return "bad_xlsx";
    case AWDA_TABLE_ZIP_BOMB:
        return "zip_bomb";
    case AWDA_TABLE_TOO_MANY_COLUMNS:
        return "too_many_columns";
    case AWDA_TABLE_TOO_MANY_ROWS:
        return "too_many_rows";
    case AWDA_TABLE_TOO_MANY_SHEETS:
        return "too_many_sheets";
    case AWDA_TABLE_CELL_TOO_LONG:
        return "cell_too_long";
    case AWDA_TABLE_IO:
        return "io";
    }
    return "unknown";
}

#define MB(x) ((long)((x) / (1024L * 1024)))

int awda_table_error_text(const awda_table_error_t *e, char *buf, size_t cap)
{
    const char *sheet = e->sheet[0] ? e->sheet : "1";
    switch (e->status) {
    case AWDA_TABLE_OK:
        return snprintf(buf, cap, "The file was read");
    case AWDA_TABLE_EMPTY:
        return snprintf(buf, cap, "The file is empty: it has no header row");
    case AWDA_TABLE_TOO_LARGE:
        return snprintf(buf, cap, "The file is too large to import (at most %ld MB)",
                        MB(AWDA_IMPORT_MAX_FILE_BYTES));
    case AWDA_TABLE_NOT_A_TABLE:
        return snprintf(buf, cap, "This file is not a spreadsheet (CSV or XLSX)");
    case AWDA_TABLE_BAD_ENCODING:
        return snprintf(buf, cap,
                        "Line %ld of the file is not UTF-8 text (another encoding, or characters "
                        "that are not text); save the file as CSV UTF-8",
                        e->line);
    case AWDA_TABLE_BAD_CSV:
        return snprintf(buf, cap,
                        "The CSV is damaged at line %ld: a quoted value is not closed, or text "
                        "follows its closing quote",
                        e->line);
    case AWDA_TABLE_BAD_XLSX:
        return snprintf(buf, cap, "The XLSX workbook is damaged and cannot be read");
    case AWDA_TABLE_ZIP_BOMB:
        return snprintf(buf, cap,
                        "The workbook expands to more than %ld MB, or more than %d times its size; "
                        "it may be a zip bomb",
                        MB(AWDA_IMPORT_MAX_UNZIPPED_BYTES), AWDA_IMPORT_MAX_ZIP_RATIO);
    case AWDA_TABLE_TOO_MANY_COLUMNS:
        return snprintf(buf, cap, "Sheet %s has more than %d columns (row %ld)", sheet,
                        AWDA_IMPORT_MAX_COLUMNS, e->line);
    case AWDA_TABLE_TOO_MANY_ROWS:
        return snprintf(buf, cap, "Sheet %s has more than %ld rows", sheet,
                        (long)AWDA_IMPORT_MAX_ROWS);
    case AWDA_TABLE_TOO_MANY_SHEETS:
        return snprintf(buf, cap, "The workbook has more than %d sheets", AWDA_IMPORT_MAX_SHEETS);
    case AWDA_TABLE_CELL_TOO_LONG:
        return snprintf(buf, cap, "Sheet %s, row %ld, column %ld: the cell is longer than %d bytes",
                        sheet, e->line, e->column, AWDA_IMPORT_MAX_CELL_BYTES);
    case AWDA_TABLE_IO:
        return snprintf(buf, cap, "The file could not be read");
    }
    return snprintf(buf, cap, "The file could not be read");
}
