/*
 * import_test.h — what the tests of the spreadsheet reader share
 * (tests/unit/test_import_table.c, test_import_xlsx.c): reading that must
 * succeed or be refused with a status, the clocks, a file read whole, and
 * a CSV of persons of any length.
 */
#ifndef AWDA_TEST_IMPORT_H
#define AWDA_TEST_IMPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/import/table.h"
#include "../../src/util/limits.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static inline awda_table_t *read_ok(const char *s, size_t len)
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

static inline awda_table_t *read_str(const char *s)
{
    return read_ok(s, strlen(s));
}

/* Reads len bytes expecting status want; returns the error. */
static inline awda_table_error_t refused(const void *s, size_t len, awda_table_status_t want)
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

/* The process's CPU time: what the reader costs, whatever else the
 * machine runs at the time. */
static inline double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#undef CELL
#define CELL(t, r, c) awda_table_cell((t), 0, (r), (c), NULL)

static inline unsigned char *read_all(const char *path, size_t *len)
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

/* A CSV of rows persons (12 columns, a quoted comma and an embedded
 * newline in each row); malloc'd. */
static inline char *csv_persons(size_t rows, size_t *len)
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

#endif
