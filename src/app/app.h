/*
 * app.h — the application layer: every use case of awda, for every face.
 *
 * The HTTP handlers and the command line call these functions and nothing
 * below them. Each use case: (1) checks who may do it (authz.c, one
 * permission table), (2) validates the input against the field tables
 * (core/), (3) applies the domain rules, and (4) writes through the store
 * in one transaction that also appends the event to the case timeline.
 *
 * Results come back as an app_result_t: a code (APP_*), a JSON body, field
 * errors, and a sentence. The faces turn it into problem+json (http/) or
 * text (cli/). The caller owns the result and frees it with
 * app_result_free.
 */
#ifndef AWDA_APP_H
#define AWDA_APP_H
#include "../core/journey.h"
#include "../store/store.h"
#include <jansson.h>

typedef enum {
    APP_OK = 0,
    APP_CREATED,
    APP_NO_CONTENT,
    APP_INVALID,               /* 422 field errors */
    APP_BAD_REQUEST,           /* 400 bad parameters */
    APP_UNAUTHORIZED,          /* 401 */
    APP_FORBIDDEN,             /* 403 */
    APP_NOT_FOUND,             /* 404 */
    APP_CONFLICT,              /* 409 */
    APP_STALE,                 /* 412 */
    APP_PRECONDITION_REQUIRED, /* 428 */
    APP_TOO_MANY,              /* 429 */
    APP_IDEM_REUSED,           /* 422 idempotency key reused with another body */
    APP_ERROR,                 /* 500 */
    APP_UNAVAILABLE,           /* 503 */
    APP_UNMET,                 /* 409 requirements of a transition not met */
    APP_OTP_REQUIRED,          /* 401 the password was right; a one-time code is needed */
    APP_NO_CONSENT,            /* 403 sharing with a third party the person did not consent to */
    APP_TOO_LARGE,             /* 422 an export over its limit: narrow it */
} app_code_t;

/* A document made while it is sent (an export of any size): the face
 * asks produce(ctx, buf, max) for the next bytes — it returns how many it
 * wrote (1..max), 0 at the end, -1 on failure (the answer is then cut,
 * never ended as if whole) — and calls done(ctx) once when it is over or
 * abandoned. */
typedef long (*app_produce_fn)(void *ctx, char *buf, size_t max);
typedef void (*app_done_fn)(void *ctx);

typedef struct {
    app_code_t code;
    json_t *body; /* owned; the resource on success */
    /* owned; the resource already written as JSON, sent as it is (before
     * body when both are set: the bytes an idempotent write kept) */
    char *text;
    size_t text_len;
    json_t *errors;     /* owned; [{field, message}] for INVALID/BAD_REQUEST */
    char title[96];     /* problem title override ("The case is not valid") */
    char detail[256];   /* one sentence */
    char location[160]; /* Location of a created resource */
    long long version;  /* ETag; 0 when none */
    int retry_after;    /* seconds, for TOO_MANY */
    json_t *extra;      /* owned; more members for the problem ("requirements") */
    char *replay;       /* owned; an exact stored body replayed for an idempotent retry */
    int replay_status;  /* HTTP status of the replayed response */
    char *raw;          /* owned; a document that is not JSON (an export) */
    size_t raw_len;
    const char *raw_type;   /* its media type (static) */
    char filename[64];      /* for Content-Disposition */
    long withheld;          /* persons left out of an export for want of consent */
    app_produce_fn produce; /* instead of raw: the document made while it is sent */
    void *produce_ctx;      /* owned until handed on (app_result_free calls produce_done) */
    app_done_fn produce_done;
    long long rows; /* rows in an export (sent as X-Export-Rows) */
} app_result_t;

void app_result_free(app_result_t *r);
/* The body of a result as a tree, for faces that need one (the command
 * line, the demo driver, tests): r->body, or r->text parsed once into
 * r->body. Borrowed from r; NULL when there is no body. */
json_t *app_result_body(app_result_t *r);

/* Permissions: one table, src/app/permissions.def (name and roles of
 * each); PERM_<id> here, the names and role sets in authz.c. */
typedef enum {
#define APP_PERM(id, name, roles) PERM_##id,
#include "permissions.def"
#undef APP_PERM
    PERM_COUNT
} app_perm_t;

typedef struct {
    int session_hours;               /* absolute session lifetime */
    int reconfirm_hours;             /* reconfirmation window before departure (default 72) */
    int preembark_hours;             /* pre-embarkation check window (default 72) */
    const char *procedure_types;     /* comma-separated checklist of government procedures */
    int session_idle_minutes;        /* a session unused this long ends (default 30) */
    const char *second_factor_roles; /* comma-separated roles that must use TOTP ("" none) */
    int retention_closed_years;      /* closed cases are anonymised after (default 5) */
    int retention_withdrawn_years;   /* withdrawn cases are anonymised after (default 2) */
    long export_max_rows;            /* larger exports are refused (AWDA_EXPORT_MAX_ROWS_DEFAULT) */
    const char *arabic_digits;       /* "western" or "arabic-indic" (GET /me, the web's digits) */
} app_config_t;

typedef struct app app_t;

/* Who is calling: a signed-in user, or the system (command line). */
typedef struct {
    store_principal_t p;
    int system; /* the command line acting with full rights */
    char token_hash[65];
} app_actor_t;

/* Creates the application over an open store; the store stays the
 * caller's. Returns NULL on failure. */
app_t *app_new(store_t *store, const app_config_t *cfg);
void app_free(app_t *app);
store_t *app_store(app_t *app);

/* ---- authorisation (authz.c) ---- */
const char *app_perm_name(app_perm_t p);
/* 1 when actor holds permission p (the single authorisation check). */
int app_allowed(const app_actor_t *a, app_perm_t p);
/* 1 when the actor's roles reach every office (admin; a manager not
 * scoped to projects). */
int app_all_offices(const app_actor_t *a);
/* The projects (JSON array text) whose cases a manager sees besides their
 * offices', or NULL (borrowed from the actor). */
const char *app_scope_projects(const app_actor_t *a);
/* 1 when the actor may work on cases of office_pk. */
int app_in_office(const app_actor_t *a, int64_t office_pk);
/* Role bit for a role name, or 0. */
unsigned app_role_bit(const char *role);
/* Permission table as JSON: {"perm": ["role", ...]} (for docs). */
json_t *app_permission_matrix(void);
/* What actor may do, for GET /me (caller owns): {"permissions": [names of
 * the permissions held, from case.read on], "recordable": [record kinds
 * it may record], "events": [journey events it may take]}. */
json_t *app_abilities(const app_actor_t *a);

/* ---- password work (auth.c) ----
 * The use cases that hash a password — signing in, typing one's password
 * again, creating a user, changing a password — run in three steps, so
 * that a server can do the slow middle one (Argon2id: 64 MiB and tens of
 * milliseconds) on threads of its own:
 *   j = app_login_job(...)    checks and throttling; NULL when r is the answer
 *   app_hash_job_run(j)       the hash, on any thread; touches nothing shared
 *   app_hash_job_finish(j, r) the rest of the use case; fills r; frees j
 * A job that found no room to run is finished without running: what it
 * reserved is given back and r says APP_UNAVAILABLE with retry_after. The
 * functions without _job do the three steps in a row. */
typedef struct app_hash_job app_hash_job_t;
void app_hash_job_run(app_hash_job_t *j);
void app_hash_job_finish(app_hash_job_t *j, app_result_t *r);
/* Passwords checked since start, and counters of failed sign-ins held
 * now (of at most AWDA_THROTTLE_MAX_ENTRIES), for /metrics. */
unsigned long long app_password_checks(app_t *app);
size_t app_throttle_entries(app_t *app);

/* ---- sessions (auth.c) ---- */
/* Checks the password (Argon2id; throttled per address, per user name and
 * address, and per user name from addresses it never signed in from) and,
 * for a user with a second factor, the one-time code otp (APP_OTP_REQUIRED
 * when absent); opens a session: body {token, expires_at, user}. */
void app_login(app_t *app, const char *username, const char *password, const char *otp,
               const char *addr, app_result_t *r);
app_hash_job_t *app_login_job(app_t *app, const char *username, const char *password,
                              const char *otp, const char *addr, app_result_t *r);
/* Resolves a token to an actor; APP_OK or APP_UNAUTHORIZED. */
app_code_t app_authenticate(app_t *app, const char *token, app_actor_t *out);
void app_logout(app_t *app, const app_actor_t *a, app_result_t *r);
void app_me(app_t *app, const app_actor_t *a, app_result_t *r);
/* Changes the signed-in user's own settings ({"language"}). */
void app_me_update(app_t *app, const app_actor_t *a, const json_t *body, app_result_t *r);

/* ---- second factor (second_factor.c) ---- */
/* 1 when the configuration requires a second factor for one of the
 * actor's roles and the actor has none yet: such a session may only set
 * one up (routes needing no more than PERM_SESSION). */
int app_must_enrol(const app_t *app, const app_actor_t *a);
/* Starts enrolment ({"password"} re-entered): a new secret, returned once
 * as {secret, otpauth_uri}; it takes effect when confirmed. */
void app_second_factor_begin(app_t *app, const app_actor_t *a, const json_t *body, app_result_t *r);
app_hash_job_t *app_second_factor_begin_job(app_t *app, const app_actor_t *a, const json_t *body,
                                            app_result_t *r);
/* Confirms enrolment with a code from the device ({"code"}). */
void app_second_factor_confirm(app_t *app, const app_actor_t *a, const json_t *body,
                               app_result_t *r);
/* Hashes a password with Argon2id into out (crypto_pwhash_STRBYTES). */
int app_hash_password(const char *password, char *out, size_t cap);

/* ---- registry (cases.c) ---- */
/* Creates a case with its members. idem_key may be NULL; request_hash
 * identifies the request for idempotent replay. */
void app_case_create(app_t *app, const app_actor_t *a, const json_t *body, const char *idem_key,
                     const char *request_hash, app_result_t *r);
/* app_case_create without waiting for the disk: validates here, then
 * queues the registration (app_run_idempotent_async) and returns 0;
 * done(arg) is called once r is filled, on the writer thread. Returns -1
 * when r is answered already (invalid, out of memory): done is not
 * called. a, body, idem_key, request_hash and r must live until done. */
int app_case_create_async(app_t *app, const app_actor_t *a, const json_t *body,
                          const char *idem_key, const char *request_hash, app_result_t *r,
                          void (*done)(void *arg), void *arg);
void app_case_get(app_t *app, const app_actor_t *a, const char *id, app_result_t *r);
/* if_match < 0: absent (APP_PRECONDITION_REQUIRED). */
void app_case_patch(app_t *app, const app_actor_t *a, const char *id, long long if_match,
                    const json_t *patch, app_result_t *r);

/* An If-Match precondition (RFC 9110 §13.1.1) as the API read it: absent
 * (APP_PRECONDITION_REQUIRED), "*" (any current version), or a list of
 * entity-tags of which v holds the strong ones that name a version (weak
 * tags and other opaque tags never match: the condition then fails,
 * APP_STALE). */
#define APP_IF_MATCH_TAGS 16
typedef struct {
    int present;
    int any;
    int n;
    long long v[APP_IF_MATCH_TAGS];
} app_if_match_t;
/* 1 when the current version satisfies the (present) precondition. */
int app_if_match_ok(const app_if_match_t *m, long long version);
/* app_case_patch with a whole precondition. */
void app_case_patch_if(app_t *app, const app_actor_t *a, const char *id, const app_if_match_t *m,
                       const json_t *patch, app_result_t *r);

typedef struct {
    const char *stage, *office, *nationality, *q, *cursor, *limit;
    const char *assigned; /* "me" or a user name; NULL: anyone */
    const char *waiting;  /* "me": assigned to me, and waiting for a step I take */
} app_case_query_t;
void app_case_list(app_t *app, const app_actor_t *a, const app_case_query_t *q, app_result_t *r);
/* Cases per stage that the actor may see (of one office when given):
 * {"by_stage": {stage: n}, "total": n}. */
void app_case_counts(app_t *app, const app_actor_t *a, const char *office, app_result_t *r);
void app_case_events(app_t *app, const app_actor_t *a, const char *id, app_result_t *r);
void app_person_search(app_t *app, const app_actor_t *a, const char *q, const char *limit,
                       app_result_t *r);
void app_person_get(app_t *app, const app_actor_t *a, const char *id, app_result_t *r);
/* Everything held about one person, for an access request (dossier.c):
 * {person, cases: [{case, relationship, records, events}], access_log,
 * withheld}; redacted for the actor's roles like every other answer. */
void app_person_dossier(app_t *app, const app_actor_t *a, const char *id, app_result_t *r);

/* ---- the journey (journey.c) ---- */
int app_may_record(const app_actor_t *a, awda_rec_perm_t p);
int app_may_take(const app_actor_t *a, awda_journey_perm_t p);
/* Sensitivity classes the actor may see (bit 1 << SENS_x). */
unsigned app_visible_sensitivity(const app_actor_t *a);
/* The cases waiting for the actor (GET /cases?waiting=me): sets the
 * waiting part of f — the stages from which the actor's roles take a step
 * forward, and the offices in which they take it (authz.c). */
void app_waiting_filter(const app_actor_t *a, store_case_filter_t *f);
/* Sensitivity classes the actor may see in one record of a kind recorded
 * with permission kind_perm by the user author (NULL: unknown): those of
 * app_visible_sensitivity, and every class of the kind for the roles that
 * may record it and for its author — whoever records something can read
 * it back. */
unsigned app_record_visible_sensitivity(const app_actor_t *a, awda_rec_perm_t kind_perm,
                                        const char *author);
/* Records a counselling session, consent, health assessment... (body has
 * "kind" and the kind's fields). */
void app_record_create(app_t *app, const app_actor_t *a, const char *case_id, const json_t *body,
                       const char *idem_key, const char *request_hash, app_result_t *r);
void app_record_list(app_t *app, const app_actor_t *a, const char *case_id, const char *kind,
                     app_result_t *r);
/* Takes an event ({"event","reason"}); every unmet requirement → APP_UNMET. */
void app_case_transition(app_t *app, const app_actor_t *a, const char *case_id, const json_t *body,
                         app_result_t *r);
/* Hands the case over to the receiving office in the country of return
 * ({"office": code}); its staff see the case from then on. */
void app_case_hand_over(app_t *app, const app_actor_t *a, const char *case_id, const json_t *body,
                        app_result_t *r);
/* For each event possible now: requirements met and missing, per person. */
void app_case_readiness(app_t *app, const app_actor_t *a, const char *case_id, app_result_t *r);
void app_restriction_list(app_t *app, const app_actor_t *a, const char *review_overdue,
                          app_result_t *r);
void app_restriction_get(app_t *app, const app_actor_t *a, const char *id, app_result_t *r);
void app_restriction_create(app_t *app, const app_actor_t *a, const json_t *body,
                            const char *idem_key, const char *request_hash, app_result_t *r);
/* Merge-patches a restriction at version if_match; action "updated" or
 * "reviewed" goes to its history. */
void app_restriction_update(app_t *app, const app_actor_t *a, const char *id, long long if_match,
                            const json_t *body, const char *action, app_result_t *r);
/* app_restriction_update with a whole precondition. */
void app_restriction_update_if(app_t *app, const app_actor_t *a, const char *id,
                               const app_if_match_t *m, const json_t *body, const char *action,
                               app_result_t *r);
void app_restriction_affected(app_t *app, const app_actor_t *a, const char *id, app_result_t *r);

/* ---- exports (export.c) ---- */
typedef struct {
    const char *stage, *office;
    const char *names;     /* "true": with names (export.names) */
    const char *recipient; /* with names: "internal" or the organisation it goes to */
    int xlsx;              /* XLSX rather than CSV */
    const char *registered_from, *registered_to; /* YYYY-MM-DD, inclusive; NULL: any */
} app_export_query_t;
/* One row per member of each case the actor may see; r->produce makes the
 * document while it is sent (app_result_free releases it if it is not). */
void app_export_cases(app_t *app, const app_actor_t *a, const app_export_query_t *q,
                      app_result_t *r);

/* ---- sharing (sharing.c) ---- */
/* Referrals addressed to the partner user's organisation whose person
 * still consents to share with it: {organisation, items, next_cursor}. */
void app_referral_list(app_t *app, const app_actor_t *a, const char *cursor, const char *limit,
                       app_result_t *r);
/* For an escort or a receiving medical provider (recipient): the latest
 * health assessment of each member who consented to share medical data
 * with them; the others in "withheld"; none consented: APP_NO_CONSENT. */
void app_medical_summary(app_t *app, const app_actor_t *a, const char *case_id,
                         const char *recipient, app_result_t *r);
/* Aggregate counts, small cells suppressed; no personal data. */
void app_statistics(app_t *app, const app_actor_t *a, app_result_t *r);

/* ---- partner organisations (partners.c) ---- */
/* {"items": [partner...]} by name. */
void app_partner_list(app_t *app, const app_actor_t *a, app_result_t *r);
/* A new partner {name, country}: 201 with it, 409 when the name is taken. */
void app_partner_create(app_t *app, const app_actor_t *a, const json_t *body, const char *idem_key,
                        const char *request_hash, app_result_t *r);
/* Merge-patches name and country of partner id. */
void app_partner_update(app_t *app, const app_actor_t *a, const char *id, const json_t *body,
                        app_result_t *r);

/* ---- administration (admin.c) ---- */
void app_office_list(app_t *app, const app_actor_t *a, app_result_t *r);
void app_office_create(app_t *app, const app_actor_t *a, const json_t *body, const char *idem_key,
                       const char *request_hash, app_result_t *r);
void app_office_update(app_t *app, const app_actor_t *a, const char *code, const json_t *body,
                       app_result_t *r);
void app_user_list(app_t *app, const app_actor_t *a, app_result_t *r);
void app_user_create(app_t *app, const app_actor_t *a, const json_t *body, const char *idem_key,
                     const char *request_hash, app_result_t *r);
void app_user_update(app_t *app, const app_actor_t *a, const char *username, const json_t *body,
                     app_result_t *r);
/* The same as password work (see above); app_user_update_job returns NULL
 * with r answered when the change sets no password. */
app_hash_job_t *app_user_create_job(app_t *app, const app_actor_t *a, const json_t *body,
                                    const char *idem_key, const char *request_hash,
                                    app_result_t *r);
app_hash_job_t *app_user_update_job(app_t *app, const app_actor_t *a, const char *username,
                                    const json_t *body, app_result_t *r);
/* Field tables as JSON for the forms of the web interface, the stages in
 * order with their properties ("stages", from stages.def), the statuses
 * and kinds of a movement ("movement_statuses", "movement_types") and the
 * values of its care ("movement_care": escort kinds, assistance points
 * and statuses, onward modes, from core/movement_care.c). */
void app_schema(app_t *app, const app_actor_t *a, app_result_t *r);
/* Gives the described record kinds (GET /schema's "records", borrowed)
 * the values the configuration decides: the procedure types. */
void app_schema_configured(app_t *app, json_t *records);

/* ---- for a server face (serve.c) ---- */
/* One read transaction around the reads of a request, on the calling
 * thread's read connection: every use case the thread runs until
 * app_read_end reads one snapshot. NULL when it could not begin (the use
 * cases then read without). */
typedef struct app_read app_read_t;
app_read_t *app_read_begin(app_t *app);
void app_read_end(app_read_t *rd); /* NULL: nothing */
/* 1 when the database answers. */
int app_health(app_t *app);
/* GET /schema: app_schema, plus the record kinds and their fields
 * ("records", configured), the kinds this user may record ("recordable")
 * and the fields of a restriction ("restriction"). */
void app_form_schema(app_t *app, const app_actor_t *a, app_result_t *r);
/* The staff of the office code, for choosing whom a case is assigned to:
 * {"items": [{"username","full_name","roles"}]}. Only for an office the
 * actor works in (403), an office that exists (404). */
void app_office_staff(app_t *app, const app_actor_t *a, const char *code, app_result_t *r);

/* ---- helpers shared by the use cases (app.c) ---- */
void app_fail(app_result_t *r, app_code_t code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Runs a creating job with idempotency: replays the stored response when
 * (actor, key) was seen with the same request hash. */
typedef int (*app_job_fn)(store_conn_t *c, void *ctx, app_result_t *r);
void app_run_idempotent(app_t *app, const app_actor_t *a, const char *idem_key,
                        const char *request_hash, app_job_fn fn, void *ctx, app_result_t *r);
/* app_run_idempotent without waiting for the disk: queues the job with a
 * copy of ctx (size bytes) and returns 0; once the batch that holds it is
 * durable (or failed), r is filled as app_run_idempotent fills it, then
 * after(r) runs unless r is a replay (after may be NULL), then done(arg)
 * — both on the writer thread (or at once on this one when the store is
 * stopping), so they must be cheap. a, idem_key, request_hash, r and
 * whatever ctx points to stay the caller's and must live until done.
 * Returns -1, r filled and done never called, when out of memory. */
int app_run_idempotent_async(app_t *app, const app_actor_t *a, const char *idem_key,
                             const char *request_hash, app_job_fn fn, const void *ctx, size_t size,
                             void (*after)(app_result_t *r), app_result_t *r,
                             void (*done)(void *arg), void *arg);
/* The most writes one commit of the store has acknowledged together. */
int app_write_batch_max(app_t *app);
/* ---- audit (audit.c) ---- */
/* Records who did what to which record from where, with the outcome.
 * Queued: the caller does not wait for the disk. */
void app_audit(app_t *app, const app_actor_t *a, const char *username, const char *addr,
               const char *method, const char *route, const char *entity_id, int status);
/* Lists audit records (newest first) about one record id, by one user,
 * within the actor's scope (every record for the roles that see every
 * office; else only records about cases and persons in their scope). */
void app_audit_list(app_t *app, const app_actor_t *a, const char *entity_id, const char *username,
                    const char *cursor, const char *limit, app_result_t *r);
/* Verifies the hash chain; APP_OK, or APP_CONFLICT with the first bad
 * record in the detail. */
void app_audit_verify(app_t *app, app_result_t *r);

/* Retention (retention.c): anonymises the cases whose retention period
 * is over at now_ms, or with dry_run only lists them. Body {dry_run,
 * cases_due, cases_anonymised, persons_anonymised, cases: [...]}. */
void app_retention_run(app_t *app, int dry_run, int64_t now_ms, app_result_t *r);

/* Housekeeping the server runs periodically: forgets idempotency keys
 * older than a day, and once a day runs the retention policy. */
void app_housekeeping(app_t *app);
/* Parses a decimal of digits only within [min,max]; 0 on success. */
int app_parse_int(const char *s, long long min, long long max, long long *out);
/* Runs a job in one transaction; the job fills r. */
void app_run(app_t *app, app_job_fn fn, void *ctx, app_result_t *r);
/* app_run for a job of many statements, in a transaction of its own
 * without a savepoint (store_write_solo): an import's batch. */
void app_run_solo(app_t *app, app_job_fn fn, void *ctx, app_result_t *r);

/* ---- the household after registration (household.c) ---- */
/* Removes a member who left the case (body {person_id, reason}), when the
 * case's version satisfies the If-Match precondition m (absent → 428, as
 * app_case_patch_if); the reason goes to the "member_removed" event of the
 * timeline. Body: the case. */
void app_case_member_remove(app_t *app, const app_actor_t *a, const char *id,
                            const app_if_match_t *m, const json_t *body, app_result_t *r);

/* ---- the dashboard (dashboard.c) ---- */
/* The first screen of case staff in one answer: {by_stage, total, mine,
 * mine_more, overdue_reviews, preembarkation, preembarkation_days}; the
 * cases whose detail it read are audited from addr. */
void app_dashboard(app_t *app, const app_actor_t *a, const char *addr, app_result_t *r);

#endif
