/*
 * messages.h — the server's messages in the user's language.
 *
 * Every sentence the server returns (problem titles and details, field
 * messages, the requirement sentences of the journey) is written in
 * English by the code that finds the problem, as a printf format with its
 * parameters. messages.c holds the catalogue: one row per English
 * template with its French and Arabic, the rows one file per module in
 * src/text/messages/. awda_msg_translate takes a
 * finished English sentence, finds the row whose template it was made
 * from (literal parts equal, parameters captured) and puts the captured
 * parameters into the French or Arabic template. A sentence without a row
 * stays English (counted, logged once by hash; never an error).
 *
 * The code that writes messages does not change: translation happens
 * where a problem is rendered (http/answer.c, http/http.c).
 */
#ifndef AWDA_MESSAGES_H
#define AWDA_MESSAGES_H
#include <stddef.h>

typedef enum { AWDA_LANG_EN = 0, AWDA_LANG_FR = 1, AWDA_LANG_AR = 2 } awda_lang_t;

/* "en", "fr", "ar". */
const char *awda_lang_code(awda_lang_t lang);
/* The language of a code ("ar", "fr-FR", "EN"); -1 when not one of ours. */
int awda_lang_parse(const char *code, size_t len);
/* The best of our languages in an Accept-Language value (RFC 9110:
 * q-values, "*", region subtags ignored); -1 when it names none of them
 * (or is longer than AWDA_MAX_ACCEPT_LANGUAGE, or malformed). */
int awda_lang_accept(const char *header);

/* Builds the index of the catalogue (once; thread-safe; called by
 * awda_msg_translate when needed). */
void awda_messages_init(void);
/* The translation of the English sentence en into lang, malloc'd (the
 * caller frees), or NULL when lang is English, en has no row, or memory
 * ran out — the caller keeps en then. */
char *awda_msg_translate(const char *en, awda_lang_t lang);
/* Rows in the catalogue; sentences that found no row since start. */
size_t awda_messages_rows(void);
unsigned long long awda_messages_unknown(void);

#endif
