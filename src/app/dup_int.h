/*
 * dup_int.h — inside the duplicates module (app/duplicates.c, app/dup_bulk.c):
 * the flagged pairs and their writing, and the bulk flagging in memory.
 */
#ifndef AWDA_APP_DUP_INT_H
#define AWDA_APP_DUP_INT_H
#include "internal.h"
#include <stdint.h>

/* A pair to flag: a the person looked for, b the candidate; expl the
 * explanation as JSON text (owned by whoever made the array); seq the
 * place of a among the persons looked for (the pairs are written in that
 * order, so the first found of a pair met from both sides is kept, the
 * same whether the persons were looked at one by one or in bulk). */
typedef struct {
    int64_t a, b;
    int score;
    char *expl;
    size_t seq;
} dup_pair_t;

/* Writes the pairs to duplicate_pairs (status open; a pair already there,
 * whatever its status, is left as it is) in one writer job. Returns the
 * number of pairs newly flagged, -1 on failure. Frees nothing. */
long dup_pairs_write(app_t *app, const dup_pair_t *pairs, size_t n, const char *source,
                     int64_t import_pk);

/* dup_bulk_flag could not run (a database too large for its 32-bit
 * tables, or out of memory): flag person by person instead. */
#define DUP_BULK_CANNOT (-2)
/* app_duplicates_flag for many persons (dup_bulk.c): the same candidates,
 * pre-score and score as a query, over the blocking keys and persons read
 * once into memory. Returns the pairs newly flagged, -1 on a store
 * failure, DUP_BULK_CANNOT. */
long dup_bulk_flag(app_t *app, const int64_t *person_pks, size_t n, const char *source,
                   int64_t import_pk);
/* dup_bulk_flag in two steps (person_pks borrowed until finish, source a
 * static string): start reads the data and starts the threads — one per
 * core — and returns (NULL when out of memory); finish waits for them,
 * writes the pairs and frees b, returning what dup_bulk_flag returns.
 * When background, start returns at once: a thread of its own reads the
 * data (on its reader, as the database is then), looks with one core
 * fewer and writes the pairs; finish waits for it. */
typedef struct dup_bulk dup_bulk_t;
dup_bulk_t *dup_bulk_start(app_t *app, const int64_t *person_pks, size_t n, const char *source,
                           int64_t import_pk, int background);
long dup_bulk_finish(dup_bulk_t *b);
/* The cache of prepared words each thread of the next bulk flaggings
 * keeps (util/limits.h: AWDA_DUP_WORDS_CACHE_BYTES, _SLOTS): bytes (at
 * least (AWDA_DUP_SCORED_MAX + 1) * DUP_WORDS_MAX) and slots (a power of
 * 2); anything else: those limits. For the unit test, which makes it
 * small to flag the same pairs through a cache emptied and overwritten
 * all the time; not for use while a flagging starts. */
void dup_bulk_words_cache(size_t bytes, size_t slots);
#endif
