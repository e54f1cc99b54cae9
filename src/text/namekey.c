/*
 * namekey.c — the keys of a name that survive the ways one name is written
 * (see namekey.h).
 *
 * How it works. The name is cut into words on spaces, hyphens, apostrophes,
 * dots, underscores and other punctuation. Each word is then read in one of
 * two ways:
 *
 *  - Arabic script: tashkeel and tatweel are removed, the article ال (ٱل)
 *    is taken off the front, and each letter is mapped straight to its
 *    class (ICU's romanisation of Arabic is not what people write). The
 *    Latin form is ICU's "Any-Latin; Latin-ASCII; Lower" of the word
 *    without its article (awda_to_latin, norm.c).
 *  - any other script: ICU gives lower-case ASCII (accents and Ethiopic
 *    letters transliterated), the Latin article is taken off (below), and
 *    the skeleton is read from the ASCII letters with the digraphs of
 *    French and English spelling.
 *
 * Skeleton classes (one ASCII letter each):
 *
 *   class  Latin                          Arabic
 *   b      b p                            ب پ
 *   f      f v ph                         ف ڤ
 *   t      t                              ت ط
 *   d      d dh                           د ض ذ
 *   s      s, c before e i y, th          س ص ث   (Osman = Othman = عثمان)
 *   z      z                              ز ظ
 *   S      sh ch sch                      ش
 *   j      j dj, dg before e i y, g       ج       (g is ج in Egypt and Sudan:
 *                                                  Gamal, Farag, Hegazy)
 *   k      k c q ck qu                    ك ق
 *   g      gh                             غ گ
 *   h      h                              ح ه
 *   x      kh                             خ       (KH_OWN_CLASS 1; else h)
 *   l m n r                               ل م ن ر
 *   (none) a e i o u y w, ou              ا أ إ آ ٱ ء ئ ؤ ع و ي ى ة
 *   ks     x
 *
 * Measured on the variant lists of data/demo/names.json (test_namekey.c):
 * 169 of 176 pools have every Latin variant meet the Arabic form; kh as
 * its own class or as h makes no difference there, so خ keeps its own
 * class (fewer names meet by chance). Left apart on purpose: ق written g
 * in Sudan (Elsadig, Tarig: one edit), ذ written z (Malaz: one edit).
 * Hassan and Hussein meet: حسن and حسين differ by a ي, which is also the
 * long i of إبراهيم that Latin writes without a y; their Latin forms
 * (awda_namekey_similarity) tell them apart.
 *
 * Then: a letter equal to the one before it in the skeleton is written once
 * (doubled letters, shadda, "Traoré" t-r-r); a final h after a vowel is
 * dropped in Latin ("Fatimah" = "Fatima", "Abdallah"), and a final ة ه ح in
 * Arabic ("فاطمه" = "فاطمة").
 *
 * The article. Arabic: a word beginning with ال loses it ("الزهراء" →
 * "زهراء"; "الله" → "له"); a word "ال" alone before another word is no word.
 * Latin: a word al el ul ad an ar as at az ash adh ed en er es et ez before
 * another word is no word ("Fatima Al Zahraa", "Fatimah az-Zahra"); an
 * attached al/el before a consonant is removed when at least three letters
 * remain ("Elzahra", "Alnour") unless the word is a known name ("Alpha",
 * "Elham"); an attached al/el before a vowel ("Alassane", "Elias", "Alali")
 * may or may not be an article, so the word is kept whole and its form
 * without al/el is added as an alt word. An assimilated attached article
 * (a/e and a doubled sun letter: "Azzahra", "Assayed", "Ennour") has the same
 * skeleton with or without it (vowels drop, the double is written once);
 * only its Latin form loses the article, when four letters or more remain.
 *
 * Compound names. "عبد الله" in two words is "Abdallah" in one: a word of
 * the family abd/abdel/abdul/abdou/عبد followed by another word gets the
 * joined word added as an alt word, with an l where the second word had an
 * article ("عبد الرحمن" → bd + l + rhmn = "Abdelrahman"). Likewise a word
 * followed by "الدين"/"eldin"/"al-din" ("نصر الدين" = "Nasreldin") or by
 * "الله"/"allah"/"ullah" ("دفع الله" = "Dafalla").
 *
 * Pure functions; the only state is norm.c's per-thread transliterator.
 */
#include "namekey.h"
#include "norm.h"
#include <sodium.h>
#include <string.h>

/* kh (خ) as a class of its own (1) or folded into h (0). Measured on the
 * variant lists of data/demo/names.json: see tests/unit/test_namekey.c. */
#ifndef KH_OWN_CLASS
#define KH_OWN_CLASS 1
#endif

#define WORD_BYTES 160 /* bytes of one word of input kept (longer are cut) */

/* ---- UTF-8 ---- */

/* Decodes one code point at s[*i] (n bytes); -1 on invalid UTF-8. */
static long utf8_next(const char *s, size_t n, size_t *i)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned char c = u[*i];
    long cp;
    int more;
    if (c < 0x80) {
        (*i)++;
        return c;
    } else if ((c & 0xE0) == 0xC0) {
        cp = c & 0x1F;
        more = 1;
    } else if ((c & 0xF0) == 0xE0) {
        cp = c & 0x0F;
        more = 2;
    } else if ((c & 0xF8) == 0xF0) {
        cp = c & 0x07;
        more = 3;
    } else {
        return -1;
    }
    if (*i + (size_t)more >= n)
        return -1;
    for (int k = 1; k <= more; k++) {
        if ((u[*i + (size_t)k] & 0xC0) != 0x80)
            return -1;
        cp = (cp << 6) | (u[*i + (size_t)k] & 0x3F);
    }
    *i += (size_t)more + 1;
    return cp;
}

static int is_separator(long cp)
{
    if (cp < 0x80)
        return !((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9'));
    return cp == 0xA0 || cp == 0x2018 || cp == 0x2019 || cp == 0x02BC || cp == 0x02BB ||
           cp == 0x060C || cp == 0x061B || cp == 0x061F || cp == 0x06D4 || cp == 0x2010 ||
           cp == 0x2011 || cp == 0x2013 || cp == 0x2014 || cp == 0x00B7 || cp == 0x3000 ||
           (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F;
}

static int is_arabic(long cp)
{
    return (cp >= 0x0600 && cp <= 0x06FF) || (cp >= 0x0750 && cp <= 0x077F);
}

/* Tashkeel, superscript alef, Quranic marks and tatweel: not letters. */
static int is_arabic_mark(long cp)
{
    return (cp >= 0x064B && cp <= 0x065F) || cp == 0x0670 || cp == 0x0640 ||
           (cp >= 0x06D6 && cp <= 0x06ED) || (cp >= 0x0610 && cp <= 0x061A);
}

/* ---- skeleton writing ---- */

typedef struct {
    char s[AWDA_NAMEKEY_SKEL_MAX];
    int n;
} skel_t;

static void put(skel_t *k, char c)
{
    if (k->n > 0 && k->s[k->n - 1] == c)
        return; /* doubled letters once */
    if (k->n + 1 < AWDA_NAMEKEY_SKEL_MAX)
        k->s[k->n++] = c;
    k->s[k->n] = '\0';
}

static void put_str(skel_t *k, const char *s)
{
    for (; *s; s++)
        put(k, *s);
}

/* The class of one Arabic letter: a class letter, 0 for a dropped one. */
static char arabic_class(long cp)
{
    switch (cp) {
    case 0x0628: /* ب */
    case 0x067E: /* پ */
        return 'b';
    case 0x0641: /* ف */
    case 0x06A4: /* ڤ */
        return 'f';
    case 0x062A: /* ت */
    case 0x0637: /* ط */
        return 't';
    case 0x062F: /* د */
    case 0x0636: /* ض */
    case 0x0630: /* ذ */
        return 'd';
    case 0x0633: /* س */
    case 0x0635: /* ص */
    case 0x062B: /* ث (Osman = Othman = عثمان) */
        return 's';
    case 0x0632: /* ز */
    case 0x0638: /* ظ */
        return 'z';
    case 0x0634: /* ش */
        return 'S';
    case 0x062C: /* ج */
        return 'j';
    case 0x0643: /* ك */
    case 0x06A9: /* ک */
    case 0x0642: /* ق */
        return 'k';
    case 0x063A: /* غ */
    case 0x06AF: /* گ */
        return 'g';
    case 0x062D: /* ح */
    case 0x0647: /* ه */
        return 'h';
    case 0x062E: /* خ */
        return KH_OWN_CLASS ? 'x' : 'h';
    case 0x0644: /* ل */
        return 'l';
    case 0x0645: /* م */
        return 'm';
    case 0x0646: /* ن */
        return 'n';
    case 0x0631: /* ر */
        return 'r';
    default: /* ا أ إ آ ٱ ء ئ ؤ ع و ي ى ی ة and anything else */
        return 0;
    }
}

/* Skeleton of an Arabic word given as code points (marks removed). */
static void arabic_skel(const long *cp, int n, skel_t *k)
{
    k->n = 0;
    k->s[0] = '\0';
    /* final ة ه ح are not written in Latin (Fatima, Abdalla, Salah) */
    while (n > 0 && (cp[n - 1] == 0x0629 || cp[n - 1] == 0x0647 || cp[n - 1] == 0x062D))
        n--;
    for (int i = 0; i < n; i++) {
        char c = arabic_class(cp[i]);
        if (c)
            put(k, c);
    }
}

static int lat_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y' || c == 'w';
}

/* Skeleton of a lower-case ASCII word (letters only). */
static void latin_skel(const char *t, skel_t *k)
{
    size_t n = strlen(t);
    k->n = 0;
    k->s[0] = '\0';
    /* a final h after a vowel is not a sound (Fatimah, Abdallah) */
    while (n >= 2 && t[n - 1] == 'h' && lat_vowel(t[n - 2]))
        n--;
    for (size_t i = 0; i < n; i++) {
        char c = t[i];
        char nx = i + 1 < n ? t[i + 1] : 0;
        char nx2 = i + 2 < n ? t[i + 2] : 0;
        if (c >= '0' && c <= '9') {
            put(k, c);
            continue;
        }
        if (lat_vowel(c))
            continue;
        switch (c) {
        case 's':
            if (nx == 'c' && nx2 == 'h') {
                put(k, 'S');
                i += 2;
            } else if (nx == 'h') {
                put(k, 'S');
                i++;
            } else {
                put(k, 's');
            }
            break;
        case 'c':
            if (nx == 'h') {
                put(k, 'S');
                i++;
            } else if (nx == 'k' || nx == 'q') {
                put(k, 'k');
                i++;
            } else if (nx == 'e' || nx == 'i' || nx == 'y') {
                put(k, 's');
            } else {
                put(k, 'k');
            }
            break;
        case 't':
        case 'd':
            if (nx == 'h') {
                put(k, c == 't' ? 's' : 'd'); /* th is ث: Othman = Osman */
                i++;
            } else if (c == 'd' && nx == 'j') {
                put(k, 'j');
                i++;
            } else if (c == 'd' && nx == 'g' && (nx2 == 'e' || nx2 == 'i' || nx2 == 'y')) {
                put(k, 'j');
                i++;
            } else {
                put(k, c);
            }
            break;
        case 'k':
            if (nx == 'h') {
                put(k, KH_OWN_CLASS ? 'x' : 'h');
                i++;
            } else {
                put(k, 'k');
            }
            break;
        case 'g':
            if (nx == 'h') {
                put(k, 'g'); /* gh is غ */
                i++;
            } else {
                put(k, 'j'); /* ج is g in Egypt and Sudan: Gamal, Farag */
            }
            break;
        case 'q':
            put(k, 'k');
            if (nx == 'u')
                i++;
            break;
        case 'p':
            if (nx == 'h') {
                put(k, 'f');
                i++;
            } else {
                put(k, 'b');
            }
            break;
        case 'v':
            put(k, 'f');
            break;
        case 'x':
            put(k, 'k');
            put(k, 's');
            break;
        default:
            if (c >= 'a' && c <= 'z')
                put(k, c);
            break;
        }
    }
}

/* ---- the Latin article ---- */

static const char *const separate_articles[] = {"al", "el", "ul",  "ad",  "an", "ar", "as",
                                                "at", "az", "ash", "adh", "ed", "en", "er",
                                                "es", "et", "ez",  "l",   NULL};

static int is_separate_article(const char *w)
{
    for (int i = 0; separate_articles[i]; i++)
        if (strcmp(w, separate_articles[i]) == 0)
            return 1;
    return 0;
}

/* Names that begin with al/el and a consonant but have no article: kept
 * whole, the stripped form added as alt. */
static const char *const al_names[] = {"alpha",  "alfa",   "almaz",  "alseny", "elham",
                                       "elsa",   "alma",   "alfred", "elmi",   "almami",
                                       "almamy", "alkaly", "alkali", "elvis",  NULL};

static int is_al_name(const char *w)
{
    for (int i = 0; al_names[i]; i++)
        if (strcmp(w, al_names[i]) == 0)
            return 1;
    return 0;
}

/* Assimilated attached article kept in the Latin form for these names. */
static const char *const assim_names[] = {"assane", "assetou", "assa",  "attia",
                                          "essa",   "ennedi",  "addis", NULL};

static int is_sun(char c)
{
    return c == 't' || c == 'd' || c == 'r' || c == 'z' || c == 's' || c == 'n' || c == 'l';
}

enum { ART_NONE, ART_SURE, ART_MAYBE };

/* How many leading letters of the Latin word w are an attached article, and
 * how sure that is. */
static int latin_article(const char *w, size_t *cut)
{
    size_t n = strlen(w);
    *cut = 0;
    if (n >= 5 && (w[0] == 'a' || w[0] == 'e') && w[1] == 'l') {
        char c = w[2];
        if (lat_vowel(c) && c != 'w' && c != 'y') {
            *cut = 2;
            return ART_MAYBE; /* Alassane, Elias, Alali */
        }
        *cut = 2;
        return is_al_name(w) ? ART_MAYBE : ART_SURE; /* Elzahra, Alnour */
    }
    if (n >= 6 && (w[0] == 'a' || w[0] == 'e') && is_sun(w[1]) && w[2] == w[1]) {
        for (int i = 0; assim_names[i]; i++)
            if (strcmp(w, assim_names[i]) == 0)
                return ART_NONE;
        *cut = 2; /* Azzahra → zahra, Ennour → nour (skeleton unchanged) */
        return ART_SURE;
    }
    return ART_NONE;
}

/* ---- words ---- */

typedef struct {
    char latin[AWDA_NAMEKEY_LATIN_MAX];
    skel_t sk;
    int arabic;
    int had_article; /* the article was removed from it or stood before it */
    int has_alt;
    char alt_latin[AWDA_NAMEKEY_LATIN_MAX];
    skel_t alt_sk;
} raw_t;

static void copy_letters(char *dst, size_t cap, const char *src)
{
    size_t o = 0;
    for (; *src && o + 1 < cap; src++)
        if ((*src >= 'a' && *src <= 'z') || (*src >= '0' && *src <= '9'))
            dst[o++] = *src;
    dst[o] = '\0';
}

/* Reads one word (UTF-8 bytes w[0..n)) into *r. Returns 1 for a word, 2 for
 * an article standing alone, 0 for a word with no letters, -1 on failure. */
static int read_word(const char *w, size_t n, raw_t *r)
{
    long cp[WORD_BYTES];
    int ncp = 0, arabic = 0;
    memset(r, 0, sizeof *r);
    for (size_t i = 0; i < n && ncp < WORD_BYTES;) {
        long c = utf8_next(w, n, &i);
        if (c < 0)
            return -1;
        if (is_arabic(c))
            arabic = 1;
        if (is_arabic_mark(c))
            continue;
        cp[ncp++] = c;
    }
    if (arabic) {
        int start = 0;
        r->arabic = 1;
        if (ncp == 2 && (cp[0] == 0x0627 || cp[0] == 0x0671) && cp[1] == 0x0644)
            return 2; /* ال standing alone */
        /* ال / ٱل: the article, when more than one letter follows */
        if (ncp > 3 && (cp[0] == 0x0627 || cp[0] == 0x0671) && cp[1] == 0x0644) {
            start = 2;
            r->had_article = 1;
        }
        arabic_skel(cp + start, ncp - start, &r->sk);
        /* the Latin form: ICU of the word without its article */
        char u8[WORD_BYTES * 4], lat[AWDA_NAMEKEY_LATIN_MAX * 2];
        size_t o = 0;
        for (int i = start; i < ncp && o + 4 < sizeof u8; i++) {
            long c = cp[i];
            if (c < 0x80) {
                u8[o++] = (char)c;
            } else if (c < 0x800) {
                u8[o++] = (char)(0xC0 | (c >> 6));
                u8[o++] = (char)(0x80 | (c & 0x3F));
            } else if (c < 0x10000) {
                u8[o++] = (char)(0xE0 | (c >> 12));
                u8[o++] = (char)(0x80 | ((c >> 6) & 0x3F));
                u8[o++] = (char)(0x80 | (c & 0x3F));
            } else {
                u8[o++] = (char)(0xF0 | (c >> 18));
                u8[o++] = (char)(0x80 | ((c >> 12) & 0x3F));
                u8[o++] = (char)(0x80 | ((c >> 6) & 0x3F));
                u8[o++] = (char)(0x80 | (c & 0x3F));
            }
        }
        if (awda_to_latin(u8, o, lat, sizeof lat) != 0)
            return -1;
        copy_letters(r->latin, sizeof r->latin, lat);
        r->arabic = 1;
        return (r->sk.n > 0 || r->latin[0]) ? 1 : (ncp > start ? 1 : 0);
    }
    char lat[AWDA_NAMEKEY_LATIN_MAX * 2];
    if (awda_to_latin(w, n, lat, sizeof lat) != 0)
        return -1;
    copy_letters(r->latin, sizeof r->latin, lat);
    if (!r->latin[0])
        return 0;
    if (is_separate_article(r->latin))
        return 2;
    size_t cut = 0;
    int art = latin_article(r->latin, &cut);
    if (art == ART_SURE) {
        memmove(r->latin, r->latin + cut, strlen(r->latin + cut) + 1);
        r->had_article = 1;
    } else if (art == ART_MAYBE) {
        r->has_alt = 1;
        size_t rest = strlen(r->latin + cut);
        memcpy(r->alt_latin, r->latin + cut, rest + 1); /* both fit LATIN_MAX */
        latin_skel(r->alt_latin, &r->alt_sk);
    }
    latin_skel(r->latin, &r->sk);
    return 1;
}

/* abd, abdel, abdul, abdoul, abdou, abdi, عبد: their skeleton is bd or bdl
 * and they begin a compound name. */
static int is_abd(const raw_t *r)
{
    if (r->arabic)
        return strcmp(r->sk.s, "bd") == 0 && strlen(r->latin) <= 4;
    static const char *const forms[] = {"abd",   "abdel", "abdul", "abdoul", "abdu",
                                        "abdou", "abdal", "abdil", "abdol",  NULL};
    for (int i = 0; forms[i]; i++)
        if (strcmp(r->latin, forms[i]) == 0)
            return 1;
    return 0;
}

/* الدين, eldin, al-din; الله, allah, ullah: the second word of a compound
 * name written joined as often as apart (Nasreldin, Dafalla). */
static int joins_before(const raw_t *r)
{
    if (r->had_article && (strcmp(r->sk.s, "dn") == 0 || strcmp(r->sk.s, "l") == 0))
        return 1;
    return !r->arabic && (strcmp(r->latin, "ullah") == 0 || strcmp(r->latin, "ulla") == 0);
}

static void add_word(awda_namekey_t *out, const char *latin, const char *skel, int arabic, int alt,
                     int pos)
{
    if (out->n >= AWDA_NAMEKEY_MAX_WORDS)
        return;
    awda_nameword_t *w = &out->w[out->n++];
    memset(w, 0, sizeof *w);
    snprintf(w->latin, sizeof w->latin, "%s", latin);
    snprintf(w->skel, sizeof w->skel, "%s", skel);
    w->arabic = (unsigned char)(arabic != 0);
    w->alt = (unsigned char)(alt != 0);
    w->pos = (unsigned char)pos;
}

int awda_namekey(const char *name, size_t len, awda_namekey_t *out)
{
    raw_t raw[AWDA_NAMEKEY_MAX_WORDS], article;
    int nraw = 0, pending_article = 0;
    memset(out, 0, sizeof *out);
    if (!name)
        return 0;
    if (awda_norm_init() != 0)
        return -1;
    size_t i = 0;
    while (i < len && nraw < AWDA_NAMEKEY_MAX_WORDS) {
        /* skip separators */
        size_t s = i;
        long c = 0;
        while (i < len) {
            size_t j = i;
            c = utf8_next(name, len, &j);
            if (c < 0)
                return -1;
            if (!is_separator(c) || c == 0)
                break;
            i = j;
        }
        if (i >= len || c == 0)
            break;
        s = i;
        while (i < len) {
            size_t j = i;
            c = utf8_next(name, len, &j);
            if (c < 0)
                return -1;
            if (is_separator(c))
                break;
            i = j;
        }
        size_t wn = i - s;
        if (wn > WORD_BYTES)
            wn = WORD_BYTES;
        while (wn > 0 && wn < i - s && ((unsigned char)name[s + wn] & 0xC0) == 0x80)
            wn--;
        raw_t *r = &raw[nraw];
        int got = read_word(name + s, wn, r);
        if (got < 0)
            return -1;
        if (got == 0)
            continue;
        if (got == 2) { /* the article alone: ال, al, el, az, … */
            article = *r;
            pending_article = 1;
            continue;
        }
        if (pending_article)
            r->had_article = 1;
        pending_article = 0;
        nraw++;
    }
    if (pending_article && nraw < AWDA_NAMEKEY_MAX_WORDS) {
        /* an article as the last word was a name after all ("Al") */
        raw[nraw] = article;
        if (article.arabic) {
            snprintf(raw[nraw].latin, sizeof raw[nraw].latin, "al");
            raw[nraw].sk.n = 1;
            memcpy(raw[nraw].sk.s, "l", 2);
        } else {
            latin_skel(raw[nraw].latin, &raw[nraw].sk);
        }
        nraw++;
    }
    for (int k = 0; k < nraw; k++) {
        raw_t *r = &raw[k];
        add_word(out, r->latin, r->sk.s, r->arabic, 0, k);
        if (r->has_alt && strcmp(r->alt_sk.s, r->sk.s) != 0)
            add_word(out, r->alt_latin, r->alt_sk.s, r->arabic, 1, k);
        if (k + 1 < nraw && (is_abd(r) || joins_before(&raw[k + 1]))) {
            const raw_t *q = &raw[k + 1];
            skel_t j = r->sk;
            char jl[AWDA_NAMEKEY_LATIN_MAX];
            int art = q->had_article && !(j.n > 0 && j.s[j.n - 1] == 'l');
            if (art)
                put(&j, 'l');
            put_str(&j, q->sk.s);
            snprintf(jl, sizeof jl, "%s%s%s", r->latin, art ? "l" : "", q->latin);
            add_word(out, jl, j.s, r->arabic, 1, k);
        }
    }
    return out->n;
}

/* ---- deletes, distance, similarity, hash ---- */

int awda_namekey_deletes(const char *skel, char out[][AWDA_NAMEKEY_SKEL_MAX], int max)
{
    size_t n = strlen(skel);
    int got = 0;
    if (n < 3 || n >= AWDA_NAMEKEY_SKEL_MAX)
        return 0;
    for (size_t i = 0; i < n && got < max; i++) {
        char d[AWDA_NAMEKEY_SKEL_MAX];
        memcpy(d, skel, i);
        memcpy(d + i, skel + i + 1, n - i);
        int dup = 0;
        for (int k = 0; k < got; k++)
            if (strcmp(out[k], d) == 0)
                dup = 1;
        if (!dup)
            memcpy(out[got++], d, n);
    }
    return got;
}

#define DIST_MAX 64 /* letters of each string compared (longer are cut) */

int awda_namekey_distance(const char *a, const char *b, int cap)
{
    int n = (int)strnlen(a, DIST_MAX), m = (int)strnlen(b, DIST_MAX);
    int r0[DIST_MAX + 1], r1[DIST_MAX + 1], r2[DIST_MAX + 1];
    int *pp = r0, *p = r1, *c = r2;
    if (cap <= 0)
        return 0;
    if (n - m >= cap || m - n >= cap)
        return cap;
    for (int j = 0; j <= m; j++)
        p[j] = j;
    for (int i = 1; i <= n; i++) {
        c[0] = i;
        int rowmin = c[0];
        for (int j = 1; j <= m; j++) {
            int cost = a[i - 1] != b[j - 1];
            int v = p[j - 1] + cost;
            if (p[j] + 1 < v)
                v = p[j] + 1;
            if (c[j - 1] + 1 < v)
                v = c[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
                v = pp[j - 2] + 1;
            c[j] = v;
            if (v < rowmin)
                rowmin = v;
        }
        if (rowmin >= cap)
            return cap;
        int *t = pp;
        pp = p;
        p = c;
        c = t;
    }
    return p[m] < cap ? p[m] : cap;
}

int awda_namekey_similarity(const char *a, const char *b)
{
    int n = (int)strnlen(a, DIST_MAX), m = (int)strnlen(b, DIST_MAX);
    if (n == 0 && m == 0)
        return 10000;
    if (n == 0 || m == 0)
        return 0;
    int win = (n > m ? n : m) / 2 - 1;
    if (win < 0)
        win = 0;
    unsigned char ma[DIST_MAX] = {0}, mb[DIST_MAX] = {0};
    int matches = 0;
    for (int i = 0; i < n; i++) {
        int lo = i - win > 0 ? i - win : 0, hi = i + win + 1 < m ? i + win + 1 : m;
        for (int j = lo; j < hi; j++) {
            if (!mb[j] && a[i] == b[j]) {
                ma[i] = mb[j] = 1;
                matches++;
                break;
            }
        }
    }
    if (matches == 0)
        return 0;
    int t = 0;
    for (int i = 0, j = 0; i < n; i++) {
        if (!ma[i])
            continue;
        while (!mb[j])
            j++;
        if (a[i] != b[j])
            t++;
        j++;
    }
    double md = matches;
    double jaro = (md / n + md / m + (md - t / 2.0) / md) / 3.0;
    int prefix = 0;
    while (prefix < 4 && prefix < n && prefix < m && a[prefix] == b[prefix])
        prefix++;
    double jw = jaro + prefix * 0.1 * (1.0 - jaro);
    int bp = (int)(jw * 10000.0 + 0.5);
    return bp > 10000 ? 10000 : bp;
}

/* The key of SipHash-2-4 (libsodium's crypto_shorthash). Not a secret:
 * the keys are blocking keys of an index, not a defence, and every
 * database of every office must agree on them (migration 26 made the
 * stored keys with it). */
static const unsigned char NAMEKEY_HASH_KEY[crypto_shorthash_KEYBYTES] = {
    'a', 'w', 'd', 'a', '-', 'n', 'a', 'm', 'e', 'k', 'e', 'y', '-', 'v', '2', '6'};

int64_t awda_namekey_hash(char kind, const char *const *parts, int n)
{
    /* kind, then each part preceded by its length in 4 bytes (little
     * endian) so ("ab","c") and ("a","bc") differ; a message longer than
     * the buffer (never a word of a name) is hashed by its BLAKE2b-128
     * digest, marked by a length of all ones */
    unsigned char buf[AWDA_NAMEKEY_HASH_BYTES];
    size_t m = 0;
    int fits = 1;
    buf[m++] = (unsigned char)kind;
    for (int i = 0; i < n && fits; i++) {
        const char *s = parts[i] ? parts[i] : "";
        size_t len = strlen(s);
        if (len > sizeof buf - m - 4) {
            fits = 0;
            break;
        }
        for (int b = 0; b < 4; b++)
            buf[m++] = (unsigned char)((len >> (8 * b)) & 0xFF);
        memcpy(buf + m, s, len);
        m += len;
    }
    if (!fits) {
        crypto_generichash_state st;
        unsigned char k = (unsigned char)kind;
        crypto_generichash_init(&st, NULL, 0, 16);
        crypto_generichash_update(&st, &k, 1);
        for (int i = 0; i < n; i++) {
            const char *s = parts[i] ? parts[i] : "";
            size_t len = strlen(s);
            unsigned char l[4] = {(unsigned char)(len & 0xFF), (unsigned char)((len >> 8) & 0xFF),
                                  (unsigned char)((len >> 16) & 0xFF),
                                  (unsigned char)((len >> 24) & 0xFF)};
            crypto_generichash_update(&st, l, sizeof l);
            crypto_generichash_update(&st, (const unsigned char *)s, len);
        }
        m = 0;
        buf[m++] = (unsigned char)kind;
        memset(buf + m, 0xFF, 4);
        m += 4;
        crypto_generichash_final(&st, buf + m, 16);
        m += 16;
    }
    unsigned char h[crypto_shorthash_BYTES];
    crypto_shorthash(h, buf, m, NAMEKEY_HASH_KEY);
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = (v << 8) | h[i];
    int64_t r = (int64_t)v;
    return r == 0 ? 1 : r;
}
