/*
 * users.c — users, their sessions and second factor, and the staff of an
 * office, in the store.
 *
 * A user's roles are kept as a comma-separated list of role names
 * (AWDA_ROLES) and read back as a bit mask (store_principal_t.roles) or a
 * JSON array; their offices in user_offices; a programme manager's
 * projects as a JSON array. The second factor's secret is sealed at rest
 * like medical detail, bound to its user row ("user|<pk>|totp_secret").
 *
 * Sessions are found by the hash of their token (never the token). That a
 * session was used is recorded without making the request wait: a touch
 * is queued for the writer (store_enqueue_async, writer.c).
 */
#include "internal.h"
#include <sodium.h>

static unsigned roles_mask(const char *csv)
{
    unsigned m = 0;
    const char *p = csv;
    while (p && *p) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        for (int i = 0; AWDA_ROLES[i]; i++)
            if (strlen(AWDA_ROLES[i]) == n && memcmp(AWDA_ROLES[i], p, n) == 0)
                m |= 1u << i;
        p = e ? e + 1 : NULL;
    }
    return m;
}

static json_t *roles_json(const char *csv)
{
    json_t *arr = json_array();
    unsigned m = roles_mask(csv);
    for (int i = 0; AWDA_ROLES[i]; i++)
        if (m & (1u << i))
            json_array_append_new(arr, json_string(AWDA_ROLES[i]));
    return arr;
}

static void roles_csv(const json_t *roles, char *out, size_t cap)
{
    size_t o = 0;
    size_t i;
    json_t *v;
    out[0] = '\0';
    json_array_foreach(roles, i, v)
    {
        int w = snprintf(out + o, cap - o, "%s%s", o ? "," : "", json_string_value(v));
        if (w < 0 || (size_t)w >= cap - o)
            break;
        o += (size_t)w;
    }
}

static store_stmt_t Q_USER_OFFICES_CLEAR = {.sql = "DELETE FROM user_offices WHERE user_pk=?"};
static store_stmt_t Q_USER_OFFICE_ADD = {
    .sql = "INSERT OR IGNORE INTO user_offices(user_pk,office_pk) "
           "VALUES(?,?)"};

static int set_user_offices(store_conn_t *c, int64_t upk, const json_t *offices)
{
    sqlite3_stmt *st = stmt(c, &Q_USER_OFFICES_CLEAR);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, upk);
    int rc = step_done(c, st);
    size_t i;
    json_t *v;
    json_array_foreach(offices, i, v)
    {
        if (rc != STORE_OK)
            break;
        int64_t opk = store_office_pk(c, json_string_value(v));
        if (!opk)
            return STORE_NOTFOUND;
        st = stmt(c, &Q_USER_OFFICE_ADD);
        if (!st)
            return STORE_ERR;
        sqlite3_bind_int64(st, 1, upk);
        sqlite3_bind_int64(st, 2, opk);
        rc = step_done(c, st);
    }
    return rc;
}

static store_stmt_t Q_USER_SET_PROJECTS = {.sql = "UPDATE users SET projects=? WHERE pk=?"};

/* Stores a user's projects as a JSON array (NULL when empty). */
static int set_user_projects(store_conn_t *c, int64_t upk, const json_t *projects)
{
    sqlite3_stmt *st = stmt(c, &Q_USER_SET_PROJECTS);
    if (!st)
        return STORE_ERR;
    if (!json_array_size(projects))
        sqlite3_bind_null(st, 1);
    else if (bind_json(st, 1, projects, 0) != STORE_OK)
        return done(st, STORE_ERR);
    sqlite3_bind_int64(st, 2, upk);
    return step_done(c, st);
}

static store_stmt_t Q_USER_SET_ORGANISATION = {.sql = "UPDATE users SET organisation=? WHERE pk=?"};
static store_stmt_t Q_USER_SET_LANGUAGE = {.sql = "UPDATE users SET language=? WHERE pk=?"};
static store_stmt_t Q_USER_INSERT = {
    .sql = "INSERT INTO users(username,full_name,pwhash,roles,disabled,"
           "created_at,pw_changed_at) VALUES(?,?,?,?,?,?,?)"};

int store_user_insert(store_conn_t *c, const json_t *u, const char *pwhash)
{
    char roles[256];
    roles_csv(json_object_get(u, "roles"), roles, sizeof roles);
    sqlite3_stmt *st = stmt(c, &Q_USER_INSERT);
    if (!st)
        return STORE_ERR;
    int64_t now = awda_now_ms();
    bind_text_or_null(st, 1, jstr(u, "username"));
    bind_text_or_null(st, 2, jstr(u, "full_name"));
    bind_text_or_null(st, 3, pwhash);
    bind_text_or_null(st, 4, roles);
    sqlite3_bind_int(st, 5, json_is_true(json_object_get(u, "disabled")));
    sqlite3_bind_int64(st, 6, now);
    sqlite3_bind_int64(st, 7, now);
    int rc = step_done(c, st);
    if (rc != STORE_OK)
        return rc;
    int64_t upk = sqlite3_last_insert_rowid(c->db);
    const json_t *offices = json_object_get(u, "offices");
    if (offices && (rc = set_user_offices(c, upk, offices)))
        return rc;
    if (jstr(u, "language")) {
        if (!(st = stmt(c, &Q_USER_SET_LANGUAGE)))
            return STORE_ERR;
        bind_text_or_null(st, 1, jstr(u, "language"));
        sqlite3_bind_int64(st, 2, upk);
        rc = step_done(c, st);
    }
    if (rc == STORE_OK && json_array_size(json_object_get(u, "projects")))
        rc = set_user_projects(c, upk, json_object_get(u, "projects"));
    if (rc == STORE_OK && jstr(u, "organisation")) {
        if (!(st = stmt(c, &Q_USER_SET_ORGANISATION)))
            return STORE_ERR;
        bind_text_or_null(st, 1, jstr(u, "organisation"));
        sqlite3_bind_int64(st, 2, upk);
        rc = step_done(c, st);
    }
    return rc;
}

static store_stmt_t Q_SESSIONS_OF_USER_DELETE = {.sql = "DELETE FROM sessions WHERE user_pk=?"};
static store_stmt_t Q_USER_SET_PW = {.sql =
                                         "UPDATE users SET pwhash=?, pw_changed_at=? WHERE pk=?"};
static store_stmt_t Q_USER_SET_DISABLED = {.sql = "UPDATE users SET disabled=? WHERE pk=?"};
static store_stmt_t Q_USER_SET_ROLES = {.sql = "UPDATE users SET roles=? WHERE pk=?"};
static store_stmt_t Q_USER_SET_NAME = {.sql = "UPDATE users SET full_name=? WHERE pk=?"};

int store_user_update(store_conn_t *c, const char *username, const json_t *u, const char *pwhash)
{
    int64_t upk = store_user_pk(c, username);
    if (!upk)
        return STORE_NOTFOUND;
    int rc = STORE_OK;
    sqlite3_stmt *st;
    json_t *v;
    if ((v = json_object_get(u, "full_name"))) {
        if (!(st = stmt(c, &Q_USER_SET_NAME)))
            return STORE_ERR;
        bind_text_or_null(st, 1, json_string_value(v));
        sqlite3_bind_int64(st, 2, upk);
        if ((rc = step_done(c, st)))
            return rc;
    }
    if ((v = json_object_get(u, "roles"))) {
        char roles[256];
        roles_csv(v, roles, sizeof roles);
        if (!(st = stmt(c, &Q_USER_SET_ROLES)))
            return STORE_ERR;
        bind_text_or_null(st, 1, roles);
        sqlite3_bind_int64(st, 2, upk);
        if ((rc = step_done(c, st)))
            return rc;
    }
    if ((v = json_object_get(u, "offices")) && (rc = set_user_offices(c, upk, v)))
        return rc;
    if ((v = json_object_get(u, "projects")) && (rc = set_user_projects(c, upk, v)))
        return rc;
    if ((v = json_object_get(u, "organisation"))) {
        if (!(st = stmt(c, &Q_USER_SET_ORGANISATION)))
            return STORE_ERR;
        bind_text_or_null(st, 1, json_string_value(v));
        sqlite3_bind_int64(st, 2, upk);
        if ((rc = step_done(c, st)))
            return rc;
    }
    if ((v = json_object_get(u, "language"))) {
        if (!(st = stmt(c, &Q_USER_SET_LANGUAGE)))
            return STORE_ERR;
        bind_text_or_null(st, 1, json_string_value(v));
        sqlite3_bind_int64(st, 2, upk);
        if ((rc = step_done(c, st)))
            return rc;
    }
    int end_sessions = pwhash != NULL;
    if (json_is_false(json_object_get(u, "second_factor"))) {
        if ((rc = store_user_totp_set(c, upk, NULL, 0)))
            return rc;
        end_sessions = 1;
    }
    if ((v = json_object_get(u, "disabled"))) {
        if (!(st = stmt(c, &Q_USER_SET_DISABLED)))
            return STORE_ERR;
        sqlite3_bind_int(st, 1, json_is_true(v));
        sqlite3_bind_int64(st, 2, upk);
        if ((rc = step_done(c, st)))
            return rc;
        end_sessions |= json_is_true(v);
    }
    if (pwhash) {
        if (!(st = stmt(c, &Q_USER_SET_PW)))
            return STORE_ERR;
        bind_text_or_null(st, 1, pwhash);
        sqlite3_bind_int64(st, 2, awda_now_ms());
        sqlite3_bind_int64(st, 3, upk);
        if ((rc = step_done(c, st)))
            return rc;
    }
    if (end_sessions) {
        if (!(st = stmt(c, &Q_SESSIONS_OF_USER_DELETE)))
            return STORE_ERR;
        sqlite3_bind_int64(st, 1, upk);
        rc = step_done(c, st);
    }
    return rc;
}

static store_stmt_t Q_USER_OFFICES = {
    .sql = "SELECT o.pk,o.code FROM user_offices uo JOIN offices o ON "
           "o.pk=uo.office_pk WHERE uo.user_pk=? ORDER BY o.code"};

static json_t *user_offices_json(store_conn_t *c, int64_t upk)
{
    json_t *arr = json_array();
    sqlite3_stmt *st = stmt(c, &Q_USER_OFFICES);
    if (!st)
        return arr;
    sqlite3_bind_int64(st, 1, upk);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(arr, col_str(st, 1));
    done(st, 0);
    return arr;
}

static json_t *user_row(store_conn_t *c, sqlite3_stmt *st)
{
    json_t *u = json_object();
    json_object_set_new(u, "username", col_str(st, 0));
    json_object_set_new(u, "full_name", col_str(st, 1));
    json_object_set_new(u, "roles", roles_json((const char *)sqlite3_column_text(st, 2)));
    json_object_set_new(u, "disabled", json_boolean(sqlite3_column_int(st, 3)));
    json_object_set_new(u, "offices", user_offices_json(c, sqlite3_column_int64(st, 4)));
    json_object_set_new(u, "second_factor", json_boolean(sqlite3_column_int(st, 5)));
    json_object_set_new(u, "language", col_str(st, 6));
    json_object_set_new(u, "organisation", col_str(st, 7));
    const char *pj = (const char *)sqlite3_column_text(st, 8);
    json_t *projects = pj ? json_loads(pj, 0, NULL) : NULL;
    json_object_set_new(u, "projects", json_is_array(projects) ? projects : json_array());
    if (projects && !json_is_array(projects))
        json_decref(projects);
    return u;
}

static store_stmt_t Q_USER_LIST = {
    .sql = "SELECT username,full_name,roles,disabled,pk,totp_enabled,language,"
           "organisation,projects FROM users ORDER BY username"};

json_t *store_user_list(store_conn_t *c)
{
    sqlite3_stmt *st = stmt(c, &Q_USER_LIST);
    if (!st)
        return NULL;
    json_t *arr = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(arr, user_row(c, st));
    done(st, 0);
    return arr;
}

static store_stmt_t Q_USER_GET = {
    .sql = "SELECT username,full_name,roles,disabled,pk,totp_enabled,language,"
           "organisation,projects FROM users WHERE username=?"};

json_t *store_user_get(store_conn_t *c, const char *username)
{
    sqlite3_stmt *st = stmt(c, &Q_USER_GET);
    if (!st)
        return NULL;
    bind_text_or_null(st, 1, username);
    json_t *u = sqlite3_step(st) == SQLITE_ROW ? user_row(c, st) : NULL;
    done(st, 0);
    return u;
}

static void principal_offices(store_conn_t *c, store_principal_t *p)
{
    p->noffices = 0;
    sqlite3_stmt *st = stmt(c, &Q_USER_OFFICES);
    if (!st)
        return;
    sqlite3_bind_int64(st, 1, p->pk);
    while (sqlite3_step(st) == SQLITE_ROW && p->noffices < AWDA_MAX_USER_OFFICES)
        p->offices[p->noffices++] = sqlite3_column_int64(st, 0);
    done(st, 0);
}

static void principal_row(sqlite3_stmt *st, store_principal_t *p)
{
    p->pk = sqlite3_column_int64(st, 0);
    snprintf(p->username, sizeof p->username, "%s", (const char *)sqlite3_column_text(st, 1));
    p->roles = roles_mask((const char *)sqlite3_column_text(st, 2));
    p->disabled = sqlite3_column_int(st, 3);
    p->totp_enabled = sqlite3_column_int(st, 4);
    const char *pj = (const char *)sqlite3_column_text(st, 5);
    json_t *arr = pj ? json_loads(pj, 0, NULL) : NULL;
    p->nprojects = json_is_array(arr) ? (int)json_array_size(arr) : 0;
    json_decref(arr);
    if (p->nprojects == 0 || !pj || strlen(pj) >= sizeof p->projects) {
        p->nprojects = 0;
        snprintf(p->projects, sizeof p->projects, "[]");
    } else {
        snprintf(p->projects, sizeof p->projects, "%s", pj);
    }
}

static store_stmt_t Q_USER_AUTH = {
    .sql = "SELECT pk,username,roles,disabled,totp_enabled,projects,pwhash "
           "FROM users WHERE username=?"};

int store_user_auth(store_conn_t *c, const char *username, store_principal_t *p, char *pwhash,
                    size_t cap)
{
    sqlite3_stmt *st = stmt(c, &Q_USER_AUTH);
    if (!st)
        return STORE_ERR;
    bind_text_or_null(st, 1, username);
    if (sqlite3_step(st) != SQLITE_ROW)
        return done(st, STORE_NOTFOUND);
    principal_row(st, p);
    snprintf(pwhash, cap, "%s", (const char *)sqlite3_column_text(st, 6));
    done(st, 0);
    principal_offices(c, p);
    return STORE_OK;
}

static store_stmt_t Q_USER_PK = {.sql = "SELECT pk FROM users WHERE username=?"};

int64_t store_user_pk(store_conn_t *c, const char *username)
{
    return store_lookup_pk(c, &Q_USER_PK, username);
}

static store_stmt_t Q_USER_COUNT = {.sql = "SELECT count(*) FROM users"};

int store_user_count(store_conn_t *c)
{
    sqlite3_stmt *st = stmt(c, &Q_USER_COUNT);
    if (!st)
        return -1;
    int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    done(st, 0);
    return n;
}

/* ---- second factor ------------------------------------------------------ */

/* The TOTP secret is sealed like medical detail, bound to its user row. */
static void totp_ad(int64_t user_pk, char *ad, size_t cap)
{
    snprintf(ad, cap, "user|%lld|totp_secret", (long long)user_pk);
}

static store_stmt_t Q_USER_TOTP_GET = {
    .sql = "SELECT totp_secret,totp_enabled,totp_step FROM users WHERE pk=?"};

int store_user_totp_get(store_conn_t *c, int64_t user_pk, char *secret, size_t cap, int *enabled,
                        int64_t *last_step)
{
    sqlite3_stmt *st = stmt(c, &Q_USER_TOTP_GET);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, user_pk);
    if (sqlite3_step(st) != SQLITE_ROW || sqlite3_column_type(st, 0) == SQLITE_NULL)
        return done(st, STORE_NOTFOUND);
    const char *sealed = (const char *)sqlite3_column_text(st, 0);
    *enabled = sqlite3_column_int(st, 1);
    *last_step = sqlite3_column_int64(st, 2);
    char ad[64];
    totp_ad(user_pk, ad, sizeof ad);
    char *plain = c->s->has_keys ? awda_unseal(&c->s->keys, sealed, ad) : NULL;
    done(st, 0);
    if (!plain)
        return STORE_ERR;
    int fits = strlen(plain) < cap;
    if (fits)
        memcpy(secret, plain, strlen(plain) + 1);
    sodium_memzero(plain, strlen(plain));
    free(plain);
    return fits ? STORE_OK : STORE_ERR;
}

static store_stmt_t Q_USER_TOTP_SET = {
    .sql = "UPDATE users SET totp_secret=?, totp_enabled=?, totp_step=0 "
           "WHERE pk=?"};

int store_user_totp_set(store_conn_t *c, int64_t user_pk, const char *secret, int enabled)
{
    char *sealed = NULL;
    if (secret) {
        char ad[64];
        totp_ad(user_pk, ad, sizeof ad);
        if (!c->s->has_keys || !(sealed = awda_seal(&c->s->keys, secret, strlen(secret), ad)))
            return STORE_ERR;
    }
    sqlite3_stmt *st = stmt(c, &Q_USER_TOTP_SET);
    if (!st) {
        free(sealed);
        return STORE_ERR;
    }
    bind_text_or_null(st, 1, sealed);
    sqlite3_bind_int(st, 2, secret && enabled);
    sqlite3_bind_int64(st, 3, user_pk);
    free(sealed);
    return step_done(c, st);
}

static store_stmt_t Q_USER_TOTP_STEP = {
    .sql = "UPDATE users SET totp_step=? WHERE pk=? AND totp_step<?"};

int store_user_totp_use(store_conn_t *c, int64_t user_pk, int64_t step)
{
    sqlite3_stmt *st = stmt(c, &Q_USER_TOTP_STEP);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, step);
    sqlite3_bind_int64(st, 2, user_pk);
    sqlite3_bind_int64(st, 3, step);
    int rc = step_done(c, st);
    if (rc == STORE_OK && sqlite3_changes(c->db) == 0)
        return STORE_CONFLICT; /* this code (or a later one) was used already */
    return rc;
}

/* ---- sessions --------------------------------------------------------- */

static store_stmt_t Q_SESSION_INSERT = {.sql = "INSERT INTO sessions(token_hash,user_pk,created_at,"
                                               "expires_at) VALUES(?,?,?,?)"};

int store_session_insert(store_conn_t *c, const char *token_hash, int64_t user_pk,
                         int64_t expires_ms)
{
    sqlite3_stmt *st = stmt(c, &Q_SESSION_INSERT);
    if (!st)
        return STORE_ERR;
    bind_text_or_null(st, 1, token_hash);
    sqlite3_bind_int64(st, 2, user_pk);
    sqlite3_bind_int64(st, 3, awda_now_ms());
    sqlite3_bind_int64(st, 4, expires_ms);
    return step_done(c, st);
}

static store_stmt_t Q_SESSION_LOOKUP = {
    .sql = "SELECT u.pk,u.username,u.roles,u.disabled,u.totp_enabled,"
           "u.projects,u.language FROM sessions s "
           "JOIN users u ON u.pk=s.user_pk WHERE s.token_hash=? AND "
           "s.expires_at>? AND coalesce(s.last_seen_at,s.created_at)>?"};

int store_session_lookup(store_conn_t *c, const char *token_hash, int64_t now_ms, int64_t idle_ms,
                         store_principal_t *p)
{
    sqlite3_stmt *st = stmt(c, &Q_SESSION_LOOKUP);
    if (!st)
        return STORE_ERR;
    bind_text_or_null(st, 1, token_hash);
    sqlite3_bind_int64(st, 2, now_ms);
    sqlite3_bind_int64(st, 3, now_ms - idle_ms);
    if (sqlite3_step(st) != SQLITE_ROW)
        return done(st, STORE_NOTFOUND);
    principal_row(st, p);
    const char *lang = (const char *)sqlite3_column_text(st, 6);
    snprintf(p->language, sizeof p->language, "%s", lang && strlen(lang) < 4 ? lang : "");
    done(st, 0);
    if (p->disabled)
        return STORE_NOTFOUND;
    principal_offices(c, p);
    return STORE_OK;
}

static store_stmt_t Q_SESSION_DELETE = {.sql = "DELETE FROM sessions WHERE token_hash=?"};

int store_session_delete(store_conn_t *c, const char *token_hash)
{
    sqlite3_stmt *st = stmt(c, &Q_SESSION_DELETE);
    if (!st)
        return STORE_ERR;
    bind_text_or_null(st, 1, token_hash);
    return step_done(c, st);
}

typedef struct {
    char token_hash[65];
    int64_t at;
} touch_t;

static store_stmt_t Q_SESSION_TOUCH = {.sql =
                                           "UPDATE sessions SET last_seen_at=? WHERE token_hash=?"};

static int touch_job(store_conn_t *c, void *ctx)
{
    const touch_t *t = ctx;
    sqlite3_stmt *st = stmt(c, &Q_SESSION_TOUCH);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, t->at);
    bind_text_or_null(st, 2, t->token_hash);
    return step_done(c, st);
}

void store_session_touch(store_t *s, const char *token_hash, int64_t now_ms)
{
    touch_t t;
    snprintf(t.token_hash, sizeof t.token_hash, "%s", token_hash);
    t.at = now_ms;
    store_enqueue_async(s, touch_job, &t, sizeof t);
}

static store_stmt_t Q_OFFICE_STAFF = {.sql =
                                          "SELECT u.username, u.full_name, u.roles FROM users u "
                                          "JOIN user_offices uo ON uo.user_pk = u.pk "
                                          "WHERE uo.office_pk = ? AND u.disabled = 0 "
                                          "ORDER BY coalesce(u.full_name, u.username), u.username"};

json_t *store_office_staff(store_conn_t *c, int64_t office_pk)
{
    sqlite3_stmt *st = stmt(c, &Q_OFFICE_STAFF);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, office_pk);
    unsigned outside = roles_mask("partner,donor");
    json_t *items = json_array();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW &&
           json_array_size(items) < AWDA_MAX_OFFICE_STAFF) {
        unsigned roles = roles_mask((const char *)sqlite3_column_text(st, 2));
        if (!(roles & ~outside))
            continue;
        json_array_append_new(items,
                              json_pack("{s:o,s:o,s:o}", "username", col_str(st, 0), "full_name",
                                        col_str(st, 1), "roles",
                                        roles_json((const char *)sqlite3_column_text(st, 2))));
    }
    done(st, 0);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        json_decref(items);
        return NULL;
    }
    return items;
}
