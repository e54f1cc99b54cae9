/*
 * snapshot.c — the typed snapshot of a case the guards of guards.c are
 * evaluated over (awda_journey_t, see journey.h): its parts filled from
 * what the store gives (awda_member_fill, awda_restriction_fill,
 * awda_prev_return_fill, awda_journey_dest_change), and freed
 * (awda_journey_free); a person's age at a time and name as the messages
 * show it.
 *
 * A member keeps its travel documents (passport, laissez-passer,
 * emergency travel document, at most AWDA_MAX_DOCUMENTS) and the flags
 * AWDA_PF_* of its vulnerabilities and protection concerns, read once
 * here so that the guards compare constants.
 */
#include "journey.h"
#include "guards.h"
#include "../text/norm.h"
#include "../util/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- snapshot helpers --------------------------------------------------- */

static const char *str(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* NULL for a text not recorded (""). */
const char *awda_opt(const char *s)
{
    return s && *s ? s : NULL;
}

int awda_age_at(const char *dob, const char *precision, long long at_ms)
{
    time_t t = (time_t)(at_ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    return awda_age_on(awda_opt(dob), awda_opt(precision), tm.tm_year + 1900, tm.tm_mon + 1,
                       tm.tm_mday, 1);
}

int awda_person_age_at(const json_t *person, long long at_ms)
{
    return awda_age_at(str(person, "date_of_birth"), str(person, "dob_precision"), at_ms);
}

void awda_display_name(const char *name_latin, const char *name, char *out, size_t cap)
{
    const char *n = awda_opt(name_latin) ? name_latin : name;
    awda_upper(n ? n : "?", out, cap);
}

void awda_person_display(const json_t *person, char *out, size_t cap)
{
    awda_display_name(str(person, "name_latin"), str(person, "name"), out, cap);
}

void awda_journey_free(awda_journey_t *j)
{
    free(j->members);
    free(j->restrictions);
    free(j->prev);
    free(j->procedure_types);
    awda_records_free(&j->records);
    j->members = NULL;
    j->restrictions = NULL;
    j->prev = NULL;
    j->procedure_types = NULL;
    j->nmembers = j->nrestrictions = j->nprev = j->nprocedure_types = 0;
}

/* ---- the parts of a snapshot ------------------------------------------------- */

static void copy(char *out, size_t cap, const char *s)
{
    snprintf(out, cap, "%s", s ? s : "");
}

/* The documents a person travels on. */
static const char *const TRAVEL_TYPES[] = {"passport", "laissez_passer",
                                           "emergency_travel_document", NULL};

static void member_documents(awda_member_t *m, const json_t *documents)
{
    size_t i;
    json_t *d;
    json_array_foreach(documents, i, d)
    {
        const char *type = str(d, "type");
        int k = type ? awda_value_index(TRAVEL_TYPES, type) : -1;
        if (k < 0 || m->ndocs >= AWDA_MAX_DOCUMENTS)
            continue;
        m->docs[m->ndocs].type = TRAVEL_TYPES[k];
        const char *exp = str(d, "expiry");
        snprintf(m->docs[m->ndocs].expiry, sizeof m->docs[m->ndocs].expiry, "%s", exp ? exp : "");
        m->ndocs++;
    }
}

static unsigned person_flags(const json_t *list)
{
    static const struct {
        const char *name;
        unsigned flag;
    } FLAGS[] = {
        {"unaccompanied_child", AWDA_PF_UNACCOMPANIED_CHILD},
        {"separated_child", AWDA_PF_SEPARATED_CHILD},
        {"victim_of_trafficking", AWDA_PF_TRAFFICKED},
    };
    unsigned f = 0;
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v)
    {
        for (size_t k = 0; json_is_string(v) && k < sizeof FLAGS / sizeof FLAGS[0]; k++)
            if (strcmp(json_string_value(v), FLAGS[k].name) == 0)
                f |= FLAGS[k].flag;
    }
    return f;
}

void awda_member_fill(awda_member_t *m, const char *person_id, const char *name_latin,
                      const char *name, const char *dob, const char *dob_precision,
                      const json_t *vulnerabilities, const json_t *protection,
                      const json_t *documents)
{
    memset(m, 0, sizeof *m);
    copy(m->person_id, sizeof m->person_id, person_id);
    awda_display_name(name_latin, name, m->name, sizeof m->name);
    copy(m->dob, sizeof m->dob, dob);
    copy(m->dob_precision, sizeof m->dob_precision, dob_precision);
    m->flags = person_flags(vulnerabilities) | person_flags(protection);
    member_documents(m, documents);
}

void awda_restriction_fill(awda_restriction_t *x, const json_t *r)
{
    memset(x, 0, sizeof *x);
    copy(x->id, sizeof x->id, str(r, "id"));
    const char *country = str(r, "country"), *area = str(r, "admin_area");
    if (area)
        snprintf(x->place, sizeof x->place, "%s (%s)", country ? country : "", area);
    else
        copy(x->place, sizeof x->place, country);
    x->suspended = str(r, "kind") && strcmp(str(r, "kind"), "suspended") == 0;
    copy(x->reason, sizeof x->reason, str(r, "reason"));
}

void awda_prev_return_fill(awda_prev_return_t *x, const json_t *p)
{
    copy(x->person_id, sizeof x->person_id, str(p, "person_id"));
    copy(x->number, sizeof x->number, str(p, "number"));
}

void awda_journey_dest_change(awda_journey_t *j, const char *from_country, const char *from_area,
                              const char *last_record)
{
    j->dest_changed = 1;
    snprintf(j->from_place, sizeof j->from_place, "%s%s%s%s", from_country ? from_country : "?",
             from_area ? " (" : "", from_area ? from_area : "", from_area ? ")" : "");
    copy(j->last_record, sizeof j->last_record, last_record);
}
