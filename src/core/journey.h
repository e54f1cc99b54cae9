/*
 * journey.h — the return journey as data: stages, events, the transition
 * table, the records of each kind, and the guards.
 *
 * The journey's state machine is one table (events.def, compiled into
 * journey.c): from which stages an event may be taken, to which stage it
 * leads, the permission it needs, the requirements (guards) that must all
 * be met, and what else taking it does (effects). The stages are
 * stages.def; both are named in vocabulary.h. A guard never
 * stops at the first problem: awda_journey_check lists *every*
 * requirement with whether it is met, per person, in words a case worker
 * understands, with a stable code for the interface and tests.
 *
 * Everything is evaluated over one typed snapshot of the case,
 * awda_journey_t below, that the application layer reads in one read
 * transaction (so a withdrawal racing a transition is seen by whichever
 * runs second): the case's stage and destination, its members with what
 * a requirement weighs of each person (age, flags, travel documents),
 * its records typed by kind (oldest first; the store reads them with one
 * statement and opens no sealed value), the restrictions in force for the
 * destination, the members' previous returns, the configured windows and
 * checklist, the latest change of destination (records up to the newest
 * one before it were given for the previous destination: return
 * consents, eligibility decisions and family assessments among them no
 * longer count), and what the step itself says (a reason, a time).
 *
 * Pure: no I/O, no JSON inside: the requirements' answers are JSON (the
 * edge). Callers own every json_t returned.
 */
#ifndef AWDA_JOURNEY_H
#define AWDA_JOURNEY_H
#include "field.h"
#include "vocabulary.h"
#include "../util/limits.h"
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

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
 * requirement quotes are copied, at most AWDA_RECORD_TEXT_MAX bytes
 * (util/limits.h). */
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

/* A member of the case as the requirements read them. */
#define AWDA_PF_UNACCOMPANIED_CHILD 1u /* flagged unaccompanied child */
#define AWDA_PF_SEPARATED_CHILD     2u /* flagged separated child */
#define AWDA_PF_TRAFFICKED          4u /* a victim of trafficking (a protection concern) */
typedef struct {
    char person_id[40];
    char name[256];         /* as the messages show it (awda_display_name) */
    char dob[16];           /* the date of birth as recorded ("" unknown) */
    char dob_precision[16]; /* its precision ("" unknown) */
    unsigned flags;         /* AWDA_PF_*, from the vulnerabilities and protection concerns */
    int ndocs;              /* the person's travel documents, in their order */
    struct {
        const char *type; /* a constant: "passport", "laissez_passer", … */
        char expiry[11];  /* YYYY-MM-DD, "" when not recorded */
    } docs[AWDA_MAX_DOCUMENTS];
} awda_member_t;

/* A restriction in force for the case's destination. */
typedef struct {
    char id[40];
    char place[AWDA_MAX_SHORT + 16]; /* "MLI" or "MLI (Gao)" */
    int suspended;                   /* else approval_required */
    char reason[AWDA_RECORD_TEXT_MAX];
} awda_restriction_t;

/* An earlier case of a member that reached departure. */
typedef struct {
    char person_id[40];
    char number[40];
} awda_prev_return_t;

/* What the requirements weigh for one case (see the top of this file).
 * Texts are copied; an empty text is "not recorded". The snapshot owns
 * its arrays (awda_journey_free). */
typedef struct {
    char case_id[40];
    char stage[32], stage_before[32];
    char dest_country[8];
    char dest_admin_area[AWDA_MAX_SHORT + 1];
    char office_country[8];      /* of the office holding the case */
    long long planned_departure; /* epoch ms, -1 when not set */
    int64_t version;
    awda_member_t *members;
    int nmembers;
    awda_records_t records;
    awda_restriction_t *restrictions;
    int nrestrictions;
    awda_prev_return_t *prev;
    int nprev;
    long long now;
    int reconfirm_hours, preembark_hours;
    char (*procedure_types)[128]; /* the configured checklist */
    int nprocedure_types;
    /* the latest change of destination: what it was, and the newest record before it */
    int dest_changed;
    char from_place[AWDA_MAX_SHORT + 16]; /* "NGA (Lagos)", "?" when not known */
    char last_record[40];                 /* "" when no record came before */
    /* what the step says */
    const char *reason;    /* borrowed, NULL when none */
    const char *at;        /* borrowed: the time as the client wrote it, NULL when not given */
    long long departed_at; /* when the case departed (the depart step), or -1 */
} awda_journey_t;

/* Frees what j holds (not j) and empties it. */
void awda_journey_free(awda_journey_t *j);
/* A person's name as the messages show it: name_latin (or, when absent
 * or empty, name) in capitals, into out ("?" when neither). */
void awda_display_name(const char *name_latin, const char *name, char *out, size_t cap);
/* The parts of a snapshot from what the store gives (the application
 * layer fills a snapshot with these, and so do the unit tests, from their
 * own JSON): */
/* m from a person's values as stored: its id, names, date of birth and
 * precision (NULL: not recorded), its vulnerabilities and protection
 * concerns (JSON arrays of strings, or NULL: the flags AWDA_PF_*) and its
 * documents (JSON array of {type, expiry…}, or NULL: the travel documents,
 * in order, at most AWDA_MAX_DOCUMENTS). */
void awda_member_fill(awda_member_t *m, const char *person_id, const char *name_latin,
                      const char *name, const char *dob, const char *dob_precision,
                      const json_t *vulnerabilities, const json_t *protection,
                      const json_t *documents);
/* x from a restriction as the store gives it (AWDA_RESTRICTION's fields). */
void awda_restriction_fill(awda_restriction_t *x, const json_t *restriction);
/* x from an earlier case that reached departure: {person_id, number}. */
void awda_prev_return_fill(awda_prev_return_t *x, const json_t *prev);
/* j's latest change of destination: the destination before it (country,
 * area; NULL when not known) and the newest record made before it (NULL
 * when none). */
void awda_journey_dest_change(awda_journey_t *j, const char *from_country, const char *from_area,
                              const char *last_record);

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

/* Evaluates every requirement of transition t over the snapshot j. Returns
 * an array of {"code","message","met",("person_id","person")} — met and
 * unmet alike. *unmet gets the number not met. */
json_t *awda_journey_check(const awda_transition_t *t, const awda_journey_t *j, int *unmet);

/* 0 when the step cannot be taken for this case whatever is recorded (an
 * arrival recorded by an office outside the country of return): such a
 * step is not offered. 1 otherwise. */
int awda_transition_possible(const awda_transition_t *t, const awda_journey_t *j);

/* The boarding check of one person: everything that must hold for
 * person_id to board a departure at boarding_ms (epoch ms) — consent to
 * return for the present destination, the restriction check, a valid
 * travel document, fitness to travel, the child-protection and
 * trafficking requirements, the reconfirmation of voluntariness and the
 * pre-embarkation check within their windows before boarding_ms. Same
 * shape as awda_journey_check, only the requirements about that person
 * and about the whole case. The `depart` step runs it for every member at
 * the planned departure; a movements module calls it per passenger. */
json_t *awda_boarding_check(const awda_journey_t *j, const char *person_id, long long boarding_ms,
                            int *unmet);

/* Checks the time a step says it happened: j->at (the client's text,
 * NULL when not given), against j->now, the planned departure and
 * j->departed_at. Appends an error on the field
 * "at" to errors for each problem, in words a case worker understands;
 * returns how many. Departure: required, not in the future, not earlier
 * than AWDA_DEPARTURE_EARLY_HOURS before the day of the planned
 * departure. Arrival: required, not in the future, not before the
 * departure. */
int awda_step_time_check(const awda_transition_t *t, const awda_journey_t *j, json_t *errors);

/* Warnings that do not block (e.g. assisted to return before). */
json_t *awda_journey_warnings(const awda_journey_t *j);

/* 1 when stage is before departure (withdrawal and hold are possible). */
int awda_stage_before_departure(const char *stage);

/* Age in whole years of a person JSON at epoch ms (conservative reading
 * of partial dates); -1 when unknown. */
int awda_person_age_at(const json_t *person, long long at_ms);
/* The same from the date of birth and its precision (NULL or "" unknown). */
int awda_age_at(const char *dob, const char *precision, long long at_ms);

#endif
