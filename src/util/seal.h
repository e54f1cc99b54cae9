/*
 * seal.h — sealing sensitive values at rest with libsodium.
 *
 * Medical and protection detail never reaches the database in clear: each
 * value is encrypted with XChaCha20-Poly1305 (crypto_aead_xchacha20poly1305
 * _ietf) under a key that lives in a separate key file (mode 0600), never
 * in the database. The associated data binds the ciphertext to its place
 * ("record|<id>|<field>"), so a sealed value copied to another row or
 * field does not open. A sealed value is text:
 *
 *     sealed:v<version>:<base64 of nonce || ciphertext>
 *
 * The version names the key, so `awda keys rotate` can add a key, re-seal
 * everything under it, and retire the old one.
 *
 * Key file format: one line per key, "<version> <64 hex characters>"; the
 * highest version seals, every listed version opens.
 */
#ifndef AWDA_SEAL_H
#define AWDA_SEAL_H
#include <stddef.h>

#define AWDA_KEYRING_MAX 8

typedef struct {
    int n;
    struct {
        int version;
        unsigned char key[32];
    } k[AWDA_KEYRING_MAX];
} awda_keyring_t;

/* Reads a key file; 0 on success, -1 when missing or malformed. */
int awda_keyring_load(const char *path, awda_keyring_t *kr);
/* Writes kr to path atomically (temporary file, fsync, rename), mode 0600. */
int awda_keyring_save(const char *path, const awda_keyring_t *kr);
/* Adds a new random key with the next version (it becomes the one that
 * seals). 0 on success. */
int awda_keyring_add(awda_keyring_t *kr);
/* Wipes the keys from memory. */
void awda_keyring_wipe(awda_keyring_t *kr);

/* 1 when s looks like a sealed value. */
int awda_is_sealed(const char *s);
/* Seals n bytes under the newest key; returns a malloc'd string the
 * caller frees, or NULL. */
char *awda_seal(const awda_keyring_t *kr, const char *plain, size_t n, const char *ad);
/* Opens a sealed value; returns the malloc'd plain text (NUL-terminated)
 * or NULL when the key is missing or the value was altered or moved. */
char *awda_unseal(const awda_keyring_t *kr, const char *sealed, const char *ad);
/* The key version a sealed value was made with, or -1. */
int awda_sealed_version(const char *sealed);

#endif
