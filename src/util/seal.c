/*
 * seal.c — XChaCha20-Poly1305 sealing and the key file (see seal.h).
 */
#include "seal.h"
#include "mem.h"
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PREFIX     "sealed:v"
#define NONCE      crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG        crypto_aead_xchacha20poly1305_ietf_ABYTES
#define MAX_SEALED (1024 * 1024)

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int awda_keyring_load(const char *path, awda_keyring_t *kr)
{
    memset(kr, 0, sizeof *kr);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[256];
    int rc = 0;
    while (fgets(line, sizeof line, f)) {
        char *p = line;
        if (*p == '#' || *p == '\n')
            continue;
        int v = 0;
        while (*p >= '0' && *p <= '9' && v < 1000)
            v = v * 10 + (*p++ - '0');
        if (v < 1 || v > 255 || *p != ' ' || kr->n >= AWDA_KEYRING_MAX) {
            rc = -1;
            break;
        }
        p++;
        for (int i = 0; i < 32; i++) {
            int hi = hexval(p[2 * i]), lo = hi < 0 ? -1 : hexval(p[2 * i + 1]);
            if (hi < 0 || lo < 0) {
                rc = -1;
                break;
            }
            kr->k[kr->n].key[i] = (unsigned char)(hi * 16 + lo);
        }
        if (rc)
            break;
        kr->k[kr->n++].version = v;
    }
    fclose(f);
    sodium_memzero(line, sizeof line);
    if (rc || kr->n == 0) {
        awda_keyring_wipe(kr);
        return -1;
    }
    return 0;
}

int awda_keyring_save(const char *path, const awda_keyring_t *kr)
{
    char tmp[1024];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        return -1;
    fchmod(fd, 0600);
    char line[128];
    int ok = 1;
    for (int i = 0; i < kr->n && ok; i++) {
        char hex[65];
        sodium_bin2hex(hex, sizeof hex, kr->k[i].key, 32);
        int n = snprintf(line, sizeof line, "%d %s\n", kr->k[i].version, hex);
        ok = n > 0 && write(fd, line, (size_t)n) == n;
        sodium_memzero(hex, sizeof hex);
    }
    sodium_memzero(line, sizeof line);
    ok = ok && fsync(fd) == 0;
    close(fd);
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return -1;
    }
    return 0;
}

int awda_keyring_add(awda_keyring_t *kr)
{
    int top = 0;
    for (int i = 0; i < kr->n; i++)
        if (kr->k[i].version > top)
            top = kr->k[i].version;
    if (top >= 255)
        return -1;
    if (kr->n == AWDA_KEYRING_MAX) {
        /* drop the oldest to make room */
        memmove(&kr->k[0], &kr->k[1], sizeof kr->k[0] * (AWDA_KEYRING_MAX - 1));
        kr->n--;
    }
    kr->k[kr->n].version = top + 1;
    crypto_aead_xchacha20poly1305_ietf_keygen(kr->k[kr->n].key);
    kr->n++;
    return 0;
}

void awda_keyring_wipe(awda_keyring_t *kr)
{
    sodium_memzero(kr, sizeof *kr);
}

static const unsigned char *key_of(const awda_keyring_t *kr, int version)
{
    for (int i = 0; i < kr->n; i++)
        if (kr->k[i].version == version)
            return kr->k[i].key;
    return NULL;
}

static int newest(const awda_keyring_t *kr)
{
    int top = -1, at = -1;
    for (int i = 0; i < kr->n; i++)
        if (kr->k[i].version > top) {
            top = kr->k[i].version;
            at = i;
        }
    return at;
}

int awda_is_sealed(const char *s)
{
    return s && strncmp(s, PREFIX, sizeof PREFIX - 1) == 0;
}

int awda_sealed_version(const char *s)
{
    if (!awda_is_sealed(s))
        return -1;
    const char *p = s + sizeof PREFIX - 1;
    int v = 0;
    while (*p >= '0' && *p <= '9' && v < 1000)
        v = v * 10 + (*p++ - '0');
    return *p == ':' ? v : -1;
}

char *awda_seal(const awda_keyring_t *kr, const char *plain, size_t n, const char *ad)
{
    int at = newest(kr);
    if (at < 0 || n > MAX_SEALED)
        return NULL;
    size_t blen = NONCE + n + TAG;
    unsigned char *bin = awda_malloc(blen);
    if (!bin)
        return NULL;
    randombytes_buf(bin, NONCE);
    unsigned long long clen = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(bin + NONCE, &clen, (const unsigned char *)plain, n,
                                               (const unsigned char *)ad, strlen(ad), NULL, bin,
                                               kr->k[at].key);
    size_t b64 = sodium_base64_ENCODED_LEN(NONCE + clen, sodium_base64_VARIANT_ORIGINAL);
    char *out = awda_malloc(b64 + 16);
    if (out) {
        int head = snprintf(out, 16, PREFIX "%d:", kr->k[at].version);
        sodium_bin2base64(out + head, b64, bin, NONCE + (size_t)clen,
                          sodium_base64_VARIANT_ORIGINAL);
    }
    free(bin);
    return out;
}

char *awda_unseal(const awda_keyring_t *kr, const char *sealed, const char *ad)
{
    int v = awda_sealed_version(sealed);
    const unsigned char *key = v < 0 ? NULL : key_of(kr, v);
    if (!key)
        return NULL;
    const char *b64 = strchr(sealed + sizeof PREFIX - 1, ':') + 1;
    size_t len = strlen(b64);
    if (len > MAX_SEALED * 2)
        return NULL;
    unsigned char *bin = awda_malloc(len);
    size_t blen = 0;
    char *out = NULL;
    if (!bin ||
        sodium_base642bin(bin, len, b64, len, NULL, &blen, NULL, sodium_base64_VARIANT_ORIGINAL) !=
            0 ||
        blen < NONCE + TAG)
        goto done;
    out = awda_malloc(blen - NONCE - TAG + 1);
    if (!out)
        goto done;
    unsigned long long plen = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt((unsigned char *)out, &plen, NULL, bin + NONCE,
                                                   blen - NONCE, (const unsigned char *)ad,
                                                   strlen(ad), bin, key) != 0) {
        free(out);
        out = NULL;
        goto done;
    }
    out[plen] = '\0';
done:
    free(bin);
    return out;
}
