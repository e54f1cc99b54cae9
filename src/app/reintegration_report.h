/*
 * reintegration_report.h — the reintegration report of a project over a
 * period (reintegration_report.c): returns, assistance started and
 * completed, beneficiaries by sex and age group, plans overdue, budget
 * utilisation, sustainability scores and the returnees' choice; as JSON,
 * CSV or XLSX with HXL hashtags.
 */
#ifndef AWDA_APP_REINTEGRATION_REPORT_H
#define AWDA_APP_REINTEGRATION_REPORT_H
#include "app.h"

/* The parameters as the request gives them (each may be NULL). */
typedef struct {
    const char *project; /* the project's id or code */
    const char *from;    /* YYYY-MM-DD; NULL: the project's start */
    const char *to;      /* YYYY-MM-DD; NULL: the project's end */
    const char *format;  /* json (NULL), csv or xlsx */
} app_rr_query_t;

/* The report of q->project over [from, to] for actor a, counted in the
 * read transaction of the request: over every office for the roles that
 * see every office, a manager of the project and donors; else over the
 * actor's offices. A donor's answer has small counts suppressed as the
 * statistics have them. 400 for bad parameters, 404 for no such project.
 * JSON: r->body (see the top of reintegration_report.c); CSV and XLSX:
 * r->raw with the same figures, one per row, under a row of HXL
 * hashtags. r's contents are the caller's (app_result_free). */
void app_reintegration_report(app_t *app, const app_actor_t *a, const app_rr_query_t *q,
                              app_result_t *r);

#endif
