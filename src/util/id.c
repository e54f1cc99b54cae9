/*
 * id.c — UUIDv7, random tokens and hashes over libsodium (see id.h).
 */
#include "id.h"
#include "timeutil.h"
#include <sodium.h>
#include <stdint.h>

void awda_uuid7(char out[AWDA_UUID_LEN + 1])
{
    unsigned char b[16];
    uint64_t ms = (uint64_t)awda_now_ms();
    randombytes_buf(b + 6, 10);
    for (int i = 0; i < 6; i++)
        b[i] = (unsigned char)(ms >> (40 - 8 * i));
    b[6] = (unsigned char)(0x70 | (b[6] & 0x0f));
    b[8] = (unsigned char)(0x80 | (b[8] & 0x3f));
    /* 8-4-4-4-12 hex digits: the groups of 4, 2, 2, 2 and 6 bytes. */
    static const int group[] = {4, 2, 2, 2, 6};
    size_t o = 0, at = 0;
    for (int g = 0; g < 5; g++) {
        if (g)
            out[o++] = '-';
        sodium_bin2hex(out + o, AWDA_UUID_LEN + 1 - o, b + at, (size_t)group[g]);
        o += 2 * (size_t)group[g];
        at += (size_t)group[g];
    }
    out[o] = '\0';
}

int awda_uuid_valid(const char *s, size_t n)
{
    if (n != AWDA_UUID_LEN)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-')
                return 0;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
            return 0;
        }
    }
    return 1;
}

void awda_random_hex(char *out, size_t nbytes)
{
    unsigned char b[64];
    if (nbytes > sizeof b)
        nbytes = sizeof b;
    randombytes_buf(b, nbytes);
    sodium_bin2hex(out, 2 * nbytes + 1, b, nbytes);
}

void awda_hash_hex(const void *data, size_t n, char out[65])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, data, n, NULL, 0);
    sodium_bin2hex(out, 65, h, sizeof h);
}
