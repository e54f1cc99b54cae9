/*
 * demo_records.c — the records the demo makes on a case's journey.
 *
 * What it is for: the work behind each step of a walked case
 * (demo_journey.c), as the staff would record it: counselling covering the
 * four topics, a consent per member (a guardian's with the child's views
 * for children), eligibility and consent to share with the receiving
 * mission, travel documents from the consulates, government procedures,
 * health assessments and escorts, guardians, best-interests assessments and
 * determinations, family assessments by the offices in Mali, protection
 * officers and risk assessments for survivors of trafficking, the hand-over
 * to the receiving office and a referral to the partner there.
 *
 * How it works: each record is a body sent to app_record_create (dj_rec),
 * so every field rule applies. Who counsels, which consulate issues, which
 * procedures an office needs and the missions come from journeys.json; the
 * words of the records are written here, beside the logic that picks them.
 * Dates are offsets from today (dj_day_at): the sessions lie in the past.
 */
#include "demo_int.h"
#include <string.h>

/* The country of return of nat (the first when none is listed). */
static const country_t *country_of(const demo_data_t *dd, const char *nat)
{
    for (size_t i = 0; i < dd->ncountries; i++)
        if (strcmp(dd->countries[i].nat, nat) == 0)
            return &dd->countries[i];
    return &dd->countries[0];
}

/* Who counsels at office (the first listed when the office has none). */
static const staff_t *counsellor_at(const demo_data_t *dd, const char *office)
{
    for (size_t i = 0; i < dd->ncounsellors; i++)
        if (strcmp(dd->counsellors[i].office, office) == 0)
            return &dd->counsellors[i].staff;
    return &dd->counsellors[0].staff;
}

/* The languages of a session with person p: one both speak, or the
 * person's own with an interpreter into the counsellor's. */
static json_t *session_langs(const json_t *p, const staff_t *s, int *interp)
{
    const json_t *langs = json_object_get(p, "languages");
    size_t i;
    json_t *l;
    json_array_foreach(langs, i, l)
    {
        for (int k = 0; k < 3 && s->langs[k]; k++)
            if (json_is_string(l) && strcmp(json_string_value(l), s->langs[k]) == 0) {
                *interp = 0;
                return json_pack("[s]", s->langs[k]);
            }
    }
    const char *own = json_string_value(json_array_get(langs, 0));
    if (!own) {
        *interp = 0;
        return json_pack("[s]", s->langs[0]);
    }
    *interp = 1;
    return json_pack("[s,s]", own, s->langs[0]);
}

void dj_cctx_init(jctx_t *j, const dcase_t *d, cctx_t *c)
{
    memset(c, 0, sizeof *c);
    int protection = d->uac;
    for (size_t i = 0; i < dj_nmembers(d); i++)
        if (dj_flagged(dj_person_at(d, i), "victim_of_trafficking"))
            protection = 1;
    c->counsellor = protection ? &j->dd->protection : counsellor_at(j->dd, d->row->office);
    const char *dest = dj_cstr(d->caze, "destination_country");
    c->country = country_of(j->dd, dest ? dest : "MLI");
    c->consulate = c->country->consulate;
    c->doc_prefix = c->country->doc_prefix;
    for (size_t k = 0; k < j->dd->nconsulates; k++)
        if (strcmp(d->row->office, j->dd->consulates[k].office) == 0 &&
            strcmp(c->country->nat, j->dd->consulates[k].nat) == 0) {
            c->consulate = j->dd->consulates[k].consulate;
            c->doc_prefix = j->dd->consulates[k].doc_prefix;
        }
    const char *area = dj_cstr(d->caze, "destination_admin_area");
    snprintf(c->area, sizeof c->area, "%s", area ? area : "the home area");
    c->langs = session_langs(dj_person_at(d, 0), c->counsellor, &c->interpreter);
    static const int BASE[][2] = {{0, 0}, {6, 14}, {14, 22}, {20, 30}, {30, 42}, {30, 42}};
    int lv = d->level;
    if (d->sc == SC_BLOCKED_APPROVAL || d->sc == SC_BLOCKED_SUSPENDED)
        lv = T_ELIGIBLE;
    c->base = -rng_range(&j->rng, BASE[lv][0], BASE[lv][1]);
    /* The Malians travel together on the charter; Sudanese by the weekly
     * bus convoy; everybody else on a scheduled flight. */
    int hh = 2, mm = 15;
    if (strcmp(c->country->nat, "MLI") == 0 && dj_in_algeria(d)) {
        c->dep_off = 12;
        hh = 6;
        mm = 0;
    } else if (strcmp(c->country->nat, "SDN") == 0) {
        c->dep_off = rng_pct(&j->rng, 50) ? 9 : 16;
        hh = 5;
        mm = 0;
    } else {
        c->dep_off = rng_range(&j->rng, 7, 28);
        if (dj_in_algeria(d)) {
            hh = 9;
            mm = 40;
        }
    }
    dj_day_at(j, c->dep_off, c->dep_day);
    dj_time_at(j, c->dep_off, hh, mm, c->dep_time);
}

/* The name that consents for a child: the appointed guardian of an
 * unaccompanied child, else the first adult of the case. */
static const char *const UAC_GUARDIAN_DZ = "Nadia Benmoussa";
static const char *const UAC_GUARDIAN_EG = "Mahmoud Abdelaziz";

static const char *guardian_for(const jctx_t *j, const dcase_t *d)
{
    int a = dj_first_adult(j, d);
    if (a >= 0 && !d->uac)
        return dj_display(dj_person_at(d, (size_t)a));
    return dj_in_algeria(d) ? UAC_GUARDIAN_DZ : UAC_GUARDIAN_EG;
}

static const char *child_views_text(const dcase_t *d, size_t i)
{
    if (d->uac)
        return dj_in_algeria(d)
                   ? "Wants to go back to the mother and to school; does not want to go on "
                     "to Libya. Afraid of the journey alone, reassured by the escort."
                   : "Wants to see the family again; worried about school after two years "
                     "away.";
    if (dj_flagged(dj_person_at(d, i), "separated_child"))
        return "Wants to stay with the older brother or sister and go home together.";
    return "Agrees to go home with the family; looks forward to seeing the grandparents and "
           "going back to school.";
}

int dj_counselling(jctx_t *j, dcase_t *d, cctx_t *c)
{
    char n1[512], n2[512];
    snprintf(n1, sizeof n1,
             "First session: the return process (%s, travel documents, what to bring) and "
             "the situation in %s from the latest country-of-origin information.",
             c->country->route, c->area);
    snprintf(n2, sizeof n2,
             "Second session: the reintegration support of %s in %s (business start-up, "
             "training, psychosocial support); the return is voluntary and can be called off "
             "at any time before departure.",
             c->country->mission, c->area);
    json_t *s1 = dj_rec_new(d, "counselling", -1);
    dj_put_day(j, s1, "date", c->base);
    json_object_set_new(s1, "counsellor", json_string(c->counsellor->name));
    json_object_set_new(s1, "language", json_deep_copy(c->langs));
    json_object_set_new(s1, "interpreter", json_boolean(c->interpreter));
    json_object_set_new(s1, "topics", json_pack("[s,s]", "return_process", "origin_situation"));
    dj_put(s1, "notes", n1);
    if (dj_rec(j, d, s1))
        return -1;
    json_t *s2 = dj_rec_new(d, "counselling", -1);
    dj_put_day(j, s2, "date", c->base + 5);
    json_object_set_new(s2, "counsellor", json_string(c->counsellor->name));
    json_object_set_new(s2, "language", json_deep_copy(c->langs));
    json_object_set_new(s2, "interpreter", json_boolean(c->interpreter));
    json_object_set_new(s2, "topics",
                        json_pack("[s,s]", "reintegration_options", "rights_and_withdrawal"));
    dj_put(s2, "notes", n2);
    return dj_rec(j, d, s2);
}

/* Protection records made when the case is first seen: a protection officer
 * and a risk assessment for survivors of trafficking; a guardian for
 * unaccompanied and separated children. */
int dj_protection_records(jctx_t *j, dcase_t *d, cctx_t *c)
{
    for (size_t i = 0; i < dj_nmembers(d); i++) {
        const json_t *p = dj_person_at(d, i);
        if (dj_flagged(p, "victim_of_trafficking")) {
            json_t *po = dj_rec_new(d, "protection_officer", (int)i);
            dj_put(po, "username", "hana.protection");
            if (dj_rec(j, d, po))
                return -1;
            json_t *ra = dj_rec_new(d, "risk_assessment", (int)i);
            dj_put_day(j, ra, "date", c->base + 1);
            dj_put(ra, "level", dj_child_now(j, p) ? "high" : "medium");
            dj_put(ra, "summary",
                   "Debt to the network that organised the journey; contact with the recruiter "
                   "cut. Reception by the protection partner at the destination agreed; no "
                   "return to the recruiter's town.");
            if (dj_rec(j, d, ra))
                return -1;
        }
        if (dj_is_uasc(j, d, i)) {
            json_t *g = dj_rec_new(d, "guardian", (int)i);
            if (d->uac) {
                dj_put(g, "name", guardian_for(j, d));
                dj_put(g, "relation",
                       dj_in_algeria(d) ? "guardian appointed by the juvenile judge"
                                        : "guardian appointed by the child protection committee");
                dj_put(g, "organisation",
                       dj_in_algeria(d) ? "Direction de l'action sociale, "
                                          "Tamanrasset"
                                        : "Child protection partner, Cairo");
            } else {
                dj_put(g, "name", guardian_for(j, d));
                dj_put(g, "relation", "adult brother or sister travelling with the child");
            }
            if (dj_rec(j, d, g))
                return -1;
        }
    }
    return 0;
}

int dj_consents(jctx_t *j, dcase_t *d, cctx_t *c)
{
    int day = c->base + 7;
    for (size_t i = 0; i < dj_nmembers(d); i++) {
        const json_t *p = dj_person_at(d, i);
        int child = dj_child_now(j, p);
        if (dj_is_uasc(j, d, i)) {
            json_t *v = dj_rec_new(d, "child_views", (int)i);
            dj_put_day(j, v, "date", day - 1);
            dj_put(v, "views", child_views_text(d, i));
            if (dj_rec(j, d, v))
                return -1;
        }
        json_t *o = dj_rec_new(d, "consent", (int)i);
        dj_put(o, "purpose", "return");
        dj_put(o, "given_by", child ? "guardian" : "self");
        if (child) {
            dj_put(o, "guardian_name", guardian_for(j, d));
            dj_put(o, "child_views", child_views_text(d, i));
        }
        dj_put(o, "notice_version", "AVRR-IN-2026.1");
        int oral = !child && rng_pct(&j->rng, 15);
        dj_put(o, "method", oral ? "oral_with_witness" : "signed_form");
        if (oral)
            dj_put(o, "witness", dj_in_algeria(d) ? "Yacine Belkacem" : "Amina Abdelrahman");
        dj_put_day(j, o, "interview_date", day);
        json_object_set_new(o, "language", json_deep_copy(c->langs));
        json_object_set_new(o, "interpreter", json_boolean(c->interpreter));
        char ev[64];
        snprintf(ev, sizeof ev, "%s/CF-%zu", dj_case_number(d), i + 1);
        dj_put(o, "evidence_ref", ev);
        if (dj_rec(j, d, o))
            return -1;
    }
    return 0;
}

int dj_eligibility(jctx_t *j, dcase_t *d, cctx_t *c, int eligible)
{
    for (size_t i = 0; eligible && i < dj_nmembers(d); i++) {
        if (!dj_is_uasc(j, d, i))
            continue;
        json_t *b = dj_rec_new(d, "best_interests_assessment", (int)i);
        dj_put_day(j, b, "date", c->base + 9);
        dj_put(b, "by", j->dd->protection.name);
        dj_put(b, "summary",
               "Interviews with the child and the guardian; the child's wish to return is "
               "consistent and informed. Family tracing requested in the country of origin.");
        if (dj_rec(j, d, b))
            return -1;
    }
    json_t *e = dj_rec_new(d, "eligibility", -1);
    dj_put(e, "decision", eligible ? "eligible" : "ineligible");
    if (!eligible)
        dj_put(e, "reason",
               dj_in_algeria(d)
                   ? "Holds a valid residence permit and a work contract in Algeria; not a "
                     "stranded migrant under the criteria of the project."
                   : "Registered with UNHCR as a refugee; referred to UNHCR for voluntary "
                     "repatriation, outside the criteria of this project.");
    else if (d->uac)
        dj_put(e, "reason",
               "Eligible as an unaccompanied child, subject to the best-interests "
               "determination and the family assessment.");
    else
        dj_put(e, "reason",
               dj_in_algeria(d) ? "Meets the criteria of the project: stranded in Algeria without "
                                  "means to return, wishes to return voluntarily."
                                : "Meets the criteria of the project: in Egypt without means to "
                                  "return, wishes to return voluntarily.");
    if (dj_rec(j, d, e))
        return -1;
    if (!eligible || dj_first_adult(j, d) != 0)
        return 0;
    /* The principal agrees that the receiving mission gets the file. */
    json_t *o = dj_rec_new(d, "consent", 0);
    dj_put(o, "purpose", "data_sharing");
    dj_put(o, "recipient", c->country->mission_id);
    dj_put(o, "given_by", "self");
    dj_put(o, "notice_version", "AVRR-IN-2026.1");
    dj_put(o, "method", "signed_form");
    dj_put_day(j, o, "interview_date", c->base + 12);
    json_object_set_new(o, "language", json_deep_copy(c->langs));
    json_object_set_new(o, "interpreter", json_boolean(c->interpreter));
    char ev[64];
    snprintf(ev, sizeof ev, "%s/DS-1", dj_case_number(d));
    dj_put(o, "evidence_ref", ev);
    return dj_rec(j, d, o);
}

/* A travel-document step for member i: requested, interview or issued. */
static int travel_doc(jctx_t *j, dcase_t *d, cctx_t *c, size_t i, const char *status)
{
    json_t *t = dj_rec_new(d, "travel_document", (int)i);
    dj_put(t, "type", c->country->doc_type);
    dj_put(t, "consulate", c->consulate);
    dj_put(t, "status", status);
    dj_put_day(j, t, "requested_on", c->base + 14);
    if (strcmp(status, "requested") != 0)
        dj_put_day(j, t, "interview_on", c->base + 19);
    if (strcmp(status, "issued") == 0) {
        dj_put_day(j, t, "issued_on", c->base + 26 < -2 ? c->base + 26 : -2);
        char num[40] = "";
        sb_add(num, sizeof num, c->doc_prefix);
        sb_digits(num, sizeof num, &j->rng, 6);
        dj_put(t, "number", num);
        char exp[16];
        dj_day_at(j, c->dep_off + 90, exp);
        dj_put(t, "expiry", exp);
    }
    return dj_rec(j, d, t);
}

int dj_procedures(jctx_t *j, dcase_t *d, cctx_t *c, int final)
{
    const proc_t *pr = dj_in_algeria(d) ? j->dd->proc_dz : j->dd->proc_eg;
    for (size_t k = 0; k < 3; k++) {
        if (!pr[k].needed) {
            if (!final)
                continue;
            json_t *o = dj_rec_new(d, "procedure", -1);
            dj_put(o, "type", pr[k].type);
            dj_put(o, "status", "not_needed");
            dj_put(o, "notes", pr[k].note);
            if (dj_rec(j, d, o))
                return -1;
            continue;
        }
        if (!final) {
            json_t *o = dj_rec_new(d, "procedure", -1);
            dj_put(o, "type", pr[k].type);
            dj_put(o, "status", "requested");
            dj_put_day(j, o, "requested_on", c->base + 15);
            if (dj_rec(j, d, o))
                return -1;
        }
        /* Some are done before the case is ready; all of them once it is. */
        if (final || rng_pct(&j->rng, 40)) {
            json_t *o = dj_rec_new(d, "procedure", -1);
            dj_put(o, "type", pr[k].type);
            dj_put(o, "status", "done");
            dj_put_day(j, o, "requested_on", c->base + 15);
            dj_put_day(j, o, "done_on", -rng_range(&j->rng, 1, 4));
            dj_put(o, "notes", pr[k].note);
            if (dj_rec(j, d, o))
                return -1;
        }
    }
    return 0;
}

/* Travel documents in progress at pre_departure: for most members without
 * one valid at the departure the consulate has the request, for some the
 * interview took place. Returns -1 on failure. */
int dj_documents_in_progress(jctx_t *j, dcase_t *d, cctx_t *c, int all)
{
    for (size_t i = 0; i < dj_nmembers(d); i++) {
        if (dj_doc_valid(dj_person_at(d, i), c->dep_day))
            continue;
        if (!all && !rng_pct(&j->rng, 75))
            continue;
        if (travel_doc(j, d, c, i, "requested"))
            return -1;
        if ((all || rng_pct(&j->rng, 50)) && travel_doc(j, d, c, i, "interview"))
            return -1;
    }
    return 0;
}

int dj_documents_issued(jctx_t *j, dcase_t *d, cctx_t *c)
{
    for (size_t i = 0; i < dj_nmembers(d); i++)
        if (!dj_doc_valid(dj_person_at(d, i), c->dep_day) && travel_doc(j, d, c, i, "issued"))
            return -1;
    return 0;
}

/* Whoever the doctor will want escorted: a mental-health condition, or a
 * medical condition at an older age. */
int dj_escort_needed(const jctx_t *j, const json_t *p)
{
    int med = dj_flagged(p, "medical_condition");
    return dj_flagged(p, "mental_health") ||
           (med && (dj_flagged(p, "elderly") || dj_age_now(j, p) >= 55));
}

/* The fitness-to-travel assessments, and a medical escort for whoever
 * needs one. */
int dj_health(jctx_t *j, dcase_t *d)
{
    const char *assessor = dj_in_algeria(d) ? "Dr Nadia Hamidi" : "Dr Mona Abdelaziz";
    const char *escort = dj_in_algeria(d) ? "Dr Karim Benali" : "Dr Ahmed Fathy";
    for (size_t i = 0; i < dj_nmembers(d); i++) {
        const json_t *p = dj_person_at(d, i);
        int med = dj_flagged(p, "medical_condition"), preg = dj_flagged(p, "pregnant");
        int old = dj_flagged(p, "elderly"), dis = dj_flagged(p, "disability");
        int mh = dj_flagged(p, "mental_health");
        int needs_escort = dj_escort_needed(j, p);
        json_t *needs = json_array();
        char notes[512] = "";
        if (needs_escort)
            json_array_append_new(needs, json_string("medical_escort"));
        if (med || mh)
            json_array_append_new(needs, json_string("medication"));
        if (dis || (old && med))
            json_array_append_new(needs, json_string("wheelchair"));
        else if (old || preg)
            json_array_append_new(needs, json_string("other"));
        if (med)
            sb_add(notes, sizeof notes,
                   "Chronic condition stable on treatment; carries "
                   "three months of medication. ");
        if (mh)
            sb_add(notes, sizeof notes,
                   "Under psychiatric follow-up; stable, escort "
                   "advised for the journey. ");
        if (preg)
            sb_add(notes, sizeof notes,
                   "Pregnancy without complication; fit-to-fly "
                   "certificate issued. ");
        if (old)
            sb_add(notes, sizeof notes, "Assistance at the airport requested. ");
        if (dis)
            sb_add(notes, sizeof notes, "Reduced mobility. ");
        int conditions = json_array_size(needs) > 0;
        json_t *h = dj_rec_new(d, "health_assessment", (int)i);
        dj_put(h, "result", conditions ? "fit_with_conditions" : "fit");
        char at[32];
        dj_time_at(j, -3, 9 + (int)(i / 3), (int)(i % 3) * 20, at);
        dj_put(h, "at", at);
        dj_put(h, "assessor", assessor);
        json_object_set_new(h, "pre_embarkation", json_false());
        if (conditions)
            json_object_set_new(h, "needs", needs);
        else
            json_decref(needs);
        if (notes[0])
            dj_put(h, "clinical_notes", notes);
        if (dj_rec(j, d, h))
            return -1;
        if (needs_escort) {
            if (dj_rec(j, d, dj_escort_new(d, i, "medical", escort)))
                return -1;
        }
    }
    return 0;
}

/* The family assessment by the office in Mali and the best-interests
 * determination (a child walked to ready; destination Mali). */
int dj_child_family(jctx_t *j, dcase_t *d, cctx_t *c)
{
    for (size_t i = 0; i < dj_nmembers(d); i++) {
        if (!dj_is_uasc(j, d, i))
            continue;
        json_t *f = dj_rec_new(d, "family_assessment", (int)i);
        dj_put(f, "office", strcmp(c->area, "Kayes") == 0 ? "ML-KYS" : "ML-BKO");
        dj_put_day(j, f, "date", c->base + 20);
        dj_put(f, "outcome", "family_traced_and_willing");
        dj_put(f, "notes",
               "Home visit: the mother and an uncle are ready to take the child back; "
               "the school has a place from the next term.");
        if (dj_rec(j, d, f))
            return -1;
        json_t *b = dj_rec_new(d, "best_interests_determination", (int)i);
        dj_put(b, "decision", "return_in_best_interests");
        dj_put_day(j, b, "date", c->base + 24);
        dj_put(b, "by", "Best-interests determination panel (IOM, social services)");
        dj_put(b, "reasons",
               "Family traced and willing, the child's wish is informed and "
               "consistent, school place confirmed; follow-up by the office in "
               "Mali for a year.");
        if (dj_rec(j, d, b))
            return -1;
    }
    return 0;
}

json_t *dj_escort_new(const dcase_t *d, size_t i, const char *kind, const char *name)
{
    json_t *e = dj_rec_new(d, "escort", (int)i);
    dj_put(e, "escort_type", kind);
    dj_put(e, "name", name);
    return e;
}

int dj_child_escort(jctx_t *j, dcase_t *d)
{
    for (size_t i = 0; i < dj_nmembers(d); i++) {
        if (!dj_is_uasc(j, d, i))
            continue;
        if (dj_rec(j, d, dj_escort_new(d, i, "child_protection", j->dd->protection.name)))
            return -1;
    }
    return 0;
}

/* A ready case going home to Mali is handed over to the office that will
 * receive it (Kayes for the Kayes region, Bamako otherwise); the principal
 * of a Kayes case consents to share their data with the youth association
 * there, which gets a referral for a livelihood course. */
int dj_receiving_office(jctx_t *j, dcase_t *d, cctx_t *c)
{
    if (strcmp(dj_cstr(d->caze, "destination_country") ? dj_cstr(d->caze, "destination_country")
                                                       : "",
               "MLI") != 0)
        return 0;
    int kayes = strstr(c->area, "Kayes") != NULL;
    json_t *body = json_pack("{s:s}", "office", kayes ? "ML-KYS" : "ML-BKO");
    app_result_t r;
    memset(&r, 0, sizeof r);
    app_case_hand_over(j->app, j->sys, dj_cstr(d->caze, "id"), body, &r);
    json_decref(body);
    if (r.code != APP_OK)
        return dj_fail_case(d, "handing over", &r);
    json_decref(d->caze);
    d->caze = json_incref(r.body);
    app_result_free(&r);
    int i = dj_first_adult(j, d);
    if (!kayes || i < 0)
        return 0;
    json_t *o = dj_rec_new(d, "consent", i);
    dj_put(o, "purpose", "data_sharing");
    dj_put(o, "recipient", j->dd->partner_id);
    dj_put(o, "given_by", "self");
    dj_put(o, "notice_version", "AVRR-IN-2026.1");
    dj_put(o, "method", "signed_form");
    dj_put_day(j, o, "interview_date", -1);
    json_object_set_new(o, "language", json_deep_copy(c->langs));
    json_object_set_new(o, "interpreter", json_boolean(c->interpreter));
    char ev[64];
    snprintf(ev, sizeof ev, "%s/DS-%d", dj_case_number(d), i + 1);
    dj_put(o, "evidence_ref", ev);
    if (dj_rec(j, d, o))
        return -1;
    json_t *ref = dj_rec_new(d, "referral", i);
    dj_put(ref, "partner", j->dd->partner_id);
    dj_put(ref, "service", "livelihood");
    dj_put_day(j, ref, "date", 0);
    dj_put(ref, "notes",
           "Wants to open a tailoring workshop in Kayes; the association runs a three-month "
           "course and a starter-kit scheme.");
    return dj_rec(j, d, ref);
}
