/*
 * field.c — generic validation and description over field tables
 * (see field.h). Paths are built in a fixed stack buffer; a path that
 * would not fit is truncated, never overflowed.
 */
#include "field.h"
#include "../util/limits.h"
#include "../util/id.h"
#include "../util/timeutil.h"
#include "../text/letters.h"
#include "country.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define PATH_MAX_LEN 256

void awda_error_add(json_t *errors, const char *field, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_array_append_new(errors, json_pack("{s:s,s:s}", "field", field, "message", msg));
}

void awda_error_add_code(json_t *errors, const char *field, const char *code, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_array_append_new(errors,
                          json_pack("{s:s,s:s,s:s}", "field", field, "code", code, "message", msg));
}

int awda_has_error(const json_t *errors, const char *field)
{
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e)
    {
        const char *f = json_string_value(json_object_get(e, "field"));
        if (f && strcmp(f, field) == 0)
            return 1;
    }
    return 0;
}

const awda_field_t *awda_field_find(const awda_entity_t *e, const char *name)
{
    for (size_t i = 0; i < e->nfields; i++)
        if (strcmp(e->fields[i].name, name) == 0)
            return &e->fields[i];
    return NULL;
}

const char *awda_sens_name(awda_sens_t s)
{
    static const char *names[] = {"none",    "identity",   "contact",
                                  "medical", "protection", "financial"};
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "none";
}

int awda_value_index(const char *const *list, const char *s)
{
    for (int i = 0; s && list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return i;
    return -1;
}

static void join(char *out, const char *path, const char *name)
{
    if (*path)
        snprintf(out, PATH_MAX_LEN, "%s.%s", path, name);
    else
        snprintf(out, PATH_MAX_LEN, "%s", name);
}

static const char *type_words(awda_ftype_t t)
{
    switch (t) {
    case FT_STRING:
    case FT_TEXT:
    case FT_ENUM:
    case FT_DATE:
    case FT_PARTIAL_DATE:
    case FT_COUNTRY:
    case FT_NATIONALITY:
    case FT_UUID:
    case FT_TIMESTAMP:
    case FT_DATETIME:
        return "text";
    case FT_LANGS:
    case FT_FLAGS:
    case FT_ARRAY:
    case FT_STRINGS:
        return "a list";
    case FT_BOOL:
        return "true or false";
    case FT_INT:
        return "a whole number";
    case FT_OBJECT:
        return "an object";
    }
    return "a value";
}

/* Control characters are refused in every string; FT_TEXT allows \n \r \t. */
static int has_control(const char *s, size_t n, int multiline)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0x7f || (c < 0x20 && !(multiline && (c == '\n' || c == '\r' || c == '\t'))))
            return 1;
    }
    return 0;
}

size_t awda_bidi_control(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n < 3 || u[0] != 0xe2)
        return 0;
    if (u[1] == 0x80 && u[2] >= 0xaa && u[2] <= 0xae) /* U+202A..U+202E */
        return 3;
    if (u[1] == 0x81 && u[2] >= 0xa6 && u[2] <= 0xa9) /* U+2066..U+2069 */
        return 3;
    return 0;
}

static int has_bidi_control(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (awda_bidi_control(s + i, n - i))
            return 1;
    return 0;
}

size_t awda_strip_bidi(char *s)
{
    size_t n = strlen(s), o = 0, removed = 0;
    for (size_t i = 0; i < n;) {
        size_t k = awda_bidi_control(s + i, n - i);
        if (k) {
            i += k;
            removed++;
        } else {
            s[o++] = s[i++];
        }
    }
    s[o] = '\0';
    return removed;
}

static void list_values(const char *const *v, char *out, size_t cap)
{
    size_t o = 0;
    out[0] = '\0';
    for (int i = 0; v && v[i]; i++) {
        int w = snprintf(out + o, cap - o, "%s%s", i ? ", " : "", v[i]);
        if (w < 0 || (size_t)w >= cap - o)
            break;
        o += (size_t)w;
    }
}

static int in_values(const char *const *v, const char *s)
{
    for (int i = 0; v && v[i]; i++)
        if (strcmp(v[i], s) == 0)
            return 1;
    return 0;
}

/* ---- dates that do not exist, names without a letter, conditions ------ */

static int all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static int two_digits(const char *s)
{
    return (s[0] - '0') * 10 + (s[1] - '0');
}

/* A date written in the right shape (YYYY-MM or YYYY-MM-DD, the first n
 * bytes of s) whose month or day no calendar has: "1985-02-30",
 * "2001-13-01". Adds a date-invalid problem saying why and returns 1;
 * returns 0 for anything else (a problem of format, said by the caller). */
static int date_does_not_exist(const awda_field_t *f, const char *s, size_t n, const char *p,
                               json_t *errors)
{
    static const char *const MONTHS[] = {"January",   "February", "March",    "April",
                                         "May",       "June",     "July",     "August",
                                         "September", "October",  "November", "December"};
    if ((n != 7 && n != 10) || !all_digits(s, 4) || s[4] != '-' || !all_digits(s + 5, 2))
        return 0;
    if (n == 10 && (s[7] != '-' || !all_digits(s + 8, 2)))
        return 0;
    int year = 0;
    for (int i = 0; i < 4; i++)
        year = year * 10 + (s[i] - '0');
    int month = two_digits(s + 5);
    if (month < 1 || month > 12) {
        awda_error_add_code(errors, p, "date-invalid",
                            "%s: this date does not exist (there is no month %d)", f->words, month);
        return 1;
    }
    if (n != 10)
        return 0;
    int day = two_digits(s + 8), last = awda_days_in_month(year, month);
    if (day >= 1 && day <= last)
        return 0;
    awda_error_add_code(errors, p, "date-invalid",
                        "%s: this date does not exist (%s %d has %d days)", f->words,
                        MONTHS[month - 1], year, last);
    return 1;
}

/* A name made only of spaces, digits or punctuation. */
static int name_without_letter(const awda_field_t *f, const char *s, size_t n, const char *p,
                               json_t *errors)
{
    if (!(f->flags & F_NAME) || n == 0 || awda_has_letter(s, n))
        return 0;
    awda_error_add_code(errors, p, "name-needs-letter",
                        "%s: a name needs at least one letter (not only spaces, digits or "
                        "punctuation)",
                        f->words);
    return 1;
}

/* Whether the condition w holds in obj. */
static int when_holds(const awda_when_t *w, const json_t *obj)
{
    const json_t *v = json_object_get(obj, w->field);
    if (!v || json_is_null(v))
        return 0;
    if (!w->values)
        return !(json_is_string(v) && json_string_length(v) == 0);
    return json_is_string(v) && in_values(w->values, json_string_value(v));
}

/* "when date of birth is given", "when how the consent was given is
 * oral_with_witness" — the words of a condition, for a message. */
static void when_words(const awda_entity_t *e, const awda_when_t *w, const json_t *obj, char *out,
                       size_t cap)
{
    const awda_field_t *on = awda_field_find(e, w->field);
    const char *words = on ? on->words : w->field;
    if (!w->values)
        snprintf(out, cap, "when %s is given", words);
    else
        snprintf(out, cap, "when %s is %s", words,
                 json_string_value(json_object_get(obj, w->field)));
}

static int validate_field(const awda_field_t *f, const json_t *v, const char *p, json_t *errors)
{
    int before = (int)json_array_size(errors);
    char allowed[512];
    switch (f->type) {
    case FT_STRING:
    case FT_TEXT:
    case FT_ENUM:
    case FT_DATE:
    case FT_PARTIAL_DATE:
    case FT_COUNTRY:
    case FT_NATIONALITY:
    case FT_UUID: {
        if (!json_is_string(v)) {
            awda_error_add(errors, p, "%s must be %s", f->words, type_words(f->type));
            break;
        }
        const char *s = json_string_value(v);
        size_t n = json_string_length(v);
        if (has_control(s, n, f->type == FT_TEXT)) {
            awda_error_add(errors, p, "%s contains characters that cannot be stored", f->words);
            break;
        }
        if (f->type == FT_STRING && has_bidi_control(s, n)) {
            awda_error_add(errors, p,
                           "%s contains a character that reverses the direction of the text "
                           "(U+202A to U+202E, U+2066 to U+2069); remove it",
                           f->words);
            break;
        }
        if (f->type == FT_STRING || f->type == FT_TEXT) {
            if ((long)n < f->min) {
                if (n == 0)
                    awda_error_add(errors, p, "%s must not be empty", f->words);
                else
                    awda_error_add(errors, p, "%s must be at least %ld characters long", f->words,
                                   f->min);
                break;
            }
            if ((long)n > f->max) {
                awda_error_add(errors, p, "%s is too long (at most %ld bytes)", f->words, f->max);
                break;
            }
            if (name_without_letter(f, s, n, p, errors))
                break;
        } else if (f->type == FT_ENUM) {
            if (!in_values(f->values, s)) {
                list_values(f->values, allowed, sizeof allowed);
                awda_error_add(errors, p, "%s must be one of: %s", f->words, allowed);
            }
            break;
        } else if (f->type == FT_COUNTRY) {
            if (!awda_country_valid(s, n))
                awda_error_add(errors, p,
                               "%s must be a three-letter country code such as MLI, SDN or EGY",
                               f->words);
            break;
        } else if (f->type == FT_NATIONALITY) {
            if (!awda_nationality_valid(s, n))
                awda_error_add(errors, p,
                               "%s must be a three-letter country code such as MLI, SDN or EGY "
                               "(XXA when stateless, XXX when unknown)",
                               f->words);
            break;
        } else if (f->type == FT_UUID) {
            if (!awda_uuid_valid(s, n))
                awda_error_add(errors, p, "%s is not a valid identifier", f->words);
            break;
        } else if (f->type == FT_DATE || f->type == FT_PARTIAL_DATE) {
            awda_date_t d;
            int parts = awda_date_parse(s, n, &d);
            if (parts == 0 && date_does_not_exist(f, s, n, p, errors))
                break;
            if (parts == 0 || (f->type == FT_DATE && parts != 3)) {
                awda_error_add(errors, p,
                               f->type == FT_DATE
                                   ? "%s must be a date written as YYYY-MM-DD"
                                   : "%s must be a date written as YYYY-MM-DD, YYYY-MM or YYYY",
                               f->words);
                break;
            }
            if (f->type == FT_PARTIAL_DATE) {
                awda_date_t t = awda_today();
                long dv = d.year * 10000L + d.month * 100L + d.day;
                long tv =
                    t.year * 10000L + (parts >= 2 ? t.month : 0) * 100L + (parts == 3 ? t.day : 0);
                if (dv > tv)
                    awda_error_add(errors, p, "%s is in the future", f->words);
                else if (d.year < 1900)
                    awda_error_add(errors, p, "%s is before 1900", f->words);
            }
            break;
        }
        if (f->check) {
            const char *why = f->check(s, n);
            if (why)
                awda_error_add(errors, p, "%s %s", f->words, why);
        }
        break;
    }
    case FT_BOOL:
        if (!json_is_boolean(v))
            awda_error_add(errors, p, "%s must be true or false", f->words);
        break;
    case FT_INT:
        if (!json_is_integer(v))
            awda_error_add(errors, p, "%s must be a whole number", f->words);
        else if (json_integer_value(v) < f->min || json_integer_value(v) > f->max)
            awda_error_add(errors, p, "%s must be between %ld and %ld", f->words, f->min, f->max);
        break;
    case FT_LANGS:
    case FT_FLAGS:
    case FT_STRINGS: {
        if (!json_is_array(v)) {
            awda_error_add(errors, p, "%s must be a list", f->words);
            break;
        }
        size_t n = json_array_size(v);
        if ((long)n > f->max) {
            awda_error_add(errors, p, "%s has too many entries (at most %ld)", f->words, f->max);
            break;
        }
        if ((long)n < f->min) {
            awda_error_add(errors, p, "%s needs at least %ld entr%s", f->words, f->min,
                           f->min == 1 ? "y" : "ies");
            break;
        }
        for (size_t i = 0; i < n; i++) {
            char ip[PATH_MAX_LEN];
            snprintf(ip, sizeof ip, "%s[%zu]", p, i);
            json_t *e = json_array_get(v, i);
            if (!json_is_string(e)) {
                awda_error_add(errors, ip, "each entry of %s must be text", f->words);
                continue;
            }
            const char *s = json_string_value(e);
            size_t sl = json_string_length(e);
            if (f->type == FT_STRINGS && has_bidi_control(s, sl)) {
                awda_error_add(errors, ip,
                               "%s contains a character that reverses the direction of the "
                               "text (U+202A to U+202E, U+2066 to U+2069); remove it",
                               f->words);
                continue;
            }
            if (f->type == FT_LANGS && !awda_language_valid(s, sl)) {
                awda_error_add(errors, ip, "%s must be language codes such as ar, fr, en or bam",
                               f->words);
            } else if (f->type == FT_FLAGS && !in_values(f->values, s)) {
                list_values(f->values, allowed, sizeof allowed);
                awda_error_add(errors, ip, "%s must be among: %s", f->words, allowed);
            } else if (f->type == FT_STRINGS && f->check) {
                const char *why = f->check(s, sl);
                if (why)
                    awda_error_add(errors, ip, "%s %s", f->words, why);
            }
            for (size_t j = 0; j < i; j++) {
                json_t *o = json_array_get(v, j);
                if (json_is_string(o) && json_equal(o, e)) {
                    awda_error_add(errors, ip, "%s lists \"%s\" twice", f->words, s);
                    break;
                }
            }
        }
        break;
    }
    case FT_OBJECT:
        if (!json_is_object(v))
            awda_error_add(errors, p, "%s must be an object", f->words);
        else
            awda_validate(f->sub, v, p, errors);
        break;
    case FT_ARRAY: {
        if (!json_is_array(v)) {
            awda_error_add(errors, p, "%s must be a list", f->words);
            break;
        }
        size_t n = json_array_size(v);
        if ((long)n < f->min) {
            awda_error_add(errors, p, "%s needs at least %ld entr%s", f->words, f->min,
                           f->min == 1 ? "y" : "ies");
            break;
        }
        if ((long)n > f->max) {
            awda_error_add(errors, p, "%s has too many entries (at most %ld)", f->words, f->max);
            break;
        }
        for (size_t i = 0; i < n; i++) {
            char ip[PATH_MAX_LEN];
            snprintf(ip, sizeof ip, "%s[%zu]", p, i);
            json_t *e = json_array_get(v, i);
            if (!json_is_object(e))
                awda_error_add(errors, ip, "each entry of %s must be an object", f->words);
            else
                awda_validate(f->sub, e, ip, errors);
        }
        break;
    }
    case FT_DATETIME: {
        int64_t ms;
        if (json_is_string(v) && json_string_length(v) >= 10 &&
            awda_datetime_parse(json_string_value(v), json_string_length(v), &ms) != 0 &&
            date_does_not_exist(f, json_string_value(v), 10, p, errors))
            break;
        if (!json_is_string(v) ||
            awda_datetime_parse(json_string_value(v), json_string_length(v), &ms) != 0)
            awda_error_add(errors, p,
                           "%s must be a date and time written as YYYY-MM-DDTHH:MMZ (UTC)",
                           f->words);
        break;
    }
    case FT_TIMESTAMP:
        break;
    }
    return (int)json_array_size(errors) - before;
}

int awda_validate(const awda_entity_t *e, const json_t *obj, const char *path, json_t *errors)
{
    int before = (int)json_array_size(errors);
    char p[PATH_MAX_LEN];
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v)
    {
        const awda_field_t *f = awda_field_find(e, key);
        join(p, path, key);
        if (!f)
            awda_error_add(errors, p, "this field is not known");
    }
    for (size_t i = 0; i < e->nfields; i++) {
        const awda_field_t *f = &e->fields[i];
        if (f->flags & F_SERVER)
            continue;
        join(p, path, f->name);
        v = json_object_get(obj, f->name);
        if (!v || json_is_null(v)) {
            /* For an optional field, null means "none". */
            if (f->flags & F_REQUIRED) {
                awda_error_add(errors, p, "%s is required", f->words);
            } else if (f->required_when && when_holds(f->required_when, obj)) {
                char cond[160];
                when_words(e, f->required_when, obj, cond, sizeof cond);
                awda_error_add_code(errors, p, "required", "%s is required %s", f->words, cond);
            }
            continue;
        }
        validate_field(f, v, p, errors);
    }
    /* Cross-field rules run even when fields failed, so that a case
     * worker sees every problem in one answer; they read values with
     * jansson accessors that tolerate wrong types. */
    if (e->rules)
        e->rules(obj, path, errors);
    return (int)json_array_size(errors) - before;
}

static const char *ftype_name(awda_ftype_t t)
{
    static const char *n[] = {"string",  "text",        "enum",      "partial_date", "date",
                              "country", "nationality", "languages", "flags",        "boolean",
                              "integer", "uuid",        "object",    "array",        "timestamp",
                              "strings", "datetime"};
    return (unsigned)t < sizeof n / sizeof n[0] ? n[t] : "string";
}

/* What the forms need beyond the basics: conditional requirements, the
 * source of the choices, confirmations. */
static void describe_more(const awda_field_t *f, json_t *o)
{
    if (f->required_when) {
        json_t *w = json_pack("{s:s}", "field", f->required_when->field);
        if (f->required_when->values) {
            json_t *vals = json_array();
            for (int k = 0; f->required_when->values[k]; k++)
                json_array_append_new(vals, json_string(f->required_when->values[k]));
            json_object_set_new(w, "values", vals);
        }
        json_object_set_new(o, "required_when", w);
    }
    if (f->source)
        json_object_set_new(o, "source", json_string(f->source));
    if (f->flags & F_CONFIRM)
        json_object_set_new(o, "confirm", json_true());
}

json_t *awda_entity_describe(const awda_entity_t *e)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < e->nfields; i++) {
        const awda_field_t *f = &e->fields[i];
        json_t *o =
            json_pack("{s:s,s:s,s:b,s:b,s:s,s:s,s:s}", "name", f->name, "type", ftype_name(f->type),
                      "required", (f->flags & F_REQUIRED) != 0, "server",
                      (f->flags & F_SERVER) != 0, "label", f->label ? f->label : f->name, "words",
                      f->words, "sensitivity", awda_sens_name(f->sens));
        if (f->type == FT_STRING || f->type == FT_TEXT || f->type == FT_INT ||
            f->type == FT_ARRAY || f->type == FT_LANGS || f->type == FT_FLAGS) {
            json_object_set_new(o, "min", json_integer(f->min));
            json_object_set_new(o, "max", json_integer(f->max));
        }
        if (f->values) {
            json_t *vals = json_array();
            for (int k = 0; f->values[k]; k++)
                json_array_append_new(vals, json_string(f->values[k]));
            json_object_set_new(o, "values", vals);
        }
        if (f->hxl)
            json_object_set_new(o, "hxl", json_string(f->hxl));
        describe_more(f, o);
        if (f->sub)
            json_object_set_new(o, "fields", awda_entity_describe(f->sub));
        json_array_append_new(arr, o);
    }
    return arr;
}

int awda_age_on(const char *dob, const char *precision, int on_y, int on_m, int on_d,
                int conservative)
{
    awda_date_t d;
    if (!dob || !*dob)
        return -1;
    int parts = awda_date_parse(dob, strlen(dob), &d);
    if (parts == 0)
        return -1;
    /* The stated precision wins over what was typed: "1990-01-01" known
     * only to the year is any day of 1990. */
    if (precision && strcmp(precision, "year") == 0)
        parts = 1;
    else if (precision && strcmp(precision, "month") == 0 && parts > 2)
        parts = 2;
    int estimated = precision && strcmp(precision, "estimated") == 0;
    if (parts < 2)
        d.month = conservative ? 12 : 1;
    if (parts < 3)
        d.day = conservative ? awda_days_in_month(d.year, d.month) : 1;
    if (estimated && conservative) {
        /* An estimate can be a year off: read it as one year younger. */
        d.year += 1;
        if (d.month == 2 && d.day == 29)
            d.day = 28;
    }
    int age = on_y - d.year;
    if (on_m < d.month || (on_m == d.month && on_d < d.day))
        age--;
    return age;
}
