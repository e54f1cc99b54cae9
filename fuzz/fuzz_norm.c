/*
 * fuzz_norm.c — libFuzzer harness for the name normaliser
 * (src/text/norm.c: ICU transliteration to a Latin key, skeleton keys,
 * NFC).
 *
 * The input is a name as a client could send it, in any script — and not
 * necessarily valid UTF-8, since a search term arrives percent-decoded
 * from the URL without any UTF-8 check. It goes through awda_name_keys
 * (as for indexing, with the keys of adjacent words, and as for a search,
 * without), awda_to_latin (into a buffer whose size the input picks, to
 * exercise truncation), and awda_nfc.
 *
 * Checked beyond the sanitizers: every key is non-empty, NUL-terminated
 * within AWDA_NAME_KEY_MAX and made of a-z and 0-9 only; the count fits
 * the array; the Latin form is NUL-terminated within its buffer and
 * ASCII; and the property search rests on — a name always finds itself:
 * each key of the name read as a query is a prefix of some key it was
 * indexed under.
 *
 * With FUZZ_NO_MAIN defined this file only provides fzn_one() (the
 * regression tests include it).
 */
#include "../src/text/norm.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FZN_MAX_KEYS ((int)(sizeof(((awda_name_keys_t *)0)->key) / AWDA_NAME_KEY_MAX))

static void fzn_fail(const char *what)
{
    fprintf(stderr, "fuzz_norm: %s\n", what);
    abort();
}

static void fzn_check_keys(const awda_name_keys_t *k, int rc)
{
    if (rc != k->count || rc < 0 || rc > FZN_MAX_KEYS)
        fzn_fail("the key count is wrong");
    for (int i = 0; i < k->count; i++) {
        const char *s = k->key[i];
        size_t n = strnlen(s, AWDA_NAME_KEY_MAX);
        if (n == 0 || n == AWDA_NAME_KEY_MAX)
            fzn_fail("a key is empty or not terminated");
        for (size_t j = 0; j < n; j++)
            if (!((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= '0' && s[j] <= '9')))
                fzn_fail("a key holds a character other than a-z and 0-9");
    }
}

void fzn_one(const uint8_t *data, size_t size)
{
    const char *name = (const char *)data;
    awda_name_keys_t index, query;
    int ri = awda_name_keys(name, size, 1, &index);
    int rq = awda_name_keys(name, size, 0, &query);
    if (ri < 0 || rq < 0) {
        if (ri >= 0 || rq >= 0)
            fzn_fail("the same name failed once and not the other time");
    } else {
        fzn_check_keys(&index, ri);
        fzn_check_keys(&query, rq);
        for (int i = 0; i < query.count; i++) {
            int found = 0;
            size_t n = strlen(query.key[i]);
            for (int j = 0; j < index.count && !found; j++)
                found = strncmp(index.key[j], query.key[i], n) == 0;
            if (!found) {
                fprintf(stderr, "fuzz_norm: query key %s is in no index key\n", query.key[i]);
                fzn_fail("a name does not find itself");
            }
        }
    }

    size_t cap = size ? (size_t)(data[0] % 96) + 1 : 1;
    char *latin = malloc(cap);
    if (!latin)
        fzn_fail("out of memory");
    if (awda_to_latin(name, size, latin, cap) == 0) {
        size_t n = strnlen(latin, cap);
        if (n == cap)
            fzn_fail("the Latin form is not terminated within its buffer");
        for (size_t j = 0; j < n; j++)
            if ((unsigned char)latin[j] >= 0x80)
                fzn_fail("the Latin form is not ASCII");
    }
    free(latin);

    char *nfc = awda_nfc(name, size);
    free(nfc);
}

#ifndef FUZZ_NO_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fzn_one(data, size);
    return 0;
}
#endif
