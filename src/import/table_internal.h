/*
 * table_internal.h — the workbook's insides, shared by the readers of
 * src/import/ (table.c, csv.c, xlsx.c) and by nothing else.
 *
 * One arena (a byte buffer) holds every string of the workbook, each ended
 * by a NUL; offset 0 is the empty string, so an empty cell costs no text.
 * A sheet's cells are 32-bit offsets into the arena, row after row, each
 * row as long as its last non-empty cell (rows are ragged; a cell past the
 * end of its row is empty). The high bit of an offset marks a formula, so
 * the arena is kept under 2 GiB (AWDA_IMPORT_MAX_TEXT_BYTES). The header
 * row is stored the same way, as the sheet's row -1 (hdr_*).
 */
#ifndef AWDA_IMPORT_TABLE_INTERNAL_H
#define AWDA_IMPORT_TABLE_INTERNAL_H

#include "table.h"
#include <stddef.h>
#include <stdint.h>

#define TABLE_FORMULA_BIT 0x80000000u
#define TABLE_OFFSET_MASK 0x7fffffffu

typedef struct {
    uint32_t name;   /* arena offset of the sheet's name */
    uint32_t *cells; /* offsets, every row's cells one after the other */
    size_t ncells, capcells;
    uint32_t *rowstart; /* index in cells of each data row's first cell; rowstart[rows] = ncells */
    uint32_t *rownum;   /* each data row's number as the user sees it */
    size_t rows, caprows;
    uint32_t *hdr; /* the header row's cells */
    size_t hdrcols;
    size_t cols; /* the widest row's width (header included) */
    int have_header;
} table_sheet_t;

struct awda_table {
    const char *format;
    char *arena;
    size_t used, cap;
    table_sheet_t *sheets;
    size_t nsheets;
    size_t total_cells; /* every sheet's, against AWDA_IMPORT_MAX_CELLS */
};

/* The arena: append len bytes and a NUL, *off gets where; 0 or a status
 * (TOO_LARGE when the arena would pass its limit). */
awda_table_status_t table_str(awda_table_t *t, const char *s, size_t len, uint32_t *off);
/* The array p of *cap elements of elem bytes doubled (to first when
 * empty), *cap updated: the new array, or NULL out of memory (p and *cap
 * unchanged, p still the caller's). The caller checks its own limit first. */
void *table_grow(void *p, size_t *cap, size_t elem, size_t first);
/* Make room for at least need more bytes in the arena. */
awda_table_status_t table_reserve(awda_table_t *t, size_t need);

/* A new empty sheet named name (len bytes); *idx gets its index. */
awda_table_status_t table_add_sheet(awda_table_t *t, const char *name, size_t len, size_t *idx);

/* Building a sheet row by row: table_cell appends a cell (an arena offset,
 * the formula bit allowed) to the row being built; table_end_row ends it —
 * the first row ended is the header, the next ones data rows numbered
 * rownum. Trailing empty cells are dropped. A row wider than
 * AWDA_IMPORT_MAX_COLUMNS or more rows than AWDA_IMPORT_MAX_ROWS give
 * their status. */
awda_table_status_t table_cell(awda_table_t *t, table_sheet_t *s, uint32_t off);
awda_table_status_t table_end_row(awda_table_t *t, table_sheet_t *s, long rownum);
/* The cells of the row being built (not yet ended). */
size_t table_row_open(const table_sheet_t *s);

/* 1 if text (len bytes) would be run by a spreadsheet as a formula:
 * begins with = or @ and has more, or + or - followed by something that
 * is not a number or a telephone number. */
int table_looks_formula(const char *s, size_t len);

/* Check that s (len bytes) is UTF-8 without control characters other than
 * tab, LF and CR. Returns the offset of the first bad byte, or len. */
size_t table_utf8_check(const unsigned char *s, size_t len);

/* The readers: parse data into t (already allocated, empty); on failure
 * fill err (status, line, column, sheet) and return the status. */
awda_table_status_t table_read_csv(awda_table_t *t, const unsigned char *data, size_t len,
                                   const char *name, awda_table_error_t *err);
awda_table_status_t table_read_xlsx(awda_table_t *t, const unsigned char *data, size_t len,
                                    awda_table_error_t *err);

#endif
