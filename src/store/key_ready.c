/*
 * key_ready.c — the keys of persons made before their writer job
 * (store.h, store_keys_ready_*).
 *
 * A person written brings three sets of keys: the name keys of
 * person_name_keys (text, norm.c), the search keys (person_search_keys.c) and
 * the duplicate keys (dup_keys.c). Making them — ICU transliteration,
 * skeletons, deletes, hashes — is a fifth of an import's writer thread,
 * the one thread every write waits for. An import makes them for the
 * batch it prepares while the writer writes the batch before
 * (app/import_pass.c), and hands them to the batch's job
 * (store_keys_ready_use); registration makes them on the request thread
 * before its job (app/cases.c). person_children (persons.c) takes a
 * person's keys from there instead of making them.
 *
 * The set is found by content, not by object: an entry keeps the four
 * inputs the keys are made from (name, name_latin, date_of_birth,
 * contact.phone, each with whether it is present), and a person's keys
 * are taken only when all four are equal — the keys are what the writer
 * would have made, whatever became of the JSON between the two threads.
 * A person not found (or whose keys could not be made: ICU failed, the
 * arena full) gets them made in the job as before.
 *
 * Memory: one arena (inputs, then text keys NUL-terminated, then the two
 * arrays of 64-bit keys, per entry) of at most AWDA_KEYS_READY_BYTES
 * (util/limits.h),
 * and an open-addressing table of entry numbers. A set belongs to the one
 * thread that adds to it; a job reads it while nobody adds.
 */
#include "internal.h"
#include "duplicates.h"
#include "../text/norm.h"
#include <stdint.h>

typedef struct {
    uint64_t h;
    size_t off; /* into the arena: inputs, text keys, search keys, dup keys */
    uint32_t in_len, text_len;
    uint16_t nsearch, ndup, ntext;
} entry_t;

struct store_keys_ready {
    unsigned char *a; /* the arena */
    size_t len, cap;
    entry_t *e;
    size_t n, ecap;
    uint32_t *slot; /* entry number + 1, 0 empty */
    size_t nslot;   /* a power of two, at least twice n */
};

store_keys_ready_t *store_keys_ready_new(void)
{
    return calloc(1, sizeof(store_keys_ready_t));
}

void store_keys_ready_clear(store_keys_ready_t *r)
{
    if (!r)
        return;
    r->len = 0;
    r->n = 0;
    if (r->slot)
        memset(r->slot, 0, r->nslot * sizeof *r->slot);
}

void store_keys_ready_free(store_keys_ready_t *r)
{
    if (!r)
        return;
    free(r->a);
    free(r->e);
    free(r->slot);
    free(r);
}

/* ---- the inputs ---- */

typedef struct {
    const char *v[4]; /* name, name_latin, date_of_birth, phone; NULL absent */
} inputs_t;

static void inputs_of(const json_t *p, inputs_t *in)
{
    in->v[0] = jstr(p, "name");
    in->v[1] = jstr(p, "name_latin");
    in->v[2] = jstr(p, "date_of_birth");
    in->v[3] = jstr(json_object_get(p, "contact"), "phone");
}

/* FNV-1a over the inputs, each with its presence and end. */
static uint64_t inputs_hash(const inputs_t *in)
{
    uint64_t h = UINT64_C(1469598103934665603);
    for (int i = 0; i < 4; i++) {
        const unsigned char *s = (const unsigned char *)in->v[i];
        h = (h ^ (s ? 1u : 2u)) * UINT64_C(1099511628211);
        for (; s && *s; s++)
            h = (h ^ *s) * UINT64_C(1099511628211);
        h = (h ^ 0xFFu) * UINT64_C(1099511628211);
    }
    return h;
}

/* The inputs as stored: per input a presence byte, the text and a NUL. */
static size_t inputs_size(const inputs_t *in)
{
    size_t n = 0;
    for (int i = 0; i < 4; i++)
        n += 2 + (in->v[i] ? strlen(in->v[i]) : 0);
    return n;
}

static void inputs_put(const inputs_t *in, unsigned char *out)
{
    for (int i = 0; i < 4; i++) {
        *out++ = in->v[i] ? 1 : 0;
        size_t l = in->v[i] ? strlen(in->v[i]) : 0;
        memcpy(out, in->v[i] ? in->v[i] : "", l);
        out += l;
        *out++ = '\0';
    }
}

static int inputs_equal(const inputs_t *in, const unsigned char *s, size_t len)
{
    const unsigned char *end = s + len;
    for (int i = 0; i < 4; i++) {
        if (s >= end || *s++ != (in->v[i] ? 1 : 0))
            return 0;
        size_t l = in->v[i] ? strlen(in->v[i]) : 0;
        if ((size_t)(end - s) < l + 1 || memcmp(s, in->v[i] ? in->v[i] : "", l) != 0 ||
            s[l] != '\0')
            return 0;
        s += l + 1;
    }
    return s == end;
}

/* ---- adding ---- */

static int arena_room(store_keys_ready_t *r, size_t more)
{
    if (r->len + more <= r->cap)
        return 0;
    if (r->len + more > AWDA_KEYS_READY_BYTES)
        return -1;
    size_t cap = r->cap ? r->cap : 4096;
    while (cap < r->len + more)
        cap *= 2;
    if (cap > AWDA_KEYS_READY_BYTES)
        cap = AWDA_KEYS_READY_BYTES;
    unsigned char *a = realloc(r->a, cap);
    if (!a)
        return -1;
    r->a = a;
    r->cap = cap;
    return 0;
}

static void slot_put(store_keys_ready_t *r, size_t idx)
{
    size_t mask = r->nslot - 1, i = (size_t)r->e[idx].h & mask;
    while (r->slot[i])
        i = (i + 1) & mask;
    r->slot[i] = (uint32_t)(idx + 1);
}

static int entries_room(store_keys_ready_t *r)
{
    if (r->n == r->ecap) {
        size_t cap = r->ecap ? r->ecap * 2 : 8;
        entry_t *e = realloc(r->e, cap * sizeof *e);
        if (!e)
            return -1;
        r->e = e;
        r->ecap = cap;
    }
    if (2 * (r->n + 1) > r->nslot) {
        size_t ns = r->nslot ? r->nslot * 2 : 16;
        uint32_t *s = calloc(ns, sizeof *s);
        if (!s)
            return -1;
        free(r->slot);
        r->slot = s;
        r->nslot = ns;
        for (size_t i = 0; i < r->n; i++)
            slot_put(r, i);
    }
    return 0;
}

int store_keys_ready_add(store_keys_ready_t *r, const json_t *p)
{
    inputs_t in;
    inputs_of(p, &in);
    /* the text keys, as person_children makes them: name, then name_latin */
    awda_name_keys_t nk[2];
    int nn[2] = {0, 0};
    for (int k = 0; k < 2; k++) {
        if (in.v[k] && (nn[k] = awda_name_keys(in.v[k], strlen(in.v[k]), 1, &nk[k])) < 0)
            return -1; /* ICU failed: the job tries again */
    }
    int64_t search[AWDA_SEARCH_KEYS_MAX], dup[AWDA_DUP_KEYS_MAX];
    int ns = store_search_keys_make(in.v[0], in.v[1], in.v[3], search);
    dup_names_t dn = {in.v[0], in.v[1], in.v[2]};
    int nd = dup_keys_make(&dn, dup, AWDA_DUP_KEYS_MAX);
    if (nd < 0)
        return -1;
    size_t in_len = inputs_size(&in), text_len = 0;
    for (int k = 0; k < 2; k++)
        for (int j = 0; j < nn[k]; j++)
            text_len += strlen(nk[k].key[j]) + 1;
    size_t need = in_len + text_len + 8 + ((size_t)ns + (size_t)nd) * sizeof(int64_t);
    if (entries_room(r) < 0 || arena_room(r, need) < 0)
        return -1;
    entry_t *e = &r->e[r->n];
    e->h = inputs_hash(&in);
    e->off = r->len;
    e->in_len = (uint32_t)in_len;
    e->text_len = (uint32_t)text_len;
    e->ntext = (uint16_t)(nn[0] + nn[1]);
    e->nsearch = (uint16_t)ns;
    e->ndup = (uint16_t)nd;
    unsigned char *w = r->a + r->len;
    inputs_put(&in, w);
    w += in_len;
    for (int k = 0; k < 2; k++)
        for (int j = 0; j < nn[k]; j++) {
            size_t l = strlen(nk[k].key[j]) + 1;
            memcpy(w, nk[k].key[j], l);
            w += l;
        }
    /* the 64-bit keys aligned */
    size_t pad = (8 - (size_t)(w - r->a) % 8) % 8;
    w += pad;
    memcpy(w, search, (size_t)ns * sizeof *search);
    w += (size_t)ns * sizeof *search;
    memcpy(w, dup, (size_t)nd * sizeof *dup);
    w += (size_t)nd * sizeof *dup;
    r->len = (size_t)(w - r->a);
    slot_put(r, r->n);
    r->n++;
    return 0;
}

/* ---- using ---- */

void store_keys_ready_use(store_conn_t *c, const store_keys_ready_t *r)
{
    c->ready = r;
}

int store_keys_ready_find(store_conn_t *c, const json_t *p, store_person_keys_t *out)
{
    const store_keys_ready_t *r = c->ready;
    if (!r || !r->n)
        return 0;
    inputs_t in;
    inputs_of(p, &in);
    uint64_t h = inputs_hash(&in);
    size_t mask = r->nslot - 1;
    for (size_t i = (size_t)h & mask; r->slot[i]; i = (i + 1) & mask) {
        const entry_t *e = &r->e[r->slot[i] - 1];
        if (e->h != h || !inputs_equal(&in, r->a + e->off, e->in_len))
            continue;
        const unsigned char *w = r->a + e->off + e->in_len;
        out->text = (const char *)w;
        out->ntext = e->ntext;
        w += e->text_len;
        w += (8 - (size_t)(w - r->a) % 8) % 8;
        out->search = (const int64_t *)(const void *)w;
        out->nsearch = e->nsearch;
        out->dup = out->search + e->nsearch;
        out->ndup = e->ndup;
        return 1;
    }
    return 0;
}
