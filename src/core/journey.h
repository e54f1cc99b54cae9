/*
 * journey.h — the return journey as data: stages, events, the transition
 * table, the records of each kind, and the guards.
 *
 * The state machine of DESIGN.md is one table (events.def, compiled into
 * journey.c): from which stages an event may be taken, to which stage it
 * leads, the permission it needs, the requirements (guards) that must all
 * be met, and what else taking it does (effects). The stages are
 * stages.def; both are named in vocabulary.h. A guard never
 * stops at the first problem: awda_journey_check lists *every*
 * requirement with whether it is met, per person, in words a case worker
 * understands, with a stable code for the interface and tests.
 *
 * Everything is evaluated over the case's records, typed by kind
 * (awda_records_t below, oldest first; the store fills them with one
 * statement and opens no sealed value), and one JSON snapshot of the case
 * and its context, both read by the application layer in one read
 * transaction (so a withdrawal racing a transition is seen by whichever
 * runs second):
 *
 *   { "case":    the case as GET shows it (members with persons),
 *     "restrictions": [ restrictions whose place matches the destination ],
 *     "previous_returns": [ {"person_id","number"} ],
 *     "now":     epoch milliseconds,
 *     "reconfirm_hours", "preembark_hours": the windows before departure,
 *     "procedure_types": [ the configured checklist ],
 *     "office_country": the country of the office holding the case,
 *     "destination_changed": the latest destination change, or absent:
 *        {"from": "NGA (Lagos)", "last_record": the id of the newest record
 *         before the change, or null} — return consents, eligibility
 *        decisions and family assessments up to that record were given for
 *        the previous destination and no longer count,
 *     "at": when the step happened, as the client wrote it (depart, arrive),
 *     "departed_at": when the case departed (from the `depart` step) }
 *
 * Pure: no I/O. Callers own every json_t returned.
 */
#ifndef AWDA_JOURNEY_H
#define AWDA_JOURNEY_H
#include "field.h"
#include "vocabulary.h"
#include <jansson.h>
#include <stddef.h>

/* Who records each kind of record (mapped to roles in app/authz.c). */
typedef enum {
    REC_COUNSEL,
    REC_SUPERVISE,
    REC_OPERATIONS,
    REC_MEDICAL,
    REC_PROTECTION,
    REC_REFER, /* referrals to partners, withdrawals of consent to share */
} awda_rec_perm_t;

/* Who may take each event (mapped to roles in app/authz.c). */
typedef enum {
    JP_COUNSEL,
    JP_ELIGIBILITY,
    JP_PREPARE,
    JP_MOVE,
    JP_REINTEGRATE,
    JP_WITHDRAW,
    JP_HOLD,
    JP_CLOSE,
    JP_REOPEN,
} awda_journey_perm_t;

extern const awda_entity_t AWDA_RESTRICTION;
extern const char *const AWDA_COUNSELLING_TOPICS[];
extern const char *const AWDA_CLOSURE_REASONS[];
extern const char *const AWDA_EVENTS[]; /* the names of events.def, NULL-terminated */

/* The kinds of records (record_kinds.def): AWDA_RK_COUNSELLING, … */
typedef enum {
#define AWDA_RECORD_KIND(id, name, title, fields, perm) AWDA_RK_##id,
#include "record_kinds.def"
#undef AWDA_RECORD_KIND
    AWDA_RK_COUNT
} awda_rec_kind_t;

/* A record as the journey's requirements read it: its kind, whom it is
 * about, and the values of its kind that a requirement weighs, typed.
 * A value of a list (a purpose, a result, a status…) is the list's own
 * constant string (compare it with strcmp), NULL when absent or not in
 * the list. Sealed values (medical, protection) are never opened: only
 * whether the child's views of a consent are there counts. Texts a
 * requirement quotes are copied, at most AWDA_RECORD_TEXT_MAX bytes. */
#define AWDA_RECORD_TEXT_MAX 400
typedef struct {
    awda_rec_kind_t kind;
    char id[40];
    char person_id[40]; /* "" for a record about the whole case */
    union {
        struct {
            unsigned topics; /* bit i: AWDA_COUNSELLING_TOPICS[i] covered */
        } counselling;
        struct {
            const char *purpose, *given_by;
            int withdrawn;   /* withdrawn_at is set */
            int child_views; /* the child's own views are recorded */
        } consent;
        struct {
            long long at; /* epoch ms, -1 when not readable */
        } reconfirmation;
        struct {
            const char *decision;
            char reason[AWDA_RECORD_TEXT_MAX];
        } eligibility;
        struct {
            char restriction_id[40];
        } approval;
        struct {
            char type[64]; /* a configured procedure type (at most 60 bytes) */
            const char *status;
        } procedure;
        struct {
            const char *type, *status;
            char expiry[11]; /* YYYY-MM-DD, "" when not recorded */
        } travel_document;
        struct {
            const char *result;
            int pre_embarkation;
            int medical_escort; /* "medical_escort" is among the needs */
            long long at;       /* epoch ms, -1 when not readable */
        } health;
        struct {
            const char *escort_type;
        } escort;
        struct {
            const char *decision;
        } bid;
        struct {
            const char *outcome;
        } family;
    } v;
} awda_record_t;

/* A case's records, oldest first. Growable up to AWDA_CASE_RECORDS_MAX;
 * the list owns items. */
typedef struct {
    awda_record_t *items;
    size_t n, cap;
} awda_records_t;

/* Adds a record of kind kind_name (data: its stored values, NULL when
 * none) to rs, filled by awda_record_fill. Returns 0; -1 when the kind is
 * unknown (nothing added), -2 when rs is full or memory ran out. */
int awda_records_add(awda_records_t *rs, const char *id, const char *kind_name,
                     const char *person_id, const json_t *data);
/* Frees what rs holds and empties it (rs itself is the caller's). */
void awda_records_free(awda_records_t *rs);
/* Fills r (every member) from a record's stored values: what its kind
 * weighs, typed as above. Borrows nothing from data. */
void awda_record_fill(awda_record_t *r, awda_rec_kind_t kind, const char *id, const char *person_id,
                      const json_t *data);
/* The name of kind ("consent"), or NULL when out of range. */
const char *awda_rec_kind_name(awda_rec_kind_t kind);

/* The field table of a record kind, or NULL; *perm says who records it. */
const awda_entity_t *awda_record_kind(const char *name, awda_rec_perm_t *perm);
/* A person's name as the messages show it: the Latin-script name (or the
 * name as written) in capitals, into out. */
void awda_person_display(const json_t *person, char *out, size_t cap);
size_t awda_record_kind_count(void);
const awda_entity_t *awda_record_kind_at(size_t i);

/* Replaces, in obj, every non-null field of e whose sensitivity class is
 * not in visible (bit 1 << SENS_x) with the string "[sealed]". */
void awda_redact(const awda_entity_t *e, json_t *obj, unsigned visible);

/* A transition as the table defines it: one row of events.def (an event
 * with two ways, such as reopen, has two). */
typedef struct {
    const char *event;
    unsigned from;  /* bit i: stage AWDA_STAGES[i] */
    const char *to; /* NULL: the stage before (resume) */
    awda_journey_perm_t perm;
    unsigned guards;  /* G_* bits */
    unsigned flags;   /* AWDA_STEP_* bits */
    unsigned effects; /* AWDA_FX_* bits */
    awda_event_t id;  /* the event: AWDA_EVENTS[id] is event */
    int to_stage;     /* the stage to as awda_stage_t, or -1 for the stage before */
} awda_transition_t;

/* A side step (withdraw, hold, resume, reopen, close): it stops, pauses or
 * restarts the journey rather than moving it forward. */
#define AWDA_STEP_SIDE 1u
/* The step says when it happened ("at"): required for departure and
 * arrival, optional for an arrival recorded afterwards. */
#define AWDA_STEP_AT_REQUIRED 2u
#define AWDA_STEP_AT_OPTIONAL 4u
/* The time the step says is the departure, or an arrival. */
#define AWDA_STEP_DEPARTS 8u
#define AWDA_STEP_ARRIVES 16u

/* What taking a step does besides moving the stage (app/journey.c does
 * it): the stage left is kept as stage_before (to resume to); the reason
 * given is the closure reason; every consent of the case's members is
 * withdrawn. */
#define AWDA_FX_KEEP_STAGE        1u
#define AWDA_FX_CLOSURE           2u
#define AWDA_FX_WITHDRAW_CONSENTS 4u
#define AWDA_FX_ALL               7u

/* The rows of the table, in order (for checks and documentation). */
size_t awda_transition_count(void);
const awda_transition_t *awda_transition_at(size_t i);

/* The transition for event from stage, or NULL when the event cannot be
 * taken from that stage. */
const awda_transition_t *awda_transition_find(const char *event, const char *stage);
/* The events that can be taken from stage, in table order (NULL-terminated
 * into out, at most max). */
int awda_transition_events(const char *stage, const awda_transition_t **out, int max);

/* Evaluates every requirement of transition t over the snapshot and the
 * case's records (oldest first). Returns
 * an array of {"code","message","met",("person_id","person")} — met and
 * unmet alike. *unmet gets the number not met. */
json_t *awda_journey_check(const awda_transition_t *t, const json_t *snap,
                           const awda_records_t *records, int *unmet);

/* 0 when the step cannot be taken for this case whatever is recorded (an
 * arrival recorded by an office outside the country of return): such a
 * step is not offered. 1 otherwise. */
int awda_transition_possible(const awda_transition_t *t, const json_t *snap);

/* The boarding check of one person: everything that must hold for
 * person_id to board a departure at boarding_ms (epoch ms) — consent to
 * return for the present destination, the restriction check, a valid
 * travel document, fitness to travel, the child-protection and
 * trafficking requirements, the reconfirmation of voluntariness and the
 * pre-embarkation check within their windows before boarding_ms. Same
 * shape as awda_journey_check, only the requirements about that person
 * and about the whole case. The `depart` step runs it for every member at
 * the planned departure; a movements module calls it per passenger. */
json_t *awda_boarding_check(const json_t *snap, const awda_records_t *records,
                            const char *person_id, long long boarding_ms, int *unmet);

/* Checks the time a step says it happened: snap's "at" (the client's
 * text, absent when not given), against "now", the planned departure and
 * "departed_at" (when the case departed). Appends an error on the field
 * "at" to errors for each problem, in words a case worker understands;
 * returns how many. Departure: required, not in the future, not earlier
 * than AWDA_DEPARTURE_EARLY_HOURS before the day of the planned
 * departure. Arrival: required, not in the future, not before the
 * departure. */
int awda_step_time_check(const awda_transition_t *t, const json_t *snap, json_t *errors);

/* Warnings that do not block (e.g. assisted to return before). */
json_t *awda_journey_warnings(const json_t *snap);

/* 1 when stage is before departure (withdrawal and hold are possible). */
int awda_stage_before_departure(const char *stage);

/* Age in whole years of a person JSON at epoch ms (conservative reading
 * of partial dates); -1 when unknown. */
int awda_person_age_at(const json_t *person, long long at_ms);

#endif
