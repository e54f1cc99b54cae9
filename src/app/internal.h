/*
 * internal.h — what the files of the application layer share and no
 * face may use: the app struct, and helpers for validation results.
 */
#ifndef AWDA_APP_INTERNAL_H
#define AWDA_APP_INTERNAL_H
#include "app.h"
#include "../core/field.h"
#include "../util/limits.h"
#include <pthread.h>

#define SESSION_CACHE_SLOTS   1024
#define SESSION_CACHE_STRIPES 16
/* How long a resolved session is trusted without asking the database.
 * Changes made through this server (sign-out, password change, disabling
 * a user) invalidate the cache at once; changes made by another process
 * (the command line) take effect within this time. */
#define SESSION_CACHE_TTL_MS 1000

typedef struct {
    char token_hash[65];
    unsigned gen;
    long long cached_at_ms;
    store_principal_t p;
} session_slot_t;

struct app {
    store_t *store;
    app_config_t cfg;
    pthread_mutex_t hash_lock;
    pthread_cond_t hash_cond;
    int hashing;
    struct throttle *throttle;          /* failed sign-ins (throttle.c) */
    unsigned long long password_checks; /* (atomic) passwords verified, for /metrics */
    pthread_mutex_t session_lock[SESSION_CACHE_STRIPES];
    unsigned session_gen; /* bumped (atomically) to invalidate every cached session */
    session_slot_t sessions[SESSION_CACHE_SLOTS];
    unsigned second_factor_roles; /* role bits that must sign in with a second factor */
    int64_t retention_last_ms;    /* when housekeeping last ran the retention policy */
};

/* Forgets every cached session (after sign-out or a change to a user). */
void app_sessions_changed(app_t *app);

/* Sets up sessions, hashing and throttling; -1 when out of memory. */
int auth_init(app_t *app);
void auth_free(app_t *app);
int app_success(app_code_t c);

/* Sets r to APP_BAD_REQUEST (400: bad query parameters) with errors
 * (taking the reference) and a sentence. */
void app_bad_request(app_result_t *r, json_t *errors, const char *detail);

/* Reads the paging parameters of a list (limit 1..AWDA_LIST_MAX, default
 * AWDA_LIST_DEFAULT; cursor a positive number, 0 when absent); problems
 * go to errors. */
void app_parse_page(const char *limit, const char *cursor, json_t *errors, long long *lim,
                    long long *cur);

/* The scope of the cases the actor may see, into f: their offices (all
 * for nof < 0) and, for a manager, their projects. */
void app_case_scope(const app_actor_t *a, store_case_filter_t *f);
/* The scope, and the stage and office parameters of a case query (NULL:
 * any), into f; unknown ones go to errors. */
void app_case_filter(store_conn_t *c, const app_actor_t *a, const char *stage, const char *office,
                     json_t *errors, store_case_filter_t *f);
/* The person (with their cases) the actor may see, or NULL with a 404 in
 * r; the caller owns it. Only the cases the actor may see are listed
 * (app_person_scope_cases). */
json_t *app_find_person(store_conn_t *c, const app_actor_t *a, const char *id, app_result_t *r);

/* Removes from person's "cases" ([{id, ...}]) those the actor may not
 * see, and sets "has_cases_elsewhere" to whether any was removed: another
 * office's case is not revealed, only that one exists. */
void app_person_scope_cases(store_conn_t *c, const app_actor_t *a, json_t *person);

/* Sets r to APP_INVALID with errors (taking the reference) and a title. */
void app_invalid(app_result_t *r, json_t *errors, const char *title);

/* The calling thread's read connection; APP_UNAVAILABLE in r when none. */
store_conn_t *app_reader(app_t *app, app_result_t *r);

/* Finds a case the actor may see; 404 in r (and 0) for one that is not
 * there or belongs to another office: its existence is not revealed. */
int app_find_case(store_conn_t *c, const app_actor_t *a, const char *id, int64_t *pk,
                  int64_t *office_pk, int64_t *version, app_result_t *r);
/* Finds a case the actor may see and reads it whole, in one read of the
 * case (store_case_read): the case as store_case_get shows it (every
 * class; the caller owns it and redacts what it answers) and its place
 * and version into *row. NULL with 404 in r as app_find_case, or 500
 * when the database fails. */
json_t *app_read_case(store_conn_t *c, const app_actor_t *a, const char *id, store_case_row_t *row,
                      app_result_t *r);
/* The same, typed: the aggregate (every class) the caller owns and frees
 * with store_case_free; NULL as app_read_case. */
store_case_t *app_read_case_k(store_conn_t *c, const app_actor_t *a, const char *id,
                              app_result_t *r);

/* A job of the password work (see app.h): the use case's own struct
 * begins with it. */
struct app_hash_job {
    app_t *app;
    int verify;       /* 1: check password against hash; 0: hash password into hash */
    int unknown_user; /* check against a dummy hash: the same work, never right */
    int ran;          /* app_hash_job_run has run */
    int ok;           /* the password is right / the hash was made */
    char password[AWDA_PASSWORD_MAX + 1];
    char hash[128]; /* crypto_pwhash_STRBYTES */
    /* The rest of the use case, run by app_hash_job_finish: it fills r (or,
     * when the job never ran, leaves r saying 503), gives back what it
     * reserved and releases what it holds, but does not free the job. */
    void (*finish)(app_hash_job_t *j, app_result_t *r);
};
/* A job of size bytes (a use case's struct that begins with
 * app_hash_job_t), zeroed, holding a copy of password; NULL when out of
 * memory or the password is longer than AWDA_PASSWORD_MAX. */
app_hash_job_t *app_hash_job_new(app_t *app, size_t size, const char *password, int verify,
                                 void (*finish)(app_hash_job_t *j, app_result_t *r));
/* Frees a job that was never handed out (its use case answered at once). */
void app_hash_job_discard(app_hash_job_t *j);
/* The three steps in a row, for callers that may wait (the command line). */
void app_hash_job_now(app_hash_job_t *j, app_result_t *r);

/* A signed-in user types their password again (to change a security
 * setting): prepares the verifying job j for username's password and
 * reserves the attempt (AWDA_LOGIN_FAILURES_PER_USER per window, on a
 * counter of its own). 1 when j may run; 0 when r is the answer (429,
 * 503). The job's finish must call auth_recheck_settle. */
int auth_recheck_begin(app_t *app, app_hash_job_t *j, const char *username, app_result_t *r);
/* Counts the outcome of that check (j->ran, j->ok). */
void auth_recheck_settle(app_hash_job_t *j, const char *username);
/* Checks a one-time code against the user's enabled second factor and
 * uses it up: APP_OK, APP_UNAUTHORIZED (wrong, expired or replayed) or
 * APP_UNAVAILABLE. */
app_code_t second_factor_verify(app_t *app, int64_t user_pk, const char *code);

/* 1 when the actor works for the case's office, or for the office in the
 * country of return it was handed over to. */
int app_case_in_scope(store_conn_t *c, const app_actor_t *a, int64_t case_pk, int64_t office_pk);
/* The same check for a case whose place is known (receiving_pk 0: not
 * handed over; project "" or NULL: none), without reading it. */
int app_case_row_in_scope(const app_actor_t *a, int64_t office_pk, int64_t receiving_pk,
                          const char *project);

/* 1 when the person (store_person_get with cases) is in a case of one of
 * the actor's offices. */
int app_person_visible(store_conn_t *c, const app_actor_t *a, const json_t *person);
/* Redacts a journey record ({kind, data, ...}) in place for the actor's
 * roles (core/records.c, awda_redact); returns it. */
json_t *app_redact_record(const app_actor_t *a, json_t *record);

/* The partner organisation with this id (caller owns), or NULL after
 * adding a problem at field to errors (when errors is not NULL). */
json_t *app_partner_ref(store_conn_t *c, const char *id, const char *field, json_t *errors);

/* Removes, in place, the fields of a person (of every member's person of
 * a case) whose sensitivity class the actor's roles do not see — the
 * protection concerns for all but the protection role; returns it. */
json_t *app_redact_person(const app_actor_t *a, json_t *person);
json_t *app_redact_case(const app_actor_t *a, json_t *caze);

/* The typed snapshot the journey's requirements read for case k (read
 * with every class), on c, into *j (core/journey.h): its members, its
 * records, the restrictions for its destination, the previous returns
 * (also into *prev_out as the store gives them, when not NULL: the caller
 * owns it), the windows, the checklist, the latest change of destination
 * and the departure. j->reason and j->at are left for the caller. 1, or 0
 * when something could not be read (j is then empty). The caller frees j
 * with awda_journey_free (journey.c). */
int app_journey_read(app_t *app, store_conn_t *c, const store_case_t *k, awda_journey_t *j,
                     json_t **prev_out);
/* The same for the case with key case_pk; for the movements module's
 * booking, boarding and travel steps. 0 when the case cannot be read. */
int app_journey_snapshot(app_t *app, store_conn_t *c, int64_t case_pk, awda_journey_t *j);
/* Hands case pk (at version) over to the office with code office_code by
 * the rules of app_case_hand_over, in the caller's writer transaction:
 * STORE_OK, or STORE_ABORT with r saying why (journey.c). */
int app_hand_over_case(store_conn_t *c, const app_actor_t *a, int64_t pk, int64_t version,
                       const char *office_code, app_result_t *r);

/* ---- registration, callable per household (cases.c; used by imports.c) ---- */
/* Checks a case document as POST /api/v1/cases does (the field tables,
 * the household rules, the fields the actor may not send): every problem
 * is appended to errors; returns how many. */
int app_case_validate(const app_actor_t *a, const json_t *body, json_t *errors);
/* Registers a validated case document inside the caller's writer job, as
 * registration does (office, assigned user and linked persons resolved,
 * the office scope, the case number, the persons with their name keys,
 * the "created" event): STORE_OK with the case's key, id and number; or
 * STORE_ABORT with the problems in errors, or with *forbidden set when
 * the actor does not work in the case's office (the caller rolls back);
 * or another STORE_ code. */
int app_case_insert(store_conn_t *c, const app_actor_t *a, const json_t *body, int64_t *pk,
                    char id[37], char number[40], json_t *errors, int *forbidden);

#endif
