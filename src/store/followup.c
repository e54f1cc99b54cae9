/*
 * followup.c — the rows of follow-up (migration 17): monitoring visits,
 * survey instruments and responses, activities with their participants
 * and counts (declared in followup.h).
 *
 * A visit keeps the state of each plan item as JSON ([{item, status,
 * note}], the item's public id); which items a case may name is found
 * here over the plans' tables (plan_members, plan_items), read only. A
 * survey instrument is stored once per (code, version) with its
 * definition text; a response keeps its raw answers (JSON: question ->
 * option) beside the scores computed from them in basis points and the
 * instrument version they were computed with (scored_version), so that
 * `awda survey rescore` can find what an instrument change left behind.
 *
 * A visit's findings and a response's raw answers are psychosocial
 * detail (distress, well-being): sealed here before they reach the
 * database, as the needs assessment's needs are (the store's keyring,
 * associated data "visit|<id>|findings" and "survey|<id>|answers", so a
 * value copied to another row does not open), and opened when read; the
 * answers' JSON is padded with spaces to a multiple of SEAL_ANSWERS_PAD
 * bytes so that its length does not tell which options were chosen.
 * SEALED_PLACES in sealing.c lists both columns for key rotation. The
 * scores stay in clear (the reports add them up). An anonymised response
 * keeps its scores and the answers "{}" (store/retention.c); rescoring
 * leaves it alone.
 * An activity's facilitators are a JSON array of names; its linked
 * returnees and its counts by sex and age group are rows of their own.
 */
#include "internal.h"
#include "followup.h"
#include "../util/seal.h"
#include <sodium.h>

#define SEAL_ANSWERS_PAD 64

/* The sealed text of n bytes of plain for "<place>|<id>|<field>", padded
 * with spaces to a multiple of pad bytes (0: not padded); malloc'd, NULL
 * (logged) without a key or on failure. */
static char *seal_text(store_conn_t *c, const char *place, const char *id, const char *field,
                       const char *plain, size_t n, size_t pad)
{
    if (!c->s->has_keys) {
        awda_log(LOG_ERROR, "seal", "\"reason\":\"no key file\"");
        return NULL;
    }
    size_t len = pad ? (n + pad - 1) / pad * pad : n;
    char *buf = malloc(len + 1), *out = NULL;
    if (!buf)
        return NULL;
    memcpy(buf, plain, n);
    memset(buf + n, ' ', len - n);
    buf[len] = '\0';
    char ad[160];
    snprintf(ad, sizeof ad, "%s|%s|%s", place, id, field);
    out = awda_seal(&c->s->keys, buf, len, ad);
    sodium_memzero(buf, len);
    free(buf);
    return out;
}

/* The opened text of a sealed value (malloc'd, the caller frees it with
 * free_plain), or NULL (logged) when it does not open. */
static char *open_text(store_conn_t *c, const char *place, const char *id, const char *field,
                       const char *stored)
{
    char ad[160];
    snprintf(ad, sizeof ad, "%s|%s|%s", place, id ? id : "", field);
    char *plain = c->s->has_keys ? awda_unseal(&c->s->keys, stored, ad) : NULL;
    if (!plain)
        awda_log(LOG_ERROR, "unseal", "\"place\":\"%s\",\"id\":\"%s\"", place, id ? id : "?");
    return plain;
}

static void free_plain(char *plain)
{
    if (plain) {
        sodium_memzero(plain, strlen(plain));
        free(plain);
    }
}

/* The findings of visit id as read (new reference): null when none,
 * "[unreadable]" when they do not open. */
static json_t *open_findings(store_conn_t *c, const char *id, const char *stored)
{
    if (!stored)
        return json_null();
    char *plain = open_text(c, "visit", id, "findings", stored);
    json_t *v = json_string(plain ? plain : "[unreadable]");
    free_plain(plain);
    return v;
}

/* The answers of response id as read (new reference): the JSON object,
 * or NULL (logged) when they do not open. A value that is not sealed (an
 * anonymised response's "{}") is read as it is. */
static json_t *open_answers(store_conn_t *c, const char *id, const char *stored)
{
    if (!stored)
        return NULL;
    if (!awda_is_sealed(stored))
        return json_loads(stored, 0, NULL);
    char *plain = open_text(c, "survey", id, "answers", stored);
    json_t *v = plain ? json_loads(plain, 0, NULL) : NULL;
    free_plain(plain);
    return v;
}

static json_t *col_json_text(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    json_t *v = t ? json_loads((const char *)t, JSON_DECODE_ANY, NULL) : NULL;
    return v ? v : json_null();
}

static json_t *col_int_or_null(sqlite3_stmt *st, int col)
{
    if (sqlite3_column_type(st, col) == SQLITE_NULL)
        return json_null();
    return json_integer(sqlite3_column_int64(st, col));
}

static void bind_int_or_null(sqlite3_stmt *st, int i, int64_t v)
{
    if (v < 0)
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_int64(st, i, v);
}

/* ---- monitoring visits ------------------------------------------------------ */

static store_stmt_t Q_VISIT_INSERT = {
    .sql = "INSERT INTO monitoring_visits(id,case_pk,visited_on,mode,visitor,findings,"
           "item_states,created_at,created_by_pk) VALUES(?,?,?,?,?,?,?,?,?)"};

int store_visit_insert(store_conn_t *c, int64_t case_pk, const char *visited_on, const char *mode,
                       const char *visitor, const char *findings, const json_t *item_states,
                       int64_t user_pk, char id_out[37], int64_t *pk_out)
{
    awda_uuid7(id_out);
    char *sealed =
        findings ? seal_text(c, "visit", id_out, "findings", findings, strlen(findings), 0) : NULL;
    if (findings && !sealed)
        return STORE_ERR;
    sqlite3_stmt *st = stmt(c, &Q_VISIT_INSERT);
    if (!st) {
        free(sealed);
        return STORE_ERR;
    }
    sqlite3_bind_text(st, 1, id_out, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, case_pk);
    bind_text_or_null(st, 3, visited_on);
    bind_text_or_null(st, 4, mode);
    bind_text_or_null(st, 5, visitor);
    bind_text_or_null(st, 6, sealed);
    free(sealed);
    if (item_states && bind_json(st, 7, item_states, 0) != STORE_OK)
        return done(st, STORE_ERR);
    sqlite3_bind_int64(st, 8, awda_now_ms());
    bind_pk_or_null(st, 9, user_pk);
    int rc = step_done(c, st);
    if (rc == STORE_OK)
        *pk_out = sqlite3_last_insert_rowid(c->db);
    return rc;
}

#define VISIT_COLS                                                                                 \
    "SELECT v.id,c.id,v.visited_on,v.mode,v.visitor,v.findings,v.item_states,v.created_at,"        \
    "u.username FROM monitoring_visits v JOIN cases c ON c.pk=v.case_pk LEFT JOIN users u ON "     \
    "u.pk=v.created_by_pk "

static store_stmt_t Q_VISIT_GET = {.sql = VISIT_COLS "WHERE v.pk=?"};
static store_stmt_t Q_VISIT_LIST = {.sql =
                                        VISIT_COLS "WHERE v.case_pk=? ORDER BY v.visited_on, v.pk"};

static json_t *visit_row(store_conn_t *c, sqlite3_stmt *st)
{
    json_t *o = json_object();
    static const char *cols[] = {"id", "case_id", "visited_on", "mode", "visitor"};
    for (int i = 0; i < 5; i++)
        json_object_set_new(o, cols[i], col_str(st, i));
    json_object_set_new(o, "findings",
                        open_findings(c, (const char *)sqlite3_column_text(st, 0),
                                      (const char *)sqlite3_column_text(st, 5)));
    json_t *items = col_json_text(st, 6);
    json_object_set_new(o, "item_states", json_is_array(items) ? items : json_array());
    if (!json_is_array(items))
        json_decref(items);
    json_object_set_new(o, "created_at", store_col_time(st, 7));
    json_object_set_new(o, "created_by", col_str(st, 8));
    return o;
}

json_t *store_visit_get(store_conn_t *c, int64_t pk)
{
    sqlite3_stmt *st = stmt(c, &Q_VISIT_GET);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, pk);
    json_t *o = sqlite3_step(st) == SQLITE_ROW ? visit_row(c, st) : NULL;
    done(st, 0);
    return o;
}

json_t *store_visit_list(store_conn_t *c, int64_t case_pk)
{
    sqlite3_stmt *st = stmt(c, &Q_VISIT_LIST);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, case_pk);
    json_t *out = json_array();
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(out, visit_row(c, st));
    done(st, 0);
    if (s != SQLITE_DONE) {
        json_decref(out);
        return NULL;
    }
    return out;
}

static store_stmt_t Q_CASE_ITEM = {
    .sql = "SELECT i.pk FROM plan_items i WHERE i.id=?2 AND EXISTS (SELECT 1 FROM plan_members m "
           "WHERE m.plan_pk=i.plan_pk AND m.case_pk=?1)"};

int64_t store_followup_case_item(store_conn_t *c, int64_t case_pk, const char *item_id)
{
    sqlite3_stmt *st = stmt(c, &Q_CASE_ITEM);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, case_pk);
    bind_text_or_null(st, 2, item_id);
    int s = sqlite3_step(st);
    int64_t pk = s == SQLITE_ROW ? sqlite3_column_int64(st, 0) : (s == SQLITE_DONE ? 0 : -1);
    done(st, 0);
    return pk;
}

static store_stmt_t Q_MEMBER = {.sql =
                                    "SELECT 1 FROM case_members WHERE case_pk=? AND person_pk=?"};

int store_followup_member(store_conn_t *c, int64_t case_pk, int64_t person_pk)
{
    sqlite3_stmt *st = stmt(c, &Q_MEMBER);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, case_pk);
    sqlite3_bind_int64(st, 2, person_pk);
    int s = sqlite3_step(st);
    done(st, 0);
    return s == SQLITE_ROW ? 1 : s == SQLITE_DONE ? 0 : -1;
}

/* ---- survey instruments ---------------------------------------------------- */

static store_stmt_t Q_INSTR_TEXT = {
    .sql = "SELECT definition FROM survey_instruments WHERE code=? AND version=?"};
static store_stmt_t Q_INSTR_INSERT = {
    .sql = "INSERT INTO survey_instruments(code,version,definition,created_at) VALUES(?,?,?,?)"};

int store_survey_instrument_put(store_conn_t *c, const char *code, int64_t version,
                                const char *definition, int *inserted)
{
    *inserted = 0;
    sqlite3_stmt *st = stmt(c, &Q_INSTR_TEXT);
    if (!st)
        return STORE_ERR;
    bind_text_or_null(st, 1, code);
    sqlite3_bind_int64(st, 2, version);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        int same = t && strcmp((const char *)t, definition) == 0;
        return done(st, same ? STORE_OK : STORE_CONFLICT);
    }
    done(st, 0);
    if (s != SQLITE_DONE)
        return STORE_ERR;
    st = stmt(c, &Q_INSTR_INSERT);
    if (!st)
        return STORE_ERR;
    bind_text_or_null(st, 1, code);
    sqlite3_bind_int64(st, 2, version);
    bind_text_or_null(st, 3, definition);
    sqlite3_bind_int64(st, 4, awda_now_ms());
    int rc = step_done(c, st);
    if (rc == STORE_OK)
        *inserted = 1;
    return rc;
}

static store_stmt_t Q_INSTR_GET = {
    .sql = "SELECT definition,version FROM survey_instruments WHERE code=?1 AND (?2=0 OR "
           "version=?2) ORDER BY version DESC LIMIT 1"};

json_t *store_survey_instrument(store_conn_t *c, const char *code, int64_t version,
                                int64_t *version_out)
{
    sqlite3_stmt *st = stmt(c, &Q_INSTR_GET);
    if (!st)
        return NULL;
    bind_text_or_null(st, 1, code);
    sqlite3_bind_int64(st, 2, version);
    json_t *def = NULL;
    if (sqlite3_step(st) == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        def = t ? json_loads((const char *)t, JSON_REJECT_DUPLICATES, NULL) : NULL;
        if (version_out)
            *version_out = sqlite3_column_int64(st, 1);
    }
    done(st, 0);
    return def;
}

static store_stmt_t Q_INSTR_LIST = {
    .sql = "SELECT code,version,created_at,version=(SELECT max(version) FROM survey_instruments "
           "x WHERE x.code=s.code) FROM survey_instruments s ORDER BY code, version"};

json_t *store_survey_instrument_list(store_conn_t *c)
{
    sqlite3_stmt *st = stmt(c, &Q_INSTR_LIST);
    if (!st)
        return NULL;
    json_t *out = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(out, json_pack("{s:o,s:I,s:o,s:b}", "code", col_str(st, 0), "version",
                                             (json_int_t)sqlite3_column_int64(st, 1), "created_at",
                                             store_col_time(st, 2), "latest",
                                             sqlite3_column_int(st, 3)));
    done(st, 0);
    return out;
}

/* ---- survey responses ------------------------------------------------------ */

static store_stmt_t Q_RESP_INSERT = {
    .sql = "INSERT INTO survey_responses(id,case_pk,person_pk,instrument_code,round,answered_on,"
           "answers,scored_version,economic_bp,social_bp,psychosocial_bp,composite_bp,"
           "created_at,created_by_pk) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)"};

static void bind_scores(sqlite3_stmt *st, int i, const store_survey_scores_t *s)
{
    bind_int_or_null(st, i, s->economic);
    bind_int_or_null(st, i + 1, s->social);
    bind_int_or_null(st, i + 2, s->psychosocial);
    bind_int_or_null(st, i + 3, s->composite);
}

int store_survey_response_insert(store_conn_t *c, int64_t case_pk, int64_t person_pk,
                                 const char *code, const char *round, const char *answered_on,
                                 const json_t *answers, int64_t version,
                                 const store_survey_scores_t *s, int64_t user_pk, char id_out[37],
                                 int64_t *pk_out)
{
    awda_uuid7(id_out);
    char *text = json_dumps(answers, JSON_COMPACT | JSON_SORT_KEYS);
    char *sealed =
        text ? seal_text(c, "survey", id_out, "answers", text, strlen(text), SEAL_ANSWERS_PAD)
             : NULL;
    free_plain(text);
    sqlite3_stmt *st = sealed ? stmt(c, &Q_RESP_INSERT) : NULL;
    if (!st) {
        free(sealed);
        return STORE_ERR;
    }
    sqlite3_bind_text(st, 1, id_out, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, case_pk);
    sqlite3_bind_int64(st, 3, person_pk);
    bind_text_or_null(st, 4, code);
    bind_text_or_null(st, 5, round);
    bind_text_or_null(st, 6, answered_on);
    sqlite3_bind_text(st, 7, sealed, -1, SQLITE_TRANSIENT);
    free(sealed);
    sqlite3_bind_int64(st, 8, version);
    bind_scores(st, 9, s);
    sqlite3_bind_int64(st, 13, awda_now_ms());
    bind_pk_or_null(st, 14, user_pk);
    int rc = step_done(c, st);
    if (rc == STORE_OK)
        *pk_out = sqlite3_last_insert_rowid(c->db);
    return rc;
}

static store_stmt_t Q_HAS_BASELINE = {
    .sql = "SELECT 1 FROM survey_responses WHERE case_pk=? AND person_pk=? AND round='baseline'"};

int store_survey_has_baseline(store_conn_t *c, int64_t case_pk, int64_t person_pk)
{
    sqlite3_stmt *st = stmt(c, &Q_HAS_BASELINE);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, case_pk);
    sqlite3_bind_int64(st, 2, person_pk);
    int s = sqlite3_step(st);
    done(st, 0);
    return s == SQLITE_ROW ? 1 : s == SQLITE_DONE ? 0 : -1;
}

#define RESP_COLS                                                                                  \
    "SELECT r.id,c.id,p.id,r.instrument_code,r.scored_version,r.round,r.answered_on,r.answers,"    \
    "r.economic_bp,r.social_bp,r.psychosocial_bp,r.composite_bp,r.created_at,u.username,"          \
    "c.office_pk,c.receiving_office_pk,c.project,c.number FROM survey_responses r JOIN cases c "   \
    "ON c.pk=r.case_pk JOIN persons p ON p.pk=r.person_pk LEFT JOIN users u ON "                   \
    "u.pk=r.created_by_pk "

static store_stmt_t Q_RESP_GET = {.sql = RESP_COLS "WHERE r.pk=?"};
static store_stmt_t Q_RESP_LIST = {.sql =
                                       RESP_COLS "WHERE r.case_pk=? ORDER BY r.answered_on, r.pk"};
static store_stmt_t Q_RESP_PERSON = {.sql = RESP_COLS
                                     "WHERE r.person_pk=? ORDER BY r.answered_on, r.pk"};

static json_t *resp_row(store_conn_t *c, sqlite3_stmt *st, int scope)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", col_str(st, 0));
    json_object_set_new(o, "case_id", col_str(st, 1));
    json_object_set_new(o, "person_id", col_str(st, 2));
    json_object_set_new(
        o, "instrument",
        json_pack("{s:o,s:o}", "code", col_str(st, 3), "version", col_int_or_null(st, 4)));
    json_object_set_new(o, "round", col_str(st, 5));
    json_object_set_new(o, "answered_on", col_str(st, 6));
    json_t *answers = open_answers(c, (const char *)sqlite3_column_text(st, 0),
                                   (const char *)sqlite3_column_text(st, 7));
    json_object_set_new(o, "answers", answers ? answers : json_string("[unreadable]"));
    json_object_set_new(o, "scores",
                        json_pack("{s:o,s:o,s:o,s:o}", "economic_bp", col_int_or_null(st, 8),
                                  "social_bp", col_int_or_null(st, 9), "psychosocial_bp",
                                  col_int_or_null(st, 10), "composite_bp",
                                  col_int_or_null(st, 11)));
    json_object_set_new(o, "created_at", store_col_time(st, 12));
    json_object_set_new(o, "created_by", col_str(st, 13));
    if (scope) {
        json_object_set_new(o, "case_number", col_str(st, 17));
        json_object_set_new(o, "_office_pk", json_integer(sqlite3_column_int64(st, 14)));
        json_object_set_new(o, "_receiving_pk", json_integer(sqlite3_column_int64(st, 15)));
        json_object_set_new(o, "_project", col_str(st, 16));
    }
    return o;
}

static json_t *resp_rows(store_conn_t *c, store_stmt_t *q, int64_t key, int scope)
{
    sqlite3_stmt *st = stmt(c, q);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, key);
    json_t *out = json_array();
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(out, resp_row(c, st, scope));
    done(st, 0);
    if (s != SQLITE_DONE) {
        json_decref(out);
        return NULL;
    }
    return out;
}

json_t *store_survey_response_get(store_conn_t *c, int64_t pk)
{
    json_t *rows = resp_rows(c, &Q_RESP_GET, pk, 0);
    json_t *o = json_incref(json_array_get(rows, 0));
    json_decref(rows);
    return o;
}

json_t *store_survey_response_list(store_conn_t *c, int64_t case_pk)
{
    return resp_rows(c, &Q_RESP_LIST, case_pk, 0);
}

json_t *store_survey_person_responses(store_conn_t *c, int64_t person_pk)
{
    return resp_rows(c, &Q_RESP_PERSON, person_pk, 1);
}

/* An anonymised response (answers "{}") keeps the scores it had. */
static store_stmt_t Q_TO_RESCORE = {
    .sql = "SELECT pk,id,answers FROM survey_responses WHERE instrument_code=?1 AND "
           "(scored_version IS NULL OR scored_version<>?2) AND answers<>'{}' ORDER BY pk"};

json_t *store_survey_to_rescore(store_conn_t *c, const char *code, int64_t version)
{
    sqlite3_stmt *st = stmt(c, &Q_TO_RESCORE);
    if (!st)
        return NULL;
    bind_text_or_null(st, 1, code);
    sqlite3_bind_int64(st, 2, version);
    json_t *out = json_array();
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        /* Answers that do not open stop the rescoring: scoring nothing
         * would replace the scores they gave with none. */
        json_t *answers = open_answers(c, (const char *)sqlite3_column_text(st, 1),
                                       (const char *)sqlite3_column_text(st, 2));
        if (!answers) {
            s = SQLITE_ERROR;
            break;
        }
        json_array_append_new(out,
                              json_pack("{s:I,s:o}", "pk", (json_int_t)sqlite3_column_int64(st, 0),
                                        "answers", answers));
    }
    done(st, 0);
    if (s != SQLITE_DONE) {
        json_decref(out);
        return NULL;
    }
    return out;
}

static store_stmt_t Q_SET_SCORES = {
    .sql = "UPDATE survey_responses SET scored_version=?,economic_bp=?,social_bp=?,"
           "psychosocial_bp=?,composite_bp=? WHERE pk=?"};

int store_survey_set_scores(store_conn_t *c, int64_t pk, int64_t version,
                            const store_survey_scores_t *s)
{
    sqlite3_stmt *st = stmt(c, &Q_SET_SCORES);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, version);
    bind_scores(st, 2, s);
    sqlite3_bind_int64(st, 6, pk);
    return step_done(c, st);
}

/* ---- activities ------------------------------------------------------------ */

static store_stmt_t Q_PROJECT_PK = {.sql = "SELECT pk FROM projects WHERE id=?"};
static store_stmt_t Q_LINE_PROJECT = {.sql = "SELECT project_pk FROM budget_lines WHERE pk=?"};

int64_t store_followup_project_pk(store_conn_t *c, const char *id)
{
    return store_lookup_pk(c, &Q_PROJECT_PK, id);
}

int64_t store_followup_line_project(store_conn_t *c, int64_t line_pk)
{
    sqlite3_stmt *st = stmt(c, &Q_LINE_PROJECT);
    if (!st)
        return 0;
    sqlite3_bind_int64(st, 1, line_pk);
    int64_t pk = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    done(st, 0);
    return pk;
}

static store_stmt_t Q_ACT_INSERT = {
    .sql = "INSERT INTO activities(id,kind,title,held_on,office_pk,country,admin_area,pcode,"
           "project_pk,budget_line_pk,facilitators,cost_minor,currency,version,created_at,"
           "created_by_pk,updated_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,1,?,?,?)"};

int store_activity_insert(store_conn_t *c, const json_t *a, int64_t office_pk, int64_t project_pk,
                          int64_t line_pk, int64_t user_pk, char id_out[37], int64_t *pk_out)
{
    sqlite3_stmt *st = stmt(c, &Q_ACT_INSERT);
    if (!st)
        return STORE_ERR;
    awda_uuid7(id_out);
    int64_t now = awda_now_ms();
    const json_t *cost = json_object_get(a, "cost");
    const json_t *fac = json_object_get(a, "facilitators");
    sqlite3_bind_text(st, 1, id_out, -1, SQLITE_TRANSIENT);
    bind_text_or_null(st, 2, jstr(a, "kind"));
    bind_text_or_null(st, 3, jstr(a, "title"));
    bind_text_or_null(st, 4, jstr(a, "held_on"));
    sqlite3_bind_int64(st, 5, office_pk);
    bind_text_or_null(st, 6, jstr(a, "country"));
    bind_text_or_null(st, 7, jstr(a, "admin_area"));
    bind_text_or_null(st, 8, jstr(a, "pcode"));
    bind_pk_or_null(st, 9, project_pk);
    bind_pk_or_null(st, 10, line_pk);
    if (json_is_array(fac) && bind_json(st, 11, fac, 0) != STORE_OK)
        return done(st, STORE_ERR);
    if (cost) {
        sqlite3_bind_int64(st, 12, json_integer_value(json_object_get(cost, "amount_minor")));
        bind_text_or_null(st, 13, jstr(cost, "currency"));
    }
    sqlite3_bind_int64(st, 14, now);
    bind_pk_or_null(st, 15, user_pk);
    sqlite3_bind_int64(st, 16, now);
    int rc = step_done(c, st);
    if (rc == STORE_OK)
        *pk_out = sqlite3_last_insert_rowid(c->db);
    return rc;
}

static store_stmt_t Q_PART_ADD = {
    .sql = "INSERT INTO activity_participants(activity_pk,person_pk) VALUES(?,?)"};
static store_stmt_t Q_COUNT_ADD = {
    .sql = "INSERT INTO activity_counts(activity_pk,sex,age_group,count) VALUES(?,?,?,?)"};

int store_activity_participant_add(store_conn_t *c, int64_t activity_pk, int64_t person_pk)
{
    sqlite3_stmt *st = stmt(c, &Q_PART_ADD);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, activity_pk);
    sqlite3_bind_int64(st, 2, person_pk);
    return step_done(c, st);
}

int store_activity_count_add(store_conn_t *c, int64_t activity_pk, const char *sex,
                             const char *age_group, int64_t count)
{
    sqlite3_stmt *st = stmt(c, &Q_COUNT_ADD);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, activity_pk);
    bind_text_or_null(st, 2, sex);
    bind_text_or_null(st, 3, age_group);
    sqlite3_bind_int64(st, 4, count);
    return step_done(c, st);
}

static store_stmt_t Q_ACT_FIND = {.sql = "SELECT pk,office_pk FROM activities WHERE id=?"};

int store_activity_find(store_conn_t *c, const char *id, int64_t *pk, int64_t *office_pk)
{
    sqlite3_stmt *st = stmt(c, &Q_ACT_FIND);
    if (!st)
        return STORE_ERR;
    bind_text_or_null(st, 1, id);
    int s = sqlite3_step(st);
    int rc = s == SQLITE_ROW ? STORE_OK : s == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERR;
    if (rc == STORE_OK) {
        *pk = sqlite3_column_int64(st, 0);
        *office_pk = sqlite3_column_int64(st, 1);
    }
    return done(st, rc);
}

#define ACT_COLS                                                                                   \
    "SELECT a.id,a.kind,a.title,a.held_on,o.code,a.country,a.admin_area,a.pcode,p.id,p.name,"      \
    "b.id,b.code,a.facilitators,a.cost_minor,a.currency,a.version,a.created_at,a.updated_at,"      \
    "(SELECT count(*) FROM activity_participants x WHERE x.activity_pk=a.pk),(SELECT "             \
    "coalesce(sum(n.count),0) FROM activity_counts n WHERE n.activity_pk=a.pk),a.pk FROM "         \
    "activities a JOIN offices o ON o.pk=a.office_pk LEFT JOIN projects p ON p.pk=a.project_pk "   \
    "LEFT JOIN budget_lines b ON b.pk=a.budget_line_pk "

static store_stmt_t Q_ACT_GET = {.sql = ACT_COLS "WHERE a.pk=?"};
static store_stmt_t Q_ACT_LIST = {
    .sql = ACT_COLS "WHERE (?1 IS NULL OR a.office_pk IN (SELECT value FROM json_each(?1))) AND "
                    "(?2=0 OR a.office_pk=?2) AND (?3=0 OR a.project_pk=?3) AND (?4 IS NULL OR "
                    "a.held_on>=?4) AND (?5 IS NULL OR a.held_on<=?5) ORDER BY a.held_on DESC, "
                    "a.pk DESC LIMIT ?6"};
static store_stmt_t Q_ACT_PARTS = {
    .sql = "SELECT p.id,coalesce(p.name_latin,p.name),p.sex FROM activity_participants x JOIN "
           "persons p ON p.pk=x.person_pk WHERE x.activity_pk=? ORDER BY p.pk"};
static store_stmt_t Q_ACT_COUNTS = {
    .sql = "SELECT sex,age_group,count FROM activity_counts WHERE activity_pk=? ORDER BY sex, "
           "CASE age_group WHEN '0-4' THEN 0 WHEN '5-11' THEN 1 WHEN '12-17' THEN 2 WHEN "
           "'18-59' THEN 3 ELSE 4 END"};

static json_t *act_row(sqlite3_stmt *st)
{
    json_t *o = json_object();
    static const char *cols[] = {"id",     "kind",    "title",      "held_on",
                                 "office", "country", "admin_area", "pcode"};
    for (int i = 0; i < 8; i++)
        json_object_set_new(o, cols[i], col_str(st, i));
    json_object_set_new(o, "project",
                        sqlite3_column_type(st, 8) == SQLITE_NULL
                            ? json_null()
                            : json_pack("{s:o,s:o}", "id", col_str(st, 8), "name", col_str(st, 9)));
    json_object_set_new(
        o, "budget_line",
        sqlite3_column_type(st, 10) == SQLITE_NULL
            ? json_null()
            : json_pack("{s:o,s:o}", "id", col_str(st, 10), "code", col_str(st, 11)));
    json_t *fac = col_json_text(st, 12);
    json_object_set_new(o, "facilitators", json_is_array(fac) ? fac : json_array());
    if (!json_is_array(fac))
        json_decref(fac);
    json_object_set_new(o, "cost",
                        sqlite3_column_type(st, 13) == SQLITE_NULL
                            ? json_null()
                            : json_pack("{s:I,s:o}", "amount_minor",
                                        (json_int_t)sqlite3_column_int64(st, 13), "currency",
                                        col_str(st, 14)));
    json_object_set_new(o, "version", json_integer(sqlite3_column_int64(st, 15)));
    json_object_set_new(o, "created_at", store_col_time(st, 16));
    json_object_set_new(o, "updated_at", store_col_time(st, 17));
    int64_t linked = sqlite3_column_int64(st, 18), others = sqlite3_column_int64(st, 19);
    json_object_set_new(o, "totals",
                        json_pack("{s:I,s:I,s:I}", "returnees", (json_int_t)linked, "others",
                                  (json_int_t)others, "participants",
                                  (json_int_t)(linked + others)));
    return o;
}

json_t *store_activity_get(store_conn_t *c, int64_t pk)
{
    sqlite3_stmt *st = stmt(c, &Q_ACT_GET);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, pk);
    json_t *o = sqlite3_step(st) == SQLITE_ROW ? act_row(st) : NULL;
    done(st, 0);
    if (!o)
        return NULL;
    json_t *parts = json_array(), *counts = json_array();
    json_object_set_new(o, "participants", parts);
    json_object_set_new(o, "counts", counts);
    if (!(st = stmt(c, &Q_ACT_PARTS)))
        goto fail;
    sqlite3_bind_int64(st, 1, pk);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(parts, json_pack("{s:o,s:o,s:o}", "person_id", col_str(st, 0), "name",
                                               col_str(st, 1), "sex", col_str(st, 2)));
    done(st, 0);
    if (!(st = stmt(c, &Q_ACT_COUNTS)))
        goto fail;
    sqlite3_bind_int64(st, 1, pk);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(counts, json_pack("{s:o,s:o,s:I}", "sex", col_str(st, 0), "age_group",
                                                col_str(st, 1), "count",
                                                (json_int_t)sqlite3_column_int64(st, 2)));
    done(st, 0);
    return o;
fail:
    json_decref(o);
    return NULL;
}

json_t *store_activity_list(store_conn_t *c, const int64_t *offices, int nof, int64_t office_pk,
                            int64_t project_pk, const char *from, const char *to, int limit)
{
    sqlite3_stmt *st = stmt(c, &Q_ACT_LIST);
    if (!st)
        return NULL;
    char *scope = store_offices_json(offices, nof);
    if (nof >= 0 && !scope)
        return done(st, 0), NULL;
    bind_text_or_null(st, 1, scope);
    free(scope);
    sqlite3_bind_int64(st, 2, office_pk);
    sqlite3_bind_int64(st, 3, project_pk);
    bind_text_or_null(st, 4, from);
    bind_text_or_null(st, 5, to);
    sqlite3_bind_int(st, 6, limit);
    json_t *out = json_array();
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(out, act_row(st));
    done(st, 0);
    if (s != SQLITE_DONE) {
        json_decref(out);
        return NULL;
    }
    return out;
}
