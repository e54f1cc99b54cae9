/*
 * vocabulary.c — the names of the roles and stages and what each stage is,
 * compiled from roles.def and stages.def (see vocabulary.h): the lists
 * AWDA_ROLES and AWDA_STAGES, the names of the stages' properties, and the
 * functions that name, parse and describe a role or a stage.
 */
#include "vocabulary.h"
#include <string.h>

const char *const AWDA_ROLES[] = {
#define AWDA_ROLE(ID, name) #name,
#include "roles.def"
#undef AWDA_ROLE
    NULL};

const char AWDA_STAGE_TEXT[AWDA_STAGE_COUNT][AWDA_STAGE_NAME_MAX] = {
#define AWDA_STAGE(ID, name, props) [AWDA_STAGE_##ID] = name,
#include "stages.def"
#undef AWDA_STAGE
};
/* Every name fits with its NUL (a name of exactly AWDA_STAGE_NAME_MAX
 * characters would be accepted without one). */
#define AWDA_STAGE(ID, name, props)                                                                \
    _Static_assert(sizeof name <= AWDA_STAGE_NAME_MAX, "stage name too long: " name);
#include "stages.def"
#undef AWDA_STAGE

const char *const AWDA_STAGES[] = {
#define AWDA_STAGE(ID, name, props) AWDA_STAGE_TEXT[AWDA_STAGE_##ID],
#include "stages.def"
#undef AWDA_STAGE
    NULL};

const char *const AWDA_STAGE_PROPERTY_NAMES[] = {
#define AWDA_SP_NAME(ID, name) [AWDA_SP_INDEX_##ID] = name,
    AWDA_STAGE_PROPERTIES(AWDA_SP_NAME)
#undef AWDA_SP_NAME
        NULL};

static const unsigned STAGE_PROPS[] = {
#define AWDA_STAGE(ID, name, props) [AWDA_STAGE_##ID] = (props),
#include "stages.def"
#undef AWDA_STAGE
};

const char *awda_stage_name(int s)
{
    return s >= 0 && s < AWDA_STAGE_COUNT ? AWDA_STAGE_TEXT[s] : NULL;
}

int awda_stage_parse(const char *name)
{
    for (int s = 0; name && s < AWDA_STAGE_COUNT; s++)
        if (strcmp(AWDA_STAGE_TEXT[s], name) == 0)
            return s;
    return -1;
}

unsigned awda_stage_props(int s)
{
    return s >= 0 && s < AWDA_STAGE_COUNT ? STAGE_PROPS[s] : 0;
}

int awda_stage_is(const char *name, unsigned props)
{
    int s = awda_stage_parse(name);
    return s >= 0 && (STAGE_PROPS[s] & props) == props;
}

const char *awda_role_name(int r)
{
    return r >= 0 && r < AWDA_ROLE_COUNT ? AWDA_ROLES[r] : NULL;
}

int awda_role_parse(const char *name)
{
    for (int r = 0; name && r < AWDA_ROLE_COUNT; r++)
        if (strcmp(AWDA_ROLES[r], name) == 0)
            return r;
    return -1;
}
