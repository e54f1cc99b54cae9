/*
 * letters.h — what kind of characters a text holds, across scripts.
 *
 * A name must hold at least one letter of some script: Arabic, Latin,
 * Ethiopic, Tifinagh… — not only spaces, digits, punctuation or symbols.
 * ICU's letter categories (Lu, Ll, Lt, Lm, Lo) decide what a letter is,
 * so "زكريا", "Zakaria" and "ዘካርያስ" pass and "   ", "--", "؟؟", "123" and
 * vowel marks alone do not. Pure: no state, safe from any thread.
 */
#ifndef AWDA_LETTERS_H
#define AWDA_LETTERS_H
#include <stddef.h>

/* 1 when the UTF-8 text s (n bytes) holds at least one letter; 0 when it holds none, or is not
 * valid UTF-8. */
int awda_has_letter(const char *s, size_t n);

#endif
