/*
 * manifest.h — the manifest of a movement (manifest.c): its passengers by
 * family with names in both scripts, age at departure and age group, and
 * a line per escort, with counts; as JSON, CSV or XLSX.
 */
#ifndef AWDA_APP_MANIFEST_H
#define AWDA_APP_MANIFEST_H
#include "app.h"

/* The manifest of the movement movement_id as it is now (read at request
 * time), for a user who sees the movement (404 otherwise). format is
 * "json" (NULL: json), "csv" or "xlsx" (400 otherwise). JSON: r->body =
 * {"movement", "passengers", "escorts", "counts": {"passengers",
 * "escorts", "sex", "age_group", "vulnerability"}}; CSV and XLSX: r->raw
 * (the caller's via r) with the same rows and counts. */
void app_manifest(app_t *app, const app_actor_t *a, const char *movement_id, const char *format,
                  app_result_t *r);

#endif
