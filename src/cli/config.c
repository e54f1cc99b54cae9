/*
 * config.c — the settings table and its loaders (see config.h).
 *
 * Parsing is bounded: the config file is read up to AWDA_CONFIG_MAX_BYTES
 * in lines of at most AWDA_CONFIG_MAX_LINE; integers go through strtol
 * with full-string and range checks; booleans accept true/false, yes/no,
 * on/off and 1/0 in any case.
 */
#include "config.h"
#include "../util/limits.h"
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef enum { CT_STR, CT_INT, CT_BOOL } ctype_t;

typedef struct {
    const char *name;
    const char *env;
    const char *flag;
    ctype_t type;
    const char *def;
    long min, max;
    size_t offset, size;
    const char *help;
    const char *const *values; /* CT_STR: allowed values, or NULL for any */
} centry_t;

static const char *const LOG_LEVELS[] = {"debug", "info", "warn", "error", NULL};
static const char *const METRICS_ACCESS[] = {"loopback", "token", "open", NULL};
static const char *const ARABIC_DIGITS[] = {"western", "arabic-indic", NULL};

#define S(field)     offsetof(awda_config_t, field), sizeof(((awda_config_t *)0)->field)
#define AWDA_STR_(x) #x
#define AWDA_STR(x)  AWDA_STR_(x)

static const centry_t TABLE[] = {
    {"config", "AWDA_CONFIG", "--config", CT_STR, "", 0, 0, S(config),
     "optional config file of name = value lines", NULL},
    {"db", "AWDA_DB", "--db", CT_STR, "var/awda.db", 0, 0, S(db), "SQLite database file", NULL},
    {"listen", "AWDA_LISTEN", "--listen", CT_STR, "127.0.0.1:8080", 0, 0, S(listen),
     "address and port to serve on", NULL},
    {"threads", "AWDA_THREADS", "--threads", CT_INT, "8", 1, 256, S(threads),
     "worker threads answering requests (a write waits for its group commit in one)", NULL},
    {"max_body", "AWDA_MAX_BODY", "--max-body", CT_INT, "1048576", 1024, AWDA_MAX_BODY_CEILING,
     S(max_body), "largest request body in bytes (413 above)", NULL},
    {"session_hours", "AWDA_SESSION_HOURS", "--session-hours", CT_INT, "12", 1, 168,
     S(session_hours), "absolute lifetime of a session", NULL},
    {"session_idle_minutes", "AWDA_SESSION_IDLE_MINUTES", "--session-idle-minutes", CT_INT, "30", 1,
     1440, S(session_idle_minutes), "a session unused this long ends", NULL},
    {"access_log", "AWDA_ACCESS_LOG", "--access-log", CT_BOOL, "true", 0, 1, S(access_log),
     "log one line per request (no personal data): true or false", NULL},
    {"log_level", "AWDA_LOG_LEVEL", "--log-level", CT_STR, "info", 0, 0, S(log_level),
     "debug, info, warn or error", LOG_LEVELS},
    {"web_root", "AWDA_WEB_ROOT", "--web-root", CT_STR, "", 0, 0, S(web_root),
     "directory of the web interface (default: web beside the awda binary, then "
     "../share/awda/web beside it)",
     NULL},
    {"reconfirm_hours", "AWDA_RECONFIRM_HOURS", "--reconfirm-hours", CT_INT, "72", 1, 720,
     S(reconfirm_hours), "window before departure for reconfirming voluntariness", NULL},
    {"preembark_hours", "AWDA_PREEMBARK_HOURS", "--preembark-hours", CT_INT, "72", 1, 720,
     S(preembark_hours), "window before departure for the pre-embarkation health check", NULL},
    {"key_file", "AWDA_KEY_FILE", "--key-file", CT_STR, "", 0, 0, S(key_file),
     "key file sealing medical and protection data (default: the database path + .key)", NULL},
    {"procedure_types", "AWDA_PROCEDURE_TYPES", "--procedure-types", CT_STR,
     "exit_visa,fine_waiver,police_clearance", 0, 0, S(procedure_types),
     "comma-separated checklist of government procedures before departure", NULL},
    {"second_factor_roles", "AWDA_SECOND_FACTOR_ROLES", "--second-factor-roles", CT_STR, "", 0, 0,
     S(second_factor_roles),
     "comma-separated roles that must sign in with a one-time code (e.g. admin,medical,"
     "protection); empty: the second factor is optional for everyone",
     NULL},
    {"retention_closed_years", "AWDA_RETENTION_CLOSED_YEARS", "--retention-closed-years", CT_INT,
     "5", 1, 100, S(retention_closed_years),
     "a closed case is anonymised this many years after its closure", NULL},
    {"retention_withdrawn_years", "AWDA_RETENTION_WITHDRAWN_YEARS", "--retention-withdrawn-years",
     CT_INT, "2", 1, 100, S(retention_withdrawn_years),
     "a withdrawn case is anonymised this many years after the withdrawal", NULL},
    {"metrics_access", "AWDA_METRICS_ACCESS", "--metrics-access", CT_STR, "loopback", 0, 0,
     S(metrics_access),
     "who may read /metrics: loopback (127.0.0.1 and ::1 only), token (metrics_token as "
     "Authorization: Bearer) or open",
     METRICS_ACCESS},
    {"metrics_token", "AWDA_METRICS_TOKEN", "--metrics-token", CT_STR, "", 0, 0, S(metrics_token),
     "the token a scraper sends when metrics_access is token (at least 32 characters)", NULL},
    {"public_url", "AWDA_PUBLIC_URL", "--public-url", CT_STR, "", 0, 0, S(public_url),
     "the address users open awda at (e.g. https://awda.example.org behind a TLS proxy); "
     "https:// marks the session cookie Secure",
     NULL},
    {"export_max_rows", "AWDA_EXPORT_MAX_ROWS", "--export-max-rows", CT_INT,
     AWDA_STR(AWDA_EXPORT_MAX_ROWS_DEFAULT), 1, AWDA_EXPORT_MAX_ROWS_CEILING, S(export_max_rows),
     "an export of more rows (members of cases) is refused whole (422 export-too-large); narrow "
     "it by office, stage or registration dates",
     NULL},
    {"arabic_digits", "AWDA_ARABIC_DIGITS", "--arabic-digits", CT_STR, "western", 0, 0,
     S(arabic_digits),
     "digits of numbers and dates in the Arabic interface: western (0123, as in the Maghreb) "
     "or arabic-indic (٠١٢٣, as in Egypt)",
     ARABIC_DIGITS},
};
#define NTABLE (sizeof TABLE / sizeof TABLE[0])

/* A boolean in any usual spelling (any case): true, yes, on, 1 or false,
 * no, off, 0. Returns 0 or 1, or -1 for anything else. */
static int parse_bool(const char *v)
{
    static const char *const YES[] = {"true", "yes", "on", "1", NULL};
    static const char *const NO[] = {"false", "no", "off", "0", NULL};
    for (int i = 0; YES[i]; i++) {
        if (strcasecmp(v, YES[i]) == 0)
            return 1;
        if (strcasecmp(v, NO[i]) == 0)
            return 0;
    }
    return -1;
}

static int set_bool(awda_config_t *cfg, const centry_t *e, const char *value, const char *from)
{
    long v = parse_bool(value);
    if (v < 0) {
        fprintf(stderr, "awda: %s (from %s) must be true or false (or yes/no, on/off, 1/0)\n",
                e->name, from);
        return -1;
    }
    memcpy((char *)cfg + e->offset, &v, sizeof v);
    return 0;
}

static int set(awda_config_t *cfg, const centry_t *e, const char *value, const char *from)
{
    if (e->type == CT_BOOL)
        return set_bool(cfg, e, value, from);
    char *dst = (char *)cfg + e->offset;
    if (e->type == CT_STR) {
        int known = !e->values;
        for (int i = 0; e->values && e->values[i]; i++)
            known |= strcmp(e->values[i], value) == 0;
        if (!known) {
            fprintf(stderr, "awda: %s (from %s) must be one of: %s\n", e->name, from, e->help);
            return -1;
        }
        if (strlen(value) >= e->size) {
            fprintf(stderr, "awda: %s (from %s) is too long\n", e->name, from);
            return -1;
        }
        memcpy(dst, value, strlen(value) + 1);
        return 0;
    }
    char *end = NULL;
    errno = 0;
    long v = strtol(value, &end, 10);
    if (errno || end == value || *end || v < e->min || v > e->max) {
        fprintf(stderr, "awda: %s (from %s) must be a whole number from %ld to %ld\n", e->name,
                from, e->min, e->max);
        return -1;
    }
    memcpy(dst, &v, sizeof v);
    return 0;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

static int load_file(awda_config_t *cfg, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "awda: cannot read the config file %s\n", path);
        return -1;
    }
    char line[AWDA_CONFIG_MAX_LINE];
    size_t total = 0;
    int lineno = 0, rc = 0;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        lineno++;
        size_t len = strlen(line);
        total += len;
        if (len == sizeof line - 1 && line[len - 1] != '\n' && !feof(f)) {
            fprintf(stderr, "awda: %s:%d: line longer than %d bytes\n", path, lineno,
                    AWDA_CONFIG_MAX_LINE - 1);
            rc = -1;
            break;
        }
        if (total > AWDA_CONFIG_MAX_BYTES) {
            fprintf(stderr, "awda: %s is larger than %d bytes\n", path, AWDA_CONFIG_MAX_BYTES);
            rc = -1;
            break;
        }
        char *s = trim(line);
        if (!*s || *s == '#')
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            fprintf(stderr, "awda: %s:%d: expected name = value\n", path, lineno);
            rc = -1;
            break;
        }
        *eq = '\0';
        char *name = trim(s), *value = trim(eq + 1);
        size_t i = 0;
        while (i < NTABLE && strcmp(TABLE[i].name, name) != 0)
            i++;
        if (i == NTABLE || strcmp(name, "config") == 0) {
            fprintf(stderr, "awda: %s:%d: unknown setting %s\n", path, lineno, name);
            rc = -1;
            break;
        }
        rc = set(cfg, &TABLE[i], value, path);
    }
    fclose(f);
    return rc;
}

int awda_config_load(awda_config_t *cfg, int argc, char **argv, const char **rest, int max_rest,
                     int *nrest)
{
    memset(cfg, 0, sizeof *cfg);
    for (size_t i = 0; i < NTABLE; i++)
        if (set(cfg, &TABLE[i], TABLE[i].def, "default") != 0)
            return -1;
    /* The config file's own location: flag, then environment. */
    const char *cfile = getenv("AWDA_CONFIG");
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
            cfile = argv[i + 1];
        else if (strncmp(argv[i], "--config=", 9) == 0)
            cfile = argv[i] + 9;
    }
    if (cfile && *cfile && load_file(cfg, cfile) != 0)
        return -1;
    for (size_t i = 0; i < NTABLE; i++) {
        const char *v = getenv(TABLE[i].env);
        if (v && set(cfg, &TABLE[i], v, TABLE[i].env) != 0)
            return -1;
    }
    *nrest = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        size_t k = 0;
        if (strncmp(a, "--", 2) == 0) {
            const char *eq = strchr(a, '=');
            size_t n = eq ? (size_t)(eq - a) : strlen(a);
            while (k < NTABLE && !(strlen(TABLE[k].flag) == n && strncmp(TABLE[k].flag, a, n) == 0))
                k++;
            if (k < NTABLE) {
                const char *v = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
                if (!v) {
                    fprintf(stderr, "awda: %s needs a value\n", TABLE[k].flag);
                    return -1;
                }
                if (set(cfg, &TABLE[k], v, TABLE[k].flag) != 0)
                    return -1;
                continue;
            }
        }
        if (*nrest < max_rest)
            rest[(*nrest)++] = a;
    }
    return 0;
}

void awda_config_help(FILE *out)
{
    fprintf(out, "Settings (flag, environment variable, config-file name; default):\n");
    for (size_t i = 0; i < NTABLE; i++)
        fprintf(out, "  %-17s %-19s %-14s %s (default: %s)\n", TABLE[i].flag, TABLE[i].env,
                TABLE[i].name, TABLE[i].help, *TABLE[i].def ? TABLE[i].def : "none");
}
