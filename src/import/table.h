/*
 * table.h — a spreadsheet read from a file: the workbook the import module
 * (issue 13) maps to awda's fields.
 *
 * A workbook is sheets; a sheet is a header row (the column names) and
 * data rows of text cells. Read whole into memory by awda_table_read, from
 *   CSV   (src/import/csv.c)  RFC 4180 quotes and doubled quotes, embedded
 *         newlines, a UTF-8 byte-order mark, ',' or ';' or tab as the
 *         separator (found from the header line), CRLF, LF or CR; one sheet
 *         named after the file;
 *   XLSX  (src/import/xlsx.c) read with libzip and expat: the shared
 *         strings, inline strings, numbers, booleans, dates as ISO
 *         YYYY-MM-DD (from the cell's number format), every sheet in
 *         workbook order with its name (KoboToolbox and ODK exports put each
 *         repeat group on a sheet of its own).
 * The format is found from the bytes (a zip, or text), never from the name.
 *
 * Rows: the first row with something in it is the header; rows with
 * nothing in them are skipped (a blank line, ",,,", styled empty cells); a
 * row shorter than the widest reads as empty cells at its end, a longer
 * one keeps its cells under blank headers (awda_table_cols is the widest
 * row's width). A sheet with no row at all has 0 columns; a workbook whose
 * every sheet is so is EMPTY.
 *
 * Every limit on the file is named in src/util/limits.h (AWDA_IMPORT_*):
 * the file's size, the bytes a zip member may expand to and its ratio (a
 * zip bomb), sheets, rows, columns, the bytes of one cell. A file beyond one
 * is refused with its own error, nothing read. Text must be UTF-8 (a CSV in
 * another encoding, or mixing one with UTF-8, is refused naming the first
 * line that is not); control characters other than tab and newline are
 * refused. A cell whose text begins as a formula (=, +, -, @ followed by
 * something other than a number) keeps its text; XLSX formulas are read as
 * their cached value and marked (awda_table_formula) so the importer can
 * refuse them by cell.
 *
 * Memory: one arena per workbook owns every string; the cells of a sheet are
 * offsets into it. Thread-compatible (one reader per workbook).
 */
#ifndef AWDA_IMPORT_TABLE_H
#define AWDA_IMPORT_TABLE_H

#include <stddef.h>
#include <stdint.h>

typedef struct awda_table awda_table_t;

typedef enum {
    AWDA_TABLE_OK = 0,
    AWDA_TABLE_EMPTY,        /* no bytes, or no header row */
    AWDA_TABLE_TOO_LARGE,    /* the file is over AWDA_IMPORT_MAX_FILE_BYTES, or holds
                                more cells or text than AWDA_IMPORT_MAX_CELLS or
                                AWDA_IMPORT_MAX_TEXT_BYTES (or memory ran out) */
    AWDA_TABLE_NOT_A_TABLE,  /* neither CSV text nor an XLSX workbook (e.g. a PDF, an image) */
    AWDA_TABLE_BAD_ENCODING, /* text that is not UTF-8; detail names the line */
    AWDA_TABLE_BAD_CSV,      /* an unterminated quote, a stray quote; detail names the line */
    AWDA_TABLE_BAD_XLSX,     /* a damaged zip or sheet XML */
    AWDA_TABLE_ZIP_BOMB,     /* a member expands past AWDA_IMPORT_MAX_UNZIPPED_BYTES or its ratio */
    AWDA_TABLE_TOO_MANY_COLUMNS, /* a sheet wider than AWDA_IMPORT_MAX_COLUMNS */
    AWDA_TABLE_TOO_MANY_ROWS,    /* over AWDA_IMPORT_MAX_ROWS */
    AWDA_TABLE_TOO_MANY_SHEETS,  /* over AWDA_IMPORT_MAX_SHEETS */
    AWDA_TABLE_CELL_TOO_LONG,    /* a cell over AWDA_IMPORT_MAX_CELL_BYTES */
    AWDA_TABLE_IO,               /* the file could not be read */
} awda_table_status_t;

/* Where a reading failed, for the problem the user reads. */
typedef struct {
    awda_table_status_t status;
    char sheet[64]; /* "" when not about one sheet */
    long line;      /* 1-based line (CSV) or row (XLSX) number, 0 if none */
    long column;    /* 1-based column, 0 if none */
} awda_table_error_t;

/* Reads the workbook in the len bytes at data (a copy is kept where needed;
 * data may be freed after). On success *out is a new workbook the caller
 * frees with awda_table_free, and AWDA_TABLE_OK is returned; otherwise
 * *out is NULL, *err says why (err may be NULL). */
awda_table_status_t awda_table_read(const void *data, size_t len, awda_table_t **out,
                                    awda_table_error_t *err);

/* The same, naming a CSV's one sheet name (e.g. the uploaded file's name
 * without its extension; cut to 255 bytes between characters; NULL, "" or
 * a name that is not UTF-8 text names it "Sheet1"). XLSX sheets keep
 * their own names. */
awda_table_status_t awda_table_read_named(const void *data, size_t len, const char *name,
                                          awda_table_t **out, awda_table_error_t *err);

/* The same from a file path (refused before reading if over the size). */
awda_table_status_t awda_table_read_file(const char *path, awda_table_t **out,
                                         awda_table_error_t *err);

void awda_table_free(awda_table_t *t);

/* "csv" or "xlsx" (static). */
const char *awda_table_format(const awda_table_t *t);

size_t awda_table_sheets(const awda_table_t *t);
/* The sheet's name (owned by the workbook). */
const char *awda_table_sheet_name(const awda_table_t *t, size_t sheet);
/* Columns of the sheet (its header row's width) and its data rows (the
 * header not counted). */
size_t awda_table_cols(const awda_table_t *t, size_t sheet);
size_t awda_table_rows(const awda_table_t *t, size_t sheet);
/* The header of column col (owned by the workbook, "" if blank). */
const char *awda_table_header(const awda_table_t *t, size_t sheet, size_t col);
/* The cell of data row row (0-based, the header not counted) and column
 * col: its UTF-8 text, owned by the workbook, "" when empty or out of
 * range; *len (if not NULL) gets its length. */
const char *awda_table_cell(const awda_table_t *t, size_t sheet, size_t row, size_t col,
                            size_t *len);
/* The row's number as the user sees it in the file (the header is line 1
 * in a CSV without embedded newlines; XLSX row numbers as shown). */
long awda_table_row_number(const awda_table_t *t, size_t sheet, size_t row);
/* 1 if the cell held a formula (XLSX) or text that a spreadsheet would run
 * as one (CSV). */
int awda_table_formula(const awda_table_t *t, size_t sheet, size_t row, size_t col);

/* A short English name of a status, for logs and tests ("zip_bomb"). */
const char *awda_table_status_name(awda_table_status_t s);

/* The English sentence for a failed reading (its place and the limit it
 * passed), written into buf (cap bytes, cut if longer); returns what
 * snprintf returns. Every sentence has its French and Arabic in
 * src/text/messages/imports.inc, so awda_msg_translate gives the user's
 * language. */
int awda_table_error_text(const awda_table_error_t *e, char *buf, size_t cap);

#endif
