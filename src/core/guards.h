/*
 * guards.h — the requirements a step of the journey may name (the `guards`
 * bits of a row of events.def), shared by the table (journey.c) and the
 * code that evaluates them (guards.c), and the one text helper guards.c
 * shares with snapshot.c. Private to src/core.
 */
#ifndef AWDA_GUARDS_H
#define AWDA_GUARDS_H

enum {
    G_COUNSELLING = 1u << 0,
    G_CONSENT = 1u << 1,
    G_ELIGIBILITY = 1u << 2,
    G_RESTRICTIONS = 1u << 3,
    G_DEPARTURE_DATE = 1u << 4,
    G_DOCUMENTS = 1u << 5,
    G_PROCEDURES = 1u << 6,
    G_HEALTH = 1u << 7,
    G_CHILDREN = 1u << 8,
    G_TRAFFICKING = 1u << 9,
    G_RECONFIRMATION = 1u << 10,
    G_PREEMBARK = 1u << 11,
    G_REASON = 1u << 12,
    G_CLOSURE_REASON = 1u << 13,
    G_RETURN_OFFICE = 1u << 14,
    G_PLANNED = 1u << 15, /* a planned departure is set (it may be past) */
};
/* Ready, and booked: everything prepared, and a departure planned ahead.
 * Seats are booked weeks before the flight, so booking does not ask for
 * what can only happen in the last days (reconfirmation, pre-embarkation
 * check). */
#define G_READY                                                                                    \
    (G_CONSENT | G_ELIGIBILITY | G_RESTRICTIONS | G_DEPARTURE_DATE | G_DOCUMENTS | G_PROCEDURES |  \
     G_HEALTH | G_CHILDREN | G_TRAFFICKING)
/* What must hold for one person to board (awda_boarding_check). */
#define G_BOARDING                                                                                 \
    (G_CONSENT | G_RESTRICTIONS | G_DOCUMENTS | G_HEALTH | G_CHILDREN | G_TRAFFICKING |            \
     G_RECONFIRMATION | G_PREEMBARK)
/* Departure: every member passed the boarding check at the planned
 * departure, and the case-wide decisions still stand. The planned
 * departure may be past by then (the step is confirmed afterwards). */
#define G_DEPART (G_PLANNED | G_ELIGIBILITY | G_PROCEDURES | G_BOARDING)

/* NULL for a text not recorded ("") (snapshot.c). */
const char *awda_opt(const char *s);

#endif
