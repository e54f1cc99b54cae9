/*
 * country.h — ISO 3166-1 alpha-3 country codes and ISO 639-1 language codes.
 *
 * The lists are sorted so lookups are a binary search. "XXA" (stateless)
 * and "XXX" (unknown), the ICAO 9303 codes used on travel documents, are
 * accepted as nationalities. Country names in ar/fr/en come from ICU in
 * the web interface; the server needs only validity.
 */
#ifndef AWDA_COUNTRY_H
#define AWDA_COUNTRY_H
#include <stddef.h>

/* 1 when s[0..n) is an upper-case alpha-3 code that ISO 3166-1 assigns. */
int awda_country_valid(const char *s, size_t n);
/* 1 when s[0..n) is also acceptable as a nationality (adds XXA, XXX). */
int awda_nationality_valid(const char *s, size_t n);
/* 1 when s[0..n) is an ISO 639-1 code, or a three-letter lower-case code. */
int awda_language_valid(const char *s, size_t n);

#endif
