/*
 * letters.c — see letters.h. Walks the UTF-8 text one code point at a
 * time with ICU's U8_NEXT (which turns a malformed sequence into a
 * negative value) and asks u_isalpha (general category L) of each:
 * combining marks alone (Arabic harakat) are not letters.
 */
#include "letters.h"
#include <stdint.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

int awda_has_letter(const char *s, size_t n)
{
    const uint8_t *p = (const uint8_t *)s;
    int32_t i = 0, len = n > INT32_MAX ? INT32_MAX : (int32_t)n;
    while (i < len) {
        UChar32 c;
        U8_NEXT(p, i, len, c);
        if (c < 0)
            return 0;
        if (u_isalpha(c))
            return 1;
    }
    return 0;
}
