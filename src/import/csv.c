/*
 * csv.c — a CSV file read into one sheet (src/import/table.h).
 *
 * Before parsing, the bytes are judged:
 *   - a UTF-16 byte-order mark: BAD_ENCODING at line 1 (save as UTF-8);
 *     a UTF-8 byte-order mark is skipped;
 *   - a known binary signature (PDF, PNG, JPEG, GIF, gzip, an old .xls…),
 *     a NUL in the first AWDA_IMPORT_SNIFF_BYTES, or more than one
 *     control character in 64 there: NOT_A_TABLE;
 *   - then the whole file must be UTF-8 without control characters other
 *     than tab, LF and CR: the first line that is not (a Windows-1252 or
 *     Windows-1256 file, or one that mixes such lines with UTF-8) is
 *     BAD_ENCODING with that line.
 *
 * The separator is the most frequent of ',' ';' and tab outside quotes on
 * the header line (',' when none, ',' then ';' on a tie).
 *
 * Parsing (RFC 4180 with the liberties real files take): a field that
 * begins with '"' is quoted: it ends at a '"' not doubled, which must be
 * followed by the separator, a line end or the end of the file (anything
 * else, or a quote never closed, is BAD_CSV at the line the record
 * began); inside it separators and line ends are text ("" is one quote;
 * CRLF and CR inside become LF). A '"' inside an unquoted field is text,
 * as spreadsheets read it. Lines end in LF, CRLF or CR; a trailing line
 * end and blank lines make no row.
 *
 * Rows and the header: the first non-blank record is the header. A row
 * shorter than the widest row reads as empty cells at its end; a row
 * longer than the header keeps its cells, under blank headers (the
 * sheet's width is its widest row's, awda_table_cols) — nothing in the
 * file is dropped, and the importer says which column has no name.
 * Each row's number is the line it begins on.
 *
 * A field that a spreadsheet would run as a formula (=, @, or + and -
 * before something that is not a number or a telephone number) keeps its
 * text and is marked (awda_table_formula).
 *
 * Memory: the arena is reserved once at the file's length plus two (the
 * unquoted text of every cell plus its NUL never exceeds the bytes it was
 * read from), so parsing copies each field once and never moves text.
 */
#include "table_internal.h"
#include "../util/limits.h"
#include <string.h>

/* The 1-based line of byte pos (LF, CRLF and CR each end one line). */
static long line_of(const unsigned char *d, size_t pos)
{
    long line = 1;
    for (size_t i = 0; i < pos; i++) {
        if (d[i] == '\n')
            line++;
        else if (d[i] == '\r' && (i + 1 >= pos || d[i + 1] != '\n'))
            line++;
    }
    return line;
}

static int has_prefix(const unsigned char *d, size_t len, const char *magic, size_t n)
{
    return len >= n && memcmp(d, magic, n) == 0;
}

/* 1 if the first bytes are those of a binary file, not text. */
static int looks_binary(const unsigned char *d, size_t len)
{
    static const struct {
        const char *magic;
        size_t n;
    } SIG[] = {
        {"%PDF-", 5},
        {"\x89PNG", 4},
        {"\xff\xd8\xff", 3},
        {"GIF8", 4},
        {"\x1f\x8b", 2},
        {"\xd0\xcf\x11\xe0", 4}, /* an old .xls or .doc */
        {"Rar!", 4},
        {"7z\xbc\xaf", 4},
        {"\x7f"
         "ELF",
         4},
        {"MZ", 2},
        {"{\\rtf", 5},
    };
    for (size_t i = 0; i < sizeof SIG / sizeof SIG[0]; i++)
        if (has_prefix(d, len, SIG[i].magic, SIG[i].n))
            return 1;
    size_t n = len < AWDA_IMPORT_SNIFF_BYTES ? len : AWDA_IMPORT_SNIFF_BYTES;
    size_t controls = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned c = d[i];
        if (c == 0)
            return 1;
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7f)
            controls++;
    }
    return controls > 1 && controls * 64 > n;
}

/* The separator of the header line. */
static char find_separator(const unsigned char *d, size_t len)
{
    size_t comma = 0, semi = 0, tab = 0;
    int quoted = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = d[i];
        if (c == '"')
            quoted = !quoted;
        else if (quoted)
            continue;
        else if (c == '\n' || c == '\r')
            break;
        else if (c == ',')
            comma++;
        else if (c == ';')
            semi++;
        else if (c == '\t')
            tab++;
    }
    if (tab > comma && tab > semi)
        return '\t';
    if (semi > comma)
        return ';';
    return ',';
}

typedef struct {
    awda_table_t *t;
    table_sheet_t *s;
    const unsigned char *d;
    size_t len, pos;
    long line;     /* the line at pos */
    long rec_line; /* the line the record began on */
    size_t col;    /* 0-based column of the field being read */
    char sep;
    awda_table_error_t *err;
    const char *name;
} csv_t;

static awda_table_status_t fail(csv_t *c, awda_table_status_t st, long line, long column)
{
    if (c->err) {
        memset(c->err, 0, sizeof *c->err);
        c->err->status = st;
        c->err->line = line;
        c->err->column = column;
        size_t n = strlen(c->name);
        if (n >= sizeof c->err->sheet)
            n = sizeof c->err->sheet - 1;
        memcpy(c->err->sheet, c->name, n);
        c->err->sheet[n] = 0;
    }
    return st;
}

/* The field just written at arena[start, t->used): end it, check it, add
 * it to the row. */
static awda_table_status_t end_field(csv_t *c, size_t start)
{
    awda_table_t *t = c->t;
    size_t n = t->used - start;
    if (n > AWDA_IMPORT_MAX_CELL_BYTES)
        return fail(c, AWDA_TABLE_CELL_TOO_LONG, c->rec_line, (long)c->col + 1);
    uint32_t off = 0;
    if (n > 0) {
        t->arena[t->used++] = 0;
        off = (uint32_t)start;
        if (table_looks_formula(t->arena + start, n))
            off |= TABLE_FORMULA_BIT;
    }
    awda_table_status_t st = table_cell(t, c->s, off);
    if (st)
        return fail(c, st, c->rec_line, (long)c->col + 1);
    c->col++;
    return AWDA_TABLE_OK;
}

/* Reads a quoted field from c->pos (just after its opening quote). */
static awda_table_status_t quoted(csv_t *c)
{
    awda_table_t *t = c->t;
    const unsigned char *d = c->d;
    size_t start = t->used;
    for (;;) {
        size_t i = c->pos;
        /* a run of plain text */
        while (i < c->len && d[i] != '"' && d[i] != '\r' && d[i] != '\n')
            i++;
        size_t run = i - c->pos;
        if (t->used - start + run > AWDA_IMPORT_MAX_CELL_BYTES)
            return fail(c, AWDA_TABLE_CELL_TOO_LONG, c->rec_line, (long)c->col + 1);
        memcpy(t->arena + t->used, d + c->pos, run);
        t->used += run;
        c->pos = i;
        if (i >= c->len)
            return fail(c, AWDA_TABLE_BAD_CSV, c->rec_line, (long)c->col + 1);
        if (d[i] == '"') {
            if (i + 1 < c->len && d[i + 1] == '"') {
                t->arena[t->used++] = '"';
                c->pos = i + 2;
                continue;
            }
            c->pos = i + 1;
            break;
        }
        /* a line end inside the quotes: kept as LF */
        if (d[i] == '\r' && i + 1 < c->len && d[i + 1] == '\n')
            i++;
        t->arena[t->used++] = '\n';
        c->line++;
        c->pos = i + 1;
    }
    if (c->pos < c->len) {
        unsigned char n = d[c->pos];
        if (n != (unsigned char)c->sep && n != '\n' && n != '\r')
            return fail(c, AWDA_TABLE_BAD_CSV, c->line, (long)c->col + 1);
    }
    return end_field(c, start);
}

static awda_table_status_t unquoted(csv_t *c)
{
    awda_table_t *t = c->t;
    const unsigned char *d = c->d;
    size_t i = c->pos;
    const unsigned char sep = (unsigned char)c->sep;
    while (i < c->len && d[i] != sep && d[i] != '\n' && d[i] != '\r')
        i++;
    size_t n = i - c->pos;
    if (n > AWDA_IMPORT_MAX_CELL_BYTES)
        return fail(c, AWDA_TABLE_CELL_TOO_LONG, c->rec_line, (long)c->col + 1);
    size_t start = t->used;
    memcpy(t->arena + t->used, d + c->pos, n);
    t->used += n;
    c->pos = i;
    return end_field(c, start);
}

static awda_table_status_t parse(csv_t *c)
{
    const unsigned char *d = c->d;
    while (c->pos < c->len) {
        c->rec_line = c->line;
        c->col = 0;
        /* the fields of one record */
        for (;;) {
            awda_table_status_t st;
            if (c->pos < c->len && d[c->pos] == '"') {
                c->pos++;
                st = quoted(c);
            } else {
                st = unquoted(c);
            }
            if (st)
                return st;
            if (c->pos < c->len && d[c->pos] == (unsigned char)c->sep) {
                c->pos++;
                continue;
            }
            break;
        }
        /* the line end (or the end of the file) */
        if (c->pos < c->len) {
            if (d[c->pos] == '\r' && c->pos + 1 < c->len && d[c->pos + 1] == '\n')
                c->pos++;
            c->pos++;
            c->line++;
        }
        awda_table_status_t st = table_end_row(c->t, c->s, c->rec_line);
        if (st)
            return fail(c, st, c->rec_line, 0);
    }
    return AWDA_TABLE_OK;
}

awda_table_status_t table_read_csv(awda_table_t *t, const unsigned char *data, size_t len,
                                   const char *name, awda_table_error_t *err)
{
    csv_t c = {.t = t, .d = data, .len = len, .line = 1, .err = err, .name = name};
    if (has_prefix(data, len, "\xff\xfe", 2) || has_prefix(data, len, "\xfe\xff", 2))
        return fail(&c, AWDA_TABLE_BAD_ENCODING, 1, 0);
    if (has_prefix(data, len, "\xef\xbb\xbf", 3)) {
        c.d += 3;
        c.len -= 3;
    }
    if (looks_binary(c.d, c.len))
        return fail(&c, AWDA_TABLE_NOT_A_TABLE, 0, 0);
    size_t bad = table_utf8_check(c.d, c.len);
    if (bad < c.len)
        return fail(&c, AWDA_TABLE_BAD_ENCODING, line_of(c.d, bad), 0);
    size_t idx;
    awda_table_status_t st = table_add_sheet(t, name, strlen(name), &idx);
    if (st)
        return fail(&c, st, 0, 0);
    c.s = &t->sheets[idx];
    st = table_reserve(t, c.len + 2);
    if (st)
        return fail(&c, st, 0, 0);
    c.sep = find_separator(c.d, c.len);
    return parse(&c);
}
