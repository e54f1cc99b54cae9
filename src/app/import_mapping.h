/*
 * import_mapping.h — the mapping of an import (data/import/README.md):
 * which columns of a workbook become which of awda's case and person
 * fields, and how rows become households. Read by import_mapping.c,
 * used by imports.c; not for other modules.
 *
 * A mapping is parsed once (imp_mapping_parse), then resolved against a
 * workbook (imp_mapping_resolve: sheets found, columns matched by full
 * path or by their last path segment), then turns the rows of one
 * household into a case document (imp_household_body) as POST
 * /api/v1/cases takes it, remembering which sheet, row and column each
 * member and field came from so that a problem can be told by row.
 */
#ifndef AWDA_APP_IMPORT_MAPPING_H
#define AWDA_APP_IMPORT_MAPPING_H
#include "../import/table.h"
#include "../util/limits.h"
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* How one awda field is filled: from a column (through a value map, split
 * into a list, read as a date in a format) or from a default. */
typedef struct {
    char field[48];       /* "name", "contact.phone", "document.number", "office" */
    char column[256];     /* as the mapping names it ("" none) */
    int col;              /* resolved column in its sheet, -1 none */
    const json_t *values; /* value map (borrowed from the mapping), NULL none */
    const char *deflt;    /* default (borrowed), NULL none */
    int split;            /* a select-multiple answer: split on spaces into a list */
    char format[24];      /* a date's format ("DD/MM/YYYY"), "" ISO */
    int list;             /* the field is a list (languages, vulnerabilities) */
    int kind;             /* what the text becomes (import_mapping.c) */
    int from_main;        /* a repeat row's field read from its household's main row
                             ("parent_column") */
} imp_spec_t;

/* The fields of rows of one sheet: the person and the relationship. */
typedef struct {
    imp_spec_t person[AWDA_IMPORT_MAX_SPECS];
    int nperson;
    imp_spec_t rel; /* rel.field "relationship"; col -1 and no default: not mapped */
    int has_rel;
} imp_rowmap_t;

typedef struct {
    json_t *root; /* the mapping (owned) */
    char sheet_name[256];
    size_t sheet; /* the main sheet */
    imp_spec_t caze[AWDA_IMPORT_MAX_SPECS];
    int ncase;
    imp_rowmap_t main; /* nperson 0: the persons are all in the repeat sheet */
    char key_column[256];
    int key_col; /* the household key column, -1: one case per row */
    /* a repeat group on a sheet of its own, joined by index */
    int has_repeat;
    char repeat_sheet_name[256];
    size_t repeat_sheet;
    char index_column[64], parent_column[64];
    int index_col, parent_col;
    imp_rowmap_t repeat;
    char office[8]; /* the office every case is imported into */
} imp_mapping_t;

/* Where a member (or the case) came from. */
typedef struct {
    size_t sheet, row; /* 0-based data row of the sheet */
    const imp_rowmap_t *map;
} imp_source_t;

/* One household: the main rows (indexes into the main sheet) and the
 * repeat rows (into the repeat sheet) that make it. */
typedef struct {
    const size_t *rows;
    size_t nrows;
    const size_t *reps;
    size_t nreps;
} imp_household_t;

/* Parses the mapping text; 0, or -1 with problems in errors
 * ({field, message}: "person.sex.values" ...). m is the caller's; free it
 * with imp_mapping_free. */
int imp_mapping_parse(const char *text, size_t len, imp_mapping_t *m, json_t *errors);
void imp_mapping_free(imp_mapping_t *m);
/* Finds the sheets and columns in t; 0, or -1 with problems in errors. */
int imp_mapping_resolve(imp_mapping_t *m, const awda_table_t *t, json_t *errors);
/* The case document of household h (new reference) and its members'
 * sources (src[i] for members[i]; src_case: the row the case fields came
 * from). Problems that mapping finds (a value not in a date format, a
 * formula) are appended to problems as {sheet, row, column, field,
 * message}. NULL when out of memory. */
json_t *imp_household_body(const imp_mapping_t *m, const awda_table_t *t, const imp_household_t *h,
                           imp_source_t *src, size_t nsrc, imp_source_t *src_case,
                           json_t *problems);
/* The column a field path of a case document came from ("members[1].
 * person.sex" → the sex column of member 1's sheet); its problem's sheet
 * and row into *sheet, *row. Returns the column's name ("" none) and the
 * awda field (into field, cap bytes). */
const char *imp_problem_place(const imp_mapping_t *m, const awda_table_t *t, const char *path,
                              const imp_source_t *src, size_t nsrc, const imp_source_t *src_case,
                              size_t *sheet, size_t *row, char *field, size_t cap);

#endif
