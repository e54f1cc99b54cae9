/*
 * gen_tables.h — what bench/gen (gen.c, gen_households.c) keeps of its own:
 * what the demo dataset (data/demo/) does not hold.
 *
 * The tables themselves are the demo's: names from data/demo/names.json
 * (gen_names.c), areas of return with their P-codes from places.json,
 * offices from offices.json, language sets and passport patterns from the
 * profiles of households.json (gen_demo.c). Here each nationality names
 * what it takes from them — its name pools, its destination list, its
 * profiles — and carries what data/demo lacks: how names are composed
 * (Sudanese given + father + grandfather, Ethiopian and Eritrean
 * patronymics, West African given + family name with French accents), the
 * share written in Arabic script, the phone prefixes, and for Syria and
 * Niger (no profile in households.json) the language sets and passport
 * pattern. Each office names its entry of offices.json and carries its
 * share of the cases and their nationality mix; then the projects and
 * notes cases carry. Everything here is static data; gen_households.c owns
 * the logic. Only gen.h and gen_demo.h include this header.
 */
#ifndef AWDA_BENCH_GEN_TABLES_H
#define AWDA_BENCH_GEN_TABLES_H

#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* How a nationality composes names. */
enum name_style {
    STYLE_SUDAN,   /* given + father + grandfather, Arabic pools */
    STYLE_ARAB,    /* given + father + family, Arabic pools (Egypt, Syria) */
    STYLE_PATRO,   /* given + father's given (Ethiopia, Eritrea) */
    STYLE_FAMILY,  /* given + family name (West Africa) */
};

typedef struct {
    const char *alpha3;
    enum name_style style;
    int arabic_pct; /* households whose names are written in Arabic script */
    const char *pools[3][5]; /* male, female, family: pools of names.json */
    const char *dests;       /* its destination list in places.json */
    const char *profiles[3]; /* profiles of households.json: their language
                              * sets, and the first one's passport */
    const char *phone_prefix[3]; /* country code + mobile prefixes */
    int phone_digits;            /* digits after the prefix */
    /* Only without a profile (data/demo has none for it): */
    const char *pp_prefix; /* passport number letters */
    int pp_digits;
    const char *langs[4]; /* JSON arrays */
} nationality_t;

enum { NAT_SDN, NAT_EGY, NAT_SYR, NAT_ETH, NAT_ERI, NAT_MLI, NAT_GIN, NAT_BFA, NAT_NER, NAT_NGA,
       NAT_COUNT };

static const nationality_t NATS[NAT_COUNT] = {
    [NAT_SDN] = {"SDN", STYLE_SUDAN, 85,
                 .pools = {{"SDN.male", "EGY.male", "AR.male"},
                           {"SDN.female", "EGY.female", "AR.female"},
                           {"EGY.family", "AR.family"}},
                 .dests = "SDN", .profiles = {"SDN"},
                 .phone_prefix = {"+2499", "+2491", "+2499"}, .phone_digits = 8},
    [NAT_EGY] = {"EGY", STYLE_ARAB, 80,
                 .pools = {{"SDN.male", "EGY.male", "AR.male"},
                           {"SDN.female", "EGY.female", "AR.female"},
                           {"EGY.family", "AR.family"}},
                 .dests = "EGY", .profiles = {"EGY"},
                 .phone_prefix = {"+2010", "+2011", "+2012"}, .phone_digits = 8},
    [NAT_SYR] = {"SYR", STYLE_ARAB, 85,
                 .pools = {{"SDN.male", "EGY.male", "AR.male"},
                           {"SDN.female", "EGY.female", "AR.female"},
                           {"EGY.family", "AR.family"}},
                 .dests = "SYR", .phone_prefix = {"+9639", "+9639", "+9639"}, .phone_digits = 8,
                 .pp_prefix = "N", .pp_digits = 9,
                 .langs = {"[\"ar\"]", "[\"ar\",\"ku\"]", "[\"ar\",\"en\"]", "[\"ar\"]"}},
    [NAT_ETH] = {"ETH", STYLE_PATRO, 0,
                 .pools = {{"ETH-am.male", "ETH-om.male", "ETH.more.male"},
                           {"ETH-am.female", "ETH-om.female", "ETH.more.female"},
                           {"ETH-am.male"}},
                 .dests = "ETH", .profiles = {"ETH-am", "ETH-om"},
                 .phone_prefix = {"+2519", "+2517", "+2519"}, .phone_digits = 8},
    [NAT_ERI] = {"ERI", STYLE_PATRO, 0,
                 .pools = {{"ERI-ti.male", "ERI-ar.male", "ERI.more.male"},
                           {"ERI-ti.female", "ERI-ar.female", "ERI.more.female"},
                           {"ERI-ti.male"}},
                 .dests = "ERI", .profiles = {"ERI-ti", "ERI-ar"},
                 .phone_prefix = {"+2917", "+2917", "+2911"}, .phone_digits = 6},
    [NAT_MLI] = {"MLI", STYLE_FAMILY, 0,
                 .pools = {{"MLI.male", "MLI.more.male"},
                           {"MLI.female", "MLI.more.female"},
                           {"MLI.family", "MLI.more.family"}},
                 .dests = "MLI", .profiles = {"MLI"},
                 .phone_prefix = {"+2237", "+2236", "+2239"}, .phone_digits = 7},
    [NAT_GIN] = {"GIN", STYLE_FAMILY, 0,
                 .pools = {{"GIN.male", "GIN.more.male"},
                           {"GIN.female", "GIN.more.female"},
                           {"GIN.family", "GIN.more.family"}},
                 .dests = "GIN", .profiles = {"GIN"},
                 .phone_prefix = {"+2246", "+2246", "+2246"}, .phone_digits = 8},
    [NAT_BFA] = {"BFA", STYLE_FAMILY, 0,
                 .pools = {{"BFA.male", "BFA.more.male"},
                           {"BFA.female", "BFA.more.female"},
                           {"BFA.family", "BFA.more.family"}},
                 .dests = "BFA", .profiles = {"BFA"},
                 .phone_prefix = {"+2267", "+2266", "+2265"}, .phone_digits = 7},
    [NAT_NER] = {"NER", STYLE_FAMILY, 0,
                 .pools = {{"NER.male"}, {"NER.female"}, {"NER.family"}},
                 .dests = "NER", .phone_prefix = {"+2279", "+2278", "+2279"}, .phone_digits = 7,
                 .pp_prefix = "10PC", .pp_digits = 5,
                 .langs = {"[\"ha\",\"fr\"]", "[\"dje\",\"fr\"]", "[\"ha\"]",
                           "[\"taq\",\"ha\"]"}},
    [NAT_NGA] = {"NGA", STYLE_FAMILY, 0,
                 .pools = {{"NGA.male", "NGA.more.male"},
                           {"NGA.female", "NGA.more.female"},
                           {"NGA.family", "NGA.more.family"}},
                 .dests = "NGA", .profiles = {"NGA"},
                 .phone_prefix = {"+23480", "+23470", "+23481"}, .phone_digits = 8},
};

/* Offices the generator creates when absent (as offices.json describes
 * them), and who they register. */
typedef struct {
    const char *code;          /* its entry in offices.json */
    int weight;                /* share of cases, per mille */
    int nat_weight[NAT_COUNT]; /* nationality mix of its cases */
} office_def_t;

static const office_def_t OFFICES[] = {
    {"EG-CAI", 500, {40, 12, 16, 16, 12, 0, 0, 0, 0, 4}},
    {"DZ-TAM", 220, {5, 0, 0, 0, 0, 40, 20, 15, 15, 5}},
    {"DZ-ALG", 100, {10, 0, 10, 0, 0, 25, 25, 10, 10, 10}},
    {"ML-BKO", 120, {0, 0, 0, 0, 0, 100, 0, 0, 0, 0}},
    {"ML-KYS", 60, {0, 0, 0, 0, 0, 100, 0, 0, 0, 0}},
};
#define N_OFFICES N_OF(OFFICES)

static const char *const PROJECTS[] = {
    "EU-IOM Joint Initiative - North Africa",
    "EU-IOM Joint Initiative - Sahel and Lake Chad",
    "EU-IOM Joint Initiative - Horn of Africa",
    "Mali psychosocial support",
    "AVRR Egypt",
};

static const char *const NOTES[] = {
    "Walk-in at the office; wishes to return before the rainy season.",
    "Referred by partner NGO; needs a medical assessment before travel.",
    "Passport lost; an emergency travel document will be requested from the consulate.",
    "Travels with young children; airport assistance needed at departure and arrival.",
    "Stranded after the border closure; family in the home village has been informed.",
    "Counselling in Arabic with an interpreter; confirms the wish to return.",
    "Arrived from Libya; wants to open a small shop on return.",
    "Asks for vocational training in tailoring after return.",
};

#endif
