/*
 * config.h — awda's settings, driven by one table (config.c).
 *
 * Every setting has one row: its name in the config file, its environment
 * variable (AWDA_*), its command-line flag, its type, its default and a
 * help line. Values are applied in this order, later winning: default,
 * config file (--config or AWDA_CONFIG; lines "name = value", # comments),
 * environment, flags. `awda serve --help` prints the table.
 */
#ifndef AWDA_CONFIG_H
#define AWDA_CONFIG_H
#include <stddef.h>
#include <stdio.h>

typedef struct {
    char db[512];
    char listen[128];
    long threads;
    long max_body;
    long session_hours;
    long session_idle_minutes;
    long access_log;
    char log_level[16];
    char web_root[512];
    long reconfirm_hours;
    long preembark_hours;
    char procedure_types[512];
    char second_factor_roles[256];
    long retention_closed_years;
    long retention_withdrawn_years;
    char key_file[512];
    char config[512];
    char metrics_access[16];
    char metrics_token[256];
    char public_url[512];
    long export_max_rows;
    char arabic_digits[16]; /* "western" or "arabic-indic" */
} awda_config_t;

/* Fills cfg from defaults, file, environment and argv (flags only; the
 * remaining positional arguments are left in rest, up to max_rest).
 * Returns 0, or -1 after printing a message to stderr. */
int awda_config_load(awda_config_t *cfg, int argc, char **argv, const char **rest, int max_rest,
                     int *nrest);
/* Prints the settings table (for --help). */
void awda_config_help(FILE *out);

#endif
