/*
 * id.h — stable identifiers and secrets.
 *
 * Case and person ids are UUIDv7 (RFC 9562): 48 bits of Unix milliseconds
 * then random bits, so they can be made offline on any laptop and still
 * sort roughly by creation (good B-tree locality). Session tokens are 32
 * random bytes from libsodium, as 64 hex characters.
 */
#ifndef AWDA_ID_H
#define AWDA_ID_H
#include <stddef.h>

#define AWDA_UUID_LEN 36

/* Writes a new UUIDv7 as 36 lowercase characters plus NUL into out. */
void awda_uuid7(char out[AWDA_UUID_LEN + 1]);

/* 1 when s[0..n) is a syntactically valid lowercase or uppercase UUID. */
int awda_uuid_valid(const char *s, size_t n);

/* Writes 2*nbytes hex characters of randomness plus NUL into out. */
void awda_random_hex(char *out, size_t nbytes);

/* Hex of the BLAKE2b-256 hash of data (65 bytes incl. NUL). */
void awda_hash_hex(const void *data, size_t n, char out[65]);

#endif
