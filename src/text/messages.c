/*
 * messages.c — the catalogue of the server's messages in ar, fr and en,
 * and the translation of finished English sentences.
 *
 * The code that finds a problem writes it in English with printf
 * (app_fail, app_invalid, awda_error_add, problem, the journey guards…).
 * MESSAGES[] has one row per such format: the English template exactly as
 * the code writes it, then the French and the Arabic. The rows are kept
 * one file per module, src/text/messages/<module>.inc (the module of the
 * source that writes the message; common.inc for those several modules
 * write), and included here through build/gen/messages.inc, the list of
 * those files the Makefile generates: a new module adds its own file and
 * edits no shared list. The printf conversions of the English (%s, %d,
 * %ld, %lld, %zu, %.40s…) are the parameters, numbered from 1 in the order
 * they appear; the French and Arabic templates name them {1}, {2}… in
 * whatever order the language needs, each exactly once ({n-} leaves
 * parameter n out on purpose, e.g. an English plural ending "s"). Codes,
 * field paths, header names and values the user types stay as they are
 * inside a translation.
 *
 * Translating: awda_msg_translate(sentence, lang) finds the row whose
 * English template the sentence was made from — literal parts equal,
 * each conversion capturing the text in its place (digits for %d and
 * friends, anything for %s, shortest first, backtracking bounded by
 * AWDA_MSG_MAX_STEPS) — and writes the target template with the captured
 * parameters. The candidates come from an index built once: the rows
 * sorted by their literal prefix (the text before the first conversion);
 * a binary search finds the longest prefix of the sentence in it, then
 * each shorter one (see candidates()), so a sentence is compared with the
 * few rows whose prefix it starts with, not with all of them. A %s
 * parameter that is itself exactly a row without parameters — a field's
 * words ("the name" → "le nom", "الاسم"), from the field words
 * (FIELD_WORDS[], src/text/messages/field_words.inc, in the same index) or
 * from MESSAGES — or matches one of the few rows of FIELD_WORDS with
 * parameters (the condition "when %s is given", whose own parameter is
 * translated in turn, FIELD_WORDS_DEPTH levels at most), is written in the
 * target language too; anything else (a name, a code) stays as it is. A
 * sentence with no row stays English; it is counted (awda_messages_unknown,
 * in /metrics) and logged once by hash and length (it may hold a name).
 *
 * scripts/check-messages.py (run by make check) extracts every message
 * format from the C sources and fails when one has no row, a row has no
 * French or Arabic, or the parameters differ; it prints the missing rows
 * ready to fill in, under the file each belongs in.
 */
#include "messages.h"
#include "../util/limits.h"
#include "../util/log.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *en, *fr, *ar;
} msg_row_t;

/* The rows of every module: build/gen/messages.inc has one #include per
 * file of src/text/messages but field_words.inc, sorted by name. */
/* clang-format off */
static const msg_row_t MESSAGES[] = {
#include "messages.inc"
};

/* The words of fields and the other phrases the messages take as a %s
 * parameter (see the file). */
static const msg_row_t FIELD_WORDS[] = {
#include "messages/field_words.inc"
};
/* clang-format on */

#define NROWS  (sizeof MESSAGES / sizeof MESSAGES[0])
#define NWORDS (sizeof FIELD_WORDS / sizeof FIELD_WORDS[0])
#define NALL   (NROWS + NWORDS)

/* A parameter is translated in turn when it is a row itself, this deep at
 * most: "when %s is given" inside "%s is required %s" is depth 1, the
 * field's words inside it depth 2. */
#define FIELD_WORDS_DEPTH 2

/* Row i of the index: MESSAGES, then FIELD_WORDS. */
static const msg_row_t *row_at(size_t i)
{
    return i < NROWS ? &MESSAGES[i] : &FIELD_WORDS[i - NROWS];
}

/* One piece of a parsed English template: literal text or a parameter. */
typedef struct {
    const char *lit; /* into the row's English (a literal piece), or NULL */
    size_t len;      /* its length (a "%%" piece is one '%') */
    char conv;       /* 's' any text, 'd' an integer; 0 for a literal */
} piece_t;

typedef struct {
    piece_t *pieces;
    int npieces;
    const char *prefix; /* the literal before the first parameter */
    size_t prefix_len;
    size_t lit_total; /* literal characters in all: more is a closer match */
} parsed_t;

static parsed_t PARSED[NALL ? NALL : 1];
static size_t ORDER[NALL ? NALL : 1];         /* rows by prefix, then lit_total descending */
static size_t TEMPLATES[NWORDS ? NWORDS : 1]; /* the rows of FIELD_WORDS with parameters */
static size_t NTEMPLATES;
static pthread_once_t ONCE = PTHREAD_ONCE_INIT;
static atomic_ullong UNKNOWN;

#define SEEN_SLOTS 1024
static _Atomic uint64_t SEEN[SEEN_SLOTS]; /* hashes of unknown sentences logged */

/* Reads one conversion at t[0] == '%'; returns its length and kind. */
static size_t conversion(const char *t, char *kind)
{
    size_t i = 1;
    while (t[i] && strchr("-+ #0", t[i]))
        i++;
    while (t[i] >= '0' && t[i] <= '9')
        i++;
    if (t[i] == '.') {
        i++;
        while (t[i] >= '0' && t[i] <= '9')
            i++;
    }
    while (t[i] && strchr("hlzjt", t[i]))
        i++;
    *kind = strchr("diu", t[i]) && t[i] ? 'd' : 's';
    return t[i] ? i + 1 : i;
}

static void parse(const char *en, parsed_t *p)
{
    int n = 1;
    for (const char *t = en; *t; t++)
        if (*t == '%')
            n += 2;
    p->pieces = calloc((size_t)n, sizeof *p->pieces);
    p->npieces = 0;
    p->lit_total = 0;
    p->prefix = en;
    p->prefix_len = (size_t)-1;
    if (!p->pieces)
        return;
    const char *t = en;
    while (*t) {
        if (t[0] == '%' && t[1] == '%') {
            p->pieces[p->npieces++] = (piece_t){t, 1, 0};
            p->lit_total++;
            t += 2;
        } else if (t[0] == '%') {
            if (p->prefix_len == (size_t)-1)
                p->prefix_len = (size_t)(t - en);
            char kind;
            size_t k = conversion(t, &kind);
            p->pieces[p->npieces++] = (piece_t){NULL, 0, kind};
            t += k;
        } else {
            size_t k = strcspn(t, "%");
            p->pieces[p->npieces++] = (piece_t){t, k, 0};
            p->lit_total += k;
            t += k;
        }
    }
    if (p->prefix_len == (size_t)-1)
        p->prefix_len = strlen(en);
    /* A "%%" before the first parameter ends the usable prefix there. */
    const char *pc = memchr(en, '%', p->prefix_len);
    if (pc)
        p->prefix_len = (size_t)(pc - en);
}

static int cmp_prefix(const char *a, size_t an, const char *b, size_t bn)
{
    int c = memcmp(a, b, an < bn ? an : bn);
    return c ? c : an < bn ? -1 : an > bn;
}

static int order_cmp(const void *x, const void *y)
{
    const parsed_t *a = &PARSED[*(const size_t *)x], *b = &PARSED[*(const size_t *)y];
    int c = cmp_prefix(a->prefix, a->prefix_len, b->prefix, b->prefix_len);
    if (c)
        return c;
    return a->lit_total > b->lit_total ? -1 : a->lit_total < b->lit_total;
}

static void build(void)
{
    for (size_t i = 0; i < NALL; i++) {
        parse(row_at(i)->en, &PARSED[i]);
        ORDER[i] = i;
    }
    qsort(ORDER, NALL, sizeof ORDER[0], order_cmp);
    for (size_t i = NROWS; i < NALL; i++)
        if (PARSED[i].prefix_len != strlen(FIELD_WORDS[i - NROWS].en))
            TEMPLATES[NTEMPLATES++] = i;
}

void awda_messages_init(void)
{
    pthread_once(&ONCE, build);
}

size_t awda_messages_rows(void)
{
    return NROWS;
}

unsigned long long awda_messages_unknown(void)
{
    return atomic_load(&UNKNOWN);
}

const char *awda_lang_code(awda_lang_t lang)
{
    return lang == AWDA_LANG_FR ? "fr" : lang == AWDA_LANG_AR ? "ar" : "en";
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

int awda_lang_parse(const char *code, size_t len)
{
    static const char *const CODES[] = {"en", "fr", "ar"};
    if (!code || len < 2 || (len > 2 && code[2] != '-'))
        return -1;
    for (int i = 0; i < 3; i++)
        if (lower(code[0]) == CODES[i][0] && lower(code[1]) == CODES[i][1])
            return i;
    return -1;
}

/* Reads a q-value ("1", "0.5", "0.125"); -1 when malformed. In
 * thousandths. */
static int qvalue(const char *s, size_t n)
{
    if (n == 0 || (s[0] != '0' && s[0] != '1'))
        return -1;
    int q = (s[0] - '0') * 1000;
    if (n == 1)
        return q;
    if (s[1] != '.' || n > 5)
        return -1;
    int scale = 100;
    for (size_t i = 2; i < n; i++, scale /= 10) {
        if (s[i] < '0' || s[i] > '9' || (q == 1000 && s[i] != '0'))
            return -1;
        q += (s[i] - '0') * scale;
    }
    return q;
}

int awda_lang_accept(const char *h)
{
    if (!h || strlen(h) > AWDA_MAX_ACCEPT_LANGUAGE)
        return -1;
    int best = -1, best_q = 0, star_q = -1, ranges = 0;
    int seen[3] = {0, 0, 0}; /* a language named explicitly is not the "*" */
    const char *p = h;
    while (*p && ranges < AWDA_MAX_ACCEPT_RANGES) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (!*p)
            break;
        size_t n = strcspn(p, ",");
        const char *end = p + n;
        size_t tn = strcspn(p, ";, \t");
        int q = 1000;
        const char *semi = memchr(p, ';', n);
        if (semi) {
            const char *v = semi + 1;
            while (v < end && (*v == ' ' || *v == '\t'))
                v++;
            if (end - v >= 2 && lower(v[0]) == 'q' && v[1] == '=') {
                size_t vn = (size_t)(end - v - 2);
                while (vn && (v[2 + vn - 1] == ' ' || v[2 + vn - 1] == '\t'))
                    vn--;
                q = qvalue(v + 2, vn);
            } else {
                q = -1;
            }
        }
        ranges++;
        if (q >= 0) {
            if (tn == 1 && p[0] == '*') {
                star_q = q;
            } else {
                int l = awda_lang_parse(p, tn);
                if (l >= 0) {
                    seen[l] = 1;
                    if (q > best_q) { /* ties keep the earlier range */
                        best_q = q;
                        best = l;
                    }
                }
            }
        }
        p = *end ? end + 1 : end;
    }
    /* "*" stands for any language not named: English, when not named. */
    if (star_q > best_q && !seen[AWDA_LANG_EN])
        best = AWDA_LANG_EN;
    return best;
}

/* ---- matching ----------------------------------------------------------- */

typedef struct {
    const char *s;
    size_t n;
    const char *cap[AWDA_MSG_MAX_PARAMS];
    size_t caplen[AWDA_MSG_MAX_PARAMS];
    int steps;
} match_t;

static int match_from(match_t *m, const parsed_t *p, int k, size_t at, int param)
{
    if (++m->steps > AWDA_MSG_MAX_STEPS)
        return 0;
    if (k == p->npieces)
        return at == m->n;
    const piece_t *pc = &p->pieces[k];
    if (!pc->conv)
        return m->n - at >= pc->len && memcmp(m->s + at, pc->lit, pc->len) == 0 &&
               match_from(m, p, k + 1, at + pc->len, param);
    if (param >= AWDA_MSG_MAX_PARAMS)
        return 0;
    size_t max = m->n - at;
    if (pc->conv == 'd') { /* an optional sign and at least one digit */
        size_t i = at < m->n && m->s[at] == '-' ? 1 : 0, d = 0;
        while (at + i + d < m->n && m->s[at + i + d] >= '0' && m->s[at + i + d] <= '9')
            d++;
        if (!d)
            return 0;
        max = i + d;
    }
    const piece_t *next = k + 1 < p->npieces ? &p->pieces[k + 1] : NULL;
    for (size_t len = pc->conv == 'd' ? 1 : 0; len <= max; len++) {
        if (pc->conv == 'd' && m->s[at] == '-' && len < 2)
            continue;
        if (!next && len != max)
            continue; /* the last piece takes the rest */
        if (next && !next->conv &&
            (m->n - at - len < next->len || memcmp(m->s + at + len, next->lit, next->len) != 0))
            continue;
        m->cap[param] = m->s + at;
        m->caplen[param] = len;
        if (match_from(m, p, k + 1, at + len, param + 1))
            return 1;
        if (m->steps > AWDA_MSG_MAX_STEPS)
            return 0;
    }
    return 0;
}

/* Writes template t with the captured parameters, parameter i replaced
 * by sub[i] when it is not NULL (its translation); malloc'd. */
static char *fill(const char *t, const match_t *m, int nparams, char *const *sub)
{
    size_t cap = strlen(t) + 1;
    for (int i = 0; i < nparams; i++)
        cap += sub[i] ? strlen(sub[i]) : m->caplen[i];
    char *out = malloc(cap);
    if (!out)
        return NULL;
    size_t o = 0;
    for (const char *q = t; *q;) {
        if (q[0] == '{' && q[1] >= '1' && q[1] <= '9' && q[2] == '}' && q[1] - '1' < nparams) {
            int i = q[1] - '1';
            size_t k = sub[i] ? strlen(sub[i]) : m->caplen[i];
            memcpy(out + o, sub[i] ? sub[i] : m->cap[i], k);
            o += k;
            q += 3;
        } else if (q[0] == '{' && q[1] >= '1' && q[1] <= '9' && q[2] == '-' && q[3] == '}') {
            q += 4; /* a parameter left out on purpose */
        } else {
            out[o++] = *q++;
        }
    }
    out[o] = '\0';
    return out;
}

static int params_of(const parsed_t *p)
{
    int n = 0;
    for (int k = 0; k < p->npieces; k++)
        n += p->pieces[k].conv != 0;
    return n;
}

/* The last index in ORDER[0, hi) whose prefix is <= s[0, n), or -1. */
static long last_le(size_t hi, const char *s, size_t n)
{
    size_t lo = 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const parsed_t *p = &PARSED[ORDER[mid]];
        if (cmp_prefix(p->prefix, p->prefix_len, s, n) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (long)lo - 1;
}

static void log_unknown(const char *en, size_t n)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)en[i]) * 1099511628211ULL;
    h |= 1;
    _Atomic uint64_t *slot = &SEEN[h % SEEN_SLOTS];
    if (atomic_exchange(slot, h) == h)
        return;
    awda_log(LOG_WARN, "message_untranslated", "\"hash\":\"%016llx\",\"length\":%zu",
             (unsigned long long)h, n);
}

static char *translate_param(const char *en, size_t n, awda_lang_t lang, int depth);

/* Writes row r's template in lang with what m captured, each captured
 * parameter that is itself a row (a field's words, a condition) written
 * in lang too; malloc'd, or NULL when the row has no such template. */
static char *write_row(size_t r, const match_t *m, awda_lang_t lang, int depth)
{
    const msg_row_t *row = row_at(r);
    const char *t = lang == AWDA_LANG_FR ? row->fr : row->ar;
    if (!t || !*t)
        return NULL;
    int np = params_of(&PARSED[r]);
    char *sub[AWDA_MSG_MAX_PARAMS] = {0};
    for (int k = 0, i = 0; k < PARSED[r].npieces && depth < FIELD_WORDS_DEPTH; k++) {
        char conv = PARSED[r].pieces[k].conv;
        if (conv == 's' && m->caplen[i])
            sub[i] = translate_param(m->cap[i], m->caplen[i], lang, depth + 1);
        i += conv != 0;
    }
    char *out = fill(t, m, np, sub);
    for (int i = 0; i < np; i++)
        free(sub[i]);
    return out;
}

/* The translation of a parameter en[0, n): by the row that is exactly en
 * (a row without parameters: found by the index, its prefix being all of
 * it), else by one of the few rows of FIELD_WORDS with parameters (the
 * conditions), so that text the user typed is not taken for a sentence.
 * NULL when none. */
static char *translate_param(const char *en, size_t n, awda_lang_t lang, int depth)
{
    for (long i = last_le(NALL, en, n); i >= 0; i--) {
        const parsed_t *p = &PARSED[ORDER[i]];
        if (cmp_prefix(p->prefix, p->prefix_len, en, n) != 0)
            break;
        match_t mt = {.s = en, .n = n};
        if (p->pieces && params_of(p) == 0 && match_from(&mt, p, 0, 0, 0))
            return write_row(ORDER[i], &mt, lang, depth);
    }
    for (size_t k = 0; k < NTEMPLATES; k++) {
        const parsed_t *p = &PARSED[TEMPLATES[k]];
        match_t mt = {.s = en, .n = n};
        if (p->pieces && match_from(&mt, p, 0, 0, 0))
            return write_row(TEMPLATES[k], &mt, lang, depth);
    }
    return NULL;
}

/* The translation of the sentence en[0, n) by any row; NULL when none. */
static char *translate(const char *en, size_t n, awda_lang_t lang)
{
    /* Candidates: the rows whose prefix the sentence starts with, longest
     * prefix first. last_le gives the greatest prefix <= s[0, m); when it
     * is not a prefix of s, no prefix of s is longer than their common
     * part, so the search goes on over that; when it is, over what is
     * shorter than it. */
    size_t m = n, hi = NALL;
    for (;;) {
        long i = last_le(hi, en, m);
        if (i < 0)
            break;
        const parsed_t *p = &PARSED[ORDER[i]];
        size_t l = 0;
        while (l < p->prefix_len && l < m && p->prefix[l] == en[l])
            l++;
        long g = i; /* the first row of this prefix */
        while (g > 0 && cmp_prefix(PARSED[ORDER[g - 1]].prefix, PARSED[ORDER[g - 1]].prefix_len,
                                   p->prefix, p->prefix_len) == 0)
            g--;
        if (l == p->prefix_len) {
            for (long k = g; k <= i; k++) {
                const parsed_t *r = &PARSED[ORDER[k]];
                match_t mt = {.s = en, .n = n};
                if (r->pieces && match_from(&mt, r, 0, 0, 0))
                    return write_row(ORDER[k], &mt, lang, 0);
            }
            if (l == 0)
                break;
            m = l - 1;
        } else {
            m = l;
        }
        hi = (size_t)g;
    }
    return NULL;
}

char *awda_msg_translate(const char *en, awda_lang_t lang)
{
    if (!en || lang == AWDA_LANG_EN)
        return NULL;
    awda_messages_init();
    size_t n = strnlen(en, AWDA_MSG_MAX_LEN + 1);
    if (n == 0 || n > AWDA_MSG_MAX_LEN)
        return NULL;
    char *out = translate(en, n, lang);
    if (out)
        return out;
    atomic_fetch_add(&UNKNOWN, 1);
    log_unknown(en, n);
    return NULL;
}
