/*
 * gen_names.c — loads data/demo/names.json for bench/gen (see gen_names.h).
 *
 * The file maps a pool name ("SDN.male", "AR.family", "MLI.more.male"...)
 * to entries "Latin name" or ["as written", "Latin", other spellings...].
 * gen_tables.h names, per nationality, the pools gen_households.c draws
 * from; this file turns them into arrays of entries. Everything is allocated once and kept for
 * the life of the process (a generator run).
 */
#include "gen_names.h"
#include "../src/util/limits.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static json_t *pools;

static void die_names(const char *path, const char *what)
{
    fprintf(stderr, "gen: %s: %s\n", path, what);
    exit(1);
}

void gen_names_load(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        die_names(path, "missing (give the demo dataset's names.json with --names PATH)");
    if (st.st_size > AWDA_DEMO_MAX_FILE)
        die_names(path, "too large");
    json_error_t e;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &e);
    if (!root)
        die_names(path, e.text);
    pools = json_object_get(root, "pools");
    if (!json_is_object(pools))
        die_names(path, "no \"pools\" object");
}

static void entry(const json_t *v, gname_t *g, const char *pool)
{
    memset(g, 0, sizeof *g);
    if (json_is_string(v)) {
        g->w = json_string_value(v);
        return;
    }
    size_t n = json_array_size(v);
    g->w = json_string_value(json_array_get(v, 0));
    for (size_t i = 1; i < n && g->nlat < 6; i++)
        g->lat[g->nlat++] = json_string_value(json_array_get(v, i));
    if (!g->w || n < 2 || !g->lat[0])
        die_names(pool, "an entry is \"Name\" or [\"as written\", \"Latin\", ...]");
}

gpool_t gen_names_pool(const char *const *names)
{
    gpool_t p = {NULL, 0};
    size_t total = 0;
    for (int i = 0; names[i]; i++) {
        const json_t *a = json_object_get(pools, names[i]);
        if (!json_is_array(a) || json_array_size(a) == 0)
            die_names(names[i], "no such name pool in names.json");
        total += json_array_size(a);
    }
    p.e = calloc(total, sizeof *p.e);
    gname_t *all = calloc(total, sizeof *all);
    if (!p.e || !all)
        die_names("names.json", "out of memory");
    for (int i = 0; names[i]; i++) {
        const json_t *a = json_object_get(pools, names[i]);
        for (size_t k = 0; k < json_array_size(a); k++) {
            entry(json_array_get(a, k), &all[p.n], names[i]);
            p.e[p.n] = &all[p.n];
            p.n++;
        }
    }
    return p;
}
