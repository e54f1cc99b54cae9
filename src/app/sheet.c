/*
 * sheet.c — a table of rows as CSV or XLSX (see sheet.h). The CSV is
 * written into a capped buffer; the XLSX is assembled by libxlsxwriter in
 * an unlinked temporary file (reached through /proc/self/fd) and read back
 * whole, so nothing is left on disk.
 */
#include "sheet.h"
#include "../core/field.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

void app_sheet_guard(char *s, size_t cap)
{
    if (cap < 2)
        return;
    awda_strip_bidi(s);
    if (s[0] && strchr("=+-@", s[0])) {
        size_t n = strnlen(s, cap - 1);
        if (n + 1 >= cap)
            n = cap - 2;
        memmove(s + 1, s, n);
        s[0] = '\'';
        s[n + 1] = '\0';
    }
}

void app_sheet_cell_text(const char *s, char *out, size_t cap)
{
    if (!cap)
        return;
    snprintf(out, cap, "%s", s ? s : "");
    app_sheet_guard(out, cap);
}

int app_sheet_temp_file(const char *name)
{
    int fd = open(P_tmpdir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    return fd >= 0 ? fd : memfd_create(name, MFD_CLOEXEC);
}

char *app_sheet_read_fd(int fd, size_t max, size_t *len)
{
    struct stat sb;
    if (fstat(fd, &sb) != 0 || sb.st_size <= 0 || (size_t)sb.st_size > max)
        return NULL;
    char *out = malloc((size_t)sb.st_size);
    size_t got = 0;
    while (out && got < (size_t)sb.st_size) {
        ssize_t n = pread(fd, out + got, (size_t)sb.st_size - got, (off_t)got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            free(out);
            return NULL;
        }
        got += (size_t)n;
    }
    *len = got;
    return out;
}

char *app_sheet_csv(const json_t *rows, size_t max, size_t cell_max, size_t *len)
{
    buf_t b;
    buf_init(&b, max);
    size_t cap = cell_max + 16;
    char *cell = malloc(cap);
    int rc = cell ? buf_puts(&b, "\xEF\xBB\xBF") : 1; /* a BOM: spreadsheets then read UTF-8 */
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        size_t k;
        json_t *v;
        json_array_foreach(row, k, v)
        {
            if (k)
                rc |= buf_putc(&b, ',');
            if (json_is_integer(v)) {
                rc |= buf_printf(&b, "%lld", (long long)json_integer_value(v));
            } else if (json_is_string(v) && cell) {
                app_sheet_cell_text(json_string_value(v), cell, cap);
                rc |= buf_putc(&b, '"');
                for (const char *s = cell; *s; s++)
                    rc |= (*s == '"' ? buf_putc(&b, '"') : 0) | buf_putc(&b, *s);
                rc |= buf_putc(&b, '"');
            }
        }
        rc |= buf_puts(&b, "\r\n");
    }
    free(cell);
    if (rc) {
        buf_free(&b);
        return NULL;
    }
    *len = b.len;
    return buf_take(&b);
}

char *app_sheet_xlsx(const json_t *rows, const char *sheet, double width, size_t max,
                     size_t cell_max, size_t *len)
{
    int fd = app_sheet_temp_file("awda-sheet");
    if (fd < 0)
        return NULL;
    char path[64], *out = NULL;
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    lxw_workbook_options opt = {.constant_memory = LXW_FALSE, .tmpdir = NULL};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, sheet) : NULL;
    size_t cap = cell_max + 16;
    char *cell = malloc(cap);
    int failed = !ws || !cell;
    size_t i, ncol = 0;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        size_t k;
        json_t *v;
        if (json_array_size(row) > ncol)
            ncol = json_array_size(row);
        json_array_foreach(row, k, v)
        {
            lxw_error e = LXW_NO_ERROR;
            if (failed)
                break;
            if (json_is_integer(v)) {
                e = worksheet_write_number(ws, (lxw_row_t)i, (lxw_col_t)k,
                                           (double)json_integer_value(v), NULL);
            } else if (json_is_string(v)) {
                app_sheet_cell_text(json_string_value(v), cell, cap);
                if (cell[0])
                    e = worksheet_write_string(ws, (lxw_row_t)i, (lxw_col_t)k, cell, NULL);
            }
            failed |= e != LXW_NO_ERROR;
        }
    }
    if (!failed && ncol)
        worksheet_set_column(ws, 0, (lxw_col_t)(ncol - 1), width, NULL);
    free(cell);
    if (wb && workbook_close(wb) != LXW_NO_ERROR)
        failed = 1;
    if (!failed)
        out = app_sheet_read_fd(fd, max, len);
    close(fd);
    return out;
}
