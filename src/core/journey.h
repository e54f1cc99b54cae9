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
 * Everything is evaluated over one JSON snapshot that the application layer
 * assembles inside the transaction (so a withdrawal racing a transition is
 * seen by whichever runs second):
 *
 *   { "case":    the case as GET shows it (members with persons),
 *     "records": [ {"id","kind","person_id","created_at","data":{...}} ] oldest first,
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

/* Evaluates every requirement of transition t over the snapshot. Returns
 * an array of {"code","message","met",("person_id","person")} — met and
 * unmet alike. *unmet gets the number not met. */
json_t *awda_journey_check(const awda_transition_t *t, const json_t *snap, int *unmet);

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
json_t *awda_boarding_check(const json_t *snap, const char *person_id, long long boarding_ms,
                            int *unmet);

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
