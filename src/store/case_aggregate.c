/*
 * case_aggregate.c — a case read whole, typed: the case row and its
 * members with their persons (store.h, "the case aggregate, typed").
 *
 * Two statements: the case row with its place (by public id or by key),
 * then every member with their person (store_person_select), put in the
 * order of their position (a handful of rows sort faster in C than
 * through a temporary b-tree). Each column becomes a store_val_t at the
 * position of its field in the field table (AWDA_CASE, AWDA_PERSON); its
 * text is copied into the aggregate's one buffer, so nothing points into
 * SQLite once the statement is reset. JSON columns and the documents (a
 * JSON array that SQLite builds) are kept as the JSON text stored: they
 * were written as JSON and are shown as JSON, never parsed on the way. A
 * person field of a sensitivity class the caller did not ask for is not
 * read at all, so a sealed one is never decrypted for a reader who may
 * not see it.
 *
 * store_case_json turns an aggregate into the JSON tree the use cases that
 * change a case still work on (store_case_get, store_case_read); an answer
 * is written from the aggregate as text by app/case_json.c.
 */
#include "internal.h"
#include <sodium.h>
#include <stddef.h>

static store_stmt_t Q_CASE_GET, Q_CASE_READ;

/* The case row, then its place (pk, office, receiving office, project):
 * by pk (Q_CASE_GET) or by public id (Q_CASE_READ). The first eleven
 * columns are those of FIXED below, in that order. */
static char *case_get_sql(const store_stmt_t *d)
{
    sql_t q;
    sql_init(&q);
    sql_puts(&q, "SELECT c.id,c.number,c.version,c.stage,c.created_at,c.updated_at,o.code,"
                 "u.username,c.stage_before,c.closure_reason,"
                 "(SELECT code FROM offices WHERE pk=c.receiving_office_pk)");
    store_col_names(&q, &AWDA_CASE);
    sql_puts(&q, ",c.pk,c.office_pk,c.receiving_office_pk,c.project FROM cases c JOIN offices o "
                 "ON o.pk=c.office_pk LEFT JOIN users u ON u.pk=c.assigned_to_pk WHERE ");
    sql_puts(&q, d == &Q_CASE_READ ? "c.id=?" : "c.pk=?");
    return sql_take(&q);
}

/* The members of a case with their persons, in one statement: the
 * position, the relationship, then the person's columns
 * (store_person_select), in key order. */
static char *members_sql(const store_stmt_t *d)
{
    (void)d;
    sql_t q;
    sql_init(&q);
    sql_puts(&q, "SELECT cm.position,cm.relationship,");
    store_person_select(&q);
    sql_puts(&q, " FROM case_members cm JOIN persons ON persons.pk=cm.person_pk WHERE "
                 "cm.case_pk=?");
    return sql_take(&q);
}

static store_stmt_t Q_CASE_GET = {.build = case_get_sql};
static store_stmt_t Q_CASE_READ = {.build = case_get_sql};
static store_stmt_t Q_MEMBERS_OF = {.build = members_sql};

/* The case fields that are not columns of the field table's list, by the
 * column that holds them in case_get_sql. */
static const char *const FIXED[] = {
    "id",     "number",      "version",      "stage",          "created_at",      "updated_at",
    "office", "assigned_to", "stage_before", "closure_reason", "receiving_office"};
#define NFIXED ((int)(sizeof FIXED / sizeof FIXED[0]))
enum { COL_VERSION = 2, COL_CREATED = 4, COL_UPDATED = 5 };

/* ---- values ------------------------------------------------------------- */

/* Copies n bytes (and a NUL) into k's text and makes v name them as a
 * value of type; -1 past AWDA_MAX_CASE_TEXT or out of memory. */
static int put_text(store_case_t *k, store_val_t *v, unsigned char type, const char *s, size_t n)
{
    if (n >= AWDA_MAX_CASE_TEXT || k->text_len + n + 1 > AWDA_MAX_CASE_TEXT) {
        awda_log(LOG_ERROR, "case_load", "\"reason\":\"texts over %d bytes\"", AWDA_MAX_CASE_TEXT);
        return -1;
    }
    if (k->text_len + n + 1 > k->text_cap) {
        size_t cap = k->text_cap * 2;
        while (cap < k->text_len + n + 1)
            cap *= 2;
        if (cap > AWDA_MAX_CASE_TEXT)
            cap = AWDA_MAX_CASE_TEXT;
        char *p = awda_realloc(k->text == k->text0 ? NULL : k->text, cap);
        if (!p)
            return -1;
        if (k->text == k->text0)
            memcpy(p, k->text0, k->text_len);
        k->text = p;
        k->text_cap = cap;
    }
    if (n)
        memcpy(k->text + k->text_len, s, n);
    k->text[k->text_len + n] = '\0';
    v->type = type;
    v->u.t.off = (uint32_t)k->text_len;
    v->u.t.len = (uint32_t)n;
    k->text_len += n + 1;
    return 0;
}

static int put_col(store_case_t *k, store_val_t *v, unsigned char type, sqlite3_stmt *st, int col)
{
    const unsigned char *s = sqlite3_column_text(st, col);
    int n = sqlite3_column_bytes(st, col);
    if (!s && n)
        return -1;
    return put_text(k, v, type, (const char *)s, (size_t)n);
}

/* Column col as a value, typed by f when given, as store_col_json reads
 * it: NULL, a JSON column's text, a boolean, an integer, else text. */
static int col_val(store_case_t *k, store_val_t *v, sqlite3_stmt *st, int col,
                   const awda_field_t *f)
{
    int t = sqlite3_column_type(st, col);
    if (t == SQLITE_NULL) {
        v->type = STORE_V_NULL;
        return 0;
    }
    if (f && (f->flags & F_JSONCOL))
        return put_col(k, v, STORE_V_JSON, st, col);
    if ((f && f->type == FT_BOOL) || t == SQLITE_INTEGER) {
        v->type = f && f->type == FT_BOOL ? STORE_V_BOOL : STORE_V_INT;
        v->u.i = f && f->type == FT_BOOL ? sqlite3_column_int(st, col) != 0
                                         : sqlite3_column_int64(st, col);
        return 0;
    }
    return put_col(k, v, STORE_V_TEXT, st, col);
}

static void time_val(store_val_t *v, sqlite3_stmt *st, int col)
{
    v->type = STORE_V_TIME;
    v->u.i = sqlite3_column_int64(st, col);
}

/* The opened value of a person's sealed column, as JSON text. */
static int sealed_val(store_conn_t *c, store_case_t *k, store_val_t *v, sqlite3_stmt *st, int col,
                      const char *person_id, const awda_field_t *f)
{
    if (sqlite3_column_type(st, col) == SQLITE_NULL) {
        v->type = STORE_V_NULL;
        return 0;
    }
    json_t *o = store_unseal_person_value(c->s, person_id, f->name,
                                          (const char *)sqlite3_column_text(st, col));
    char *t = o ? json_dumps(o, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    json_decref(o);
    if (!t)
        return -1;
    size_t n = strlen(t);
    int rc = put_text(k, v, STORE_V_JSON, t, n);
    sodium_memzero(t, n);
    free(t);
    return rc;
}

/* ---- rows ------------------------------------------------------------------ */

/* The current row of Q_CASE_GET / Q_CASE_READ into k: its values and its
 * place. */
static int case_row(store_case_t *k, sqlite3_stmt *st)
{
    int col = NFIXED, rc = 0;
    for (size_t i = 0; i < AWDA_CASE.nfields && !rc; i++) {
        const awda_field_t *f = &AWDA_CASE.fields[i];
        int fixed = 0;
        while (fixed < NFIXED && strcmp(FIXED[fixed], f->name) != 0)
            fixed++;
        if (fixed == COL_CREATED || fixed == COL_UPDATED)
            time_val(&k->v[i], st, fixed);
        else if (fixed == COL_VERSION) {
            k->v[i].type = STORE_V_INT;
            k->v[i].u.i = sqlite3_column_int64(st, fixed);
        } else if (fixed < NFIXED)
            rc = col_val(k, &k->v[i], st, fixed, NULL);
        else if (is_col(f))
            rc = col_val(k, &k->v[i], st, col++, f);
    }
    k->row.pk = sqlite3_column_int64(st, col);
    k->row.office_pk = sqlite3_column_int64(st, col + 1);
    k->row.receiving_office_pk = sqlite3_column_int64(st, col + 2);
    k->row.version = sqlite3_column_int64(st, COL_VERSION);
    const unsigned char *project = sqlite3_column_text(st, col + 3);
    snprintf(k->row.project, sizeof k->row.project, "%s", project ? (const char *)project : "");
    return rc;
}

/* The person's columns of store_person_select from column base into pv,
 * leaving out (and never opening) the fields of classes not asked for. */
static int person_row(store_conn_t *c, store_case_t *k, store_val_t *pv, sqlite3_stmt *st, int base,
                      unsigned classes)
{
    const char *id = (const char *)sqlite3_column_text(st, base + 1);
    int col = base + 5, rc = 0;
    for (size_t i = 0; i < AWDA_PERSON.nfields && !rc; i++) {
        const awda_field_t *f = &AWDA_PERSON.fields[i];
        int shown = f->sens == SENS_NONE || (classes & (1u << f->sens));
        store_val_t *v = &pv[i];
        if (strcmp(f->name, "id") == 0) {
            if (shown)
                rc = col_val(k, v, st, base + 1, NULL);
        } else if (strcmp(f->name, "created_at") == 0) {
            if (shown)
                time_val(v, st, base + 2);
        } else if (strcmp(f->name, "updated_at") == 0) {
            if (shown)
                time_val(v, st, base + 3);
        } else if (strcmp(f->name, "documents") == 0) {
            if (shown && sqlite3_column_type(st, base + 4) == SQLITE_NULL)
                rc = put_text(k, v, STORE_V_JSON, "[]", 2);
            else if (shown)
                rc = put_col(k, v, STORE_V_JSON, st, base + 4);
        } else if (is_col(f)) {
            if (shown && store_sealed_class(f))
                rc = sealed_val(c, k, v, st, col, id, f);
            else if (shown)
                rc = col_val(k, v, st, col, f);
            col++;
        }
    }
    return rc;
}

/* Room for twice as many members (at most AWDA_MAX_MEMBERS); -1 out of
 * memory. */
static int grow_members(store_case_t *k)
{
    int cap = k->members_cap * 2 > AWDA_MAX_MEMBERS ? AWDA_MAX_MEMBERS : k->members_cap * 2;
    store_member_t *m =
        awda_realloc(k->members == k->members0 ? NULL : k->members, (size_t)cap * sizeof *m);
    if (!m)
        return -1;
    if (k->members == k->members0)
        memcpy(m, k->members0, sizeof k->members0);
    k->members = m;
    k->members_cap = cap;
    return 0;
}

/* Every member of k's case with their person, in the order of their
 * position (insertion as they come). */
static int members(store_conn_t *c, store_case_t *k, unsigned classes)
{
    sqlite3_stmt *st = stmt(c, &Q_MEMBERS_OF);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, k->row.pk);
    int s = SQLITE_DONE;
    while (k->nmembers < AWDA_MAX_MEMBERS && (s = sqlite3_step(st)) == SQLITE_ROW) {
        if (k->nmembers == k->members_cap && grow_members(k) != 0)
            return done(st, STORE_ERR);
        int64_t at = sqlite3_column_int64(st, 0);
        int i = k->nmembers++;
        for (; i > 0 && k->members[i - 1].position > at; i--)
            k->members[i] = k->members[i - 1];
        store_member_t *m = &k->members[i];
        memset(m, 0, sizeof *m);
        m->position = at;
        m->person_pk = sqlite3_column_int64(st, 2);
        if (col_val(k, &m->relationship, st, 1, NULL) ||
            person_row(c, k, m->person, st, 2, classes))
            return done(st, STORE_ERR);
    }
    return done(st, s == SQLITE_ROW || s == SQLITE_DONE ? STORE_OK : STORE_ERR);
}

int store_case_load(store_conn_t *c, const char *id, int64_t pk, unsigned classes,
                    store_case_t **out)
{
    *out = NULL;
    if (AWDA_CASE.nfields > STORE_CASE_FIELDS_MAX ||
        AWDA_PERSON.nfields > STORE_PERSON_FIELDS_MAX) {
        awda_log(LOG_ERROR, "case_load", "\"reason\":\"a field table outgrew store_case_t\"");
        return STORE_ERR;
    }
    sqlite3_stmt *st = stmt(c, id ? &Q_CASE_READ : &Q_CASE_GET);
    if (!st)
        return STORE_ERR;
    if (id) /* the statement is reset (done) before id goes away */
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    else
        sqlite3_bind_int64(st, 1, pk);
    int s = sqlite3_step(st);
    if (s != SQLITE_ROW)
        return done(st, s == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERR);
    /* The members and the texts are set as they are read: only the head
     * is cleared. */
    store_case_t *k = awda_malloc(sizeof *k);
    if (!k)
        return done(st, STORE_ERR);
    memset(k, 0, offsetof(store_case_t, members0));
    k->members = k->members0;
    k->members_cap = STORE_CASE_MEMBERS0;
    k->text = k->text0;
    k->text_cap = sizeof k->text0;
    int rc = done(st, case_row(k, st) ? STORE_ERR : STORE_OK);
    if (rc == STORE_OK)
        rc = members(c, k, classes);
    if (rc != STORE_OK) {
        store_case_free(k);
        return rc;
    }
    *out = k;
    return STORE_OK;
}

void store_case_free(store_case_t *k)
{
    if (!k)
        return;
    sodium_memzero(k->text, k->text_len); /* opened sealed values among them */
    if (k->text != k->text0)
        free(k->text);
    if (k->members != k->members0)
        free(k->members);
    free(k);
}

/* ---- the JSON tree ------------------------------------------------------------ */

static json_t *val_json(const store_case_t *k, const store_val_t *v)
{
    char ts[32];
    json_t *j;
    switch ((store_vtype_t)v->type) {
    case STORE_V_NULL:
        return json_null();
    case STORE_V_INT:
        return json_integer(v->u.i);
    case STORE_V_BOOL:
        return json_boolean(v->u.i);
    case STORE_V_TIME:
        awda_iso_ms(v->u.i, ts);
        return json_string(ts);
    case STORE_V_TEXT:
        return json_stringn(store_val_text(k, v), v->u.t.len);
    case STORE_V_JSON:
        j = json_loadb(store_val_text(k, v), v->u.t.len, JSON_DECODE_ANY, NULL);
        return j ? j : json_null();
    case STORE_V_ABSENT:
        break;
    }
    return NULL;
}

/* The values of entity e that are not ABSENT, as an object. */
static json_t *fields_json(const store_case_t *k, const awda_entity_t *e, const store_val_t *v)
{
    json_t *o = json_object();
    for (size_t i = 0; o && i < e->nfields; i++)
        if (v[i].type != STORE_V_ABSENT)
            json_object_set_new(o, e->fields[i].name, val_json(k, &v[i]));
    return o;
}

json_t *store_case_json(const store_case_t *k)
{
    json_t *o = fields_json(k, &AWDA_CASE, k->v);
    json_t *arr = json_array();
    const awda_field_t *idf = awda_field_find(&AWDA_PERSON, "id");
    size_t id_at = idf ? (size_t)(idf - AWDA_PERSON.fields) : 0;
    for (int i = 0; arr && i < k->nmembers; i++) {
        const store_member_t *m = &k->members[i];
        json_t *p = fields_json(k, &AWDA_PERSON, m->person);
        json_t *one = json_object();
        json_object_set_new(one, "relationship", val_json(k, &m->relationship));
        json_object_set(one, "person_id", json_object_get(p, AWDA_PERSON.fields[id_at].name));
        json_object_set_new(one, "person", p);
        json_array_append_new(arr, one);
    }
    if (!o || !arr || json_object_set_new(o, "members", arr) != 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* ---- the reads the use cases share ------------------------------------------------ */

json_t *store_case_get(store_conn_t *c, int64_t pk)
{
    store_case_t *k;
    if (store_case_load(c, NULL, pk, STORE_CLASSES_ALL, &k) != STORE_OK)
        return NULL;
    json_t *o = store_case_json(k);
    store_case_free(k);
    return o;
}

json_t *store_case_read(store_conn_t *c, const char *id, store_case_row_t *row)
{
    store_case_t *k;
    if (!id || store_case_load(c, id, 0, STORE_CLASSES_ALL, &k) != STORE_OK)
        return NULL;
    json_t *o = store_case_json(k);
    if (row)
        *row = k->row;
    store_case_free(k);
    return o;
}
