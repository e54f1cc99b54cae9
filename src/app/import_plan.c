/*
 * import_plan.c — the households of an import planned from its rows,
 * and each row's hash (see imports.c for the whole, import_pass.c for
 * the pass over the households).
 *
 * imp_plan sorts row numbers: the main sheet's by household key (rows
 * with the same key together, households in the order of their first
 * row), the repeat sheet's by parent index (found for a main row by a
 * binary search, imp_rep_range). It also lists the columns mapped, whose
 * cells make a row's hash.
 *
 * A row's hash (import_rows.row_sha256, imp_row_hash) is SHA-256 of the
 * sheet's part (main or repeat: not its name, which for a CSV is the
 * file's), the household key, the header and text of every mapped cell
 * and, for a repeat row, its parent row's hash; a row identical to one
 * met before in the same file gets the count of its predecessors mixed
 * in, so two identical rows are two rows.
 */
#include "import_int.h"
#include "internal.h"
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const awda_table_t *t;
    size_t sheet;
    int col;
} sort_ctx_t;

static int by_cell(const void *a, const void *b, void *p)
{
    const sort_ctx_t *x = p;
    size_t ra = *(const size_t *)a, rb = *(const size_t *)b;
    int c = strcmp(awda_table_cell(x->t, x->sheet, ra, (size_t)x->col, NULL),
                   awda_table_cell(x->t, x->sheet, rb, (size_t)x->col, NULL));
    return c ? c : (ra > rb) - (ra < rb);
}

static int by_first(const void *a, const void *b, void *p)
{
    const size_t *order = p;
    size_t fa = order[((const imp_hh_t *)a)->start], fb = order[((const imp_hh_t *)b)->start];
    return (fa > fb) - (fa < fb);
}

static void add_col(int *cols, int *n, int max, int col)
{
    if (col < 0)
        return;
    for (int i = 0; i < *n; i++)
        if (cols[i] == col)
            return;
    if (*n < max)
        cols[(*n)++] = col;
}

int imp_plan(app_import_t *im)
{
    const imp_mapping_t *m = &im->m;
    size_t rows = awda_table_rows(im->t, m->sheet);
    im->order = malloc((rows ? rows : 1) * sizeof *im->order);
    im->hh = malloc((rows ? rows : 1) * sizeof *im->hh);
    if (!im->order || !im->hh)
        return -1;
    for (size_t i = 0; i < rows; i++)
        im->order[i] = i;
    if (m->key_col >= 0) {
        sort_ctx_t x = {im->t, m->sheet, m->key_col};
        qsort_r(im->order, rows, sizeof *im->order, by_cell, &x);
    }
    im->nhh = 0;
    for (size_t i = 0; i < rows;) {
        size_t j = i + 1;
        const char *k = m->key_col >= 0 ? awda_table_cell(im->t, m->sheet, im->order[i],
                                                          (size_t)m->key_col, NULL)
                                        : "";
        while (*k && j < rows &&
               strcmp(k, awda_table_cell(im->t, m->sheet, im->order[j], (size_t)m->key_col,
                                         NULL)) == 0)
            j++;
        im->hh[im->nhh++] = (imp_hh_t){i, j - i};
        i = j;
    }
    if (m->key_col >= 0)
        qsort_r(im->hh, im->nhh, sizeof *im->hh, by_first, im->order);
    if (m->has_repeat) {
        im->nreps = awda_table_rows(im->t, m->repeat_sheet);
        im->reps = malloc((im->nreps ? im->nreps : 1) * sizeof *im->reps);
        im->rep_used = calloc(im->nreps ? im->nreps : 1, 1);
        if (!im->reps || !im->rep_used)
            return -1;
        for (size_t i = 0; i < im->nreps; i++)
            im->reps[i] = i;
        sort_ctx_t x = {im->t, m->repeat_sheet, m->parent_col};
        qsort_r(im->reps, im->nreps, sizeof *im->reps, by_cell, &x);
    }
    int max = (int)(sizeof im->main_cols / sizeof im->main_cols[0]);
    add_col(im->main_cols, &im->nmain_cols, max, m->key_col);
    for (int i = 0; i < m->ncase; i++)
        add_col(im->main_cols, &im->nmain_cols, max, m->caze[i].col);
    for (int i = 0; i < m->main.nperson; i++)
        add_col(im->main_cols, &im->nmain_cols, max, m->main.person[i].col);
    if (m->main.has_rel)
        add_col(im->main_cols, &im->nmain_cols, max, m->main.rel.col);
    max = (int)(sizeof im->rep_cols / sizeof im->rep_cols[0]);
    for (int i = 0; i < m->repeat.nperson; i++)
        add_col(im->rep_cols, &im->nrep_cols, max, m->repeat.person[i].col);
    if (m->repeat.has_rel)
        add_col(im->rep_cols, &im->nrep_cols, max, m->repeat.rel.col);
    size_t cap = 64;
    while (cap < 2 * (rows + im->nreps) + 16)
        cap *= 2;
    im->seen = calloc(cap, sizeof *im->seen);
    im->seen_cap = cap;
    return im->seen ? 0 : -1;
}

/* The repeat rows whose parent index is key: [*lo, *hi) of im->reps. */
void imp_rep_range(app_import_t *im, const char *key, size_t *lo, size_t *hi)
{
    const imp_mapping_t *m = &im->m;
    size_t a = 0, b = im->nreps;
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (strcmp(
                awda_table_cell(im->t, m->repeat_sheet, im->reps[mid], (size_t)m->parent_col, NULL),
                key) < 0)
            a = mid + 1;
        else
            b = mid;
    }
    *lo = a;
    while (a < im->nreps &&
           strcmp(awda_table_cell(im->t, m->repeat_sheet, im->reps[a], (size_t)m->parent_col, NULL),
                  key) == 0)
        a++;
    *hi = a;
}

/* The hash of a row into hex (65 bytes). */
void imp_row_hash(app_import_t *im, size_t sheet, size_t row, const int *cols, int ncols,
                  const char *key, const unsigned char *parent, unsigned char out[32], char hex[65])
{
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    /* the sheet's part, not its name: a CSV's sheet is named after the
     * file, and a renamed file is the same file */
    const char *role = sheet == im->m.sheet ? "main" : "repeat";
    crypto_hash_sha256_update(&st, (const unsigned char *)role, strlen(role) + 1);
    crypto_hash_sha256_update(&st, (const unsigned char *)key, strlen(key) + 1);
    if (parent)
        crypto_hash_sha256_update(&st, parent, 32);
    for (int i = 0; i < ncols; i++) {
        size_t n = 0;
        const char *h = awda_table_header(im->t, sheet, (size_t)cols[i]);
        const char *v = awda_table_cell(im->t, sheet, row, (size_t)cols[i], &n);
        crypto_hash_sha256_update(&st, (const unsigned char *)h, strlen(h) + 1);
        crypto_hash_sha256_update(&st, (const unsigned char *)v, n + 1);
    }
    crypto_hash_sha256_final(&st, out);
    uint64_t k;
    memcpy(&k, out, sizeof k);
    k |= 1; /* 0 marks an empty slot */
    size_t i = (size_t)k & (im->seen_cap - 1);
    while (im->seen[i].key && im->seen[i].key != k)
        i = (i + 1) & (im->seen_cap - 1);
    uint32_t before = im->seen[i].key ? im->seen[i].n : 0;
    im->seen[i].key = k;
    im->seen[i].n = before + 1;
    if (before) {
        crypto_hash_sha256_init(&st);
        crypto_hash_sha256_update(&st, out, 32);
        crypto_hash_sha256_update(&st, (const unsigned char *)&before, sizeof before);
        crypto_hash_sha256_final(&st, out);
    }
    sodium_bin2hex(hex, 65, out, 32);
}
