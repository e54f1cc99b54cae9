/*
 * fuzz_validate.c — libFuzzer harness for the JSON validation of every
 * entity: the field tables of src/core/entities.c (office, user, person,
 * document, contact, member, case) and src/core/records.c (restriction
 * and every record kind), walked by awda_validate (src/core/field.c) with
 * each entity's cross-field rules, then awda_redact.
 *
 * Input format: the entity's name, a newline, then the JSON body, e.g.
 *
 *     case
 *     {"office":"EG-CAI","members":[...]}
 *
 * so that seeds stay readable. A first line that names no entity still
 * picks one (by a hash of the line), so no input is wasted. The body is
 * parsed as api.c parses a request body (jansson with
 * JSON_REJECT_DUPLICATES; jansson rejects invalid UTF-8), and, like the
 * application layer, only an object is validated; a record's "kind" is
 * removed first, as app_record_create does.
 *
 * Checked beyond the sanitizers: every problem is an object with a
 * "field" and a "message" string, the count awda_validate returns is the
 * number of problems it added, and redaction leaves no field of a
 * sensitivity class outside the visible set with its value.
 *
 * With FUZZ_NO_MAIN defined this file only provides fzv_one() (the
 * regression tests include it).
 */
#include "../src/core/field.h"
#include "../src/core/journey.h"
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const awda_entity_t *const FZV_FIXED[] = {&AWDA_OFFICE,   &AWDA_USER,       &AWDA_PERSON,
                                                 &AWDA_DOCUMENT, &AWDA_CONTACT,    &AWDA_MEMBER,
                                                 &AWDA_CASE,     &AWDA_RESTRICTION};
#define FZV_NFIXED (sizeof FZV_FIXED / sizeof FZV_FIXED[0])

static size_t fzv_count(void)
{
    return FZV_NFIXED + awda_record_kind_count();
}

static const awda_entity_t *fzv_at(size_t i, int *record)
{
    *record = i >= FZV_NFIXED;
    return i < FZV_NFIXED ? FZV_FIXED[i] : awda_record_kind_at(i - FZV_NFIXED);
}

static void fzv_fail(const char *what, const awda_entity_t *e)
{
    fprintf(stderr, "fuzz_validate: %s (%s)\n", what, e->name);
    abort();
}

static void fzv_check_errors(const awda_entity_t *e, const json_t *errors, int added)
{
    if ((size_t)added != json_array_size(errors))
        fzv_fail("awda_validate's count is not the number of problems added", e);
    size_t i;
    json_t *p;
    json_array_foreach(errors, i, p)
    {
        if (!json_is_string(json_object_get(p, "field")) ||
            !json_is_string(json_object_get(p, "message")) ||
            json_string_length(json_object_get(p, "message")) == 0)
            fzv_fail("a problem without a field or a message", e);
    }
}

static void fzv_check_redacted(const awda_entity_t *e, const json_t *obj, unsigned visible)
{
    for (size_t i = 0; i < e->nfields; i++) {
        const awda_field_t *f = &e->fields[i];
        json_t *v = json_object_get(obj, f->name);
        if (f->sens == SENS_NONE || (visible & (1u << f->sens)) || !v || json_is_null(v))
            continue;
        if (!json_is_string(v) || strcmp(json_string_value(v), "[sealed]") != 0)
            fzv_fail("a sensitive field survived redaction", e);
    }
}

void fzv_one(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size);
    size_t name_len = nl ? (size_t)(nl - data) : size;
    const awda_entity_t *e = NULL;
    int record = 0;
    for (size_t i = 0; i < fzv_count() && !e; i++) {
        const awda_entity_t *c = fzv_at(i, &record);
        if (strlen(c->name) == name_len && memcmp(c->name, data, name_len) == 0)
            e = c;
    }
    if (!e) {
        uint32_t h = 2166136261u;
        for (size_t i = 0; i < name_len; i++)
            h = (h ^ data[i]) * 16777619u;
        e = fzv_at(h % fzv_count(), &record);
    }
    if (!nl)
        return;
    const char *body = (const char *)nl + 1;
    size_t body_len = size - name_len - 1;

    json_t *obj = json_loadb(body, body_len, JSON_REJECT_DUPLICATES, NULL);
    if (!json_is_object(obj)) {
        json_decref(obj);
        return;
    }
    if (record)
        json_object_del(obj, "kind");
    json_t *errors = json_array();
    int added = awda_validate(e, obj, "", errors);
    fzv_check_errors(e, errors, added);
    /* a nested path prefix, as the case's members are validated */
    json_t *errors2 = json_array();
    int added2 = awda_validate(e, obj, "members[59].person", errors2);
    fzv_check_errors(e, errors2, added2);
    if (added != added2)
        fzv_fail("the path prefix changed the number of problems", e);
    json_decref(errors);
    json_decref(errors2);

    unsigned visible = (unsigned)(size * 2654435761u) & 0x3eu;
    json_t *copy = json_deep_copy(obj);
    awda_redact(e, copy, visible);
    fzv_check_redacted(e, copy, visible);
    json_decref(copy);
    json_decref(obj);
}

#ifndef FUZZ_NO_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fzv_one(data, size);
    return 0;
}
#endif
