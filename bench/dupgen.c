/*
 * dupgen.c — planted duplicates for bench/gen (see dupgen.h): the labelled
 * data set of the duplicate detection benchmark (bench/dupeval.py).
 *
 *   bench/gen --db PATH --persons 1000000 --cases 600000 \
 *             --dups 3000 --labels bench/out/dup-labels.tsv
 *
 * How it works
 *   - The cases are cut into --dups segments of equal length. The last case
 *     of each segment is a second registration of someone registered
 *     earlier in the same segment: a household of one, in its own case
 *     (usually of another office), with the same sex and nationality, no
 *     travel document (the second registration of a person who lost their
 *     passport: a shared document number would give the pair away) and a
 *     phone number of its own.
 *   - Each segment draws a kind (weights in KINDS). Every person of an
 *     ordinary case in the segment is offered; for each kind a reservoir
 *     sample keeps one person that suits it (a name with an Arabic form for
 *     the kinds across scripts, three words for no_middle, an exact date
 *     with the day at most 12 for the exchange...). When no person of the
 *     segment suits the drawn kind the next kind that has one is used.
 *   - The kinds:
 *       other_script  one record in Arabic script with no Latin form, the
 *                     other in Latin letters only, each word spelled with a
 *                     variant of the pool (Mohamed / Muhammad / Mohammed)
 *       typo          one typo in one word of four letters or more, not on
 *                     its first letter: a letter replaced, added, dropped,
 *                     or two neighbours swapped (in the record's script)
 *       family_first  the last word (family or grandfather's name) first
 *       no_middle     a middle word left out (names of three words or more)
 *       dob_year_off  the year of birth one more or one less
 *       dob_day_month_swapped  an exact date with day and month exchanged
 *       dob_year_only the year of birth only (precision year)
 *       other_script+dob  other_script and one of the three date changes
 *     Apart from its own change, the second record keeps the name and the
 *     script of the first (a record in Arabic script loses its Latin form,
 *     so the change is on the only name there is).
 *   - Labels: a TSV file with a header line, then one line per pair:
 *     person_a (the first registration's id), person_b (the second's),
 *     kind, cross_script (1 when the two names are written in different
 *     scripts with no Latin form on the Arabic side, else 0).
 *
 * Everything random comes from this module's own stream, seeded from
 * --seed, consumed in the generator thread's order: a seed gives the same
 * pairs and labels.
 */
#include "dupgen.h"
#include "gen_rng.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    K_OTHER_SCRIPT,
    K_TYPO,
    K_FAMILY_FIRST,
    K_NO_MIDDLE,
    K_DOB_YEAR_OFF,
    K_DOB_DM_SWAP,
    K_DOB_YEAR_ONLY,
    K_SCRIPT_DOB,
    K_COUNT
};

static const struct {
    const char *name;
    int weight;
} KINDS[K_COUNT] = {
    [K_OTHER_SCRIPT] = {"other_script", 18},   [K_TYPO] = {"typo", 16},
    [K_FAMILY_FIRST] = {"family_first", 12},   [K_NO_MIDDLE] = {"no_middle", 12},
    [K_DOB_YEAR_OFF] = {"dob_year_off", 12},   [K_DOB_DM_SWAP] = {"dob_day_month_swapped", 10},
    [K_DOB_YEAR_ONLY] = {"dob_year_only", 10}, [K_SCRIPT_DOB] = {"other_script+dob", 10},
};

static struct {
    FILE *out;
    long seglen, ndups;
    uint8_t *kind; /* per segment */
    rng_t rng;
    long cur_seg;
    dg_person_t cand[K_COUNT];
    long ncand[K_COUNT];
    long made[K_COUNT], fallback, missed;
} G;

static void dg_die(const char *what, const char *detail)
{
    fprintf(stderr, "gen: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    exit(1);
}

void dupgen_open(const char *labels_path, long ncases, long ndups, uint64_t seed)
{
    if (ndups < 1 || ncases / ndups < 20)
        dg_die("--dups needs at least 20 cases per planted pair", NULL);
    G.out = fopen(labels_path, "w");
    if (!G.out)
        dg_die("cannot write the labels file", labels_path);
    fputs("person_a\tperson_b\tkind\tcross_script\n", G.out);
    G.ndups = ndups;
    G.seglen = ncases / ndups;
    G.kind = malloc((size_t)ndups);
    if (!G.kind)
        dg_die("out of memory", NULL);
    rng_seed(&G.rng, seed ^ 0x6475706c6963ULL);
    int total = 0;
    for (int k = 0; k < K_COUNT; k++)
        total += KINDS[k].weight;
    for (long s = 0; s < ndups; s++) {
        int x = (int)rnd(&G.rng, (uint32_t)total), k = 0;
        while (x >= KINDS[k].weight)
            x -= KINDS[k++].weight;
        G.kind[s] = (uint8_t)k;
    }
    G.cur_seg = -1;
}

int dupgen_active(void)
{
    return G.out != NULL;
}

int dupgen_is_dup(long ci)
{
    return G.out && ci / G.seglen < G.ndups && ci % G.seglen == G.seglen - 1;
}

/* ------------------------------------------------------------------ */
/* What suits each kind.                                               */

static int arabic_word(const gname_t *g)
{
    unsigned char c = (unsigned char)g->w[0];
    return g->nlat > 0 && c >= 0xD8 && c <= 0xDB; /* U+0600..U+06FF */
}

static int arabic_name(const dg_name_t *n)
{
    for (int i = 0; i < n->ntok; i++)
        if (!arabic_word(n->tok[i]))
            return 0;
    return n->ntok > 0;
}

/* The word as the record writes it. */
static const char *word(const dg_person_t *p, int i)
{
    return p->arabic && arabic_word(p->nm.tok[i]) ? p->nm.tok[i]->w : p->nm.lat[i];
}

static int ncp(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static int typo_word_ok(const dg_person_t *p, int i)
{
    return ncp(word(p, i)) >= 4;
}

static int dob_part(const char *dob, int off)
{
    if ((int)strlen(dob) < off + 2)
        return 0;
    return (dob[off] - '0') * 10 + (dob[off + 1] - '0');
}

static int suits(const dg_person_t *p, int k)
{
    size_t dl = strlen(p->dob);
    int other = arabic_name(&p->nm) && (!p->arabic || !p->has_latin);
    switch (k) {
    case K_OTHER_SCRIPT:
    case K_SCRIPT_DOB:
        return other && dl >= 4;
    case K_TYPO:
        for (int i = 0; i < p->nm.ntok; i++)
            if (typo_word_ok(p, i))
                return 1;
        return 0;
    case K_FAMILY_FIRST: /* and not every word the same (Omar Omar): the order must show */
        for (int i = 1; i < p->nm.ntok; i++)
            if (strcmp(word(p, i), word(p, 0)) != 0)
                return 1;
        return 0;
    case K_NO_MIDDLE:
        return p->nm.ntok >= 3;
    case K_DOB_YEAR_OFF:
        return dl >= 4;
    case K_DOB_DM_SWAP: {
        int m = dob_part(p->dob, 5), d = dob_part(p->dob, 8);
        return dl == 10 && d <= 12 && d != m;
    }
    case K_DOB_YEAR_ONLY:
        return dl >= 7;
    }
    return 0;
}

void dupgen_offer(long ci, const dg_person_t *p)
{
    long s = ci / G.seglen;
    if (!G.out || s >= G.ndups)
        return;
    if (s != G.cur_seg) {
        G.cur_seg = s;
        memset(G.ncand, 0, sizeof G.ncand);
    }
    for (int k = 0; k < K_COUNT; k++)
        if (suits(p, k) && rnd(&G.rng, (uint32_t)++G.ncand[k]) == 0)
            G.cand[k] = *p;
}

/* ------------------------------------------------------------------ */
/* The variants.                                                       */

static const uint32_t ARABIC_LETTERS[] = {0x627, 0x628, 0x62A, 0x62B, 0x62C, 0x62D, 0x62E,
                                          0x62F, 0x630, 0x631, 0x632, 0x633, 0x634, 0x635,
                                          0x636, 0x637, 0x638, 0x639, 0x63A, 0x641, 0x642,
                                          0x643, 0x644, 0x645, 0x646, 0x647, 0x648, 0x64A};
#define N_ARABIC ((int)(sizeof ARABIC_LETTERS / sizeof ARABIC_LETTERS[0]))

/* UTF-8 of the pool (trusted, well formed) to code points and back. */
static int decode(const char *s, uint32_t *cp, int cap)
{
    int n = 0;
    const unsigned char *u = (const unsigned char *)s;
    while (*u && n < cap) {
        uint32_t c = *u++;
        int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
        c &= more == 3 ? 0x07 : more == 2 ? 0x0F : more == 1 ? 0x1F : 0x7F;
        for (; more > 0 && (*u & 0xC0) == 0x80; more--)
            c = (c << 6) | (*u++ & 0x3F);
        cp[n++] = c;
    }
    return n;
}

static void encode(const uint32_t *cp, int n, char *out, size_t cap)
{
    size_t o = 0;
    for (int i = 0; i < n; i++) {
        uint32_t c = cp[i];
        char b[4];
        int l;
        if (c < 0x80) {
            b[0] = (char)c;
            l = 1;
        } else if (c < 0x800) {
            b[0] = (char)(0xC0 | (c >> 6));
            b[1] = (char)(0x80 | (c & 0x3F));
            l = 2;
        } else if (c < 0x10000) {
            b[0] = (char)(0xE0 | (c >> 12));
            b[1] = (char)(0x80 | ((c >> 6) & 0x3F));
            b[2] = (char)(0x80 | (c & 0x3F));
            l = 3;
        } else {
            b[0] = (char)(0xF0 | (c >> 18));
            b[1] = (char)(0x80 | ((c >> 12) & 0x3F));
            b[2] = (char)(0x80 | ((c >> 6) & 0x3F));
            b[3] = (char)(0x80 | (c & 0x3F));
            l = 4;
        }
        if (o + (size_t)l + 1 > cap)
            break;
        memcpy(out + o, b, (size_t)l);
        o += (size_t)l;
    }
    out[o] = '\0';
}

/* A letter of the script of c, other than c. */
static uint32_t letter_like(uint32_t c)
{
    for (;;) {
        uint32_t x = c >= 0x600 && c < 0x700 ? ARABIC_LETTERS[rnd(&G.rng, N_ARABIC)]
                                             : (uint32_t)('a' + rnd(&G.rng, 26));
        if (x != c)
            return x;
    }
}

/* One typo in w (at least four code points), never on the first letter
 * and never on a space; out differs from w. */
static void typo(const char *w, char *out, size_t cap)
{
    uint32_t cp[80], t[81];
    int n = decode(w, cp, 80);
    for (int tries = 0; tries < 50; tries++) {
        int op = (int)rnd(&G.rng, 4), i = 1 + (int)rnd(&G.rng, (uint32_t)(n - 1)), m = n;
        memcpy(t, cp, sizeof(uint32_t) * (size_t)n);
        if (cp[i] == ' ' || (op == 3 && (i + 1 >= n || cp[i + 1] == ' ' || cp[i] == cp[i + 1])))
            continue;
        if (op == 0) {
            t[i] = letter_like(cp[i]);
        } else if (op == 1) {
            memmove(t + i + 1, t + i, sizeof(uint32_t) * (size_t)(n - i));
            t[i] = letter_like(cp[i]);
            m = n + 1;
        } else if (op == 2) {
            memmove(t + i, t + i + 1, sizeof(uint32_t) * (size_t)(n - i - 1));
            m = n - 1;
        } else {
            t[i] = cp[i + 1];
            t[i + 1] = cp[i];
        }
        encode(t, m, out, cap);
        if (strcmp(out, w) != 0)
            return;
    }
    snprintf(out, cap, "%s", w); /* not reached with four letters or more */
}

/* The words order[0..n) of p joined by spaces, in Arabic script (words
 * without an Arabic form are left out, as gen_households.c writes them) or in Latin
 * letters (lat[i] when given, else p's spelling); word `typo_at` gets a
 * typo. */
static void compose(const dg_person_t *p, const int *order, int n, int arabic,
                    const char *const *lat, int typo_at, char *out, size_t cap)
{
    size_t o = 0;
    out[0] = '\0';
    for (int j = 0; j < n; j++) {
        int i = order[j];
        const gname_t *g = p->nm.tok[i];
        const char *w;
        if (arabic) {
            if (!arabic_word(g))
                continue;
            w = g->w;
        } else {
            w = lat && lat[i] ? lat[i] : p->nm.lat[i];
        }
        char buf[256];
        if (i == typo_at) {
            typo(w, buf, sizeof buf);
            w = buf;
        }
        int k = snprintf(out + o, cap - o, "%s%s", o ? " " : "", w);
        if (k < 0 || (size_t)k >= cap - o)
            break;
        o += (size_t)k;
    }
}

/* One of the three changes of the date of birth of src into v. */
static void dob_change(const dg_person_t *src, int k, dg_variant_t *v)
{
    const char *d = src->dob;
    int y = dob_part(d, 0) * 100 + dob_part(d, 2);
    v->prec = src->prec;
    if (k == K_DOB_YEAR_OFF) {
        int y2 = y + (rnd(&G.rng, 2) ? 1 : -1);
        snprintf(v->dob, sizeof v->dob, "%04d%s", y2, d + 4);
    } else if (k == K_DOB_DM_SWAP) {
        snprintf(v->dob, sizeof v->dob, "%04d-%02d-%02d", y, dob_part(d, 8), dob_part(d, 5));
    } else if (k == K_DOB_YEAR_ONLY) {
        snprintf(v->dob, sizeof v->dob, "%04d", y);
        v->prec = "year";
    } else {
        snprintf(v->dob, sizeof v->dob, "%s", d);
    }
}

int dupgen_make(long ci, dg_person_t *src, dg_variant_t *v)
{
    long s = ci / G.seglen;
    if (s != G.cur_seg) {
        G.missed++;
        return 0;
    }
    int k = G.kind[s];
    for (int t = 0; t < K_COUNT && G.ncand[k] == 0; t++)
        k = (k + 1) % K_COUNT;
    if (G.ncand[k] == 0) {
        G.missed++;
        return 0;
    }
    if (k != G.kind[s])
        G.fallback++;
    G.made[k]++;
    *src = G.cand[k];
    memset(G.ncand, 0, sizeof G.ncand); /* a person is planted once */
    G.cur_seg = -1;

    memset(v, 0, sizeof *v);
    v->kind = KINDS[k].name;
    dob_change(src, K_COUNT, v); /* the same date, unless the kind changes it */
    int order[DG_MAX_TOK], n = src->nm.ntok, typo_at = -1;
    for (int i = 0; i < n; i++)
        order[i] = i;
    int arabic = src->arabic;
    const char *lat[DG_MAX_TOK] = {0};

    if (k == K_OTHER_SCRIPT || k == K_SCRIPT_DOB) {
        arabic = !src->arabic;
        v->cross = 1;
        for (int i = 0; i < n; i++) {
            const gname_t *g = src->nm.tok[i];
            lat[i] = g->lat[g->nlat > 1 ? rnd(&G.rng, (uint32_t)g->nlat) : 0];
        }
        if (k == K_SCRIPT_DOB) {
            int dk[3], nd = 0;
            for (int c = K_DOB_YEAR_OFF; c <= K_DOB_YEAR_ONLY; c++)
                if (suits(src, c))
                    dk[nd++] = c;
            dob_change(src, dk[rnd(&G.rng, (uint32_t)nd)], v);
        }
    } else if (k == K_TYPO) {
        do
            typo_at = (int)rnd(&G.rng, (uint32_t)n);
        while (!typo_word_ok(src, typo_at));
    } else if (k == K_FAMILY_FIRST) {
        order[0] = n - 1;
        for (int i = 1; i < n; i++)
            order[i] = i - 1;
    } else if (k == K_NO_MIDDLE) {
        int drop = 1 + (int)rnd(&G.rng, (uint32_t)(n - 2));
        for (int i = drop; i + 1 < n; i++)
            order[i] = order[i + 1];
        n--;
    } else {
        dob_change(src, k, v);
    }
    compose(src, order, n, arabic, lat, typo_at, v->name, sizeof v->name);
    if (!arabic)
        snprintf(v->latin, sizeof v->latin, "%s", v->name);
    return 1;
}

void dupgen_label(const char *id_a, const char *id_b, const dg_variant_t *v)
{
    fprintf(G.out, "%s\t%s\t%s\t%d\n", id_a, id_b, v->kind, v->cross);
}

void dupgen_close(void)
{
    if (!G.out)
        return;
    if (fclose(G.out) != 0)
        dg_die("the labels file could not be written", NULL);
    G.out = NULL;
    long total = 0;
    for (int k = 0; k < K_COUNT; k++)
        total += G.made[k];
    printf("gen: %ld planted duplicate pairs (%ld of another kind than drawn, %ld segments "
           "without one):",
           total, G.fallback, G.missed);
    for (int k = 0; k < K_COUNT; k++)
        printf(" %s %ld", KINDS[k].name, G.made[k]);
    printf("\n");
    free(G.kind);
}
