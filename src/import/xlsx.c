/*
 * xlsx.c — an XLSX workbook read into sheets (src/import/table.h).
 * Not read yet in this commit: a zip is refused as not a table.
 */
#include "table_internal.h"

awda_table_status_t table_read_xlsx(awda_table_t *t, const unsigned char *data, size_t len,
                                    awda_table_error_t *err)
{
    (void)t;
    (void)data;
    (void)len;
    (void)err;
    return AWDA_TABLE_NOT_A_TABLE;
}
