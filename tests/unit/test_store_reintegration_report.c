/*
 * test_store_reintegration_report.c — the figures of a project's
 * reintegration report (store/reintegration_report.c) against a small
 * dataset counted by hand.
 *
 * The dataset (DATASET below) is written with plain SQL on a temporary
 * database, as the other rooms' stores would leave it: two projects,
 * seven cases with their arrival steps, six plans of every kind and
 * status, nine items, four activities, survey responses and needs
 * assessments, each row chosen to be counted or left out by exactly one
 * rule; the comment beside each row says how it counts. The period is
 * 2026-01-01 .. 2026-06-30 and "today" 2026-07-15.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/store/reintegration_report.h"
#include "tmpdb.h"

#define T(d) "(strftime('%s','" d "')*1000)"

static const char *const DATASET[] = {
    "INSERT INTO offices(pk,code,name,country,created_at) VALUES "
    "(1,'ML-BKO','Bamako','MLI',0),(2,'EG-CAI','Cairo','EGY',0)",
    "INSERT INTO "
    "projects(pk,id,code,name,donor,currency,starts_on,ends_on,version,created_at,"
    "updated_at) VALUES (1,'p-1','ML-PSS','Mali PSS','Switzerland','USD','2026-01-01',"
    "'2026-12-31',1,0,0),(2,'p-2','OTHER','Other','EU','EUR','2026-01-01','2026-12-31',1,0,"
    "0)",
    "INSERT INTO budget_lines(pk,id,project_pk,code,name,amount_minor,version,created_at,"
    "updated_at) VALUES (1,'l-1',1,'1.1','Economic support',100000,1,0,0),"
    "(2,'l-2',1,'2.1','Psychosocial',50000,1,0,0),(3,'l-3',2,'1.1','X',999,1,0,0)",
    "INSERT INTO budget_line_totals VALUES (1,40000,10000,3),(3,5,0,1)",
    /* persons: sex, date of birth (age group on 2026-06-30) */
    "INSERT INTO persons(pk,id,name,sex,date_of_birth,dob_precision,nationality,created_at,"
    "updated_at) VALUES "
    "(1,'a1','P1','female','1990-05-01','exact','MLI',0,0)," /* 18-59 */
    "(2,'a2','P2','male','2015-03-10','exact','MLI',0,0),"   /* 5-11 */
    "(3,'a3','P3','male','1960-01-01','exact','MLI',0,0),"   /* 60+ */
    "(4,'a4','P4','female','2010','year','MLI',0,0),"        /* 12-17 (youngest reading) */
    "(5,'a5','P5','male','1985-07-07','exact','MLI',0,0),"   /* 18-59 */
    "(6,'a6','P6','female','1999-01-01','exact','MLI',0,0)," /* 18-59 */
    "(7,'a7','P7','male','2000-02-02','exact','MLI',0,0),"   /* 18-59 */
    "(8,'a8','P8','female',NULL,'unknown','MLI',0,0)",       /* unknown */
    "INSERT INTO cases(pk,id,number,office_pk,receiving_office_pk,origin_country,"
    "destination_country,project,stage,version,created_at,updated_at) VALUES "
    "(1,'k1','N1',2,1,'MLI','MLI','Mali PSS','reintegrating',1,0,0),"
    "(2,'k2','N2',1,NULL,'MLI','MLI','Mali PSS','arrived',1,0,0),"
    "(3,'k3','N3',1,NULL,'MLI','MLI','Mali PSS','closed',1,0,0),"
    "(4,'k4','N4',1,NULL,'MLI','MLI','Mali PSS','reintegrating',1,0,0),"
    "(5,'k5','N5',1,NULL,'MLI','MLI','Other','reintegrating',1,0,0),"
    "(6,'k6','N6',2,NULL,'MLI','MLI','Mali PSS','arrived',1,0,0),"
    "(7,'k7','N7',1,NULL,'MLI','MLI','Mali PSS','monitoring',1,0,0)",
    "INSERT INTO case_members VALUES "
    "(1,1,'principal',0),(1,2,'child',1),(2,3,'principal',0),"
    "(3,4,'principal',0),(4,5,'principal',0),(5,6,'principal',0),(6,7,'principal',0),"
    "(7,8,'principal',0)",
    /* arrivals: the step's "at", else when it was recorded */
    "INSERT INTO case_events(case_pk,at,kind,data) VALUES "
    "(1," T(
        "2026-01-20") ",'transition','{\"event\":\"depart\",\"from\":\"booked\","
                      "\"to\":\"departed\",\"at\":\"2026-01-20T08:00Z\"}'),"
                      "(1," T(
                          "2026-02-11") ",'transition','{\"event\":\"arrive\",\"from\":"
                                        "\"departed\","
                                        "\"to\":\"arrived\",\"at\":\"2026-02-10T10:00Z\"}')"
                                        ","
                                        "(1," T(
                                            "2026-02-11") ",'created','{\"note\":"
                                                          "\"arrived\"}'),"
                                                          "(2," T(
                                                              "2026-03-01") ",'transition',"
                                                                            "'{\"event\":"
                                                                            "\"record_"
                                                                            "arrival\","
                                                                            "\"from\":"
                                                                            "\"registered\""
                                                                            ",\"to\":"
                                                                            "\"arrived\"}')"
                                                                            ","
                                                                            "(3," T(
                                                                                "2026-04-"
                                                                                "02") ",'"
                                                                                      "tran"
                                                                                      "siti"
                                                                                      "on',"
                                                                                      "'{"
                                                                                      "\"ev"
                                                                                      "ent"
                                                                                      "\":"
                                                                                      "\"re"
                                                                                      "cord"
                                                                                      "_arr"
                                                                                      "ival"
                                                                                      "\","
                                                                                      "\"fr"
                                                                                      "om\""
                                                                                      ":"
                                                                                      "\"re"
                                                                                      "gist"
                                                                                      "ered"
                                                                                      "\","
                                                                                      "\"to"
                                                                                      "\":"
                                                                                      "\"ar"
                                                                                      "rive"
                                                                                      "d\","
                                                                                      "\"at"
                                                                                      "\":"
                                                                                      "\"20"
                                                                                      "26-"
                                                                                      "04-"
                                                                                      "01T0"
                                                                                      "9:"
                                                                                      "00Z"
                                                                                      "\"}'"
                                                                                      "),"
                                                                                      "(4"
                                                                                      "," T(
                                                                                          "2025-12-"
                                                                                          "20") ",'"
                                                                                                "tr"
                                                                                                "an"
                                                                                                "si"
                                                                                                "ti"
                                                                                                "on"
                                                                                                "',"
                                                                                                "'{"
                                                                                                "\""
                                                                                                "ev"
                                                                                                "en"
                                                                                                "t"
                                                                                                "\""
                                                                                                ":"
                                                                                                "\""
                                                                                                "ar"
                                                                                                "ri"
                                                                                                "ve"
                                                                                                "\""
                                                                                                ","
                                                                                                "\""
                                                                                                "fr"
                                                                                                "om"
                                                                                                "\""
                                                                                                ":"
                                                                                                "\""
                                                                                                "de"
                                                                                                "pa"
                                                                                                "rt"
                                                                                                "ed"
                                                                                                "\""
                                                                                                ","
                                                                                                "\""
                                                                                                "to"
                                                                                                "\""
                                                                                                ":"
                                                                                                "\""
                                                                                                "ar"
                                                                                                "ri"
                                                                                                "ve"
                                                                                                "d"
                                                                                                "\""
                                                                                                ","
                                                                                                "\""
                                                                                                "at"
                                                                                                "\""
                                                                                                ":"
                                                                                                "\""
                                                                                                "20"
                                                                                                "25"
                                                                                                "-1"
                                                                                                "2-"
                                                                                                "20"
                                                                                                "T0"
                                                                                                "9:"
                                                                                                "00"
                                                                                                "Z"
                                                                                                "\""
                                                                                                "}'"
                                                                                                "),"
                                                                                                "(5"
                                                                                                "," T(
                                                                                                    "2026-02-01") ",'transition','{\"event\":\"arrive\",\"from\":\"departed\","
                                                                                                                  "\"to\":\"arrived\",\"at\":\"2026-02-01T09:00Z\"}'),"
                                                                                                                  "(6," T(
                                                                                                                      "2026-06-20") ",'transition','{\"event\":\"arrive\",\"from\":\"departed\","
                                                                                                                                    "\"to\":\"arrived\",\"at\":\"2026-06-20T09:00Z\"}'),"
                                                                                                                                    "(7," T(
                                                                                                                                        "2026-01-05") ",'transition','{\"event\":\"arrive\",\"from\":\"departed\","
                                                                                                                                                      "\"to\":\"arrived\",\"at\":\"2026-01-05T09:00Z\"}')",
    "INSERT INTO plans(pk,id,kind,title,office_pk,status,approved_at,version,created_at,"
    "updated_at) VALUES "
    "(1,'pl1','individual','t',1,'approved'," T("2026-02-20") ",1," T(
        "2026-02-20") ",0),"
                      "(2,'pl2','collective','t',1,'approved'," T("2026-01-10") ",1," T(
                          "2025-12-25") ",0),"
                                        "(3,'pl3','community','t',2,'approved'," T(
                                            "2026-"
                                            "03-15") ",1," T("2026-03-10") ",0),"
                                                                           "(4,'pl4','individual','"
                                                                           "t',1,'"
                                                                           "draft',NULL,1," T(
                                                                               "2026-03-01") ",0),"
                                                                                             "(5,'"
                                                                                             "pl5',"
                                                                                             "'"
                                                                                             "indiv"
                                                                                             "idual"
                                                                                             "','"
                                                                                             "t',1,"
                                                                                             "'"
                                                                                             "appro"
                                                                                             "ved'"
                                                                                             "," T("2025-11-01") ",1," T(
                                                                                                 "2"
                                                                                                 "0"
                                                                                                 "2"
                                                                                                 "5"
                                                                                                 "-"
                                                                                                 "1"
                                                                                                 "1"
                                                                                                 "-"
                                                                                                 "0"
                                                                                                 "1") ",0),"
                                                                                                      "(6,'"
                                                                                                      "pl6'"
                                                                                                      ",'"
                                                                                                      "indi"
                                                                                                      "vidu"
                                                                                                      "al',"
                                                                                                      "'t',"
                                                                                                      "1,'"
                                                                                                      "canc"
                                                                                                      "elle"
                                                                                                      "d',"
                                                                                                      "NULL"
                                                                                                      ",1"
                                                                                                      "," T(
                                                                                                          "2026-03-05") ",0)",
    "INSERT INTO plan_members VALUES (1,1,1,10000),(2,4,5,5000),(2,5,6,5000),(4,7,8,10000),"
    "(5,4,5,10000),(6,2,3,10000)",
    "INSERT INTO plan_beneficiaries VALUES (3,'female','0-4',10),(3,'male','18-59',7)",
    "INSERT INTO plan_items(pk,id,plan_pk,type,budget_minor,currency,modality,delivery,"
    "budget_line_pk,status,version,created_at,updated_at) VALUES "
    "(1,'i1',1,'business_start_up',100,'USD','cash','direct',1,'in_progress',1,0,"
    "" T(
        "2026-03-01") "),"
                      "(2,'i2',1,'psychosocial_counselling',100,'USD','cash','direct',2,'"
                      "delivered',1,0,"
                      "" T(
                          "2026-05-01") "),"
                                        "(3,'i3',1,'housing',100,'USD','cash','direct',"
                                        "NULL,'cancelled',1,0," T(
                                            "2026-03-01") "),"
                                                          "(4,'i4',2,'vocational_training',"
                                                          "100,'USD','cash','direct',1,'"
                                                          "delivered',1,0,"
                                                          "" T(
                                                              "2026-07-05") "),"
                                                                            "(5,'i5',2,'"
                                                                            "job_placement'"
                                                                            ",100,'EUR','"
                                                                            "cash','direct'"
                                                                            ",3,'in_"
                                                                            "progress',1,0,"
                                                                            "" T(
                                                                                "2026-03-"
                                                                                "01") "),"
                                                                                      "(6,'"
                                                                                      "i6',"
                                                                                      "3,'"
                                                                                      "comm"
                                                                                      "unit"
                                                                                      "y_"
                                                                                      "supp"
                                                                                      "ort'"
                                                                                      ",100"
                                                                                      ",'"
                                                                                      "USD'"
                                                                                      ",'"
                                                                                      "in_"
                                                                                      "kind"
                                                                                      "','"
                                                                                      "dire"
                                                                                      "ct',"
                                                                                      "2,'"
                                                                                      "deli"
                                                                                      "vere"
                                                                                      "d',"
                                                                                      "1,0,"
                                                                                      "" T(
                                                                                          "2026-03-"
                                                                                          "20") "),"
                                                                                                "(7"
                                                                                                ",'"
                                                                                                "i7"
                                                                                                "',"
                                                                                                "3,"
                                                                                                "'e"
                                                                                                "du"
                                                                                                "ca"
                                                                                                "ti"
                                                                                                "on"
                                                                                                "',"
                                                                                                "10"
                                                                                                "0,"
                                                                                                "'U"
                                                                                                "SD"
                                                                                                "',"
                                                                                                "'i"
                                                                                                "n_"
                                                                                                "ki"
                                                                                                "nd"
                                                                                                "',"
                                                                                                "'d"
                                                                                                "ir"
                                                                                                "ec"
                                                                                                "t'"
                                                                                                ",1"
                                                                                                ",'"
                                                                                                "ap"
                                                                                                "pr"
                                                                                                "ov"
                                                                                                "ed"
                                                                                                "',"
                                                                                                "1,"
                                                                                                "0"
                                                                                                "," T(
                                                                                                    "2026-03-15") "),"
                                                                                                                  "(8,'i8',4,'medical_care',100,'USD','cash','referral',NULL,'planned',1,0,"
                                                                                                                  "" T(
                                                                                                                      "2026-03-01") "),"
                                                                                                                                    "(9,'i9',5,'legal_help',100,'USD','cash','direct',1,'delivered',1,0," T(
                                                                                                                                        "2026-02-02") ")",
    "INSERT INTO activities(pk,id,kind,title,held_on,office_pk,country,project_pk,version,"
    "created_at,updated_at) VALUES "
    "(1,'ac1','psychosocial_group','t','2026-04-10',1,'MLI',1,1,0,0),"
    "(2,'ac2','training','t','2026-05-05',2,'MLI',1,1,0,0),"
    "(3,'ac3','workshop','t','2026-08-01',1,'MLI',1,1,0,0),"
    "(4,'ac4','awareness','t','2026-03-01',1,'MLI',2,1,0,0)",
    "INSERT INTO activity_participants VALUES (1,1),(1,3),(2,7),(3,2),(4,4)",
    "INSERT INTO activity_counts VALUES (1,'female','18-59',4),(1,'male','60+',2),"
    "(2,'male','12-17',3),(3,'female','0-4',9),(4,'male','18-59',11)",
    "INSERT INTO "
    "survey_responses(id,case_pk,person_pk,instrument_code,round,answered_on,answers,"
    "economic_bp,social_bp,psychosocial_bp,composite_bp,created_at) VALUES "
    "('s1',1,1,'rss','baseline','2026-02-15','{}',4000,5000,6000,5000,0),"
    "('s2',1,2,'rss','baseline','2026-02-15','{}',5000,6000,7001,6000,0),"
    "('s3',2,3,'rss','baseline','2026-03-02','{}',3000,NULL,2000,NULL,0),"
    "('s4',1,1,'rss','follow_up','2026-05-15','{}',7000,7000,7000,7000,0),"
    "('s5',5,6,'rss','follow_up','2026-05-15','{}',1,1,1,1,0),"
    "('s6',7,8,'rss','follow_up','2026-07-15','{}',1,1,1,1,0)",
    "INSERT INTO needs_assessments(pk,id,case_pk,person_pk,assessed_on,choice,version,"
    "created_at,updated_at) VALUES (1,'n1',1,1,'2026-02-12','proposed_option',1,0,0),"
    "(2,'n2',1,1,'2026-02-18','own_project',1,0,0),(3,'n3',1,2,'2026-02-12','referral',1,0,"
    "0),"
    "(4,'n4',2,3,'2026-03-05','own_project',1,0,0),"
    "(5,'n5',7,8,'2026-08-01','proposed_option',1,0,0),"
    "(6,'n6',5,6,'2026-03-01','own_project',1,0,0)",
    NULL};

static json_t *figures(tmpdb_t *t, const char *offices)
{
    for (int i = 0; DATASET[i]; i++)
        if (tmpdb_exec(t, DATASET[i]) != SQLITE_OK)
            fail_msg("dataset statement %d failed", i);
    store_rr_query_t q = {1, "Mali PSS", "2026-01-01", "2026-06-30", "2026-07-15", offices};
    json_t *f = store_rr_figures(tmpdb_reader(t), &q);
    assert_non_null(f);
    return f;
}

/* The value at a path of members and array indexes ("a.b.0.c"). */
static json_int_t at(const json_t *o, const char *path)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *save = NULL, *k = strtok_r(buf, ".", &save); k; k = strtok_r(NULL, ".", &save))
        o = (*k >= '0' && *k <= '9') ? json_array_get(o, (size_t)strtol(k, NULL, 10))
                                     : json_object_get(o, k);
    if (!json_is_integer(o))
        fail_msg("%s is not an integer", path);
    return json_integer_value(o);
}

/* cells as "sex age=count ..." for comparing with the hand count. */
static void cells(const json_t *f, const char *path, const char *want)
{
    const json_t *o = f;
    char buf[128], got[512] = "";
    snprintf(buf, sizeof buf, "%s", path);
    for (char *save = NULL, *k = strtok_r(buf, ".", &save); k; k = strtok_r(NULL, ".", &save))
        o = json_object_get(o, k);
    size_t i, n = 0;
    json_t *c;
    json_array_foreach(o, i, c)
    {
        int w = snprintf(got + n, sizeof got - n, "%s%s %s=%lld", i ? " " : "",
                         json_string_value(json_object_get(c, "sex")),
                         json_string_value(json_object_get(c, "age_group")),
                         (long long)json_integer_value(json_object_get(c, "count")));
        n += w > 0 ? (size_t)w : 0;
    }
    if (strcmp(got, want) != 0)
        fail_msg("%s: got \"%s\", counted by hand \"%s\"", path, got, want);
}

static void test_whole_project(void **state)
{
    json_t *f = figures(*state, NULL);
    /* returns: cases 1, 2, 3, 6, 7 (4 arrived before the period, 5 is
     * another project's) */
    assert_int_equal(at(f, "returns.cases"), 5);
    assert_int_equal(at(f, "returns.persons"), 6);
    cells(f, "returns.by_sex_age",
          "female 12-17=1 female 18-59=1 female unknown=1 male 5-11=1 male 18-59=1 male 60+=1");
    /* late: case 7 (plan 48 days after); without: case 2 (its plan was
     * cancelled); case 3 is closed, case 6's deadline is after today */
    assert_int_equal(at(f, "plans_overdue.late"), 1);
    assert_int_equal(at(f, "plans_overdue.without_plan"), 1);
    assert_int_equal(at(f, "plans_overdue.total"), 2);
    /* started: i1 i4 (economic) i7 (social) i2 i6 (psychosocial);
     * completed: i9 (social) i2 i6 (psychosocial) */
    assert_int_equal(at(f, "assistance.by_dimension.0.started"), 2);
    assert_int_equal(at(f, "assistance.by_dimension.0.completed"), 0);
    assert_int_equal(at(f, "assistance.by_dimension.1.started"), 1);
    assert_int_equal(at(f, "assistance.by_dimension.1.completed"), 1);
    assert_int_equal(at(f, "assistance.by_dimension.2.started"), 2);
    assert_int_equal(at(f, "assistance.by_dimension.2.completed"), 2);
    /* individual: i1 i2 / i2 i9; collective: i4 / -; community: i6 i7 / i6 */
    assert_int_equal(at(f, "assistance.by_plan_kind.0.started"), 2);
    assert_int_equal(at(f, "assistance.by_plan_kind.0.completed"), 2);
    assert_int_equal(at(f, "assistance.by_plan_kind.1.started"), 1);
    assert_int_equal(at(f, "assistance.by_plan_kind.1.completed"), 0);
    assert_int_equal(at(f, "assistance.by_plan_kind.2.started"), 2);
    assert_int_equal(at(f, "assistance.by_plan_kind.2.completed"), 1);
    assert_int_equal(at(f, "assistance.total.started"), 5);
    assert_int_equal(at(f, "assistance.total.completed"), 3);
    /* plans approved in the period: 1 (P1), 2 (P5, P6), 3 (community);
     * activities held: 1 (P1, P3 + counts), 2 (P7 + counts) */
    cells(f, "beneficiaries.returnees_in_plans", "female 18-59=2 male 18-59=1");
    cells(f, "beneficiaries.community", "female 0-4=10 male 18-59=7");
    cells(f, "beneficiaries.activity_participants", "female 18-59=1 male 18-59=1 male 60+=1");
    cells(f, "beneficiaries.activity_others", "female 18-59=4 male 12-17=3 male 60+=2");
    /* P1 once; P1 P6, P5 P7, P3 linked + counted */
    cells(f, "beneficiaries.total",
          "female 0-4=10 female 18-59=6 male 12-17=3 male 18-59=9 male 60+=3");
    assert_int_equal(at(f, "beneficiaries.activities_held"), 2);
    /* budget: line 1.1 with its totals, 2.1 without any yet */
    assert_int_equal(at(f, "budget.lines.0.budget_minor"), 100000);
    assert_int_equal(at(f, "budget.lines.0.committed_minor"), 40000);
    assert_int_equal(at(f, "budget.lines.0.disbursed_minor"), 10000);
    assert_int_equal(at(f, "budget.lines.0.remaining_minor"), 60000);
    assert_int_equal(at(f, "budget.lines.0.utilisation_bp"), 1000);
    assert_int_equal(at(f, "budget.lines.1.remaining_minor"), 50000);
    assert_int_equal(at(f, "budget.lines.1.utilisation_bp"), 0);
    assert_null(json_array_get(json_object_get(json_object_get(f, "budget"), "lines"), 2));
    assert_int_equal(at(f, "budget.total.budget_minor"), 150000);
    assert_int_equal(at(f, "budget.total.remaining_minor"), 110000);
    assert_int_equal(at(f, "budget.total.utilisation_bp"), 667); /* 666.67 */
    /* baseline s1 s2 s3: economic 12000/3, social 11000/2, psychosocial
     * 15001/3 = 5000.3; follow-up s4 only */
    assert_int_equal(at(f, "sustainability.baseline.responses"), 3);
    assert_int_equal(at(f, "sustainability.baseline.economic_bp"), 4000);
    assert_int_equal(at(f, "sustainability.baseline.social_bp"), 5500);
    assert_int_equal(at(f, "sustainability.baseline.psychosocial_bp"), 5000);
    assert_int_equal(at(f, "sustainability.baseline.composite_bp"), 5500);
    assert_int_equal(at(f, "sustainability.follow_up.responses"), 1);
    assert_int_equal(at(f, "sustainability.follow_up.composite_bp"), 7000);
    /* P1's latest (own project), P2 referral, P3 own project */
    assert_int_equal(at(f, "choice.assessed"), 3);
    assert_int_equal(at(f, "choice.own_project"), 2);
    assert_int_equal(at(f, "choice.proposed_option"), 0);
    assert_int_equal(at(f, "choice.referral"), 1);
    assert_int_equal(at(f, "choice.own_project_share_bp"), 6667);
    json_decref(f);
}

static void test_one_office(void **state)
{
    /* Bamako: case 1 by its receiving office; not case 6 (Cairo) nor
     * plan 3 or activity 2 (Cairo's) */
    json_t *f = figures(*state, "[1]");
    assert_int_equal(at(f, "returns.cases"), 4);
    assert_int_equal(at(f, "returns.persons"), 5);
    assert_int_equal(at(f, "assistance.total.started"), 3);
    assert_int_equal(at(f, "assistance.total.completed"), 2);
    cells(f, "beneficiaries.total", "female 18-59=6 male 18-59=1 male 60+=3");
    assert_int_equal(at(f, "beneficiaries.activities_held"), 1);
    assert_int_equal(at(f, "budget.total.budget_minor"), 150000);
    assert_int_equal(at(f, "sustainability.baseline.responses"), 3);
    assert_int_equal(at(f, "choice.assessed"), 3);
    json_decref(f);
}

static void test_project_found_by_id_or_code(void **state)
{
    tmpdb_t *t = *state;
    json_decref(figures(t, NULL));
    json_t *p = NULL;
    int64_t pk = 0;
    assert_int_equal(store_rr_project(tmpdb_reader(t), "ML-PSS", &p, &pk), STORE_OK);
    assert_int_equal(pk, 1);
    assert_string_equal(json_string_value(json_object_get(p, "currency")), "USD");
    json_decref(p);
    assert_int_equal(store_rr_project(tmpdb_reader(t), "p-2", &p, &pk), STORE_OK);
    assert_int_equal(pk, 2);
    json_decref(p);
    assert_int_equal(store_rr_project(tmpdb_reader(t), "nope", &p, &pk), STORE_NOTFOUND);
    assert_null(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_whole_project, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_one_office, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_project_found_by_id_or_code, tmpdb_setup,
                                        tmpdb_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
