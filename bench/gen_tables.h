/*
 * gen_tables.h — place, language and office tables for the data generator
 * (gen.c, gen_households.c).
 *
 * The names come from the demo dataset (data/demo/names.json, read by
 * gen_names.c): each nationality here names the pools it draws from —
 * Sudanese, Egyptian and Syrian names in Arabic script with the usual Latin
 * spellings (Mohamed / Muhammad / Mohammed), Ethiopian and Eritrean names
 * (father's given name as second name), Malian, Guinean, Burkinabe,
 * Nigerien and Nigerian names (given name plus family name, with French
 * accents: Traoré, Keïta, Ouédraogo). Each nationality also carries its
 * admin areas (with P-code-like codes), language sets, phone prefix and
 * passport number pattern. Everything here is static data;
 * gen_households.c owns the logic. Only gen.h includes this header, for
 * the files of the generator.
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
    const char *name;
    const char *pcode;
} area_t;

typedef struct {
    const char *alpha3;
    enum name_style style;
    int arabic_pct; /* households whose names are written in Arabic script */
    const char *pools[3][5]; /* male, female, family: pools of names.json */
    const char *phone_prefix[3]; /* country code + mobile prefixes */
    int phone_digits;            /* digits after the prefix */
    const char *pp_prefix;       /* passport number letters */
    int pp_digits;
    const char *langs[4];        /* JSON arrays */
    area_t areas[10];
    int nareas;
} nationality_t;

enum { NAT_SDN, NAT_EGY, NAT_SYR, NAT_ETH, NAT_ERI, NAT_MLI, NAT_GIN, NAT_BFA, NAT_NER, NAT_NGA,
       NAT_COUNT };

static const nationality_t NATS[NAT_COUNT] = {
    [NAT_SDN] = {"SDN", STYLE_SUDAN, 85, {{"SDN.male", "EGY.male", "AR.male"}, {"SDN.female", "EGY.female", "AR.female"}, {"EGY.family", "AR.family"}},
                 {"+2499", "+2491", "+2499"}, 8, "P", 8,
                 {"[\"ar\"]", "[\"ar\",\"en\"]", "[\"ar\"]", "[\"ar\",\"fvr\"]"},
                 {{"Khartoum", "SD01"}, {"North Darfur", "SD02"}, {"South Darfur", "SD03"},
                  {"West Darfur", "SD04"}, {"Kassala", "SD11"}, {"Gedaref", "SD12"},
                  {"Aj Jazirah", "SD15"}, {"River Nile", "SD05"}, {"White Nile", "SD08"},
                  {"North Kordofan", "SD09"}},
                 10},
    [NAT_EGY] = {"EGY", STYLE_ARAB, 80, {{"SDN.male", "EGY.male", "AR.male"}, {"SDN.female", "EGY.female", "AR.female"}, {"EGY.family", "AR.family"}},
                 {"+2010", "+2011", "+2012"}, 8, "A", 8,
                 {"[\"ar\"]", "[\"ar\",\"en\"]", "[\"ar\"]", "[\"ar\",\"it\"]"},
                 {{"Cairo", "EG01"}, {"Alexandria", "EG02"}, {"Giza", "EG21"},
                  {"Sharqia", "EG13"}, {"Dakahlia", "EG12"}, {"Asyut", "EG25"},
                  {"Sohag", "EG26"}, {"Minya", "EG24"}, {"Fayoum", "EG23"},
                  {"Beheira", "EG18"}},
                 10},
    [NAT_SYR] = {"SYR", STYLE_ARAB, 85, {{"SDN.male", "EGY.male", "AR.male"}, {"SDN.female", "EGY.female", "AR.female"}, {"EGY.family", "AR.family"}},
                 {"+9639", "+9639", "+9639"}, 8, "N", 9,
                 {"[\"ar\"]", "[\"ar\",\"ku\"]", "[\"ar\",\"en\"]", "[\"ar\"]"},
                 {{"Damascus", "SY01"}, {"Rural Damascus", "SY03"}, {"Aleppo", "SY02"},
                  {"Homs", "SY04"}, {"Hama", "SY05"}, {"Idleb", "SY07"}, {"Dar'a", "SY12"},
                  {"Deir-ez-Zor", "SY09"}, {"Lattakia", "SY06"}, {"Al-Hasakeh", "SY08"}},
                 10},
    [NAT_ETH] = {"ETH", STYLE_PATRO, 0, {{"ETH-am.male", "ETH-om.male", "ETH.more.male"}, {"ETH-am.female", "ETH-om.female", "ETH.more.female"}, {"ETH-am.male"}}, {"+2519", "+2517", "+2519"}, 8, "EP", 7,
                 {"[\"am\"]", "[\"am\",\"en\"]", "[\"om\",\"am\"]", "[\"ti\",\"am\"]"},
                 {{"Addis Ababa", "ET14"}, {"Oromia", "ET04"}, {"Amhara", "ET03"},
                  {"Tigray", "ET01"}, {"Sidama", "ET16"}, {"Somali", "ET05"},
                  {"Dire Dawa", "ET15"}, {"Harari", "ET13"}},
                 8},
    [NAT_ERI] = {"ERI", STYLE_PATRO, 0, {{"ERI-ti.male", "ERI-ar.male", "ERI.more.male"}, {"ERI-ti.female", "ERI-ar.female", "ERI.more.female"}, {"ERI-ti.male"}}, {"+2917", "+2917", "+2911"}, 6, "P", 7,
                 {"[\"ti\"]", "[\"ti\",\"ar\"]", "[\"ti\",\"en\"]", "[\"tig\",\"ar\"]"},
                 {{"Maekel", "ER01"}, {"Anseba", "ER02"}, {"Debub", "ER03"},
                  {"Gash-Barka", "ER04"}, {"Northern Red Sea", "ER05"},
                  {"Southern Red Sea", "ER06"}},
                 6},
    [NAT_MLI] = {"MLI", STYLE_FAMILY, 0, {{"MLI.male", "MLI.more.male"}, {"MLI.female", "MLI.more.female"}, {"MLI.family", "MLI.more.family"}}, {"+2237", "+2236", "+2239"}, 7, "AA", 7,
                 {"[\"bm\",\"fr\"]", "[\"bm\"]", "[\"ff\",\"bm\"]", "[\"snk\",\"fr\"]"},
                 {{"Bamako", "ML09"}, {"Kayes", "ML01"}, {"Koulikoro", "ML02"},
                  {"Sikasso", "ML03"}, {"Ségou", "ML04"}, {"Mopti", "ML05"},
                  {"Tombouctou", "ML06"}, {"Gao", "ML07"}, {"Kita", "ML10"}},
                 9},
    [NAT_GIN] = {"GIN", STYLE_FAMILY, 0, {{"GIN.male", "GIN.more.male"}, {"GIN.female", "GIN.more.female"}, {"GIN.family", "GIN.more.family"}}, {"+2246", "+2246", "+2246"}, 8, "R", 7,
                 {"[\"ff\",\"fr\"]", "[\"sus\",\"fr\"]", "[\"man\",\"fr\"]", "[\"ff\"]"},
                 {{"Conakry", "GN1"}, {"Boké", "GN2"}, {"Faranah", "GN3"}, {"Kankan", "GN4"},
                  {"Kindia", "GN5"}, {"Labé", "GN6"}, {"Mamou", "GN7"}, {"Nzérékoré", "GN8"}},
                 8},
    [NAT_BFA] = {"BFA", STYLE_FAMILY, 0, {{"BFA.male", "BFA.more.male"}, {"BFA.female", "BFA.more.female"}, {"BFA.family", "BFA.more.family"}}, {"+2267", "+2266", "+2265"}, 7, "B", 7,
                 {"[\"mos\",\"fr\"]", "[\"dyu\",\"fr\"]", "[\"mos\"]", "[\"ff\",\"fr\"]"},
                 {{"Centre", "BF13"}, {"Hauts-Bassins", "BF09"}, {"Boucle du Mouhoun", "BF01"},
                  {"Centre-Nord", "BF05"}, {"Nord", "BF11"}, {"Sahel", "BF12"},
                  {"Est", "BF08"}, {"Cascades", "BF02"}},
                 8},
    [NAT_NER] = {"NER", STYLE_FAMILY, 0, {{"NER.male"}, {"NER.female"}, {"NER.family"}}, {"+2279", "+2278", "+2279"}, 7, "10PC", 5,
                 {"[\"ha\",\"fr\"]", "[\"dje\",\"fr\"]", "[\"ha\"]", "[\"taq\",\"ha\"]"},
                 {{"Niamey", "NE008"}, {"Agadez", "NE001"}, {"Diffa", "NE002"},
                  {"Dosso", "NE003"}, {"Maradi", "NE004"}, {"Tahoua", "NE005"},
                  {"Tillabéri", "NE006"}, {"Zinder", "NE007"}},
                 8},
    [NAT_NGA] = {"NGA", STYLE_FAMILY, 0, {{"NGA.male", "NGA.more.male"}, {"NGA.female", "NGA.more.female"}, {"NGA.family", "NGA.more.family"}}, {"+23480", "+23470", "+23481"}, 8, "A", 8,
                 {"[\"en\",\"ha\"]", "[\"yo\",\"en\"]", "[\"ig\",\"en\"]", "[\"en\"]"},
                 {{"Lagos", "NG025"}, {"Kano", "NG020"}, {"Edo", "NG012"}, {"Delta", "NG010"},
                  {"Federal Capital Territory", "NG015"}, {"Kaduna", "NG019"},
                  {"Borno", "NG008"}, {"Oyo", "NG031"}},
                 8},
};

/* Offices the generator creates when absent, and who they register. */
typedef struct {
    const char *code, *name, *country, *location;
    int weight;                  /* share of cases, per mille */
    int nat_weight[NAT_COUNT];   /* nationality mix of its cases */
} office_def_t;

static const office_def_t OFFICES[] = {
    {"EG-CAI", "Cairo", "EGY", "Cairo, Egypt", 500, {40, 12, 16, 16, 12, 0, 0, 0, 0, 4}},
    {"DZ-TAM", "Tamanrasset", "DZA", "Tamanrasset, Algeria", 220, {5, 0, 0, 0, 0, 40, 20, 15, 15, 5}},
    {"DZ-ALG", "Algiers", "DZA", "Algiers, Algeria", 100, {10, 0, 10, 0, 0, 25, 25, 10, 10, 10}},
    {"ML-BKO", "Bamako", "MLI", "Bamako, Mali", 120, {0, 0, 0, 0, 0, 100, 0, 0, 0, 0}},
    {"ML-KYS", "Kayes", "MLI", "Kayes, Mali", 60, {0, 0, 0, 0, 0, 100, 0, 0, 0, 0}},
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
