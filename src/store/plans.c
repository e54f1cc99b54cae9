/*
 * plans.c — the rows of reintegration (migration 17, the plans room):
 * needs assessments, plans with their members and beneficiaries, plan
 * items, the plan item types and partners' kinds and services (declared
 * in plans.h).
 *
 * Health and psychosocial needs are sealed here before they reach the
 * database (the store's keyring, associated data "needs|<id>|<field>", so
 * a value copied to another row does not open) and opened when read;
 * SEALED_PLACES in sealing.c lists both columns for key rotation. An item
 * keeps its budget in minor units with its currency, and its budget line
 * by key; what the ledger holds about it is the money room's.
 */
#include "internal.h"
#include "plans.h"
#include "../util/seal.h"
#include <sodium.h>

static void copy_col(sqlite3_stmt *st, int col, char *out, size_t cap)
{
    const unsigned char *v = sqlite3_column_text(st, col);
    snprintf(out, cap, "%s", v ? (const char *)v : "");
}

/* ---- needs assessments ------------------------------------------------------ */

static const char *const SEALED_NEEDS[] = {"health_needs", "psychosocial_needs"};

static store_stmt_t Q_NEEDS_INSERT = {
    .sql = "INSERT INTO needs_assessments(id,case_pk,person_pk,assessed_on,skills,education,"
           "work_history,family_situation,housing,health_needs,psychosocial_needs,project_idea,"
           "choice,version,created_at,created_by_pk,updated_at) "
           "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,1,?,?,?)"};

/* The sealed text of field of assessment id, malloc'd; NULL for no value
 * (*fail set when it could not be sealed). */
static char *seal_need(store_conn_t *c, const char *id, const char *field, const char *plain,
                       int *fail)
{
    if (!plain)
        return NULL;
    if (!c->s->has_keys) {
        awda_log(LOG_ERROR, "seal", "\"reason\":\"no key file\"");
        *fail = 1;
        return NULL;
    }
    char ad[160];
    snprintf(ad, sizeof ad, "needs|%s|%s", id, field);
    char *out = awda_seal(&c->s->keys, plain, strlen(plain), ad);
    if (!out)
        *fail = 1;
    return out;
}

int store_needs_insert(store_conn_t *c, int64_t case_pk, int64_t person_pk, const json_t *n,
                       int64_t user_pk, char id_out[37])
{
    awda_uuid7(id_out);
    int fail = 0;
    char *health = seal_need(c, id_out, SEALED_NEEDS[0], jstr(n, SEALED_NEEDS[0]), &fail);
    char *psy = seal_need(c, id_out, SEALED_NEEDS[1], jstr(n, SEALED_NEEDS[1]), &fail);
    sqlite3_stmt *st = fail ? NULL : stmt(c, &Q_NEEDS_INSERT);
    int rc = STORE_ERR;
    if (st) {
        int64_t now = awda_now_ms();
        sqlite3_bind_text(st, 1, id_out, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, case_pk);
        sqlite3_bind_int64(st, 3, person_pk);
        bind_text_or_null(st, 4, jstr(n, "assessed_on"));
        bind_text_or_null(st, 5, jstr(n, "skills"));
        bind_text_or_null(st, 6, jstr(n, "education"));
        bind_text_or_null(st, 7, jstr(n, "work_history"));
        bind_text_or_null(st, 8, jstr(n, "family_situation"));
        bind_text_or_null(st, 9, jstr(n, "housing"));
        bind_text_or_null(st, 10, health);
        bind_text_or_null(st, 11, psy);
        bind_text_or_null(st, 12, jstr(n, "project_idea"));
        bind_text_or_null(st, 13, jstr(n, "choice"));
        sqlite3_bind_int64(st, 14, now);
        bind_pk_or_null(st, 15, user_pk);
        sqlite3_bind_int64(st, 16, now);
        rc = step_done(c, st);
    }
    free(health);
    free(psy);
    return rc;
}

static store_stmt_t Q_NEEDS_LIST = {
    .sql = "SELECT n.id,p.id,n.assessed_on,n.skills,n.education,n.work_history,"
           "n.family_situation,n.housing,n.health_needs,n.psychosocial_needs,n.project_idea,"
           "n.choice,n.created_at,u.username FROM needs_assessments n JOIN persons p ON "
           "p.pk=n.person_pk LEFT JOIN users u ON u.pk=n.created_by_pk WHERE n.case_pk=? "
           "ORDER BY n.pk"};

/* The opened value of a sealed need (new reference): null when none,
 * "[unreadable]" when it does not open. */
static json_t *open_need(store_conn_t *c, const char *id, const char *field, sqlite3_stmt *st,
                         int col)
{
    const char *v = (const char *)sqlite3_column_text(st, col);
    if (!v)
        return json_null();
    char ad[160];
    snprintf(ad, sizeof ad, "needs|%s|%s", id, field);
    char *plain = c->s->has_keys ? awda_unseal(&c->s->keys, v, ad) : NULL;
    json_t *out = json_string(plain ? plain : "[unreadable]");
    if (plain) {
        sodium_memzero(plain, strlen(plain));
        free(plain);
    }
    return out;
}

json_t *store_needs_list(store_conn_t *c, int64_t case_pk)
{
    sqlite3_stmt *st = stmt(c, &Q_NEEDS_LIST);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, case_pk);
    json_t *out = json_array();
    static const char *const COLS[] = {"id",        "person_id",    "assessed_on",      "skills",
                                       "education", "work_history", "family_situation", "housing"};
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *o = json_object();
        for (int i = 0; i < 8; i++)
            json_object_set_new(o, COLS[i], col_str(st, i));
        const char *id = (const char *)sqlite3_column_text(st, 0);
        json_object_set_new(o, SEALED_NEEDS[0], open_need(c, id, SEALED_NEEDS[0], st, 8));
        json_object_set_new(o, SEALED_NEEDS[1], open_need(c, id, SEALED_NEEDS[1], st, 9));
        json_object_set_new(o, "project_idea", col_str(st, 10));
        json_object_set_new(o, "choice", col_str(st, 11));
        json_object_set_new(o, "created_at", store_col_time(st, 12));
        json_object_set_new(o, "created_by", col_str(st, 13));
        json_array_append_new(out, o);
    }
    if (s != SQLITE_DONE) {
        json_decref(out);
        out = NULL;
    }
    done(st, STORE_OK);
    return out;
}

/* ---- plan item types -------------------------------------------------------------- */

static store_stmt_t Q_TYPES = {
    .sql = "SELECT code,dimension,name_en,name_fr,name_ar,active FROM plan_item_types ORDER BY "
           "CASE dimension WHEN 'economic' THEN 0 WHEN 'social' THEN 1 ELSE 2 END,code"};
static store_stmt_t Q_TYPE_DIM = {
    .sql = "SELECT dimension FROM plan_item_types WHERE code=? AND active=1"};
static store_stmt_t Q_TYPE_INSERT = {
    .sql = "INSERT INTO plan_item_types(code,dimension,name_en,name_fr,name_ar,active) "
           "VALUES(?,?,?,?,?,1)"};

json_t *store_item_types(store_conn_t *c)
{
    sqlite3_stmt *st = stmt(c, &Q_TYPES);
    if (!st)
        return NULL;
    json_t *out = json_array();
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(out, json_pack("{s:o,s:o,s:o,s:o,s:o,s:b}", "code", col_str(st, 0),
                                             "dimension", col_str(st, 1), "name_en", col_str(st, 2),
                                             "name_fr", col_str(st, 3), "name_ar", col_str(st, 4),
                                             "active", sqlite3_column_int(st, 5)));
    if (s != SQLITE_DONE) {
        json_decref(out);
        out = NULL;
    }
    done(st, STORE_OK);
    return out;
}

int store_item_type_dimension(store_conn_t *c, const char *code, char dim[16])
{
    sqlite3_stmt *st = stmt(c, &Q_TYPE_DIM);
    if (!st)
        return STORE_ERR;
    bind_text_or_null(st, 1, code);
    int s = sqlite3_step(st), rc = STORE_NOTFOUND;
    if (s == SQLITE_ROW) {
        copy_col(st, 0, dim, 16);
        rc = STORE_OK;
    } else if (s != SQLITE_DONE) {
        rc = STORE_ERR;
    }
    return done(st, rc);
}

int store_item_type_insert(store_conn_t *c, const json_t *t)
{
    sqlite3_stmt *st = stmt(c, &Q_TYPE_INSERT);
    if (!st)
        return STORE_ERR;
    bind_text_or_null(st, 1, jstr(t, "code"));
    bind_text_or_null(st, 2, jstr(t, "dimension"));
    bind_text_or_null(st, 3, jstr(t, "name_en"));
    bind_text_or_null(st, 4, jstr(t, "name_fr"));
    bind_text_or_null(st, 5, jstr(t, "name_ar"));
    return step_done(c, st);
}

/* ---- plans ------------------------------------------------------------------------ */

static store_stmt_t Q_PLAN_INSERT = {
    .sql = "INSERT INTO plans(id,kind,title,office_pk,country,admin_area,pcode,status,version,"
           "created_at,created_by_pk,updated_at) VALUES(?,?,?,?,?,?,?,'draft',1,?,?,?)"};
static store_stmt_t Q_MEMBER_ADD = {
    .sql = "INSERT INTO plan_members(plan_pk,case_pk,person_pk,share_bp) VALUES(?,?,?,?)"};
static store_stmt_t Q_BENEF_ADD = {
    .sql = "INSERT INTO plan_beneficiaries(plan_pk,sex,age_group,count) VALUES(?,?,?,?)"};
static store_stmt_t Q_PLAN_FIND = {
    .sql = "SELECT pk,id,kind,status,office_pk,version FROM plans WHERE id=?"};
static store_stmt_t Q_PLAN_STATUS = {
    .sql = "UPDATE plans SET status=?,approved_by_pk=coalesce(?,approved_by_pk),"
           "approved_at=CASE WHEN ?='approved' THEN ? ELSE approved_at END,version=version+1,"
           "updated_at=? WHERE pk=? AND version=?"};
static store_stmt_t Q_PLAN_TOUCH = {
    .sql = "UPDATE plans SET version=version+1,updated_at=? WHERE pk=?"};

int store_plan_insert(store_conn_t *c, const json_t *p, int64_t office_pk, int64_t user_pk,
                      char id_out[37], int64_t *pk_out)
{
    sqlite3_stmt *st = stmt(c, &Q_PLAN_INSERT);
    if (!st)
        return STORE_ERR;
    awda_uuid7(id_out);
    int64_t now = awda_now_ms();
    sqlite3_bind_text(st, 1, id_out, -1, SQLITE_TRANSIENT);
    bind_text_or_null(st, 2, jstr(p, "kind"));
    bind_text_or_null(st, 3, jstr(p, "title"));
    sqlite3_bind_int64(st, 4, office_pk);
    bind_text_or_null(st, 5, jstr(p, "country"));
    bind_text_or_null(st, 6, jstr(p, "admin_area"));
    bind_text_or_null(st, 7, jstr(p, "pcode"));
    sqlite3_bind_int64(st, 8, now);
    bind_pk_or_null(st, 9, user_pk);
    sqlite3_bind_int64(st, 10, now);
    int rc = step_done(c, st);
    if (rc == STORE_OK)
        *pk_out = sqlite3_last_insert_rowid(c->db);
    return rc;
}

int store_plan_member_add(store_conn_t *c, int64_t plan_pk, int64_t case_pk, int64_t person_pk,
                          int64_t share_bp)
{
    sqlite3_stmt *st = stmt(c, &Q_MEMBER_ADD);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, plan_pk);
    sqlite3_bind_int64(st, 2, case_pk);
    sqlite3_bind_int64(st, 3, person_pk);
    sqlite3_bind_int64(st, 4, share_bp);
    return step_done(c, st);
}

int store_plan_beneficiary_add(store_conn_t *c, int64_t plan_pk, const char *sex,
                               const char *age_group, int64_t count)
{
    sqlite3_stmt *st = stmt(c, &Q_BENEF_ADD);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, plan_pk);
    bind_text_or_null(st, 2, sex);
    bind_text_or_null(st, 3, age_group);
    sqlite3_bind_int64(st, 4, count);
    return step_done(c, st);
}

int store_plan_find(store_conn_t *c, const char *id, store_plan_row_t *row)
{
    sqlite3_stmt *st = stmt(c, &Q_PLAN_FIND);
    if (!st)
        return STORE_ERR;
    bind_text_or_null(st, 1, id);
    int s = sqlite3_step(st), rc = STORE_NOTFOUND;
    if (s == SQLITE_ROW) {
        row->pk = sqlite3_column_int64(st, 0);
        copy_col(st, 1, row->id, sizeof row->id);
        copy_col(st, 2, row->kind, sizeof row->kind);
        copy_col(st, 3, row->status, sizeof row->status);
        row->office_pk = sqlite3_column_int64(st, 4);
        row->version = sqlite3_column_int64(st, 5);
        rc = STORE_OK;
    } else if (s != SQLITE_DONE) {
        rc = STORE_ERR;
    }
    return done(st, rc);
}

int store_plan_set_status(store_conn_t *c, int64_t pk, int64_t expected_version, const char *status,
                          int64_t approved_by_pk)
{
    sqlite3_stmt *st = stmt(c, &Q_PLAN_STATUS);
    if (!st)
        return STORE_ERR;
    int64_t now = awda_now_ms();
    bind_text_or_null(st, 1, status);
    bind_pk_or_null(st, 2, approved_by_pk);
    bind_text_or_null(st, 3, status);
    sqlite3_bind_int64(st, 4, now);
    sqlite3_bind_int64(st, 5, now);
    sqlite3_bind_int64(st, 6, pk);
    sqlite3_bind_int64(st, 7, expected_version);
    int rc = step_done(c, st);
    if (rc == STORE_OK && sqlite3_changes(c->db) == 0)
        rc = STORE_STALE;
    return rc;
}

int store_plan_touch(store_conn_t *c, int64_t pk)
{
    sqlite3_stmt *st = stmt(c, &Q_PLAN_TOUCH);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, awda_now_ms());
    sqlite3_bind_int64(st, 2, pk);
    return step_done(c, st);
}

static store_stmt_t Q_PLAN_GET = {
    .sql = "SELECT p.id,p.kind,p.title,o.code,p.country,p.admin_area,p.pcode,p.status,"
           "a.username,p.approved_at,p.version,p.created_at,u.username,p.updated_at FROM plans p "
           "JOIN offices o ON o.pk=p.office_pk LEFT JOIN users a ON a.pk=p.approved_by_pk "
           "LEFT JOIN users u ON u.pk=p.created_by_pk WHERE p.pk=?"};
static store_stmt_t Q_PLAN_MEMBERS = {
    .sql = "SELECT m.case_pk,m.person_pk,c.id,p.id,m.share_bp,c.number FROM plan_members m "
           "JOIN cases c ON c.pk=m.case_pk JOIN persons p ON p.pk=m.person_pk WHERE m.plan_pk=? "
           "ORDER BY m.case_pk,m.person_pk"};
static store_stmt_t Q_PLAN_BENEF = {
    .sql = "SELECT sex,age_group,count FROM plan_beneficiaries WHERE plan_pk=? ORDER BY sex,"
           "CASE age_group WHEN '0-4' THEN 0 WHEN '5-11' THEN 1 WHEN '12-17' THEN 2 WHEN "
           "'18-59' THEN 3 ELSE 4 END"};
static store_stmt_t Q_PLAN_ITEMS = {
    .sql = "SELECT i.id,i.type,t.dimension,i.description,i.budget_minor,i.currency,i.modality,"
           "i.delivery,pa.id,pa.name,i.referral_status,bl.id,i.evidence,i.status,i.version,"
           "i.created_at,i.updated_at FROM plan_items i JOIN plan_item_types t ON t.code=i.type "
           "LEFT JOIN partners pa ON pa.pk=i.partner_pk LEFT JOIN budget_lines bl ON "
           "bl.pk=i.budget_line_pk WHERE i.plan_pk=? ORDER BY i.pk"};

json_t *store_plan_members(store_conn_t *c, int64_t plan_pk)
{
    sqlite3_stmt *st = stmt(c, &Q_PLAN_MEMBERS);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, plan_pk);
    json_t *out = json_array();
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(out, json_pack("{s:I,s:I,s:o,s:o,s:I,s:o}", "case_pk",
                                             (json_int_t)sqlite3_column_int64(st, 0), "person_pk",
                                             (json_int_t)sqlite3_column_int64(st, 1), "case_id",
                                             col_str(st, 2), "person_id", col_str(st, 3),
                                             "share_bp", (json_int_t)sqlite3_column_int64(st, 4),
                                             "case_number", col_str(st, 5)));
    if (s != SQLITE_DONE) {
        json_decref(out);
        out = NULL;
    }
    done(st, STORE_OK);
    return out;
}

static json_t *plan_beneficiaries(store_conn_t *c, int64_t plan_pk)
{
    sqlite3_stmt *st = stmt(c, &Q_PLAN_BENEF);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, plan_pk);
    json_t *out = json_array();
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(out, json_pack("{s:o,s:o,s:I}", "sex", col_str(st, 0), "age_group",
                                             col_str(st, 1), "count",
                                             (json_int_t)sqlite3_column_int64(st, 2)));
    if (s != SQLITE_DONE) {
        json_decref(out);
        out = NULL;
    }
    done(st, STORE_OK);
    return out;
}

static json_t *plan_items(store_conn_t *c, int64_t plan_pk)
{
    sqlite3_stmt *st = stmt(c, &Q_PLAN_ITEMS);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, plan_pk);
    json_t *out = json_array();
    static const char *const COLS[] = {"id",       "type",         "dimension",       "description",
                                       NULL,       "currency",     "modality",        "delivery",
                                       "partner",  "partner_name", "referral_status", "budget_line",
                                       "evidence", "status"};
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *o = json_object();
        for (int i = 0; i < 14; i++)
            if (COLS[i])
                json_object_set_new(o, COLS[i], col_str(st, i));
        json_object_set_new(o, "budget_minor", json_integer(sqlite3_column_int64(st, 4)));
        json_object_set_new(o, "version", json_integer(sqlite3_column_int64(st, 14)));
        json_object_set_new(o, "created_at", store_col_time(st, 15));
        json_object_set_new(o, "updated_at", store_col_time(st, 16));
        json_array_append_new(out, o);
    }
    if (s != SQLITE_DONE) {
        json_decref(out);
        out = NULL;
    }
    done(st, STORE_OK);
    return out;
}

/* The plan's row as JSON with its members and beneficiaries (and items
 * when with_items). */
static json_t *plan_json(store_conn_t *c, int64_t pk, int with_items)
{
    sqlite3_stmt *st = stmt(c, &Q_PLAN_GET);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, pk);
    json_t *o = NULL;
    if (sqlite3_step(st) == SQLITE_ROW) {
        static const char *const COLS[] = {"id",         "kind",  "title",  "office",     "country",
                                           "admin_area", "pcode", "status", "approved_by"};
        o = json_object();
        for (int i = 0; i < 9; i++)
            json_object_set_new(o, COLS[i], col_str(st, i));
        json_object_set_new(o, "approved_at",
                            sqlite3_column_type(st, 9) == SQLITE_NULL ? json_null()
                                                                      : store_col_time(st, 9));
        json_object_set_new(o, "version", json_integer(sqlite3_column_int64(st, 10)));
        json_object_set_new(o, "created_at", store_col_time(st, 11));
        json_object_set_new(o, "created_by", col_str(st, 12));
        json_object_set_new(o, "updated_at", store_col_time(st, 13));
    }
    done(st, STORE_OK);
    if (!o)
        return NULL;
    json_t *members = store_plan_members(c, pk);
    json_t *benef = plan_beneficiaries(c, pk);
    json_t *items = with_items ? plan_items(c, pk) : json_array();
    if (!members || !benef || !items) {
        json_decref(members);
        json_decref(benef);
        json_decref(items);
        json_decref(o);
        return NULL;
    }
    size_t i;
    json_t *m;
    json_array_foreach(members, i, m)
    {
        json_object_del(m, "case_pk");
        json_object_del(m, "person_pk");
    }
    json_object_set_new(o, "members", members);
    json_object_set_new(o, "beneficiaries", benef);
    if (with_items)
        json_object_set_new(o, "items", items);
    else
        json_decref(items);
    return o;
}

json_t *store_plan_get(store_conn_t *c, int64_t pk)
{
    return plan_json(c, pk, 1);
}

static store_stmt_t Q_PLANS_OF_CASE = {
    .sql = "SELECT DISTINCT plan_pk FROM plan_members WHERE case_pk=? ORDER BY plan_pk DESC"};

json_t *store_plans_of_case(store_conn_t *c, int64_t case_pk)
{
    sqlite3_stmt *st = stmt(c, &Q_PLANS_OF_CASE);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, case_pk);
    int64_t pks[256];
    int n = 0, s;
    while (n < 256 && (s = sqlite3_step(st)) == SQLITE_ROW)
        pks[n++] = sqlite3_column_int64(st, 0);
    done(st, STORE_OK);
    json_t *out = json_array();
    for (int i = 0; i < n; i++) {
        json_t *p = plan_json(c, pks[i], 1);
        if (!p) {
            json_decref(out);
            return NULL;
        }
        json_array_append_new(out, p);
    }
    return out;
}

/* ---- plan items ------------------------------------------------------------------ */

static store_stmt_t Q_ITEM_INSERT = {
    .sql = "INSERT INTO plan_items(id,plan_pk,type,description,budget_minor,currency,modality,"
           "delivery,partner_pk,referral_status,budget_line_pk,evidence,status,version,"
           "created_at,updated_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,'planned',1,?,?)"};
#define ITEM_ROW                                                                                   \
    "SELECT pk,plan_pk,version,budget_minor,coalesce(partner_pk,0),coalesce(budget_line_pk,0),id," \
    "type,currency,modality,delivery,status,coalesce(referral_status,''),evidence IS NOT NULL "    \
    "FROM plan_items "
static store_stmt_t Q_ITEM_FIND = {.sql = ITEM_ROW "WHERE id=?"};
static store_stmt_t Q_ITEM_ROWS = {.sql = ITEM_ROW "WHERE plan_pk=? ORDER BY pk"};
static store_stmt_t Q_ITEM_UPDATE = {
    .sql = "UPDATE plan_items SET budget_minor=?,currency=?,modality=?,delivery=?,partner_pk=?,"
           "referral_status=?,budget_line_pk=?,status=?,description=coalesce(?,description),"
           "evidence=coalesce(?,evidence),version=version+1,updated_at=? WHERE pk=? AND "
           "version=?"};

int store_plan_item_insert(store_conn_t *c, int64_t plan_pk, const json_t *item, int64_t partner_pk,
                           int64_t budget_line_pk, char id_out[37])
{
    sqlite3_stmt *st = stmt(c, &Q_ITEM_INSERT);
    if (!st)
        return STORE_ERR;
    awda_uuid7(id_out);
    int64_t now = awda_now_ms();
    sqlite3_bind_text(st, 1, id_out, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, plan_pk);
    bind_text_or_null(st, 3, jstr(item, "type"));
    bind_text_or_null(st, 4, jstr(item, "description"));
    sqlite3_bind_int64(st, 5,
                       (sqlite3_int64)json_integer_value(json_object_get(item, "budget_minor")));
    bind_text_or_null(st, 6, jstr(item, "currency"));
    bind_text_or_null(st, 7, jstr(item, "modality"));
    bind_text_or_null(st, 8, jstr(item, "delivery"));
    bind_pk_or_null(st, 9, partner_pk);
    bind_text_or_null(st, 10, jstr(item, "referral_status"));
    bind_pk_or_null(st, 11, budget_line_pk);
    bind_text_or_null(st, 12, jstr(item, "evidence"));
    sqlite3_bind_int64(st, 13, now);
    sqlite3_bind_int64(st, 14, now);
    return step_done(c, st);
}

static void read_item(sqlite3_stmt *st, store_plan_item_row_t *row)
{
    memset(row, 0, sizeof *row);
    row->pk = sqlite3_column_int64(st, 0);
    row->plan_pk = sqlite3_column_int64(st, 1);
    row->version = sqlite3_column_int64(st, 2);
    row->budget_minor = sqlite3_column_int64(st, 3);
    row->partner_pk = sqlite3_column_int64(st, 4);
    row->budget_line_pk = sqlite3_column_int64(st, 5);
    copy_col(st, 6, row->id, sizeof row->id);
    copy_col(st, 7, row->type, sizeof row->type);
    copy_col(st, 8, row->currency, sizeof row->currency);
    copy_col(st, 9, row->modality, sizeof row->modality);
    copy_col(st, 10, row->delivery, sizeof row->delivery);
    copy_col(st, 11, row->status, sizeof row->status);
    copy_col(st, 12, row->referral_status, sizeof row->referral_status);
    row->has_evidence = sqlite3_column_int(st, 13);
}

int store_plan_item_find(store_conn_t *c, const char *id, store_plan_item_row_t *row)
{
    sqlite3_stmt *st = stmt(c, &Q_ITEM_FIND);
    if (!st)
        return STORE_ERR;
    bind_text_or_null(st, 1, id);
    int s = sqlite3_step(st), rc = STORE_NOTFOUND;
    if (s == SQLITE_ROW) {
        read_item(st, row);
        rc = STORE_OK;
    } else if (s != SQLITE_DONE) {
        rc = STORE_ERR;
    }
    return done(st, rc);
}

int store_plan_item_rows(store_conn_t *c, int64_t plan_pk, store_plan_item_row_t **rows, size_t *n)
{
    *rows = NULL;
    *n = 0;
    sqlite3_stmt *st = stmt(c, &Q_ITEM_ROWS);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, plan_pk);
    size_t cap = 0;
    int s, rc = STORE_OK;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            size_t nc = cap ? cap * 2 : 8;
            store_plan_item_row_t *g = realloc(*rows, nc * sizeof **rows);
            if (!g) {
                rc = STORE_ERR;
                break;
            }
            *rows = g;
            cap = nc;
        }
        read_item(st, &(*rows)[(*n)++]);
    }
    if (rc == STORE_OK && s != SQLITE_DONE)
        rc = STORE_ERR;
    if (rc != STORE_OK) {
        free(*rows);
        *rows = NULL;
        *n = 0;
    }
    return done(st, rc);
}

int store_plan_item_update(store_conn_t *c, const store_plan_item_row_t *row,
                           int64_t expected_version, const char *description, const char *evidence)
{
    sqlite3_stmt *st = stmt(c, &Q_ITEM_UPDATE);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, row->budget_minor);
    sqlite3_bind_text(st, 2, row->currency, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, row->modality, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, row->delivery, -1, SQLITE_TRANSIENT);
    bind_pk_or_null(st, 5, row->partner_pk);
    bind_text_or_null(st, 6, row->referral_status[0] ? row->referral_status : NULL);
    bind_pk_or_null(st, 7, row->budget_line_pk);
    sqlite3_bind_text(st, 8, row->status, -1, SQLITE_TRANSIENT);
    bind_text_or_null(st, 9, description);
    bind_text_or_null(st, 10, evidence);
    sqlite3_bind_int64(st, 11, awda_now_ms());
    sqlite3_bind_int64(st, 12, row->pk);
    sqlite3_bind_int64(st, 13, expected_version);
    int rc = step_done(c, st);
    if (rc == STORE_OK && sqlite3_changes(c->db) == 0)
        rc = STORE_STALE;
    return rc;
}

static store_stmt_t Q_CASE_ITEMS = {
    .sql = "SELECT coalesce(sum(i.status IN ('approved','in_progress')),0),"
           "coalesce(sum(i.status IN ('planned','approved','in_progress')),0),"
           "coalesce(sum(i.status='delivered'),0) FROM plan_items i JOIN plans p ON "
           "p.pk=i.plan_pk WHERE p.status='approved' AND p.pk IN (SELECT plan_pk FROM "
           "plan_members WHERE case_pk=?)"};

int store_case_item_counts(store_conn_t *c, int64_t case_pk, long long *open, long long *waiting,
                           long long *delivered)
{
    sqlite3_stmt *st = stmt(c, &Q_CASE_ITEMS);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, case_pk);
    int rc = STORE_ERR;
    if (sqlite3_step(st) == SQLITE_ROW) {
        *open = sqlite3_column_int64(st, 0);
        *waiting = sqlite3_column_int64(st, 1);
        *delivered = sqlite3_column_int64(st, 2);
        rc = STORE_OK;
    }
    return done(st, rc);
}

/* ---- overdue --------------------------------------------------------------------- */

/* The arrival: cases.arrived_at (migration 18), the time the newest step
 * into `arrived` said (`at`), else when it was taken. */
static store_stmt_t Q_OVERDUE = {
    .sql = "SELECT c.pk,c.id,c.number,c.office_pk,coalesce(c.receiving_office_pk,0),"
           "c.project,c.arrived_at,(SELECT count(*) FROM plan_members m JOIN plans p ON "
           "p.pk=m.plan_pk WHERE m.case_pk=c.pk AND p.status='draft') FROM cases c WHERE "
           "c.stage='arrived' AND c.arrived_at < ? ORDER BY c.arrived_at LIMIT ?"};

json_t *store_plans_overdue(store_conn_t *c, int64_t before_ms, int limit)
{
    sqlite3_stmt *st = stmt(c, &Q_OVERDUE);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, before_ms);
    sqlite3_bind_int(st, 2, limit);
    json_t *out = json_array();
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(out,
                              json_pack("{s:I,s:o,s:o,s:I,s:I,s:o,s:o,s:I}", "case_pk",
                                        (json_int_t)sqlite3_column_int64(st, 0), "case_id",
                                        col_str(st, 1), "number", col_str(st, 2), "office_pk",
                                        (json_int_t)sqlite3_column_int64(st, 3), "receiving_pk",
                                        (json_int_t)sqlite3_column_int64(st, 4), "project",
                                        col_str(st, 5), "arrived_at", store_col_time(st, 6),
                                        "draft_plans", (json_int_t)sqlite3_column_int64(st, 7)));
    if (s != SQLITE_DONE) {
        json_decref(out);
        out = NULL;
    }
    done(st, STORE_OK);
    return out;
}

/* ---- partners: kind, services and places ------------------------------------------ */

static store_stmt_t Q_PARTNER_PK = {.sql = "SELECT pk FROM partners WHERE id=?"};
static store_stmt_t Q_PARTNER_KIND = {.sql = "UPDATE partners SET kind=?,updated_at=? WHERE pk=?"};
static store_stmt_t Q_SERVICES_CLEAR = {.sql = "DELETE FROM partner_services WHERE partner_pk=?"};
static store_stmt_t Q_SERVICE_ADD = {
    .sql = "INSERT INTO partner_services(partner_pk,service,country,admin_area) VALUES(?,?,?,?)"};
static store_stmt_t Q_SERVICES = {
    .sql = "SELECT p.kind,s.service,s.country,s.admin_area FROM partners p LEFT JOIN "
           "partner_services s ON s.partner_pk=p.pk WHERE p.pk=? ORDER BY s.service,s.country,"
           "s.admin_area"};

int64_t store_plan_partner_pk(store_conn_t *c, const char *id)
{
    return id ? store_lookup_pk(c, &Q_PARTNER_PK, id) : 0;
}

int store_partner_kind_set(store_conn_t *c, int64_t partner_pk, const char *kind)
{
    sqlite3_stmt *st = stmt(c, &Q_PARTNER_KIND);
    if (!st)
        return STORE_ERR;
    bind_text_or_null(st, 1, kind);
    sqlite3_bind_int64(st, 2, awda_now_ms());
    sqlite3_bind_int64(st, 3, partner_pk);
    return step_done(c, st);
}

int store_partner_services_set(store_conn_t *c, int64_t partner_pk, const json_t *services)
{
    sqlite3_stmt *st = stmt(c, &Q_SERVICES_CLEAR);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, partner_pk);
    int rc = step_done(c, st);
    size_t i;
    const json_t *s;
    json_array_foreach(services, i, s)
    {
        if (rc != STORE_OK)
            break;
        st = stmt(c, &Q_SERVICE_ADD);
        if (!st)
            return STORE_ERR;
        sqlite3_bind_int64(st, 1, partner_pk);
        bind_text_or_null(st, 2, jstr(s, "service"));
        bind_text_or_null(st, 3, jstr(s, "country"));
        const char *area = jstr(s, "admin_area");
        sqlite3_bind_text(st, 4, area ? area : "", -1, SQLITE_TRANSIENT);
        rc = step_done(c, st);
    }
    return rc;
}

json_t *store_partner_services(store_conn_t *c, int64_t partner_pk)
{
    sqlite3_stmt *st = stmt(c, &Q_SERVICES);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, partner_pk);
    json_t *out = json_pack("{s:n,s:[]}", "kind", "services");
    json_t *list = json_object_get(out, "services");
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        json_object_set_new(out, "kind", col_str(st, 0));
        if (sqlite3_column_type(st, 1) != SQLITE_NULL)
            json_array_append_new(list,
                                  json_pack("{s:o,s:o,s:o}", "service", col_str(st, 1), "country",
                                            col_str(st, 2), "admin_area", col_str(st, 3)));
    }
    if (s != SQLITE_DONE) {
        json_decref(out);
        out = NULL;
    }
    done(st, STORE_OK);
    return out;
}
