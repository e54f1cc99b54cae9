/*
 * duplicates.h — the store side of the duplicates module (issue 13): the
 * blocking keys of a person (person_dup_keys, migration 21), the
 * candidates they find, the candidates' rows, and the flagged pairs
 * (duplicate_pairs, migration 19).
 *
 * The keys are made here from a person's names and date of birth
 * (dup_keys_make, pure), so the query of a person not yet saved makes the
 * very same keys (dup_probes_make, with the year keys of year-1..year+1).
 * Ownership follows store.h: returned json_t* are the caller's.
 */
#ifndef AWDA_STORE_DUPLICATES_H
#define AWDA_STORE_DUPLICATES_H
#include "store.h"
#include "../text/namekey.h"
#include <stdint.h>

/* The name fields of a person that make keys (borrowed strings; NULL:
 * absent). */
typedef struct {
    const char *name, *name_latin, *date_of_birth;
} dup_names_t;

/* A key a query probes, with the weight a hit adds to a candidate's
 * support: a pair with the year of birth 8 (4 for the year before or
 * after), with one letter deleted 4 (2), an exact pair 3, an exact pair
 * with one letter deleted 1: the year tells namesakes apart; a word with
 * the date of birth 8 (4 for the same day a year off, or day and month
 * exchanged). */
typedef struct {
    int64_t key;
    int weight;
} dup_probe_t;

/* Other readings of a Latin word's skeleton (text/namekey.h) into out, at
 * most max (DUP_WORD_ALTS is enough); returns how many (0 for a word in
 * Arabic script):
 *   g as ق: Sudan writes ق g (Elsadig الصادق, Tarig, Abdelgadir), which
 *   the skeleton reads ج (Gamal): a word with a g (not gh, dg) and no j
 *   gets the skeleton with j read k;
 *   sh as س ح: "Ishag" إسحاق, "Mishal" مشعل is ش but "Is-hag" is two
 *   letters: a word with sh after its first letter gets S read "sh";
 *   and both. */
#define DUP_WORD_ALTS 3
int dup_word_alts(const char *latin, const char *skel, int arabic,
                  char out[][AWDA_NAMEKEY_SKEL_MAX], int max);

/* The keys stored for a person (distinct, at most max): returns how many,
 * 0 when the names have no word, -1 when the names cannot be read (ICU). */
int dup_keys_make(const dup_names_t *p, int64_t *out, int max);
/* The keys a query probes for a person (distinct, at most max). */
int dup_probes_make(const dup_names_t *p, dup_probe_t *out, int max);

/* Writes person pk's keys: keys[0..n) when keys is not NULL (made before,
 * dup_keys_make), else made from p (the person as written, with name,
 * name_latin, date_of_birth); removing the old ones unless is_new. In the
 * caller's writer transaction. STORE_OK, or STORE_ERR. */
int store_dup_keys_write(store_conn_t *c, int64_t pk, const json_t *p, int is_new,
                         const int64_t *keys, int n);
/* Removes person pk's keys (retention). */
int store_dup_keys_remove(store_conn_t *c, int64_t pk);

/* The candidates the probes find, best supported first (support: the
 * weights of the probes that found them, rare keys counting more; keys
 * of more than AWDA_DUP_POSTINGS_MAX persons skipped), self_pk left out:
 * at most max pks into out, and their support into support (may be
 * NULL); returns how many, -1 on a database error. */
int store_dup_candidates(store_conn_t *c, const dup_probe_t *probes, int n, int64_t self_pk,
                         int64_t *out, double *support, int max);
/* What the pre-score of a candidate reads of its row: its date of birth
 * and precision, sex and nationality ("" when unknown). */
typedef struct {
    char dob[16], prec[16], sex[16], nationality[8];
} dup_prescore_t;
/* Those of each of the n persons pks into out[i], one row read by pk
 * each. STORE_OK or STORE_ERR. */
int store_dup_prescore_rows(store_conn_t *c, const int64_t *pks, int n, dup_prescore_t *out);
/* The rows of the persons pks (not anonymised; the pairs with self_pk a
 * reviewer decided not_same left out): [{pk, id, name, name_latin, sex,
 * date_of_birth, dob_precision, nationality, documents: [number...]}],
 * one statement. Caller owns; NULL on a database error. */
json_t *store_dup_persons(store_conn_t *c, const int64_t *pks, int n, int64_t self_pk);
/* The cases of person pk: [{id, number, office, office_pk, receiving_pk,
 * project}]. Caller owns; NULL on a database error. */
json_t *store_dup_person_cases(store_conn_t *c, int64_t pk);
/* The person pk's row as store_dup_persons gives it, with "cases"; NULL
 * when none. */
json_t *store_dup_person(store_conn_t *c, int64_t pk);

/* Records the pair (a, b) (any order) as a possible duplicate, status
 * open, unless it is there already (whatever its status): 1 when
 * written, 0 when already there, -1 on a database error. */
int store_dup_pair_flag(store_conn_t *c, int64_t a, int64_t b, int score, const char *explanation,
                        const char *source, int64_t import_pk);

/* Recomputes the keys of the persons from from_pk on (in pk order), at
 * most limit of them, in the caller's writer transaction; *next gets the
 * pk to go on from. Returns how many persons, -1 on failure. */
long store_dup_reindex_batch(store_conn_t *c, int64_t from_pk, int limit, int64_t *next);
/* The whole reindex, fast: the rows of up to limit persons from from_pk
 * on into rows (their strings the caller's: dup_rows_free), *next the pk
 * to go on from; how many, -1 on error. Then the keys made from them
 * (dup_keys_make, on any thread) are inserted by store_dup_keys_insert
 * (sorts rows by key first). store_dup_reindex_begin drops every key
 * (and the index by person) and store_dup_reindex_finish makes the index
 * again; each in a writer job. */
typedef struct {
    int64_t pk;
    char *name, *name_latin, *date_of_birth;
} dup_row_t;
typedef struct {
    int64_t key, person_pk;
} dup_keyrow_t;
long store_dup_rows_read(store_conn_t *c, int64_t from_pk, int limit, dup_row_t *rows,
                         int64_t *next);
void dup_rows_free(dup_row_t *rows, long n);
int store_dup_keys_insert(store_conn_t *c, dup_keyrow_t *rows, size_t n);
int store_dup_reindex_begin(store_conn_t *c);
int store_dup_reindex_finish(store_conn_t *c);
/* The persons written before migration 21 whose keys are still to be
 * made: [*next, *upto]; 0 when none are left (or the table is gone). */
int store_dup_backfill_state(store_conn_t *c, int64_t *next, int64_t *upto);
/* Records the backfill's progress (next pk to do). */
int store_dup_backfill_set(store_conn_t *c, int64_t next);
/* Keys stored and persons with keys (for the reindex report). */
int store_dup_key_counts(store_conn_t *c, long long *keys, long long *persons);

/* ---- the data whole, for flagging many persons in memory (dup_snapshot.c) ---- */

/* Every blocking key with its person, sorted by key then person: key[i],
 * pk[i] for i < n. Free with dup_keyset_free. */
typedef struct {
    int64_t *key;
    uint32_t *pk;
    size_t n;
} dup_keyset_t;
/* Reads them (in the caller's read transaction, so the count holds).
 * STORE_OK, or STORE_ERR (a database error, out of memory, or a pk past
 * 32 bits). */
int store_dup_keyset_read(store_conn_t *c, dup_keyset_t *ks);
void dup_keyset_free(dup_keyset_t *ks);

/* The compared fields of every person not anonymised, by pk: name,
 * name_latin, sex, date_of_birth, dob_precision, nationality ("" when
 * absent) and the document numbers joined by the byte 0x1F. Free with
 * dup_personset_free. */
#define DUP_FIELDS 7
typedef struct {
    uint32_t *off; /* by pk (0..max_pk): where its fields start in text; 0: none */
    int64_t max_pk;
    char *text;
    size_t len, cap;
} dup_personset_t;
/* Reads them (in the caller's read transaction). STORE_OK or STORE_ERR. */
int store_dup_personset_read(store_conn_t *c, dup_personset_t *ps);
void dup_personset_free(dup_personset_t *ps);
/* The fields of pk into f (borrowed from ps): 1, or 0 when there is no
 * such person (or anonymised). */
int dup_personset_get(const dup_personset_t *ps, int64_t pk, const char *f[DUP_FIELDS]);

/* The pairs decided not_same, sorted: (*pairs)[2i] < (*pairs)[2i+1] for
 * i < *n. The caller frees *pairs. STORE_OK or STORE_ERR. */
int store_dup_not_same_read(store_conn_t *c, int64_t **pairs, size_t *n);

#endif
