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
 * XLSX fixtures are made here with libzip (tests further down).
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
    assert_true(dt < 1.0);
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
    double t0 = now();
    awda_table_t *t = read_ok(s, len);
    double dt = now() - t0;
    getrusage(RUSAGE_SELF, &r1);
    assert_int_equal(awda_table_rows(t, 0), 1000000);
    assert_int_equal(awda_table_cols(t, 0), 12);
    fprintf(stderr,
            "  1,000,000 rows x 12, file %.1f MB: %.2f s, peak RSS %.0f MB (%.0f MB before)\n",
            (double)len / 1e6, dt, (double)r1.ru_maxrss / 1024, (double)r0.ru_maxrss / 1024);
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
        cmocka_unit_test(test_speed_100k),
        cmocka_unit_test(test_big_1m),
        cmocka_unit_test(test_status_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
