/*
 * xlsx_internal.h — what xlsx.c (the zip, the XML driver, the workbook and
 * its relationships) shares with xlsx_sheet.c (shared strings, styles,
 * sheets, cell values). Nothing outside src/import/ includes it.
 *
 * Every member is inflated in chunks straight into an expat parser
 * (xlsx_run): no member is ever held whole, the bytes inflated are counted
 * against the zip bomb limits as they come, and the XML may declare no
 * DOCTYPE and no entity.
 */
#ifndef AWDA_IMPORT_XLSX_INTERNAL_H
#define AWDA_IMPORT_XLSX_INTERNAL_H

#include "table_internal.h"
#include <expat.h>
#include <stdint.h>
#include <zip.h>

#define XLSX_PATH_MAX 512
/* A shared string too long to be a cell: refused where a cell uses it. */
#define XLSX_SST_TOO_LONG 0xffffffffu

/* Kinds of number format. */
enum { XF_NUMBER = 0, XF_DATE = 1, XF_TIME = 2, XF_DATETIME = 3 };

typedef struct xlsx xlsx_t;
typedef struct xml_ctx xml_ctx_t;

/* A part's handlers; element and attribute names are given without their
 * namespace prefix ("x:c" and "c" are both "c"). */
typedef struct {
    void (*start)(xml_ctx_t *c, const char *name, const char **attrs);
    void (*end)(xml_ctx_t *c, const char *name);
    void (*text)(xml_ctx_t *c, const char *s, int len);
} xml_part_t;

struct xml_ctx {
    xlsx_t *x;
    XML_Parser p;
    int depth;
    awda_table_status_t st; /* set by xml_stop */
    const xml_part_t *part;
    void *ud;
};

struct xlsx {
    awda_table_t *t;
    zip_t *z;
    awda_table_error_t *err;
    uint64_t inflated; /* over every member read */
    char *buf;         /* the inflating chunk */
    int date1904;
    uint32_t *sst; /* shared strings: arena offsets */
    size_t nsst, capsst;
    unsigned char *xf; /* cell style index -> XF_* */
    size_t nxf;
    struct {
        uint32_t id;
        unsigned char kind;
    } * fmt; /* custom number formats */
    size_t nfmt;
};

/* The value of attribute name (without prefix) or NULL. */
const char *xml_attr(const char **attrs, const char *name);
/* Stop the parse with st. */
void xml_stop(xml_ctx_t *c, awda_table_status_t st);

/* Parses member path with part; *found (may be NULL) says whether the
 * member exists (a missing one is OK with *found = 0). */
awda_table_status_t xlsx_run(xlsx_t *x, const char *path, const xml_part_t *part, void *ud,
                             int *found);

/* Sets x->err's place: the sheet's name, row and column (1-based, 0 if
 * none); returns st. */
awda_table_status_t xlsx_fail(xlsx_t *x, awda_table_status_t st, size_t sheet, long row, long col);

/* xlsx_sheet.c */
awda_table_status_t xlsx_read_shared_strings(xlsx_t *x, const char *path);
awda_table_status_t xlsx_read_styles(xlsx_t *x, const char *path);
awda_table_status_t xlsx_read_sheet(xlsx_t *x, const char *path, size_t sheet);
/* The kind (XF_*) of a number format code. */
int xlsx_format_kind(const char *code);
/* The text of number v (n bytes) in a cell of kind (XF_*) into out (cap
 * bytes, at least 32); its length. */
size_t xlsx_number_text(const char *v, size_t n, int kind, int date1904, char *out, size_t cap);

#endif
