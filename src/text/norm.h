/*
 * norm.h — names across scripts: normalisation and search keys.
 *
 * A person's name may be written in Arabic script ("محمد عبد الله"), in
 * Latin script with French or English conventions ("Mohamed Abdallah",
 * "Muhammad Abdullah"), or both. Search must find the same person from
 * either. awda_name_keys turns any name into a list of *skeleton keys*:
 *
 *   1. ICU "Any-Latin; Latin-ASCII; Lower" transliterates to plain ASCII;
 *   2. the text is split into tokens on anything but letters and digits;
 *   3. each token loses its vowels and the letters Arabic uses as long
 *      vowels (w, y), digraph h's (kh, sh, ch, gh, th, dh, ph), and runs of
 *      the same consonant are collapsed; a few spelling equivalences are
 *      folded (q→k, c→k, dj→j, x→ks, p→b, v→f, g→j, z→s).
 *
 * "محمد" and "Mohamed" and "Muhammad" all become "mhmd". Keys are
 * compared by prefix, so "Moh" finds "Mohamed". Adjacent tokens are also
 * joined into one key, so "Abdallah" finds "عبد الله".
 *
 * One ICU transliterator is opened per thread (utrans_clone of a shared
 * prototype), as ICU transliterators are not thread-safe.
 */
#ifndef AWDA_NORM_H
#define AWDA_NORM_H
#include "../util/limits.h"
#include <stddef.h>

typedef struct {
    int count;
    char key[2 * AWDA_SEARCH_MAX_TERMS + 8][AWDA_NAME_KEY_MAX];
} awda_name_keys_t;

/* Opens the shared transliterator prototype (once; later calls return at
 * once); 0 on success. Every function here calls it when needed. */
int awda_norm_init(void);
/* Starts opening the prototype in a background thread, so that a server
 * answers its first requests without waiting for ICU. */
void awda_norm_warm_async(void);
void awda_norm_shutdown(void);

/* Frees this thread's transliterator (call before a worker thread exits). */
void awda_norm_thread_done(void);

/* Fills out with the skeleton keys of name[0..n). With pairs non-zero,
 * keys of adjacent token pairs are added too (for indexing; searches pass
 * 0). Empty skeletons are skipped. Returns the number of keys, or -1 when
 * ICU failed. */
int awda_name_keys(const char *name, size_t n, int pairs, awda_name_keys_t *out);

/* Transliterates name to lower-case ASCII Latin into out (capacity cap).
 * Returns 0 on success. Exposed for tests and for a default Latin form. */
int awda_to_latin(const char *name, size_t n, char *out, size_t cap);

/* Normalises UTF-8 to NFC into a new string (caller frees); NULL on error. */
char *awda_nfc(const char *s, size_t n);

/* The UTF-8 string s in capitals (Unicode rules, any script: "Konaté" is
 * "KONATÉ") into out (capacity cap, NUL-terminated). Returns 0, or -1 when
 * it does not fit or is not UTF-8 (out then holds as much of s as fits,
 * cut between characters, with only its ASCII letters in capitals). */
int awda_upper(const char *s, char *out, size_t cap);

#endif
