/*
 * survey.c — the Reintegration Sustainability Survey: instruments, raw
 * answers, scores, rescoring, a person's scores over time (followup.h).
 *
 * The instrument is configuration, not code: a definition file
 * (data/survey/README.md) of indicators, each in one dimension (economic,
 * social, psychosocial) with a weight in its dimension and a weight in
 * the composite, each measured by questions whose answer options carry a
 * score in basis points (0..10000 for 0..1, or null: not scored, such as
 * "does not want to answer"). Files are loaded at start into
 * survey_instruments by (code, version); a version once stored never
 * changes (another definition under the same version is refused), so a
 * score always says which definition made it.
 *
 * Scoring is integer arithmetic on basis points, rounded half up at each
 * level (indicator, then dimension and composite), so that a person can
 * check it by hand: survey_score. A response keeps its raw answers and the
 * version its scores were computed with; `awda survey rescore` recomputes
 * every response scored with an older version than the newest (the
 * store opens the answers, sealed at rest, with the key file).
 *
 * The raw answers (distress, well-being) are psychosocial detail: the
 * scores are read by everyone who reads follow-up, the answers only as
 * app_followup_sees_detail (monitoring.c) allows, "[sealed]" otherwise.
 */
#include "followup.h"
#include "internal.h"
#include "../core/field.h"
#include "../util/limits.h"
#include "../util/timeutil.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const DIMENSIONS[] = {"economic", "social", "psychosocial", NULL};
static const char *const ROUNDS[] = {"baseline", "follow_up", NULL};

static int one_of(const char *v, const char *const *list)
{
    for (int i = 0; v && list[i]; i++)
        if (strcmp(v, list[i]) == 0)
            return i + 1;
    return 0;
}

/* ---- the definition ---------------------------------------------------------- */

static int code_ok(const json_t *v)
{
    const char *s = json_string_value(v);
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > AWDA_SURVEY_MAX_CODE)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
              s[i] == '-'))
            return 0;
    return 1;
}

static int why_set(char *why, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int why_set(char *why, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, cap, fmt, ap);
    va_end(ap);
    return -1;
}

/* The options of question q: its own, or its scale's. */
static const json_t *options_of(const json_t *def, const json_t *q)
{
    const json_t *o = json_object_get(q, "options");
    if (o)
        return o;
    return json_object_get(json_object_get(def, "scales"),
                           json_string_value(json_object_get(q, "scale")));
}

static int options_check(const json_t *opts, const char *where, char *why, size_t cap)
{
    if (!json_is_array(opts) || json_array_size(opts) < 1 ||
        json_array_size(opts) > AWDA_SURVEY_MAX_OPTIONS)
        return why_set(why, cap, "%s: the answer options must be a list of 1 to 20%s", where, "");
    int scored = 0;
    size_t i, j;
    const json_t *o;
    json_array_foreach(opts, i, o)
    {
        const json_t *code = json_object_get(o, "code"), *s = json_object_get(o, "score_bp");
        if (!code_ok(code))
            return why_set(why, cap,
                           "%s: an option needs a code of lower-case letters, digits, _ or -%s",
                           where, "");
        for (j = 0; j < i; j++)
            if (json_equal(json_object_get(json_array_get(opts, j), "code"), code))
                return why_set(why, cap, "%s: the option %s is there twice", where,
                               json_string_value(code));
        if (!json_is_null(s) &&
            (!json_is_integer(s) || json_integer_value(s) < 0 || json_integer_value(s) > 10000))
            return why_set(why, cap,
                           "%s: the score_bp of option %s must be a whole number from 0 to 10000 "
                           "(or null: not scored)",
                           where, json_string_value(code));
        scored += json_is_integer(s);
    }
    if (!scored)
        return why_set(why, cap, "%s: at least one option must have a score%s", where, "");
    return 0;
}

static int weight_ok(const json_t *w, long long min)
{
    return json_is_integer(w) && json_integer_value(w) >= min &&
           json_integer_value(w) <= AWDA_SURVEY_MAX_WEIGHT;
}

int survey_definition_check(const json_t *def, char *why, size_t cap)
{
    if (!json_is_object(def))
        return why_set(why, cap, "the definition must be a JSON object%s%s", "", "");
    if (!code_ok(json_object_get(def, "code")))
        return why_set(why, cap, "code: lower-case letters, digits, _ or - (at most 64)%s%s", "",
                       "");
    const json_t *ver = json_object_get(def, "version");
    if (!json_is_integer(ver) || json_integer_value(ver) < 1 || json_integer_value(ver) > 1000000)
        return why_set(why, cap, "version: a whole number from 1%s%s", "", "");
    const json_t *scales = json_object_get(def, "scales");
    if (scales && !json_is_object(scales))
        return why_set(why, cap, "scales: an object of named option lists%s%s", "", "");
    const char *k;
    const json_t *v;
    json_object_foreach((json_t *)scales, k, v)
    {
        char where[96];
        snprintf(where, sizeof where, "scales.%.60s", k);
        if (options_check(v, where, why, cap) != 0)
            return -1;
    }
    const json_t *inds = json_object_get(def, "indicators");
    if (!json_is_array(inds) || json_array_size(inds) < 1 ||
        json_array_size(inds) > AWDA_SURVEY_MAX_INDICATORS)
        return why_set(why, cap, "indicators: a list of 1 to 100 indicators%s%s", "", "");
    int per_dim[3] = {0, 0, 0};
    long long composite = 0;
    size_t nq = 0, i, j;
    const json_t *ind;
    json_t *seen_q = json_object();
    int rc = -1;
    json_array_foreach(inds, i, ind)
    {
        char where[96];
        const json_t *code = json_object_get(ind, "code");
        if (!code_ok(code)) {
            why_set(why, cap, "indicators[%s]: an indicator needs a code%s", "", "");
            goto out;
        }
        snprintf(where, sizeof where, "indicator %.64s", json_string_value(code));
        for (j = 0; j < i; j++)
            if (json_equal(json_object_get(json_array_get(inds, j), "code"), code)) {
                why_set(why, cap, "%s: the code is there twice%s", where, "");
                goto out;
            }
        int d = one_of(json_string_value(json_object_get(ind, "dimension")), DIMENSIONS);
        if (!d) {
            why_set(why, cap, "%s: dimension must be economic, social or psychosocial%s", where,
                    "");
            goto out;
        }
        per_dim[d - 1]++;
        if (!weight_ok(json_object_get(ind, "weight_in_dimension"), 1) ||
            !weight_ok(json_object_get(ind, "weight_in_composite"), 0)) {
            why_set(why, cap,
                    "%s: weight_in_dimension is a whole number from 1 to 1000, "
                    "weight_in_composite from 0 to 1000%s",
                    where, "");
            goto out;
        }
        composite += json_integer_value(json_object_get(ind, "weight_in_composite"));
        const json_t *qs = json_object_get(ind, "questions");
        if (!json_is_array(qs) || json_array_size(qs) < 1) {
            why_set(why, cap, "%s: questions must be a list of at least one question%s", where, "");
            goto out;
        }
        size_t qi;
        const json_t *q;
        json_array_foreach(qs, qi, q)
        {
            const json_t *qc = json_object_get(q, "code");
            if (!code_ok(qc)) {
                why_set(why, cap, "%s: a question needs a code%s", where, "");
                goto out;
            }
            const char *qcode = json_string_value(qc);
            if (json_object_get(seen_q, qcode)) {
                why_set(why, cap, "question %s: the code is there twice%s", qcode, "");
                goto out;
            }
            json_object_set_new(seen_q, qcode, json_true());
            if (++nq > AWDA_SURVEY_MAX_QUESTIONS) {
                why_set(why, cap, "indicators: more than 300 questions%s%s", "", "");
                goto out;
            }
            int has_opts = json_object_get(q, "options") != NULL;
            int has_scale = json_object_get(q, "scale") != NULL;
            if (has_opts == has_scale) {
                why_set(why, cap, "question %s: give either options or the name of a scale%s",
                        qcode, "");
                goto out;
            }
            char qwhere[96];
            snprintf(qwhere, sizeof qwhere, "question %.64s", qcode);
            if (has_scale && !options_of(def, q)) {
                why_set(why, cap, "%s: there is no scale %s", qwhere,
                        json_string_value(json_object_get(q, "scale")));
                goto out;
            }
            if (options_check(options_of(def, q), qwhere, why, cap) != 0)
                goto out;
        }
    }
    for (int d = 0; d < 3; d++)
        if (!per_dim[d]) {
            why_set(why, cap, "the %s dimension has no indicator%s", DIMENSIONS[d], "");
            goto out;
        }
    if (composite <= 0) {
        why_set(why, cap, "at least one indicator needs a weight_in_composite above 0%s%s", "", "");
        goto out;
    }
    rc = 0;
out:
    json_decref(seen_q);
    return rc;
}

/* ---- scoring ------------------------------------------------------------------ */

static int64_t mean_half_up(int64_t num, int64_t den)
{
    return den > 0 ? (num + den / 2) / den : -1;
}

static const json_t *find_option(const json_t *opts, const char *code)
{
    size_t i;
    const json_t *o;
    json_array_foreach(opts, i, o)
    {
        if (code && strcmp(json_string_value(json_object_get(o, "code")), code) == 0)
            return o;
    }
    return NULL;
}

static void option_list(const json_t *opts, char *out, size_t cap)
{
    size_t i, w = 0;
    const json_t *o;
    out[0] = 0;
    json_array_foreach(opts, i, o)
    {
        int k = snprintf(out + w, cap - w, "%s%s", i ? ", " : "",
                         json_string_value(json_object_get(o, "code")));
        if (k < 0 || (size_t)k >= cap - w)
            break;
        w += (size_t)k;
    }
}

int survey_score(const json_t *def, const json_t *answers, store_survey_scores_t *out,
                 json_t *indicators, json_t *errors)
{
    int64_t num[3] = {0, 0, 0}, den[3] = {0, 0, 0}, cnum = 0, cden = 0;
    int bad = 0;
    json_t *known = json_object();
    size_t i, qi;
    const json_t *ind, *q;
    json_array_foreach(json_object_get(def, "indicators"), i, ind)
    {
        int64_t sum = 0, n = 0;
        json_array_foreach(json_object_get(ind, "questions"), qi, q)
        {
            const char *qcode = json_string_value(json_object_get(q, "code"));
            const json_t *opts = options_of(def, q);
            const json_t *ans = json_object_get(answers, qcode);
            char field[AWDA_SURVEY_MAX_CODE + 16];
            snprintf(field, sizeof field, "answers.%s", qcode);
            json_object_set_new(known, qcode, json_true());
            if (!ans) {
                if (errors) {
                    awda_error_add(errors, field,
                                   "this question needs an answer (one of the options; the "
                                   "instrument says which are not scored)");
                    bad = 1;
                }
                continue;
            }
            const json_t *opt = find_option(opts, json_string_value(ans));
            if (!opt) {
                if (errors) {
                    char list[512];
                    option_list(opts, list, sizeof list);
                    awda_error_add(errors, field,
                                   "this is not an answer to the question: choose one of %s", list);
                    bad = 1;
                }
                continue;
            }
            const json_t *s = json_object_get(opt, "score_bp");
            if (json_is_integer(s)) {
                sum += json_integer_value(s);
                n++;
            }
        }
        int64_t score = mean_half_up(sum, n);
        const char *icode = json_string_value(json_object_get(ind, "code"));
        if (indicators)
            json_object_set_new(indicators, icode, score < 0 ? json_null() : json_integer(score));
        if (score < 0)
            continue;
        int d = one_of(json_string_value(json_object_get(ind, "dimension")), DIMENSIONS) - 1;
        int64_t wd = json_integer_value(json_object_get(ind, "weight_in_dimension"));
        int64_t wc = json_integer_value(json_object_get(ind, "weight_in_composite"));
        if (d >= 0) {
            num[d] += wd * score;
            den[d] += wd;
        }
        cnum += wc * score;
        cden += wc;
    }
    if (errors) {
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)answers, k, v)
        {
            if (!json_object_get(known, k)) {
                char field[96];
                snprintf(field, sizeof field, "answers.%.80s", k);
                awda_error_add(errors, field,
                               "the instrument %s (version %lld) has no such question",
                               json_string_value(json_object_get(def, "code")),
                               (long long)json_integer_value(json_object_get(def, "version")));
                bad = 1;
            }
        }
    }
    json_decref(known);
    out->economic = mean_half_up(num[0], den[0]);
    out->social = mean_half_up(num[1], den[1]);
    out->psychosocial = mean_half_up(num[2], den[2]);
    out->composite = mean_half_up(cnum, cden);
    return bad ? -1 : 0;
}

/* ---- instruments ---------------------------------------------------------------- */

typedef struct {
    const char *code;
    int64_t version;
    char *text;
    int inserted;
} load_ctx_t;

static int load_job(store_conn_t *c, void *p, app_result_t *r)
{
    load_ctx_t *x = p;
    int rc = store_survey_instrument_put(c, x->code, x->version, x->text, &x->inserted);
    if (rc == STORE_CONFLICT)
        app_fail(r, APP_CONFLICT,
                 "the instrument %s version %lld is stored with another definition: give the "
                 "changed instrument a new version",
                 x->code, (long long)x->version);
    else if (rc == STORE_OK)
        r->code = APP_OK;
    return rc == STORE_CONFLICT ? STORE_ABORT : rc;
}

int app_survey_instrument_load(app_t *app, const char *text, size_t len, int *inserted, char *why,
                               size_t cap)
{
    json_error_t e;
    if (len > AWDA_SURVEY_MAX_FILE) {
        snprintf(why, cap, "the file is larger than %d bytes", AWDA_SURVEY_MAX_FILE);
        return -1;
    }
    json_t *def = json_loadb(text, len, JSON_REJECT_DUPLICATES, &e);
    if (!def) {
        snprintf(why, cap, "not JSON (line %d: %s)", e.line, e.text);
        return -1;
    }
    if (survey_definition_check(def, why, cap) != 0) {
        json_decref(def);
        return -1;
    }
    load_ctx_t x = {json_string_value(json_object_get(def, "code")),
                    json_integer_value(json_object_get(def, "version")),
                    json_dumps(def, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII), 0};
    app_result_t r = {0};
    if (x.text)
        app_run(app, load_job, &x, &r);
    else
        app_fail(&r, APP_ERROR, "out of memory");
    int rc = r.code == APP_OK ? 0 : -1;
    if (rc)
        snprintf(why, cap, "%s", r.detail);
    else if (inserted)
        *inserted = x.inserted;
    app_result_free(&r);
    free(x.text);
    json_decref(def);
    return rc;
}

typedef struct {
    const char *code;
} rescore_ctx_t;

static int rescore_one(store_conn_t *c, const char *code, json_t *items)
{
    int64_t version = 0;
    json_t *def = store_survey_instrument(c, code, 0, &version);
    json_t *pending = def ? store_survey_to_rescore(c, code, version) : NULL;
    int rc = pending ? STORE_OK : STORE_ERR;
    size_t i;
    json_t *e;
    json_array_foreach(pending, i, e)
    {
        store_survey_scores_t s;
        survey_score(def, json_object_get(e, "answers"), &s, NULL, NULL);
        rc = store_survey_set_scores(c, json_integer_value(json_object_get(e, "pk")), version, &s);
        if (rc != STORE_OK)
            break;
    }
    if (rc == STORE_OK)
        json_array_append_new(items, json_pack("{s:s,s:I,s:I}", "code", code, "version",
                                               (json_int_t)version, "rescored",
                                               (json_int_t)json_array_size(pending)));
    json_decref(pending);
    json_decref(def);
    return rc;
}

static int rescore_job(store_conn_t *c, void *p, app_result_t *r)
{
    rescore_ctx_t *x = p;
    json_t *list = store_survey_instrument_list(c);
    if (!list)
        return STORE_ERR;
    json_t *items = json_array();
    int rc = STORE_OK, found = 0;
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e)
    {
        const char *code = json_string_value(json_object_get(e, "code"));
        if (!json_is_true(json_object_get(e, "latest")) || (x->code && strcmp(code, x->code) != 0))
            continue;
        found = 1;
        if ((rc = rescore_one(c, code, items)) != STORE_OK)
            break;
    }
    json_decref(list);
    if (rc == STORE_OK && x->code && !found) {
        app_fail(r, APP_NOT_FOUND, "there is no survey instrument %s", x->code);
        rc = STORE_ABORT;
    }
    if (rc != STORE_OK) {
        json_decref(items);
        return rc;
    }
    r->body = json_pack("{s:o}", "items", items);
    r->code = APP_OK;
    return STORE_OK;
}

void app_survey_rescore(app_t *app, const char *code, app_result_t *r)
{
    rescore_ctx_t x = {code};
    app_run(app, rescore_job, &x, r);
}

void app_survey_instrument_list(app_t *app, const app_actor_t *a, app_result_t *r)
{
    (void)a;
    store_conn_t *c = app_reader(app, r);
    if (!c)
        return;
    json_t *items = store_survey_instrument_list(c);
    if (!items) {
        app_fail(r, APP_ERROR, "the survey instruments could not be read");
        return;
    }
    r->body = json_pack("{s:o}", "items", items);
    r->code = APP_OK;
}

void app_survey_instrument_get(app_t *app, const app_actor_t *a, const char *code,
                               const char *version, app_result_t *r)
{
    (void)a;
    long long v = 0;
    if (version && app_parse_int(version, 1, 1000000, &v) != 0) {
        json_t *errors = json_array();
        awda_error_add(errors, "version", "the version is a whole number from 1");
        app_bad_request(r, errors, "check the parameters");
        return;
    }
    store_conn_t *c = app_reader(app, r);
    if (!c)
        return;
    int64_t got = 0;
    json_t *def = code && strlen(code) <= AWDA_SURVEY_MAX_CODE
                      ? store_survey_instrument(c, code, v, &got)
                      : NULL;
    if (!def) {
        app_fail(r, APP_NOT_FOUND, "there is no survey instrument with this code and version");
        return;
    }
    r->body =
        json_pack("{s:s,s:I,s:o}", "code", code, "version", (json_int_t)got, "definition", def);
    r->code = APP_OK;
}

/* ---- responses -------------------------------------------------------------------- */

typedef struct {
    const app_actor_t *a;
    const char *case_id;
    const json_t *body;
} response_ctx_t;

static int response_job(store_conn_t *c, void *p, app_result_t *r)
{
    response_ctx_t *x = p;
    int64_t case_pk, office_pk, version;
    if (!app_find_case(c, x->a, x->case_id, &case_pk, &office_pk, &version, r))
        return STORE_ABORT;
    const char *code = json_string_value(json_object_get(x->body, "instrument"));
    if (!code)
        code = "rss";
    json_t *errors = json_array();
    const char *pid = json_string_value(json_object_get(x->body, "person_id"));
    int64_t person_pk = pid ? store_person_pk(c, pid) : 0;
    int member = person_pk ? store_followup_member(c, case_pk, person_pk) : 0;
    if (member < 0)
        goto err;
    if (pid && !member)
        awda_error_add(errors, "person_id", "this person is not a member of the case");
    const char *round = json_string_value(json_object_get(x->body, "round"));
    if (member && round && strcmp(round, "baseline") == 0) {
        int has = store_survey_has_baseline(c, case_pk, person_pk);
        if (has < 0)
            goto err;
        if (has)
            awda_error_add(errors, "round",
                           "this person already has a baseline survey in this case: record a "
                           "follow_up");
    }
    int64_t iv = 0;
    json_t *def = store_survey_instrument(c, code, 0, &iv);
    if (!def) {
        awda_error_add(errors, "instrument",
                       "there is no survey instrument %s (the server loads them at start from "
                       "its survey directory)",
                       code);
    }
    store_survey_scores_t s = {-1, -1, -1, -1};
    json_t *inds = json_object();
    const json_t *answers = json_object_get(x->body, "answers");
    if (def && json_is_object(answers))
        survey_score(def, answers, &s, inds, errors);
    json_decref(def);
    if (json_array_size(errors)) {
        json_decref(inds);
        app_invalid(r, errors, "The survey answers are not valid");
        return STORE_ABORT;
    }
    json_decref(errors);
    char id[37];
    int64_t pk = 0;
    int rc =
        store_survey_response_insert(c, case_pk, person_pk, code, round,
                                     json_string_value(json_object_get(x->body, "answered_on")),
                                     answers, iv, &s, x->a->p.pk, id, &pk);
    if (rc == STORE_OK) {
        json_t *ev = json_pack("{s:s,s:s,s:s,s:s,s:I}", "response_id", id, "person_id", pid,
                               "round", round, "instrument", code, "version", (json_int_t)iv);
        rc = store_event_append(c, case_pk, x->a->p.pk, "survey_response", ev);
        json_decref(ev);
    }
    if (rc == STORE_OK &&
        !(r->body = app_survey_response_redact(x->a, store_survey_response_get(c, pk))))
        rc = STORE_ERR;
    if (rc != STORE_OK) {
        json_decref(inds);
        return rc;
    }
    json_object_set_new(json_object_get(r->body, "scores"), "indicators", inds);
    snprintf(r->location, sizeof r->location, "/api/v1/cases/%s/survey-responses", x->case_id);
    r->code = APP_CREATED;
    return STORE_OK;
err:
    json_decref(errors);
    return STORE_ERR;
}

void app_survey_response_create(app_t *app, const app_actor_t *a, const char *case_id,
                                const json_t *body, const char *idem_key, const char *request_hash,
                                app_result_t *r)
{
    json_t *errors = json_array();
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)body, k, v)
    {
        static const char *const KNOWN[] = {"person_id", "round",      "answered_on",
                                            "answers",   "instrument", NULL};
        if (!one_of(k, KNOWN))
            awda_error_add(errors, k, "this field is not known");
    }
    followup_text(body, "person_id", 1, 36, errors);
    const char *round = followup_text(body, "round", 1, 16, errors);
    if (round && !one_of(round, ROUNDS))
        awda_error_add(errors, "round", "the round is baseline or follow_up");
    const char *on = followup_text(body, "answered_on", 1, 10, errors);
    if (on)
        followup_date(on, "answered_on", errors);
    followup_text(body, "instrument", 0, AWDA_SURVEY_MAX_CODE, errors);
    const json_t *answers = json_object_get(body, "answers");
    if (!json_is_object(answers) || json_object_size(answers) > AWDA_SURVEY_MAX_QUESTIONS)
        awda_error_add(errors, "answers",
                       "the answers are an object of question code to answer option code");
    else {
        json_object_foreach((json_t *)answers, k, v)
        {
            if (!json_is_string(v) || json_string_length(v) > AWDA_SURVEY_MAX_CODE) {
                char field[96];
                snprintf(field, sizeof field, "answers.%.80s", k);
                awda_error_add(errors, field, "an answer is the code of one of its options");
            }
        }
    }
    if (json_array_size(errors)) {
        app_invalid(r, errors, "The survey answers are not valid");
        return;
    }
    json_decref(errors);
    response_ctx_t x = {a, case_id, body};
    app_run_idempotent(app, a, idem_key, request_hash, response_job, &x, r);
}

void app_survey_response_list(app_t *app, const app_actor_t *a, const char *case_id,
                              app_result_t *r)
{
    store_conn_t *c = app_reader(app, r);
    int64_t pk, office_pk, version;
    if (!c || !app_find_case(c, a, case_id, &pk, &office_pk, &version, r))
        return;
    json_t *items = store_survey_response_list(c, pk);
    if (!items) {
        app_fail(r, APP_ERROR, "the survey responses could not be read");
        return;
    }
    size_t i;
    json_t *e;
    json_array_foreach(items, i, e) app_survey_response_redact(a, e);
    r->body = json_pack("{s:o}", "items", items);
    r->code = APP_OK;
}

/* Whole months from the date a to the date b (both YYYY-MM-DD). */
static long months_between(const char *a, const char *b)
{
    awda_date_t da, db;
    if (!a || !b || awda_date_parse(a, strlen(a), &da) != 3 ||
        awda_date_parse(b, strlen(b), &db) != 3)
        return 0;
    long m = (long)(db.year - da.year) * 12 + (db.month - da.month);
    if (db.day < da.day)
        m--;
    return m;
}

void app_survey_person_scores(app_t *app, const app_actor_t *a, const char *person_id,
                              app_result_t *r)
{
    store_conn_t *c = app_reader(app, r);
    if (!c)
        return;
    json_t *person = app_find_person(c, a, person_id, r);
    if (!person)
        return;
    json_decref(person);
    json_t *rows = store_survey_person_responses(c, store_person_pk(c, person_id));
    if (!rows) {
        app_fail(r, APP_ERROR, "the survey responses could not be read");
        return;
    }
    json_t *items = json_array();
    const char *baseline = NULL;
    size_t i;
    json_t *e;
    json_array_foreach(rows, i, e)
    {
        if (!app_case_row_in_scope(a, json_integer_value(json_object_get(e, "_office_pk")),
                                   json_integer_value(json_object_get(e, "_receiving_pk")),
                                   json_string_value(json_object_get(e, "_project"))))
            continue;
        const char *on = json_string_value(json_object_get(e, "answered_on"));
        if (!baseline && strcmp(json_string_value(json_object_get(e, "round")), "baseline") == 0)
            baseline = on;
        json_t *it = json_pack(
            "{s:O,s:O,s:O,s:O,s:O,s:O,s:O}", "id", json_object_get(e, "id"), "case_id",
            json_object_get(e, "case_id"), "case_number", json_object_get(e, "case_number"),
            "round", json_object_get(e, "round"), "answered_on", json_object_get(e, "answered_on"),
            "instrument", json_object_get(e, "instrument"), "scores", json_object_get(e, "scores"));
        json_object_set_new(it, "months_after_baseline",
                            baseline ? json_integer(months_between(baseline, on)) : json_null());
        json_array_append_new(items, it);
    }
    r->body = json_pack("{s:s,s:o}", "person_id", person_id, "items", items);
    json_decref(rows);
    r->code = APP_OK;
}
