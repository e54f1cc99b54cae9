/*
 * namekey.h — keys of a name that survive the ways one name is written
 * (issue 13: duplicate detection and the name search).
 *
 * The same person is written "فاطمة الزهراء", "Fatima Zahra", "Fatimah
 * az-Zahra", "Fatima Al Zahraa", "فاطمه"; "Mohamed", "Mohammed",
 * "Muhammad", "Mouhamadou", "محمد"; "Traoré", "Traore", "تراوري";
 * "Coulibaly", "Kulibali". awda_namekey() splits a name into words and
 * gives each word two forms:
 *
 *   latin  the word in lower-case ASCII Latin (ICU Any-Latin; Latin-ASCII;
 *          Lower), the Arabic article removed — for scoring how alike two
 *          words are when both were written in Latin script;
 *   skel   its consonant skeleton: the sounds that both scripts write,
 *          folded into classes (vowels, the long-vowel letters and the
 *          hamza/ain dropped; ta marbuta and a final h dropped; doubled
 *          letters once; French and English digraphs — ch/sh, dj/j, ou/w,
 *          kh, gh, th, dh — and their Arabic letters to one class each),
 *          written as ASCII letters. Equal skeletons are the blocking key;
 *          two skeletons one edit apart (awda_namekey_deletes) are "one
 *          typo apart".
 *
 * The Arabic article in every written form — ال, al-, el-, attached or
 * separate, and the assimilated az-, as-, ad-, an-, ar-, at-, ash-, … — is
 * removed; a word that only might begin with an article (e.g. "Alassane")
 * is kept whole and its form without the article is added as a further
 * word marked `alt`, so either writing finds it.
 *
 * Pure functions of their input, no allocation, safe from any thread
 * (ICU's transliterator is per thread, as in norm.c).
 */
#ifndef AWDA_NAMEKEY_H
#define AWDA_NAMEKEY_H

#include <stddef.h>
#include <stdint.h>

#define AWDA_NAMEKEY_MAX_WORDS   12 /* words kept of one name (more are ignored) */
#define AWDA_NAMEKEY_LATIN_MAX   40 /* bytes of one word's Latin form, NUL included */
#define AWDA_NAMEKEY_SKEL_MAX    16 /* bytes of one skeleton, NUL included */
#define AWDA_NAMEKEY_MAX_DELETES (AWDA_NAMEKEY_SKEL_MAX - 1)
/* bytes awda_namekey_hash encodes its parts into on the stack (a longer
 * message is hashed by its digest) */
#define AWDA_NAMEKEY_HASH_BYTES 256

typedef struct {
    char latin[AWDA_NAMEKEY_LATIN_MAX]; /* lower-case ASCII, article removed */
    char skel[AWDA_NAMEKEY_SKEL_MAX];   /* consonant skeleton; may be "" (e.g. "Aya") */
    unsigned char arabic;               /* 1 if the word was written in Arabic script */
    unsigned char alt;                  /* 1 if an added form (a possible article removed) */
    unsigned char pos;                  /* the word's position in the name, 0-based */
} awda_nameword_t;

typedef struct {
    int n; /* words in w[] (alt forms included) */
    awda_nameword_t w[AWDA_NAMEKEY_MAX_WORDS];
} awda_namekey_t;

/* The words of name (len bytes of UTF-8, any script, may be unterminated)
 * into *out. Returns the number of words (0 for a name with none), or -1
 * if ICU fails or the text is not UTF-8. Articles standing alone ("Al
 * Zahraa", "az-Zahra") are not words of their own. */
int awda_namekey(const char *name, size_t len, awda_namekey_t *out);

/* The skeletons one deletion away from skel (the symmetric-delete keys:
 * two skeletons are at most one edit — insertion, deletion, substitution or
 * a swap of neighbours — apart exactly when one equals the other or one of
 * its deletes, or their deletes meet). Writes at most max distinct strings,
 * none equal to skel; returns how many. Skeletons shorter than 3 letters
 * have none (too many names would meet). */
int awda_namekey_deletes(const char *skel, char out[][AWDA_NAMEKEY_SKEL_MAX], int max);

/* The edit distance (Damerau: insert, delete, substitute, swap neighbours)
 * between two short strings, counted up to cap (returns cap if it is at
 * least cap). */
int awda_namekey_distance(const char *a, const char *b, int cap);

/* Jaro-Winkler similarity of two Latin forms, in basis points 0..10000. */
int awda_namekey_similarity(const char *a, const char *b);

/* A 64-bit key for an index: SipHash-2-4 (libsodium's crypto_shorthash,
 * with a fixed key) of kind and the strings, each preceded by its length
 * so ("ab","c") and ("a","bc") differ. parts are NUL-terminated; n of
 * them. Never 0. The keys are stored (person_search_keys,
 * person_dup_keys): changing this function needs a migration that makes
 * them again, as migration 26 did when it replaced BLAKE2b-64 (eight
 * times slower, a fifth of an import's writer). */
int64_t awda_namekey_hash(char kind, const char *const *parts, int n);

#endif
