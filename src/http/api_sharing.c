/*
 * api_sharing.c — the API module of what goes to others: referrals to
 * partners, the hand-over to the receiving office, the medical summary for
 * an escort.
 *
 * Routes and handlers only: the router (router.c) has checked the
 * session, the permission and the body before a handler runs; the
 * handler calls the use case and answers (answer.c). Joined by
 * API_MODULE(sharing) in modules.def.
 */
#include "api.h"

static void h_referral_list(api_call_t *c)
{
    app_result_t r = {0};
    app_referral_list(c->app, &c->actor, http_arg(c->x, "cursor"), http_arg(c->x, "limit"), &r);
    api_respond(c, &r);
}

static void h_hand_over(api_call_t *c)
{
    app_result_t r = {0};
    app_case_hand_over(c->app, &c->actor, c->param, c->json, &r);
    api_respond(c, &r);
}

static void h_medical_summary(api_call_t *c)
{
    app_result_t r = {0};
    app_medical_summary(c->app, &c->actor, c->param, api_arg(c, "recipient"), &r);
    api_respond(c, &r);
}

static const api_route_t ROUTES[] = {
    {"GET", "/api/v1/referrals", PERM_REFERRAL_READ, 0, h_referral_list},
    {"POST", "/api/v1/cases/{id}/handover", PERM_CASE_HAND_OVER, API_BODY, h_hand_over},
    {"GET", "/api/v1/cases/{id}/medical-summary", PERM_MEDICAL_SHARE, 0, h_medical_summary},
};

const api_module_t api_module_sharing = API_MODULE_OF(sharing, ROUTES);
