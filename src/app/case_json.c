/*
 * case_json.c — a case answer written once: the typed aggregate
 * (store_case_t, store.h) as JSON text, straight into a capped buffer
 * (util/jsonw.h).
 *
 * The aggregate holds only what the reader may see (store_case_load left
 * the person fields of other classes out, unopened), so writing it is a
 * walk of the field tables beside the values: the case's fields in the
 * order of AWDA_CASE, then "members" with each member's relationship,
 * person id and person in the order of AWDA_PERSON. Strings are escaped
 * as jansson writes them (jsonw_str); JSON kept as stored (JSON columns, the
 * documents, opened sealed values) is copied as it is; no tree is built.
 * The bytes mean what json_dumps of store_case_json would write.
 */
#include "cases_int.h"
#include "../util/jsonw.h"
#include "../util/log.h"
#include "../util/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put_val(jsonw_t *w, const store_case_t *k, const store_val_t *v)
{
    char t[40];
    switch ((store_vtype_t)v->type) {
    case STORE_V_NULL:
    case STORE_V_ABSENT:
        jsonw_lit(w, "null");
        break;
    case STORE_V_INT:
        jsonw_int(w, (long long)v->u.i);
        break;
    case STORE_V_BOOL:
        jsonw_lit(w, v->u.i ? "true" : "false");
        break;
    case STORE_V_TIME:
        awda_iso_ms(v->u.i, t);
        jsonw_str(w, t, strlen(t));
        break;
    case STORE_V_TEXT:
        jsonw_str(w, store_val_text(k, v), v->u.t.len);
        break;
    case STORE_V_JSON:
        jsonw_raw(w, store_val_text(k, v), v->u.t.len);
        break;
    }
}

/* "name": value for each value of e that is not ABSENT, comma-separated;
 * *first says whether a member was written before. */
static void put_fields(jsonw_t *w, const store_case_t *k, const awda_entity_t *e,
                       const store_val_t *v, int *first)
{
    for (size_t i = 0; i < e->nfields; i++) {
        if (v[i].type == STORE_V_ABSENT)
            continue;
        jsonw_lit(w, *first ? "\"" : ",\"");
        jsonw_lit(w, e->fields[i].name); /* a name from the table: nothing to escape */
        jsonw_lit(w, "\":");
        put_val(w, k, &v[i]);
        *first = 0;
    }
}

int case_json_text(const store_case_t *k, char **out, size_t *len)
{
    jsonw_t w;
    jsonw_init(&w, AWDA_MAX_CASE_ANSWER);
    /* Room for the texts and the names around them, most often at once. */
    jsonw_reserve(&w, k->text_len + 1024 + 512 * (size_t)k->nmembers);
    const awda_field_t *idf = awda_field_find(&AWDA_PERSON, "id");
    int first = 1;
    jsonw_raw(&w, "{", 1);
    put_fields(&w, k, &AWDA_CASE, k->v, &first);
    jsonw_lit(&w, first ? "\"members\":[" : ",\"members\":[");
    for (int i = 0; i < k->nmembers; i++) {
        const store_member_t *m = &k->members[i];
        jsonw_lit(&w, i ? ",{\"relationship\":" : "{\"relationship\":");
        put_val(&w, k, &m->relationship);
        const store_val_t *pid = idf ? &m->person[idf - AWDA_PERSON.fields] : NULL;
        if (pid && pid->type != STORE_V_ABSENT) {
            jsonw_lit(&w, ",\"person_id\":");
            put_val(&w, k, pid);
        }
        jsonw_lit(&w, ",\"person\":{");
        int pfirst = 1;
        put_fields(&w, k, &AWDA_PERSON, m->person, &pfirst);
        jsonw_lit(&w, "}}");
    }
    jsonw_lit(&w, "]}");
    if (jsonw_take(&w, out, len) != 0) {
        awda_log(LOG_ERROR, "case_json", "\"reason\":\"over %d bytes or out of memory\"",
                 AWDA_MAX_CASE_ANSWER);
        return -1;
    }
    return 0;
}
