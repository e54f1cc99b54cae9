/*
 * sharing.c — sharing with third parties: consent to share and its
 * withdrawal, and the referrals addressed to a partner organisation.
 *
 * Consents and referrals are records (records.c) whose data names the
 * recipient or partner; the match is without regard to case or spaces
 * around. A consent counts when it is newer than any withdrawal of it.
 * A partner reading its referrals sees the person's identity and contact
 * only — never documents, vulnerabilities or anything sealed — and never
 * of an anonymised person.
 */
#include "internal.h"

int store_sharing_consent(store_conn_t *c, int64_t person_pk, const char *purpose,
                          const char *recipient)
{
    sqlite3_stmt *st = NULL;
    static store_stmt_t Q = {
        .sql =
            "SELECT (SELECT max(pk) FROM case_records WHERE person_pk=?1 AND kind='consent' AND "
            "json_extract(data,'$.purpose')=?2 AND json_extract(data,'$.withdrawn_at') IS NULL AND "
            "lower(trim(json_extract(data,'$.recipient')))=lower(trim(?3))),"
            "(SELECT max(pk) FROM case_records WHERE person_pk=?1 AND kind='consent_withdrawal' "
            "AND "
            "json_extract(data,'$.purpose')=?2 AND "
            "lower(trim(json_extract(data,'$.recipient')))=lower(trim(?3)))"};
    if (!(st = stmt(c, &Q)))
        return -1;
    sqlite3_bind_int64(st, 1, person_pk);
    sqlite3_bind_text(st, 2, purpose, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, recipient, -1, SQLITE_STATIC);
    int yes = 0;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        yes = sqlite3_column_type(st, 1) == SQLITE_NULL ||
              sqlite3_column_int64(st, 0) > sqlite3_column_int64(st, 1);
    done(st, 0);
    return yes;
}

int store_sharing_consent_withdrawn(store_conn_t *c, int64_t person_pk, const char *purpose,
                                    const char *recipient)
{
    sqlite3_stmt *st = NULL;
    static store_stmt_t Q = {
        .sql = "UPDATE case_records SET data=json_set(data,'$.withdrawn_at',?4) WHERE person_pk=?1 "
               "AND "
               "kind='consent' AND json_extract(data,'$.purpose')=?2 AND "
               "lower(trim(json_extract(data,'$.recipient')))=lower(trim(?3)) AND "
               "json_extract(data,'$.withdrawn_at') IS NULL"};
    if (!(st = stmt(c, &Q)))
        return STORE_ERR;
    char now[32];
    awda_iso_ms(awda_now_ms(), now);
    sqlite3_bind_int64(st, 1, person_pk);
    bind_text_or_null(st, 2, purpose);
    bind_text_or_null(st, 3, recipient);
    sqlite3_bind_text(st, 4, now, -1, SQLITE_TRANSIENT);
    return done(st, sqlite3_step(st) == SQLITE_DONE ? STORE_OK : STORE_ERR);
}

json_t *store_referrals_for(store_conn_t *c, const char *organisation, int64_t before_pk, int limit,
                            int64_t *last_pk)
{
    sqlite3_stmt *st = NULL;
    static store_stmt_t Q = {
        .sql =
            "SELECT r.pk,r.id,r.data,r.created_at,o.code,p.pk,p.id,p.name,p.name_latin,p.sex,"
            "p.date_of_birth,p.dob_precision,p.nationality,p.languages,p.contact "
            "FROM case_records r JOIN persons p ON p.pk=r.person_pk JOIN cases c ON c.pk=r.case_pk "
            "JOIN offices o ON o.pk=c.office_pk WHERE r.kind='referral' AND r.pk<?2 AND "
            "p.anonymised_at IS NULL AND "
            "lower(trim(json_extract(r.data,'$.partner')))=lower(trim(?1)) ORDER BY r.pk DESC "
            "LIMIT ?3"};
    *last_pk = 0;
    if (!(st = stmt(c, &Q)))
        return NULL;
    sqlite3_bind_text(st, 1, organisation, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, before_pk > 0 ? before_pk : INT64_MAX);
    sqlite3_bind_int(st, 3, limit);
    json_t *arr = json_array();
    while (sqlite3_step(st) == SQLITE_ROW) {
        *last_pk = sqlite3_column_int64(st, 0);
        json_t *data = json_loads((const char *)sqlite3_column_text(st, 2), 0, NULL);
        json_t *langs = json_loads(sqlite3_column_type(st, 13) == SQLITE_NULL
                                       ? "[]"
                                       : (const char *)sqlite3_column_text(st, 13),
                                   0, NULL);
        json_t *contact = sqlite3_column_type(st, 14) == SQLITE_NULL
                              ? json_null()
                              : json_loads((const char *)sqlite3_column_text(st, 14), 0, NULL);
        json_t *person = json_pack(
            "{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id", col_str(st, 6), "name", col_str(st, 7),
            "name_latin", col_str(st, 8), "sex", col_str(st, 9), "date_of_birth", col_str(st, 10),
            "dob_precision", col_str(st, 11), "nationality", col_str(st, 12), "languages",
            langs ? langs : json_array(), "contact", contact ? contact : json_null());
        json_t *it = json_pack(
            "{s:o,s:o,s:o,s:o,s:O,s:O,s:O,s:O}", "id", col_str(st, 1), "created_at",
            store_col_time(st, 3), "office", col_str(st, 4), "person", person, "service",
            json_object_get(data, "service"), "date", json_object_get(data, "date"), "notes",
            json_object_get(data, "notes") ? json_object_get(data, "notes") : json_null(),
            "partner", json_object_get(data, "partner"));
        json_object_set_new(it, "_person_pk", json_integer(sqlite3_column_int64(st, 5)));
        json_decref(data);
        json_array_append_new(arr, it);
    }
    done(st, 0);
    return arr;
}
