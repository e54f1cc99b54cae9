/*
 * test_import_table.c — the spreadsheet reader (src/import/).
 *
 * An office sends what its field teams collected: a CSV saved from Excel
 * (a byte-order mark, ';' separators, CRLF), a KoboToolbox export (group
 * prefixes in column names, select_multiple answers, a repeat group on a
 * sheet of its own), or a file that is not a spreadsheet at all. These
 * tests pin what is read — quotes, embedded newlines, separators, ragged
 * rows, row numbers as the user sees them, formulas marked — and that
 * every bad file is refused with its own status and place and returns no
 * workbook: empty, binary (PDF, PNG, random bytes), a 2 GB file (a sparse
 * file, refused from its size), other encodings (Windows-1252, mixed,
 * UTF-16), damaged quoting, too many columns or rows, a cell too long.
 * XLSX fixtures are made here: with libxlsxwriter as a spreadsheet program
 * writes them (the Kobo export), and part by part with libzip (every
 * kind of cell, the zip bombs — by ratio, by declared sizes that lie —,
 * damaged zips and XML, entity expansion, the limits).
 *
 * AWDA_IMPORT_BIG=1 also reads a 1,000,000-row CSV and prints the time
 * and the memory it took.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/import/table.h"
#include "../../src/text/messages.h"
#include "../../src/util/limits.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

/* ---- helpers ------------------------------------------------------------ */

static awda_table_t *read_ok(const char *s, size_t len)
{
    awda_table_t *t = NULL;
    awda_table_error_t e;
    awda_table_status_t st = awda_table_read(s, len, &t, &e);
    if (st != AWDA_TABLE_OK)
        fprintf(stderr, "read: %s line %ld col %ld\n", awda_table_status_name(st), e.line,
                e.column);
    assert_int_equal(st, AWDA_TABLE_OK);
    assert_non_null(t);
    return t;
}

static awda_table_t *read_str(const char *s)
{
    return read_ok(s, strlen(s));
}

/* Reads len bytes expecting status want; returns the error. */
static awda_table_error_t refused(const void *s, size_t len, awda_table_status_t want)
{
    awda_table_t *t = (awda_table_t *)1;
    awda_table_error_t e;
    awda_table_status_t st = awda_table_read(s, len, &t, &e);
    if (st != want)
        fprintf(stderr, "got %s, wanted %s\n", awda_table_status_name(st),
                awda_table_status_name(want));
    assert_int_equal(st, want);
    assert_int_equal(e.status, want);
    assert_null(t);
    return e;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#undef CELL
#define CELL(t, r, c) awda_table_cell((t), 0, (r), (c), NULL)

/* ---- CSV ---------------------------------------------------------------- */

static void test_csv_quotes_newlines_bom(void **state)
{
    (void)state;
    const char *s = "\xef\xbb\xbfname,comment,age\r\n"
                    "\"Traoré, Awa\",\"she said \"\"yes\"\"\",34\r\n"
                    "Konaté,\"two\r\nlines\",\r\n"
                    "\"\",plain,7\r\n";
    awda_table_t *t = read_str(s);
    assert_string_equal(awda_table_format(t), "csv");
    assert_int_equal(awda_table_sheets(t), 1);
    assert_string_equal(awda_table_sheet_name(t, 0), "Sheet1");
    assert_int_equal(awda_table_cols(t, 0), 3);
    assert_int_equal(awda_table_rows(t, 0), 3);
    assert_string_equal(awda_table_header(t, 0, 0), "name"); /* the BOM is not in it */
    assert_string_equal(awda_table_header(t, 0, 2), "age");
    assert_string_equal(CELL(t, 0, 0), "Traoré, Awa");
    assert_string_equal(CELL(t, 0, 1), "she said \"yes\"");
    assert_string_equal(CELL(t, 1, 1), "two\nlines");
    assert_string_equal(CELL(t, 1, 2), "");
    assert_string_equal(CELL(t, 2, 0), "");
    assert_string_equal(CELL(t, 2, 2), "7");
    /* the line each row begins on: the embedded newline moves the next one */
    assert_int_equal(awda_table_row_number(t, 0, 0), 2);
    assert_int_equal(awda_table_row_number(t, 0, 1), 3);
    assert_int_equal(awda_table_row_number(t, 0, 2), 5);
    size_t len = 0;
    awda_table_cell(t, 0, 0, 0, &len);
    assert_int_equal(len, strlen("Traoré, Awa"));
    /* out of range is empty, never a crash */
    assert_string_equal(CELL(t, 9, 0), "");
    assert_string_equal(CELL(t, 0, 99), "");
    assert_string_equal(awda_table_cell(t, 5, 0, 0, NULL), "");
    assert_string_equal(awda_table_header(t, 0, 99), "");
    awda_table_free(t);
}

static void test_csv_separators(void **state)
{
    (void)state;
    /* ';' as Excel writes it in French: the commas are decimal marks */
    awda_table_t *t = read_str("nom;montant\nAwa;12,50\n");
    assert_int_equal(awda_table_cols(t, 0), 2);
    assert_string_equal(CELL(t, 0, 1), "12,50");
    awda_table_free(t);
    t = read_str("a\tb\tc\n1\t2\t3\n");
    assert_int_equal(awda_table_cols(t, 0), 3);
    assert_string_equal(CELL(t, 0, 2), "3");
    awda_table_free(t);
    /* separators inside quotes on the header line do not count */
    t = read_str("\"a;b;c;d\",e\n1,2\n");
    assert_int_equal(awda_table_cols(t, 0), 2);
    assert_string_equal(awda_table_header(t, 0, 0), "a;b;c;d");
    awda_table_free(t);
    /* one column: no separator at all */
    t = read_str("name\nAwa\n");
    assert_int_equal(awda_table_cols(t, 0), 1);
    assert_string_equal(CELL(t, 0, 0), "Awa");
    awda_table_free(t);
}

static void test_csv_line_ends_and_blank_lines(void **state)
{
    (void)state;
    awda_table_t *t = read_str("a,b\r1,2\r3,4");
    assert_int_equal(awda_table_rows(t, 0), 2);
    assert_string_equal(CELL(t, 1, 1), "4");
    assert_int_equal(awda_table_row_number(t, 0, 1), 3);
    awda_table_free(t);
    t = read_str("a,b\n\n1,2\n,\n\n3,4\n\n");
    assert_int_equal(awda_table_rows(t, 0), 2); /* blank lines and ",": no row */
    assert_int_equal(awda_table_row_number(t, 0, 0), 3);
    assert_int_equal(awda_table_row_number(t, 0, 1), 6);
    awda_table_free(t);
}

static void test_csv_ragged_rows(void **state)
{
    (void)state;
    awda_table_t *t = read_str("a,b,c\n1\n1,2,3,4,\n");
    assert_int_equal(awda_table_cols(t, 0), 4); /* the widest row */
    assert_string_equal(CELL(t, 0, 0), "1");
    assert_string_equal(CELL(t, 0, 2), "");  /* short: empty at its end */
    assert_string_equal(CELL(t, 1, 3), "4"); /* long: kept, under a blank header */
    assert_string_equal(awda_table_header(t, 0, 3), "");
    awda_table_free(t);
}

static void test_csv_formulas_marked(void **state)
{
    (void)state;
    awda_table_t *t = read_str("v\n=SUM(A1:A9)\n@cmd\n-2+3|x\n+33 6 12 34 56 78\n-12.5\n"
                               "plain\n-\n\"=HYPERLINK(\"\"http://x\"\")\"\n");
    assert_int_equal(awda_table_rows(t, 0), 8);
    int want[] = {1, 1, 1, 0, 0, 0, 0, 1};
    for (size_t r = 0; r < 8; r++) {
        if (awda_table_formula(t, 0, r, 0) != want[r])
            fail_msg("row %zu (%s)", r, CELL(t, r, 0));
    }
    assert_string_equal(CELL(t, 0, 0), "=SUM(A1:A9)"); /* the text is kept */
    assert_int_equal(awda_table_formula(t, 0, 99, 0), 0);
    awda_table_free(t);
}

static void test_csv_kobo_export(void **state)
{
    (void)state;
    const char *s =
        "start;end;household/head/name;household/head/sex;household/needs;household/needs/food;"
        "household/needs/shelter;_id;_uuid;_index\n"
        "2024-03-01T10:00:00;2024-03-01T10:20:00;فاطمة الزهراء;female;food shelter;1;1;101;"
        "a1b2;1\n";
    awda_table_t *t = read_str(s);
    assert_int_equal(awda_table_cols(t, 0), 10);
    assert_string_equal(awda_table_header(t, 0, 2), "household/head/name");
    assert_string_equal(CELL(t, 0, 2), "فاطمة الزهراء");
    assert_string_equal(CELL(t, 0, 4), "food shelter");
    awda_table_free(t);
}

static void test_csv_named(void **state)
{
    (void)state;
    awda_table_t *t = NULL;
    assert_int_equal(awda_table_read_named("a\n1\n", 4, "registrations", &t, NULL), 0);
    assert_string_equal(awda_table_sheet_name(t, 0), "registrations");
    awda_table_free(t);
}

/* ---- bad files ------------------------------------------------------------ */

static void test_empty(void **state)
{
    (void)state;
    refused("", 0, AWDA_TABLE_EMPTY);
    refused("\n\n\r\n", 4, AWDA_TABLE_EMPTY);
    refused("\xef\xbb\xbf", 3, AWDA_TABLE_EMPTY);
    refused(",,,\n", 4, AWDA_TABLE_EMPTY);
    awda_table_t *t = (awda_table_t *)1;
    assert_int_equal(awda_table_read(NULL, 0, &t, NULL), AWDA_TABLE_EMPTY);
    assert_null(t);
}

static void test_not_a_table(void **state)
{
    (void)state;
    const char pdf[] = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n";
    refused(pdf, sizeof pdf - 1, AWDA_TABLE_NOT_A_TABLE);
    const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
    refused(png, sizeof png - 1, AWDA_TABLE_NOT_A_TABLE);
    unsigned char rnd[4096];
    unsigned x = 12345;
    for (size_t i = 0; i < sizeof rnd; i++) {
        x = x * 1103515245u + 12345u;
        rnd[i] = (unsigned char)(x >> 16);
    }
    refused(rnd, sizeof rnd, AWDA_TABLE_NOT_A_TABLE);
    /* binary without a single NUL: its control characters tell */
    for (size_t i = 0; i < sizeof rnd; i++)
        if (rnd[i] == 0)
            rnd[i] = 1;
    refused(rnd, sizeof rnd, AWDA_TABLE_NOT_A_TABLE);
    /* text with a NUL further on */
    refused("a,b\n1,2\n\0\n", 10, AWDA_TABLE_NOT_A_TABLE);
}

static void test_too_large_sparse_file(void **state)
{
    (void)state;
    char path[] = "/tmp/awda-import-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    /* 2 GB that take no disk: refused from the size, nothing read */
    assert_int_equal(ftruncate(fd, 2L * 1024 * 1024 * 1024), 0);
    close(fd);
    awda_table_t *t = (awda_table_t *)1;
    awda_table_error_t e;
    assert_int_equal(awda_table_read_file(path, &t, &e), AWDA_TABLE_TOO_LARGE);
    assert_int_equal(e.status, AWDA_TABLE_TOO_LARGE);
    assert_null(t);
    /* just over the limit, and the same bytes in memory */
    fd = open(path, O_WRONLY | O_TRUNC);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, AWDA_IMPORT_MAX_FILE_BYTES + 1), 0);
    close(fd);
    assert_int_equal(awda_table_read_file(path, &t, &e), AWDA_TABLE_TOO_LARGE);
    unlink(path);
    /* a file that does not exist; an empty file */
    assert_int_equal(awda_table_read_file(path, &t, &e), AWDA_TABLE_IO);
    assert_null(t);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    close(fd);
    assert_int_equal(awda_table_read_file(path, &t, &e), AWDA_TABLE_EMPTY);
    /* a real one, named after the file */
    fd = open(path, O_WRONLY | O_TRUNC);
    assert_int_equal(write(fd, "a,b\n1,2\n", 8), 8);
    close(fd);
    assert_int_equal(awda_table_read_file(path, &t, &e), AWDA_TABLE_OK);
    assert_string_equal(awda_table_sheet_name(t, 0), strrchr(path, '/') + 1);
    assert_string_equal(CELL(t, 0, 1), "2");
    awda_table_free(t);
    unlink(path);
}

static void test_bad_encoding(void **state)
{
    (void)state;
    /* Windows-1252: "Konaté" with é as 0xE9, on line 3 */
    const char cp1252[] = "name,town\nAwa,Bamako\nKonat\xe9,S\xe9gou\n";
    awda_table_error_t e = refused(cp1252, sizeof cp1252 - 1, AWDA_TABLE_BAD_ENCODING);
    assert_int_equal(e.line, 3);
    /* mixed: UTF-8 lines, then a Windows-1256 line (Arabic) on line 4 */
    const char mixed[] = "name\nTraoré\nفاطمة\n\xe3\xcd\xe3\xcf\n";
    e = refused(mixed, sizeof mixed - 1, AWDA_TABLE_BAD_ENCODING);
    assert_int_equal(e.line, 4);
    /* the line counts a line end inside quotes, and CR-only files */
    const char quoted[] = "a\r\"x\r\ny\"\r\xff\r";
    e = refused(quoted, sizeof quoted - 1, AWDA_TABLE_BAD_ENCODING);
    assert_int_equal(e.line, 4);
    /* UTF-16 as Excel's "Unicode text" writes it */
    const char utf16[] = "\xff\xfe"
                         "a\0,\0b\0\n\0";
    e = refused(utf16, sizeof utf16 - 1, AWDA_TABLE_BAD_ENCODING);
    assert_int_equal(e.line, 1);
    /* overlong forms and surrogates are not UTF-8 */
    refused("a\n\xc0\xafx\n", 6, AWDA_TABLE_BAD_ENCODING);
    refused("a\n\xed\xa0\x80\n", 6, AWDA_TABLE_BAD_ENCODING);
    refused("a\n\xf4\x90\x80\x80\n", 7, AWDA_TABLE_BAD_ENCODING);
    refused("a\nb\xe2\x82", 5, AWDA_TABLE_BAD_ENCODING); /* cut at the end */
    /* one control character in text */
    e = refused("a,b\n1,\x1b[2J\n", 11, AWDA_TABLE_BAD_ENCODING);
    assert_int_equal(e.line, 2);
}

static void test_bad_csv(void **state)
{
    (void)state;
    awda_table_error_t e = refused("a,b\n1,2\n\"never closed,3\n4,5\n", 27, AWDA_TABLE_BAD_CSV);
    assert_int_equal(e.line, 3);
    e = refused("a,b\n\"x\"y,2\n", 11, AWDA_TABLE_BAD_CSV);
    assert_int_equal(e.line, 2);
    assert_int_equal(e.column, 1);
    /* a quote inside an unquoted value is text, as spreadsheets read it */
    awda_table_t *t = read_str("a\n5'10\" tall\n");
    assert_string_equal(CELL(t, 0, 0), "5'10\" tall");
    awda_table_free(t);
}

/* A CSV of rows lines "v" and a header of cols columns. */
static char *csv_wide(size_t cols, size_t *len)
{
    char *s = malloc(cols * 8 + 16);
    size_t n = 0;
    for (size_t i = 0; i < cols; i++)
        n += (size_t)snprintf(s + n, 16, "%sc%zu", i ? "," : "", i);
    n += (size_t)snprintf(s + n, 16, "\n1\n");
    *len = n;
    return s;
}

static void test_too_many_columns(void **state)
{
    (void)state;
    size_t len;
    char *s = csv_wide(100000, &len);
    awda_table_error_t e = refused(s, len, AWDA_TABLE_TOO_MANY_COLUMNS);
    assert_int_equal(e.line, 1);
    assert_int_equal(e.column, AWDA_IMPORT_MAX_COLUMNS + 1);
    free(s);
    s = csv_wide(AWDA_IMPORT_MAX_COLUMNS, &len);
    awda_table_t *t = read_ok(s, len);
    assert_int_equal(awda_table_cols(t, 0), AWDA_IMPORT_MAX_COLUMNS);
    awda_table_free(t);
    free(s);
    /* a data row may not pass the limit either, even with empty cells */
    size_t n = AWDA_IMPORT_MAX_COLUMNS + 10;
    s = malloc(n + 8);
    memcpy(s, "a\n", 2);
    memset(s + 2, ',', n);
    memcpy(s + 2 + n, "x\n", 2);
    e = refused(s, n + 4, AWDA_TABLE_TOO_MANY_COLUMNS);
    assert_int_equal(e.line, 2);
    free(s);
}

static void test_too_many_rows(void **state)
{
    (void)state;
    size_t rows = (size_t)AWDA_IMPORT_MAX_ROWS + 1;
    char *s = malloc(2 + rows * 2);
    memcpy(s, "a\n", 2);
    for (size_t i = 0; i < rows; i++)
        memcpy(s + 2 + i * 2, "1\n", 2);
    awda_table_error_t e = refused(s, 2 + rows * 2, AWDA_TABLE_TOO_MANY_ROWS);
    assert_int_equal(e.line, (long)rows + 1);
    /* one row fewer reads */
    awda_table_t *t = read_ok(s, 2 + (rows - 1) * 2);
    assert_int_equal(awda_table_rows(t, 0), rows - 1);
    awda_table_free(t);
    free(s);
}

static void test_cell_too_long(void **state)
{
    (void)state;
    size_t n = AWDA_IMPORT_MAX_CELL_BYTES + 1;
    char *s = malloc(n + 32);
    memcpy(s, "a,b\n1,", 6);
    memset(s + 6, 'x', n);
    memcpy(s + 6 + n, "\n", 1);
    awda_table_error_t e = refused(s, n + 7, AWDA_TABLE_CELL_TOO_LONG);
    assert_int_equal(e.line, 2);
    assert_int_equal(e.column, 2);
    /* quoted, with an embedded newline */
    memcpy(s, "a,b\n\"", 5);
    memset(s + 5, 'y', n);
    s[100] = '\n';
    memcpy(s + 5 + n, "\",2\n", 4);
    e = refused(s, n + 9, AWDA_TABLE_CELL_TOO_LONG);
    assert_int_equal(e.line, 2);
    assert_int_equal(e.column, 1);
    /* at the limit reads */
    memcpy(s, "a,b\n1,", 6);
    memset(s + 6, 'x', n - 1);
    memcpy(s + 5 + n, "\n", 1);
    awda_table_t *t = read_ok(s, n + 6);
    size_t len;
    awda_table_cell(t, 0, 0, 1, &len);
    assert_int_equal(len, AWDA_IMPORT_MAX_CELL_BYTES);
    awda_table_free(t);
    free(s);
}

/* ---- XLSX fixtures -------------------------------------------------------- */

typedef struct {
    const char *name;
    const char *data;
    size_t len; /* 0: strlen(data) */
    int store;  /* stored, not deflated */
} member_t;

static unsigned char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)n + 1);
    assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return b;
}

/* A zip of the members, made by libzip; malloc'd. */
static unsigned char *zip_make(const member_t *m, size_t n, size_t *len)
{
    char path[] = "/tmp/awda-zip-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    int ze;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &ze);
    assert_non_null(z);
    for (size_t i = 0; i < n; i++) {
        size_t l = m[i].len ? m[i].len : strlen(m[i].data);
        zip_source_t *src = zip_source_buffer(z, m[i].data, l, 0);
        assert_non_null(src);
        zip_int64_t idx = zip_file_add(z, m[i].name, src, ZIP_FL_OVERWRITE);
        assert_true(idx >= 0);
        if (m[i].store)
            assert_int_equal(zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_STORE, 0), 0);
    }
    assert_int_equal(zip_close(z), 0);
    unsigned char *b = read_all(path, len);
    unlink(path);
    return b;
}

#define NS                                                                                         \
    "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "                         \
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
#define RELNS "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

/* A workbook of nsheets sheets (names, sheet XML), with optional shared
 * strings and styles XML and workbookPr attributes; malloc'd. */
static unsigned char *book(size_t nsheets, const char *const *names, const char *const *sheets,
                           const char *sst, const char *styles, const char *wbpr, size_t *len)
{
    size_t cap = 4096 + nsheets * 256;
    char *wb = malloc(cap), *rels = malloc(cap);
    size_t w = (size_t)snprintf(wb, cap,
                                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                                "<workbook " NS "><workbookPr %s/><sheets>",
                                wbpr ? wbpr : "");
    size_t r = (size_t)snprintf(rels, cap,
                                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Relationships "
                                "xmlns=\"http://schemas.openxmlformats.org/package/2006/"
                                "relationships\">"
                                "<Relationship Id=\"rIdS\" Type=\"" RELNS "/sharedStrings\" "
                                "Target=\"sharedStrings.xml\"/>"
                                "<Relationship Id=\"rIdT\" Type=\"" RELNS "/styles\" "
                                "Target=\"/xl/styles.xml\"/>");
    member_t m[80];
    char(*paths)[64] = malloc(80 * sizeof *paths);
    size_t k = 0;
    for (size_t i = 0; i < nsheets; i++) {
        w += (size_t)snprintf(wb + w, cap - w,
                              "<sheet name=\"%s\" sheetId=\"%zu\" r:id=\"rId%zu\"/>", names[i],
                              i + 1, i + 1);
        r += (size_t)snprintf(rels + r, cap - r,
                              "<Relationship Id=\"rId%zu\" Type=\"" RELNS "/worksheet\" "
                              "Target=\"worksheets/sheet%zu.xml\"/>",
                              i + 1, i + 1);
        snprintf(paths[i], 64, "xl/worksheets/sheet%zu.xml", i + 1);
        m[k++] = (member_t){paths[i], sheets[i], 0, 0};
    }
    snprintf(wb + w, cap - w, "</sheets></workbook>");
    snprintf(rels + r, cap - r, "</Relationships>");
    m[k++] = (member_t){"_rels/.rels",
                        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
                        "relationships\"><Relationship Id=\"rId1\" Type=\"" RELNS
                        "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>",
                        0, 0};
    m[k++] = (member_t){"xl/workbook.xml", wb, 0, 0};
    m[k++] = (member_t){"xl/_rels/workbook.xml.rels", rels, 0, 0};
    if (sst)
        m[k++] = (member_t){"xl/sharedStrings.xml", sst, 0, 0};
    if (styles)
        m[k++] = (member_t){"xl/styles.xml", styles, 0, 0};
    unsigned char *b = zip_make(m, k, len);
    free(wb);
    free(rels);
    free(paths);
    return b;
}

static unsigned char *book1(const char *sheet, const char *sst, size_t *len)
{
    const char *names[] = {"Feuil1"};
    return book(1, names, &sheet, sst, NULL, NULL, len);
}

#define SHEET(rows) "<worksheet " NS "><sheetData>" rows "</sheetData></worksheet>"

/* ---- XLSX read -------------------------------------------------------------- */

/* A KoboToolbox export as a spreadsheet program writes it (libxlsxwriter):
 * the main sheet with group-prefixed columns, a select_multiple answer and
 * its one-column-per-choice split, a date, a formula; the repeat group
 * "member" on its own sheet joined by _index / _parent_index. */
static void test_xlsx_kobo_export(void **state)
{
    (void)state;
    for (int constant_memory = 0; constant_memory <= 1; constant_memory++) {
        char path[] = "/tmp/awda-kobo-XXXXXX";
        int fd = mkstemp(path);
        close(fd);
        lxw_workbook_options opt = {.constant_memory = (uint8_t)constant_memory};
        lxw_workbook *wb = workbook_new_opt(path, &opt);
        lxw_worksheet *main = workbook_add_worksheet(wb, "Registration form");
        lxw_worksheet *mem = workbook_add_worksheet(wb, "member");
        lxw_format *date = workbook_add_format(wb);
        format_set_num_format(date, "dd/mm/yyyy");
        const char *h[] = {"start",
                           "household/head/name",
                           "household/head/dob",
                           "household/needs",
                           "household/needs/food",
                           "household/needs/shelter",
                           "household/size",
                           "household/income",
                           "household/check",
                           "_id",
                           "_uuid",
                           "_index"};
        for (lxw_col_t c = 0; c < 12; c++)
            worksheet_write_string(main, 0, c, h[c], NULL);
        const char *names[] = {"فاطمة الزهراء", "Mamadou Traoré"};
        for (lxw_row_t r = 1; r <= 2; r++) {
            worksheet_write_string(main, r, 0, "2024-03-01T10:00:00.000+00:00", NULL);
            worksheet_write_string(main, r, 1, names[r - 1], NULL);
            lxw_datetime dob = {1990, 5, 17, 0, 0, 0};
            if (r == 2)
                dob = (lxw_datetime){2004, 2, 29, 0, 0, 0};
            worksheet_write_datetime(main, r, 2, &dob, date);
            worksheet_write_string(main, r, 3, r == 1 ? "food shelter" : "food", NULL);
            worksheet_write_number(main, r, 4, 1, NULL);
            worksheet_write_number(main, r, 5, r == 1 ? 1 : 0, NULL);
            worksheet_write_number(main, r, 6, 4, NULL);
            worksheet_write_number(main, r, 7, r == 1 ? 1250.5 : 0.1 + 0.2, NULL);
            worksheet_write_formula_num(main, r, 8, "=G2*2", NULL, 8);
            worksheet_write_number(main, r, 9, 101 + r, NULL);
            worksheet_write_string(main, r, 10, "a1b2c3", NULL);
            worksheet_write_number(main, r, 11, r, NULL);
        }
        const char *mh[] = {"household/member/name", "household/member/age", "_index",
                            "_parent_table_name", "_parent_index"};
        for (lxw_col_t c = 0; c < 5; c++)
            worksheet_write_string(mem, 0, c, mh[c], NULL);
        const char *mn[] = {"Aïcha", "Omar", "Ali"};
        const int parent[] = {1, 1, 2};
        for (lxw_row_t r = 1; r <= 3; r++) {
            worksheet_write_string(mem, r, 0, mn[r - 1], NULL);
            worksheet_write_number(mem, r, 1, 5 + r, NULL);
            worksheet_write_number(mem, r, 2, r, NULL);
            worksheet_write_string(mem, r, 3, "Registration form", NULL);
            worksheet_write_number(mem, r, 4, parent[r - 1], NULL);
        }
        assert_int_equal(workbook_close(wb), LXW_NO_ERROR);

        awda_table_t *t = NULL;
        awda_table_error_t e;
        awda_table_status_t st = awda_table_read_file(path, &t, &e);
        unlink(path);
        if (st)
            fail_msg("%s sheet %s row %ld col %ld", awda_table_status_name(st), e.sheet, e.line,
                     e.column);
        assert_string_equal(awda_table_format(t), "xlsx");
        assert_int_equal(awda_table_sheets(t), 2);
        assert_string_equal(awda_table_sheet_name(t, 0), "Registration form");
        assert_string_equal(awda_table_sheet_name(t, 1), "member");
        assert_int_equal(awda_table_cols(t, 0), 12);
        assert_int_equal(awda_table_rows(t, 0), 2);
        assert_string_equal(awda_table_header(t, 0, 1), "household/head/name");
        assert_string_equal(CELL(t, 0, 1), "فاطمة الزهراء");
        assert_string_equal(CELL(t, 0, 2), "1990-05-17");
        assert_string_equal(CELL(t, 1, 2), "2004-02-29");
        assert_string_equal(CELL(t, 0, 3), "food shelter");
        assert_string_equal(CELL(t, 0, 4), "1"); /* not "1.0" */
        assert_string_equal(CELL(t, 1, 5), "0");
        assert_string_equal(CELL(t, 0, 7), "1250.5");
        assert_string_equal(CELL(t, 1, 7), "0.3"); /* as a spreadsheet shows it */
        assert_string_equal(CELL(t, 0, 8), "8");
        assert_int_equal(awda_table_formula(t, 0, 0, 8), 1);
        assert_int_equal(awda_table_formula(t, 0, 0, 7), 0);
        assert_string_equal(CELL(t, 1, 9), "103");
        assert_int_equal(awda_table_row_number(t, 0, 0), 2);
        assert_int_equal(awda_table_row_number(t, 0, 1), 3);
        /* the repeat group */
        assert_int_equal(awda_table_rows(t, 1), 3);
        assert_string_equal(awda_table_header(t, 1, 4), "_parent_index");
        assert_string_equal(awda_table_cell(t, 1, 0, 0, NULL), "Aïcha");
        assert_string_equal(awda_table_cell(t, 1, 2, 4, NULL), "2");
        assert_string_equal(awda_table_cell(t, 1, 2, 3, NULL), "Registration form");
        awda_table_free(t);
    }
}

static const char STYLES[] =
    "<styleSheet " NS "><numFmts count=\"3\">"
    "<numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy\"/>"
    "<numFmt numFmtId=\"165\" formatCode=\"#,##0.00\\ &quot;FCFA&quot;\"/>"
    "<numFmt numFmtId=\"166\" formatCode=\"[$-409]mmmm\\ d\\,\\ yyyy;@\"/></numFmts>"
    "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
    "<cellXfs count=\"7\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/>"
    "<xf numFmtId=\"165\"/><xf numFmtId=\"22\"/><xf numFmtId=\"20\"/><xf numFmtId=\"166\"/>"
    "</cellXfs></styleSheet>";

static void test_xlsx_cells(void **state)
{
    (void)state;
    const char *sst =
        "<sst " NS " count=\"4\" uniqueCount=\"4\">"
        "<si><t>name</t></si>"
        "<si><r><rPr><b/></rPr><t>Kon</t></r><r><t xml:space=\"preserve\">até A</t></r>"
        "<rPh sb=\"0\" eb=\"1\"><t>ignored</t></rPh></si>"
        "<si><t>line_x000D_\nbreak _x005F_x0041_ _x0001_</t></si>"
        "<si><t/></si></sst>";
    const char *sheet =
        SHEET("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" "
              "t=\"inlineStr\"><is><t>dob</t></is></c>"
              "<c r=\"D1\" t=\"str\"><v>when</v></c><c r=\"E1\" t=\"s\"><v>3</v></c>"
              "<c r=\"F1\" t=\"inlineStr\"><is><t>f</t></is></c><c r=\"G1\" "
              "t=\"inlineStr\"><is><t>g</t></is></c></row>"
              "<row r=\"3\" spans=\"1:6\"><c r=\"A3\" t=\"s\"><v>1</v></c><c r=\"B3\" "
              "s=\"2\"><v>32874</v></c>"
              "<c r=\"C3\" t=\"b\"><v>1</v></c><c r=\"D3\" s=\"4\"><v>45352.75</v></c>"
              "<c r=\"F3\" s=\"3\"><v>1500</v></c><c r=\"G3\" s=\"5\"><v>0.5</v></c></row>"
              "<row r=\"4\"><c r=\"A4\" t=\"s\"><v>2</v></c><c r=\"B4\" s=\"1\"><v>60</v></c>"
              "<c r=\"C4\" t=\"e\"><v>#N/A</v></c><c r=\"D4\" s=\"6\"><v>1</v></c>"
              "<c r=\"F4\"><v>1.0E-3</v></c><c r=\"G4\"><v>123456789012345678</v></c></row>"
              "<row r=\"5\"><c r=\"A5\" s=\"1\"/><c r=\"B5\" s=\"1\"></c></row>"
              "<row r=\"7\"><c t=\"inlineStr\"><is><r><t>in</t></r><r><t>line</t></r></is></c>"
              "<c><v>-0</v></c><c r=\"E7\" t=\"str\"><f>A7&amp;\"x\"</f><v></v></c>"
              "<c r=\"F7\"><f t=\"shared\" si=\"0\"/><v>61</v></c><c r=\"G7\" "
              "s=\"1\"><v>61</v></c></row>");
    size_t len;
    unsigned char *b = book(1, (const char *[]){"Données"}, &sheet, sst, STYLES, NULL, &len);
    awda_table_t *t = read_ok((const char *)b, len);
    assert_int_equal(awda_table_sheets(t), 1);
    assert_string_equal(awda_table_sheet_name(t, 0), "Données");
    assert_int_equal(awda_table_cols(t, 0), 7);
    assert_string_equal(awda_table_header(t, 0, 0), "name");
    assert_string_equal(awda_table_header(t, 0, 1), "dob");
    assert_string_equal(awda_table_header(t, 0, 2), ""); /* C1 missing */
    assert_string_equal(awda_table_header(t, 0, 3), "when");
    assert_string_equal(awda_table_header(t, 0, 4), "");
    /* row 5 (styled cells without a value) is no row */
    assert_int_equal(awda_table_rows(t, 0), 3);
    assert_int_equal(awda_table_row_number(t, 0, 0), 3);
    assert_int_equal(awda_table_row_number(t, 0, 2), 7);
    assert_string_equal(CELL(t, 0, 0), "Konaté A");   /* runs joined, phonetic left out */
    assert_string_equal(CELL(t, 0, 1), "1990-01-01"); /* custom dd/mm/yyyy */
    assert_string_equal(CELL(t, 0, 2), "TRUE");
    assert_string_equal(CELL(t, 0, 3), "2024-03-01 18:00:00"); /* format 22 */
    assert_string_equal(CELL(t, 0, 4), "");
    assert_string_equal(CELL(t, 0, 5), "1500"); /* a currency format is a number */
    assert_string_equal(CELL(t, 0, 6), "12:00:00");
    assert_string_equal(CELL(t, 1, 0), "line\r\nbreak _x0041_ _x0001_");
    assert_string_equal(CELL(t, 1, 1), "60"); /* 1900-02-29 never was */
    assert_string_equal(CELL(t, 1, 2), "#N/A");
    assert_string_equal(CELL(t, 1, 3), "1900-01-01"); /* [$-409]mmmm d, yyyy */
    assert_string_equal(CELL(t, 1, 5), "0.001");
    assert_string_equal(CELL(t, 1, 6), "1.23456789012346e+17");
    assert_string_equal(CELL(t, 2, 0), "inline");
    assert_string_equal(CELL(t, 2, 1), "0");
    assert_string_equal(CELL(t, 2, 4), ""); /* a formula whose value is empty */
    assert_int_equal(awda_table_formula(t, 0, 2, 4), 1);
    assert_string_equal(CELL(t, 2, 5), "61");
    assert_int_equal(awda_table_formula(t, 0, 2, 5), 1);
    assert_string_equal(CELL(t, 2, 6), "1900-03-01");
    awda_table_free(t);
    free(b);
}

static void test_xlsx_1904_and_prefixes(void **state)
{
    (void)state;
    /* a writer that prefixes the main namespace (x:) and uses 1904 dates */
    const char *sheet =
        "<x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        "<x:sheetData><x:row r=\"1\"><x:c r=\"A1\" t=\"inlineStr\"><x:is><x:t>d</x:t></x:is></x:c>"
        "</x:row><x:row r=\"2\"><x:c r=\"A2\" s=\"1\"><x:v>0</x:v></x:c></x:row>"
        "<x:row r=\"3\"><x:c r=\"A3\" s=\"1\"><x:v>43000</x:v></x:c></x:row></x:sheetData>"
        "</x:worksheet>";
    size_t len;
    unsigned char *b = book(1, (const char *[]){"S"}, &sheet, NULL, STYLES, "date1904=\"1\"", &len);
    awda_table_t *t = read_ok((const char *)b, len);
    assert_string_equal(CELL(t, 0, 0), "1904-01-01");
    assert_string_equal(CELL(t, 1, 0), "2021-09-23"); /* 43000 + 1462 in 1900 */
    awda_table_free(t);
    free(b);
}

static void test_xlsx_sheets_in_workbook_order(void **state)
{
    (void)state;
    const char *sheets[] = {
        SHEET("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>one</t></is></c></row>"), SHEET(""),
        SHEET("<row r=\"2\"><c r=\"B2\" t=\"inlineStr\"><is><t>three</t></is></c></row>")};
    size_t len;
    unsigned char *b =
        book(3, (const char *[]){"z-first", "empty", "a-last"}, sheets, NULL, NULL, NULL, &len);
    awda_table_t *t = read_ok((const char *)b, len);
    assert_int_equal(awda_table_sheets(t), 3);
    assert_string_equal(awda_table_sheet_name(t, 0), "z-first");
    assert_string_equal(awda_table_sheet_name(t, 2), "a-last");
    assert_int_equal(awda_table_cols(t, 1), 0);
    assert_int_equal(awda_table_rows(t, 1), 0);
    assert_string_equal(awda_table_header(t, 2, 1), "three");
    awda_table_free(t);
    free(b);
    /* every sheet empty: no header anywhere */
    const char *empty = SHEET("");
    b = book1(empty, NULL, &len);
    refused(b, len, AWDA_TABLE_EMPTY);
    free(b);
}

/* ---- XLSX bad files ------------------------------------------------------------ */

/* Sets the uncompressed size of member name, in its local header and in the
 * central directory, to size (the sizes lie). */
static void lie_size(unsigned char *b, size_t len, const char *name, uint32_t size)
{
    size_t nl = strlen(name);
    int patched = 0;
    for (size_t i = 0; i + 46 < len; i++) {
        if (memcmp(b + i, "PK\3\4", 4) == 0 && i + 30 + nl <= len && b[i + 26] == (nl & 0xff) &&
            memcmp(b + i + 30, name, nl) == 0) {
            memcpy(b + i + 22, &size, 4);
            patched++;
        }
        if (memcmp(b + i, "PK\1\2", 4) == 0 && i + 46 + nl <= len && b[i + 28] == (nl & 0xff) &&
            memcmp(b + i + 46, name, nl) == 0) {
            memcpy(b + i + 24, &size, 4);
            patched++;
        }
    }
    assert_int_equal(patched, 2);
}

static uint32_t comp_size(const unsigned char *b, size_t len, const char *name)
{
    size_t nl = strlen(name);
    for (size_t i = 0; i + 46 < len; i++)
        if (memcmp(b + i, "PK\1\2", 4) == 0 && memcmp(b + i + 46, name, nl) == 0) {
            uint32_t c;
            memcpy(&c, b + i + 20, 4);
            return c;
        }
    fail();
    return 0;
}

/* A sheet of n bytes that compresses well (a bomb's payload). */
static char *bomb_sheet(size_t n)
{
    char *s = malloc(n + 1);
    const char *head = "<worksheet><sheetData>", *tail = "</sheetData></worksheet>";
    size_t h = strlen(head), t = strlen(tail);
    memcpy(s, head, h);
    memset(s + h, ' ', n - h - t);
    memcpy(s + n - t, tail, t + 1);
    return s;
}

static void test_xlsx_zip_bomb(void **state)
{
    (void)state;
    size_t n = 20 * 1024 * 1024, len;
    char *payload = bomb_sheet(n);
    unsigned char *b = book1(payload, NULL, &len);
    const char *member = "xl/worksheets/sheet1.xml";
    uint32_t comp = comp_size(b, len, member);
    assert_true((uint64_t)comp * AWDA_IMPORT_MAX_ZIP_RATIO < n); /* it is one */
    /* the declared sizes tell */
    refused(b, len, AWDA_TABLE_ZIP_BOMB);
    /* declared sizes that lie (within the ratio): counted while inflating */
    lie_size(b, len, member, comp * 2);
    refused(b, len, AWDA_TABLE_ZIP_BOMB);
    /* a member declaring more than the limit, refused before inflating */
    lie_size(b, len, member, (uint32_t)AWDA_IMPORT_MAX_UNZIPPED_BYTES + 1);
    refused(b, len, AWDA_TABLE_ZIP_BOMB);
    free(b);
    free(payload);
}

static void test_xlsx_damaged(void **state)
{
    (void)state;
    const char *sheet = SHEET("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>a</t></is></c></row>"
                              "<row r=\"2\"><c r=\"A2\"><v>1</v></c></row>");
    size_t len;
    unsigned char *b = book1(sheet, NULL, &len);
    awda_table_free(read_ok((const char *)b, len));
    /* cut in half */
    refused(b, len / 2, AWDA_TABLE_BAD_XLSX);
    /* only the signature */
    refused("PK\3\4", 4, AWDA_TABLE_BAD_XLSX);
    /* the compressed bytes of the sheet damaged */
    unsigned char *c = malloc(len);
    memcpy(c, b, len);
    size_t nl = strlen("xl/worksheets/sheet1.xml");
    for (size_t i = 0; i + 30 < len; i++)
        if (memcmp(c + i, "PK\3\4", 4) == 0 &&
            memcmp(c + i + 30, "xl/worksheets/sheet1.xml", nl) == 0) {
            uint16_t extra;
            memcpy(&extra, c + i + 28, 2);
            for (size_t k = 0; k < 8; k++)
                c[i + 30 + nl + extra + 2 + k] ^= 0x5a;
            break;
        }
    refused(c, len, AWDA_TABLE_BAD_XLSX);
    free(c);
    free(b);
    /* XML that is not well formed; a shared string that is not there */
    b = book1(SHEET("<row r=\"1\"><c r=\"A1\"><v>1</c></row>"), NULL, &len);
    awda_table_error_t e = refused(b, len, AWDA_TABLE_BAD_XLSX);
    assert_string_equal(e.sheet, "Feuil1");
    free(b);
    b = book1(SHEET("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>7</v></c></row>"),
              "<sst " NS "><si><t>x</t></si></sst>", &len);
    e = refused(b, len, AWDA_TABLE_BAD_XLSX);
    assert_int_equal(e.line, 1);
    assert_int_equal(e.column, 1);
    free(b);
    /* a cell reference past XFD */
    b = book1(SHEET("<row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row>"), NULL, &len);
    refused(b, len, AWDA_TABLE_BAD_XLSX);
    free(b);
}

static void test_xlsx_not_a_workbook(void **state)
{
    (void)state;
    /* a Word document, a plain zip of photos */
    member_t docx[] = {{"word/document.xml", "<w:document/>", 0, 0},
                       {"[Content_Types].xml", "<Types/>", 0, 0}};
    size_t len;
    unsigned char *b = zip_make(docx, 2, &len);
    refused(b, len, AWDA_TABLE_NOT_A_TABLE);
    free(b);
}

static void test_xlsx_entities_refused(void **state)
{
    (void)state;
    const char *laughs =
        "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
        "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
        "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
        "<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">"
        "<!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">"
        "<!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">"
        "<!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">"
        "<!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">"
        "<!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">]>"
        "<sst " NS "><si><t>&lol9;</t></si></sst>";
    const char *sheet = SHEET("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>");
    size_t len;
    unsigned char *b = book1(sheet, laughs, &len);
    refused(b, len, AWDA_TABLE_BAD_XLSX);
    free(b);
    /* an external entity (a file of the server) in a sheet */
    const char *xxe =
        "<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
        "<worksheet " NS "><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is>"
        "<t>&x;</t></is></c></row></sheetData></worksheet>";
    b = book1(xxe, NULL, &len);
    refused(b, len, AWDA_TABLE_BAD_XLSX);
    free(b);
    /* a DOCTYPE alone */
    b = book1("<!DOCTYPE worksheet><worksheet/>", NULL, &len);
    refused(b, len, AWDA_TABLE_BAD_XLSX);
    free(b);
    /* nesting beyond the depth */
    char deep[AWDA_IMPORT_MAX_XML_DEPTH * 7 + 64];
    size_t n = 0;
    for (int i = 0; i <= AWDA_IMPORT_MAX_XML_DEPTH; i++)
        n += (size_t)snprintf(deep + n, sizeof deep - n, "<a>");
    b = book1(deep, NULL, &len);
    refused(b, len, AWDA_TABLE_BAD_XLSX);
    free(b);
}

static void test_xlsx_limits(void **state)
{
    (void)state;
    /* a row wider than the limit */
    size_t cols = AWDA_IMPORT_MAX_COLUMNS + 10, cap = 64 + cols * 48, n = 0, len;
    char *s = malloc(cap);
    n += (size_t)snprintf(s + n, cap - n, "<worksheet><sheetData><row r=\"1\">");
    for (size_t i = 0; i < cols; i++)
        n += (size_t)snprintf(s + n, cap - n, "<c><v>%zu</v></c>", i);
    snprintf(s + n, cap - n, "</row></sheetData></worksheet>");
    unsigned char *b = book1(s, NULL, &len);
    awda_table_error_t e = refused(b, len, AWDA_TABLE_TOO_MANY_COLUMNS);
    assert_int_equal(e.line, 1);
    assert_int_equal(e.column, AWDA_IMPORT_MAX_COLUMNS + 1);
    assert_string_equal(e.sheet, "Feuil1");
    free(b);
    free(s);
    /* a value far right (XFD) */
    b = book1(SHEET("<row r=\"1\"><c r=\"A1\"><v>1</v></c><c r=\"XFD1\"><v>1</v></c></row>"), NULL,
              &len);
    refused(b, len, AWDA_TABLE_TOO_MANY_COLUMNS);
    free(b);
    /* styled empty cells far right are nothing */
    b = book1(SHEET("<row r=\"1\"><c r=\"A1\"><v>1</v></c><c r=\"XFD1\" s=\"1\"/></row>"), NULL,
              &len);
    awda_table_t *t = read_ok((const char *)b, len);
    assert_int_equal(awda_table_cols(t, 0), 1);
    awda_table_free(t);
    free(b);
    /* a cell too long: inline, and a shared string */
    size_t big = AWDA_IMPORT_MAX_CELL_BYTES + 1;
    s = malloc(big + 256);
    n = (size_t)snprintf(s, 256,
                         "<worksheet><sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"
                         "<row r=\"2\"><c r=\"B2\" t=\"inlineStr\"><is><t>");
    memset(s + n, 'x', big);
    snprintf(s + n + big, 128, "</t></is></c></row></sheetData></worksheet>");
    b = book1(s, NULL, &len);
    e = refused(b, len, AWDA_TABLE_CELL_TOO_LONG);
    assert_int_equal(e.line, 2);
    assert_int_equal(e.column, 2);
    free(b);
    n = (size_t)snprintf(s, 64, "<sst><si><t>");
    memset(s + n, 'y', big);
    snprintf(s + n + big, 64, "</t></si></sst>");
    b = book1(SHEET("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row r=\"9\"><c r=\"C9\" "
                    "t=\"s\"><v>0</v></c></row>"),
              s, &len);
    e = refused(b, len, AWDA_TABLE_CELL_TOO_LONG);
    assert_int_equal(e.line, 9);
    assert_int_equal(e.column, 3);
    free(b);
    free(s);
    /* too many sheets */
    const char *one = SHEET("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>");
    const char *sheets[AWDA_IMPORT_MAX_SHEETS + 1];
    const char *names[AWDA_IMPORT_MAX_SHEETS + 1];
    char nm[AWDA_IMPORT_MAX_SHEETS + 1][8];
    for (int i = 0; i <= AWDA_IMPORT_MAX_SHEETS; i++) {
        sheets[i] = one;
        snprintf(nm[i], sizeof nm[i], "s%d", i);
        names[i] = nm[i];
    }
    b = book(AWDA_IMPORT_MAX_SHEETS + 1, names, sheets, NULL, NULL, NULL, &len);
    refused(b, len, AWDA_TABLE_TOO_MANY_SHEETS);
    free(b);
    b = book(AWDA_IMPORT_MAX_SHEETS, names, sheets, NULL, NULL, NULL, &len);
    t = read_ok((const char *)b, len);
    assert_int_equal(awda_table_sheets(t), AWDA_IMPORT_MAX_SHEETS);
    awda_table_free(t);
    free(b);
}

/* More rows than the limit, in a stored (not deflated) sheet, so that the
 * rows and not the ratio are what is refused. */
static void test_xlsx_too_many_rows(void **state)
{
    (void)state;
    size_t rows = (size_t)AWDA_IMPORT_MAX_ROWS + 2, cap = 64 + rows * 40, n = 0, len;
    char *s = malloc(cap);
    n += (size_t)snprintf(s + n, cap - n, "<worksheet><sheetData>");
    for (size_t i = 1; i <= rows; i++)
        n += (size_t)snprintf(s + n, cap - n, "<row><c><v>%zu</v></c></row>", i);
    snprintf(s + n, cap - n, "</sheetData></worksheet>");
    member_t m[] = {
        {"xl/workbook.xml",
         "<workbook " NS "><sheets><sheet name=\"big\" r:id=\"r1\"/></sheets></workbook>", 0, 0},
        {"xl/_rels/workbook.xml.rels",
         "<Relationships><Relationship Id=\"r1\" Type=\"" RELNS
         "/worksheet\" Target=\"s.xml\"/></Relationships>",
         0, 0},
        {"xl/s.xml", s, 0, 1},
    };
    unsigned char *b = zip_make(m, 3, &len);
    awda_table_error_t e = refused(b, len, AWDA_TABLE_TOO_MANY_ROWS);
    assert_string_equal(e.sheet, "big");
    assert_int_equal(e.line, AWDA_IMPORT_MAX_ROWS + 2);
    free(b);
    free(s);
}

/* ---- size and speed --------------------------------------------------------- */

static char *csv_persons(size_t rows, size_t *len)
{
    size_t cap = 200 + rows * 160;
    char *s = malloc(cap);
    size_t n = (size_t)snprintf(s, cap,
                                "id,family_name,given_name,sex,dob,nationality,phone,town,"
                                "household,needs,comment,registered\n");
    for (size_t i = 0; i < rows; i++)
        n += (size_t)snprintf(s + n, cap - n,
                              "%zu,Traoré,\"Awa, Fatou\",f,1990-%02zu-%02zu,MLI,+223 76 %06zu,"
                              "Ségou,H%zu,food shelter,\"arrived\nby bus\",2024-03-01\n",
                              i, i % 12 + 1, i % 28 + 1, i % 1000000, i / 4);
    *len = n;
    return s;
}

static void test_speed_100k(void **state)
{
    (void)state;
    size_t len;
    char *s = csv_persons(100000, &len);
    double t0 = now();
    awda_table_t *t = read_ok(s, len);
    double dt = now() - t0;
    assert_int_equal(awda_table_rows(t, 0), 100000);
    assert_string_equal(CELL(t, 99999, 2), "Awa, Fatou");
    assert_int_equal(awda_table_row_number(t, 0, 99999), 2 + 99999 * 2);
    fprintf(stderr, "  100,000 rows, %.1f MB: %.3f s\n", (double)len / 1e6, dt);
#if defined(__SANITIZE_ADDRESS__)
    assert_true(dt < 3.0); /* the sanitizers slow it several times */
#else
    assert_true(dt < 1.0);
#endif
    awda_table_free(t);
    free(s);
}

static void test_big_1m(void **state)
{
    (void)state;
    if (!getenv("AWDA_IMPORT_BIG"))
        skip();
    size_t len;
    char *s = csv_persons(1000000, &len);
    struct rusage r0, r1;
    getrusage(RUSAGE_SELF, &r0);
    /* the reference: copying the file into fresh memory, in the same run
     * (freed before the reading, but counted in the peak: the peak is
     * r0 + the copy's 115 MB at least) */
    double c0 = now();
    char *copy = malloc(len);
    memcpy(copy, s, len);
    double copy_s = now() - c0;
    assert_int_equal(copy[len - 1], '\n');
    free(copy);
    double t0 = now();
    awda_table_t *t = read_ok(s, len);
    double dt = now() - t0;
    getrusage(RUSAGE_SELF, &r1);
    assert_int_equal(awda_table_rows(t, 0), 1000000);
    assert_int_equal(awda_table_cols(t, 0), 12);
    fprintf(stderr,
            "  1,000,000 rows x 12, file %.1f MB: %.2f s (%.1f times one copy of the file, "
            "%.2f s), peak RSS %.0f MB (%.0f MB before)\n",
            (double)len / 1e6, dt, dt / copy_s, copy_s, (double)r1.ru_maxrss / 1024,
            (double)r0.ru_maxrss / 1024);
    awda_table_free(t);
    free(s);
}

/* ---- words ------------------------------------------------------------------ */

static void test_status_words(void **state)
{
    (void)state;
    assert_string_equal(awda_table_status_name(AWDA_TABLE_ZIP_BOMB), "zip_bomb");
    assert_string_equal(awda_table_status_name(AWDA_TABLE_NOT_A_TABLE), "not_a_table");
    char buf[256];
    for (int s = AWDA_TABLE_OK; s <= AWDA_TABLE_IO; s++) {
        awda_table_error_t e = {.status = (awda_table_status_t)s, .line = 3, .column = 2};
        assert_true(awda_table_error_text(&e, buf, sizeof buf) > 0);
        assert_true(strlen(buf) > 10);
        assert_string_not_equal(awda_table_status_name((awda_table_status_t)s), "unknown");
        /* the user reads it in French and Arabic too */
        e.sheet[0] = 0;
        memcpy(e.sheet, "member", 7);
        awda_table_error_text(&e, buf, sizeof buf);
        for (int lang = AWDA_LANG_FR; lang <= AWDA_LANG_AR; lang++) {
            char *tr = awda_msg_translate(buf, (awda_lang_t)lang);
            if (!tr)
                fail_msg("no %s for: %s", awda_lang_code((awda_lang_t)lang), buf);
            assert_string_not_equal(tr, buf);
            free(tr);
        }
    }
    awda_table_error_t e = {.status = AWDA_TABLE_BAD_ENCODING, .line = 7};
    awda_table_error_text(&e, buf, sizeof buf);
    assert_non_null(strstr(buf, "Line 7 "));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_quotes_newlines_bom),
        cmocka_unit_test(test_csv_separators),
        cmocka_unit_test(test_csv_line_ends_and_blank_lines),
        cmocka_unit_test(test_csv_ragged_rows),
        cmocka_unit_test(test_csv_formulas_marked),
        cmocka_unit_test(test_csv_kobo_export),
        cmocka_unit_test(test_csv_named),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_not_a_table),
        cmocka_unit_test(test_too_large_sparse_file),
        cmocka_unit_test(test_bad_encoding),
        cmocka_unit_test(test_bad_csv),
        cmocka_unit_test(test_too_many_columns),
        cmocka_unit_test(test_too_many_rows),
        cmocka_unit_test(test_cell_too_long),
        cmocka_unit_test(test_xlsx_kobo_export),
        cmocka_unit_test(test_xlsx_cells),
        cmocka_unit_test(test_xlsx_1904_and_prefixes),
        cmocka_unit_test(test_xlsx_sheets_in_workbook_order),
        cmocka_unit_test(test_xlsx_zip_bomb),
        cmocka_unit_test(test_xlsx_damaged),
        cmocka_unit_test(test_xlsx_not_a_workbook),
        cmocka_unit_test(test_xlsx_entities_refused),
        cmocka_unit_test(test_xlsx_limits),
        cmocka_unit_test(test_xlsx_too_many_rows),
        cmocka_unit_test(test_speed_100k),
        cmocka_unit_test(test_big_1m),
        cmocka_unit_test(test_status_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
