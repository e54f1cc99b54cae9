/*
 * store.h — the persistence port.
 *
 * Everything awda keeps goes through these functions; the application
 * layer never sees SQL. They are implemented over SQLite by the files of
 * src/store/ (one per aggregate; see internal.h for the map).
 *
 * Two kinds of access:
 *   - reads run on a connection private to the calling thread
 *     (store_reader), in SQLite's WAL mode so they never block the writer;
 *   - writes are *jobs* handed to store_write. One writer thread takes every
 *     job waiting, runs each inside its own savepoint of one transaction,
 *     commits once (fsync with synchronous=FULL) and only then wakes the
 *     callers. A job that fails is rolled back to its savepoint without
 *     disturbing the others. This group commit is how awda acknowledges a
 *     registration only once it is on disk and still takes thousands per
 *     second.
 *
 * Entity data crosses the port as jansson objects shaped by the field
 * tables in core/field.h, except a case read whole, which is a typed
 * struct (store_case_t: values by field-table position, texts in a buffer
 * it owns). Ownership, for every function below unless it says otherwise:
 *   - a returned json_t* is a new reference the caller owns and
 *     json_decref()s; NULL means not found or a database error, as the
 *     function says;
 *   - json_t* and strings passed in are borrowed (read during the call,
 *     never kept);
 *   - a store_conn_t* is borrowed from the store (store_reader, the
 *     writer's job argument) and must not be closed, except a snapshot
 *     (store_snapshot_close);
 *   - int results are STORE_* codes.
 */
#ifndef AWDA_STORE_H
#define AWDA_STORE_H
#include "../core/journey.h"
#include "../text/norm.h"
#include "../util/id.h"
#include "../util/limits.h"
#include "../util/seal.h"
#include <jansson.h>
#include <stdint.h>

enum {
    STORE_OK = 0,
    STORE_NOTFOUND = 1,
    STORE_CONFLICT = 2, /* unique key taken */
    STORE_STALE = 3,    /* version did not match */
    STORE_ERR = 4,      /* database failure */
    STORE_ABORT = 5,    /* a job chose to roll back (its own reason) */
};

typedef struct store store_t;
typedef struct store_conn store_conn_t;

/* Opens (creating if needed) the database at path and the audit log's
 * file beside it (store_audit_path), configures WAL, foreign keys, busy
 * timeout and synchronous=FULL, and starts the writer thread. Returns
 * STORE_OK and sets *out, which the caller owns and releases with
 * store_close; STORE_ERR (nothing to release) otherwise, among others
 * when the database holds schema 28 or later and its audit file is
 * missing. */
int store_open(const char *path, store_t **out);
/* The audit log's file for the database at path: path followed by
 * "-audit" (from migration 28 the table audit lives there, in a WAL file
 * of its own). malloc'd, the caller frees it; NULL for a NULL path or
 * when out of memory. Backups copy both files. */
char *store_audit_path(const char *path);
/* Stops the writer after the jobs queued, checkpoints the WAL, closes
 * every connection and frees s (NULL: nothing). */
void store_close(store_t *s);
/* Runs pending migrations, each in its own transaction; *applied gets
 * how many ran. STORE_ERR when one fails (the ones before it stay) or
 * the database is newer than this binary. */
int store_migrate(store_t *s, int *applied);
/* Latest migration applied (PRAGMA user_version; -1 on error), and the
 * latest this binary knows. */
int store_schema_version(store_t *s);
int store_schema_latest(void);
/* Truncating WAL checkpoint, on the checkpoint thread's connection (it
 * waits for a write in progress). STORE_OK or STORE_ERR. The WAL is
 * otherwise checkpointed passively by that thread, never by the writer. */
int store_checkpoint(store_t *s);
/* What the store did so far (for tests and diagnostics). */
typedef struct {
    unsigned long long audit_batches;  /* writer jobs that stored audit records */
    unsigned long long audit_written;  /* audit records stored */
    unsigned long long checkpoints;    /* WAL checkpoints completed */
    unsigned long long person_unseals; /* sealed person values opened (decrypted) */
    unsigned long long record_unseals; /* sealed record values opened (decrypted) */
} store_stats_t;
void store_stats(store_t *s, store_stats_t *out);

/* Gives the store the keys that seal medical and protection values (and
 * stored replies) at rest; the store keeps a copy (kr stays the
 * caller's, and is wiped at store_close). Without keys such values
 * cannot be written. */
void store_set_keyring(store_t *s, const awda_keyring_t *kr);
/* 1 when the database holds sealed values (they need the key file), 0
 * when not. */
int store_sealed_exist(store_conn_t *c);
/* Re-seals every sealed value under the newest key of the store's
 * keyring, opening with old (which holds the previous keys; borrowed),
 * in one writer job: all or nothing. *values gets how many. */
int store_reseal(store_t *s, const awda_keyring_t *old, long long *values);
/* How many sealed values (medical and protection detail, protection
 * concerns of persons, second-factor secrets, stored replies) are sealed
 * under another key than version; where gets the first place holding one
 * ("users.totp_secret"). After a rotation this must be 0 before the old
 * key may go. */
long long store_sealed_remaining(store_conn_t *c, int version, char *where, size_t cap);

/* The calling thread's read connection (opened on first use, closed at
 * thread exit or store_close; the store owns it). NULL on failure. */
store_conn_t *store_reader(store_t *s);
/* Wraps the reads of one request in one read transaction: one consistent
 * snapshot, and one lock acquisition instead of one per statement.
 * store_read_end ends it (every begin that returned STORE_OK). */
int store_read_begin(store_conn_t *c);
void store_read_end(store_conn_t *c);
/* 0 when the database answers a trivial query. */
int store_ping(store_conn_t *c);

typedef int (*store_job_fn)(store_conn_t *c, void *ctx);
/* Runs fn(c, ctx) on the writer connection inside a transaction shared
 * with other jobs; returns once that transaction is durable (or failed).
 * The result is fn's own return code when it failed, STORE_ERR when the
 * commit failed, else STORE_OK. fn must not call store_write. */
int store_write(store_t *s, store_job_fn fn, void *ctx);
/* store_write for a job of many statements (an import's batch of
 * households): the job gets a transaction of its own, with no SAVEPOINT
 * around it (SQLite keeps an open savepoint's statement journal in memory
 * as a list that every statement's end walks, so a job of thousands of
 * statements under one would cost the square of its length). When fn
 * fails, the whole transaction rolls back, which is fn's alone: audit
 * records waiting are committed before it, in a transaction of theirs. */
int store_write_solo(store_t *s, store_job_fn fn, void *ctx);
/* In a writer job of many new persons (an import's batch): from begin,
 * the duplicate and search keys, the name keys and the pairs of name keys
 * of the persons inserted are kept, and end(c, 1) inserts them all in key
 * order (the same rows, for less work:
 * consecutive keys share index pages); end(c, 0) forgets them (the job
 * is rolling back). A batch the job leaves open is ended by the writer
 * after it: written when the job succeeded, forgotten when it failed.
 * STORE_OK or STORE_ERR. */
int store_keys_batch_begin(store_conn_t *c);
int store_keys_batch_end(store_conn_t *c, int write);
/* The page cache of connection c, in KiB (an import's writer takes a
 * larger one for its run; STORE_WRITER_CACHE_KIB is the usual: 24 MiB
 * registers as many people a second at a million persons as 64 MiB did,
 * and keeps the server under 100 MB, bench/RESULTS.md).
 * STORE_OK or STORE_ERR. */
#define STORE_WRITER_CACHE_KIB 24576
int store_conn_cache(store_conn_t *c, long kib);
/* The keys of persons made before their writer job, on the thread that
 * prepares the job (key_ready.c): an import makes its next batch's keys
 * while the writer writes the batch before. new: an empty set (NULL when
 * out of memory), the caller's, freed by store_keys_ready_free. add:
 * makes and keeps the name, search and duplicate keys of person p
 * (validated JSON: name, name_latin, date_of_birth, contact.phone); 0, or
 * -1 when they could not be made or kept (the job then makes them).
 * clear: forgets every person, keeping the memory. use: in a writer job,
 * persons written on c take their keys from r when they have the same
 * four fields; NULL stops it (before the job returns). r must not change
 * while in use. */
typedef struct store_keys_ready store_keys_ready_t;
store_keys_ready_t *store_keys_ready_new(void);
int store_keys_ready_add(store_keys_ready_t *r, const json_t *p);
void store_keys_ready_clear(store_keys_ready_t *r);
void store_keys_ready_free(store_keys_ready_t *r);
void store_keys_ready_use(store_conn_t *c, const store_keys_ready_t *r);
/* Queues fn(c, ctx) like store_write and returns at once: nobody waits.
 * Once the batch that holds it is durable (or failed), the writer thread
 * calls on_done(arg, rc) with what store_write would have returned;
 * on_done must be cheap (it holds up the next batch) and must not call
 * store_write. It is called exactly once — at once, on the caller's
 * thread, with STORE_ERR when out of memory or the store is stopping.
 * ctx and arg stay the caller's and must live until on_done is called. */
void store_write_async(store_t *s, store_job_fn fn, void *ctx, void (*on_done)(void *arg, int rc),
                       void *arg);
/* The most jobs one batch held for callers waiting on them (store_write
 * and store_write_async, not the queued audit records) since open. */
int store_write_waited_max(store_t *s);

/* ---- offices ---- */
/* Inserts an office from validated JSON (code, name, country, location,
 * name_ar, name_fr): STORE_CONFLICT when the code is taken. */
int store_office_insert(store_conn_t *c, const json_t *office);
/* Updates name (kept when absent), location, name_ar and name_fr of the
 * office code: STORE_NOTFOUND when there is none. */
int store_office_update(store_conn_t *c, const char *code, const json_t *office);
/* Every office by code: [{code, name, country, location, name_ar,
 * name_fr}]; caller owns; NULL on error. */
json_t *store_office_list(store_conn_t *c);
/* The office code as in the list; caller owns; NULL when none. */
json_t *store_office_get(store_conn_t *c, const char *code);
/* The key of office code; 0 when unknown. */
int64_t store_office_pk(store_conn_t *c, const char *code);

/* ---- users, sessions ---- */
typedef struct {
    int64_t pk;
    char username[AWDA_MAX_USERNAME + 1];
    unsigned roles; /* bit i = AWDA_ROLES[i] */
    int disabled;
    int totp_enabled;                           /* the user signs in with a second factor */
    int nprojects;                              /* projects a programme manager is scoped to */
    char projects[AWDA_MAX_USER_PROJECTS_JSON]; /* their names, a JSON array ("[]": none) */
    int noffices;
    int64_t offices[AWDA_MAX_USER_OFFICES];
    char language[4]; /* saved interface language ("ar", "fr", "en"; "" none) */
} store_principal_t;

/* Inserts a user; user holds username, full_name, roles, offices (codes
 * must exist: STORE_NOTFOUND otherwise), disabled, and optionally
 * language, projects, organisation. STORE_CONFLICT: username taken.
 * pwhash (an Argon2id string) is copied. */
int store_user_insert(store_conn_t *c, const json_t *user, const char *pwhash);
/* Updates the members present in user (full_name, roles, offices,
 * disabled, language); pwhash, when not NULL, replaces the password and ends the
 * user's sessions. */
int store_user_update(store_conn_t *c, const char *username, const json_t *user,
                      const char *pwhash);
/* Every user by username: [{username, full_name, roles, disabled,
 * offices, second_factor, language, organisation, projects}] (never the
 * password hash or secret); caller owns; NULL on error. */
json_t *store_user_list(store_conn_t *c);
/* One user as in the list; caller owns; NULL when none. */
json_t *store_user_get(store_conn_t *c, const char *username);
/* Fills p (the caller's) and copies the password hash into pwhash (cap
 * bytes, the caller's), for signing in. STORE_NOTFOUND. */
int store_user_auth(store_conn_t *c, const char *username, store_principal_t *p, char *pwhash,
                    size_t cap);
/* The key of username; 0 when unknown. */
int64_t store_user_pk(store_conn_t *c, const char *username);
/* How many users there are; -1 on error. */
int store_user_count(store_conn_t *c);

/* The second factor. The secret (base32 text) is sealed at rest.
 * _get copies the opened secret into the caller's buffer (STORE_NOTFOUND
 * when there is none, STORE_ERR when it cannot be opened); _set replaces
 * it (NULL removes the second factor); _use records that a code of this
 * 30-second step was accepted, STORE_CONFLICT when it or a later one was
 * used already (a replayed code). */
int store_user_totp_get(store_conn_t *c, int64_t user_pk, char *secret, size_t cap, int *enabled,
                        int64_t *last_step);
int store_user_totp_set(store_conn_t *c, int64_t user_pk, const char *secret, int enabled);
int store_user_totp_use(store_conn_t *c, int64_t user_pk, int64_t step);

/* Records a new session under the hash of its token (never the token),
 * ending at expires_ms (epoch ms). */
int store_session_insert(store_conn_t *c, const char *token_hash, int64_t user_pk,
                         int64_t expires_ms);
/* Finds a live session of an enabled user: not past its absolute expiry,
 * and used within the last idle_ms. Fills p (the caller's);
 * STORE_NOTFOUND when there is none. */
int store_session_lookup(store_conn_t *c, const char *token_hash, int64_t now_ms, int64_t idle_ms,
                         store_principal_t *p);
/* Records that a session was used now (queued with a copy of
 * token_hash; the caller does not wait). */
void store_session_touch(store_t *s, const char *token_hash, int64_t now_ms);
/* Ends the session (signing out). */
int store_session_delete(store_conn_t *c, const char *token_hash);

/* ---- persons ---- */
/* Inserts person (validated JSON) with its documents and name keys,
 * sealing its protection concerns; writes the new id into id_out and its
 * key into *pk_out. STORE_ERR without a key to seal with. */
int store_person_insert(store_conn_t *c, const json_t *person, char id_out[37], int64_t *pk_out);
/* Replaces every field, document and name key of person pk. */
int store_person_update(store_conn_t *c, int64_t pk, const json_t *person);
/* The key of the person with this id; 0 when unknown. */
int64_t store_person_pk(store_conn_t *c, const char *id);
/* The person as JSON (sealed values opened), with "cases": [{id, number,
 * office, receiving_office?}] when with_cases. Caller owns; NULL when
 * none. */
json_t *store_person_get(store_conn_t *c, int64_t pk, int with_cases);
/* Persons whose name keys match every query key by prefix, limited to
 * cases of the given offices, receiving offices and projects (a JSON
 * array; nof < 0: everywhere), at most limit (AWDA_LIST_MAX at most):
 * their keys into pks, in the order of a scan of the driving key's range;
 * how many, -1 on error. */
int store_person_search(store_conn_t *c, const awda_name_keys_t *q, int limit,
                        const int64_t *offices, int nof, const char *projects, int64_t *pks);
/* The search that finds people (person_search.c): q is a name in any
 * script (every word must match: the same word, its skeleton across
 * scripts, a prefix, or one typo; any order), or digits (a tail of a case
 * number's digits, or a phone number of 7 digits or more). Best first, at
 * most limit (AWDA_LIST_MAX at most), in the scope as
 * store_person_search: the persons' keys into pks; how many, -1 on error.
 * store_person_summaries_each gives what an answer shows of them. */
int store_person_find(store_conn_t *c, const char *q, int limit, const int64_t *offices, int nof,
                      const char *projects, int64_t *pks);

/* One case of a person in a search answer: its public id, number and
 * office code, and what its scope is decided on. */
typedef struct {
    char id[AWDA_UUID_LEN + 1];
    char number[AWDA_MAX_SHORT + 1];
    char office[AWDA_MAX_SHORT + 1];            /* the office's code */
    int64_t pk, office_pk, receiving_office_pk; /* receiving 0: none */
    char project[AWDA_MAX_SHORT + 1];           /* "" when none */
} store_summary_case_t;

/* A person as a search answers: who, and in which cases. Everything is
 * the store's, valid until the callback returns; a text is NULL when the
 * column is null. */
typedef struct {
    const char *id, *name, *name_latin, *sex, *date_of_birth, *nationality;
    const store_summary_case_t *cases;
    int ncases;
} store_summary_t;

typedef int (*store_summary_fn)(void *ctx, const store_summary_t *s);
/* Calls fn with the summary of each person of pks[0..n) that exists, in
 * that order: one statement for the person, one for their cases (at most
 * AWDA_SUMMARY_CASES_MAX). Stops at the first nonzero return of fn and
 * returns it; STORE_OK when every call returned 0; STORE_ERR on a failed
 * read. */
int store_person_summaries_each(store_conn_t *c, const int64_t *pks, int n, store_summary_fn fn,
                                void *ctx);

/* ---- cases ---- */
typedef struct {
    const char *stage;            /* NULL: any */
    int64_t office_pk;            /* 0: any */
    const char *nationality;      /* of the principal; NULL: any */
    const awda_name_keys_t *keys; /* name search; NULL: none */
    const char *number_prefix;    /* case number prefix; NULL: none */
    int64_t cursor;               /* list cases with pk < cursor; 0: from the newest */
    int limit;
    const int64_t *offices; /* scope; nof < 0: all */
    int nof;
    const char *projects; /* and cases of these projects (JSON array); NULL: none */
    int64_t assigned_pk;  /* assigned to this user; 0: anyone */
    /* Waiting for the user (GET /cases?waiting=me): at a stage (bit i =
     * AWDA_STAGES[i]) from which they take a step forward — waiting_host:
     * a step of the office holding the case (wait_offices); waiting_return:
     * a step of the return, taken by the receiving office once the case is
     * handed over (else the holding office), in the country of return.
     * wait_nof < 0: wherever the case is. Unused when waiting is 0. */
    int waiting;
    unsigned waiting_host, waiting_return;
    const int64_t *wait_offices;
    int wait_nof;
    int64_t created_from;   /* exports: registered at or after (epoch ms); 0: any */
    int64_t created_before; /* exports: registered before (epoch ms); 0: any */
} store_case_filter_t;

/* Reserves the next human number of an office for a year (a writer
 * job): "EG-CAI-2026-000123" into out. */
int store_case_number(store_conn_t *c, int64_t office_pk, const char *office_code, int year,
                      char out[40]);
/* Inserts the case row (not members) from validated JSON at the first
 * stage, version 1; its new id into id_out, its key into *pk_out.
 * assigned_pk and user_pk may be 0 (none). */
int store_case_insert(store_conn_t *c, const json_t *caze, const char *number, int64_t office_pk,
                      int64_t assigned_pk, int64_t user_pk, char id_out[37], int64_t *pk_out);
/* Updates the case row when its version is still expected_version
 * (STORE_STALE otherwise) and bumps the version. */
int store_case_update(store_conn_t *c, int64_t pk, int64_t expected_version, const json_t *caze,
                      int64_t office_pk, int64_t assigned_pk);
/* Removes every member of the case (before they are written again). */
int store_case_members_clear(store_conn_t *c, int64_t case_pk);
/* Adds person_pk to the case at position (0: the first). */
int store_case_member_add(store_conn_t *c, int64_t case_pk, int64_t person_pk,
                          const char *relationship, int position);
/* Finds a case by public id: its key, office and version into the
 * caller's variables. STORE_NOTFOUND. */
int store_case_find(store_conn_t *c, const char *id, int64_t *pk, int64_t *office_pk,
                    int64_t *version);
/* What a case read by id also tells about the case's place, so that the
 * reader can check its scope without reading the case again. */
typedef struct {
    int64_t pk, office_pk, receiving_office_pk; /* receiving: 0 when none */
    int64_t version;
    char project[AWDA_MAX_SHORT + 1]; /* "" when none */
} store_case_row_t;

/* ---- the case aggregate, typed (case_aggregate.c) ----------------------
 * A case as a reader sees it: the case row, and its members with their
 * relationship and their persons, as typed values. The values of the case
 * are indexed by the position of each field in AWDA_CASE, those of a
 * member's person by the position in AWDA_PERSON (core/entities.c), so a
 * reader walks the field table and the values side by side. Filled by two
 * statements: the case row, then every member with their person. Texts
 * live in the aggregate's own capped buffer (AWDA_MAX_CASE_TEXT), named by
 * offset and length (store_val_text). Nothing in it is borrowed: the
 * aggregate owns everything it holds, and store_case_free releases it.
 *
 * Person fields of a sensitivity class the caller does not ask for are
 * left ABSENT and never read: a sealed one is not decrypted. */
typedef enum {
    STORE_V_ABSENT = 0, /* not part of the case as shown (or a class not asked for) */
    STORE_V_NULL,
    STORE_V_INT,  /* .i */
    STORE_V_BOOL, /* .i: 0 or 1 */
    STORE_V_TIME, /* .i: epoch milliseconds, shown as ISO 8601 */
    STORE_V_TEXT, /* a string: .off/.len into the text buffer, not escaped */
    STORE_V_JSON, /* JSON text as stored (JSON columns, documents, opened sealed values) */
} store_vtype_t;

typedef struct {
    unsigned char type; /* store_vtype_t */
    union {
        int64_t i;
        struct {
            uint32_t off, len;
        } t;
    } u;
} store_val_t;

/* Room for the field tables (checked at every load: a table that grew
 * past it fails the load, logged, and the unit test says so). */
#define STORE_CASE_FIELDS_MAX   24
#define STORE_PERSON_FIELDS_MAX 20

typedef struct {
    store_val_t relationship;
    int64_t position; /* as recorded; members are in this order */
    int64_t person_pk;
    store_val_t person[STORE_PERSON_FIELDS_MAX]; /* by position in AWDA_PERSON */
} store_member_t;

/* What a case of a usual size fits in without a second allocation. */
#define STORE_CASE_MEMBERS0 4
#define STORE_CASE_TEXT0    2048

typedef struct {
    store_case_row_t row;                 /* its place and version */
    store_val_t v[STORE_CASE_FIELDS_MAX]; /* by position in AWDA_CASE; "members" ABSENT */
    int nmembers;                         /* at most AWDA_MAX_MEMBERS */
    int members_cap;
    store_member_t *members; /* nmembers, in position order: members0 or the heap */
    char *text; /* every text value, one after the other (NUL after each): text0 or the heap */
    size_t text_len, text_cap;
    store_member_t members0[STORE_CASE_MEMBERS0];
    char text0[STORE_CASE_TEXT0];
} store_case_t;

/* Every sensitivity class (for store_case_load's classes). */
#define STORE_CLASSES_ALL (~0u)

/* Reads the case with public id (or, when id is NULL, the case with key
 * pk) into a new aggregate *out, which the caller owns and releases with
 * store_case_free. classes: bit (1u << f->sens) for each sensitivity class
 * of person fields to read; fields of a class without its bit (SENS_NONE
 * is always read) are ABSENT and a sealed one is not opened. Members come
 * in the order of their position, at most AWDA_MAX_MEMBERS. STORE_OK,
 * STORE_NOTFOUND (*out NULL) or STORE_ERR (*out NULL). */
int store_case_load(store_conn_t *c, const char *id, int64_t pk, unsigned classes,
                    store_case_t **out);
void store_case_free(store_case_t *k);
/* The bytes of a TEXT or JSON value (NUL-terminated; borrowed from k). */
static inline const char *store_val_text(const store_case_t *k, const store_val_t *v)
{
    return k->text + v->u.t.off;
}
/* The aggregate as a JSON tree, as GET shows it: the case's fields with
 * "members": [{relationship, person_id, person}], ABSENT values left out.
 * New object the caller owns; NULL when out of memory. */
json_t *store_case_json(const store_case_t *k);

/* The case with key pk as GET shows it (store_case_json of every class).
 * Caller owns; NULL when none. */
json_t *store_case_get(store_conn_t *c, int64_t pk);
/* The case with public id as store_case_get shows it, and its row into
 * *row, in one read of the case. Caller owns; NULL when none. */
json_t *store_case_read(store_conn_t *c, const char *id, store_case_row_t *row);
/* The office the case was handed over to (0: none). */
int64_t store_case_receiving_office(store_conn_t *c, int64_t case_pk);
/* Hands the case over to office_pk in the country of return, when still
 * at expected_version (STORE_STALE otherwise); bumps the version. */
int store_case_hand_over(store_conn_t *c, int64_t case_pk, int64_t expected_version,
                         int64_t office_pk);
/* Bumps the version (and updated_at) of a case whose content changed
 * without a change to its own row: a member's details changed through
 * another case. */
int store_case_touch(store_conn_t *c, int64_t case_pk);
/* A case as the list shows it, with its principal (principal_id NULL
 * when it has none). Everything is the store's, valid until the callback
 * returns; a text is NULL when the column is null. */
typedef struct {
    const char *id, *number, *stage, *office, *origin_country, *destination_country;
    long long version;
    int64_t updated_at; /* epoch ms */
    const char *principal_id, *principal_name, *principal_name_latin, *principal_nationality,
        *principal_sex, *principal_date_of_birth;
    long long member_count;
    const char *assigned_to, *planned_departure;
} store_case_item_t;

typedef int (*store_case_item_fn)(void *ctx, const store_case_item_t *k);
/* Calls fn with each case matching f, newest first, a page of f->limit,
 * as they are read. *next_cursor is the cursor of the next page (the last
 * case's key) when more follow, 0 when none. Stops at the first nonzero
 * return of fn and returns it; STORE_OK when every call returned 0;
 * STORE_ERR on a failed read. */
int store_case_list_each(store_conn_t *c, const store_case_filter_t *f, store_case_item_fn fn,
                         void *ctx, int64_t *next_cursor);
/* Exports read from a snapshot of their own: a private read-only
 * connection inside one read transaction, so that every row of an export
 * sent over many seconds comes from one state of the database, however
 * much is written meanwhile, and the request's thread connection stays
 * free. The caller owns it and ends it with store_snapshot_close; NULL
 * on failure. */
store_conn_t *store_snapshot_open(store_t *s);
void store_snapshot_close(store_conn_t *c);
/* How many rows an export of f would have (one per member of each case
 * matching stage, office_pk, the scope and created_from/_before; cursor,
 * keys, limit ignored); -1 on error. */
long long store_export_count(store_conn_t *c, const store_case_filter_t *f);
/* The rows themselves, in case order, one at a time: _next gives a new
 * row {case_id, number, office, stage, origin_country,
 * destination_country, destination_admin_area, destination_pcode,
 * project, planned_departure, closure_reason, registered_at,
 * relationship, person_id, person_pk, name, name_latin, sex,
 * date_of_birth, dob_precision, nationality, vulnerabilities} — with
 * protection_vulnerabilities opened when sealed was set — that the
 * caller json_decref()s; it returns 1 with a row, 0 at the end, -1 on
 * error. store_export_open returns a cursor the caller owns (NULL on
 * failure) and frees with store_export_close; it borrows c: close it
 * before c. */
typedef struct store_export store_export_t;
store_export_t *store_export_open(store_conn_t *c, const store_case_filter_t *f, int sealed);
int store_export_next(store_export_t *e, json_t **row);
void store_export_close(store_export_t *e);
/* Cases per stage within the scope (as store_case_list_each), of one office
 * when office_pk: {"by_stage": {stage: n}, "total": n}. Caller owns;
 * NULL on error. */
json_t *store_case_counts(store_conn_t *c, int64_t office_pk, const int64_t *offices, int nof,
                          const char *projects);
/* Appends an event to the case's timeline now (user_pk 0: the system);
 * STORE_ERR when data cannot be serialised. */
int store_event_append(store_conn_t *c, int64_t case_pk, int64_t user_pk, const char *kind,
                       const json_t *data);
/* The timeline, oldest first: [{id, at, user, kind, data}]. Caller owns;
 * NULL on error. */
json_t *store_event_list(store_conn_t *c, int64_t case_pk);

/* ---- the journey: stages and records ---- */
/* Moves a case to stage when it is still at expected_version; bumps the
 * version. stage_before and closure_reason may be NULL (cleared). */
int store_case_set_stage(store_conn_t *c, int64_t pk, int64_t expected_version, const char *stage,
                         const char *stage_before, const char *closure_reason);
/* Appends a record (data: the validated JSON without "kind"), its
 * medical and protection fields sealed; its new id into id_out.
 * person_pk, user_pk 0: none. STORE_ERR without a key to seal with. */
int store_record_insert(store_conn_t *c, int64_t case_pk, int64_t person_pk, const char *kind,
                        const json_t *data, int64_t user_pk, char id_out[37]);
/* Records of a case, oldest first: [{id, kind, case_id, person_id,
 * created_at, created_by, data}] (sealed values opened); kind NULL for
 * all. Caller owns; NULL on error. */
json_t *store_record_list(store_conn_t *c, int64_t case_pk, const char *kind);
/* The records of a case as the journey's requirements read them, oldest
 * first, appended to out (core/journey.h: typed by kind, awda_records_add),
 * by one statement. Opens no sealed value. STORE_OK; STORE_ERR on a
 * database error or when the case has more than AWDA_CASE_RECORDS_MAX
 * records (out then holds what was read; the caller frees it either way
 * with awda_records_free). */
int store_journey_records(store_conn_t *c, int64_t case_pk, awda_records_t *out);
/* One record as in the list; caller owns; NULL when none. */
json_t *store_record_get(store_conn_t *c, const char *id);
/* Marks every return consent of the case as withdrawn at at_iso. */
int store_consents_withdraw(store_conn_t *c, int64_t case_pk, const char *at_iso);
/* Earlier cases of the members of case_pk that reached departure:
 * [{person_id, number}]. Caller owns; NULL on error. */
json_t *store_previous_returns(store_conn_t *c, int64_t case_pk);
/* The data of the newest event of kind on the case's timeline whose
 * data.event is event (any when NULL); NULL when there is none. Caller
 * owns it. */
json_t *store_case_last_event(store_conn_t *c, int64_t case_pk, const char *kind,
                              const char *event);
/* The id of the newest record of the case into out; STORE_NOTFOUND when
 * the case has no record. */
int store_record_last_id(store_conn_t *c, int64_t case_pk, char out[37]);
/* Sets the stage and stage_before of a case without a new version: part
 * of a change that already made one (a destination change taking the case
 * back to counselled). */
int store_case_stage_back(store_conn_t *c, int64_t pk, const char *stage, const char *stage_before);
/* Forgets the receiving office of a case (its destination moved to
 * another country), without a new version: part of that change. */
int store_case_receiving_clear(store_conn_t *c, int64_t pk);

/* ---- restrictions ---- */
/* Inserts a restriction from validated JSON, version 1, and its
 * "created" history entry; its new id into id_out. */
int store_restriction_insert(store_conn_t *c, const json_t *r, int64_t user_pk, char id_out[37]);
/* Replaces the restriction's fields when at expected_version (else
 * STORE_STALE); action is "updated" or "reviewed" for the history. */
int store_restriction_update(store_conn_t *c, const char *id, int64_t expected_version,
                             const json_t *r, int64_t user_pk, const char *action);
/* The restriction, with "history": [{at, user, action, restriction}]
 * when with_history. Caller owns; NULL when none. */
json_t *store_restriction_get(store_conn_t *c, const char *id, int with_history);
/* All restrictions, or those whose next review is before overdue_before
 * (a date). Caller owns; NULL on error. */
json_t *store_restriction_list(store_conn_t *c, const char *overdue_before);
/* A number that changes whenever any restriction is created, changed or
 * reviewed (the newest row of restriction_history; every change writes
 * one): a transition decided on a reader compares it inside its write to
 * know that the restrictions it weighed are still the ones in force.
 * -1 on a database error. */
int64_t store_restriction_stamp(store_conn_t *c);
/* Restrictions in force on today for a destination (admin area matched
 * case-insensitively; a restriction without area covers the country).
 * Caller owns; NULL on error. */
json_t *store_restriction_matching(store_conn_t *c, const char *country, const char *area,
                                   const char *today);
/* Cases before departure that restriction id blocks today (for
 * approval_required: those without an approval for it), as summaries:
 * all are counted into *total, the first `limit` listed. Caller owns;
 * NULL when the restriction does not exist. */
json_t *store_restriction_affected(store_conn_t *c, const char *id, const char *today,
                                   const int64_t *offices, int nof, const char *projects, int limit,
                                   long long *total);
/* The case's project into out ("" when none). */
void store_case_project(store_conn_t *c, int64_t case_pk, char *out, size_t cap);

/* ---- sharing with third parties ---- */
/* 1 when the person's latest consent to share (purpose "data_sharing" or
 * "medical_data_sharing") with recipient (case-insensitive) is newer than
 * any withdrawal of it; 0 when not; -1 on error. */
int store_sharing_consent(store_conn_t *c, int64_t person_pk, const char *purpose,
                          const char *recipient);
/* Marks the person's consents to share (purpose, recipient) as withdrawn
 * now (withdrawn_at), as a consent_withdrawal record says. */
int store_sharing_consent_withdrawn(store_conn_t *c, int64_t person_pk, const char *purpose,
                                    const char *recipient);
/* Referrals addressed to organisation (a partner's id), newest first,
 * below before_pk (0: from the newest), at most limit, with the person's
 * identity and contact (not documents, vulnerabilities or anything
 * sealed) and "_person_pk" for the caller's consent check; *last_pk: the
 * last row's key, for the next page. Caller owns; NULL on error. */
json_t *store_referrals_for(store_conn_t *c, const char *organisation, int64_t before_pk, int limit,
                            int64_t *last_pk);
/* Counts for aggregate reports: {"cases_by_stage": [{key, count}],
 * "cases_by_office", "cases_by_destination", "persons_by_sex",
 * "persons_by_nationality", "cases_closed_by_reason"}. Caller owns. */
json_t *store_statistics(store_conn_t *c);

/* ---- partner organisations ---- */
/* A partner is {"id","name","country","created_at","updated_at"}; records
 * of sharing (consent to share, its withdrawal, referral) and a partner
 * user's organisation hold its id. */
/* Inserts a partner from validated JSON (name, country); its new id into
 * id_out. STORE_CONFLICT when the name (without regard to case) is
 * taken. */
int store_partner_insert(store_conn_t *c, const json_t *p, char id_out[37]);
/* Sets name and country of partner id: STORE_NOTFOUND, STORE_CONFLICT. */
int store_partner_update(store_conn_t *c, const char *id, const json_t *p);
/* Every partner by name (caller owns), or NULL on failure. */
json_t *store_partner_list(store_conn_t *c);
/* The partner with this id (caller owns), or NULL when there is none. */
json_t *store_partner_get(store_conn_t *c, const char *id);

/* ---- retention ---- */
/* Cases at stage (closed, withdrawn) unchanged since before before_ms and
 * not anonymised yet, oldest first: [{id, number, stage, closure_reason,
 * since, office, members}]. Caller owns; NULL on error. */
json_t *store_retention_due(store_conn_t *c, const char *stage, int64_t before_ms, int limit);
/* Anonymises a case irreversibly (inside the caller's write job): notes,
 * the free text, names and sensitive fields of its records, transition
 * reasons; and its members' names, contact, documents, name keys and day
 * of birth, unless they are in another case still in use. Statistical
 * fields stay. *persons: members anonymised. STORE_NOTFOUND when the case
 * is gone or was anonymised already. */
int store_case_anonymise(store_conn_t *c, int64_t case_pk, int64_t now_ms, int *persons);

/* ---- audit ---- */
typedef struct {
    int64_t at;      /* epoch ms */
    int64_t user_pk; /* 0: not signed in */
    char username[AWDA_MAX_USERNAME + 1];
    char addr[64];
    char method[12];
    char route[64];
    char entity_id[48];
    int status;
} store_audit_t;
/* Queues an audit record and returns: no wait for the disk, no wake-up of
 * the writer per record. The writer chains and stores every record
 * waiting with its next commit: when a write commits, when
 * AWDA_AUDIT_FLUSH_ROWS are waiting, or AWDA_AUDIT_FLUSH_MS after the
 * first (the most a crash may lose; store_close stores them all). The
 * caller waits only when AWDA_AUDIT_PENDING_MAX records are waiting; a
 * record is never dropped. Copies a (the caller keeps it). */
void store_audit(store_t *s, const store_audit_t *a);
/* Stores every audit record queued before the call and, when c (a reader
 * of this thread, or NULL) is inside a read transaction, starts that
 * transaction over so that it sees them: reading the log shows every
 * request answered before. Waits for one commit. STORE_OK or STORE_ERR. */
int store_audit_sync(store_t *s, store_conn_t *c);
/* The three below read the log on the store's one connection with the
 * audit log's file attached, one caller at a time (c names the store; the
 * readers of cases do not attach it), each statement in a snapshot of
 * its own. */
/* Walks the chain: STORE_OK when intact, STORE_CONFLICT with *first_bad
 * the first record altered, removed or out of order. */
int store_audit_verify(store_conn_t *c, long long *checked, long long *first_bad);
/* Audit records newest first, below before_pk (0: from the newest), a
 * page of limit; entity_id / username NULL for any. {"items",
 * "next_cursor"}. Caller owns; NULL on error. */
json_t *store_audit_list(store_conn_t *c, const char *entity_id, const char *username,
                         int64_t before_pk, int limit);
/* As store_audit_list, only the records about a case in the scope
 * (offices as host or receiving office, nof >= 0; projects a JSON array
 * or NULL) or about a person in such a case; records about nothing of
 * the kind (sign-ins, lists, administration) are left out. Caller owns
 * the result; NULL on failure. */
json_t *store_audit_list_scoped(store_conn_t *c, const char *entity_id, const char *username,
                                const int64_t *offices, int nof, const char *projects,
                                int64_t before_pk, int limit);

/* ---- idempotency ---- */
typedef struct {
    char request_hash[65];
    int status;
    char *body;     /* owned by the record; free with store_idem_free */
    char *location; /* may be NULL */
} store_idem_t;
/* The response stored under (user_pk, key) into out (the caller's); its
 * body and location are the caller's to release with store_idem_free.
 * STORE_NOTFOUND (out untouched). */
int store_idem_get(store_conn_t *c, int64_t user_pk, const char *key, store_idem_t *out);
/* Stores rec (copied; sealed when the store has keys) under (user_pk,
 * key): STORE_CONFLICT when the key is taken. */
int store_idem_put(store_conn_t *c, int64_t user_pk, const char *key, const store_idem_t *rec);
/* Frees what store_idem_get put in r (not r itself). */
void store_idem_free(store_idem_t *r);
/* Forgets the responses stored before before_ms (retries come within
 * minutes; the table would otherwise grow with every create). */
int store_idem_purge(store_conn_t *c, int64_t before_ms);

/* ---- addresses users signed in from (sign-in throttling) ---- */
/* STORE_OK when user_pk signed in successfully from addr at or after
 * since_ms, STORE_NOTFOUND when not, STORE_ERR. */
int store_sign_in_known(store_conn_t *c, int64_t user_pk, const char *addr, int64_t since_ms);
/* Records a successful sign-in of user_pk from addr at now_ms, keeping the
 * user's keep newest addresses (a writer job). */
int store_sign_in_note(store_conn_t *c, int64_t user_pk, const char *addr, int64_t now_ms,
                       int keep);
/* Forgets the addresses last used before before_ms (a writer job). */
int store_sign_in_purge(store_conn_t *c, int64_t before_ms);
/* ---- the staff of an office ---- */
/* The enabled users of office_pk who work on cases (any role but partner
 * and donor), by display name: [{"username","full_name","roles"}], at
 * most AWDA_MAX_OFFICE_STAFF. NULL on a database error; caller owns it. */
json_t *store_office_staff(store_conn_t *c, int64_t office_pk);

#endif
