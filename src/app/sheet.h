/*
 * sheet.h — a table of rows as a spreadsheet file: CSV (UTF-8 with a
 * byte-order mark, every text quoted) or XLSX (libxlsxwriter), for the
 * files awda hands out whole (the manifest of a movement, the report of a
 * project); the case export, which streams, uses its cell guard and its
 * temporary file.
 *
 * A table is a JSON array of rows, each an array of cells: an integer is
 * written as a number, a string as text, anything else as an empty cell.
 * Every text goes through app_sheet_cell_text: no direction override that
 * makes a name display as something else, and never a formula when a
 * spreadsheet opens it (a leading = + - @ gets a quote).
 */
#ifndef AWDA_APP_SHEET_H
#define AWDA_APP_SHEET_H

#include "../util/buf.h"
#include <jansson.h>
#include <stddef.h>

/* The text of a cell as the files hold it, into out (cap bytes, cut at
 * cap - 2 so that the guard's quote fits). */
void app_sheet_cell_text(const char *s, char *out, size_t cap);
/* The same in place: s (a string in cap bytes) loses its direction
 * overrides and gets a quote before a leading = + - @ (the last byte
 * dropped when the buffer is full). */
void app_sheet_guard(char *s, size_t cap);

/* An unlinked temporary file (or a memory file named name where the
 * temporary directory cannot hold one); -1 on failure. The caller closes
 * it. */
int app_sheet_temp_file(const char *name);

/* The whole of fd into a buffer the caller frees, its length into *len;
 * NULL when it is empty, larger than max or unreadable. */
char *app_sheet_read_fd(int fd, size_t max, size_t *len);

/* The rows as CSV: a buffer the caller frees, its length into *len; NULL
 * when the file would be larger than max or memory ran out. cell_max is
 * the longest text of a cell. */
char *app_sheet_csv(const json_t *rows, size_t max, size_t cell_max, size_t *len);

/* The rows as an XLSX workbook of one sheet named sheet, columns width
 * wide (characters): as app_sheet_csv. */
char *app_sheet_xlsx(const json_t *rows, const char *sheet, double width, size_t max,
                     size_t cell_max, size_t *len);

#endif
