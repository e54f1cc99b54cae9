/*
 * serve.c — what a server face needs of the application besides the use
 * cases: one read transaction around a request's reads, the health probe,
 * and the field tables the web interface draws its forms from.
 *
 * The faces (http/) call these and never the store: the read transaction
 * is the calling thread's read connection (store_reader) in a snapshot,
 * so every use case that thread runs until app_read_end reads the same
 * state, with one lock taken instead of one per statement.
 */
#include "app.h"
#include "../core/field.h"

app_read_t *app_read_begin(app_t *app)
{
    store_conn_t *rd = store_reader(app_store(app));
    if (!rd || store_read_begin(rd) != STORE_OK)
        return NULL;
    return (app_read_t *)rd;
}

void app_read_end(app_read_t *rd)
{
    if (rd)
        store_read_end((store_conn_t *)rd);
}

int app_health(app_t *app)
{
    store_conn_t *conn = store_reader(app_store(app));
    return conn && store_ping(conn) == STORE_OK;
}

void app_form_schema(app_t *app, const app_actor_t *a, app_result_t *r)
{
    app_schema(app, a, r);
    if (r->code != APP_OK || !json_is_object(r->body))
        return;
    json_t *kinds = json_object(), *mine = json_array();
    for (size_t i = 0; i < awda_record_kind_count(); i++) {
        const awda_entity_t *k = awda_record_kind_at(i);
        awda_rec_perm_t perm;
        json_object_set_new(kinds, k->name, awda_entity_describe(k));
        if (awda_record_kind(k->name, &perm) && app_may_record(a, perm))
            json_array_append_new(mine, json_string(k->name));
    }
    app_schema_configured(app, kinds);
    json_object_set_new(r->body, "records", kinds);
    json_object_set_new(r->body, "recordable", mine);
    json_object_set_new(r->body, "restriction", awda_entity_describe(&AWDA_RESTRICTION));
}
