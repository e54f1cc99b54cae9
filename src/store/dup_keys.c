/*
 * dup_keys.c — the blocking keys of the duplicates module (issue 13;
 * duplicates.h): made from a person's names and date of birth, both the
 * keys a person is stored with (dup_keys_make) and the probes of a query
 * (dup_probes_make). Pure code: duplicates.c writes and reads them.
 *
 * Keys. The words of both names of a person (text/namekey.h: a consonant
 * skeleton per word that is the same in Arabic and Latin script, the
 * article removed, alt forms for a possible article) give a set of
 * distinct skeletons (a one-letter skeleton too: "Hawa" is "h"). For
 * every unordered pair {a, b} of them (not two forms of the same written
 * word):
 *   P(a, b)          the pair, in order — word order and missing words
 *                    do not matter, only that two words are shared;
 *   Y(a, b, year)    the pair with the year of birth, which stays
 *                    selective when the pair is common; a query probes
 *                    year-1, year and year+1 (a day and month exchanged,
 *                    or a year only, keep the year), its own year with
 *                    twice the weight;
 *   Y(d, b, year), Y(a, d, year)  for every skeleton d one deletion from
 *                    a (from b; a two-letter skeleton's deletes are its
 *                    letters): the symmetric deletes — a query makes the
 *                    same set, so two persons meet when one word of the
 *                    pair is one typo off, however common the pair;
 *   P(d, b), P(a, d) the same without the year, stored only for a person
 *                    whose date of birth is unknown (a query probes them).
 * And for every skeleton a, when the date of birth is known to the month:
 *   D(a, date)       the word with the date as written: among namesakes
 *                    (every pair and year key shared) the person registered
 *                    again with the same date shares few keys but this
 *                    one, which few persons have; a query probes its own
 *                    date, the same day a year before and after, and day
 *                    and month exchanged.
 * A skeleton written at two positions of one name pairs with itself
 * (P(a, a), Y(a, a, year)). A name of one skeleton has W(a) too. A person has at most
 * AWDA_DUP_KEYS_MAX keys: the exact pairs first, then the year keys, the date keys, then the
 * deletes.
 */
#include "duplicates.h"
#include <stdlib.h>
#include "internal.h"
#include "../text/namekey.h"

typedef struct {
    char skel[AWDA_DUP_KEY_WORDS][AWDA_NAMEKEY_SKEL_MAX];
    unsigned slots[AWDA_DUP_KEY_WORDS]; /* bit per (name, position) it was written at */
    int n;
    char year[5];
} dup_words_t;

int dup_word_alts(const char *latin, const char *skel, int arabic,
                  char out[][AWDA_NAMEKEY_SKEL_MAX], int max)
{
    if (arabic || !latin || !skel || max <= 0)
        return 0;
    int g = 0, sh = 0;
    for (size_t i = 0; latin[i]; i++) {
        if (latin[i] == 'j')
            return 0; /* a j is ج already: its g is not */
        if (latin[i] == 'g' && latin[i + 1] != 'h' && (i == 0 || latin[i - 1] != 'd'))
            g = 1;
        if (i > 0 && latin[i] == 's' && latin[i + 1] == 'h')
            sh = 1;
    }
    g = g && strchr(skel, 'j') != NULL;
    sh = sh && strchr(skel, 'S') != NULL;
    int n = 0;
    for (int which = 1; which <= 3 && n < max; which++) {
        int rg = (which & 1) && g, rs = (which & 2) && sh;
        if (!rg && !rs)
            continue;
        if ((which == 3 && !(g && sh)) || (which == 1 && !g) || (which == 2 && !sh))
            continue;
        char *o = out[n];
        size_t m = 0;
        int fits = 1;
        for (size_t i = 0; skel[i] && fits; i++) {
            if (rs && skel[i] == 'S') {
                fits = m + 2 < AWDA_NAMEKEY_SKEL_MAX;
                if (fits)
                    o[m++] = 's', o[m++] = 'h';
            } else {
                fits = m + 1 < AWDA_NAMEKEY_SKEL_MAX;
                if (fits)
                    o[m++] = rg && skel[i] == 'j' ? 'k' : skel[i];
            }
        }
        o[m] = '\0';
        if (fits && strcmp(o, skel) != 0)
            n++;
    }
    return n;
}

static void add_skel(dup_words_t *w, const char *s, unsigned bit)
{
    int j = 0;
    while (j < w->n && strcmp(w->skel[j], s) != 0)
        j++;
    if (j < w->n) {
        w->slots[j] |= bit;
    } else if (w->n < AWDA_DUP_KEY_WORDS) {
        snprintf(w->skel[w->n], AWDA_NAMEKEY_SKEL_MAX, "%s", s);
        w->slots[w->n++] = bit;
    }
}

static void add_words(dup_words_t *w, const char *name, int which)
{
    if (!name || !*name)
        return;
    static __thread awda_namekey_t k;
    if (awda_namekey(name, strlen(name), &k) <= 0)
        return;
    for (int i = 0; i < k.n; i++) {
        const char *s = k.w[i].skel;
        if (!*s)
            continue; /* no consonant ("Aya"): nothing to pair */
        unsigned bit = 1u << ((which * 16 + k.w[i].pos) & 31);
        add_skel(w, s, bit);
    }
    /* the other readings after every word as written (cut first) */
    for (int i = 0; i < k.n; i++) {
        char alt[DUP_WORD_ALTS][AWDA_NAMEKEY_SKEL_MAX];
        int na = dup_word_alts(k.w[i].latin, k.w[i].skel, k.w[i].arabic, alt, DUP_WORD_ALTS);
        for (int a = 0; a < na; a++)
            add_skel(w, alt[a], 1u << ((which * 16 + k.w[i].pos) & 31));
    }
}

static void words_of(const dup_names_t *p, dup_words_t *w)
{
    memset(w, 0, sizeof *w);
    add_words(w, p->name, 0);
    add_words(w, p->name_latin, 1);
    const char *d = p->date_of_birth;
    if (d && strlen(d) >= 4 && d[0] >= '0' && d[0] <= '9' && d[1] >= '0' && d[1] <= '9' &&
        d[2] >= '0' && d[2] <= '9' && d[3] >= '0' && d[3] <= '9')
        memcpy(w->year, d, 4);
}

/* Two skeletons that are only forms of one written word (a name and its
 * form without a possible article) make no pair. */
static int same_word(const dup_words_t *w, int i, int j)
{
    return w->slots[i] == w->slots[j] && (w->slots[i] & (w->slots[i] - 1)) == 0;
}

/* A skeleton written at two positions of one name ("حامد عادل حامد",
 * "Issa Issa"): it pairs with itself, so that the name without its middle
 * word ("حامد حامد": one skeleton) still meets it. */
static int repeated(const dup_words_t *w, int i)
{
    unsigned a = w->slots[i] & 0xFFFFu, b = w->slots[i] >> 16;
    return (a & (a - 1)) != 0 || (b & (b - 1)) != 0;
}

static int64_t pair_key(char kind, const char *a, const char *b, const char *year)
{
    const char *parts[3] = {strcmp(a, b) < 0 ? a : b, strcmp(a, b) < 0 ? b : a, year};
    return awda_namekey_hash(kind, parts, year ? 3 : 2);
}

typedef struct {
    dup_probe_t *p;
    int n, max;
} keyset_t;

static void put(keyset_t *ks, int64_t key, int weight)
{
    for (int i = 0; i < ks->n; i++)
        if (ks->p[i].key == key) {
            if (weight > ks->p[i].weight)
                ks->p[i].weight = weight;
            return;
        }
    if (ks->n < ks->max)
        ks->p[ks->n++] = (dup_probe_t){key, weight};
}

/* The skeletons one deletion from skel into del: text/namekey.h's for
 * three letters and more, a double letter it leaves written once; each letter of a two-letter
 * skeleton (a pair keeps them selective). Returns how many. */
static int deletes(const char *skel, char del[][AWDA_NAMEKEY_SKEL_MAX])
{
    size_t n = strlen(skel);
    if (n >= 3) {
        int nd = awda_namekey_deletes(skel, del, AWDA_NAMEKEY_MAX_DELETES);
        /* A letter equal to the one before it is written once in a
         * skeleton: "Tenivn" (tnfn) less its f is "Tenin" (tn), not tnn. */
        for (int d = 0; d < nd; d++) {
            char *x = del[d];
            size_t m = 0;
            for (size_t i = 0; x[i]; i++)
                if (m == 0 || x[m - 1] != x[i])
                    x[m++] = x[i];
            x[m] = '\0';
        }
        return nd;
    }
    if (n != 2)
        return 0;
    del[0][0] = skel[0], del[0][1] = '\0';
    del[1][0] = skel[1], del[1][1] = '\0';
    return skel[0] == skel[1] ? 1 : 2;
}

/* What a hit of a word with the date of birth adds (dup_probe_t): the
 * date itself, and the date a year off or with day and month exchanged. */
#define DUP_DATE_WEIGHT      8
#define DUP_DATE_NEAR_WEIGHT 4

static int digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* The dates of birth the word keys are made with: a date known to the
 * month at least ("1990-07-14", "1990-07") as written; a query's also a
 * year before and after (same month and day) and, for a day of 12 or
 * less, day and month exchanged. Returns how many (0: the date is not
 * known to the month). */
static int word_dates(const char *d, int probe, char out[4][11])
{
    size_t n = d ? strlen(d) : 0;
    int full = n == 10 && digits(d, 4) && d[4] == '-' && digits(d + 5, 2) && d[7] == '-' &&
               digits(d + 8, 2);
    int month = n == 7 && digits(d, 4) && d[4] == '-' && digits(d + 5, 2);
    if (!full && !month)
        return 0;
    int k = 0;
    snprintf(out[k++], 11, "%s", d);
    if (!probe)
        return k;
    int y = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0');
    for (int dy = -1; dy <= 1; dy += 2)
        if (y + dy >= 1000 && y + dy <= 9999)
            snprintf(out[k++], 11, "%04d%s", y + dy, d + 4);
    if (full && (d[8] < '1' || (d[8] == '1' && d[9] <= '2')) && memcmp(d + 5, d + 8, 2) != 0)
        snprintf(out[k++], 11, "%.4s-%.2s-%.2s", d, d + 8, d + 5);
    return k;
}

/* The keys of p into ks; probe: those a query probes (the years around
 * too, and the deletes without a year for persons born on an unknown
 * date). */
static int make(const dup_names_t *p, keyset_t *ks, int probe)
{
    dup_words_t w;
    words_of(p, &w);
    if (w.n == 0)
        return 0;
    if (w.n == 1 && !repeated(&w, 0)) {
        const char *parts[1] = {w.skel[0]};
        put(ks, awda_namekey_hash('W', parts, 1), 3);
        return ks->n;
    }
    if (w.n == 1) {
        const char *parts[1] = {w.skel[0]};
        put(ks, awda_namekey_hash('W', parts, 1), 3);
    }
    for (int i = 0; i < w.n; i++)
        for (int j = i; j < w.n; j++)
            if (j == i ? repeated(&w, i) : !same_word(&w, i, j))
                put(ks, pair_key('P', w.skel[i], w.skel[j], NULL), 3);
    int y = 0;
    if (w.year[0])
        y = (w.year[0] - '0') * 1000 + (w.year[1] - '0') * 100 + (w.year[2] - '0') * 10 +
            (w.year[3] - '0');
    char yr[3][8];
    int ny = 0;
    for (int dy = probe ? -1 : 0; y && dy <= (probe ? 1 : 0); dy++)
        snprintf(yr[ny++], sizeof yr[0], "%04d", y + dy);
    for (int k = 0; k < ny; k++)
        for (int i = 0; i < w.n; i++)
            for (int j = i; j < w.n; j++)
                if (j == i ? repeated(&w, i) : !same_word(&w, i, j))
                    put(ks, pair_key('Y', w.skel[i], w.skel[j], yr[k]), k == ny / 2 ? 8 : 4);
    /* Each word with the date of birth: the person registered again with
     * the same date shares a word and the date however common the name
     * (a middle word left out, a typo in another word, the other script);
     * a query probes the date with day and month exchanged and the same
     * day a year before and after too. */
    char dates[4][11];
    int ndates = word_dates(p->date_of_birth, probe, dates);
    for (int k = 0; k < ndates; k++)
        for (int i = 0; i < w.n; i++) {
            const char *parts[2] = {w.skel[i], dates[k]};
            put(ks, awda_namekey_hash('D', parts, 2),
                k == 0 ? DUP_DATE_WEIGHT : DUP_DATE_NEAR_WEIGHT);
        }
    /* One typo: the pairs with one letter deleted, with the year when it
     * is known (a typo in a common pair stays selective), else alone. */
    char del[AWDA_NAMEKEY_MAX_DELETES][AWDA_NAMEKEY_SKEL_MAX];
    for (int i = 0; i < w.n; i++) {
        int nd = deletes(w.skel[i], del);
        for (int d = 0; d < nd; d++)
            for (int j = 0; j < w.n; j++) {
                if (j == i || same_word(&w, i, j) || strcmp(del[d], w.skel[j]) == 0)
                    continue;
                for (int k = 0; k < ny; k++)
                    put(ks, pair_key('Y', del[d], w.skel[j], yr[k]), k == ny / 2 ? 4 : 2);
                if (!ny || probe)
                    put(ks, pair_key('P', del[d], w.skel[j], NULL), 1);
            }
    }
    return ks->n;
}

int dup_keys_make(const dup_names_t *p, int64_t *out, int max)
{
    dup_probe_t tmp[AWDA_DUP_KEYS_MAX];
    keyset_t ks = {tmp, 0, max < AWDA_DUP_KEYS_MAX ? max : AWDA_DUP_KEYS_MAX};
    int n = make(p, &ks, 0);
    for (int i = 0; i < n; i++)
        out[i] = tmp[i].key;
    return n;
}

int dup_probes_make(const dup_names_t *p, dup_probe_t *out, int max)
{
    keyset_t ks = {out, 0, max};
    return make(p, &ks, 1);
}
