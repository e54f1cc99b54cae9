/*
 * test_import_xlsx.c — XLSX workbooks read by src/import/ (xlsx.c,
 * xlsx_sheet.c).
 *
 * Fixtures are made here: with libxlsxwriter as a spreadsheet program
 * writes them (a KoboToolbox export: group-prefixed columns, a
 * select_multiple answer, dates, a formula, the repeat group "member" on
 * its own sheet joined by _index / _parent_index), and part by part with
 * libzip: every kind of cell (shared strings with rich runs and phonetic
 * runs, inline strings, booleans, errors, numbers, dates and times by
 * built-in and custom formats, 1900 and 1904 systems, gaps, formulas),
 * namespace prefixes, sheet order; and every bad workbook: zip bombs (by
 * ratio, by declared sizes that lie, refused before inflating), damaged
 * zips and XML, a zip that is no workbook, entity expansion and external
 * entities, nesting, too many columns, rows and sheets, cells too long.
 *
 * AWDA_IMPORT_BIG=1 also times a 200,000-row workbook against the same
 * rows as CSV.
 */
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>
/* after xlsxwriter.h, whose CELL() it replaces */
#include "import_test.h"

/* ---- XLSX fixtures -------------------------------------------------------- */

typedef struct {
    const char *name;
    const char *data;
    size_t len; /* 0: strlen(data) */
    int store;  /* stored, not deflated */
} member_t;

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
    "<numFmt numFmtId=\"166\" formatCode=\"[$-409]mmmm\\ d\\,\\ yyyy;@\"/>"
    "<numFmt numFmtId=\"167\" formatCode=\"h:mm\"/><numFmt numFmtId=\"168\" formatCode=\"mm:ss\"/>"
    "</numFmts>"
    "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
    "<cellXfs count=\"7\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/>"
    "<xf numFmtId=\"165\"/><xf numFmtId=\"22\"/><xf numFmtId=\"20\"/><xf numFmtId=\"166\"/>"
    "<xf numFmtId=\"167\"/><xf numFmtId=\"168\"/><xf numFmtId=\"46\"/>"
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
              "<c r=\"E3\" s=\"8\"><v>0.000694444444444444</v></c><c r=\"F3\" "
              "s=\"3\"><v>1500</v></c><c r=\"G3\" s=\"5\"><v>0.5</v></c></row>"
              "<row r=\"4\"><c r=\"A4\" t=\"s\"><v>2</v></c><c r=\"B4\" s=\"1\"><v>60</v></c>"
              "<c r=\"E4\" s=\"7\"><v>0.25</v></c>"
              "<c r=\"C4\" t=\"e\"><v>#N/A</v></c><c r=\"D4\" s=\"6\"><v>1</v></c>"
              "<c r=\"F4\"><v>1.0E-3</v></c><c r=\"G4\"><v>123456789012345678</v></c></row>"
              "<row r=\"5\"><c r=\"A5\" s=\"1\"/><c r=\"B5\" s=\"1\"></c></row>"
              "<row r=\"7\"><c t=\"inlineStr\"><is><r><t>in</t></r><r><t>line</t></r></is></c>"
              "<c><v>-0</v></c><c r=\"D7\" s=\"9\"><v>0.5</v></c><c r=\"E7\" "
              "t=\"str\"><f>A7&amp;\"x\"</f><v></v></c>"
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
    assert_string_equal(CELL(t, 0, 4), "00:01:00");            /* mm:ss: minutes, not months */
    assert_string_equal(CELL(t, 1, 4), "06:00:00");            /* h:mm */
    assert_string_equal(CELL(t, 0, 5), "1500");                /* a currency format is a number */
    assert_string_equal(CELL(t, 0, 6), "12:00:00");
    assert_string_equal(CELL(t, 1, 0), "line\r\nbreak _x0041_ _x0001_");
    assert_string_equal(CELL(t, 1, 1), "60"); /* 1900-02-29 never was */
    assert_string_equal(CELL(t, 1, 2), "#N/A");
    assert_string_equal(CELL(t, 1, 3), "1900-01-01"); /* [$-409]mmmm d, yyyy */
    assert_string_equal(CELL(t, 1, 5), "0.001");
    assert_string_equal(CELL(t, 1, 6), "1.23456789012346e+17");
    assert_string_equal(CELL(t, 2, 0), "inline");
    assert_string_equal(CELL(t, 2, 1), "0");
    assert_string_equal(CELL(t, 2, 3), "12:00:00"); /* built-in [h]:mm:ss */
    assert_string_equal(CELL(t, 2, 4), "");         /* a formula whose value is empty */
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
    lie_size(b, len, member, (uint32_t)n);
    /* refused before a byte is inflated: damaged data still reads as a bomb */
    size_t nl = strlen(member);
    for (size_t i = 0; i + 30 + nl < len; i++)
        if (memcmp(b + i, "PK\3\4", 4) == 0 && memcmp(b + i + 30, member, nl) == 0) {
            uint16_t extra;
            memcpy(&extra, b + i + 28, 2);
            memset(b + i + 30 + nl + extra, 0xff, 16);
            break;
        }
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
    char deep[AWDA_IMPORT_MAX_XML_DEPTH * 8 + 64];
    size_t n = 0;
    for (int i = 0; i <= AWDA_IMPORT_MAX_XML_DEPTH; i++)
        n += (size_t)snprintf(deep + n, sizeof deep - n, "<a>");
    for (int i = 0; i <= AWDA_IMPORT_MAX_XML_DEPTH; i++)
        n += (size_t)snprintf(deep + n, sizeof deep - n, "</a>");
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

/* ---- size and speed ---- */

/* 200,000 rows of 12 columns written by libxlsxwriter (shared strings, a
 * dated column), timed against reading the same rows as CSV. */
static void test_big_xlsx(void **state)
{
    (void)state;
    if (!getenv("AWDA_IMPORT_BIG"))
        skip();
    size_t rows = 200000;
    char path[] = "/tmp/awda-big-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    lxw_workbook_options opt = {.constant_memory = 1};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "persons");
    lxw_format *date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy-mm-dd");
    const char *h[] = {"id",    "family_name", "given_name", "sex",   "dob",     "nationality",
                       "phone", "town",        "household",  "needs", "comment", "registered"};
    for (lxw_col_t c = 0; c < 12; c++)
        worksheet_write_string(ws, 0, c, h[c], NULL);
    char buf[64];
    for (size_t i = 0; i < rows; i++) {
        lxw_row_t r = (lxw_row_t)i + 1;
        worksheet_write_number(ws, r, 0, (double)i, NULL);
        worksheet_write_string(ws, r, 1, "Traoré", NULL);
        worksheet_write_string(ws, r, 2, "Awa, Fatou", NULL);
        worksheet_write_string(ws, r, 3, "f", NULL);
        lxw_datetime dob = {1990, (uint8_t)(i % 12 + 1), (uint8_t)(i % 28 + 1), 0, 0, 0};
        worksheet_write_datetime(ws, r, 4, &dob, date);
        worksheet_write_string(ws, r, 5, "MLI", NULL);
        snprintf(buf, sizeof buf, "+223 76 %06zu", i % 1000000);
        worksheet_write_string(ws, r, 6, buf, NULL);
        worksheet_write_string(ws, r, 7, "Ségou", NULL);
        snprintf(buf, sizeof buf, "H%zu", i / 4);
        worksheet_write_string(ws, r, 8, buf, NULL);
        worksheet_write_string(ws, r, 9, "food shelter", NULL);
        worksheet_write_string(ws, r, 10, "arrived\nby bus", NULL);
        worksheet_write_string(ws, r, 11, "2024-03-01", NULL);
    }
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    size_t xlen, clen;
    unsigned char *x = read_all(path, &xlen);
    unlink(path);
    char *csv = csv_persons(rows, &clen);
    double t0 = now();
    awda_table_t *t = read_ok(csv, clen);
    double csv_s = now() - t0;
    awda_table_free(t);
    t0 = now();
    t = read_ok((const char *)x, xlen);
    double xlsx_s = now() - t0;
    assert_int_equal(awda_table_rows(t, 0), rows);
    assert_string_equal(CELL(t, 0, 4), "1990-01-01");
    fprintf(stderr,
            "  %zu rows x 12: XLSX (%.1f MB) %.2f s, the same as CSV (%.1f MB) %.2f s: "
            "XLSX %.1f times CSV\n",
            rows, (double)xlen / 1e6, xlsx_s, (double)clen / 1e6, csv_s, xlsx_s / csv_s);
    awda_table_free(t);
    free(x);
    free(csv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
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
        cmocka_unit_test(test_big_xlsx),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
