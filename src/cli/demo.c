/*
 * demo.c — the demo dataset: offices, staff and about 120 cases.
 *
 * What it is for: a fresh installation that shows the system with work in
 * it — the caseloads the design's source documents describe:
 *
 *   EG-CAI  migrants in Egypt returning to Sudan, Ethiopia, Eritrea, South
 *           Sudan, Nigeria and Somalia; and Egyptians coming home from Italy,
 *           Greece, Germany... (received in Cairo, origin and destination EGY);
 *   DZ-TAM  migrants stranded in Tamanrasset returning to Mali, Guinea and
 *           Burkina Faso (the charter via Algiers to Bamako); DZ-ALG a few
 *           in Algiers;
 *   ML-BKO, ML-KYS  returnees registered in Mali for reintegration and the
 *           psychosocial project (Bamako, Kita, Kayes).
 *
 * How it works: every record goes through the application layer as the
 * system actor (app_office_create, app_user_create, app_case_create), so
 * every field rule and cross-field rule applies exactly as for the API; the
 * first failure stops the load and is printed with each field error.
 *
 * The cases are generated, not listed: a table of rows (office, nationality
 * profile, how many cases, how many unaccompanied children, household mix,
 * stories) drives a small xorshift64* generator with a fixed seed, so the
 * same cases come out on every run. A profile holds what belongs to a
 * nationality: names as written and in Latin letters, whether names are
 * patronymic (Sudan, Egypt, Horn of Africa: child = own name + father's
 * names) or family names (West Africa), languages, document formats and
 * destinations with P-codes where they are well established (Mali, Sudan,
 * Ethiopia). Households are singles (most), couples, parents with children,
 * single parents and groups of siblings; minors travelling with a sibling
 * are flagged separated children. Dates of birth are counted back from
 * today so that adults stay 18-70 and children stay children.
 *
 * User passwords come from libsodium (randombytes_buf, rejection sampling
 * over an alphabet without look-alike characters) and are printed once.
 *
 * The return journey: after registration, two restrictions are recorded
 * (return to Kidal, Mali, needs a programme manager's approval; return to
 * North Darfur, Sudan, is suspended and its review is overdue) and part of
 * the cases is walked forward as the staff would: the records are made
 * (counselling covering the four topics, a consent per member - a guardian's
 * with the child's views for children -, eligibility, planned departure,
 * travel documents from the consulates, government procedures, health
 * assessments and escorts, guardians, best-interests assessments and
 * determinations, family assessments by the offices in Mali, protection
 * officers and risk assessments for survivors of trafficking) and the steps
 * are taken with app_case_transition, so every guard applies; nothing is
 * written around them. A few showcases are chosen by hand (an unaccompanied
 * child walked to ready, the cases to Kidal and North Darfur, which must be
 * blocked by their restriction and nothing else); the others get a stage by
 * quota over a fixed shuffle, within what is realistic for them (returns to
 * Eritrea stop at counselling; a child without an adult needs an office in
 * the country of return for the family assessment). People already home
 * (Egyptians received in Cairo, returnees registered in Mali) stay
 * registered. The first step that fails stops the load and prints every
 * unmet requirement. Dates are counted from today: sessions in the past
 * weeks, departures one to four weeks ahead; everything else is fixed.
 *
 * A whole return to walk: two households are registered last and left
 * there (Cairo -> Khartoum, Tamanrasset -> Bamako), with the office in
 * Khartoum and the users their steps need; see "a whole return to walk"
 * below and the README.
 */
#include "demo.h"
#include "../core/field.h"
#include "../util/timeutil.h"
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- deterministic generator ------------------------------------------ */

typedef struct {
    uint64_t s;
} rng_t;

static uint64_t rng_next(rng_t *r)
{
    uint64_t x = r->s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    r->s = x;
    return x * 0x2545F4914F6CDD1DULL;
}

/* Uniform enough in [0, n) for a demo (n is small). */
static int rng_below(rng_t *r, int n)
{
    return n <= 1 ? 0 : (int)((rng_next(r) >> 33) % (uint64_t)n);
}

static int rng_range(rng_t *r, int lo, int hi)
{
    return lo + rng_below(r, hi - lo + 1);
}

static int rng_pct(rng_t *r, int pct)
{
    return rng_below(r, 100) < pct;
}

/* Index drawn from weights w[0..n). */
static int rng_weighted(rng_t *r, const int *w, size_t n)
{
    int total = 0;
    for (size_t i = 0; i < n; i++)
        total += w[i];
    int x = rng_below(r, total);
    for (size_t i = 0; i < n; i++) {
        if (x < w[i])
            return (int)i;
        x -= w[i];
    }
    return 0;
}

/* ---- small string helpers --------------------------------------------- */

/* Appends s to the NUL-terminated b of capacity cap, truncating. */
static void sb_add(char *b, size_t cap, const char *s)
{
    size_t n = strlen(b), m = strlen(s);
    if (n + 1 >= cap)
        return;
    if (m > cap - n - 1)
        m = cap - n - 1;
    memcpy(b + n, s, m);
    b[n + m] = '\0';
}

/* Appends n random digits. */
static void sb_digits(char *b, size_t cap, rng_t *r, int n)
{
    char d[2] = {0, 0};
    for (int i = 0; i < n; i++) {
        d[0] = (char)('0' + rng_below(r, 10));
        sb_add(b, cap, d);
    }
}

/* ---- names ------------------------------------------------------------ */

/* A name part as written and in ASCII Latin letters (l NULL: w is already
 * plain ASCII Latin). */
typedef struct {
    const char *w, *l;
} nm_t;

#define LIST(a) a, NELEM(a)

/* Sudan (Sudanese spellings: Omer, Tarig, Yousif). */
static const nm_t SD_M[] = {
    {"محمد", "Mohamed"},    {"أحمد", "Ahmed"},
    {"عثمان", "Osman"},     {"عبد الله", "Abdalla"},
    {"إبراهيم", "Ibrahim"}, {"يوسف", "Yousif"},
    {"حسن", "Hassan"},      {"علي", "Ali"},
    {"عمر", "Omer"},        {"آدم", "Adam"},
    {"موسى", "Musa"},       {"الصادق", "Elsadig"},
    {"مصطفى", "Mustafa"},   {"خالد", "Khalid"},
    {"بابكر", "Babiker"},   {"حامد", "Hamid"},
    {"الفاتح", "Elfatih"},  {"صلاح", "Salah"},
    {"عوض", "Awad"},        {"محجوب", "Mahjoub"},
    {"إدريس", "Idris"},     {"عبد الرحمن", "Abdelrahman"},
    {"الأمين", "Elamin"},   {"هاشم", "Hashim"},
    {"طارق", "Tarig"},      {"معتصم", "Mutasim"},
};
static const nm_t SD_F[] = {
    {"فاطمة", "Fatima"},  {"آمنة", "Amna"},     {"مريم", "Mariam"},  {"عائشة", "Aisha"},
    {"سارة", "Sara"},     {"هبة", "Hiba"},      {"إخلاص", "Ikhlas"}, {"سعاد", "Suad"},
    {"زينب", "Zainab"},   {"رحاب", "Rehab"},    {"أميرة", "Amira"},  {"نفيسة", "Nafisa"},
    {"حواء", "Hawa"},     {"خديجة", "Khadija"}, {"سلمى", "Salma"},   {"ملاذ", "Malaz"},
    {"تسنيم", "Tasneem"}, {"رؤى", "Roaa"},
};
static const nm_t SD_FAM[] = {
    {"الطيب", "Eltayeb"},    {"البشير", "Elbashir"}, {"النور", "Elnour"},
    {"الماحي", "Elmahi"},    {"الزين", "Elzein"},    {"حمدان", "Hamdan"},
    {"دفع الله", "Dafalla"}, {"التوم", "Eltom"},     {"عبد القادر", "Abdelgadir"},
    {"سليمان", "Suliman"},   {"الحسن", "Elhassan"},  {"عبد الرحيم", "Abdelrahim"},
};

/* Egypt (Egyptian spellings: Gamal, Mostafa, Aly). */
static const nm_t EG_M[] = {
    {"محمد", "Mohamed"},
    {"أحمد", "Ahmed"},
    {"محمود", "Mahmoud"},
    {"مصطفى", "Mostafa"},
    {"عبد الرحمن", "Abdelrahman"},
    {"كريم", "Karim"},
    {"إسلام", "Eslam"},
    {"إبراهيم", "Ibrahim"},
    {"هاني", "Hany"},
    {"السيد", "Elsayed"},
    {"جمال", "Gamal"},
    {"حسن", "Hassan"},
    {"علي", "Aly"},
    {"طارق", "Tarek"},
    {"وليد", "Walid"},
    {"أيمن", "Ayman"},
    {"شريف", "Sherif"},
    {"عمرو", "Amr"},
    {"خالد", "Khaled"},
    {"يوسف", "Youssef"},
    {"زياد", "Ziad"},
    {"عبد الله", "Abdallah"},
};
static const nm_t EG_F[] = {
    {"منى", "Mona"},   {"ياسمين", "Yasmin"}, {"هند", "Hend"},    {"نورا", "Noura"},
    {"دعاء", "Doaa"},  {"أسماء", "Asmaa"},   {"رحمة", "Rahma"},  {"إيمان", "Eman"},
    {"سماح", "Samah"}, {"مروة", "Marwa"},    {"فاطمة", "Fatma"}, {"شيماء", "Shaimaa"},
};
static const nm_t EG_FAM[] = {
    {"السيد", "Elsayed"},
    {"عبد العزيز", "Abdelaziz"},
    {"الشناوي", "Elshenawy"},
    {"البحيري", "Elbeheiry"},
    {"منصور", "Mansour"},
    {"سليمان", "Soliman"},
    {"عبد الحميد", "Abdelhamid"},
    {"الدسوقي", "Eldesouky"},
    {"حجازي", "Hegazy"},
    {"رمضان", "Ramadan"},
    {"شحاتة", "Shehata"},
    {"عطية", "Attia"},
    {"النجار", "Elnaggar"},
    {"قنديل", "Kandil"},
    {"فرج", "Farag"},
    {"عبد الفتاح", "Abdelfattah"},
    {"زكي", "Zaky"},
};

/* Eritrea, Tigrinya speakers (Ge'ez script) and Arabic-speaking Muslims. */
static const nm_t ER_TI_M[] = {
    {"ሃብቶም", "Habtom"},    {"ፊልሞን", "Filmon"}, {"ዮናስ", "Yonas"},    {"ተስፋይ", "Tesfay"},
    {"መብራህቱ", "Mebrahtu"}, {"የማነ", "Yemane"},  {"ሓጎስ", "Hagos"},    {"ኪዳነ", "Kidane"},
    {"ብርሃነ", "Berhane"},   {"ዳዊት", "Dawit"},   {"ሚካኤል", "Michael"}, {"ተኽለ", "Tekle"},
};
static const nm_t ER_TI_F[] = {
    {"ሰምሃር", "Semhar"}, {"ሉዋም", "Luwam"},      {"ሰናይት", "Senait"}, {"ሳባ", "Saba"},
    {"ሄለን", "Helen"},   {"ፍረወይኒ", "Freweyni"}, {"ሩታ", "Ruta"},     {"ኤልሳ", "Elsa"},
};
static const nm_t ER_AR_M[] = {
    {"محمد", "Mohammed"}, {"صالح", "Saleh"}, {"إدريس", "Idris"},     {"عثمان", "Osman"},
    {"حامد", "Hamid"},    {"عمر", "Omar"},   {"إبراهيم", "Ibrahim"}, {"آدم", "Adem"},
    {"محمود", "Mahmoud"}, {"نور", "Nur"},
};
static const nm_t ER_AR_F[] = {
    {"أمنة", "Amna"},    {"زهرة", "Zahra"},   {"حليمة", "Halima"},
    {"فاطمة", "Fatuma"}, {"سعدية", "Saadia"}, {"مريم", "Mariam"},
};

/* Ethiopia, Amharic speakers (Ge'ez script) and Oromo speakers (Qubee). */
static const nm_t ET_AM_M[] = {
    {"ዳዊት", "Dawit"}, {"ዮናስ", "Yonas"},     {"ሙሉጌታ", "Mulugeta"}, {"ተስፋዬ", "Tesfaye"},
    {"አበበ", "Abebe"}, {"ከበደ", "Kebede"},    {"ግርማ", "Girma"},     {"በቀለ", "Bekele"},
    {"አለሙ", "Alemu"}, {"ዮሐንስ", "Yohannes"}, {"ሰለሞን", "Solomon"},
};
static const nm_t ET_AM_F[] = {
    {"ሰላም", "Selam"},  {"ሕይወት", "Hiwot"}, {"ትዕግሥት", "Tigist"},   {"መቅደስ", "Mekdes"},
    {"አልማዝ", "Almaz"}, {"ሜሮን", "Meron"},  {"ቤተልሔም", "Betelhem"}, {"ብርቱካን", "Birtukan"},
};
static const nm_t ET_OM_M[] = {
    {"Abdi", NULL},  {"Gemechu", NULL}, {"Lemma", NULL},  {"Tolera", NULL},
    {"Kedir", NULL}, {"Jemal", NULL},   {"Fayisa", NULL}, {"Tadesse", NULL},
};
static const nm_t ET_OM_F[] = {
    {"Chaltu", NULL}, {"Ebise", NULL}, {"Lensa", NULL}, {"Ayantu", NULL}, {"Hawi", NULL},
};

/* South Sudan (Dinka and Equatorian names; patronymic). */
static const nm_t SS_M[] = {
    {"Deng", NULL}, {"Garang", NULL}, {"Majok", NULL}, {"Chol", NULL}, {"Kuol", NULL},
    {"Lual", NULL}, {"Ajak", NULL},   {"Mayen", NULL}, {"Ladu", NULL}, {"Wani", NULL},
};
static const nm_t SS_F[] = {
    {"Nyandeng", NULL}, {"Achol", NULL}, {"Abuk", NULL}, {"Ayen", NULL},
    {"Nyibol", NULL},   {"Akuol", NULL}, {"Poni", NULL}, {"Keji", NULL},
};

/* Somalia (patronymic). */
static const nm_t SO_M[] = {
    {"Abdirahman", NULL}, {"Abdullahi", NULL}, {"Mohamed", NULL}, {"Ahmed", NULL},
    {"Hassan", NULL},     {"Abdikadir", NULL}, {"Yusuf", NULL},   {"Omar", NULL},
};
static const nm_t SO_F[] = {
    {"Hodan", NULL},  {"Fartun", NULL},  {"Ayaan", NULL},  {"Sahra", NULL},
    {"Hibaaq", NULL}, {"Faadumo", NULL}, {"Khadra", NULL}, {"Ubah", NULL},
};
static const nm_t SO_FAM[] = {
    {"Farah", NULL}, {"Warsame", NULL}, {"Hirsi", NULL}, {"Mohamud", NULL}, {"Abdi", NULL},
    {"Jama", NULL},  {"Osman", NULL},   {"Nur", NULL},   {"Aden", NULL},
};

/* Nigeria (family names; many of the women from Edo State). */
static const nm_t NG_M[] = {
    {"Chinedu", NULL}, {"Emeka", NULL}, {"Osas", NULL},  {"Osagie", NULL},
    {"Ibrahim", NULL}, {"Musa", NULL},  {"Tunde", NULL}, {"Segun", NULL},
};
static const nm_t NG_F[] = {
    {"Blessing", NULL}, {"Joy", NULL},   {"Precious", NULL}, {"Gift", NULL},
    {"Esther", NULL},   {"Aisha", NULL}, {"Favour", NULL},   {"Osarugue", NULL},
};
static const nm_t NG_FAM[] = {
    {"Okafor", NULL},  {"Eze", NULL},   {"Igbinedion", NULL}, {"Okoro", NULL},
    {"Adeyemi", NULL}, {"Bello", NULL}, {"Obaseki", NULL},    {"Omoregie", NULL},
};

/* Mali. */
static const nm_t ML_M[] = {
    {"Amadou", NULL},  {"Oumar", NULL},   {"Boubacar", NULL}, {"Moussa", NULL},
    {"Mamadou", NULL}, {"Seydou", NULL},  {"Ibrahim", NULL},  {"Sékou", "Sekou"},
    {"Bakary", NULL},  {"Drissa", NULL},  {"Adama", NULL},    {"Souleymane", NULL},
    {"Modibo", NULL},  {"Lassana", NULL}, {"Siaka", NULL},    {"Youssouf", NULL},
    {"Daouda", NULL},  {"Sinali", NULL},
};
static const nm_t ML_F[] = {
    {"Fatoumata", NULL}, {"Aminata", NULL},      {"Mariam", NULL},       {"Awa", NULL},
    {"Kadiatou", NULL},  {"Oumou", NULL},        {"Assétou", "Assetou"}, {"Hawa", NULL},
    {"Kadidia", NULL},   {"Djénéba", "Djeneba"}, {"Rokia", NULL},        {"Salimata", NULL},
    {"Bintou", NULL},
};
static const nm_t ML_FAM[] = {
    {"Keïta", "Keita"},     {"Traoré", "Traore"},   {"Coulibaly", NULL}, {"Diarra", NULL},
    {"Sidibé", "Sidibe"},   {"Konaté", "Konate"},   {"Touré", "Toure"},  {"Diallo", NULL},
    {"Sangaré", "Sangare"}, {"Doumbia", NULL},      {"Camara", NULL},    {"Kanté", "Kante"},
    {"Sissoko", NULL},      {"Dembélé", "Dembele"}, {"Cissé", "Cisse"},  {"Kanta", NULL},
    {"Bagayoko", NULL},     {"Diakité", "Diakite"}, {"Sacko", NULL},     {"Dramé", "Drame"},
    {"Soumaré", "Soumare"}, {"Tounkara", NULL},
};
/* Malians of the north who write their names in Arabic script. */
static const nm_t ML_AR_M[] = {
    {"محمد", "Mohamed"},    {"أحمد", "Ahmed"}, {"عبد الله", "Abdallah"},
    {"الحسن", "Elhassane"}, {"سيدي", "Sidi"},  {"عمر", "Oumar"},
};
static const nm_t ML_AR_F[] = {
    {"فاطمة", "Fatma"},
    {"عيشة", "Aicha"},
    {"مريم", "Mariem"},
};
static const nm_t ML_AR_FAM[] = {
    {"البوصيري", "El Boussiri"},  {"ولد سيدي", "Ould Sidi"}, {"أغ محمد", "Ag Mohamed"},
    {"ولد الطالب", "Ould Taleb"}, {"الأنصاري", "Ansari"},
};

/* Guinea. */
static const nm_t GN_M[] = {
    {"Mamadou", NULL}, {"Alpha", NULL},  {"Ibrahima", NULL}, {"Thierno", NULL}, {"Abdoulaye", NULL},
    {"Ousmane", NULL}, {"Alseny", NULL}, {"Lansana", NULL},  {"Fodé", "Fode"},  {"Sékou", "Sekou"},
};
static const nm_t GN_F[] = {
    {"Mariama", NULL},  {"Fatoumata", NULL},    {"Kadiatou", NULL}, {"Aïssatou", "Aissatou"},
    {"Djenabou", NULL}, {"M'Balou", "M'Balou"}, {"Saran", NULL},
};
static const nm_t GN_FAM[] = {
    {"Diallo", NULL},   {"Barry", NULL},    {"Bah", NULL},      {"Sow", NULL},
    {"Camara", NULL},   {"Condé", "Conde"}, {"Soumah", NULL},   {"Sylla", NULL},
    {"Kourouma", NULL}, {"Baldé", "Balde"}, {"Keïta", "Keita"},
};

/* Burkina Faso. */
static const nm_t BF_M[] = {
    {"Adama", NULL},        {"Salif", NULL}, {"Boukary", NULL}, {"Ousmane", NULL}, {"Abdoul", NULL},
    {"Rasmané", "Rasmane"}, {"Karim", NULL}, {"Idrissa", NULL}, {"Hamidou", NULL},
};
static const nm_t BF_F[] = {
    {"Mariam", NULL},  {"Awa", NULL},     {"Safiatou", NULL}, {"Rasmata", NULL},
    {"Aminata", NULL}, {"Alimata", NULL}, {"Bibata", NULL},
};
static const nm_t BF_FAM[] = {
    {"Ouédraogo", "Ouedraogo"},
    {"Sawadogo", NULL},
    {"Compaoré", "Compaore"},
    {"Kaboré", "Kabore"},
    {"Zongo", NULL},
    {"Ouattara", NULL},
    {"Sanou", NULL},
    {"Kinda", NULL},
    {"Nikiéma", "Nikiema"},
    {"Tapsoba", NULL},
};

/* ---- destinations ------------------------------------------------------ */

typedef struct {
    const char *area;  /* admin level 1 as case workers write it */
    const char *pcode; /* NULL when not recorded */
    const char *towns[4];
    int weight;
} dest_t;

static const dest_t D_SDN[] = {
    {"Khartoum", "SD01", {"Omdurman", "Khartoum Bahri", "Khartoum", NULL}, 22},
    {"Al Jazirah", "SD15", {"Wad Madani", "Al Managil", NULL, NULL}, 18},
    {"River Nile", "SD16", {"Atbara", "Shendi", "Ad Damar", NULL}, 14},
    {"Northern", "SD17", {"Dongola", "Merowe", NULL, NULL}, 12},
    {"Kassala", "SD11", {"Kassala", NULL, NULL, NULL}, 8},
    {"Red Sea", "SD10", {"Port Sudan", NULL, NULL, NULL}, 8},
    {"White Nile", "SD09", {"Kosti", "Ed Dueim", NULL, NULL}, 8},
    {"North Kordofan", "SD13", {"El Obeid", NULL, NULL, NULL}, 5},
    {"Sennar", "SD14", {"Sennar", "Singa", NULL, NULL}, 5},
};
static const dest_t D_EGY[] = {
    {"Kafr El Sheikh", NULL, {"Kafr El Sheikh", "Motobas", "Desouk", NULL}, 20},
    {"Gharbia", NULL, {"Tanta", "El Mahalla El Kubra", NULL, NULL}, 12},
    {"Sharqia", NULL, {"Zagazig", "Minya El Qamh", NULL, NULL}, 12},
    {"Dakahlia", NULL, {"Mansoura", "Mit Ghamr", NULL, NULL}, 10},
    {"Beheira", NULL, {"Damanhour", "Rashid", NULL, NULL}, 10},
    {"Fayoum", NULL, {"Fayoum", "Tamiya", NULL, NULL}, 10},
    {"Minya", NULL, {"Minya", "Samalut", NULL, NULL}, 8},
    {"Assiut", NULL, {"Assiut", "Dayrout", NULL, NULL}, 8},
    {"Sohag", NULL, {"Sohag", "Tahta", NULL, NULL}, 5},
    {"Menoufia", NULL, {"Shibin El Kom", NULL, NULL, NULL}, 5},
};
/* Egyptian national-ID governorate codes, parallel to D_EGY. */
static const char *const EGY_GOV[] = {"15", "16", "13", "12", "18", "23", "24", "25", "26", "17"};
static const dest_t D_ERI[] = {
    {"Maekel", NULL, {"Asmara", NULL, NULL, NULL}, 35},
    {"Anseba", NULL, {"Keren", NULL, NULL, NULL}, 25},
    {"Gash-Barka", NULL, {"Barentu", "Tesseney", NULL, NULL}, 25},
    {"Debub", NULL, {"Mendefera", NULL, NULL, NULL}, 15},
};
static const dest_t D_ETH[] = {
    {"Addis Ababa", "ET14", {"Addis Ababa", NULL, NULL, NULL}, 35},
    {"Oromia", "ET04", {"Adama", "Jimma", "Shashemene", NULL}, 30},
    {"Amhara", "ET03", {"Bahir Dar", "Dessie", "Gondar", NULL}, 25},
    {"Tigray", "ET01", {"Mekelle", NULL, NULL, NULL}, 10},
};
static const dest_t D_SSD[] = {
    {"Central Equatoria", NULL, {"Juba", NULL, NULL, NULL}, 50},
    {"Western Bahr el Ghazal", NULL, {"Wau", NULL, NULL, NULL}, 25},
    {"Jonglei", NULL, {"Bor", NULL, NULL, NULL}, 25},
};
static const dest_t D_NGA[] = {
    {"Edo", NULL, {"Benin City", NULL, NULL, NULL}, 50},
    {"Lagos", NULL, {"Lagos", NULL, NULL, NULL}, 25},
    {"Kano", NULL, {"Kano", NULL, NULL, NULL}, 25},
};
static const dest_t D_SOM[] = {
    {"Banadir", NULL, {"Mogadishu", NULL, NULL, NULL}, 50},
    {"Woqooyi Galbeed", NULL, {"Hargeisa", NULL, NULL, NULL}, 30},
    {"Bari", NULL, {"Bosaso", NULL, NULL, NULL}, 20},
};
static const dest_t D_MLI[] = {
    {"Kayes", "ML01", {"Kayes", "Kita", "Nioro du Sahel", "Yélimané"}, 35},
    {"Bamako", "ML09", {"Bamako", NULL, NULL, NULL}, 20},
    {"Koulikoro", "ML02", {"Koulikoro", "Kati", "Fana", NULL}, 15},
    {"Sikasso", "ML03", {"Sikasso", "Bougouni", "Koutiala", NULL}, 15},
    {"Ségou", "ML04", {"Ségou", "San", "Niono", NULL}, 15},
};
static const dest_t D_MLI_KAYES[] = {
    {"Kayes", "ML01", {"Kayes", "Kita", "Diéma", "Bafoulabé"}, 1},
};
static const dest_t D_MLI_BKO[] = {
    {"Bamako", "ML09", {"Bamako", NULL, NULL, NULL}, 60},
    {"Koulikoro", "ML02", {"Kati", "Koulikoro", NULL, NULL}, 25},
    {"Ségou", "ML04", {"Ségou", NULL, NULL, NULL}, 15},
};
/* The north of Mali, where returns need a programme manager's approval
 * (see the restrictions the demo records). */
static const dest_t D_MLI_KIDAL[] = {
    {"Kidal", "ML08", {"Kidal", "Tessalit", "Aguelhok", NULL}, 1},
};
/* North Darfur, where returns are suspended. */
static const dest_t D_SDN_NDARFUR[] = {
    {"North Darfur", "SD02", {"El Fasher", "Kutum", "Kabkabiya", NULL}, 1},
};
static const dest_t D_GIN[] = {
    {"Conakry", NULL, {"Conakry", NULL, NULL, NULL}, 40},
    {"Kankan", NULL, {"Kankan", "Siguiri", "Kouroussa", NULL}, 40},
    {"Labé", NULL, {"Labé", NULL, NULL, NULL}, 10},
    {"Mamou", NULL, {"Mamou", NULL, NULL, NULL}, 10},
};
static const dest_t D_BFA[] = {
    {"Centre", NULL, {"Ouagadougou", NULL, NULL, NULL}, 45},
    {"Hauts-Bassins", NULL, {"Bobo-Dioulasso", NULL, NULL, NULL}, 35},
    {"Centre-Est", NULL, {"Tenkodogo", NULL, NULL, NULL}, 10},
    {"Boucle du Mouhoun", NULL, {"Dédougou", NULL, NULL, NULL}, 10},
};

/* ---- nationality profiles ---------------------------------------------- */

typedef struct {
    const char *nat;
    const nm_t *male;
    size_t nmale;
    const nm_t *female;
    size_t nfemale;
    const nm_t *fam; /* patronymic: grandfathers' / family names; else surnames */
    size_t nfam;
    int patronymic;           /* child = own + father's first + father's second name */
    int wife_takes_name;      /* family-name cultures: a wife carries her husband's */
    const char *const *langs; /* comma-separated sets to choose from */
    size_t nlangs;
    const char *pass_prefix; /* passport number: prefix + digits */
    int pass_digits;
    int pass_pct;     /* adults holding a passport */
    int lp_pct;       /* of the others: a laissez-passer from the consulate */
    int traffick_pct; /* adult women identified as victims of trafficking */
    const dest_t *dests;
    size_t ndests;
} prof_t;

static const char *const L_SDN[] = {"ar", "ar", "ar,en", "ar,en"};
static const char *const L_EGY[] = {"ar", "ar,it", "ar,en", "ar,el", "ar,de"};
static const char *const L_ERI_TI[] = {"ti", "ti,ar", "ti,en", "ti,am"};
static const char *const L_ERI_AR[] = {"ar,ti", "ar,tig", "ar"};
static const char *const L_ETH_AM[] = {"am", "am,en", "am,ar"};
static const char *const L_ETH_OM[] = {"om,am", "om,ar", "om"};
static const char *const L_SSD[] = {"din,en", "en,pga", "din,ar"};
static const char *const L_NGA[] = {"en,bin", "en,pcm", "en,yo", "en,ha"};
static const char *const L_SOM[] = {"so", "so,ar", "so,en"};
static const char *const L_MLI[] = {"bm,fr", "bm", "snk,bm,fr", "ff,bm", "bm,fr,ar"};
static const char *const L_MLI_AR[] = {"ar,taq", "ar,mey,fr", "ar,fr"};
static const char *const L_GIN[] = {"fr,ff", "fr,sus", "fr,man", "ff"};
static const char *const L_BFA[] = {"fr,mos", "mos", "fr,dyu", "fr,ff"};

static const prof_t P_SDN = {"SDN", LIST(SD_M), LIST(SD_F), LIST(SD_FAM), 1, 0, LIST(L_SDN), "P", 8,
                             55,    25,         3,          LIST(D_SDN)};
static const prof_t P_EGY = {"EGY", LIST(EG_M), LIST(EG_F), LIST(EG_FAM), 1, 0, LIST(L_EGY), "A", 8,
                             60,    30,         0,          LIST(D_EGY)};
static const prof_t P_ERI_TI = {
    "ERI", LIST(ER_TI_M), LIST(ER_TI_F), LIST(ER_TI_M), 1, 0, LIST(L_ERI_TI), "P", 7, 25, 30,
    15,    LIST(D_ERI)};
static const prof_t P_ERI_AR = {
    "ERI", LIST(ER_AR_M), LIST(ER_AR_F), LIST(ER_AR_M), 1, 0, LIST(L_ERI_AR), "P", 7, 25, 30,
    10,    LIST(D_ERI)};
static const prof_t P_ETH_AM = {
    "ETH", LIST(ET_AM_M), LIST(ET_AM_F), LIST(ET_AM_M), 1, 0, LIST(L_ETH_AM), "EP", 7, 55, 30,
    30,    LIST(D_ETH)};
static const prof_t P_ETH_OM = {
    "ETH", LIST(ET_OM_M), LIST(ET_OM_F), LIST(ET_OM_M), 1, 0, LIST(L_ETH_OM), "EP", 7, 45, 30,
    25,    LIST(D_ETH)};
static const prof_t P_SSD = {"SSD", LIST(SS_M), LIST(SS_F), LIST(SS_M), 1, 0,          LIST(L_SSD),
                             "R",   8,          35,         40,         5, LIST(D_SSD)};
static const prof_t P_NGA = {"NGA", LIST(NG_M), LIST(NG_F), LIST(NG_FAM), 0, 1, LIST(L_NGA), "A", 8,
                             50,    40,         60,         LIST(D_NGA)};
static const prof_t P_SOM = {"SOM", LIST(SO_M), LIST(SO_F), LIST(SO_FAM), 1, 0, LIST(L_SOM), "P", 8,
                             30,    30,         5,          LIST(D_SOM)};
static const prof_t P_MLI = {"MLI",       LIST(ML_M), LIST(ML_F), LIST(ML_FAM), 0,  0,
                             LIST(L_MLI), "AA",       7,          30,           50, 4,
                             LIST(D_MLI)};
static const prof_t P_MLI_KYS = {
    "MLI", LIST(ML_M), LIST(ML_F), LIST(ML_FAM),     0, 0, LIST(L_MLI), "AA", 7,
    35,    20,         4,          LIST(D_MLI_KAYES)};
static const prof_t P_MLI_BKO = {"MLI",          LIST(ML_M), LIST(ML_F), LIST(ML_FAM), 0,  0,
                                 LIST(L_MLI),    "AA",       7,          35,           20, 4,
                                 LIST(D_MLI_BKO)};
static const prof_t P_MLI_AR = {
    "MLI", LIST(ML_AR_M),  LIST(ML_AR_F), LIST(ML_AR_FAM), 0, 0, LIST(L_MLI_AR), "AA", 7, 30, 60,
    0,     LIST(D_MLI_BKO)};
static const prof_t P_MLI_NORTH = {
    "MLI", LIST(ML_AR_M),    LIST(ML_AR_F), LIST(ML_AR_FAM), 0, 0, LIST(L_MLI_AR), "AA", 7, 30, 60,
    0,     LIST(D_MLI_KIDAL)};
static const prof_t P_SDN_DARFUR = {
    "SDN", LIST(SD_M), LIST(SD_F), LIST(SD_FAM),       1, 0, LIST(L_SDN), "P", 8,
    40,    25,         3,          LIST(D_SDN_NDARFUR)};
static const prof_t P_GIN = {"GIN",       LIST(GN_M), LIST(GN_F), LIST(GN_FAM), 0,  0,
                             LIST(L_GIN), "R0",       7,          35,           45, 8,
                             LIST(D_GIN)};
static const prof_t P_BFA = {"BFA", LIST(BF_M), LIST(BF_F), LIST(BF_FAM), 0, 0, LIST(L_BFA), "B", 7,
                             35,    45,         5,          LIST(D_BFA)};

/* ---- stories ------------------------------------------------------------ */

/* A wish around the destination town: pre + town + post. */
typedef struct {
    const char *pre, *post;
} wish_t;

static const char *const S_SDN[] = {
    "Fled the fighting in 2023 and crossed at Argeen; living with relatives in Ard El Lewa.",
    "Arrived in Aswan in 2023, moved to Cairo; savings exhausted, rent overdue.",
    "Displaced from Khartoum in 2023; works day jobs in Faisal, children out of school.",
    "Registered with UNHCR in Cairo; prefers to go back now that the family house is standing.",
    "Lost his job in a workshop in 6th of October City; cannot renew residence.",
    "Crossed irregularly via Wadi Halfa; no residence permit, fears detention.",
};
static const char *const S_DARFUR[] = {
    "Fled the fighting around El Fasher in 2024; reached Egypt through Northern State and the "
    "Argeen crossing.",
    "Displaced from North Darfur in 2023; lives with relatives in Ard El Lewa, no income.",
};
static const wish_t W_SDN[] = {
    {"Wishes to return to the family home in ", "."},
    {"Wants to rebuild the small shop in ", "; asks about a business grant."},
    {"Relatives in ", " report the area is calm; wishes to return before the school year."},
    {"Plans to farm again near ", " with his brothers."},
};
static const char *const S_EGY[] = {
    "Reached Italy by boat from Libya in 2024 (disembarked in Lampedusa); no status granted.",
    "Lived three years in Greece working on farms near Athens; asylum claim rejected.",
    "Came back from Germany through the AVR programme of the host country; arrived at Cairo "
    "airport with an escort.",
    "Worked informally in Milan for two years; decided to return after his father fell ill.",
    "Returned from Austria after a rejected asylum claim; debts to the smuggler remain.",
    "Left Italy voluntarily from a reception centre in Sicily; family paid for the journey by "
    "selling land.",
    "Returned from the Netherlands; wants to use the skills learnt in a bakery there.",
};
static const wish_t W_EGY[] = {
    {"Wants to open a small fish shop in ", "; interested in business training."},
    {"Hopes for vocational training (electrician) near ", "."},
    {"Wishes to buy a tuk-tuk and work in ", "."},
    {"Plans a small poultry project with his family in ", "."},
    {"Would like job placement in a factory near ", "."},
};
static const char *const S_HORN[] = {
    "Came to Egypt through Sudan in 2022; domestic work in Cairo, passport held by the employer.",
    "Living in Ain Shams with others from the same town; no income since the spring.",
    "Arrived through the eastern desert route; registered with UNHCR.",
    "Worked in a garment workshop in Nasr City; the workshop closed.",
    "Stranded in Cairo after a failed attempt to travel onwards to Libya.",
};
static const wish_t W_HORN[] = {
    {"Wishes to return to family in ", "."},
    {"Wants to start a small business in ", " (coffee and tea stall)."},
    {"Mother in ", " is ill; wishes to return to care for her."},
    {"Asks for vocational training once back in ", "."},
};
static const char *const S_WAF_EG[] = {
    "Came to Egypt on a visa promising work that did not exist; documents kept by the recruiter.",
    "Stranded in Cairo after the route to Libya closed; living in a shared flat in Faisal.",
    "Referred by a partner NGO after leaving an exploitative situation in Giza.",
};
static const char *const S_TAM[] = {
    "Stranded in Tamanrasset after the crossing from Agadez; no money left to go on.",
    "Worked for several years on building sites in Tamanrasset; irregular status, cannot see "
    "his children.",
    "Injured on a construction site in Tamanrasset; treated free of charge at the public "
    "hospital, now isolated.",
    "Came from Gao through In Guezzam; money ran out before reaching the north.",
    "Turned back at the Libyan border, walked to Tamanrasset; referred by the Algerian Red "
    "Crescent.",
    "Received news of his mother's death and decided it is time to go home.",
    "Lived in the Gataa El Oued quarter doing day labour; robbed of his savings.",
};
static const char *const S_ALG[] = {
    "Worked in Algiers in construction for three years; wants to go home before the winter.",
    "Transferred from Tamanrasset to Algiers for the charter; awaiting the laissez-passer.",
    "Domestic worker in Algiers, unpaid for months; referred by a community leader.",
};
static const wish_t W_WAF[] = {
    {"Wishes to return to family in ", "."},
    {"Wants to farm the family land near ", " again."},
    {"Hopes to open a small shop (boutique) in ", "."},
    {"Asks for help to restart market gardening in ", "."},
    {"Wishes his children to stay in school in ", "; asks about reintegration support."},
    {"Would like training in motorbike repair in ", "."},
};
static const char *const S_MLRET[] = {
    "Returned from Libya through Niger in 2026 (Voluntary Humanitarian Return); registered "
    "for reintegration.",
    "Came back on the charter from Algiers to Bamako; follow-up for reintegration.",
    "Returned from Algeria; detained twice on the route; referred for psychosocial support.",
    "Returned spontaneously from Niger after the route closed; asks for reintegration help.",
};
static const wish_t W_MLRET[] = {
    {"Psychosocial follow-up and an income project planned in ", "."},
    {"Needs assessment done; wishes to start small livestock rearing near ", "."},
    {"Joined a group session of the psychosocial project in ", "."},
    {"Interested in a collective market-gardening project in ", "."},
};

/* ---- offices and users ------------------------------------------------- */

typedef struct {
    const char *code, *name, *country, *location, *name_ar, *name_fr;
} office_def_t;

static const office_def_t OFFICES[] = {
    {"EG-CAI", "Cairo", "EGY", "Cairo, Egypt", "القاهرة", "Le Caire"},
    {"DZ-TAM", "Tamanrasset", "DZA", "Tamanrasset, Algeria", "تمنراست", "Tamanrasset"},
    {"DZ-ALG", "Algiers", "DZA", "Algiers, Algeria", "الجزائر العاصمة", "Alger"},
    {"ML-BKO", "Bamako", "MLI", "Bamako, Mali", "باماكو", "Bamako"},
    {"ML-KYS", "Kayes", "MLI", "Kayes, Mali", "كاي", "Kayes"},
};

typedef struct {
    const char *username, *full_name, *role;
    const char *offices[4];
} user_def_t;

/* The partner organisation of the demo's partner user. */
#define DEMO_PARTNER "Association des Jeunes de Kayes"

/* The ids of the demo's partner organisations (load_partners, before the
 * users): the association in Kayes, and the mission in each country of
 * return (COUNTRIES[i].mission), to which consents to share refer. */
#define DEMO_MAX_MISSIONS 16
static char demo_partner_id[37];
static char mission_ids[DEMO_MAX_MISSIONS][37];

static const user_def_t USERS[] = {
    {"amina.registration", "Amina Abdelrahman", "registration", {"EG-CAI"}},
    {"yacine.registration", "Yacine Belkacem", "registration", {"DZ-TAM", "DZ-ALG"}},
    {"karim.counsellor", "Karim Mansour", "counsellor", {"EG-CAI"}},
    {"nadia.medical", "Nadia Hamidi", "medical", {"DZ-TAM", "DZ-ALG"}},
    {"omar.operations", "Omar Haddad", "operations", {"EG-CAI", "DZ-TAM", "DZ-ALG"}},
    {"hana.protection", "Hana Youssef", "protection", {"EG-CAI", "DZ-TAM"}},
    {"fatou.reintegration", "Fatoumata Sangaré", "reintegration", {"ML-BKO", "ML-KYS"}},
    {"ibrahim.finance", "Ibrahim Diarra", "finance", {"ML-BKO", "ML-KYS"}},
    {"leila.me", "Leila Saadi", "me", {"EG-CAI", "ML-BKO", "ML-KYS"}},
    {"youssef.manager", "Youssef Khalil", "manager", {"EG-CAI"}},
    {"awa.partner", "Awa Konaté", "partner", {"ML-KYS"}},
    {"claire.donor", "Claire Martin", "donor", {NULL}},
};

/* ---- case rows ------------------------------------------------------------ */

enum { HH_SINGLE, HH_COUPLE, HH_FAMILY, HH_SINGLE_PARENT, HH_SIBLINGS, HH_N };

typedef enum { PH_EG, PH_DZ, PH_ML } phone_t;

typedef struct {
    const char *office;
    const prof_t *p;
    int count;
    int uac;       /* the first uac cases are unaccompanied children */
    int sep;       /* the next sep: an adult with a brother or sister under 18 */
    int hh[HH_N];  /* household mix weights */
    int women_pct; /* share of women among single principals */
    const char *project;
    const char *assignee;
    const char *const *sit;
    size_t nsit;
    const wish_t *wish;
    size_t nwish;
    phone_t phone;
} row_t;

#define PRJ_EG "AVRR from Egypt (EU-IOM Joint Initiative, North Africa)"
#define PRJ_EU "Reception and reintegration of Egyptians returning from Europe"
#define PRJ_DZ "Protection and Reintegration of Migrants in North Africa (EU)"
#define PRJ_ML "Psychosocial support to returnees in Mali (IOM, Mali, Switzerland)"

static const row_t ROWS[] = {
    {"EG-CAI",
     &P_SDN,
     24,
     1,
     1,
     {38, 8, 30, 18, 6},
     30,
     PRJ_EG,
     "amina.registration",
     LIST(S_SDN),
     LIST(W_SDN),
     PH_EG},
    {"EG-CAI",
     &P_EGY,
     16,
     2,
     0,
     {80, 4, 12, 0, 4},
     5,
     PRJ_EU,
     "amina.registration",
     LIST(S_EGY),
     LIST(W_EGY),
     PH_EG},
    {"EG-CAI",
     &P_ERI_TI,
     4,
     1,
     0,
     {70, 10, 10, 10, 0},
     40,
     PRJ_EG,
     "amina.registration",
     LIST(S_HORN),
     LIST(W_HORN),
     PH_EG},
    {"EG-CAI",
     &P_ERI_AR,
     3,
     0,
     0,
     {70, 10, 10, 10, 0},
     40,
     PRJ_EG,
     "amina.registration",
     LIST(S_HORN),
     LIST(W_HORN),
     PH_EG},
    {"EG-CAI",
     &P_ETH_AM,
     5,
     0,
     0,
     {75, 5, 10, 10, 0},
     65,
     PRJ_EG,
     "amina.registration",
     LIST(S_HORN),
     LIST(W_HORN),
     PH_EG},
    {"EG-CAI",
     &P_ETH_OM,
     2,
     0,
     0,
     {100, 0, 0, 0, 0},
     50,
     PRJ_EG,
     "amina.registration",
     LIST(S_HORN),
     LIST(W_HORN),
     PH_EG},
    {"EG-CAI",
     &P_SSD,
     5,
     0,
     0,
     {50, 10, 20, 20, 0},
     40,
     PRJ_EG,
     "amina.registration",
     LIST(S_HORN),
     LIST(W_HORN),
     PH_EG},
    {"EG-CAI",
     &P_NGA,
     4,
     0,
     0,
     {90, 0, 0, 10, 0},
     75,
     NULL,
     "amina.registration",
     LIST(S_WAF_EG),
     LIST(W_HORN),
     PH_EG},
    {"EG-CAI",
     &P_SOM,
     4,
     0,
     0,
     {60, 10, 10, 20, 0},
     40,
     PRJ_EG,
     "amina.registration",
     LIST(S_HORN),
     LIST(W_HORN),
     PH_EG},
    {"DZ-TAM",
     &P_MLI,
     20,
     2,
     0,
     {76, 4, 10, 5, 5},
     12,
     PRJ_DZ,
     "yacine.registration",
     LIST(S_TAM),
     LIST(W_WAF),
     PH_DZ},
    {"DZ-TAM",
     &P_MLI_AR,
     2,
     0,
     0,
     {100, 0, 0, 0, 0},
     0,
     PRJ_DZ,
     "yacine.registration",
     LIST(S_TAM),
     LIST(W_WAF),
     PH_DZ},
    {"DZ-TAM",
     &P_GIN,
     8,
     1,
     1,
     {80, 5, 5, 5, 5},
     15,
     PRJ_DZ,
     "yacine.registration",
     LIST(S_TAM),
     LIST(W_WAF),
     PH_DZ},
    {"DZ-TAM",
     &P_BFA,
     6,
     0,
     0,
     {80, 5, 10, 5, 0},
     15,
     PRJ_DZ,
     "yacine.registration",
     LIST(S_TAM),
     LIST(W_WAF),
     PH_DZ},
    {"DZ-ALG",
     &P_MLI,
     5,
     0,
     0,
     {80, 0, 10, 10, 0},
     20,
     PRJ_DZ,
     "yacine.registration",
     LIST(S_ALG),
     LIST(W_WAF),
     PH_DZ},
    {"DZ-ALG",
     &P_GIN,
     3,
     0,
     0,
     {100, 0, 0, 0, 0},
     30,
     NULL,
     "yacine.registration",
     LIST(S_ALG),
     LIST(W_WAF),
     PH_DZ},
    {"ML-BKO",
     &P_MLI_BKO,
     6,
     0,
     0,
     {80, 0, 10, 10, 0},
     15,
     PRJ_ML,
     "fatou.reintegration",
     LIST(S_MLRET),
     LIST(W_MLRET),
     PH_ML},
    {"ML-KYS",
     &P_MLI_KYS,
     4,
     0,
     0,
     {75, 0, 25, 0, 0},
     10,
     PRJ_ML,
     "fatou.reintegration",
     LIST(S_MLRET),
     LIST(W_MLRET),
     PH_ML},
    /* Last, so that the cases above stay what they were: destinations under a
     * restriction (Kidal: approval required; North Darfur: suspended). */
    {"DZ-TAM",
     &P_MLI_NORTH,
     2,
     0,
     0,
     {100, 0, 0, 0, 0},
     0,
     PRJ_DZ,
     "yacine.registration",
     LIST(S_TAM),
     LIST(W_WAF),
     PH_DZ},
    {"EG-CAI",
     &P_SDN_DARFUR,
     2,
     0,
     0,
     {40, 0, 40, 20, 0},
     30,
     PRJ_EG,
     "amina.registration",
     LIST(S_DARFUR),
     LIST(W_SDN),
     PH_EG},
};

/* Neighbourhoods where people live while they wait. */
static const char *const ADDR_EG[] = {"Ard El Lewa, Giza",   "Faisal, Giza",
                                      "Ain Shams, Cairo",    "Nasr City, Cairo",
                                      "Arbaa wa Nus, Cairo", "6th of October City, Giza",
                                      "Maadi, Cairo"};
static const char *const ADDR_DZ[] = {
    "Quartier Gataa El Oued, Tamanrasset", "Quartier Tahaggart, Tamanrasset",
    "Quartier Sersouf, Tamanrasset", "Centre d'accueil, Tamanrasset"};
static const char *const ADDR_ALG[] = {"Bir Mourad Raïs, Alger", "Kouba, Alger",
                                       "Bab Ezzouar, Alger"};

/* ---- generation ----------------------------------------------------------- */

typedef struct {
    rng_t rng;
    awda_date_t today;
    int persons;
    const nm_t *taken[16]; /* first names in the household being built */
    int ntaken;
} gen_t;

typedef struct {
    const nm_t *part[3];
    int n;
} pname_t;

static const nm_t *pick(rng_t *r, const nm_t *list, size_t n)
{
    return &list[rng_below(r, (int)n)];
}

/* A new member of the household being built gets a first name nobody in
 * it has yet (parents rarely give two children the same name). */
static const nm_t *first_name(gen_t *g, const prof_t *p, int female)
{
    const nm_t *n = NULL;
    for (int tries = 0; tries < 6; tries++) {
        n = female ? pick(&g->rng, p->female, p->nfemale) : pick(&g->rng, p->male, p->nmale);
        int dup = 0;
        for (int i = 0; i < g->ntaken; i++)
            if (strcmp(g->taken[i]->l ? g->taken[i]->l : g->taken[i]->w, n->l ? n->l : n->w) == 0)
                dup = 1;
        if (!dup)
            break;
    }
    if (g->ntaken < (int)NELEM(g->taken))
        g->taken[g->ntaken++] = n;
    return n;
}

/* A fresh full name: first + father + grandfather (patronymic) or first +
 * family name. */
static pname_t new_name(gen_t *g, const prof_t *p, int female)
{
    pname_t n = {{NULL, NULL, NULL}, 0};
    n.part[n.n++] = first_name(g, p, female);
    if (p->patronymic) {
        n.part[n.n++] = pick(&g->rng, p->male, p->nmale);
        const nm_t *gf = pick(&g->rng, p->fam, p->nfam);
        for (int t = 0; t < 6 && gf == n.part[1]; t++) /* father and grandfather differ */
            gf = pick(&g->rng, p->fam, p->nfam);
        n.part[n.n++] = gf;
    } else {
        n.part[n.n++] = pick(&g->rng, p->fam, p->nfam);
    }
    return n;
}

/* The name of a child of father (a full name) in profile p. */
static pname_t child_name(gen_t *g, const prof_t *p, const pname_t *father, int female)
{
    pname_t n = {{NULL, NULL, NULL}, 0};
    n.part[n.n++] = first_name(g, p, female);
    if (p->patronymic) {
        n.part[n.n++] = father->part[0];
        n.part[n.n++] = father->part[1];
    } else {
        n.part[n.n++] = father->part[father->n - 1];
    }
    return n;
}

/* A sibling of s: the same father's names, or the same family name. */
static pname_t sibling_name(gen_t *g, const prof_t *p, const pname_t *s, int female)
{
    pname_t n = *s;
    n.part[0] = first_name(g, p, female);
    return n;
}

static void name_text(const pname_t *n, int latin, char *out, size_t cap)
{
    out[0] = '\0';
    for (int i = 0; i < n->n; i++) {
        if (i)
            sb_add(out, cap, " ");
        sb_add(out, cap, latin && n->part[i]->l ? n->part[i]->l : n->part[i]->w);
    }
}

typedef struct {
    int year, month, day;
    const char *precision; /* exact, month, year, estimated */
} dob_t;

/* A date of birth for someone `age` this year, with a precision drawn from
 * the mix a registration desk sees (many people know only the year). */
static dob_t make_dob(gen_t *g, int age, int child)
{
    dob_t d = {g->today.year - age, rng_range(&g->rng, 1, 12), 0, "exact"};
    d.day = rng_range(&g->rng, 1, awda_days_in_month(d.year, d.month));
    int x = rng_below(&g->rng, 100);
    if (x < (child ? 70 : 58))
        d.precision = "exact";
    else if (x < (child ? 75 : 63))
        d.precision = "month";
    else if (x < (child ? 90 : 83))
        d.precision = "year";
    else
        d.precision = "estimated";
    /* Never in the future, whatever the precision. */
    if (d.year == g->today.year &&
        (d.month > g->today.month || (d.month == g->today.month && d.day > g->today.day))) {
        d.month = g->today.month;
        d.day = g->today.day;
    }
    return d;
}

static json_t *dob_json(const dob_t *d)
{
    char b[16];
    if (strcmp(d->precision, "exact") == 0)
        snprintf(b, sizeof b, "%04d-%02d-%02d", d->year, d->month, d->day);
    else if (strcmp(d->precision, "month") == 0)
        snprintf(b, sizeof b, "%04d-%02d", d->year, d->month);
    else
        snprintf(b, sizeof b, "%04d", d->year);
    return json_string(b);
}

/* The languages of a person: the household's set (set), or now and then a
 * set of their own; young children only the mother tongue. */
static json_t *langs_json(gen_t *g, const prof_t *p, const char *set, int young_child)
{
    if (!young_child && rng_pct(&g->rng, 30))
        set = p->langs[rng_below(&g->rng, (int)p->nlangs)];
    json_t *a = json_array();
    const char *s = set;
    while (*s) {
        const char *e = strchr(s, ',');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        json_array_append_new(a, json_stringn(s, n));
        if (young_child) /* the mother tongue only */
            break;
        s += n + (e ? 1 : 0);
    }
    return a;
}

static void date_text(int y, int m, int d, char out[16])
{
    snprintf(out, 16, "%04d-%02d-%02d", y, m, d);
}

/* Travel and identity documents: a passport (some expired in 2025), a
 * laissez-passer from the consulate, a consular card, an Egyptian national
 * ID; children sometimes a birth certificate. NULL when none. */
static json_t *documents_json(gen_t *g, const prof_t *p, const dob_t *dob, int female, int child,
                              int dest_index)
{
    json_t *docs = json_array();
    char num[64], exp[16];
    int has_passport = rng_pct(&g->rng, child ? p->pass_pct / 3 : p->pass_pct);
    if (has_passport) {
        num[0] = '\0';
        sb_add(num, sizeof num, p->pass_prefix);
        sb_digits(num, sizeof num, &g->rng, p->pass_digits);
        /* Most valid for years; some expired in 2025, some expire within
         * months of today (before a likely departure). */
        int x = rng_below(&g->rng, 100);
        if (x < 14) {
            date_text(2025, rng_range(&g->rng, 1, 12), rng_range(&g->rng, 1, 28), exp);
        } else if (x < 24) {
            int m = rng_range(&g->rng, 1, 4);
            date_text(g->today.year + (g->today.month + m > 12), (g->today.month + m - 1) % 12 + 1,
                      rng_range(&g->rng, 1, 28), exp);
        } else {
            date_text(g->today.year + rng_range(&g->rng, 1, 6), rng_range(&g->rng, 1, 12),
                      rng_range(&g->rng, 1, 28), exp);
        }
        json_array_append_new(docs, json_pack("{s:s,s:s,s:s,s:s}", "type", "passport", "number",
                                              num, "issuing_country", p->nat, "expiry", exp));
    } else if (rng_pct(&g->rng, p->lp_pct)) {
        /* Short validity, issued for the journey home. */
        num[0] = '\0';
        sb_add(num, sizeof num, strcmp(p->nat, "MLI") == 0 ? "LP-TAM-" : "LP-");
        sb_digits(num, sizeof num, &g->rng, 6);
        int m = rng_range(&g->rng, 0, 3); /* months after this one */
        int y = g->today.year + (g->today.month + m > 12);
        int mo = (g->today.month + m - 1) % 12 + 1;
        date_text(y, mo, rng_range(&g->rng, 1, 28), exp);
        json_array_append_new(docs,
                              json_pack("{s:s,s:s,s:s,s:s}", "type", "laissez_passer", "number",
                                        num, "issuing_country", p->nat, "expiry", exp));
    } else if (!child && strcmp(p->nat, "MLI") == 0 && rng_pct(&g->rng, 30)) {
        num[0] = '\0';
        sb_add(num, sizeof num, "CC-");
        sb_digits(num, sizeof num, &g->rng, 7);
        json_array_append_new(docs, json_pack("{s:s,s:s,s:s}", "type", "consular_card", "number",
                                              num, "issuing_country", "MLI"));
    } else if (child && rng_pct(&g->rng, 40)) {
        num[0] = '\0';
        sb_add(num, sizeof num, "BC-");
        sb_digits(num, sizeof num, &g->rng, 8);
        json_array_append_new(docs, json_pack("{s:s,s:s,s:s}", "type", "birth_certificate",
                                              "number", num, "issuing_country", p->nat));
    }
    /* Egyptian national ID: century, YYMMDD, governorate, sequence whose
     * last digit is odd for men, check digit. */
    if (strcmp(p->nat, "EGY") == 0 && strcmp(dob->precision, "exact") == 0 && !child &&
        dest_index >= 0 && (size_t)dest_index < NELEM(EGY_GOV)) {
        snprintf(num, sizeof num, "%d%02d%02d%02d%s", dob->year >= 2000 ? 3 : 2, dob->year % 100,
                 dob->month, dob->day, EGY_GOV[dest_index]);
        sb_digits(num, sizeof num, &g->rng, 3);
        char sexd[2] = {(char)('0' + 2 * rng_below(&g->rng, 5) + (female ? 0 : 1)), 0};
        sb_add(num, sizeof num, sexd);
        sb_digits(num, sizeof num, &g->rng, 1);
        json_array_append_new(docs, json_pack("{s:s,s:s,s:s}", "type", "national_id", "number", num,
                                              "issuing_country", "EGY"));
    }
    if (json_array_size(docs) == 0) {
        json_decref(docs);
        return NULL;
    }
    return docs;
}

static void phone_text(gen_t *g, phone_t ph, char *out, size_t cap)
{
    static const char EG2[] = {'0', '1', '2', '5'};
    switch (ph) {
    case PH_EG:
        snprintf(out, cap, "+20 1%c %04d %04d", EG2[rng_below(&g->rng, 4)],
                 rng_below(&g->rng, 10000), rng_below(&g->rng, 10000));
        break;
    case PH_DZ:
        snprintf(out, cap, "+213 %d%d %02d %02d %02d %02d", rng_range(&g->rng, 5, 7),
                 rng_below(&g->rng, 10), rng_below(&g->rng, 100), rng_below(&g->rng, 100),
                 rng_below(&g->rng, 100), rng_below(&g->rng, 100));
        break;
    case PH_ML:
        snprintf(out, cap, "+223 %d%d %02d %02d %02d", rng_range(&g->rng, 6, 9),
                 rng_below(&g->rng, 10), rng_below(&g->rng, 100), rng_below(&g->rng, 100),
                 rng_below(&g->rng, 100));
        break;
    }
}

/* Where the household stays now, for the contact block. */
static const char *address_for(gen_t *g, const row_t *row, const char *town)
{
    if (strcmp(row->office, "EG-CAI") == 0)
        return strcmp(row->p->nat, "EGY") == 0 ? town : ADDR_EG[rng_below(&g->rng, NELEM(ADDR_EG))];
    if (strcmp(row->office, "DZ-TAM") == 0)
        return ADDR_DZ[rng_below(&g->rng, NELEM(ADDR_DZ))];
    if (strcmp(row->office, "DZ-ALG") == 0)
        return ADDR_ALG[rng_below(&g->rng, NELEM(ADDR_ALG))];
    return town;
}

typedef struct {
    pname_t name;
    int female;
    int age;
    int child;          /* under 18 */
    const char *vul[4]; /* vulnerability flags */
    int nvul;
    int contact; /* give a phone and address */
} spec_t;

static void add_vul(spec_t *s, const char *v)
{
    for (int i = 0; i < s->nvul; i++)
        if (strcmp(s->vul[i], v) == 0)
            return;
    if (s->nvul < (int)NELEM(s->vul))
        s->vul[s->nvul++] = v;
}

/* Vulnerabilities an adult may carry, at realistic rates. */
static void adult_vulnerabilities(gen_t *g, const prof_t *p, spec_t *s)
{
    if (s->age >= 60)
        add_vul(s, "elderly");
    if (rng_pct(&g->rng, s->age >= 60 ? 35 : 7))
        add_vul(s, "medical_condition");
    if (s->female && rng_pct(&g->rng, p->traffick_pct))
        add_vul(s, "victim_of_trafficking");
    else if (!s->female && rng_pct(&g->rng, p->traffick_pct / 6))
        add_vul(s, "victim_of_trafficking");
    if (s->female && s->age <= 40 && rng_pct(&g->rng, 7))
        add_vul(s, "pregnant");
    if (rng_pct(&g->rng, 3))
        add_vul(s, "disability");
    if (rng_pct(&g->rng, 3))
        add_vul(s, "mental_health");
    if (s->female && rng_pct(&g->rng, 4))
        add_vul(s, "survivor_of_violence");
}

/* Household-wide facts shared by its members. */
typedef struct {
    const char *town;    /* destination town */
    int dest_index;      /* into the profile's destinations */
    const char *langset; /* the household's languages */
    const char *address; /* where the household stays now, or NULL */
} hhctx_t;

static json_t *person_json(gen_t *g, const row_t *row, const spec_t *s, const hhctx_t *h)
{
    const prof_t *p = row->p;
    char w[256], l[256], ph[40];
    name_text(&s->name, 0, w, sizeof w);
    name_text(&s->name, 1, l, sizeof l);
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(w));
    if (strcmp(w, l) != 0)
        json_object_set_new(o, "name_latin", json_string(l));
    json_object_set_new(o, "sex", json_string(s->female ? "female" : "male"));
    dob_t d = make_dob(g, s->age, s->child);
    /* A few adults could give no date at all. */
    if (s->child || !rng_pct(&g->rng, 3)) {
        json_object_set_new(o, "date_of_birth", dob_json(&d));
        json_object_set_new(o, "dob_precision", json_string(d.precision));
    } else {
        d.precision = "none";
    }
    json_object_set_new(o, "nationality", json_string(p->nat));
    json_object_set_new(o, "languages", langs_json(g, p, h->langset, s->child && s->age < 10));
    json_t *docs = documents_json(g, p, &d, s->female, s->child, h->dest_index);
    if (docs)
        json_object_set_new(o, "documents", docs);
    if (s->contact) {
        json_t *c = json_object();
        phone_t pt = row->phone;
        /* Some Egyptians still carry the number from the host country. */
        if (strcmp(p->nat, "EGY") == 0 && rng_pct(&g->rng, 25))
            snprintf(ph, sizeof ph, "+39 3%02d %03d %04d", rng_below(&g->rng, 100),
                     rng_below(&g->rng, 1000), rng_below(&g->rng, 10000));
        else
            phone_text(g, pt, ph, sizeof ph);
        json_object_set_new(c, "phone", json_string(ph));
        if (h->address)
            json_object_set_new(c, "address", json_string(h->address));
        json_object_set_new(o, "contact", c);
    }
    /* What routes the case goes to vulnerabilities; what exposes the
     * person (trafficking, violence, mental health) to the sealed
     * protection concerns. */
    json_t *routing = json_array(), *protection = json_array();
    for (int i = 0; i < s->nvul; i++)
        json_array_append_new(awda_value_index(AWDA_PROTECTION_VULNERABILITIES, s->vul[i]) >= 0
                                  ? protection
                                  : routing,
                              json_string(s->vul[i]));
    if (json_array_size(routing))
        json_object_set_new(o, "vulnerabilities", routing);
    else
        json_decref(routing);
    if (json_array_size(protection))
        json_object_set_new(o, "protection_vulnerabilities", protection);
    else
        json_decref(protection);
    g->persons++;
    return o;
}

static void member_add(json_t *members, const char *rel, json_t *person)
{
    json_array_append_new(members, json_pack("{s:s,s:o}", "relationship", rel, "person", person));
}

/* Ages (this year minus the year of birth) of the children of a parent
 * aged parent_age, oldest first, two to four years apart: mostly one to
 * three children, now and then four or five. Returns how many. */
static int child_ages(gen_t *g, int parent_age, int ages[5])
{
    int want = rng_pct(&g->rng, 12) ? rng_range(&g->rng, 4, 5) : rng_range(&g->rng, 1, 3);
    int oldest = parent_age - 19;
    if (oldest > 17)
        oldest = 17;
    if (oldest < 1)
        oldest = 1;
    int age = rng_range(&g->rng, want > 2 ? (oldest < 8 ? oldest : 8) : 1, oldest);
    int n = 0;
    while (n < want && age >= 1) {
        ages[n++] = age;
        age -= rng_range(&g->rng, 2, 4);
    }
    return n;
}

/* The members of a household of kind hh, principal first. */
static int household(gen_t *g, const row_t *row, int hh, int uac, int sep, spec_t *sp,
                     const char **rel, int cap)
{
    const prof_t *p = row->p;
    int n = 0;
    memset(sp, 0, sizeof *sp * (size_t)cap);
    g->ntaken = 0;
    if (uac) {
        spec_t *c = &sp[n];
        c->female = rng_pct(&g->rng, 20);
        c->age = rng_range(&g->rng, 15, 17);
        c->child = 1;
        c->name = new_name(g, p, c->female);
        c->contact = rng_pct(&g->rng, 50);
        add_vul(c, "unaccompanied_child");
        if (rng_pct(&g->rng, 15))
            add_vul(c, "victim_of_trafficking");
        rel[n++] = "principal";
        return n;
    }
    switch (hh) {
    case HH_SINGLE: {
        spec_t *a = &sp[n];
        a->female = rng_pct(&g->rng, row->women_pct);
        a->age = rng_pct(&g->rng, 8) ? rng_range(&g->rng, 45, 70) : rng_range(&g->rng, 19, 44);
        a->name = new_name(g, p, a->female);
        a->contact = rng_pct(&g->rng, 80);
        adult_vulnerabilities(g, p, a);
        rel[n++] = "principal";
        break;
    }
    case HH_COUPLE:
    case HH_FAMILY: {
        spec_t *h = &sp[n], *w = &sp[n + 1];
        h->age = rng_range(&g->rng, 26, 55);
        h->name = new_name(g, p, 0);
        h->contact = 1;
        adult_vulnerabilities(g, p, h);
        w->female = 1;
        w->age = h->age - rng_range(&g->rng, 2, 9);
        if (w->age < 19)
            w->age = 19;
        w->name = new_name(g, p, 1);
        if (p->wife_takes_name)
            w->name.part[w->name.n - 1] = h->name.part[h->name.n - 1];
        w->contact = rng_pct(&g->rng, 40);
        adult_vulnerabilities(g, p, w);
        /* Now and then the wife is the principal applicant. */
        int wife_first = rng_pct(&g->rng, 12);
        rel[n] = "principal";
        rel[n + 1] = "spouse";
        if (wife_first) {
            spec_t t = *h;
            *h = *w;
            *w = t;
        }
        pname_t father = wife_first ? w->name : h->name;
        int mother_age = wife_first ? h->age : w->age;
        n += 2;
        if (hh == HH_FAMILY) {
            int ages[5];
            int kids = child_ages(g, mother_age, ages);
            for (int k = 0; k < kids && n < cap - 1; k++) {
                spec_t *c = &sp[n];
                c->female = rng_pct(&g->rng, 50);
                c->age = ages[k];
                c->child = 1;
                c->name = child_name(g, p, &father, c->female);
                if (rng_pct(&g->rng, 4))
                    add_vul(c, rng_pct(&g->rng, 50) ? "medical_condition" : "disability");
                rel[n++] = "child";
            }
            /* An elderly parent travelling with the family. */
            if (n < cap && rng_pct(&g->rng, 15)) {
                spec_t *e = &sp[n];
                e->female = rng_pct(&g->rng, 60);
                e->age = rng_range(&g->rng, 61, 70);
                pname_t gp = new_name(g, p, e->female);
                if (!e->female && !wife_first) {
                    /* The principal's father: his name continues the chain
                     * (patronymic) or he carries the family name. */
                    if (p->patronymic) {
                        gp.part[0] = father.part[1];
                        gp.part[1] = father.part[2];
                    } else {
                        gp.part[gp.n - 1] = father.part[father.n - 1];
                    }
                }
                e->name = gp;
                adult_vulnerabilities(g, p, e);
                add_vul(e, "elderly");
                rel[n++] = "parent";
            }
        }
        break;
    }
    case HH_SINGLE_PARENT: {
        spec_t *m = &sp[n];
        m->female = rng_pct(&g->rng, 85);
        m->age = rng_range(&g->rng, 24, 48);
        m->name = new_name(g, p, m->female);
        m->contact = 1;
        adult_vulnerabilities(g, p, m);
        add_vul(m, "single_parent");
        rel[n++] = "principal";
        pname_t father = m->female ? new_name(g, p, 0) : m->name;
        int ages[5];
        int kids = child_ages(g, m->age, ages);
        for (int k = 0; k < kids && n < cap; k++) {
            spec_t *c = &sp[n];
            c->female = rng_pct(&g->rng, 50);
            c->age = ages[k];
            c->child = 1;
            c->name = child_name(g, p, &father, c->female);
            rel[n++] = "child";
        }
        break;
    }
    case HH_SIBLINGS: {
        spec_t *a = &sp[n];
        a->female = rng_pct(&g->rng, 25);
        a->age = rng_range(&g->rng, 20, 32);
        a->name = new_name(g, p, a->female);
        a->contact = 1;
        adult_vulnerabilities(g, p, a);
        rel[n++] = "principal";
        int sibs = rng_range(&g->rng, 1, 2);
        for (int k = 0; k < sibs && n < cap; k++) {
            spec_t *s = &sp[n];
            s->female = rng_pct(&g->rng, 40);
            /* Often a younger brother or sister still a minor. */
            s->age = k == 0 && (sep || rng_pct(&g->rng, 40)) ? rng_range(&g->rng, 15, 17)
                                                             : rng_range(&g->rng, 18, 30);
            s->child = s->age < 18;
            s->name = sibling_name(g, p, &a->name, s->female);
            if (s->child)
                add_vul(s, "separated_child"); /* with a sibling, not a parent */
            else
                adult_vulnerabilities(g, p, s);
            rel[n++] = "sibling";
        }
        break;
    }
    }
    return n;
}

static int pick_dest(gen_t *g, const prof_t *p)
{
    int w[16];
    size_t n = p->ndests < NELEM(w) ? p->ndests : NELEM(w);
    for (size_t i = 0; i < n; i++)
        w[i] = p->dests[i].weight;
    return rng_weighted(&g->rng, w, n);
}

static const char *pick_town(gen_t *g, const dest_t *d)
{
    int n = 0;
    while (n < 4 && d->towns[n])
        n++;
    return d->towns[rng_below(&g->rng, n)];
}

/* Builds one case body. */
static json_t *case_json(gen_t *g, const row_t *row, int uac, int sep)
{
    const prof_t *p = row->p;
    int di = pick_dest(g, p);
    const dest_t *d = &p->dests[di];
    const char *town = pick_town(g, d);
    int hh = sep ? HH_SIBLINGS : rng_weighted(&g->rng, row->hh, HH_N);
    spec_t sp[12];
    const char *rel[12];
    int n = household(g, row, hh, uac, sep, sp, rel, (int)NELEM(sp));

    json_t *c = json_object();
    json_object_set_new(c, "office", json_string(row->office));
    json_object_set_new(c, "origin_country", json_string(p->nat));
    json_object_set_new(c, "destination_country", json_string(p->nat));
    json_object_set_new(c, "destination_admin_area", json_string(d->area));
    if (d->pcode)
        json_object_set_new(c, "destination_pcode", json_string(d->pcode));
    if (row->project && rng_pct(&g->rng, 85))
        json_object_set_new(c, "project", json_string(row->project));

    /* Children and victims of trafficking go to the protection officer
     * where there is one; most other cases to the office's case worker. */
    int protection = uac;
    for (int k = 0; k < sp[0].nvul; k++)
        if (strcmp(sp[0].vul[k], "victim_of_trafficking") == 0)
            protection = 1;
    const char *assignee = row->assignee;
    if (protection && (strcmp(row->office, "EG-CAI") == 0 || strcmp(row->office, "DZ-TAM") == 0))
        assignee = "hana.protection";
    else if (rng_pct(&g->rng, 10))
        assignee = NULL; /* not yet assigned */
    if (assignee)
        json_object_set_new(c, "assigned_to", json_string(assignee));

    hhctx_t hc = {town, di, p->langs[rng_below(&g->rng, (int)p->nlangs)],
                  rng_pct(&g->rng, 65) ? address_for(g, row, town) : NULL};
    json_t *members = json_array();
    for (int i = 0; i < n; i++)
        member_add(members, rel[i], person_json(g, row, &sp[i], &hc));

    char notes[1024] = "";
    if (uac) {
        /* The age as the registration desk would read it. */
        const json_t *pp = json_object_get(json_array_get(members, 0), "person");
        int years = awda_age_on(json_string_value(json_object_get(pp, "date_of_birth")),
                                json_string_value(json_object_get(pp, "dob_precision")),
                                g->today.year, g->today.month, g->today.day, 1);
        char age[64];
        snprintf(age, sizeof age, "Unaccompanied %s, %d, travelling alone. ",
                 sp[0].female ? "girl" : "boy", years);
        sb_add(notes, sizeof notes, age);
        sb_add(notes, sizeof notes,
               strcmp(p->nat, "EGY") == 0
                   ? "Reached Italy by sea and was placed in a reception centre for minors; "
                     "asked to go home. "
                   : "Identified by outreach and referred to the protection officer. ");
        sb_add(notes, sizeof notes, "Best-interests assessment and family tracing in ");
        sb_add(notes, sizeof notes, town);
        sb_add(notes, sizeof notes, " needed before any return.");
    } else {
        sb_add(notes, sizeof notes, row->sit[rng_below(&g->rng, (int)row->nsit)]);
        const wish_t *wi = &row->wish[rng_below(&g->rng, (int)row->nwish)];
        sb_add(notes, sizeof notes, " ");
        sb_add(notes, sizeof notes, wi->pre);
        sb_add(notes, sizeof notes, town);
        sb_add(notes, sizeof notes, wi->post);
        if (n > 1) {
            char hhn[96];
            snprintf(hhn, sizeof hhn, " Household of %d registered together.", n);
            sb_add(notes, sizeof notes, hhn);
        }
    }

    json_object_set_new(c, "notes", json_string(notes));
    json_object_set_new(c, "members", members);
    return c;
}

/* ---- loading through the application layer ---------------------------------- */

static void report(const char *what, const app_result_t *r)
{
    fprintf(stderr, "awda demo: %s: %s\n", what, r->detail[0] ? r->detail : "failed");
    size_t i;
    json_t *e;
    json_array_foreach(r->errors, i, e)
    {
        fprintf(stderr, "  %s: %s\n", json_string_value(json_object_get(e, "field")),
                json_string_value(json_object_get(e, "message")));
    }
    /* The unmet requirements of a step (409 requirements-unmet). */
    json_array_foreach(json_object_get(r->extra, "requirements"), i, e)
    {
        fprintf(stderr, "  unmet %s: %s\n", json_string_value(json_object_get(e, "code")),
                json_string_value(json_object_get(e, "message")));
    }
}

/* 20 characters without look-alikes (no 0/O, 1/I/l), from libsodium. */
static void make_password(char out[21])
{
    static const char ALPHA[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    const unsigned n = (unsigned)(sizeof ALPHA - 1);
    const unsigned limit = 256 - 256 % n; /* rejection keeps it uniform */
    int k = 0;
    while (k < 20) {
        unsigned char buf[32];
        randombytes_buf(buf, sizeof buf);
        for (size_t i = 0; i < sizeof buf && k < 20; i++)
            if (buf[i] < limit)
                out[k++] = ALPHA[buf[i] % n];
    }
    out[20] = '\0';
}

static int has_cases(app_t *app)
{
    store_conn_t *c = store_reader(app_store(app));
    if (!c)
        return -1;
    store_case_filter_t f;
    memset(&f, 0, sizeof f);
    f.limit = 1;
    f.nof = -1;
    json_t *list = store_case_list(c, &f);
    if (!list)
        return -1;
    int any = json_array_size(json_object_get(list, "items")) > 0;
    json_decref(list);
    return any;
}

static int load_offices(app_t *app, const app_actor_t *sys)
{
    for (size_t i = 0; i < NELEM(OFFICES); i++) {
        const office_def_t *o = &OFFICES[i];
        json_t *body = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "code", o->code, "name", o->name,
                                 "country", o->country, "location", o->location, "name_ar",
                                 o->name_ar, "name_fr", o->name_fr);
        app_result_t r;
        memset(&r, 0, sizeof r);
        app_office_create(app, sys, body, NULL, NULL, &r);
        json_decref(body);
        int ok = r.code == APP_CREATED || r.code == APP_CONFLICT; /* kept as it is */
        if (!ok) {
            char what[64];
            snprintf(what, sizeof what, "office %s", o->code);
            report(what, &r);
        }
        app_result_free(&r);
        if (!ok)
            return -1;
    }
    return 0;
}

/* Creates the users of defs[0..n) and writes a line per user to out. */
static int load_user_defs(app_t *app, const app_actor_t *sys, const user_def_t *defs, size_t n,
                          FILE *out)
{
    for (size_t i = 0; i < n; i++) {
        const user_def_t *u = &defs[i];
        char pw[21], offices[64] = "";
        make_password(pw);
        json_t *offs = json_array();
        for (size_t k = 0; k < NELEM(u->offices) && u->offices[k]; k++) {
            json_array_append_new(offs, json_string(u->offices[k]));
            if (k)
                sb_add(offices, sizeof offices, ",");
            sb_add(offices, sizeof offices, u->offices[k]);
        }
        json_t *body = json_pack("{s:s,s:s,s:s,s:[s],s:o}", "username", u->username, "full_name",
                                 u->full_name, "password", pw, "roles", u->role, "offices", offs);
        if (strcmp(u->role, "partner") == 0) /* sees referrals addressed to it */
            json_object_set_new(body, "organisation", json_string(demo_partner_id));
        app_result_t r;
        memset(&r, 0, sizeof r);
        app_user_create(app, sys, body, NULL, NULL, &r);
        json_decref(body);
        int rc = 0;
        if (r.code == APP_CREATED) {
            fprintf(out, "user: %s  role: %s  office: %s  password: %s\n", u->username, u->role,
                    offices[0] ? offices : "-", pw);
        } else if (r.code == APP_CONFLICT) {
            fprintf(stderr, "awda demo: user %s exists already; its password is unchanged\n",
                    u->username);
        } else {
            char what[96];
            snprintf(what, sizeof what, "user %s", u->username);
            report(what, &r);
            rc = -1;
        }
        sodium_memzero(pw, sizeof pw);
        app_result_free(&r);
        if (rc)
            return -1;
    }
    fflush(out);
    return 0;
}

static int load_users(app_t *app, const app_actor_t *sys, FILE *out)
{
    return load_user_defs(app, sys, USERS, NELEM(USERS), out);
}

/* ---- the cases -------------------------------------------------------------- */

/* How far a case goes on the return journey (the stages up to ready). */
enum { T_REGISTERED, T_COUNSELLED, T_CONSENTED, T_ELIGIBLE, T_PRE_DEPARTURE, T_READY };

/* What happens to a case once it got that far. */
enum {
    SC_NONE,
    SC_HOLD_HEALTH,       /* pre_departure, then on hold: temporarily unfit to travel */
    SC_HOLD_DOCS,         /* pre_departure, then on hold: nationality not yet confirmed */
    SC_HOLD_DECIDE,       /* counselled, then on hold: time to decide */
    SC_HOLD_TRACING,      /* an unaccompanied child, consented, then on hold: family tracing */
    SC_WITHDRAW_WORK,     /* consented, then withdrawn: found work */
    SC_WITHDRAW_ONWARD,   /* eligible, then withdrawn: wants to travel onwards */
    SC_WITHDRAW_FAMILY,   /* pre_departure, then withdrawn: the family asked to wait */
    SC_CLOSE_INELIGIBLE,  /* consented, found ineligible, closed */
    SC_BLOCKED_APPROVAL,  /* consented, eligible, waiting for a restriction's approval */
    SC_BLOCKED_SUSPENDED, /* consented, eligible, return suspended */
    SC_APPROVED,          /* return despite a restriction, approved case by case */
};

/* A created case and what the demo does with it. */
typedef struct {
    json_t *caze; /* the case as the application last returned it (owned) */
    const row_t *row;
    int k; /* its index within the row */
    int uac;
    int level;   /* T_*: how far the records and steps go */
    int sc;      /* SC_* */
    int planned; /* a plan was given (the pool) */
} dcase_t;

static int load_cases(app_t *app, const app_actor_t *sys, gen_t *g, dcase_t *dc, int *ncases)
{
    for (size_t i = 0; i < NELEM(ROWS); i++) {
        const row_t *row = &ROWS[i];
        for (int k = 0; k < row->count; k++) {
            json_t *body =
                case_json(g, row, k < row->uac, k >= row->uac && k < row->uac + row->sep);
            app_result_t r;
            memset(&r, 0, sizeof r);
            app_case_create(app, sys, body, NULL, NULL, &r);
            int ok = r.code == APP_CREATED && r.body;
            if (!ok) {
                char what[96];
                snprintf(what, sizeof what, "case %d of %s (%s)", k + 1, row->office, row->p->nat);
                report(what, &r);
                char *dump = json_dumps(body, JSON_COMPACT);
                if (dump) {
                    fprintf(stderr, "  body: %s\n", dump);
                    free(dump);
                }
            } else {
                dcase_t *d = &dc[*ncases];
                memset(d, 0, sizeof *d);
                d->caze = json_incref(r.body);
                d->row = row;
                d->k = k;
                d->uac = k < row->uac;
                (*ncases)++;
            }
            json_decref(body);
            app_result_free(&r);
            if (!ok)
                return -1;
        }
    }
    return 0;
}

/* ---- the return journey ------------------------------------------------------
 *
 * After registration, a deterministic part of the cases is walked forward the
 * way the staff would: the records are made (counselling, consents,
 * eligibility, travel documents, procedures, health, child protection...) and
 * the steps are taken through app_case_transition, so every guard of
 * core/journey.c applies. A step that fails stops the load with every unmet
 * requirement printed. Dates are counted from today: sessions in the past
 * weeks, departures one to four weeks ahead. */

typedef struct {
    app_t *app;
    const app_actor_t *sys;
    rng_t rng;
    int64_t now_ms;
    char kidal[40], darfur[40]; /* the restrictions' ids */
} jctx_t;

typedef struct {
    const char *name;
    const char *langs[3];
} staff_t;

static const staff_t STAFF_CAI = {"Karim Mansour", {"ar", "en", NULL}};
static const staff_t STAFF_DZ = {"Sofiane Meziane", {"ar", "fr", NULL}};
static const staff_t STAFF_PROT = {"Hana Youssef", {"ar", "en", "fr"}};

/* Per country of return: the journey as counselling explains it, who issues
 * the travel document, and the mission that receives the returnee. */
typedef struct {
    const char *nat;
    const char *route;
    const char *consulate;
    const char *doc_type;
    const char *doc_prefix;
    const char *mission;
} country_t;

static const country_t COUNTRIES[] = {
    {"MLI", "the transfer to Algiers and the charter flight to Bamako",
     "Consulat général du Mali à Tamanrasset", "laissez_passer", "LP-TAM-", "IOM Mali"},
    {"GIN", "the flight from Algiers to Conakry", "Ambassade de Guinée à Alger", "laissez_passer",
     "LP-GN-", "IOM Guinea"},
    {"BFA", "the flight from Algiers to Ouagadougou", "Ambassade du Burkina Faso à Alger",
     "laissez_passer", "LP-BF-", "IOM Burkina Faso"},
    {"SDN", "the road journey through the Argeen crossing", "Embassy of Sudan in Cairo",
     "emergency_travel_document", "ETD-SD-", "IOM Sudan"},
    {"ETH", "the flight from Cairo to Addis Ababa", "Embassy of Ethiopia in Cairo",
     "laissez_passer", "LP-ET-", "IOM Ethiopia"},
    {"ERI", "the flight from Cairo to Asmara", "Embassy of Eritrea in Cairo",
     "emergency_travel_document", "ETD-ER-", "IOM Eritrea"},
    {"SSD", "the flight from Cairo to Juba", "Embassy of South Sudan in Cairo",
     "emergency_travel_document", "ETD-SS-", "IOM South Sudan"},
    {"NGA", "the flight from Cairo to Lagos", "Embassy of Nigeria in Cairo",
     "emergency_travel_document", "ETD-NG-", "IOM Nigeria"},
    {"SOM", "the flight from Cairo through Addis Ababa", "Embassy of Somalia in Cairo",
     "emergency_travel_document", "ETD-SO-", "IOM Somalia"},
};

_Static_assert(NELEM(COUNTRIES) <= DEMO_MAX_MISSIONS, "a partner id per mission");

/* Creates partner organisation name (country) and writes its id to id
 * (kept as it is when it exists already). */
static int load_partner(app_t *app, const app_actor_t *sys, const char *name, const char *country,
                        char id[37])
{
    json_t *body = json_pack("{s:s,s:s}", "name", name, "country", country);
    app_result_t r;
    memset(&r, 0, sizeof r);
    app_partner_create(app, sys, body, NULL, NULL, &r);
    json_decref(body);
    if (r.code == APP_CONFLICT) {
        app_result_free(&r);
        memset(&r, 0, sizeof r);
        app_partner_list(app, sys, &r);
        size_t i;
        json_t *p;
        json_array_foreach(json_object_get(r.body, "items"), i, p)
        {
            const char *n = json_string_value(json_object_get(p, "name"));
            if (n && strcasecmp(n, name) == 0)
                snprintf(id, 37, "%s", json_string_value(json_object_get(p, "id")));
        }
    } else if (r.code == APP_CREATED) {
        snprintf(id, 37, "%s", json_string_value(json_object_get(r.body, "id")));
    }
    int ok = id[0] != '\0';
    if (!ok) {
        char what[160];
        snprintf(what, sizeof what, "partner organisation %s", name);
        report(what, &r);
    }
    app_result_free(&r);
    return ok ? 0 : -1;
}

static int load_partners(app_t *app, const app_actor_t *sys)
{
    if (load_partner(app, sys, DEMO_PARTNER, "MLI", demo_partner_id) != 0)
        return -1;
    for (size_t i = 0; i < NELEM(COUNTRIES); i++)
        if (load_partner(app, sys, COUNTRIES[i].mission, COUNTRIES[i].nat, mission_ids[i]) != 0)
            return -1;
    return 0;
}

static const country_t *country_of(const char *nat)
{
    for (size_t i = 0; i < NELEM(COUNTRIES); i++)
        if (strcmp(COUNTRIES[i].nat, nat) == 0)
            return &COUNTRIES[i];
    return &COUNTRIES[0];
}

/* ---- dates ---- */

/* Today + off days as YYYY-MM-DD. */
static void day_at(const jctx_t *j, int off, char out[16])
{
    time_t t = (time_t)(j->now_ms / 1000) + (time_t)off * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(out, 16, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* Today + off days at hh:mm UTC as YYYY-MM-DDTHH:MMZ. */
static void time_at(const jctx_t *j, int off, int hh, int mm, char out[32])
{
    char d[16];
    day_at(j, off, d);
    snprintf(out, 32, "%sT%02d:%02dZ", d, hh, mm);
}

/* ---- reading a case ---- */

static const char *cstr(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static const char *case_number(const dcase_t *d)
{
    return cstr(d->caze, "number");
}

static size_t nmembers(const dcase_t *d)
{
    return json_array_size(json_object_get(d->caze, "members"));
}

static const json_t *member_at(const dcase_t *d, size_t i)
{
    return json_array_get(json_object_get(d->caze, "members"), i);
}

static const json_t *person_at(const dcase_t *d, size_t i)
{
    return json_object_get(member_at(d, i), "person");
}

static const char *person_id_at(const dcase_t *d, size_t i)
{
    return cstr(member_at(d, i), "person_id");
}

static const char *display(const json_t *p)
{
    const char *n = cstr(p, "name_latin");
    return n && *n ? n : cstr(p, "name");
}

static int flagged(const json_t *p, const char *flag)
{
    static const char *const LISTS[] = {"vulnerabilities", "protection_vulnerabilities"};
    for (size_t k = 0; k < NELEM(LISTS); k++) {
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(p, LISTS[k]), i, v)
        {
            if (json_is_string(v) && strcmp(json_string_value(v), flag) == 0)
                return 1;
        }
    }
    return 0;
}

/* Age as the guards read it (partial dates: the youngest possible). */
static int age_now(const jctx_t *j, const json_t *p)
{
    return awda_person_age_at(p, j->now_ms);
}

static int child_now(const jctx_t *j, const json_t *p)
{
    int a = age_now(j, p);
    return a >= 0 && a < 18;
}

/* The first adult of the case, or -1. */
static int first_adult(const jctx_t *j, const dcase_t *d)
{
    for (size_t i = 0; i < nmembers(d); i++)
        if (!child_now(j, person_at(d, i)))
            return (int)i;
    return -1;
}

/* Unaccompanied or separated, as the guards see it: flagged so, or a child
 * with no adult in the case. (A child now may turn 18 before departure, never
 * the other way round, so what holds now holds at departure.) */
static int is_uasc(const jctx_t *j, const dcase_t *d, size_t i)
{
    const json_t *p = person_at(d, i);
    if (flagged(p, "unaccompanied_child") || flagged(p, "separated_child"))
        return 1;
    return child_now(j, p) && first_adult(j, d) < 0;
}

static int any_uasc(const jctx_t *j, const dcase_t *d)
{
    for (size_t i = 0; i < nmembers(d); i++)
        if (is_uasc(j, d, i))
            return 1;
    return 0;
}

static int is_travel_doc(const char *t)
{
    return t && (strcmp(t, "passport") == 0 || strcmp(t, "laissez_passer") == 0 ||
                 strcmp(t, "emergency_travel_document") == 0);
}

/* 1 when a document of the person is a travel document expiring after day. */
static int doc_valid(const json_t *p, const char *day)
{
    size_t i;
    json_t *doc;
    json_array_foreach(json_object_get(p, "documents"), i, doc)
    {
        const char *exp = cstr(doc, "expiry");
        if (is_travel_doc(cstr(doc, "type")) && exp && strcmp(exp, day) > 0)
            return 1;
    }
    return 0;
}

static int in_algeria(const dcase_t *d)
{
    return strncmp(d->row->office, "DZ-", 3) == 0;
}

/* ---- acting through the application layer ---- */

static int fail_case(const dcase_t *d, const char *what, const app_result_t *r)
{
    char w[160];
    snprintf(w, sizeof w, "case %s: %s", case_number(d), what);
    report(w, r);
    return -1;
}

/* Records body (a record with "kind"; consumed) on the case. */
static int rec(jctx_t *j, dcase_t *d, json_t *body)
{
    app_result_t r;
    memset(&r, 0, sizeof r);
    app_record_create(j->app, j->sys, cstr(d->caze, "id"), body, NULL, NULL, &r);
    int ok = r.code == APP_CREATED;
    if (!ok) {
        char what[96];
        snprintf(what, sizeof what, "recording a %s", cstr(body, "kind"));
        fail_case(d, what, &r);
        char *dump = json_dumps(body, JSON_COMPACT);
        if (dump) {
            fprintf(stderr, "  body: %s\n", dump);
            free(dump);
        }
    }
    json_decref(body);
    app_result_free(&r);
    return ok ? 0 : -1;
}

/* A record of kind, for the person at member index i (or none when i < 0). */
static json_t *rec_new(const dcase_t *d, const char *kind, int i)
{
    json_t *o = json_pack("{s:s}", "kind", kind);
    if (i >= 0)
        json_object_set_new(o, "person_id", json_string(person_id_at(d, (size_t)i)));
    return o;
}

static void put(json_t *o, const char *k, const char *v)
{
    if (v)
        json_object_set_new(o, k, json_string(v));
}

static void put_day(const jctx_t *j, json_t *o, const char *k, int off)
{
    char b[16];
    day_at(j, off > 0 ? 0 : off, b);
    json_object_set_new(o, k, json_string(b));
}

static json_t *step_body(const char *event, const char *reason)
{
    json_t *b = json_pack("{s:s}", "event", event);
    put(b, "reason", reason);
    return b;
}

/* Takes a step; the case is updated from the answer. */
static int take(jctx_t *j, dcase_t *d, const char *event, const char *reason)
{
    json_t *body = step_body(event, reason);
    app_result_t r;
    memset(&r, 0, sizeof r);
    app_case_transition(j->app, j->sys, cstr(d->caze, "id"), body, &r);
    json_decref(body);
    int ok = r.code == APP_OK && r.body;
    if (ok) {
        json_decref(d->caze);
        d->caze = json_incref(r.body);
    } else {
        char what[96];
        snprintf(what, sizeof what, "the step %s", event);
        fail_case(d, what, &r);
    }
    app_result_free(&r);
    return ok ? 0 : -1;
}

/* Tries a step that a restriction must block, with code as the only unmet
 * requirement; anything else is a failure of the guard (or of the demo). */
static int take_blocked(jctx_t *j, dcase_t *d, const char *event, const char *code)
{
    json_t *body = step_body(event, NULL);
    app_result_t r;
    memset(&r, 0, sizeof r);
    app_case_transition(j->app, j->sys, cstr(d->caze, "id"), body, &r);
    json_decref(body);
    const json_t *reqs = json_object_get(r.extra, "requirements");
    const char *got = cstr(json_array_get(reqs, 0), "code");
    int ok = r.code == APP_UNMET && json_array_size(reqs) == 1 && got && strcmp(got, code) == 0;
    if (!ok) {
        char what[128];
        snprintf(what, sizeof what, "the step %s should be blocked by %s alone", event, code);
        fail_case(d, what, &r);
    }
    app_result_free(&r);
    return ok ? 0 : -1;
}

/* Sets the planned departure with the current version (If-Match). */
static int set_departure(jctx_t *j, dcase_t *d, const char *when)
{
    app_result_t r;
    memset(&r, 0, sizeof r);
    app_case_get(j->app, j->sys, cstr(d->caze, "id"), &r);
    if (r.code != APP_OK || !r.body) {
        fail_case(d, "reading the case", &r);
        app_result_free(&r);
        return -1;
    }
    long long version = (long long)json_integer_value(json_object_get(r.body, "version"));
    app_result_free(&r);
    json_t *patch = json_pack("{s:s}", "planned_departure", when);
    memset(&r, 0, sizeof r);
    app_case_patch(j->app, j->sys, cstr(d->caze, "id"), version, patch, &r);
    json_decref(patch);
    int ok = r.code == APP_OK && r.body;
    if (ok) {
        json_decref(d->caze);
        d->caze = json_incref(r.body);
    } else {
        fail_case(d, "setting the planned departure", &r);
    }
    app_result_free(&r);
    return ok ? 0 : -1;
}

/* ---- one case's journey ---- */

/* What the records of one case share. */
typedef struct {
    const staff_t *counsellor;
    const country_t *country;
    const char *consulate;
    const char *doc_prefix;
    char area[128]; /* a copy: the case JSON is replaced at every step */
    json_t *langs;  /* the languages of the sessions (owned) */
    int interpreter;
    int base; /* day offset of the first counselling session */
    char dep_day[16], dep_time[32];
    int dep_off;
} cctx_t;

/* The languages of a session with person p: one both speak, or the
 * person's own with an interpreter into the counsellor's. */
static json_t *session_langs(const json_t *p, const staff_t *s, int *interp)
{
    const json_t *langs = json_object_get(p, "languages");
    size_t i;
    json_t *l;
    json_array_foreach(langs, i, l)
    {
        for (int k = 0; k < 3 && s->langs[k]; k++)
            if (json_is_string(l) && strcmp(json_string_value(l), s->langs[k]) == 0) {
                *interp = 0;
                return json_pack("[s]", s->langs[k]);
            }
    }
    const char *own = json_string_value(json_array_get(langs, 0));
    if (!own) {
        *interp = 0;
        return json_pack("[s]", s->langs[0]);
    }
    *interp = 1;
    return json_pack("[s,s]", own, s->langs[0]);
}

static void cctx_init(jctx_t *j, const dcase_t *d, cctx_t *c)
{
    memset(c, 0, sizeof *c);
    int protection = d->uac;
    for (size_t i = 0; i < nmembers(d); i++)
        if (flagged(person_at(d, i), "victim_of_trafficking"))
            protection = 1;
    c->counsellor = protection ? &STAFF_PROT : in_algeria(d) ? &STAFF_DZ : &STAFF_CAI;
    const char *dest = cstr(d->caze, "destination_country");
    c->country = country_of(dest ? dest : "MLI");
    c->consulate = c->country->consulate;
    c->doc_prefix = c->country->doc_prefix;
    if (strcmp(d->row->office, "DZ-ALG") == 0 && strcmp(c->country->nat, "MLI") == 0) {
        c->consulate = "Ambassade du Mali à Alger";
        c->doc_prefix = "LP-ALG-";
    }
    const char *area = cstr(d->caze, "destination_admin_area");
    snprintf(c->area, sizeof c->area, "%s", area ? area : "the home area");
    c->langs = session_langs(person_at(d, 0), c->counsellor, &c->interpreter);
    static const int BASE[][2] = {{0, 0}, {6, 14}, {14, 22}, {20, 30}, {30, 42}, {30, 42}};
    int lv = d->level;
    if (d->sc == SC_BLOCKED_APPROVAL || d->sc == SC_BLOCKED_SUSPENDED)
        lv = T_ELIGIBLE;
    c->base = -rng_range(&j->rng, BASE[lv][0], BASE[lv][1]);
    /* The Malians travel together on the charter; Sudanese by the weekly
     * bus convoy; everybody else on a scheduled flight. */
    int hh = 2, mm = 15;
    if (strcmp(c->country->nat, "MLI") == 0 && in_algeria(d)) {
        c->dep_off = 12;
        hh = 6;
        mm = 0;
    } else if (strcmp(c->country->nat, "SDN") == 0) {
        c->dep_off = rng_pct(&j->rng, 50) ? 9 : 16;
        hh = 5;
        mm = 0;
    } else {
        c->dep_off = rng_range(&j->rng, 7, 28);
        if (in_algeria(d)) {
            hh = 9;
            mm = 40;
        }
    }
    day_at(j, c->dep_off, c->dep_day);
    time_at(j, c->dep_off, hh, mm, c->dep_time);
}

/* The name that consents for a child: the appointed guardian of an
 * unaccompanied child, else the first adult of the case. */
static const char *const UAC_GUARDIAN_DZ = "Nadia Benmoussa";
static const char *const UAC_GUARDIAN_EG = "Mahmoud Abdelaziz";

static const char *guardian_for(const jctx_t *j, const dcase_t *d)
{
    int a = first_adult(j, d);
    if (a >= 0 && !d->uac)
        return display(person_at(d, (size_t)a));
    return in_algeria(d) ? UAC_GUARDIAN_DZ : UAC_GUARDIAN_EG;
}

static const char *child_views_text(const dcase_t *d, size_t i)
{
    if (d->uac)
        return in_algeria(d)
                   ? "Wants to go back to the mother and to school; does not want to go on "
                     "to Libya. Afraid of the journey alone, reassured by the escort."
                   : "Wants to see the family again; worried about school after two years "
                     "away.";
    if (flagged(person_at(d, i), "separated_child"))
        return "Wants to stay with the older brother or sister and go home together.";
    return "Agrees to go home with the family; looks forward to seeing the grandparents and "
           "going back to school.";
}

static int counselling(jctx_t *j, dcase_t *d, cctx_t *c)
{
    char n1[512], n2[512];
    snprintf(n1, sizeof n1,
             "First session: the return process (%s, travel documents, what to bring) and "
             "the situation in %s from the latest country-of-origin information.",
             c->country->route, c->area);
    snprintf(n2, sizeof n2,
             "Second session: the reintegration support of %s in %s (business start-up, "
             "training, psychosocial support); the return is voluntary and can be called off "
             "at any time before departure.",
             c->country->mission, c->area);
    json_t *s1 = rec_new(d, "counselling", -1);
    put_day(j, s1, "date", c->base);
    json_object_set_new(s1, "counsellor", json_string(c->counsellor->name));
    json_object_set_new(s1, "language", json_deep_copy(c->langs));
    json_object_set_new(s1, "interpreter", json_boolean(c->interpreter));
    json_object_set_new(s1, "topics", json_pack("[s,s]", "return_process", "origin_situation"));
    put(s1, "notes", n1);
    if (rec(j, d, s1))
        return -1;
    json_t *s2 = rec_new(d, "counselling", -1);
    put_day(j, s2, "date", c->base + 5);
    json_object_set_new(s2, "counsellor", json_string(c->counsellor->name));
    json_object_set_new(s2, "language", json_deep_copy(c->langs));
    json_object_set_new(s2, "interpreter", json_boolean(c->interpreter));
    json_object_set_new(s2, "topics",
                        json_pack("[s,s]", "reintegration_options", "rights_and_withdrawal"));
    put(s2, "notes", n2);
    return rec(j, d, s2);
}

/* Protection records made when the case is first seen: a protection officer
 * and a risk assessment for survivors of trafficking; a guardian for
 * unaccompanied and separated children. */
static int protection_records(jctx_t *j, dcase_t *d, cctx_t *c)
{
    for (size_t i = 0; i < nmembers(d); i++) {
        const json_t *p = person_at(d, i);
        if (flagged(p, "victim_of_trafficking")) {
            json_t *po = rec_new(d, "protection_officer", (int)i);
            put(po, "username", "hana.protection");
            if (rec(j, d, po))
                return -1;
            json_t *ra = rec_new(d, "risk_assessment", (int)i);
            put_day(j, ra, "date", c->base + 1);
            put(ra, "level", child_now(j, p) ? "high" : "medium");
            put(ra, "summary",
                "Debt to the network that organised the journey; contact with the recruiter "
                "cut. Reception by the protection partner at the destination agreed; no "
                "return to the recruiter's town.");
            if (rec(j, d, ra))
                return -1;
        }
        if (is_uasc(j, d, i)) {
            json_t *g = rec_new(d, "guardian", (int)i);
            if (d->uac) {
                put(g, "name", guardian_for(j, d));
                put(g, "relation",
                    in_algeria(d) ? "guardian appointed by the juvenile judge"
                                  : "guardian appointed by the child protection committee");
                put(g, "organisation",
                    in_algeria(d) ? "Direction de l'action sociale, "
                                    "Tamanrasset"
                                  : "Child protection partner, Cairo");
            } else {
                put(g, "name", guardian_for(j, d));
                put(g, "relation", "adult brother or sister travelling with the child");
            }
            if (rec(j, d, g))
                return -1;
        }
    }
    return 0;
}

static int consents(jctx_t *j, dcase_t *d, cctx_t *c)
{
    int day = c->base + 7;
    for (size_t i = 0; i < nmembers(d); i++) {
        const json_t *p = person_at(d, i);
        int child = child_now(j, p);
        if (is_uasc(j, d, i)) {
            json_t *v = rec_new(d, "child_views", (int)i);
            put_day(j, v, "date", day - 1);
            put(v, "views", child_views_text(d, i));
            if (rec(j, d, v))
                return -1;
        }
        json_t *o = rec_new(d, "consent", (int)i);
        put(o, "purpose", "return");
        put(o, "given_by", child ? "guardian" : "self");
        if (child) {
            put(o, "guardian_name", guardian_for(j, d));
            put(o, "child_views", child_views_text(d, i));
        }
        put(o, "notice_version", "AVRR-IN-2026.1");
        int oral = !child && rng_pct(&j->rng, 15);
        put(o, "method", oral ? "oral_with_witness" : "signed_form");
        if (oral)
            put(o, "witness", in_algeria(d) ? "Yacine Belkacem" : "Amina Abdelrahman");
        put_day(j, o, "interview_date", day);
        json_object_set_new(o, "language", json_deep_copy(c->langs));
        json_object_set_new(o, "interpreter", json_boolean(c->interpreter));
        char ev[64];
        snprintf(ev, sizeof ev, "%s/CF-%zu", case_number(d), i + 1);
        put(o, "evidence_ref", ev);
        if (rec(j, d, o))
            return -1;
    }
    return 0;
}

static int eligibility(jctx_t *j, dcase_t *d, cctx_t *c, int eligible)
{
    for (size_t i = 0; eligible && i < nmembers(d); i++) {
        if (!is_uasc(j, d, i))
            continue;
        json_t *b = rec_new(d, "best_interests_assessment", (int)i);
        put_day(j, b, "date", c->base + 9);
        put(b, "by", STAFF_PROT.name);
        put(b, "summary",
            "Interviews with the child and the guardian; the child's wish to return is "
            "consistent and informed. Family tracing requested in the country of origin.");
        if (rec(j, d, b))
            return -1;
    }
    json_t *e = rec_new(d, "eligibility", -1);
    put(e, "decision", eligible ? "eligible" : "ineligible");
    if (!eligible)
        put(e, "reason",
            in_algeria(d) ? "Holds a valid residence permit and a work contract in Algeria; not a "
                            "stranded migrant under the criteria of the project."
                          : "Registered with UNHCR as a refugee; referred to UNHCR for voluntary "
                            "repatriation, outside the criteria of this project.");
    else if (d->uac)
        put(e, "reason",
            "Eligible as an unaccompanied child, subject to the best-interests "
            "determination and the family assessment.");
    else
        put(e, "reason",
            in_algeria(d) ? "Meets the criteria of the project: stranded in Algeria without "
                            "means to return, wishes to return voluntarily."
                          : "Meets the criteria of the project: in Egypt without means to "
                            "return, wishes to return voluntarily.");
    if (rec(j, d, e))
        return -1;
    if (!eligible || first_adult(j, d) != 0)
        return 0;
    /* The principal agrees that the receiving mission gets the file. */
    json_t *o = rec_new(d, "consent", 0);
    put(o, "purpose", "data_sharing");
    put(o, "recipient", mission_ids[c->country - COUNTRIES]);
    put(o, "given_by", "self");
    put(o, "notice_version", "AVRR-IN-2026.1");
    put(o, "method", "signed_form");
    put_day(j, o, "interview_date", c->base + 12);
    json_object_set_new(o, "language", json_deep_copy(c->langs));
    json_object_set_new(o, "interpreter", json_boolean(c->interpreter));
    char ev[64];
    snprintf(ev, sizeof ev, "%s/DS-1", case_number(d));
    put(o, "evidence_ref", ev);
    return rec(j, d, o);
}

/* A travel-document step for member i: requested, interview or issued. */
static int travel_doc(jctx_t *j, dcase_t *d, cctx_t *c, size_t i, const char *status)
{
    json_t *t = rec_new(d, "travel_document", (int)i);
    put(t, "type", c->country->doc_type);
    put(t, "consulate", c->consulate);
    put(t, "status", status);
    put_day(j, t, "requested_on", c->base + 14);
    if (strcmp(status, "requested") != 0)
        put_day(j, t, "interview_on", c->base + 19);
    if (strcmp(status, "issued") == 0) {
        put_day(j, t, "issued_on", c->base + 26 < -2 ? c->base + 26 : -2);
        char num[40] = "";
        sb_add(num, sizeof num, c->doc_prefix);
        sb_digits(num, sizeof num, &j->rng, 6);
        put(t, "number", num);
        char exp[16];
        day_at(j, c->dep_off + 90, exp);
        put(t, "expiry", exp);
    }
    return rec(j, d, t);
}

/* The government procedures: per office, what is done and what is not
 * needed (the configured checklist: exit_visa, fine_waiver, police_clearance). */
typedef struct {
    const char *type;
    int needed;
    const char *note;
} proc_t;

static const proc_t PROC_EG[] = {
    {"fine_waiver", 1,
     "Residence overstay fines waived by the Passports and Immigration "
     "Administration for the assisted return."},
    {"exit_visa", 0, "No exit visa is required to leave Egypt."},
    {"police_clearance", 0, NULL},
};
static const proc_t PROC_DZ[] = {
    {"exit_visa", 1, "Exit authorisation issued by the wilaya for the assisted return."},
    {"police_clearance", 1, "Clearance from the police for the transfer to Algiers."},
    {"fine_waiver", 0, NULL},
};

static int procedures(jctx_t *j, dcase_t *d, cctx_t *c, int final)
{
    const proc_t *pr = in_algeria(d) ? PROC_DZ : PROC_EG;
    for (size_t k = 0; k < 3; k++) {
        if (!pr[k].needed) {
            if (!final)
                continue;
            json_t *o = rec_new(d, "procedure", -1);
            put(o, "type", pr[k].type);
            put(o, "status", "not_needed");
            put(o, "notes", pr[k].note);
            if (rec(j, d, o))
                return -1;
            continue;
        }
        if (!final) {
            json_t *o = rec_new(d, "procedure", -1);
            put(o, "type", pr[k].type);
            put(o, "status", "requested");
            put_day(j, o, "requested_on", c->base + 15);
            if (rec(j, d, o))
                return -1;
        }
        /* Some are done before the case is ready; all of them once it is. */
        if (final || rng_pct(&j->rng, 40)) {
            json_t *o = rec_new(d, "procedure", -1);
            put(o, "type", pr[k].type);
            put(o, "status", "done");
            put_day(j, o, "requested_on", c->base + 15);
            put_day(j, o, "done_on", -rng_range(&j->rng, 1, 4));
            put(o, "notes", pr[k].note);
            if (rec(j, d, o))
                return -1;
        }
    }
    return 0;
}

/* Travel documents in progress at pre_departure: for most members without
 * one valid at the departure the consulate has the request, for some the
 * interview took place. Returns -1 on failure. */
static int documents_in_progress(jctx_t *j, dcase_t *d, cctx_t *c, int all)
{
    for (size_t i = 0; i < nmembers(d); i++) {
        if (doc_valid(person_at(d, i), c->dep_day))
            continue;
        if (!all && !rng_pct(&j->rng, 75))
            continue;
        if (travel_doc(j, d, c, i, "requested"))
            return -1;
        if ((all || rng_pct(&j->rng, 50)) && travel_doc(j, d, c, i, "interview"))
            return -1;
    }
    return 0;
}

static int documents_issued(jctx_t *j, dcase_t *d, cctx_t *c)
{
    for (size_t i = 0; i < nmembers(d); i++)
        if (!doc_valid(person_at(d, i), c->dep_day) && travel_doc(j, d, c, i, "issued"))
            return -1;
    return 0;
}

static json_t *escort_new(const dcase_t *d, size_t i, const char *kind, const char *name);

/* Whoever the doctor will want escorted: a mental-health condition, or a
 * medical condition at an older age. */
static int escort_needed(const jctx_t *j, const json_t *p)
{
    int med = flagged(p, "medical_condition");
    return flagged(p, "mental_health") || (med && (flagged(p, "elderly") || age_now(j, p) >= 55));
}

/* The fitness-to-travel assessments, and a medical escort for whoever
 * needs one. */
static int health(jctx_t *j, dcase_t *d)
{
    const char *assessor = in_algeria(d) ? "Dr Nadia Hamidi" : "Dr Mona Abdelaziz";
    const char *escort = in_algeria(d) ? "Dr Karim Benali" : "Dr Ahmed Fathy";
    for (size_t i = 0; i < nmembers(d); i++) {
        const json_t *p = person_at(d, i);
        int med = flagged(p, "medical_condition"), preg = flagged(p, "pregnant");
        int old = flagged(p, "elderly"), dis = flagged(p, "disability");
        int mh = flagged(p, "mental_health");
        int needs_escort = escort_needed(j, p);
        json_t *needs = json_array();
        char notes[512] = "";
        if (needs_escort)
            json_array_append_new(needs, json_string("medical_escort"));
        if (med || mh)
            json_array_append_new(needs, json_string("medication"));
        if (dis || (old && med))
            json_array_append_new(needs, json_string("wheelchair"));
        else if (old || preg)
            json_array_append_new(needs, json_string("other"));
        if (med)
            sb_add(notes, sizeof notes,
                   "Chronic condition stable on treatment; carries "
                   "three months of medication. ");
        if (mh)
            sb_add(notes, sizeof notes,
                   "Under psychiatric follow-up; stable, escort "
                   "advised for the journey. ");
        if (preg)
            sb_add(notes, sizeof notes,
                   "Pregnancy without complication; fit-to-fly "
                   "certificate issued. ");
        if (old)
            sb_add(notes, sizeof notes, "Assistance at the airport requested. ");
        if (dis)
            sb_add(notes, sizeof notes, "Reduced mobility. ");
        int conditions = json_array_size(needs) > 0;
        json_t *h = rec_new(d, "health_assessment", (int)i);
        put(h, "result", conditions ? "fit_with_conditions" : "fit");
        char at[32];
        time_at(j, -3, 9 + (int)(i / 3), (int)(i % 3) * 20, at);
        put(h, "at", at);
        put(h, "assessor", assessor);
        json_object_set_new(h, "pre_embarkation", json_false());
        if (conditions)
            json_object_set_new(h, "needs", needs);
        else
            json_decref(needs);
        if (notes[0])
            put(h, "clinical_notes", notes);
        if (rec(j, d, h))
            return -1;
        if (needs_escort) {
            if (rec(j, d, escort_new(d, i, "medical", escort)))
                return -1;
        }
    }
    return 0;
}

/* The family assessment by the office in Mali and the best-interests
 * determination (a child walked to ready; destination Mali). */
static int child_family(jctx_t *j, dcase_t *d, cctx_t *c)
{
    for (size_t i = 0; i < nmembers(d); i++) {
        if (!is_uasc(j, d, i))
            continue;
        json_t *f = rec_new(d, "family_assessment", (int)i);
        put(f, "office", strcmp(c->area, "Kayes") == 0 ? "ML-KYS" : "ML-BKO");
        put_day(j, f, "date", c->base + 20);
        put(f, "outcome", "family_traced_and_willing");
        put(f, "notes",
            "Home visit: the mother and an uncle are ready to take the child back; "
            "the school has a place from the next term.");
        if (rec(j, d, f))
            return -1;
        json_t *b = rec_new(d, "best_interests_determination", (int)i);
        put(b, "decision", "return_in_best_interests");
        put_day(j, b, "date", c->base + 24);
        put(b, "by", "Best-interests determination panel (IOM, social services)");
        put(b, "reasons",
            "Family traced and willing, the child's wish is informed and "
            "consistent, school place confirmed; follow-up by the office in "
            "Mali for a year.");
        if (rec(j, d, b))
            return -1;
    }
    return 0;
}

static json_t *escort_new(const dcase_t *d, size_t i, const char *kind, const char *name)
{
    json_t *e = rec_new(d, "escort", (int)i);
    put(e, "escort_type", kind);
    put(e, "name", name);
    return e;
}

static int child_escort(jctx_t *j, dcase_t *d)
{
    for (size_t i = 0; i < nmembers(d); i++) {
        if (!is_uasc(j, d, i))
            continue;
        if (rec(j, d, escort_new(d, i, "child_protection", STAFF_PROT.name)))
            return -1;
    }
    return 0;
}

/* A ready case going home to Mali is handed over to the office that will
 * receive it (Kayes for the Kayes region, Bamako otherwise); the principal
 * of a Kayes case consents to share their data with the youth association
 * there, which gets a referral for a livelihood course. */
static int receiving_office(jctx_t *j, dcase_t *d, cctx_t *c)
{
    if (strcmp(cstr(d->caze, "destination_country") ? cstr(d->caze, "destination_country") : "",
               "MLI") != 0)
        return 0;
    int kayes = strstr(c->area, "Kayes") != NULL;
    json_t *body = json_pack("{s:s}", "office", kayes ? "ML-KYS" : "ML-BKO");
    app_result_t r;
    memset(&r, 0, sizeof r);
    app_case_hand_over(j->app, j->sys, cstr(d->caze, "id"), body, &r);
    json_decref(body);
    if (r.code != APP_OK)
        return fail_case(d, "handing over", &r);
    json_decref(d->caze);
    d->caze = json_incref(r.body);
    app_result_free(&r);
    int i = first_adult(j, d);
    if (!kayes || i < 0)
        return 0;
    json_t *o = rec_new(d, "consent", i);
    put(o, "purpose", "data_sharing");
    put(o, "recipient", demo_partner_id);
    put(o, "given_by", "self");
    put(o, "notice_version", "AVRR-IN-2026.1");
    put(o, "method", "signed_form");
    put_day(j, o, "interview_date", -1);
    json_object_set_new(o, "language", json_deep_copy(c->langs));
    json_object_set_new(o, "interpreter", json_boolean(c->interpreter));
    char ev[64];
    snprintf(ev, sizeof ev, "%s/DS-%d", case_number(d), i + 1);
    put(o, "evidence_ref", ev);
    if (rec(j, d, o))
        return -1;
    json_t *ref = rec_new(d, "referral", i);
    put(ref, "partner", demo_partner_id);
    put(ref, "service", "livelihood");
    put_day(j, ref, "date", 0);
    put(ref, "notes",
        "Wants to open a tailoring workshop in Kayes; the association runs a three-month "
        "course and a starter-kit scheme.");
    return rec(j, d, ref);
}

static int walk_case(jctx_t *j, dcase_t *d)
{
    if (d->level == T_REGISTERED)
        return 0;
    cctx_t c;
    cctx_init(j, d, &c);
    int rc = -1;
    int blocked = d->sc == SC_BLOCKED_APPROVAL || d->sc == SC_BLOCKED_SUSPENDED;
    const char *dz_or_eg_work =
        in_algeria(d) ? "Found work on a building site in Tamanrasset and decided to stay for "
                        "now; knows that the door stays open."
                      : "Found work in a workshop in Cairo and decided to stay for now; knows "
                        "that the door stays open.";

    /* counselled */
    if (protection_records(j, d, &c) || counselling(j, d, &c) || take(j, d, "counsel", NULL))
        goto out;
    if (d->sc == SC_HOLD_DECIDE) {
        rc = take(j, d, "hold",
                  "Asked for time to collect wages owed by an employer before deciding.");
        goto out;
    }
    if (d->level < T_CONSENTED && !blocked) {
        rc = 0;
        goto out;
    }
    /* consented */
    if (consents(j, d, &c) || take(j, d, "consent", NULL))
        goto out;
    if (d->sc == SC_CLOSE_INELIGIBLE) {
        rc = (eligibility(j, d, &c, 0) || take(j, d, "close", "ineligible")) ? -1 : 0;
        goto out;
    }
    if (d->sc == SC_WITHDRAW_WORK) {
        rc = take(j, d, "withdraw", dz_or_eg_work);
        goto out;
    }
    if (d->sc == SC_HOLD_TRACING) {
        char why[256];
        snprintf(why, sizeof why,
                 "Family tracing at the destination (%s) is not possible at present; the "
                 "best-interests determination waits for it.",
                 c.area);
        rc = take(j, d, "hold", why);
        goto out;
    }
    if (d->level < T_ELIGIBLE && !blocked) {
        rc = 0;
        goto out;
    }
    /* eligible */
    if (eligibility(j, d, &c, 1))
        goto out;
    if (d->sc == SC_BLOCKED_APPROVAL) {
        rc = take_blocked(j, d, "approve_eligibility", "restriction.approval");
        goto out;
    }
    if (d->sc == SC_BLOCKED_SUSPENDED) {
        rc = take_blocked(j, d, "approve_eligibility", "restriction.suspended");
        goto out;
    }
    if (d->sc == SC_APPROVED) {
        json_t *a = rec_new(d, "restriction_approval", -1);
        put(a, "restriction_id", j->kidal);
        put(a, "justification",
            "Individual security assessment done with the security officer: the family "
            "in Kidal is known and expects the returnee; the onward journey from Gao is organised "
            "with the sub-office in Gao.");
        if (rec(j, d, a))
            goto out;
    }
    if (take(j, d, "approve_eligibility", NULL))
        goto out;
    if (d->sc == SC_WITHDRAW_ONWARD) {
        rc = take(j, d, "withdraw",
                  "Decided to try the route north again despite the counselling on its "
                  "risks.");
        goto out;
    }
    if (d->level < T_PRE_DEPARTURE) {
        rc = 0;
        goto out;
    }
    /* pre_departure */
    if (take(j, d, "start_pre_departure", NULL) || set_departure(j, d, c.dep_time) ||
        documents_in_progress(j, d, &c, d->level == T_READY || d->sc == SC_HOLD_DOCS) ||
        procedures(j, d, &c, 0))
        goto out;
    if (d->level == T_READY && child_family(j, d, &c))
        goto out;
    if (d->sc == SC_HOLD_HEALTH) {
        json_t *h = rec_new(d, "health_assessment", 0);
        put(h, "result", "temporarily_unfit");
        char at[32];
        time_at(j, -2, 10, 30, at);
        put(h, "at", at);
        put(h, "assessor", in_algeria(d) ? "Dr Nadia Hamidi" : "Dr Mona Abdelaziz");
        json_object_set_new(h, "pre_embarkation", json_false());
        put(h, "diagnosis", "Severe malaria");
        put(h, "stabilisation_plan",
            "Treatment at the public hospital; reassessment in two "
            "weeks before a new departure date.");
        if (rec(j, d, h))
            goto out;
        rc = take(j, d, "hold",
                  "Temporarily unfit to travel (see the health assessment); the departure "
                  "waits until the treatment is over.");
        goto out;
    }
    if (d->sc == SC_HOLD_DOCS) {
        rc = take(j, d, "hold",
                  "The consulate has not yet confirmed the nationality; no travel document "
                  "can be issued before.");
        goto out;
    }
    if (d->sc == SC_WITHDRAW_FAMILY) {
        rc = take(j, d, "withdraw",
                  "The family at home asked to postpone the return until after the harvest; "
                  "withdrew and may apply again.");
        goto out;
    }
    if (d->level < T_READY) {
        rc = 0;
        goto out;
    }
    /* ready */
    if (documents_issued(j, d, &c) || procedures(j, d, &c, 1) || health(j, d) ||
        child_escort(j, d) || take(j, d, "ready", NULL))
        goto out;
    if (receiving_office(j, d, &c))
        goto out;
    rc = 0;
out:
    json_decref(c.langs);
    return rc;
}

/* ---- which case goes how far ---- */

/* Cases of people already home (Egyptians received in Cairo, returnees
 * registered in Mali) have no journey before them in this demo. */
static int reintegration_caseload(const row_t *row)
{
    return strncmp(row->office, "ML-", 3) == 0 ||
           (strcmp(row->office, "EG-CAI") == 0 && strcmp(row->p->nat, "EGY") == 0);
}

/* How far a case of the pool may go: returns to Eritrea are rarely assisted
 * beyond counselling; a child without an adult needs a guardian's consent and
 * a family assessment by an office in the country of return, which only Mali
 * has among the demo's offices. */
static int max_level(const jctx_t *j, const dcase_t *d)
{
    if (strcmp(d->row->p->nat, "ERI") == 0)
        return T_COUNSELLED;
    if (any_uasc(j, d))
        return first_adult(j, d) < 0 ? T_COUNSELLED : T_PRE_DEPARTURE;
    return T_READY;
}

enum { PREF_ANY, PREF_MEDICAL, PREF_NO_DOC, PREF_SINGLE, PREF_ESCORT, PREF_TRAFFICKING };

static int any_member(const jctx_t *j, const dcase_t *d, int pref)
{
    for (size_t i = 0; i < nmembers(d); i++) {
        const json_t *p = person_at(d, i);
        if (pref == PREF_ESCORT ? escort_needed(j, p) : flagged(p, "victim_of_trafficking"))
            return 1;
    }
    return 0;
}

static int preferred(const jctx_t *j, const dcase_t *d, int pref)
{
    char day[16];
    switch (pref) {
    case PREF_MEDICAL:
        return flagged(person_at(d, 0), "medical_condition");
    case PREF_NO_DOC:
        day_at(j, 30, day);
        return !doc_valid(person_at(d, 0), day);
    case PREF_SINGLE:
        return nmembers(d) == 1;
    case PREF_ESCORT:
    case PREF_TRAFFICKING:
        return any_member(j, d, pref);
    default:
        return 1;
    }
}

static const struct {
    int level, sc, n, pref;
} QUOTAS[] = {
    {T_READY, SC_NONE, 1, PREF_ESCORT},
    {T_READY, SC_NONE, 1, PREF_TRAFFICKING},
    {T_READY, SC_NONE, 6, PREF_ANY},
    {T_PRE_DEPARTURE, SC_HOLD_HEALTH, 1, PREF_MEDICAL},
    {T_PRE_DEPARTURE, SC_HOLD_DOCS, 1, PREF_NO_DOC},
    {T_PRE_DEPARTURE, SC_WITHDRAW_FAMILY, 1, PREF_ANY},
    {T_PRE_DEPARTURE, SC_NONE, 11, PREF_ANY},
    {T_ELIGIBLE, SC_WITHDRAW_ONWARD, 1, PREF_SINGLE},
    {T_ELIGIBLE, SC_NONE, 13, PREF_ANY},
    {T_CONSENTED, SC_WITHDRAW_WORK, 1, PREF_SINGLE},
    {T_CONSENTED, SC_CLOSE_INELIGIBLE, 2, PREF_ANY},
    {T_CONSENTED, SC_NONE, 15, PREF_ANY},
    {T_COUNSELLED, SC_HOLD_DECIDE, 1, PREF_SINGLE},
    {T_COUNSELLED, SC_NONE, 17, PREF_ANY},
};

/* Gives every case its plan: the showcases by hand (the unaccompanied
 * children, the restricted destinations), the others by quota over a fixed
 * shuffle. */
static void plan_cases(jctx_t *j, dcase_t *dc, int n)
{
    int *pool = calloc((size_t)n, sizeof *pool);
    int np = 0;
    if (!pool)
        return;
    for (int i = 0; i < n; i++) {
        dcase_t *d = &dc[i];
        const row_t *row = d->row;
        d->planned = 1;
        if (reintegration_caseload(row))
            continue;
        if (row->p == &P_MLI_NORTH) {
            d->level = d->k == 0 ? T_CONSENTED : T_READY;
            d->sc = d->k == 0 ? SC_BLOCKED_APPROVAL : SC_APPROVED;
        } else if (row->p == &P_SDN_DARFUR) {
            d->level = d->k == 0 ? T_CONSENTED : T_COUNSELLED;
            d->sc = d->k == 0 ? SC_BLOCKED_SUSPENDED : SC_NONE;
        } else if (d->uac) {
            const char *nat = row->p->nat;
            if (strcmp(nat, "MLI") == 0 && strcmp(row->office, "DZ-TAM") == 0)
                d->level = d->k == 0 ? T_PRE_DEPARTURE : T_READY;
            else if (strcmp(nat, "GIN") == 0)
                d->level = T_CONSENTED;
            else if (strcmp(nat, "SDN") == 0) {
                d->level = T_CONSENTED;
                d->sc = SC_HOLD_TRACING;
            }
        } else {
            d->planned = 0;
            pool[np++] = i;
        }
    }
    for (int i = np - 1; i > 0; i--) { /* Fisher-Yates */
        int k = rng_below(&j->rng, i + 1), t = pool[i];
        pool[i] = pool[k];
        pool[k] = t;
    }
    for (size_t q = 0; q < NELEM(QUOTAS); q++) {
        int got = 0;
        for (int pass = 0; pass < 2 && got < QUOTAS[q].n; pass++)
            for (int x = 0; x < np && got < QUOTAS[q].n; x++) {
                dcase_t *d = &dc[pool[x]];
                if (d->planned || max_level(j, d) < QUOTAS[q].level ||
                    (pass == 0 && !preferred(j, d, QUOTAS[q].pref)))
                    continue;
                d->planned = 1;
                d->level = QUOTAS[q].level;
                d->sc = QUOTAS[q].sc;
                got++;
            }
    }
    free(pool);
}

static int load_restrictions(jctx_t *j)
{
    awda_date_t t = awda_today();
    int doy =
        (int)(awda_days_from_civil(t.year, t.month, t.day) - awda_days_from_civil(t.year, 1, 1));
    char from_k[16], from_d[16], review_k[16], review_d[16];
    /* In force since earlier this year (or two months when the year is young). */
    day_at(j, doy > 75 ? -(doy - 60) : -60, from_k);
    day_at(j, doy > 75 ? -(doy - 14) : -75, from_d);
    day_at(j, 70, review_k);
    day_at(j, -9, review_d); /* overdue */
    json_t *kidal = json_pack(
        "{s:s,s:s,s:s,s:s,s:s,s:s}", "country", "MLI", "admin_area", "Kidal", "kind",
        "approval_required", "effective_from", from_k, "reason",
        "Armed conflict and insecurity on the roads of the Kidal region; every return needs an "
        "individual security assessment and the approval of the programme manager.",
        "next_review", review_k);
    json_t *darfur = json_pack(
        "{s:s,s:s,s:s,s:s,s:s,s:s}", "country", "SDN", "admin_area", "North Darfur", "kind",
        "suspended", "effective_from", from_d, "reason",
        "Active hostilities in North Darfur, including around El Fasher; no safe access and "
        "no reception capacity. Returns are suspended until the situation allows.",
        "next_review", review_d);
    json_t *bodies[2] = {kidal, darfur};
    char *ids[2] = {j->kidal, j->darfur};
    int rc = 0;
    for (int i = 0; i < 2; i++) {
        app_result_t r;
        memset(&r, 0, sizeof r);
        app_restriction_create(j->app, j->sys, bodies[i], NULL, NULL, &r);
        const char *id = cstr(r.body, "id");
        if (r.code != APP_CREATED || !id) {
            report(i == 0 ? "restriction Kidal" : "restriction North Darfur", &r);
            rc = -1;
        } else {
            snprintf(ids[i], 40, "%s", id);
        }
        app_result_free(&r);
        if (rc)
            break;
    }
    json_decref(kidal);
    json_decref(darfur);
    return rc;
}

/* Walks the cases; prints the stages reached and where the showcases are. */
static int load_journeys(app_t *app, const app_actor_t *sys, dcase_t *dc, int n)
{
    jctx_t j;
    memset(&j, 0, sizeof j);
    j.app = app;
    j.sys = sys;
    j.rng.s = 0x6A6F75726E6579ULL; /* "journey" */
    j.now_ms = awda_now_ms();
    if (load_restrictions(&j) != 0)
        return -1;
    plan_cases(&j, dc, n);
    for (int i = 0; i < n; i++)
        if (walk_case(&j, &dc[i]) != 0)
            return -1;

    int count[16] = {0};
    size_t nst = 0;
    while (AWDA_STAGES[nst] && nst < NELEM(count))
        nst++;
    for (int i = 0; i < n; i++) {
        const char *st = cstr(dc[i].caze, "stage");
        for (size_t s = 0; st && s < nst; s++)
            if (strcmp(st, AWDA_STAGES[s]) == 0)
                count[s]++;
    }
    char line[512] = "";
    for (size_t s = 0; s < nst; s++) {
        if (!count[s])
            continue;
        char part[48];
        snprintf(part, sizeof part, "%s%s %d", line[0] ? ", " : "", AWDA_STAGES[s], count[s]);
        sb_add(line, sizeof line, part);
    }
    fprintf(stderr, "awda demo: cases per stage: %s\n", line);
    char show[512] = "";
    for (int i = 0; i < n; i++) {
        const dcase_t *d = &dc[i];
        const char *what = NULL;
        if (d->uac && d->level == T_READY)
            what = "unaccompanied child, ready";
        else if (d->sc == SC_BLOCKED_APPROVAL)
            what = "Kidal, waiting for approval";
        else if (d->sc == SC_APPROVED)
            what = "Kidal, approved";
        else if (d->sc == SC_BLOCKED_SUSPENDED)
            what = "North Darfur, suspended (review overdue)";
        if (!what)
            continue;
        char part[128];
        snprintf(part, sizeof part, "%s%s %s", show[0] ? "; " : "", case_number(d), what);
        sb_add(show, sizeof show, part);
    }
    fprintf(stderr, "awda demo: to look at: %s\n", show);
    return 0;
}

/* ---- a whole return to walk ---------------------------------------------------
 *
 * Two households registered and nothing more, for a person trying the demo
 * to walk from registration to arrival with the demo users alone (README,
 * "Walk a whole return with the demo", names the user of each step; the
 * API test tests/api/test_demo_walk.py walks both exactly so):
 *
 *   EG-CAI -> SD-KRT  a Sudanese family in Cairo (father, mother, a son of
 *                     8) going home to Khartoum;
 *   DZ-TAM -> ML-BKO  a Malian couple in Tamanrasset going home to Bamako.
 *
 * Every step needs a user: the offices and users below add what the rest
 * of the demo lacks for these two walks (a medical officer in Cairo, a
 * counsellor in Tamanrasset, the office in Khartoum, and an operations
 * officer in each receiving office, who confirms the arrival once the case
 * is handed over). Neither destination is restricted (Kidal and North
 * Darfur are). The households are made after the journeys of the other
 * cases, so the generator and the plans of those stay as they were. */

typedef struct {
    const char *code, *name, *country, *location, *name_ar, *name_fr;
} walk_office_t;

static const walk_office_t WALK_OFFICES[] = {
    {"SD-KRT", "Khartoum", "SDN", "Khartoum, Sudan", "الخرطوم", "Khartoum"},
};

static const user_def_t WALK_USERS[] = {
    {"salma.medical", "Salma Fathy", "medical", {"EG-CAI"}},
    {"sofiane.counsellor", "Sofiane Meziane", "counsellor", {"DZ-TAM", "DZ-ALG"}},
    {"tarig.operations", "Tarig Elamin", "operations", {"SD-KRT"}},
    {"moussa.operations", "Moussa Traoré", "operations", {"ML-BKO"}},
};

typedef struct {
    const char *rel, *name, *latin, *sex;
    int age;
    const char *langs;  /* comma-separated */
    const char *doc[4]; /* type, number, issuing country, expiry (NULL: none) */
} walk_member_t;

typedef struct {
    const char *office, *nat, *area, *pcode, *project, *assignee, *route, *notes;
    walk_member_t m[3];
} walk_case_t;

static const walk_case_t WALK_CASES[] = {
    {"EG-CAI",
     "SDN",
     "Khartoum",
     "SD01",
     PRJ_EG,
     "karim.counsellor",
     "Cairo -> Khartoum",
     "Fled the fighting in Khartoum in 2023 and lives with relatives in Faisal, Giza. The "
     "family's house in Omdurman still stands and an uncle lives next door; the father wants "
     "to reopen his tailoring workshop there. Household of 3 registered together.",
     {{"principal",
       "عبد المنعم الجيلي الفكي",
       "Abdelmoneim Elgaili Elfaki",
       "male",
       41,
       "ar,en",
       {"passport", "P04718265", "SDN", "2024-03-11"}},
      {"spouse",
       "إيمان حسن عبد الباقي",
       "Iman Hassan Abdelbagi",
       "female",
       34,
       "ar",
       {"national_id", "21034587619", "SDN", NULL}},
      {"child",
       "مهند عبد المنعم الجيلي",
       "Muhannad Abdelmoneim Elgaili",
       "male",
       8,
       "ar",
       {"birth_certificate", "BC-30917452", "SDN", NULL}}}},
    {"DZ-TAM",
     "MLI",
     "Bamako",
     "ML09",
     PRJ_DZ,
     "sofiane.counsellor",
     "Tamanrasset -> Bamako",
     "Worked on building sites in Tamanrasset for two years; the work stopped and the couple "
     "asked to go home. Her family in Bamako (Sébénikoro) will take them in; he wants to "
     "train as a welder. Household of 2 registered together.",
     {{"principal",
       "Boubou Niangadou",
       NULL,
       "male",
       29,
       "snk,bm,fr",
       {"consular_card", "CC-4071853", "MLI", NULL}},
      {"spouse", "Kani Magassa", NULL, "female", 26, "bm,snk", {NULL}},
      {NULL, NULL, NULL, NULL, 0, NULL, {NULL}}}},
};

static int load_walk_offices(app_t *app, const app_actor_t *sys)
{
    for (size_t i = 0; i < NELEM(WALK_OFFICES); i++) {
        const walk_office_t *o = &WALK_OFFICES[i];
        json_t *body = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "code", o->code, "name", o->name,
                                 "country", o->country, "location", o->location, "name_ar",
                                 o->name_ar, "name_fr", o->name_fr);
        app_result_t r;
        memset(&r, 0, sizeof r);
        app_office_create(app, sys, body, NULL, NULL, &r);
        json_decref(body);
        int ok = r.code == APP_CREATED || r.code == APP_CONFLICT; /* kept as it is */
        if (!ok) {
            char what[64];
            snprintf(what, sizeof what, "office %s", o->code);
            report(what, &r);
        }
        app_result_free(&r);
        if (!ok)
            return -1;
    }
    return 0;
}

/* An exact date of birth that makes the person age today (the birthday
 * about five months ago). */
static json_t *walk_dob(int age)
{
    time_t t = (time_t)(awda_now_ms() / 1000) - ((time_t)age * 36525 / 100 + 150) * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    char b[16];
    snprintf(b, sizeof b, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    return json_string(b);
}

static json_t *walk_person(const walk_case_t *w, const walk_member_t *m)
{
    json_t *p = json_pack("{s:s,s:s,s:o,s:s,s:s}", "name", m->name, "sex", m->sex, "date_of_birth",
                          walk_dob(m->age), "dob_precision", "exact", "nationality", w->nat);
    if (m->latin)
        json_object_set_new(p, "name_latin", json_string(m->latin));
    json_t *langs = json_array();
    char buf[64];
    snprintf(buf, sizeof buf, "%s", m->langs);
    char *save = NULL;
    for (char *l = strtok_r(buf, ",", &save); l; l = strtok_r(NULL, ",", &save))
        json_array_append_new(langs, json_string(l));
    json_object_set_new(p, "languages", langs);
    if (m->doc[0]) {
        json_t *d = json_pack("{s:s,s:s,s:s}", "type", m->doc[0], "number", m->doc[1],
                              "issuing_country", m->doc[2]);
        if (m->doc[3])
            json_object_set_new(d, "expiry", json_string(m->doc[3]));
        json_object_set_new(p, "documents", json_pack("[o]", d));
    }
    return p;
}

/* Registers the households to walk; prints their case numbers. */
static int load_walk_cases(app_t *app, const app_actor_t *sys)
{
    char show[256] = "";
    for (size_t i = 0; i < NELEM(WALK_CASES); i++) {
        const walk_case_t *w = &WALK_CASES[i];
        json_t *members = json_array();
        for (size_t k = 0; k < NELEM(w->m) && w->m[k].rel; k++)
            member_add(members, w->m[k].rel, walk_person(w, &w->m[k]));
        json_t *body = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o}", "office", w->office,
                                 "origin_country", w->nat, "destination_country", w->nat,
                                 "destination_admin_area", w->area, "destination_pcode", w->pcode,
                                 "project", w->project, "assigned_to", w->assignee, "notes",
                                 w->notes, "members", members);
        app_result_t r;
        memset(&r, 0, sizeof r);
        app_case_create(app, sys, body, NULL, NULL, &r);
        int ok = r.code == APP_CREATED && r.body;
        if (ok) {
            char part[96];
            snprintf(part, sizeof part, "%s%s %s", show[0] ? "; " : "",
                     json_string_value(json_object_get(r.body, "number")), w->route);
            sb_add(show, sizeof show, part);
        } else {
            char what[96];
            snprintf(what, sizeof what, "the household to walk %s", w->route);
            report(what, &r);
        }
        json_decref(body);
        app_result_free(&r);
        if (!ok)
            return -1;
    }
    fprintf(stderr, "awda demo: to walk home (README, \"Walk a whole return with the demo\"): %s\n",
            show);
    return 0;
}

int awda_demo_load(app_t *app, FILE *out)
{
    if (!app || !out)
        return -1;
    if (sodium_init() < 0) {
        fprintf(stderr, "awda demo: libsodium could not be initialised\n");
        return -1;
    }
    int any = has_cases(app);
    if (any < 0) {
        fprintf(stderr, "awda demo: the database could not be read\n");
        return -1;
    }
    if (any) {
        fprintf(stderr, "awda demo: the database already holds cases; the demo dataset loads "
                        "only into a database without cases\n");
        return -1;
    }
    app_actor_t sys;
    memset(&sys, 0, sizeof sys);
    sys.system = 1;

    if (load_offices(app, &sys) != 0 || load_walk_offices(app, &sys) != 0 ||
        load_partners(app, &sys) != 0 || load_users(app, &sys, out) != 0 ||
        load_user_defs(app, &sys, WALK_USERS, NELEM(WALK_USERS), out) != 0)
        return -1;

    gen_t g;
    memset(&g, 0, sizeof g);
    g.rng.s = 0x61776461u ^ 0x9E3779B97F4A7C15ULL; /* "awda" and the golden ratio */
    g.today = awda_today();
    int total = 0;
    for (size_t i = 0; i < NELEM(ROWS); i++)
        total += ROWS[i].count;
    dcase_t *dc = calloc((size_t)total, sizeof *dc);
    if (!dc) {
        fprintf(stderr, "awda demo: out of memory\n");
        return -1;
    }
    int ncases = 0;
    int rc = load_cases(app, &sys, &g, dc, &ncases);
    if (rc == 0)
        fprintf(stderr, "awda demo: %zu offices, %zu users, %d cases, %d persons loaded\n",
                NELEM(OFFICES) + NELEM(WALK_OFFICES), NELEM(USERS) + NELEM(WALK_USERS), ncases,
                g.persons);
    if (rc == 0)
        rc = load_journeys(app, &sys, dc, ncases);
    if (rc == 0)
        rc = load_walk_cases(app, &sys);
    for (int i = 0; i < ncases; i++)
        json_decref(dc[i].caze);
    free(dc);
    return rc;
}
