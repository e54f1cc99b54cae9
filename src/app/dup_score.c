/*
 * dup_score.c — the score of a possible duplicate and its explanation
 * (dup_score.h).
 *
 * Names. Each name (name, and name_latin) is cut into words by
 * text/namekey.h; the words at one position of a name form a group (a
 * word and its form without a possible article), and the groups of
 * name_latin that are one of name's groups (same skeleton, or one edit
 * away) join it, so a person written in both scripts counts each word
 * once; a Latin word's other readings (dup_word_alts: g as ق, sh as
 * س ح) join its group, and meet a word in Arabic script only. The groups of the query and the
 * candidate are matched one to one, best pair first, whatever their order: equal skeletons are the
 * same word ("same" when written alike, "spelling" for another Latin
 * spelling such as Mohamed / Muhammad, "other_script" across Arabic and
 * Latin); skeletons one edit apart are "one_typo"; two Latin forms with a
 * Jaro-Winkler similarity of at least 0.9 are "similar". The name part is
 * the matched weight over the shorter name plus a quarter per word the
 * longer one has more (a missing middle name costs little); a single
 * shared word of two longer names counts half.
 *
 * The words of a person are cut once into a dup_words_t (dup_words_prepare:
 * the groups, their forms with their lengths, the words as written, as
 * plain bytes) and compared as they are (dup_score_words): how alike each
 * group of one is to each group of the other is worked out once, then the
 * pairs are taken best first from that table. dup_score prepares both
 * (the query's words kept while the same query comes again).
 *
 * Points (of 10000): names 6700; date of birth exact 2000, day and month
 * exchanged 1500, year only (one side knows only the year, equal) 1400,
 * within a year 1300, unknown 700, different -800; sex same 600, unknown
 * 300, different -1500; nationality same 700, unknown 350; an equal
 * document number then takes three quarters of what is left to 10000.
 * Two known dates of birth more than AWDA_DUP_DOB_FAR_YEARS years apart
 * keep the score AWDA_DUP_DOB_FAR_MARGIN under the flag score
 * (util/limits.h) unless a document number agrees: a common name with
 * the same sex and nationality is no duplicate when the births are a
 * generation apart.
 */
#include "dup_score.h"
#include "../text/namekey.h"
#include "../store/duplicates.h"
#include "../util/limits.h"
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FORMS 4

typedef struct {
    const awda_nameword_t *f[FORMS];
    unsigned char reading[FORMS]; /* another reading (dup_word_alts): meets Arabic script only */
    int nf;
    char text[AWDA_NAMEKEY_LATIN_MAX * 2]; /* the word as written, for the explanation */
} group_t;

typedef struct {
    awda_namekey_t k[2];
    group_t g[AWDA_NAMEKEY_MAX_WORDS * 2];
    int n;
    awda_nameword_t alt[AWDA_NAMEKEY_MAX_WORDS * 2 * DUP_WORD_ALTS];
    int nalt;
} words_t;

/* The prepared words (dup_words_t): what the comparison reads of a
 * words_t, without pointers, each group's forms side by side, the
 * lengths counted once. */
typedef struct {
    char latin[AWDA_NAMEKEY_LATIN_MAX];
    char skel[AWDA_NAMEKEY_SKEL_MAX];
    unsigned char arabic, reading, latin_len, skel_len;
} form_t;

struct dup_words {
    uint32_t size; /* bytes, the texts included */
    unsigned char ng, nf;
    struct {
        unsigned char first, nf; /* its forms: f[first .. first+nf) */
        uint16_t text;           /* its text: at texts(w) + text */
    } g[AWDA_NAMEKEY_MAX_WORDS * 2];
    form_t f[]; /* nf forms, then the groups' texts, each NUL-terminated */
};

_Static_assert(offsetof(struct dup_words, f) + sizeof(form_t) * AWDA_NAMEKEY_MAX_WORDS * 2 * FORMS +
                       AWDA_NAMEKEY_MAX_WORDS * 2 * AWDA_NAMEKEY_LATIN_MAX * 2 <=
                   DUP_WORDS_MAX,
               "DUP_WORDS_MAX holds the longest names");
_Static_assert(AWDA_NAMEKEY_MAX_WORDS * 2 * FORMS <= 255, "forms are counted in a byte");

/* The written word of position pos: the pos-th space-separated token when
 * the name has as many tokens as positions, else the Latin form. */
static void word_text(const char *name, const awda_namekey_t *k, int pos, const char *latin,
                      char *out, size_t cap)
{
    int npos = 0;
    for (int i = 0; i < k->n; i++)
        if (k->w[i].pos + 1 > npos)
            npos = k->w[i].pos + 1;
    int tok = 0, found = 0;
    const char *p = name;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *e = p;
        while (*e && *e != ' ')
            e++;
        if (tok == pos && e - p < (long)cap) {
            snprintf(out, cap, "%.*s", (int)(e - p), p);
            found = 1;
        }
        tok++;
        p = e;
    }
    if (tok != npos || pos >= tok || !found) { /* a token too long for out too */
        size_t n = strnlen(latin, cap - 1);
        memmove(out, latin, n);
        out[n] = '\0';
    }
}

static int near(const awda_nameword_t *a, const awda_nameword_t *b)
{
    if (a->skel[0] && strcmp(a->skel, b->skel) == 0)
        return 1;
    if (strcmp(a->latin, b->latin) == 0)
        return 1;
    return strlen(a->skel) >= 3 && strlen(b->skel) >= 3 &&
           awda_namekey_distance(a->skel, b->skel, 2) <= 1;
}

static void groups_of(const char *name, const char *latin, words_t *w)
{
    w->n = w->nalt = 0;
    const char *names[2] = {name, latin};
    for (int which = 0; which < 2; which++) {
        const char *nm = names[which];
        awda_namekey_t *k = &w->k[which];
        k->n = 0;
        if (!nm || !*nm || awda_namekey(nm, strlen(nm), k) <= 0)
            continue;
        int first = w->n;
        for (int i = 0; i < k->n; i++) {
            const awda_nameword_t *x = &k->w[i];
            group_t *g = NULL;
            for (int j = first; j < w->n && !g; j++)
                if (w->g[j].nf && w->g[j].f[0]->pos == x->pos)
                    g = &w->g[j];
            if (!g && which == 1) /* the same word in the other name */
                for (int j = 0; j < first && !g; j++)
                    for (int f = 0; f < w->g[j].nf && !g; f++)
                        if (near(w->g[j].f[f], x))
                            g = &w->g[j];
            if (!g) {
                g = &w->g[w->n++];
                g->nf = 0;
                word_text(nm, k, x->pos, x->latin, g->text, sizeof g->text);
            }
            if (g->nf < FORMS)
                g->reading[g->nf] = 0, g->f[g->nf++] = x;
            char alt[DUP_WORD_ALTS][AWDA_NAMEKEY_SKEL_MAX];
            int na = dup_word_alts(x->latin, x->skel, x->arabic, alt, DUP_WORD_ALTS);
            for (int a = 0;
                 a < na && g->nf < FORMS && w->nalt < (int)(sizeof w->alt / sizeof w->alt[0]);
                 a++) {
                awda_nameword_t *r = &w->alt[w->nalt++];
                *r = *x;
                snprintf(r->skel, sizeof r->skel, "%s", alt[a]);
                g->reading[g->nf] = 1, g->f[g->nf++] = r;
            }
        }
    }
}

/* How alike two words are (0..100) and how. */
static int form_sim(const form_t *a, const form_t *b, const char **how)
{
    int latin = !a->arabic && !b->arabic;
    if (a->skel[0] && strcmp(a->skel, b->skel) == 0) {
        if (a->arabic != b->arabic)
            return *how = "other_script", 95;
        return strcmp(a->latin, b->latin) == 0 ? (*how = "same", 100) : (*how = "spelling", 95);
    }
    if (strcmp(a->latin, b->latin) == 0 && a->latin[0])
        return *how = a->arabic != b->arabic ? "other_script" : "same", 100;
    int best = 0;
    if (a->skel_len >= 3 && b->skel_len >= 3 && awda_namekey_distance(a->skel, b->skel, 2) <= 1)
        best = 80, *how = "one_typo";
    if (latin && a->latin_len >= 4 && awda_namekey_distance(a->latin, b->latin, 2) <= 1)
        best = 85, *how = "one_typo";
    if (latin && best < 80) {
        int jw = awda_namekey_similarity(a->latin, b->latin);
        if (jw >= 9000)
            best = 60 + (jw - 9000) / 50, *how = "similar";
    }
    return best;
}

static int group_sim(const dup_words_t *wa, int ga, const dup_words_t *wb, int gb, const char **how)
{
    const form_t *a = &wa->f[wa->g[ga].first], *b = &wb->f[wb->g[gb].first];
    int na = wa->g[ga].nf, nb = wb->g[gb].nf, best = 0;
    for (int i = 0; i < na; i++)
        for (int j = 0; j < nb; j++) {
            /* Gamal and Kamal are two names: a reading meets Arabic script only */
            if ((a[i].reading && !b[j].arabic) || (b[j].reading && !a[i].arabic))
                continue;
            const char *h = NULL;
            int s = form_sim(&a[i], &b[j], &h);
            if (s > best)
                best = s, *how = h;
        }
    return best;
}

static const char *texts(const dup_words_t *w)
{
    return (const char *)&w->f[w->nf];
}

/* words_t into its prepared form. */
static size_t pack(const words_t *w, dup_words_t *out, size_t cap)
{
    size_t nf = 0, ntext = 0;
    for (int i = 0; i < w->n; i++)
        nf += (size_t)w->g[i].nf, ntext += strlen(w->g[i].text) + 1;
    size_t size = offsetof(struct dup_words, f) + nf * sizeof(form_t) + ntext;
    if (size > cap)
        return 0;
    out->size = (uint32_t)size;
    out->ng = (unsigned char)w->n;
    out->nf = (unsigned char)nf;
    char *t = (char *)&out->f[nf];
    size_t k = 0, at = 0;
    for (int i = 0; i < w->n; i++) {
        const group_t *g = &w->g[i];
        out->g[i].first = (unsigned char)k;
        out->g[i].nf = (unsigned char)g->nf;
        out->g[i].text = (uint16_t)at;
        for (int j = 0; j < g->nf; j++, k++) {
            form_t *f = &out->f[k];
            memcpy(f->latin, g->f[j]->latin, sizeof f->latin);
            memcpy(f->skel, g->f[j]->skel, sizeof f->skel);
            f->arabic = g->f[j]->arabic;
            f->reading = g->reading[j];
            f->latin_len = (unsigned char)strnlen(f->latin, sizeof f->latin);
            f->skel_len = (unsigned char)strnlen(f->skel, sizeof f->skel);
        }
        size_t n = strlen(g->text) + 1;
        memcpy(t + at, g->text, n);
        at += n;
    }
    return size;
}

size_t dup_words_prepare(const char *name, const char *name_latin, dup_words_t *out, size_t cap)
{
    static __thread words_t w; /* 8 KiB: not on a thread's stack */
    groups_of(name, name_latin, &w);
    return pack(&w, out, cap);
}

size_t dup_words_size(const dup_words_t *w)
{
    return w->size;
}

static int parse_dob(const char *s, int *y, int *m, int *d)
{
    *y = *m = *d = 0;
    if (!s || strlen(s) < 4)
        return 0;
    for (int i = 0; i < 4; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    *y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    if (s[4] == '-' && isdigit((unsigned char)s[5]) && isdigit((unsigned char)s[6])) {
        *m = (s[5] - '0') * 10 + (s[6] - '0');
        if (s[7] == '-' && isdigit((unsigned char)s[8]) && isdigit((unsigned char)s[9]))
            *d = (s[8] - '0') * 10 + (s[9] - '0');
    }
    return 1;
}

static int only_year(const char *prec, int m)
{
    return m == 0 || (prec && (strcmp(prec, "year") == 0 || strcmp(prec, "estimated") == 0));
}

const char *dup_dob_compare(const char *a, const char *a_prec, const char *b, const char *b_prec)
{
    int ay, am, ad, by, bm, bd;
    if (!parse_dob(a, &ay, &am, &ad) || !parse_dob(b, &by, &bm, &bd))
        return "unknown";
    int dy = abs(ay - by);
    if (only_year(a_prec, am) || only_year(b_prec, bm)) {
        if (dy == 0)
            return only_year(a_prec, am) && only_year(b_prec, bm) ? "exact" : "year_only";
        return dy == 1 ? "within_a_year" : "different";
    }
    if (ad == 0 || bd == 0) { /* month precision */
        if (dy == 0 && am == bm)
            return ad == bd ? "exact" : "year_only";
    } else {
        if (dy == 0 && am == bm && ad == bd)
            return "exact";
        if (dy == 0 && am == bd && ad == bm)
            return "day_month_swapped";
    }
    long da = ay * 372L + (am - 1) * 31 + (ad ? ad - 1 : 0);
    long db = by * 372L + (bm - 1) * 31 + (bd ? bd - 1 : 0);
    if (labs(da - db) <= 372 || (dy == 1 && am == bm && ad == bd))
        return "within_a_year";
    return "different";
}

/* Years between two known dates of birth (their years), or -1 when one
 * is unknown. */
static int dob_years_apart(const char *a, const char *b)
{
    int ay, am, ad, by, bm, bd;
    if (!parse_dob(a, &ay, &am, &ad) || !parse_dob(b, &by, &bm, &bd))
        return -1;
    return abs(ay - by);
}

static int dob_points(const char *kind)
{
    static const struct {
        const char *k;
        int p;
    } T[] = {{"exact", 2000},     {"day_month_swapped", 1500},
             {"year_only", 1400}, {"within_a_year", 1300},
             {"unknown", 700},    {"different", -800}};
    for (size_t i = 0; i < sizeof T / sizeof T[0]; i++)
        if (strcmp(T[i].k, kind) == 0)
            return T[i].p;
    return 0;
}

static int known(const char *v, const char *unknown)
{
    return v && *v && strcmp(v, unknown) != 0;
}

/* Document numbers compared on their letters and digits, upper case. */
static void doc_norm(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    for (; s && *s && n + 1 < cap; s++)
        if (isalnum((unsigned char)*s))
            out[n++] = (char)toupper((unsigned char)*s);
    out[n] = '\0';
}

static int same_document(const json_t *a, const json_t *b)
{
    size_t i, j;
    json_t *x, *y;
    json_array_foreach(a, i, x)
    {
        char na[64];
        doc_norm(json_string_value(x), na, sizeof na);
        if (strlen(na) < 4)
            continue;
        json_array_foreach(b, j, y)
        {
            char nb[64];
            doc_norm(json_string_value(y), nb, sizeof nb);
            if (strcmp(na, nb) == 0)
                return 1;
        }
    }
    return 0;
}

/* A buffer for one dup_words_t. */
typedef union {
    struct dup_words w;
    unsigned char bytes[DUP_WORDS_MAX];
} words_buf_t;

int dup_score(const dup_person_t *q, const dup_person_t *c, json_t **explanation)
{
    static __thread words_buf_t wq, wc;
    /* The query's words once for the many candidates scored against it. */
    static __thread char qname[AWDA_NAMEKEY_LATIN_MAX * 16], qlatin[AWDA_NAMEKEY_LATIN_MAX * 16];
    static __thread int qvalid;
    const char *qn = q->name ? q->name : "", *ql = q->name_latin ? q->name_latin : "";
    if (!qvalid || strcmp(qn, qname) != 0 || strcmp(ql, qlatin) != 0) {
        dup_words_prepare(q->name, q->name_latin, &wq.w, sizeof wq);
        qvalid = strlen(qn) < sizeof qname && strlen(ql) < sizeof qlatin;
        snprintf(qname, sizeof qname, "%s", qn);
        snprintf(qlatin, sizeof qlatin, "%s", ql);
    }
    dup_words_prepare(c->name, c->name_latin, &wc.w, sizeof wc);
    return dup_score_words(q, &wq.w, c, &wc.w, explanation);
}

int dup_score_words(const dup_person_t *q, const dup_words_t *qw, const dup_person_t *c,
                    const dup_words_t *cw, json_t **explanation)
{
    enum { G = AWDA_NAMEKEY_MAX_WORDS * 2 };
    const int nq = qw->ng, nc = cw->ng;
    /* how alike each pair of groups is, once */
    unsigned char sim[G][G];
    const char *how[G][G];
    for (int i = 0; i < nq; i++)
        for (int j = 0; j < nc; j++) {
            how[i][j] = NULL;
            sim[i][j] = (unsigned char)group_sim(qw, i, cw, j, &how[i][j]);
        }
    json_t *names = explanation ? json_array() : NULL;
    int used_q[G] = {0}, used_c[G] = {0};
    int matched = 0, sum = 0;
    for (;;) { /* the best pair left, one to one */
        int best = 0, bi = -1, bj = -1;
        const char *bhow = NULL;
        for (int i = 0; i < nq; i++)
            for (int j = 0; j < nc && !used_q[i]; j++) {
                int s = used_c[j] ? 0 : sim[i][j];
                if (s > best)
                    best = s, bi = i, bj = j, bhow = how[i][j];
            }
        if (best < 50)
            break;
        used_q[bi] = used_c[bj] = 1;
        /* the words shown are written in two scripts: say so */
        if (qw->f[qw->g[bi].first].arabic != cw->f[cw->g[bj].first].arabic)
            bhow = "other_script";
        matched++;
        sum += best;
        if (names)
            json_array_append_new(names,
                                  json_pack("{s:s,s:s,s:s}", "query", texts(qw) + qw->g[bi].text,
                                            "candidate", texts(cw) + cw->g[bj].text, "how", bhow));
    }
    int lo = nq < nc ? nq : nc, hi = nq < nc ? nc : nq;
    double ns = lo ? (double)sum / 100.0 / (lo + 0.25 * (hi - lo)) : 0;
    if (matched < 2 && lo >= 2)
        ns *= 0.5;
    if (ns > 1)
        ns = 1;
    int pts = (int)(6700 * ns + 0.5);
    const char *dob =
        dup_dob_compare(q->date_of_birth, q->dob_precision, c->date_of_birth, c->dob_precision);
    pts += dob_points(dob);
    const char *sex = "unknown";
    if (known(q->sex, "unknown") && known(c->sex, "unknown") && strcmp(q->sex, "other") &&
        strcmp(c->sex, "other"))
        sex = strcmp(q->sex, c->sex) == 0 ? "same" : "different";
    pts += strcmp(sex, "same") == 0 ? 600 : strcmp(sex, "unknown") == 0 ? 300 : -1500;
    const char *nat = "unknown";
    if (known(q->nationality, "XXX") && known(c->nationality, "XXX"))
        nat = strcmp(q->nationality, c->nationality) == 0 ? "same" : "different";
    pts += strcmp(nat, "same") == 0 ? 700 : strcmp(nat, "unknown") == 0 ? 350 : 0;
    int doc = same_document(q->documents, c->documents);
    if (pts < 0)
        pts = 0;
    if (!doc && dob_years_apart(q->date_of_birth, c->date_of_birth) > AWDA_DUP_DOB_FAR_YEARS &&
        pts > AWDA_DUPLICATE_FLAG_SCORE - AWDA_DUP_DOB_FAR_MARGIN)
        pts = AWDA_DUPLICATE_FLAG_SCORE - AWDA_DUP_DOB_FAR_MARGIN;
    if (doc)
        pts += (10000 - pts) * 3 / 4;
    if (pts > 10000)
        pts = 10000;
    if (explanation)
        *explanation = json_pack("{s:o,s:i,s:s,s:s,s:s,s:s}", "names", names, "names_unmatched",
                                 hi - matched, "date_of_birth", dob, "sex", sex, "nationality", nat,
                                 "documents", doc ? "same_number" : "none");
    return pts;
}

/* ---- the pre-score of candidates by their date of birth ----------------------- */

static double birth_factor(const char *kind, int far)
{
    if (strcmp(kind, "exact") == 0)
        return 4.0;
    if (strcmp(kind, "day_month_swapped") == 0 || strcmp(kind, "year_only") == 0)
        return 3.0;
    if (strcmp(kind, "within_a_year") == 0)
        return 2.5;
    if (strcmp(kind, "unknown") == 0)
        return 1.5;
    return far ? 0.2 : 0.8;
}

typedef struct {
    int64_t pk;
    double pre;
} pre_t;

static int by_pre(const void *a, const void *b)
{
    const pre_t *x = a, *y = b;
    if (x->pre != y->pre)
        return x->pre < y->pre ? 1 : -1;
    return x->pk < y->pk ? -1 : x->pk > y->pk;
}

/* The year of a date "YYYY...", 0 when it has none. */
static int year_of(const char *d)
{
    if (!d || strlen(d) < 4)
        return 0;
    int y = 0;
    for (int i = 0; i < 4; i++) {
        if (d[i] < '0' || d[i] > '9')
            return 0;
        y = y * 10 + (d[i] - '0');
    }
    return y;
}

/* How a candidate's sex and nationality beside the query's multiply its
 * support, in the proportions of their points in the score (sex same 600,
 * unknown 300, different -1500; nationality same 700, unknown 350). */
static double person_factor(const char *qs, const char *cs, const char *qn, const char *cn)
{
    int sk = *qs && *cs && strcmp(qs, "unknown") && strcmp(cs, "unknown") && strcmp(qs, "other") &&
             strcmp(cs, "other");
    double f = !sk ? 1.25 : strcmp(qs, cs) == 0 ? 1.5 : 0.35;
    int nk = *qn && *cn && strcmp(qn, "XXX") && strcmp(cn, "XXX");
    return f * (!nk ? 1.3 : strcmp(qn, cn) == 0 ? 1.6 : 1.0);
}

static void copy_cut(char *out, size_t cap, const char *in)
{
    size_t n = in ? strnlen(in, cap - 1) : 0;
    if (n)
        memcpy(out, in, n);
    out[n] = '\0';
}

void dup_prescore_of(const char *dob, const char *prec, const char *sex, const char *nationality,
                     dup_prescore_t *out)
{
    copy_cut(out->dob, sizeof out->dob, dob);
    copy_cut(out->prec, sizeof out->prec, prec);
    copy_cut(out->sex, sizeof out->sex, sex);
    copy_cut(out->nationality, sizeof out->nationality, nationality);
}

int dup_preselect(const dup_prescore_t *q, const int64_t *cand, const double *sup, int n,
                  const dup_prescore_t *rows, int64_t *out, int max)
{
    pre_t pre[AWDA_DUP_PRESCORED_MAX];
    if (n > AWDA_DUP_PRESCORED_MAX)
        n = AWDA_DUP_PRESCORED_MAX;
    const char *qd = q->dob[0] ? q->dob : NULL, *qp = q->prec[0] ? q->prec : NULL;
    int qy = year_of(qd);
    for (int i = 0; i < n; i++) {
        const char *kind =
            dup_dob_compare(qd, qp, rows[i].dob[0] ? rows[i].dob : NULL, rows[i].prec);
        int cy = year_of(rows[i].dob);
        int far = qy && cy && abs(qy - cy) > AWDA_DUP_DOB_FAR_YEARS;
        pre[i] = (pre_t){
            cand[i], sup[i] * birth_factor(kind, far) *
                         person_factor(q->sex, rows[i].sex, q->nationality, rows[i].nationality)};
    }
    qsort(pre, (size_t)n, sizeof *pre, by_pre);
    int m = n < max ? n : max;
    for (int i = 0; i < m; i++)
        out[i] = pre[i].pk;
    return m;
}
