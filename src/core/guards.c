/*
 * guards.c — the requirements of each step of the journey, evaluated over
 * the typed snapshot of a case (awda_journey_t, see journey.h):
 * awda_journey_check, awda_boarding_check, awda_journey_warnings.
 *
 * Each guard is a bit of guards.h in a transition's `guards` mask (the rows
 * of events.def); awda_journey_check runs every guard the transition names
 * and each guard adds one entry per requirement (per person where it is
 * personal), met or not. Nothing here stops early: the case worker gets
 * the whole list at once.
 *
 * The snapshot's parts are filled, and its ages and display names
 * worked out, in snapshot.c.
 */
#include "journey.h"
#include "guards.h"
#include "../text/norm.h"
#include "../util/limits.h"
#include "../util/timeutil.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    const awda_journey_t *j;
    const awda_member_t *members;
    int nmembers;
    const awda_records_t *recs;
    long long now;
    long long departure;   /* planned departure (or the boarding time), or -1 */
    const char *only;      /* the boarding check of one person: their id */
    size_t fresh_from;     /* records before this index predate the destination */
    const char *prev_dest; /* the destination before the latest change */
    json_t *out;
    int unmet;
} ctx_t;

static void add(ctx_t *c, const char *code, int met, const awda_member_t *member, const char *fmt,
                ...) __attribute__((format(printf, 5, 6)));
static void add(ctx_t *c, const char *code, int met, const awda_member_t *member, const char *fmt,
                ...)
{
    char msg[400];
    va_list ap;
    /* The boarding check of one person leaves the others out. */
    if (c->only && member && strcmp(member->person_id, c->only) != 0)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_t *r = json_pack("{s:s,s:b,s:s}", "code", code, "met", met, "message", msg);
    if (member) {
        json_object_set_new(r, "person_id", json_string(member->person_id));
        json_object_set_new(r, "person", json_string(member->name));
    }
    json_array_append_new(c->out, r);
    if (!met)
        c->unmet++;
}

/* A condition on a record (with its argument). */
typedef int (*pred_fn)(const awda_record_t *r, const void *arg);

/* The latest record of kind (for person_id when not NULL) that satisfies
 * pred (when not NULL), among records from index from on. Records are
 * oldest first. When stale is not NULL, *stale is set when a matching
 * record exists before from. */
static const awda_record_t *latest_from(ctx_t *c, size_t from, awda_rec_kind_t kind,
                                        const char *person_id, pred_fn pred, const void *arg,
                                        int *stale)
{
    const awda_record_t *found = NULL;
    if (stale)
        *stale = 0;
    for (size_t i = 0; i < c->recs->n; i++) {
        const awda_record_t *r = &c->recs->items[i];
        if (r->kind != kind)
            continue;
        if (person_id && strcmp(r->person_id, person_id) != 0)
            continue;
        if (pred && !pred(r, arg))
            continue;
        if (i >= from)
            found = r;
        else if (stale)
            *stale = 1;
    }
    return found;
}

/* The latest such record of all. */
static const awda_record_t *latest(ctx_t *c, awda_rec_kind_t kind, const char *person_id,
                                   pred_fn pred, const void *arg)
{
    return latest_from(c, 0, kind, person_id, pred, arg, NULL);
}

/* The latest such record made since the latest change of destination;
 * *stale is set when a matching record exists from before the change (it
 * was given for the previous destination). */
static const awda_record_t *latest_fresh(ctx_t *c, awda_rec_kind_t kind, const char *person_id,
                                         pred_fn pred, const void *arg, int *stale)
{
    return latest_from(c, c->fresh_from, kind, person_id, pred, arg, stale);
}

/* 1 when the constant s (of a list, or NULL) is the string want. */
static int is(const char *s, const char *want)
{
    return s && strcmp(s, want) == 0;
}

static int age_of(ctx_t *c, const awda_member_t *m)
{
    return awda_age_at(m->dob, m->dob_precision, c->departure > 0 ? c->departure : c->now);
}

/* 1 when some member is known to be an adult at departure. A member of
 * unknown age does not count: a child is only "accompanied" by someone
 * known to be an adult. */
static int any_adult(ctx_t *c)
{
    for (int i = 0; i < c->nmembers; i++)
        if (age_of(c, &c->members[i]) >= 18)
            return 1;
    return 0;
}

static int is_child(ctx_t *c, const awda_member_t *m)
{
    int a = age_of(c, m);
    return a >= 0 && a < 18;
}

/* Unaccompanied or separated: flagged so (in the routing vulnerabilities
 * or the protection concerns, which the snapshot holds whoever asks; only
 * the answers are redacted), or a child with no adult in the case. */
static int is_uasc(ctx_t *c, const awda_member_t *m)
{
    if (m->flags & (AWDA_PF_UNACCOMPANIED_CHILD | AWDA_PF_SEPARATED_CHILD))
        return 1;
    return is_child(c, m) && !any_adult(c);
}

static void departure_date(ctx_t *c, char out[11])
{
    long long at = c->departure > 0 ? c->departure : c->now;
    time_t t = (time_t)(at / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(out, 11, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* ---- guards ---------------------------------------------------------------- */

static const char *topic_words(const char *t)
{
    if (strcmp(t, "return_process") == 0)
        return "the return process";
    if (strcmp(t, "origin_situation") == 0)
        return "the situation in the country of origin";
    if (strcmp(t, "reintegration_options") == 0)
        return "the reintegration options";
    return "the person's rights and the freedom to withdraw";
}

static void g_counselling(ctx_t *c)
{
    for (int t = 0; AWDA_COUNSELLING_TOPICS[t]; t++) {
        const char *topic = AWDA_COUNSELLING_TOPICS[t];
        int covered = 0;
        for (size_t i = 0; i < c->recs->n; i++) {
            const awda_record_t *r = &c->recs->items[i];
            if (r->kind == AWDA_RK_COUNSELLING && (r->v.counselling.topics & (1u << t)))
                covered = 1;
        }
        char code[64];
        snprintf(code, sizeof code, "counselling.%s", topic);
        add(c, code, covered, NULL,
            covered ? "counselling covered %s" : "counselling has not yet covered %s",
            topic_words(topic));
    }
}

static int is_return_consent(const awda_record_t *r, const void *arg)
{
    (void)arg;
    return is(r->v.consent.purpose, "return");
}

static void g_consent(ctx_t *c)
{
    for (int i = 0; i < c->nmembers; i++) {
        const awda_member_t *m = &c->members[i];
        const char *name = m->name;
        int stale;
        const awda_record_t *d =
            latest_fresh(c, AWDA_RK_CONSENT, m->person_id, is_return_consent, NULL, &stale);
        int child = is_child(c, m) || is_uasc(c, m);
        if (!d && stale) {
            add(c, "consent.return", 0, m,
                "the consent to return of %s was given for the previous destination, %s; a new "
                "consent is needed",
                name, c->prev_dest);
        } else if (!d) {
            add(c, "consent.return", 0, m, "no consent to return is recorded for %s", name);
        } else if (d->v.consent.withdrawn) {
            add(c, "consent.return", 0, m, "%s withdrew consent to return; a new consent is needed",
                name);
        } else if (child && (!is(d->v.consent.given_by, "guardian") || !d->v.consent.child_views)) {
            add(c, "consent.return", 0, m,
                "consent to return for the child %s must be given by the guardian, with the "
                "child's own views recorded",
                name);
        } else {
            add(c, "consent.return", 1, m, "%s consented to return", name);
        }
    }
}

static void g_eligibility(ctx_t *c)
{
    int stale;
    const awda_record_t *d = latest_fresh(c, AWDA_RK_ELIGIBILITY, NULL, NULL, NULL, &stale);
    if (!d && stale)
        add(c, "eligibility.decision", 0, NULL,
            "the eligibility decision was made for the previous destination, %s; a new decision "
            "is needed",
            c->prev_dest);
    else if (!d)
        add(c, "eligibility.decision", 0, NULL, "no eligibility decision has been recorded");
    else if (!is(d->v.eligibility.decision, "eligible"))
        add(c, "eligibility.decision", 0, NULL, "the case was found ineligible: %s",
            d->v.eligibility.reason);
    else
        add(c, "eligibility.decision", 1, NULL, "a supervisor found the case eligible");
}

static int approves(const awda_record_t *r, const void *arg)
{
    return arg && strcmp(r->v.approval.restriction_id, arg) == 0;
}

static void g_restrictions(ctx_t *c)
{
    const char *country = awda_opt(c->j->dest_country);
    const char *area = awda_opt(c->j->dest_admin_area);
    int any = 0;
    for (int i = 0; i < c->j->nrestrictions; i++) {
        const awda_restriction_t *r = &c->j->restrictions[i];
        any = 1;
        if (r->suspended) {
            add(c, "restriction.suspended", 0, NULL, "return to %s is suspended: %s", r->place,
                r->reason);
        } else {
            int ok =
                latest(c, AWDA_RK_RESTRICTION_APPROVAL, NULL, approves, awda_opt(r->id)) != NULL;
            add(c, "restriction.approval", ok, NULL,
                ok ? "return to %s needs case-by-case approval: approved"
                   : "return to %s needs case-by-case approval by a programme manager: %s",
                r->place, r->reason);
        }
    }
    if (!any)
        add(c, "restriction.clear", 1, NULL, "no restriction applies to return to %s%s%s%s",
            country ? country : "?", area ? " (" : "", area ? area : "", area ? ")" : "");
}

/* set_only: the departure is being confirmed, so the planned one may be
 * past. */
static void g_departure_date(ctx_t *c, int set_only)
{
    if (c->departure < 0)
        add(c, "departure.planned", 0, NULL, "the planned departure date is not set");
    else if (c->departure < c->now && !set_only)
        add(c, "departure.planned", 0, NULL, "the planned departure is in the past");
    else
        add(c, "departure.planned", 1, NULL, "the planned departure is set");
}

static const char *doc_words(const char *t)
{
    if (t && strcmp(t, "laissez_passer") == 0)
        return "laissez-passer";
    if (t && strcmp(t, "emergency_travel_document") == 0)
        return "emergency travel document";
    return "passport";
}

static void g_documents(ctx_t *c)
{
    char dep[11];
    departure_date(c, dep);
    for (int i = 0; i < c->nmembers; i++) {
        const awda_member_t *m = &c->members[i];
        const char *name = m->name;
        int valid = 0;
        const char *expired_type = NULL, *expired_on = NULL;
        for (int k = 0; k < m->ndocs; k++) {
            const char *exp = awda_opt(m->docs[k].expiry);
            if (exp && strcmp(exp, dep) > 0)
                valid = 1;
            else {
                expired_type = m->docs[k].type;
                expired_on = exp;
            }
        }
        const awda_record_t *td = latest(c, AWDA_RK_TRAVEL_DOCUMENT, m->person_id, NULL, NULL);
        if (td && is(td->v.travel_document.status, "issued")) {
            const char *exp = td->v.travel_document.expiry[0] ? td->v.travel_document.expiry : NULL;
            if (exp && strcmp(exp, dep) > 0)
                valid = 1;
            else {
                expired_type = td->v.travel_document.type;
                expired_on = exp;
            }
        }
        if (valid)
            add(c, "document.valid", 1, m, "%s has a travel document valid for the departure",
                name);
        else if (expired_type && !expired_on)
            add(c, "document.valid", 0, m, "the expiry date of the %s of %s is not recorded",
                doc_words(expired_type), name);
        else if (expired_type)
            add(c, "document.valid", 0, m, "%s of %s expires before the planned departure (%s)",
                doc_words(expired_type), name, expired_on);
        else if (td)
            add(c, "document.valid", 0, m, "the %s for %s is not issued yet (%s)",
                doc_words(td->v.travel_document.type), name,
                td->v.travel_document.status ? td->v.travel_document.status : "");
        else
            add(c, "document.valid", 0, m, "%s has no travel document", name);
    }
}

static int is_type(const awda_record_t *r, const void *arg)
{
    return strcmp(r->v.procedure.type, arg) == 0;
}

static void g_procedures(ctx_t *c)
{
    for (int i = 0; i < c->j->nprocedure_types; i++) {
        const char *type = c->j->procedure_types[i];
        char code[96];
        snprintf(code, sizeof code, "procedure.%s", type);
        const awda_record_t *d = latest(c, AWDA_RK_PROCEDURE, NULL, is_type, type);
        const char *st = d ? d->v.procedure.status : NULL;
        if (!st)
            add(c, code, 0, NULL, "the procedure %s is not recorded (done or not needed)", type);
        else if (strcmp(st, "requested") == 0)
            add(c, code, 0, NULL, "the procedure %s is still pending", type);
        else
            add(c, code, 1, NULL, "the procedure %s is %s", type,
                strcmp(st, "done") == 0 ? "done" : "not needed");
    }
}

static int is_assessment(const awda_record_t *r, const void *arg)
{
    return r->v.health.pre_embarkation == (arg != NULL);
}

static int fit(const awda_record_t *r)
{
    return is(r->v.health.result, "fit") || is(r->v.health.result, "fit_with_conditions");
}

static int escort_is(const awda_record_t *r, const void *arg)
{
    return is(r->v.escort.escort_type, arg);
}

static void g_health(ctx_t *c)
{
    for (int i = 0; i < c->nmembers; i++) {
        const awda_member_t *m = &c->members[i];
        const char *name = m->name;
        const awda_record_t *d =
            latest(c, AWDA_RK_HEALTH_ASSESSMENT, m->person_id, is_assessment, NULL);
        if (!d) {
            /* The pre-embarkation check is a short look on the day; the
             * assessment of fitness to travel comes before and is a
             * record of its own (pre_embarkation false). */
            if (latest(c, AWDA_RK_HEALTH_ASSESSMENT, m->person_id, is_assessment, "pre"))
                add(c, "health.fit", 0, m,
                    "no fitness-to-travel assessment for %s: a pre-embarkation check is recorded, "
                    "but the fitness-to-travel assessment is a separate health assessment (not "
                    "marked pre-embarkation)",
                    name);
            else
                add(c, "health.fit", 0, m,
                    "no fitness-to-travel assessment for %s (a health assessment, separate from "
                    "the "
                    "pre-embarkation check)",
                    name);
            continue;
        }
        const char *r = d->v.health.result ? d->v.health.result : "";
        if (strcmp(r, "temporarily_unfit") == 0)
            add(c, "health.fit", 0, m,
                "%s is temporarily unfit to travel; stabilisation comes first", name);
        else if (strcmp(r, "unfit") == 0)
            add(c, "health.fit", 0, m, "%s is unfit to travel", name);
        else
            add(c, "health.fit", 1, m, "%s is fit to travel%s", name,
                strcmp(r, "fit_with_conditions") == 0 ? " with conditions" : "");
        if (d->v.health.medical_escort) {
            int ok = latest(c, AWDA_RK_ESCORT, m->person_id, escort_is, "medical") != NULL;
            add(c, "escort.medical", ok, m,
                ok ? "a medical escort is assigned to %s" : "%s needs a medical escort", name);
        }
    }
}

static int bid_positive(const awda_record_t *r, const void *arg)
{
    (void)arg;
    return is(r->v.bid.decision, "return_in_best_interests");
}

static int family_ok(const awda_record_t *r, const void *arg)
{
    (void)arg;
    return is(r->v.family.outcome, "family_traced_and_willing");
}

static int child_escort(const awda_record_t *r, const void *arg)
{
    (void)arg;
    return is(r->v.escort.escort_type, "child_protection") ||
           is(r->v.escort.escort_type, "operational");
}

static void g_children(ctx_t *c)
{
    static const struct {
        awda_rec_kind_t kind;
        const char *code, *missing, *done;
        pred_fn pred;
    } NEEDS[] = {
        {AWDA_RK_GUARDIAN, "child.guardian", "no guardian is recorded for the child %s",
         "the child %s has a guardian", NULL},
        {AWDA_RK_BEST_INTERESTS_ASSESSMENT, "child.bia",
         "no best-interests assessment for the child %s",
         "a best-interests assessment was made for the child %s", NULL},
        {AWDA_RK_BEST_INTERESTS_DETERMINATION, "child.bid",
         "no best-interests determination that return is in the interests of the child %s",
         "return was determined to be in the best interests of the child %s", bid_positive},
        {AWDA_RK_CHILD_VIEWS, "child.views", "the views of the child %s are not recorded",
         "the views of the child %s are recorded", NULL},
        {AWDA_RK_FAMILY_ASSESSMENT, "child.family",
         "no family assessment by an office in the country of return shows the family of the "
         "child %s traced and willing",
         "the family of the child %s was assessed in the country of return", family_ok},
        {AWDA_RK_ESCORT, "child.escort",
         "no child-protection or operational escort is assigned to the child %s",
         "an escort is assigned to the child %s", child_escort},
    };
    for (int i = 0; i < c->nmembers; i++) {
        const awda_member_t *m = &c->members[i];
        if (!is_uasc(c, m))
            continue;
        const char *name = m->name;
        for (size_t k = 0; k < sizeof NEEDS / sizeof NEEDS[0]; k++) {
            /* The latest record counts: a newer negative determination or
             * family assessment replaces an older positive one. */
            const awda_record_t *d;
            int ok;
            if (NEEDS[k].kind == AWDA_RK_ESCORT) {
                /* Escorts add up: a medical escort does not replace the child's. */
                ok = latest(c, AWDA_RK_ESCORT, m->person_id, NEEDS[k].pred, NULL) != NULL;
            } else if (NEEDS[k].kind == AWDA_RK_FAMILY_ASSESSMENT) {
                /* The family was assessed where the child was going. */
                int stale;
                d = latest_fresh(c, NEEDS[k].kind, m->person_id, NULL, NULL, &stale);
                ok = d && NEEDS[k].pred(d, NULL);
                if (!d && stale) {
                    add(c, NEEDS[k].code, 0, m,
                        "the family of the child %s was assessed for the previous destination, "
                        "%s; a new family assessment is needed",
                        name, c->prev_dest);
                    continue;
                }
            } else {
                d = latest(c, NEEDS[k].kind, m->person_id, NULL, NULL);
                ok = d && (!NEEDS[k].pred || NEEDS[k].pred(d, NULL));
            }
            /* The formats come from the constant table above, each with one %s. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
            add(c, NEEDS[k].code, ok, m, ok ? NEEDS[k].done : NEEDS[k].missing, name);
#pragma GCC diagnostic pop
        }
    }
}

static void g_trafficking(ctx_t *c)
{
    for (int i = 0; i < c->nmembers; i++) {
        const awda_member_t *m = &c->members[i];
        if (!(m->flags & AWDA_PF_TRAFFICKED))
            continue;
        const char *name = m->name;
        int po = latest(c, AWDA_RK_PROTECTION_OFFICER, m->person_id, NULL, NULL) != NULL;
        /* The codes and sentences say what is missing, not why: every case
         * worker reads them, and only the protection role may know that
         * the person was trafficked. */
        add(c, "protection.officer", po, m,
            po ? "a protection officer is assigned to %s"
               : "no protection officer is assigned to %s",
            name);
        int ra = latest(c, AWDA_RK_RISK_ASSESSMENT, m->person_id, NULL, NULL) != NULL;
        add(c, "protection.risk", ra, m,
            ra ? "a risk assessment was made for %s" : "no risk assessment for %s", name);
    }
}

static long long window_ms(int hours)
{
    return (long long)(hours > 0 ? hours : 72) * 3600 * 1000;
}

static void g_reconfirmation(ctx_t *c)
{
    long long win = window_ms(c->j->reconfirm_hours);
    int hours = (int)(win / 3600000);
    int adults = any_adult(c);
    for (int i = 0; i < c->nmembers; i++) {
        const awda_member_t *m = &c->members[i];
        if (adults && is_child(c, m))
            continue;
        const char *name = m->name;
        const awda_record_t *d = latest(c, AWDA_RK_RECONFIRMATION, m->person_id, NULL, NULL);
        long long at = d ? d->v.reconfirmation.at : -1;
        int ok = at > 0 && c->departure > 0 && at <= c->departure && at >= c->departure - win &&
                 at <= c->now;
        add(c, "reconfirmation", ok, m,
            ok ? "%s reconfirmed the wish to return within %d hours of departure"
               : "consent for %s not reconfirmed within %d hours of departure",
            name, hours);
    }
}

static void g_preembark(ctx_t *c)
{
    long long win = window_ms(c->j->preembark_hours);
    int hours = (int)(win / 3600000);
    for (int i = 0; i < c->nmembers; i++) {
        const awda_member_t *m = &c->members[i];
        const char *name = m->name;
        const awda_record_t *d =
            latest(c, AWDA_RK_HEALTH_ASSESSMENT, m->person_id, is_assessment, "pre");
        long long at = d ? d->v.health.at : -1;
        int in_window = at > 0 && c->departure > 0 && at <= c->departure &&
                        at >= c->departure - win && at <= c->now;
        if (!in_window)
            add(c, "health.pre_embarkation", 0, m,
                "no pre-embarkation check for %s within %d hours of departure", name, hours);
        else if (!fit(d))
            add(c, "health.pre_embarkation", 0, m,
                "the pre-embarkation check found %s not fit to travel", name);
        else
            add(c, "health.pre_embarkation", 1, m,
                "the pre-embarkation check found %s fit to travel", name);
    }
}

static void g_reason(ctx_t *c, int closure)
{
    const char *reason = c->j->reason;
    if (closure) {
        int ok = reason && awda_value_index(AWDA_CLOSURE_REASONS, reason) >= 0;
        add(c, "closure.reason", ok, NULL,
            ok ? "the closure reason is %s"
               : "a closure reason is needed: plan_completed, support_period_ended, withdrew, "
                 "left_the_area, lost_contact, re_migrated, deceased, ineligible or other%s",
            ok ? reason : "");
        return;
    }
    int ok = reason && *reason;
    add(c, "reason", ok, NULL, ok ? "a reason is given" : "a reason is needed");
}

static void g_return_office(ctx_t *c)
{
    const char *oc = awda_opt(c->j->office_country);
    const char *dest = awda_opt(c->j->dest_country);
    int ok = oc && dest && strcmp(oc, dest) == 0;
    add(c, "arrival.office", ok, NULL,
        ok ? "the case is held by an office in the country of return"
           : "only an office in the country of return (%s) can record an arrival it did not "
             "organise",
        dest ? dest : "?");
}

/* Sets up c over j; the caller frees c->out (or hands it over). */
static void ctx_init(ctx_t *c, const awda_journey_t *j)
{
    memset(c, 0, sizeof *c);
    c->j = j;
    c->members = j->members;
    c->nmembers = j->nmembers;
    c->recs = &j->records;
    c->now = j->now;
    c->departure = j->planned_departure;
    c->out = json_array();
    /* Records up to the one that was newest when the destination last
     * changed were made for the previous destination. */
    const char *last = j->dest_changed ? awda_opt(j->last_record) : NULL;
    for (size_t i = 0; last && i < c->recs->n; i++) {
        if (strcmp(c->recs->items[i].id, last) == 0)
            c->fresh_from = i + 1;
    }
    c->prev_dest = j->dest_changed && *j->from_place ? j->from_place : "?";
}

static void run_guards(ctx_t *c, unsigned g)
{
    if (g & G_REASON)
        g_reason(c, 0);
    if (g & G_CLOSURE_REASON)
        g_reason(c, 1);
    if (g & G_RETURN_OFFICE)
        g_return_office(c);
    if (g & G_COUNSELLING)
        g_counselling(c);
    if (g & G_CONSENT)
        g_consent(c);
    if (g & G_ELIGIBILITY)
        g_eligibility(c);
    if (g & G_RESTRICTIONS)
        g_restrictions(c);
    if (g & (G_DEPARTURE_DATE | G_PLANNED))
        g_departure_date(c, !(g & G_DEPARTURE_DATE));
    if (g & G_DOCUMENTS)
        g_documents(c);
    if (g & G_PROCEDURES)
        g_procedures(c);
    if (g & G_HEALTH)
        g_health(c);
    if (g & G_CHILDREN)
        g_children(c);
    if (g & G_TRAFFICKING)
        g_trafficking(c);
    if (g & G_RECONFIRMATION)
        g_reconfirmation(c);
    if (g & G_PREEMBARK)
        g_preembark(c);
}

json_t *awda_journey_check(const awda_transition_t *t, const awda_journey_t *j, int *unmet)
{
    ctx_t c;
    ctx_init(&c, j);
    unsigned g = t->guards;
    if (!t->to) {
        /* resume: the guards of the step forward into the stage the case
         * returns to (a case is held only before departure, so the stage
         * before is one a forward step leads to, or registered) */
        const char *back = awda_opt(j->stage_before);
        for (size_t i = 0; back && i < awda_transition_count(); i++) {
            const awda_transition_t *w = awda_transition_at(i);
            if (w->to && strcmp(w->to, back) == 0 && !(w->flags & AWDA_STEP_SIDE)) {
                g = w->guards;
                break;
            }
        }
    }
    run_guards(&c, g);
    *unmet = c.unmet;
    return c.out;
}

json_t *awda_boarding_check(const awda_journey_t *j, const char *person_id, long long boarding_ms,
                            int *unmet)
{
    ctx_t c;
    ctx_init(&c, j);
    c.only = person_id ? person_id : "";
    c.departure = boarding_ms;
    run_guards(&c, G_BOARDING);
    *unmet = c.unmet;
    return c.out;
}

json_t *awda_journey_warnings(const awda_journey_t *j)
{
    json_t *out = json_array();
    for (int i = 0; i < j->nprev; i++) {
        const awda_prev_return_t *prev = &j->prev[i];
        for (int k = 0; k < j->nmembers; k++) {
            const awda_member_t *m = &j->members[k];
            if (!*m->person_id || strcmp(m->person_id, prev->person_id) != 0)
                continue;
            char msg[400];
            snprintf(msg, sizeof msg, "%s was assisted to return before (case %s)", m->name,
                     *prev->number ? prev->number : "?");
            json_array_append_new(out, json_pack("{s:s,s:s,s:s,s:s}", "code", "previously_assisted",
                                                 "message", msg, "person_id", m->person_id,
                                                 "person", m->name));
        }
    }
    return out;
}
