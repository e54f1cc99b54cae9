/*
 * norm.c — transliteration and skeleton keys with ICU (see norm.h).
 *
 * Each thread has its own transliterator (cloned from one compiled
 * prototype) and a small cache of what it transliterated: names repeat
 * (Mohamed, Fatima, Traoré), and ICU's rules cost microseconds a word
 * where the cache costs a hash and a comparison. The cache is direct
 * mapped (LATIN_CACHE entries, a later word takes the slot), holds short
 * inputs only, and is freed with the transliterator when the thread ends
 * or calls awda_norm_thread_done.
 */
#include "norm.h"
#include "../util/mem.h"
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

#define NORM_MAX_UCHARS 1024
#define LATIN_CACHE     2048 /* entries, a power of two */
#define LATIN_IN_MAX    46   /* bytes of an input kept in the cache */
#define LATIN_OUT_MAX   48   /* bytes of its output, NUL included */

typedef struct {
    uint64_t hash; /* 0: empty */
    unsigned char in_len;
    char in[LATIN_IN_MAX];
    char out[LATIN_OUT_MAX];
} latin_entry_t;

/* A thread's own: its transliterator and its cache. */
typedef struct {
    UTransliterator *t;
    latin_entry_t *cache; /* LATIN_CACHE entries, or NULL (out of memory) */
} mine_t;

static UTransliterator *proto;
static pthread_mutex_t proto_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_key_t mine_key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

static void mine_free(void *p)
{
    mine_t *m = p;
    if (m->t)
        utrans_close(m->t);
    free(m->cache);
    free(m);
}

static void make_key(void)
{
    pthread_key_create(&mine_key, mine_free);
}

static pthread_once_t proto_once = PTHREAD_ONCE_INIT;

/* Compiling the rules takes ICU tens of milliseconds: done once, on first
 * use or by awda_norm_warm_async() in the background. */
static void open_proto(void)
{
    static const char *rules = "Any-Latin; Latin-ASCII; Lower";
    UChar id[64];
    UErrorCode err = U_ZERO_ERROR;
    u_uastrcpy(id, rules);
    proto = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &err);
    if (U_FAILURE(err))
        proto = NULL;
}

int awda_norm_init(void)
{
    pthread_once(&key_once, make_key);
    pthread_once(&proto_once, open_proto);
    return proto ? 0 : -1;
}

static void *warm(void *arg)
{
    (void)arg;
    awda_norm_init();
    return NULL;
}

void awda_norm_warm_async(void)
{
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&t, &attr, warm, NULL) != 0)
        awda_norm_init();
    pthread_attr_destroy(&attr);
}

void awda_norm_shutdown(void)
{
    awda_norm_init(); /* waits for a background opening still under way */
    awda_norm_thread_done();
    if (proto)
        utrans_close(proto);
    proto = NULL;
}

void awda_norm_thread_done(void)
{
    pthread_once(&key_once, make_key);
    mine_t *mine = pthread_getspecific(mine_key);
    if (mine)
        mine_free(mine);
    pthread_setspecific(mine_key, NULL);
}

static mine_t *thread_mine(void)
{
    if (awda_norm_init() != 0)
        return NULL;
    mine_t *mine = pthread_getspecific(mine_key);
    if (!mine && proto) {
        mine = calloc(1, sizeof *mine);
        if (!mine)
            return NULL;
        UErrorCode err = U_ZERO_ERROR;
        pthread_mutex_lock(&proto_lock);
        mine->t = utrans_clone(proto, &err);
        pthread_mutex_unlock(&proto_lock);
        if (U_FAILURE(err) || !mine->t) {
            mine_free(mine);
            return NULL;
        }
        mine->cache = calloc(LATIN_CACHE, sizeof *mine->cache);
        pthread_setspecific(mine_key, mine);
    }
    return mine;
}

/* FNV-1a of the bytes, never 0. */
static uint64_t bytes_hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h ? h : 1;
}

static int to_latin(UTransliterator *t, const char *name, size_t n, char *out, size_t cap);

int awda_to_latin(const char *name, size_t n, char *out, size_t cap)
{
    mine_t *m = thread_mine();
    if (!m || cap == 0)
        return -1;
    if (!m->cache || n > LATIN_IN_MAX)
        return to_latin(m->t, name, n, out, cap);
    uint64_t h = bytes_hash(name, n);
    latin_entry_t *e = &m->cache[h & (LATIN_CACHE - 1)];
    if (e->hash != h || e->in_len != n || memcmp(e->in, name, n) != 0) {
        char full[LATIN_OUT_MAX + 1];
        if (to_latin(m->t, name, n, full, sizeof full) != 0)
            return -1;
        if (strlen(full) >= LATIN_OUT_MAX) /* too long to keep */
            return to_latin(m->t, name, n, out, cap);
        e->hash = h;
        e->in_len = (unsigned char)n;
        memcpy(e->in, name, n);
        memcpy(e->out, full, strlen(full) + 1);
    }
    size_t len = strlen(e->out);
    if (len >= cap)
        len = cap - 1;
    memcpy(out, e->out, len);
    out[len] = '\0';
    return 0;
}

/* awda_to_latin without the cache. */
static int to_latin(UTransliterator *t, const char *name, size_t n, char *out, size_t cap)
{
    UChar u[NORM_MAX_UCHARS];
    int32_t ulen = 0;
    UErrorCode err = U_ZERO_ERROR;
    if (!t || cap == 0)
        return -1;
    /* Names longer than this are cut (at a character boundary): every
     * UTF-8 character gives at most two UTF-16 units, so NORM_MAX_UCHARS/4
     * bytes always fit in half the buffer, leaving room to transliterate. */
    size_t max_in = NORM_MAX_UCHARS / 4;
    if (n > max_in) {
        n = max_in;
        while (n > 0 && ((unsigned char)name[n] & 0xC0) == 0x80)
            n--;
    }
    u_strFromUTF8Lenient(u, NORM_MAX_UCHARS / 2, &ulen, name, (int32_t)n, &err);
    if (U_FAILURE(err))
        return -1;
    /* Ta marbuta reads as a final vowel; alef maqsura likewise. */
    for (int32_t i = 0; i < ulen; i++) {
        if (u[i] == 0x0629 || u[i] == 0x0649)
            u[i] = 'a';
    }
    int32_t limit = ulen;
    utrans_transUChars(t, u, &ulen, NORM_MAX_UCHARS, 0, &limit, &err);
    if (U_FAILURE(err))
        return -1;
    size_t o = 0;
    for (int32_t i = 0; i < ulen && o + 1 < cap; i++) {
        UChar c = u[i];
        if (c < 0x80)
            out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    out[o] = '\0';
    return 0;
}

static int is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y' || c == 'w';
}

/* Skeleton of one ASCII lower-case token into out (cap bytes). */
static size_t skeleton(const char *t, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o + 2 < cap; i++) {
        char c = t[i];
        char prev = i ? t[i - 1] : 0;
        if (c >= '0' && c <= '9') {
            out[o++] = c;
            continue;
        }
        if (is_vowel(c))
            continue;
        if (c == 'h' && prev && strchr("kscgtdp", prev))
            continue; /* digraph: kh sh ch gh th dh ph */
        if (c == 'j' && prev == 'd' && o > 0 && out[o - 1] == 'd')
            o--; /* dj -> j */
        switch (c) {
        case 'q':
        case 'c':
            c = (c == 'c' && i + 1 < n && t[i + 1] == 'h') ? 's' : 'k';
            break;
        case 'p':
            c = 'b';
            break;
        case 'v':
            c = 'f';
            break;
        case 'g':
            c = 'j';
            break;
        case 'z':
            c = 's';
            break;
        case 'x':
            if (!(o > 0 && out[o - 1] == 'k'))
                out[o++] = 'k';
            c = 's';
            break;
        default:
            break;
        }
        if (o > 0 && out[o - 1] == c)
            continue;
        out[o++] = c;
    }
    out[o] = '\0';
    return o;
}

int awda_name_keys(const char *name, size_t n, int pairs, awda_name_keys_t *out)
{
    char latin[NORM_MAX_UCHARS];
    char toks[AWDA_SEARCH_MAX_TERMS][AWDA_NAME_KEY_MAX];
    int ntok = 0;
    out->count = 0;
    if (awda_to_latin(name, n, latin, sizeof latin) != 0)
        return -1;
    const char *p = latin;
    while (*p && ntok < AWDA_SEARCH_MAX_TERMS) {
        while (*p && !((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
            p++;
        const char *s = p;
        while ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
            p++;
        if (p > s && skeleton(s, (size_t)(p - s), toks[ntok], AWDA_NAME_KEY_MAX) > 0)
            ntok++;
    }
    int max = (int)(sizeof out->key / sizeof out->key[0]);
    for (int i = 0; i < ntok && out->count < max; i++) {
        memcpy(out->key[out->count++], toks[i], AWDA_NAME_KEY_MAX);
    }
    for (int i = 0; pairs && i + 1 < ntok && out->count < max; i++) {
        size_t a = strlen(toks[i]);
        char *k = out->key[out->count];
        memcpy(k, toks[i], a);
        size_t o = a;
        for (const char *q = toks[i + 1]; *q && o + 1 < AWDA_NAME_KEY_MAX; q++) {
            if (o > 0 && k[o - 1] == *q)
                continue;
            k[o++] = *q;
        }
        k[o] = '\0';
        out->count++;
    }
    return out->count;
}

char *awda_nfc(const char *s, size_t n)
{
    UErrorCode err = U_ZERO_ERROR;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&err);
    if (U_FAILURE(err) || n > 65536)
        return NULL;
    int32_t cap = (int32_t)n * 2 + 16, ulen = 0;
    UChar *u = awda_malloc(sizeof(UChar) * (size_t)cap);
    UChar *v = awda_malloc(sizeof(UChar) * (size_t)cap * 2);
    char *outp = NULL;
    if (!u || !v)
        goto fail;
    u_strFromUTF8(u, cap, &ulen, s, (int32_t)n, &err);
    if (U_FAILURE(err))
        goto fail;
    int32_t vlen = unorm2_normalize(nfc, u, ulen, v, cap * 2, &err);
    if (U_FAILURE(err))
        goto fail;
    int32_t olen = 0;
    outp = awda_malloc((size_t)vlen * 3 + 1);
    if (!outp)
        goto fail;
    u_strToUTF8(outp, vlen * 3 + 1, &olen, v, vlen, &err);
    if (U_FAILURE(err)) {
        free(outp);
        outp = NULL;
    }
fail:
    free(u);
    free(v);
    return outp;
}

int awda_upper(const char *s, char *out, size_t cap)
{
    if (!cap)
        return -1;
    UChar in[512], up[512];
    int32_t n = 0, m = 0, o = 0;
    UErrorCode e = U_ZERO_ERROR;
    u_strFromUTF8(in, 512, &n, s, -1, &e);
    if (U_SUCCESS(e) && e != U_STRING_NOT_TERMINATED_WARNING)
        m = u_strToUpper(up, 512, in, n, "", &e);
    if (U_SUCCESS(e) && e != U_STRING_NOT_TERMINATED_WARNING)
        u_strToUTF8(out, (int32_t)(cap > INT32_MAX ? INT32_MAX : cap), &o, up, m, &e);
    if (U_SUCCESS(e) && e != U_STRING_NOT_TERMINATED_WARNING && (size_t)o < cap)
        return 0;
    size_t i = 0;
    for (; s[i] && i + 1 < cap; i++)
        out[i] = (s[i] >= 'a' && s[i] <= 'z') ? (char)(s[i] - 32) : s[i];
    if (s[i]) /* cut: never inside a character */
        while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
            i--;
    out[i] = '\0';
    return -1;
}
