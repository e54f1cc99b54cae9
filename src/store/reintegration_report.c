/*
 * reintegration_report.c — the figures of a project's reintegration
 * report, counted with SQL straight over the schema (migration 17 and the
 * cases), on the caller's read transaction.
 *
 * Statements take the same numbered parameters, bound by bind_query:
 *   ?1 the project's key     ?2 its name (cases.project)
 *   ?3 ?4 the period's first and last day (YYYY-MM-DD)
 *   ?5 the offices in scope (JSON array of keys; NULL: every office)
 *   ?6 ?7 the period in epoch ms: [first day 00:00 UTC, the day after the
 *         last day 00:00 UTC)
 *   ?8 today (YYYY-MM-DD)
 *
 * What belongs to the project:
 *   - a case whose project is the project's name, in scope when its office
 *     or its receiving office is one of the offices;
 *   - a plan item charged to one of the project's budget lines, or charged
 *     to none in a plan one of whose returnees is a case of the project;
 *   - a plan that holds such an item, or one of whose returnees is a case
 *     of the project; in scope by the plan's office;
 *   - an activity of the project (activities.project_pk), in scope by its
 *     office; a survey response and a needs assessment of a case of the
 *     project in scope.
 *
 * What each figure counts:
 *   returns           the cases of the project that arrived in the period
 *                     (the day, UTC, of their latest journey step into
 *                     "arrived": its "at" when the step carried one, else
 *                     when it was recorded — cases.arrived_at, kept by
 *                     migration 18), and their members by sex and age
 *                     group;
 *   plans_overdue     of those cases, "late": the first plan naming the
 *                     case (not cancelled) was made more than
 *                     STORE_RR_PLAN_DAYS days after the arrival;
 *                     "without_plan": none yet, the deadline is past
 *                     today, and the case is not closed;
 *   assistance        plan items of the project: "started" when its plan
 *                     was approved in the period and the item was not
 *                     cancelled; "completed" when the item is delivered
 *                     and its last change (the delivery) is in the
 *                     period; by dimension (plan_item_types) and by plan
 *                     kind;
 *   beneficiaries     the plans of the project approved in the period:
 *                     their returnees (persons) and their community
 *                     beneficiaries (counted by sex and age group); the
 *                     activities of the project held in the period:
 *                     their linked returnees and the others counted; the
 *                     total counts a linked person once however many
 *                     plans and activities reached them, plus everyone
 *                     counted;
 *   budget            each budget line of the project with its running
 *                     totals (budget_line_totals, kept with the ledger):
 *                     budget, committed, disbursed, remaining (budget -
 *                     committed), utilisation (disbursed / budget, in
 *                     basis points) — as they stand now, not per period;
 *   sustainability    survey responses answered in the period, per round
 *                     (baseline, follow_up): how many, and the mean of
 *                     each score in basis points (rounded half up; a
 *                     response without a score is left out of its mean);
 *   choice            the latest needs assessment of each person assessed
 *                     in the period, by the choice made; the share who
 *                     chose their own project in basis points.
 *
 * Cost: every statement starts from an index of the project (cases by
 * project, budget lines by project) or scans a table of the reintegration
 * office (plans, plan items, activities), never the journey's events:
 * the returns read the arrival kept on the case (cases.arrived_at).
 * bench/report_bench.sh measures it over 100,000 cases.
 */
#include "internal.h"
#include "reintegration_report.h"
#include "../core/movement_care.h"

#define CASE_SCOPE                                                                                 \
    "(?5 IS NULL OR c.office_pk IN (SELECT value FROM json_each(?5)) OR "                          \
    "c.receiving_office_pk IN (SELECT value FROM json_each(?5)))"

/* The cases of the project (in scope) that arrived in the period, with
 * the day of their arrival (cases.arrived_at, kept by migration 18's
 * trigger from the journey's steps into "arrived"), read on the case's
 * row: no journey event is read. */
#define ARRIVALS                                                                                   \
    "arr AS (SELECT c.pk AS case_pk, c.stage AS stage, "                                           \
    "date(c.arrived_at/1000,'unixepoch') AS day FROM cases c WHERE c.project=?2 AND "              \
    "c.arrived_at>=?6 AND c.arrived_at<?7 AND " CASE_SCOPE ")"

/* The plans of the project approved in the period, and its activities
 * held in the period. */
#define PLANS_ACTIVITIES                                                                           \
    "pp AS (SELECT pl.pk FROM plans pl WHERE pl.approved_at>=?6 AND pl.approved_at<?7 AND "        \
    "(?5 IS NULL OR pl.office_pk IN (SELECT value FROM json_each(?5))) AND (EXISTS (SELECT 1 "     \
    "FROM plan_members pm JOIN cases c ON c.pk=pm.case_pk WHERE pm.plan_pk=pl.pk AND "             \
    "c.project=?2) OR EXISTS (SELECT 1 FROM plan_items i JOIN budget_lines b ON "                  \
    "b.pk=i.budget_line_pk WHERE i.plan_pk=pl.pk AND b.project_pk=?1))), "                         \
    "aa AS (SELECT pk FROM activities WHERE project_pk=?1 AND held_on BETWEEN ?3 AND ?4 AND "      \
    "(?5 IS NULL OR office_pk IN (SELECT value FROM json_each(?5))))"

static void bind_query(sqlite3_stmt *st, const store_rr_query_t *q, int64_t from_ms, int64_t to_ms)
{
    /* Every statement declares the parameters it uses; binding one it
     * does not use is refused by SQLite (SQLITE_RANGE) and harmless. */
    int n = sqlite3_bind_parameter_count(st);
    if (n >= 1)
        sqlite3_bind_int64(st, 1, q->project_pk);
    if (n >= 2)
        bind_text_or_null(st, 2, q->project);
    if (n >= 3)
        bind_text_or_null(st, 3, q->from);
    if (n >= 4)
        bind_text_or_null(st, 4, q->to);
    if (n >= 5)
        bind_text_or_null(st, 5, q->offices);
    if (n >= 6)
        sqlite3_bind_int64(st, 6, from_ms);
    if (n >= 7)
        sqlite3_bind_int64(st, 7, to_ms);
    if (n >= 8)
        bind_text_or_null(st, 8, q->today);
}

/* ---- counts by sex and age group -------------------------------------- */

static const char *const SEXES[] = {"female", "male", "other", "unknown", NULL};
#define NSEX   4
#define NGROUP 6 /* AWDA_AGE_GROUPS and "unknown" */

typedef struct {
    long long n[NSEX][NGROUP];
} grid_t;

static int sex_index(const char *s)
{
    for (int i = 0; s && i < NSEX - 1; i++)
        if (strcmp(SEXES[i], s) == 0)
            return i;
    return NSEX - 1;
}

static int group_index(const char *g)
{
    for (int i = 0; g && AWDA_AGE_GROUPS[i]; i++)
        if (strcmp(AWDA_AGE_GROUPS[i], g) == 0)
            return i;
    return NGROUP - 1;
}

static const char *group_name(int i)
{
    return i < NGROUP - 1 ? AWDA_AGE_GROUPS[i] : "unknown";
}

/* Counts one person of the row's columns sex, date_of_birth, precision
 * (from column col) at their age on day. */
static void grid_person(grid_t *g, sqlite3_stmt *st, int col, const awda_date_t *day)
{
    const char *sex = (const char *)sqlite3_column_text(st, col);
    const char *dob = (const char *)sqlite3_column_text(st, col + 1);
    const char *prec = (const char *)sqlite3_column_text(st, col + 2);
    int age = dob ? awda_age_on(dob, prec, day->year, day->month, day->day, 1) : -1;
    g->n[sex_index(sex)][group_index(awda_age_group(age))]++;
}

static void grid_add(grid_t *into, const grid_t *g)
{
    for (int s = 0; s < NSEX; s++)
        for (int a = 0; a < NGROUP; a++)
            into->n[s][a] += g->n[s][a];
}

/* [{"sex", "age_group", "count"}] of the non-zero cells, in order. */
static json_t *grid_json(const grid_t *g)
{
    json_t *arr = json_array();
    for (int s = 0; s < NSEX; s++)
        for (int a = 0; a < NGROUP; a++)
            if (g->n[s][a])
                json_array_append_new(arr,
                                      json_pack("{s:s,s:s,s:I}", "sex", SEXES[s], "age_group",
                                                group_name(a), "count", (json_int_t)g->n[s][a]));
    return arr;
}

/* ---- the project -------------------------------------------------------- */

static store_stmt_t Q_PROJECT = {
    .sql = "SELECT pk,id,code,name,donor,currency,starts_on,ends_on FROM projects "
           "WHERE id=?1 OR code=?1 LIMIT 1"};

int store_rr_project(store_conn_t *c, const char *key, json_t **out, int64_t *pk)
{
    *out = NULL;
    *pk = 0;
    sqlite3_stmt *st = stmt(c, &Q_PROJECT);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW)
        return done(st, rc == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERR);
    *pk = sqlite3_column_int64(st, 0);
    *out = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id", col_str(st, 1), "code", col_str(st, 2),
                     "name", col_str(st, 3), "donor", col_str(st, 4), "currency", col_str(st, 5),
                     "starts_on", col_str(st, 6), "ends_on", col_str(st, 7));
    return done(st, *out ? STORE_OK : STORE_ERR);
}

/* ---- returns and plans overdue ------------------------------------------ */

/* One row per member of each case arrived in the period, by case: the
 * case, whether it is closed, its first plan's day, its plan deadline,
 * then the member's sex, date of birth and its precision. */
static char *returns_sql(const store_stmt_t *d)
{
    (void)d;
    sql_t q;
    sql_init(&q);
    sql_puts(&q, "WITH " ARRIVALS " SELECT a.case_pk, a.stage IN (");
    store_stage_list(&q, store_stage_bit("closed"));
    sql_printf(&q,
               "), (SELECT date(min(pl.created_at)/1000,'unixepoch') FROM plan_members pm JOIN "
               "plans pl ON pl.pk=pm.plan_pk WHERE pm.case_pk=a.case_pk AND "
               "pl.status<>'cancelled'), date(a.day,'+%d days'), p.sex, p.date_of_birth, "
               "p.dob_precision FROM arr a JOIN case_members m ON m.case_pk=a.case_pk JOIN "
               "persons p ON p.pk=m.person_pk ORDER BY a.case_pk",
               STORE_RR_PLAN_DAYS);
    return sql_take(&q);
}
static store_stmt_t Q_RETURNS = {.build = returns_sql};

static int returns(store_conn_t *c, const store_rr_query_t *q, int64_t f, int64_t t,
                   const awda_date_t *day, json_t *out)
{
    sqlite3_stmt *st = stmt(c, &Q_RETURNS);
    if (!st)
        return STORE_ERR;
    bind_query(st, q, f, t);
    grid_t g = {0};
    long long cases = 0, persons = 0, late = 0, without = 0;
    int64_t last = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t pk = sqlite3_column_int64(st, 0);
        if (pk != last) {
            last = pk;
            cases++;
            const char *plan = (const char *)sqlite3_column_text(st, 2);
            const char *due = (const char *)sqlite3_column_text(st, 3);
            if (plan && due && strcmp(plan, due) > 0)
                late++;
            else if (!plan && due && q->today && strcmp(q->today, due) > 0 &&
                     !sqlite3_column_int(st, 1))
                without++;
        }
        persons++;
        grid_person(&g, st, 4, day);
    }
    if (rc != SQLITE_DONE)
        return done(st, STORE_ERR);
    json_object_set_new(out, "returns",
                        json_pack("{s:I,s:I,s:o}", "cases", (json_int_t)cases, "persons",
                                  (json_int_t)persons, "by_sex_age", grid_json(&g)));
    json_object_set_new(out, "plans_overdue",
                        json_pack("{s:I,s:I,s:I}", "total", (json_int_t)(late + without), "late",
                                  (json_int_t)late, "without_plan", (json_int_t)without));
    return done(st, STORE_OK);
}

/* ---- assistance started and completed ----------------------------------- */

static store_stmt_t Q_ASSISTANCE = {
    .sql = "SELECT t.dimension, pl.kind, "
           "sum(pl.approved_at>=?6 AND pl.approved_at<?7 AND i.status<>'cancelled' AND "
           "i.status<>'planned'), "
           "sum(i.status='delivered' AND i.updated_at>=?6 AND i.updated_at<?7) "
           "FROM plan_items i JOIN plans pl ON pl.pk=i.plan_pk "
           "JOIN plan_item_types t ON t.code=i.type "
           "WHERE (?5 IS NULL OR pl.office_pk IN (SELECT value FROM json_each(?5))) AND "
           "(i.budget_line_pk IN (SELECT pk FROM budget_lines WHERE project_pk=?1) OR "
           "(i.budget_line_pk IS NULL AND EXISTS (SELECT 1 FROM plan_members pm JOIN cases c "
           "ON c.pk=pm.case_pk WHERE pm.plan_pk=pl.pk AND c.project=?2))) "
           "GROUP BY 1, 2"};

static const char *const DIMENSIONS[] = {"economic", "social", "psychosocial", NULL};
static const char *const PLAN_KINDS[] = {"individual", "collective", "community", NULL};

static int index_of(const char *const *list, const char *s)
{
    for (int i = 0; s && list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return i;
    return -1;
}

static json_t *started_completed(const char *name, const char *const *keys, const long long (*n)[2])
{
    json_t *arr = json_array();
    for (int i = 0; keys[i]; i++)
        json_array_append_new(arr,
                              json_pack("{s:s,s:I,s:I}", name, keys[i], "started",
                                        (json_int_t)n[i][0], "completed", (json_int_t)n[i][1]));
    return arr;
}

static int assistance(store_conn_t *c, const store_rr_query_t *q, int64_t f, int64_t t, json_t *out)
{
    sqlite3_stmt *st = stmt(c, &Q_ASSISTANCE);
    if (!st)
        return STORE_ERR;
    bind_query(st, q, f, t);
    long long dim[3][2] = {{0}}, kind[3][2] = {{0}}, total[2] = {0};
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int d = index_of(DIMENSIONS, (const char *)sqlite3_column_text(st, 0));
        int k = index_of(PLAN_KINDS, (const char *)sqlite3_column_text(st, 1));
        for (int j = 0; j < 2; j++) {
            long long v = sqlite3_column_int64(st, 2 + j);
            if (d >= 0)
                dim[d][j] += v;
            if (k >= 0)
                kind[k][j] += v;
            total[j] += v;
        }
    }
    if (rc != SQLITE_DONE)
        return done(st, STORE_ERR);
    json_object_set_new(
        out, "assistance",
        json_pack("{s:o,s:o,s:{s:I,s:I}}", "by_dimension",
                  started_completed("dimension", DIMENSIONS, (const long long(*)[2])dim),
                  "by_plan_kind",
                  started_completed("kind", PLAN_KINDS, (const long long(*)[2])kind), "total",
                  "started", (json_int_t)total[0], "completed", (json_int_t)total[1]));
    return done(st, STORE_OK);
}

/* ---- beneficiaries ------------------------------------------------------- */

/* Each person linked to a plan or an activity of the project once, with
 * whether a plan and whether an activity reached them. */
static store_stmt_t Q_LINKED = {
    .sql =
        "WITH " PLANS_ACTIVITIES ", "
        "pm AS (SELECT person_pk FROM plan_members WHERE plan_pk IN pp), "
        "ap AS (SELECT person_pk FROM activity_participants WHERE activity_pk IN aa) "
        "SELECT p.pk IN pm, p.pk IN ap, p.sex, p.date_of_birth, p.dob_precision "
        "FROM persons p WHERE p.pk IN (SELECT person_pk FROM pm UNION SELECT person_pk FROM ap)"};

/* The beneficiaries counted (0: community, 1: activities) by sex and age
 * group, and (2) how many activities were held. */
static store_stmt_t Q_COUNTED = {
    .sql = "WITH " PLANS_ACTIVITIES " "
           "SELECT 0, sex, age_group, sum(count) FROM plan_beneficiaries WHERE plan_pk IN pp "
           "GROUP BY 2, 3 "
           "UNION ALL SELECT 1, sex, age_group, sum(count) FROM activity_counts "
           "WHERE activity_pk IN aa GROUP BY 2, 3 "
           "UNION ALL SELECT 2, NULL, NULL, count(*) FROM aa"};

static int beneficiaries(store_conn_t *c, const store_rr_query_t *q, int64_t f, int64_t t,
                         const awda_date_t *day, json_t *out)
{
    grid_t plans = {0}, acts = {0}, linked = {0}, counted[2] = {{{{0}}}}, total = {0};
    long long held = 0;
    sqlite3_stmt *st = stmt(c, &Q_LINKED);
    if (!st)
        return STORE_ERR;
    bind_query(st, q, f, t);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        grid_t one = {0};
        grid_person(&one, st, 2, day);
        if (sqlite3_column_int(st, 0))
            grid_add(&plans, &one);
        if (sqlite3_column_int(st, 1))
            grid_add(&acts, &one);
        grid_add(&linked, &one);
    }
    done(st, 0);
    if (rc != SQLITE_DONE)
        return STORE_ERR;
    st = stmt(c, &Q_COUNTED);
    if (!st)
        return STORE_ERR;
    bind_query(st, q, f, t);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int which = sqlite3_column_int(st, 0);
        long long n = sqlite3_column_int64(st, 3);
        if (which == 2) {
            held = n;
            continue;
        }
        const char *sex = (const char *)sqlite3_column_text(st, 1);
        const char *group = (const char *)sqlite3_column_text(st, 2);
        counted[which != 0].n[sex_index(sex)][group_index(group)] += n;
    }
    done(st, 0);
    if (rc != SQLITE_DONE)
        return STORE_ERR;
    grid_add(&total, &linked);
    grid_add(&total, &counted[0]);
    grid_add(&total, &counted[1]);
    json_object_set_new(out, "beneficiaries",
                        json_pack("{s:o,s:o,s:o,s:o,s:o,s:I}", "returnees_in_plans",
                                  grid_json(&plans), "community", grid_json(&counted[0]),
                                  "activity_participants", grid_json(&acts), "activity_others",
                                  grid_json(&counted[1]), "total", grid_json(&total),
                                  "activities_held", (json_int_t)held));
    return STORE_OK;
}

/* ---- budget ------------------------------------------------------------------ */

static store_stmt_t Q_BUDGET = {
    .sql = "SELECT b.code, b.name, b.amount_minor, coalesce(t.committed_minor,0), "
           "coalesce(t.disbursed_minor,0) FROM budget_lines b LEFT JOIN budget_line_totals t "
           "ON t.budget_line_pk=b.pk WHERE b.project_pk=?1 ORDER BY b.code, b.pk"};

/* A ratio in basis points, rounded half up; null when den is 0. */
static json_t *bp(long long num, long long den)
{
    return den > 0 ? json_integer((json_int_t)((num * 10000 * 2 + den) / (den * 2))) : json_null();
}

static json_t *money_row(long long budget, long long committed, long long disbursed)
{
    return json_pack("{s:I,s:I,s:I,s:I,s:o}", "budget_minor", (json_int_t)budget, "committed_minor",
                     (json_int_t)committed, "disbursed_minor", (json_int_t)disbursed,
                     "remaining_minor", (json_int_t)(budget - committed), "utilisation_bp",
                     bp(disbursed, budget));
}

static int budget(store_conn_t *c, const store_rr_query_t *q, json_t *out)
{
    sqlite3_stmt *st = stmt(c, &Q_BUDGET);
    if (!st)
        return STORE_ERR;
    bind_query(st, q, 0, 0);
    json_t *lines = json_array();
    long long sum[3] = {0};
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long long v[3];
        for (int k = 0; k < 3; k++) {
            v[k] = sqlite3_column_int64(st, 2 + k);
            sum[k] += v[k];
        }
        json_t *row = money_row(v[0], v[1], v[2]);
        json_object_set_new(row, "code", col_str(st, 0));
        json_object_set_new(row, "name", col_str(st, 1));
        json_array_append_new(lines, row);
    }
    json_object_set_new(
        out, "budget",
        json_pack("{s:o,s:o}", "lines", lines, "total", money_row(sum[0], sum[1], sum[2])));
    return done(st, rc == SQLITE_DONE ? STORE_OK : STORE_ERR);
}

/* ---- sustainability -------------------------------------------------------- */

static store_stmt_t Q_SURVEY = {
    .sql =
        "SELECT s.round, count(*), sum(s.economic_bp), count(s.economic_bp), "
        "sum(s.social_bp), count(s.social_bp), sum(s.psychosocial_bp), "
        "count(s.psychosocial_bp), sum(s.composite_bp), count(s.composite_bp) "
        "FROM cases c JOIN survey_responses s ON s.case_pk=c.pk WHERE c.project=?2 AND " CASE_SCOPE
        " AND s.answered_on BETWEEN ?3 AND ?4 GROUP BY s.round"};

/* The mean of n values summing to sum, rounded half up; null for none. */
static json_t *mean(long long sum, long long n)
{
    return n > 0 ? json_integer((json_int_t)((sum * 2 + n) / (n * 2))) : json_null();
}

static json_t *round_json(sqlite3_stmt *st)
{
    static const char *const SCORES[] = {"economic_bp", "social_bp", "psychosocial_bp",
                                         "composite_bp"};
    json_t *o = json_pack("{s:I}", "responses", (json_int_t)(st ? sqlite3_column_int64(st, 1) : 0));
    for (int k = 0; k < 4; k++)
        json_object_set_new(
            o, SCORES[k],
            st ? mean(sqlite3_column_int64(st, 2 + 2 * k), sqlite3_column_int64(st, 3 + 2 * k))
               : json_null());
    return o;
}

static int sustainability(store_conn_t *c, const store_rr_query_t *q, json_t *out)
{
    sqlite3_stmt *st = stmt(c, &Q_SURVEY);
    if (!st)
        return STORE_ERR;
    bind_query(st, q, 0, 0);
    json_t *s = json_object();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *round = (const char *)sqlite3_column_text(st, 0);
        if (round && (strcmp(round, "baseline") == 0 || strcmp(round, "follow_up") == 0))
            json_object_set_new(s, round, round_json(st));
    }
    if (!json_object_get(s, "baseline"))
        json_object_set_new(s, "baseline", round_json(NULL));
    if (!json_object_get(s, "follow_up"))
        json_object_set_new(s, "follow_up", round_json(NULL));
    json_object_set_new(out, "sustainability", s);
    return done(st, rc == SQLITE_DONE ? STORE_OK : STORE_ERR);
}

/* ---- the returnee's choice ------------------------------------------------ */

static store_stmt_t Q_CHOICE = {
    .sql = "SELECT n.choice, count(*) FROM needs_assessments n WHERE n.pk IN (SELECT max(n2.pk) "
           "FROM cases c JOIN needs_assessments n2 ON n2.case_pk=c.pk WHERE c.project=?2 "
           "AND " CASE_SCOPE
           " AND n2.assessed_on BETWEEN ?3 AND ?4 GROUP BY n2.person_pk) GROUP BY 1"};

static int choice(store_conn_t *c, const store_rr_query_t *q, json_t *out)
{
    static const char *const CHOICES[] = {"own_project", "proposed_option", "referral", NULL};
    sqlite3_stmt *st = stmt(c, &Q_CHOICE);
    if (!st)
        return STORE_ERR;
    bind_query(st, q, 0, 0);
    long long n[3] = {0}, all = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int k = index_of(CHOICES, (const char *)sqlite3_column_text(st, 0));
        long long v = sqlite3_column_int64(st, 1);
        if (k >= 0)
            n[k] += v;
        all += v;
    }
    json_object_set_new(out, "choice",
                        json_pack("{s:I,s:I,s:I,s:I,s:o}", "assessed", (json_int_t)all,
                                  "own_project", (json_int_t)n[0], "proposed_option",
                                  (json_int_t)n[1], "referral", (json_int_t)n[2],
                                  "own_project_share_bp", bp(n[0], all)));
    return done(st, rc == SQLITE_DONE ? STORE_OK : STORE_ERR);
}

/* ---- all of it --------------------------------------------------------------- */

json_t *store_rr_figures(store_conn_t *c, const store_rr_query_t *q)
{
    awda_date_t from, to;
    if (!q->from || !q->to || awda_date_parse(q->from, strlen(q->from), &from) != 3 ||
        awda_date_parse(q->to, strlen(q->to), &to) != 3)
        return NULL;
    int64_t f = awda_days_from_civil(from.year, from.month, from.day) * 86400000LL;
    int64_t t = (awda_days_from_civil(to.year, to.month, to.day) + 1) * 86400000LL;
    json_t *out = json_object();
    if (returns(c, q, f, t, &to, out) != STORE_OK || assistance(c, q, f, t, out) != STORE_OK ||
        beneficiaries(c, q, f, t, &to, out) != STORE_OK || budget(c, q, out) != STORE_OK ||
        sustainability(c, q, out) != STORE_OK || choice(c, q, out) != STORE_OK) {
        json_decref(out);
        return NULL;
    }
    return out;
}
