/*
 * field.h — the field tables that drive every entity.
 *
 * Each entity (office, user, person, document, member, case) is declared
 * once, as a static array of awda_field_t in its module's file of core/
 * (entities.c for cases and persons, admin_fields.c, partner_fields.c,
 * records.c, movement_care.c): its JSON name,
 * type, whether it is required or owned by the server, its bounds and
 * allowed values, its sensitivity class, its HXL tag for exports, the label
 * key the web interface translates and the English words case workers see
 * in error messages. Generic code walks the table to:
 *
 *   - validate a JSON body (awda_validate), collecting *every* problem with
 *     its JSON path ("members[1].person.date_of_birth") and a sentence;
 *   - map fields to database columns (store/columns.c, the store files);
 *   - publish the table as JSON for the forms of the web interface
 *     (awda_entity_describe);
 *   - later, redact by role and export.
 *
 * Adding a field is one line here plus a column in a migration.
 * This module is pure: no I/O, no globals beyond the const tables.
 */
#ifndef AWDA_FIELD_H
#define AWDA_FIELD_H
#include <jansson.h>
#include <stddef.h>

typedef enum {
    FT_STRING,       /* UTF-8 text within [min,max] bytes, no control characters */
    FT_TEXT,         /* like FT_STRING, newlines and tabs allowed */
    FT_ENUM,         /* one of values[] */
    FT_PARTIAL_DATE, /* YYYY-MM-DD, YYYY-MM or YYYY, not in the future */
    FT_DATE,         /* YYYY-MM-DD */
    FT_COUNTRY,      /* ISO 3166-1 alpha-3 */
    FT_NATIONALITY,  /* alpha-3 plus XXA (stateless) and XXX (unknown) */
    FT_LANGS,        /* array of ISO 639 codes, at most max */
    FT_FLAGS,        /* array of distinct values[] entries, at most max */
    FT_BOOL,
    FT_INT, /* integer within [min,max] */
    FT_UUID,
    FT_OBJECT,    /* nested entity sub */
    FT_ARRAY,     /* array of entity sub, [min,max] items */
    FT_TIMESTAMP, /* server-written ISO 8601 instant */
    FT_STRINGS,   /* array of strings each checked by check(), [min,max] items */
    FT_DATETIME,  /* YYYY-MM-DDTHH:MM[:SS][Z] (UTC) or YYYY-MM-DD */
} awda_ftype_t;

typedef enum {
    SENS_NONE = 0,
    SENS_IDENTITY,
    SENS_CONTACT,
    SENS_MEDICAL,
    SENS_PROTECTION,
    SENS_FINANCIAL,
} awda_sens_t;

/* Flags of a field. */
#define F_REQUIRED 0x01u /* must be present and not null on input */
#define F_SERVER   0x02u /* owned by the server: ignored on input, shown on output */
#define F_NULLABLE 0x04u /* null is accepted (and means "none") */
#define F_JSONCOL  0x08u /* stored as JSON text in a column of the same name */
#define F_NOCOL    0x10u /* not a column of the entity's table (child table or derived) */
#define F_SECRET   0x20u /* accepted on input, never shown on output (passwords) */
/* A person's name (or an office's): must hold at least one letter of
 * some script, not only spaces, digits or punctuation (awda_name_problem). */
#define F_NAME 0x100u
/* A list of confirmations: its values are the codes of warnings (things
 * that look wrong but can be true) that the request confirms. Not drawn
 * as a field: a form offers each confirmation when the server raises its
 * warning. */
#define F_CONFIRM 0x200u

struct awda_entity;

/* A condition on a sibling field of the same object: it has a value
 * (values NULL), or one of values. */
typedef struct awda_when {
    const char *field;
    const char *const *values;
} awda_when_t;

typedef struct awda_field {
    const char *name; /* JSON member and column name */
    awda_ftype_t type;
    unsigned flags;
    long min, max;                 /* bytes, items or value bounds */
    const char *const *values;     /* FT_ENUM / FT_FLAGS: NULL-terminated */
    const struct awda_entity *sub; /* FT_OBJECT / FT_ARRAY */
    awda_sens_t sens;
    const char *hxl;   /* HXL hashtag for exports, or NULL */
    const char *label; /* translation key for the interface */
    const char *words; /* English words for messages: "date of birth" */
    /* Extra check for strings; returns NULL when fine or a sentence tail
     * such as "must look like EG-CAI" to follow the field's words. */
    const char *(*check)(const char *s, size_t n);
    /* Required only when this holds ("the precision of the date of
     * birth, when a date of birth is given"); NULL when never. Checked by
     * awda_validate and published for the forms, which mark the field as
     * required as soon as the condition holds. */
    const awda_when_t *required_when;
    /* For forms: where the choices come from when they are not values[]:
     * "offices" (the offices the user may work in), "staff" (the users of
     * the office the object names). NULL: typed. */
    const char *source;
} awda_field_t;

typedef struct awda_entity {
    const char *name;  /* "person" */
    const char *title; /* "The person" — used in problem titles */
    const awda_field_t *fields;
    size_t nfields;
    /* Cross-field rules, run after the fields validated; may be NULL. */
    void (*rules)(const json_t *obj, const char *path, json_t *errors);
} awda_entity_t;

/* The rows of a static table (a field table's nfields). */
#define AWDA_NELEM(a) (sizeof(a) / sizeof((a)[0]))

extern const awda_entity_t AWDA_OFFICE, AWDA_USER, AWDA_PERSON, AWDA_DOCUMENT, AWDA_CONTACT,
    AWDA_MEMBER, AWDA_CASE;
extern const awda_entity_t AWDA_PARTNER;

/* Value lists shared with the store and the application (NULL-terminated). */
extern const char *const AWDA_ROLES[];
extern const char *const AWDA_STAGES[];
extern const char *const AWDA_RELATIONSHIPS[];
extern const char *const AWDA_VULNERABILITIES[];            /* routing: every case worker */
extern const char *const AWDA_PROTECTION_VULNERABILITIES[]; /* protection class, sealed */

/* Index of s in a NULL-terminated list, or -1. */
int awda_value_index(const char *const *list, const char *s);

/* The checks of an office code (EG-CAI) and of a user name (admin_fields.c),
 * used by every table with such a field: NULL when s (n bytes) is one,
 * else the sentence that says what it must be (a static string). */
const char *awda_check_office_code(const char *s, size_t n);
const char *awda_check_username(const char *s, size_t n);

/* Validates obj against e. Every problem is appended to errors (a JSON
 * array the caller owns) as {"field": path, "message": sentence}. path is
 * the prefix for field paths ("" at the top). Returns the number of
 * problems added. Fields flagged F_SERVER are ignored; unknown members
 * are problems. */
int awda_validate(const awda_entity_t *e, const json_t *obj, const char *path, json_t *errors);

/* Direction overrides and isolates (U+202A..U+202E, U+2066..U+2069) can
 * make text display as something else ("Ali\u202Egnp.exe" reads "Ali
 * exe.png"). They are refused in FT_STRING fields (names, codes, areas)
 * and stripped from exported cells; the marks Arabic text needs (U+200E
 * LRM, U+200F RLM, U+061C ALM) are not among them.
 * awda_bidi_control returns the byte length (3) of such a character at
 * s[0..n), else 0. awda_strip_bidi removes every one from the
 * NUL-terminated s in place and returns how many it removed. */
size_t awda_bidi_control(const char *s, size_t n);
size_t awda_strip_bidi(char *s);

/* Appends one {"field","message"} problem to errors. */
void awda_error_add(json_t *errors, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Like awda_error_add, with a stable code ("date-invalid") that clients
 * may translate or act on: {"field","code","message"}. */
void awda_error_add_code(json_t *errors, const char *field, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* 1 when errors already holds a problem for exactly this field path; the
 * cross-field rules use it so as not to repeat a problem in other words. */
int awda_has_error(const json_t *errors, const char *field);

/* Finds a field by name, or NULL. */
const awda_field_t *awda_field_find(const awda_entity_t *e, const char *name);

/* Describes e as JSON for forms: [{"name","type","required","min","max",
 * "values","label","sensitivity","hxl","fields"...}]. Caller owns the result. */
json_t *awda_entity_describe(const awda_entity_t *e);

const char *awda_sens_name(awda_sens_t s);

/* Persons' ages: the age in whole years on date `on` of someone born on
 * the partial date dob (components 0 when unknown). With conservative set,
 * an unknown month/day reads as the latest possible birthday (the
 * youngest age), as used for child protection; otherwise the earliest.
 * Returns -1 when dob is empty. */
int awda_age_on(const char *dob, const char *precision, int on_y, int on_m, int on_d,
                int conservative);

/* Ages below which a household member looks implausible (in whole years,
 * the oldest reading of the date of birth): a spouse, or a principal
 * applicant without a parent or guardian in the case. Not limits on
 * input: a case worker may confirm that it is true. */
#define AWDA_PLAUSIBLE_MIN_SPOUSE_AGE 12
#define AWDA_PLAUSIBLE_MIN_ALONE_AGE  12

/* Household plausibility: what looks wrong in the ages and relationships
 * of a case's members on the day (y, m, d) — a child not younger than the
 * principal applicant, a parent not older, a spouse under
 * AWDA_PLAUSIBLE_MIN_SPOUSE_AGE, a principal under
 * AWDA_PLAUSIBLE_MIN_ALONE_AGE with no parent or guardian in the case.
 * Each finding is appended to out (caller's array) as {"field" (the
 * member's date of birth), "code", "message", "params"}, whether the case
 * confirms it or not. Dates are read in the most favourable way (an
 * estimate may be a year off). Returns the number appended. */
int awda_case_plausibility(const json_t *caze, int y, int m, int d, json_t *out);

/* The codes awda_case_plausibility can raise (NULL-terminated). */
extern const char *const AWDA_PLAUSIBILITY[];

#endif
