/*
 * case_json.c — a case answer written once: the typed aggregate
 * (store_case_t, store.h) as JSON text, straight into a capped buffer.
 *
 * The aggregate holds only what the reader may see (store_case_load left
 * the person fields of other classes out, unopened), so writing it is a
 * walk of the field tables beside the values: the case's fields in the
 * order of AWDA_CASE, then "members" with each member's relationship,
 * person id and person in the order of AWDA_PERSON. Strings are escaped
 * here (quotes, backslashes and control characters; UTF-8 is kept as it
 * is, as jansson writes it); JSON kept as stored (JSON columns, the
 * documents, opened sealed values) is copied as it is; no tree is built.
 * The bytes mean what json_dumps of store_case_json would write.
 */
#include "cases_int.h"
#include "../util/mem.h"
#include "../util/log.h"
#include "../util/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The answer being written: d[0..len), room for cap bytes, at most
 * AWDA_MAX_CASE_ANSWER. */
typedef struct {
    char *d;
    size_t len, cap;
    int failed; /* an append failed: past AWDA_MAX_CASE_ANSWER or out of memory */
} jw_t;

static int grow(jw_t *w, size_t n)
{
    if (w->failed || w->len + n > AWDA_MAX_CASE_ANSWER) {
        w->failed = 1;
        return -1;
    }
    size_t cap = w->cap ? w->cap : 1024;
    while (cap < w->len + n + 1)
        cap *= 2;
    if (cap > AWDA_MAX_CASE_ANSWER + 1)
        cap = AWDA_MAX_CASE_ANSWER + 1;
    char *d = awda_realloc(w->d, cap);
    if (!d) {
        w->failed = 1;
        return -1;
    }
    w->d = d;
    w->cap = cap;
    return 0;
}

static inline void put(jw_t *w, const char *s, size_t n)
{
    if (w->len + n + 1 > w->cap && grow(w, n) != 0)
        return;
    memcpy(w->d + w->len, s, n);
    w->len += n;
}

static inline void puts_(jw_t *w, const char *s)
{
    put(w, s, strlen(s));
}

/* The bytes a JSON string cannot hold as they are: the control
 * characters, the quote and the backslash. */
static const unsigned char ESCAPED[256] = {
    [0 ... 0x1f] = 1,
    ['"'] = 1,
    ['\\'] = 1,
};

/* s[0..n) as a JSON string: the runs that need no escape copied whole. */
static void put_string(jw_t *w, const char *s, size_t n)
{
    put(w, "\"", 1);
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (!ESCAPED[ch])
            continue;
        char u[8];
        const char *esc = u;
        if (ch == '"')
            esc = "\\\"";
        else if (ch == '\\')
            esc = "\\\\";
        else if (ch == '\n')
            esc = "\\n";
        else if (ch == '\t')
            esc = "\\t";
        else if (ch == '\r')
            esc = "\\r";
        else if (ch == '\b')
            esc = "\\b";
        else if (ch == '\f')
            esc = "\\f";
        else
            snprintf(u, sizeof u, "\\u%04X", ch);
        put(w, s + run, i - run);
        puts_(w, esc);
        run = i + 1;
    }
    put(w, s + run, n - run);
    put(w, "\"", 1);
}

static void put_val(jw_t *w, const store_case_t *k, const store_val_t *v)
{
    char t[40];
    switch ((store_vtype_t)v->type) {
    case STORE_V_NULL:
    case STORE_V_ABSENT:
        puts_(w, "null");
        break;
    case STORE_V_INT:
        snprintf(t, sizeof t, "%lld", (long long)v->u.i);
        puts_(w, t);
        break;
    case STORE_V_BOOL:
        puts_(w, v->u.i ? "true" : "false");
        break;
    case STORE_V_TIME:
        awda_iso_ms(v->u.i, t);
        put_string(w, t, strlen(t));
        break;
    case STORE_V_TEXT:
        put_string(w, store_val_text(k, v), v->u.t.len);
        break;
    case STORE_V_JSON:
        put(w, store_val_text(k, v), v->u.t.len);
        break;
    }
}

/* "name": value for each value of e that is not ABSENT, comma-separated;
 * *first says whether a member was written before. */
static void put_fields(jw_t *w, const store_case_t *k, const awda_entity_t *e, const store_val_t *v,
                       int *first)
{
    for (size_t i = 0; i < e->nfields; i++) {
        if (v[i].type == STORE_V_ABSENT)
            continue;
        puts_(w, *first ? "\"" : ",\"");
        puts_(w, e->fields[i].name); /* a name from the table: nothing to escape */
        puts_(w, "\":");
        put_val(w, k, &v[i]);
        *first = 0;
    }
}

int case_json_text(const store_case_t *k, char **out, size_t *len)
{
    jw_t w = {NULL, 0, 0, 0};
    /* Room for the texts and the names around them, most often at once. */
    grow(&w, k->text_len + 1024 + 512 * (size_t)k->nmembers);
    const awda_field_t *idf = awda_field_find(&AWDA_PERSON, "id");
    int first = 1;
    put(&w, "{", 1);
    put_fields(&w, k, &AWDA_CASE, k->v, &first);
    puts_(&w, first ? "\"members\":[" : ",\"members\":[");
    for (int i = 0; i < k->nmembers; i++) {
        const store_member_t *m = &k->members[i];
        puts_(&w, i ? ",{\"relationship\":" : "{\"relationship\":");
        put_val(&w, k, &m->relationship);
        const store_val_t *pid = idf ? &m->person[idf - AWDA_PERSON.fields] : NULL;
        if (pid && pid->type != STORE_V_ABSENT) {
            puts_(&w, ",\"person_id\":");
            put_val(&w, k, pid);
        }
        puts_(&w, ",\"person\":{");
        int pfirst = 1;
        put_fields(&w, k, &AWDA_PERSON, m->person, &pfirst);
        puts_(&w, "}}");
    }
    puts_(&w, "]}");
    if (w.failed) {
        awda_log(LOG_ERROR, "case_json", "\"reason\":\"over %d bytes or out of memory\"",
                 AWDA_MAX_CASE_ANSWER);
        free(w.d);
        return -1;
    }
    w.d[w.len] = '\0';
    *len = w.len;
    *out = w.d;
    return 0;
}
