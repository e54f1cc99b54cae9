/*
 * vocabulary.h — the words of the return journey, each defined once:
 * the stages (stages.def), the events between them (events.def) and the
 * roles of users (roles.def). The enums below and the name lists
 * (AWDA_STAGES, AWDA_ROLES in field.h; AWDA_EVENTS in journey.h) are
 * derived from those tables by X-macros, so a name and its number cannot
 * drift apart; tests/unit/test_vocabulary.c checks what the compiler
 * cannot (names unique, every event's stages known, each name parses
 * back to its number).
 *
 * The rest of an event's row (from which stages, to which, who may take
 * it, guards, effects) is the transition table of journey.c; what each
 * role may do is the permission table app/permissions.def (with the
 * journey's role sets in app/authz.c).
 *
 * Pure: every name returned is a static string (never freed).
 */
#ifndef AWDA_VOCABULARY_H
#define AWDA_VOCABULARY_H

/* ---- stages --------------------------------------------------------------- */

typedef enum {
#define AWDA_STAGE(ID, name, props) AWDA_STAGE_##ID,
#include "stages.def"
#undef AWDA_STAGE
    AWDA_STAGE_COUNT
} awda_stage_t;

/* Properties of a stage (the third column of stages.def): one bit each,
 * AWDA_SP_<ID>, with the name the API gives it (GET /schema's "stages",
 * read by the web interface). What each means is said in stages.def. */
#define AWDA_STAGE_PROPERTIES(P)                                                                   \
    P(BEFORE_DEPARTURE, "before_departure")                                                        \
    P(PAUSED, "paused")                                                                            \
    P(STOPPED, "stopped")                                                                          \
    P(ENDED, "ended")                                                                              \
    P(AFTER_ARRIVAL, "after_arrival")                                                              \
    P(AWAITING_MOVEMENT, "awaiting_movement")
enum {
#define AWDA_SP_INDEX(ID, name) AWDA_SP_INDEX_##ID,
    AWDA_STAGE_PROPERTIES(AWDA_SP_INDEX)
#undef AWDA_SP_INDEX
        AWDA_SP_COUNT
};
enum {
#define AWDA_SP_BIT(ID, name) AWDA_SP_##ID = 1 << AWDA_SP_INDEX_##ID,
    AWDA_STAGE_PROPERTIES(AWDA_SP_BIT)
#undef AWDA_SP_BIT
        AWDA_SP_ALL = (1 << AWDA_SP_COUNT) - 1
};
/* The names of the properties, bit i named by the i-th, NULL-terminated. */
extern const char *const AWDA_STAGE_PROPERTY_NAMES[];

/* Sets of stages as bits (bit i: stage i), for tables built at compile
 * time. */
#define AWDA_STAGE_BIT(ID) (1u << AWDA_STAGE_##ID)
enum {
    AWDA_STAGE_SET_ALL = (1 << AWDA_STAGE_COUNT) - 1,
    AWDA_STAGE_SET_BEFORE_DEPARTURE = 0
#define AWDA_STAGE(ID, name, props)                                                                \
    | (((props)&AWDA_SP_BEFORE_DEPARTURE) ? 1 << AWDA_STAGE_##ID : 0)
#include "stages.def"
#undef AWDA_STAGE
};
_Static_assert(AWDA_STAGE_COUNT <= 30, "stage sets are bits of an int");

/* The longest stage name, with its NUL. */
#define AWDA_STAGE_NAME_MAX 24
/* The names as arrays of characters, so that tables built at compile time
 * can point at them (AWDA_STAGE_TEXT[AWDA_STAGE_X] is a constant). */
extern const char AWDA_STAGE_TEXT[AWDA_STAGE_COUNT][AWDA_STAGE_NAME_MAX];

/* The name of a stage (static), or NULL when s is not one. */
const char *awda_stage_name(int s);
/* The stage called name, or -1 (NULL, unknown, different case). */
int awda_stage_parse(const char *name);
/* The properties (AWDA_SP_*) of a stage, 0 when s is not one. */
unsigned awda_stage_props(int s);
/* 1 when the stage called name has every property in props. */
int awda_stage_is(const char *name, unsigned props);

/* ---- events --------------------------------------------------------------- */

typedef enum {
#define AWDA_EVENT(ID, ...)      AWDA_EVENT_##ID,
#define AWDA_EVENT_BACK(ID, ...) AWDA_EVENT_##ID,
#define AWDA_EVENT_ALSO(...)
#include "events.def"
#undef AWDA_EVENT
#undef AWDA_EVENT_BACK
#undef AWDA_EVENT_ALSO
    AWDA_EVENT_COUNT
} awda_event_t;

/* The name of an event (static), or NULL when e is not one. */
const char *awda_event_name(int e);
/* The event called name, or -1. */
int awda_event_parse(const char *name);

/* ---- roles ---------------------------------------------------------------- */

typedef enum {
#define AWDA_ROLE(ID, name) AWDA_ROLE_##ID,
#include "roles.def"
#undef AWDA_ROLE
    AWDA_ROLE_COUNT
} awda_role_t;
_Static_assert(AWDA_ROLE_COUNT <= 32, "a user's roles are bits of an unsigned int");

/* The name of a role (static), or NULL when r is not one. */
const char *awda_role_name(int r);
/* The role called name, or -1. */
int awda_role_parse(const char *name);

#endif
