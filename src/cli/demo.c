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
 */
#include "demo.h"
#include "../core/field.h"
#include "../util/timeutil.h"
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
    {"محمد", "Mohamed"},     {"أحمد", "Ahmed"},        {"عثمان", "Osman"},
    {"عبد الله", "Abdalla"}, {"إبراهيم", "Ibrahim"},   {"يوسف", "Yousif"},
    {"حسن", "Hassan"},       {"علي", "Ali"},           {"عمر", "Omer"},
    {"آدم", "Adam"},         {"موسى", "Musa"},         {"الصادق", "Elsadig"},
    {"مصطفى", "Mustafa"},    {"خالد", "Khalid"},       {"بابكر", "Babiker"},
    {"حامد", "Hamid"},       {"الفاتح", "Elfatih"},    {"صلاح", "Salah"},
    {"عوض", "Awad"},         {"محجوب", "Mahjoub"},     {"إدريس", "Idris"},
    {"عبد الرحمن", "Abdelrahman"}, {"الأمين", "Elamin"}, {"هاشم", "Hashim"},
    {"طارق", "Tarig"},       {"معتصم", "Mutasim"},
};
static const nm_t SD_F[] = {
    {"فاطمة", "Fatima"}, {"آمنة", "Amna"},     {"مريم", "Mariam"},   {"عائشة", "Aisha"},
    {"سارة", "Sara"},    {"هبة", "Hiba"},      {"إخلاص", "Ikhlas"},  {"سعاد", "Suad"},
    {"زينب", "Zainab"},  {"رحاب", "Rehab"},    {"أميرة", "Amira"},   {"نفيسة", "Nafisa"},
    {"حواء", "Hawa"},    {"خديجة", "Khadija"}, {"سلمى", "Salma"},    {"ملاذ", "Malaz"},
    {"تسنيم", "Tasneem"}, {"رؤى", "Roaa"},
};
static const nm_t SD_FAM[] = {
    {"الطيب", "Eltayeb"},  {"البشير", "Elbashir"}, {"النور", "Elnour"},
    {"الماحي", "Elmahi"},  {"الزين", "Elzein"},    {"حمدان", "Hamdan"},
    {"دفع الله", "Dafalla"}, {"التوم", "Eltom"},    {"عبد القادر", "Abdelgadir"},
    {"سليمان", "Suliman"}, {"الحسن", "Elhassan"},  {"عبد الرحيم", "Abdelrahim"},
};

/* Egypt (Egyptian spellings: Gamal, Mostafa, Aly). */
static const nm_t EG_M[] = {
    {"محمد", "Mohamed"},   {"أحمد", "Ahmed"},     {"محمود", "Mahmoud"},
    {"مصطفى", "Mostafa"},  {"عبد الرحمن", "Abdelrahman"}, {"كريم", "Karim"},
    {"إسلام", "Eslam"},    {"إبراهيم", "Ibrahim"}, {"هاني", "Hany"},
    {"السيد", "Elsayed"},  {"جمال", "Gamal"},     {"حسن", "Hassan"},
    {"علي", "Aly"},        {"طارق", "Tarek"},     {"وليد", "Walid"},
    {"أيمن", "Ayman"},     {"شريف", "Sherif"},    {"عمرو", "Amr"},
    {"خالد", "Khaled"},    {"يوسف", "Youssef"},   {"زياد", "Ziad"},
    {"عبد الله", "Abdallah"},
};
static const nm_t EG_F[] = {
    {"منى", "Mona"},     {"ياسمين", "Yasmin"}, {"هند", "Hend"},   {"نورا", "Noura"},
    {"دعاء", "Doaa"},    {"أسماء", "Asmaa"},   {"رحمة", "Rahma"}, {"إيمان", "Eman"},
    {"سماح", "Samah"},   {"مروة", "Marwa"},    {"فاطمة", "Fatma"}, {"شيماء", "Shaimaa"},
};
static const nm_t EG_FAM[] = {
    {"السيد", "Elsayed"},      {"عبد العزيز", "Abdelaziz"}, {"الشناوي", "Elshenawy"},
    {"البحيري", "Elbeheiry"},  {"منصور", "Mansour"},        {"سليمان", "Soliman"},
    {"عبد الحميد", "Abdelhamid"}, {"الدسوقي", "Eldesouky"}, {"حجازي", "Hegazy"},
    {"رمضان", "Ramadan"},      {"شحاتة", "Shehata"},        {"عطية", "Attia"},
    {"النجار", "Elnaggar"},    {"قنديل", "Kandil"},         {"فرج", "Farag"},
    {"عبد الفتاح", "Abdelfattah"}, {"زكي", "Zaky"},
};

/* Eritrea, Tigrinya speakers (Ge'ez script) and Arabic-speaking Muslims. */
static const nm_t ER_TI_M[] = {
    {"ሃብቶም", "Habtom"},   {"ፊልሞን", "Filmon"}, {"ዮናስ", "Yonas"},     {"ተስፋይ", "Tesfay"},
    {"መብራህቱ", "Mebrahtu"}, {"የማነ", "Yemane"}, {"ሓጎስ", "Hagos"},     {"ኪዳነ", "Kidane"},
    {"ብርሃነ", "Berhane"},  {"ዳዊት", "Dawit"},   {"ሚካኤል", "Michael"}, {"ተኽለ", "Tekle"},
};
static const nm_t ER_TI_F[] = {
    {"ሰምሃር", "Semhar"}, {"ሉዋም", "Luwam"}, {"ሰናይት", "Senait"},     {"ሳባ", "Saba"},
    {"ሄለን", "Helen"},   {"ፍረወይኒ", "Freweyni"}, {"ሩታ", "Ruta"},   {"ኤልሳ", "Elsa"},
};
static const nm_t ER_AR_M[] = {
    {"محمد", "Mohammed"}, {"صالح", "Saleh"}, {"إدريس", "Idris"},     {"عثمان", "Osman"},
    {"حامد", "Hamid"},    {"عمر", "Omar"},   {"إبراهيم", "Ibrahim"}, {"آدم", "Adem"},
    {"محمود", "Mahmoud"}, {"نور", "Nur"},
};
static const nm_t ER_AR_F[] = {
    {"أمنة", "Amna"}, {"زهرة", "Zahra"}, {"حليمة", "Halima"}, {"فاطمة", "Fatuma"},
    {"سعدية", "Saadia"}, {"مريم", "Mariam"},
};

/* Ethiopia, Amharic speakers (Ge'ez script) and Oromo speakers (Qubee). */
static const nm_t ET_AM_M[] = {
    {"ዳዊት", "Dawit"},   {"ዮናስ", "Yonas"},     {"ሙሉጌታ", "Mulugeta"}, {"ተስፋዬ", "Tesfaye"},
    {"አበበ", "Abebe"},   {"ከበደ", "Kebede"},    {"ግርማ", "Girma"},     {"በቀለ", "Bekele"},
    {"አለሙ", "Alemu"},   {"ዮሐንስ", "Yohannes"}, {"ሰለሞን", "Solomon"},
};
static const nm_t ET_AM_F[] = {
    {"ሰላም", "Selam"},   {"ሕይወት", "Hiwot"},   {"ትዕግሥት", "Tigist"}, {"መቅደስ", "Mekdes"},
    {"አልማዝ", "Almaz"},  {"ሜሮን", "Meron"},    {"ቤተልሔም", "Betelhem"}, {"ብርቱካን", "Birtukan"},
};
static const nm_t ET_OM_M[] = {
    {"Abdi", NULL},  {"Gemechu", NULL}, {"Lemma", NULL}, {"Tolera", NULL},
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
    {"Hodan", NULL}, {"Fartun", NULL},  {"Ayaan", NULL}, {"Sahra", NULL},
    {"Hibaaq", NULL}, {"Faadumo", NULL}, {"Khadra", NULL}, {"Ubah", NULL},
};
static const nm_t SO_FAM[] = {
    {"Farah", NULL}, {"Warsame", NULL}, {"Hirsi", NULL}, {"Mohamud", NULL}, {"Abdi", NULL},
    {"Jama", NULL},  {"Osman", NULL},   {"Nur", NULL},   {"Aden", NULL},
};

/* Nigeria (family names; many of the women from Edo State). */
static const nm_t NG_M[] = {
    {"Chinedu", NULL}, {"Emeka", NULL}, {"Osas", NULL},   {"Osagie", NULL},
    {"Ibrahim", NULL}, {"Musa", NULL},  {"Tunde", NULL},  {"Segun", NULL},
};
static const nm_t NG_F[] = {
    {"Blessing", NULL}, {"Joy", NULL},    {"Precious", NULL}, {"Gift", NULL},
    {"Esther", NULL},   {"Aisha", NULL},  {"Favour", NULL},   {"Osarugue", NULL},
};
static const nm_t NG_FAM[] = {
    {"Okafor", NULL}, {"Eze", NULL},     {"Igbinedion", NULL}, {"Okoro", NULL},
    {"Adeyemi", NULL}, {"Bello", NULL},  {"Obaseki", NULL},    {"Omoregie", NULL},
};

/* Mali. */
static const nm_t ML_M[] = {
    {"Amadou", NULL},  {"Oumar", NULL},    {"Boubacar", NULL}, {"Moussa", NULL},
    {"Mamadou", NULL}, {"Seydou", NULL},   {"Ibrahim", NULL},  {"Sékou", "Sekou"},
    {"Bakary", NULL},  {"Drissa", NULL},   {"Adama", NULL},    {"Souleymane", NULL},
    {"Modibo", NULL},  {"Lassana", NULL},  {"Siaka", NULL},    {"Youssouf", NULL},
    {"Daouda", NULL},  {"Sinali", NULL},
};
static const nm_t ML_F[] = {
    {"Fatoumata", NULL}, {"Aminata", NULL}, {"Mariam", NULL}, {"Awa", NULL},
    {"Kadiatou", NULL},  {"Oumou", NULL},   {"Assétou", "Assetou"}, {"Hawa", NULL},
    {"Kadidia", NULL},   {"Djénéba", "Djeneba"}, {"Rokia", NULL}, {"Salimata", NULL},
    {"Bintou", NULL},
};
static const nm_t ML_FAM[] = {
    {"Keïta", "Keita"},   {"Traoré", "Traore"},   {"Coulibaly", NULL}, {"Diarra", NULL},
    {"Sidibé", "Sidibe"}, {"Konaté", "Konate"},   {"Touré", "Toure"},  {"Diallo", NULL},
    {"Sangaré", "Sangare"}, {"Doumbia", NULL},    {"Camara", NULL},    {"Kanté", "Kante"},
    {"Sissoko", NULL},    {"Dembélé", "Dembele"}, {"Cissé", "Cisse"},  {"Kanta", NULL},
    {"Bagayoko", NULL},   {"Diakité", "Diakite"}, {"Sacko", NULL},     {"Dramé", "Drame"},
    {"Soumaré", "Soumare"}, {"Tounkara", NULL},
};
/* Malians of the north who write their names in Arabic script. */
static const nm_t ML_AR_M[] = {
    {"محمد", "Mohamed"}, {"أحمد", "Ahmed"}, {"عبد الله", "Abdallah"}, {"الحسن", "Elhassane"},
    {"سيدي", "Sidi"},    {"عمر", "Oumar"},
};
static const nm_t ML_AR_F[] = {
    {"فاطمة", "Fatma"}, {"عيشة", "Aicha"}, {"مريم", "Mariem"},
};
static const nm_t ML_AR_FAM[] = {
    {"البوصيري", "El Boussiri"}, {"ولد سيدي", "Ould Sidi"}, {"أغ محمد", "Ag Mohamed"},
    {"ولد الطالب", "Ould Taleb"}, {"الأنصاري", "Ansari"},
};

/* Guinea. */
static const nm_t GN_M[] = {
    {"Mamadou", NULL}, {"Alpha", NULL},   {"Ibrahima", NULL}, {"Thierno", NULL},
    {"Abdoulaye", NULL}, {"Ousmane", NULL}, {"Alseny", NULL}, {"Lansana", NULL},
    {"Fodé", "Fode"},  {"Sékou", "Sekou"},
};
static const nm_t GN_F[] = {
    {"Mariama", NULL}, {"Fatoumata", NULL}, {"Kadiatou", NULL}, {"Aïssatou", "Aissatou"},
    {"Djenabou", NULL}, {"M'Balou", "M'Balou"}, {"Saran", NULL},
};
static const nm_t GN_FAM[] = {
    {"Diallo", NULL}, {"Barry", NULL},   {"Bah", NULL},      {"Sow", NULL},
    {"Camara", NULL}, {"Condé", "Conde"}, {"Soumah", NULL},  {"Sylla", NULL},
    {"Kourouma", NULL}, {"Baldé", "Balde"}, {"Keïta", "Keita"},
};

/* Burkina Faso. */
static const nm_t BF_M[] = {
    {"Adama", NULL},  {"Salif", NULL},     {"Boukary", NULL},  {"Ousmane", NULL},
    {"Abdoul", NULL}, {"Rasmané", "Rasmane"}, {"Karim", NULL}, {"Idrissa", NULL},
    {"Hamidou", NULL},
};
static const nm_t BF_F[] = {
    {"Mariam", NULL},  {"Awa", NULL},      {"Safiatou", NULL}, {"Rasmata", NULL},
    {"Aminata", NULL}, {"Alimata", NULL},  {"Bibata", NULL},
};
static const nm_t BF_FAM[] = {
    {"Ouédraogo", "Ouedraogo"}, {"Sawadogo", NULL}, {"Compaoré", "Compaore"},
    {"Kaboré", "Kabore"},       {"Zongo", NULL},    {"Ouattara", NULL},
    {"Sanou", NULL},            {"Kinda", NULL},    {"Nikiéma", "Nikiema"},
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
    int patronymic;      /* child = own + father's first + father's second name */
    int wife_takes_name; /* family-name cultures: a wife carries her husband's */
    const char *const *langs; /* comma-separated sets to choose from */
    size_t nlangs;
    const char *pass_prefix; /* passport number: prefix + digits */
    int pass_digits;
    int pass_pct;            /* adults holding a passport */
    int lp_pct;              /* of the others: a laissez-passer from the consulate */
    int traffick_pct;        /* adult women identified as victims of trafficking */
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

static const prof_t P_SDN = {"SDN", LIST(SD_M), LIST(SD_F), LIST(SD_FAM), 1, 0, LIST(L_SDN),
                             "P", 8, 55, 25, 3, LIST(D_SDN)};
static const prof_t P_EGY = {"EGY", LIST(EG_M), LIST(EG_F), LIST(EG_FAM), 1, 0, LIST(L_EGY),
                             "A", 8, 60, 30, 0, LIST(D_EGY)};
static const prof_t P_ERI_TI = {"ERI", LIST(ER_TI_M), LIST(ER_TI_F), LIST(ER_TI_M), 1, 0,
                                LIST(L_ERI_TI), "P", 7, 25, 30, 15, LIST(D_ERI)};
static const prof_t P_ERI_AR = {"ERI", LIST(ER_AR_M), LIST(ER_AR_F), LIST(ER_AR_M), 1, 0,
                                LIST(L_ERI_AR), "P", 7, 25, 30, 10, LIST(D_ERI)};
static const prof_t P_ETH_AM = {"ETH", LIST(ET_AM_M), LIST(ET_AM_F), LIST(ET_AM_M), 1, 0,
                                LIST(L_ETH_AM), "EP", 7, 55, 30, 30, LIST(D_ETH)};
static const prof_t P_ETH_OM = {"ETH", LIST(ET_OM_M), LIST(ET_OM_F), LIST(ET_OM_M), 1, 0,
                                LIST(L_ETH_OM), "EP", 7, 45, 30, 25, LIST(D_ETH)};
static const prof_t P_SSD = {"SSD", LIST(SS_M), LIST(SS_F), LIST(SS_M), 1, 0, LIST(L_SSD),
                             "R", 8, 35, 40, 5, LIST(D_SSD)};
static const prof_t P_NGA = {"NGA", LIST(NG_M), LIST(NG_F), LIST(NG_FAM), 0, 1, LIST(L_NGA),
                             "A", 8, 50, 40, 60, LIST(D_NGA)};
static const prof_t P_SOM = {"SOM", LIST(SO_M), LIST(SO_F), LIST(SO_FAM), 1, 0, LIST(L_SOM),
                             "P", 8, 30, 30, 5, LIST(D_SOM)};
static const prof_t P_MLI = {"MLI", LIST(ML_M), LIST(ML_F), LIST(ML_FAM), 0, 0, LIST(L_MLI),
                             "AA", 7, 30, 50, 4, LIST(D_MLI)};
static const prof_t P_MLI_KYS = {"MLI", LIST(ML_M), LIST(ML_F), LIST(ML_FAM), 0, 0,
                                 LIST(L_MLI), "AA", 7, 35, 20, 4, LIST(D_MLI_KAYES)};
static const prof_t P_MLI_BKO = {"MLI", LIST(ML_M), LIST(ML_F), LIST(ML_FAM), 0, 0,
                                 LIST(L_MLI), "AA", 7, 35, 20, 4, LIST(D_MLI_BKO)};
static const prof_t P_MLI_AR = {"MLI", LIST(ML_AR_M), LIST(ML_AR_F), LIST(ML_AR_FAM), 0, 0,
                                LIST(L_MLI_AR), "AA", 7, 30, 60, 0, LIST(D_MLI_BKO)};
static const prof_t P_MLI_NORTH = {"MLI", LIST(ML_AR_M), LIST(ML_AR_F), LIST(ML_AR_FAM), 0, 0,
                                   LIST(L_MLI_AR), "AA", 7, 30, 60, 0, LIST(D_MLI_KIDAL)};
static const prof_t P_SDN_DARFUR = {"SDN", LIST(SD_M), LIST(SD_F), LIST(SD_FAM), 1, 0,
                                    LIST(L_SDN), "P", 8, 40, 25, 3, LIST(D_SDN_NDARFUR)};
static const prof_t P_GIN = {"GIN", LIST(GN_M), LIST(GN_F), LIST(GN_FAM), 0, 0, LIST(L_GIN),
                             "R0", 7, 35, 45, 8, LIST(D_GIN)};
static const prof_t P_BFA = {"BFA", LIST(BF_M), LIST(BF_F), LIST(BF_FAM), 0, 0, LIST(L_BFA),
                             "B", 7, 35, 45, 5, LIST(D_BFA)};

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
    const char *code, *name, *country, *location;
} office_def_t;

static const office_def_t OFFICES[] = {
    {"EG-CAI", "Cairo", "EGY", "Cairo, Egypt"},
    {"DZ-TAM", "Tamanrasset", "DZA", "Tamanrasset, Algeria"},
    {"DZ-ALG", "Algiers", "DZA", "Algiers, Algeria"},
    {"ML-BKO", "Bamako", "MLI", "Bamako, Mali"},
    {"ML-KYS", "Kayes", "MLI", "Kayes, Mali"},
};

typedef struct {
    const char *username, *full_name, *role;
    const char *offices[4];
} user_def_t;

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
    int uac;         /* the first uac cases are unaccompanied children */
    int sep;         /* the next sep: an adult with a brother or sister under 18 */
    int hh[HH_N];    /* household mix weights */
    int women_pct;   /* share of women among single principals */
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
    {"EG-CAI", &P_SDN, 24, 1, 1, {38, 8, 30, 18, 6}, 30, PRJ_EG, "amina.registration", LIST(S_SDN),
     LIST(W_SDN), PH_EG},
    {"EG-CAI", &P_EGY, 16, 2, 0, {80, 4, 12, 0, 4}, 5, PRJ_EU, "amina.registration", LIST(S_EGY),
     LIST(W_EGY), PH_EG},
    {"EG-CAI", &P_ERI_TI, 4, 1, 0, {70, 10, 10, 10, 0}, 40, PRJ_EG, "amina.registration",
     LIST(S_HORN), LIST(W_HORN), PH_EG},
    {"EG-CAI", &P_ERI_AR, 3, 0, 0, {70, 10, 10, 10, 0}, 40, PRJ_EG, "amina.registration",
     LIST(S_HORN), LIST(W_HORN), PH_EG},
    {"EG-CAI", &P_ETH_AM, 5, 0, 0, {75, 5, 10, 10, 0}, 65, PRJ_EG, "amina.registration",
     LIST(S_HORN), LIST(W_HORN), PH_EG},
    {"EG-CAI", &P_ETH_OM, 2, 0, 0, {100, 0, 0, 0, 0}, 50, PRJ_EG, "amina.registration",
     LIST(S_HORN), LIST(W_HORN), PH_EG},
    {"EG-CAI", &P_SSD, 5, 0, 0, {50, 10, 20, 20, 0}, 40, PRJ_EG, "amina.registration",
     LIST(S_HORN), LIST(W_HORN), PH_EG},
    {"EG-CAI", &P_NGA, 4, 0, 0, {90, 0, 0, 10, 0}, 75, NULL, "amina.registration",
     LIST(S_WAF_EG), LIST(W_HORN), PH_EG},
    {"EG-CAI", &P_SOM, 4, 0, 0, {60, 10, 10, 20, 0}, 40, PRJ_EG, "amina.registration",
     LIST(S_HORN), LIST(W_HORN), PH_EG},
    {"DZ-TAM", &P_MLI, 20, 2, 0, {76, 4, 10, 5, 5}, 12, PRJ_DZ, "yacine.registration",
     LIST(S_TAM), LIST(W_WAF), PH_DZ},
    {"DZ-TAM", &P_MLI_AR, 2, 0, 0, {100, 0, 0, 0, 0}, 0, PRJ_DZ, "yacine.registration",
     LIST(S_TAM), LIST(W_WAF), PH_DZ},
    {"DZ-TAM", &P_GIN, 8, 1, 1, {80, 5, 5, 5, 5}, 15, PRJ_DZ, "yacine.registration", LIST(S_TAM),
     LIST(W_WAF), PH_DZ},
    {"DZ-TAM", &P_BFA, 6, 0, 0, {80, 5, 10, 5, 0}, 15, PRJ_DZ, "yacine.registration", LIST(S_TAM),
     LIST(W_WAF), PH_DZ},
    {"DZ-ALG", &P_MLI, 5, 0, 0, {80, 0, 10, 10, 0}, 20, PRJ_DZ, "yacine.registration",
     LIST(S_ALG), LIST(W_WAF), PH_DZ},
    {"DZ-ALG", &P_GIN, 3, 0, 0, {100, 0, 0, 0, 0}, 30, NULL, "yacine.registration", LIST(S_ALG),
     LIST(W_WAF), PH_DZ},
    {"ML-BKO", &P_MLI_BKO, 6, 0, 0, {80, 0, 10, 10, 0}, 15, PRJ_ML, "fatou.reintegration",
     LIST(S_MLRET), LIST(W_MLRET), PH_ML},
    {"ML-KYS", &P_MLI_KYS, 4, 0, 0, {75, 0, 25, 0, 0}, 10, PRJ_ML, "fatou.reintegration",
     LIST(S_MLRET), LIST(W_MLRET), PH_ML},
    /* Last, so that the cases above stay what they were: destinations under a
     * restriction (Kidal: approval required; North Darfur: suspended). */
    {"DZ-TAM", &P_MLI_NORTH, 2, 0, 0, {100, 0, 0, 0, 0}, 0, PRJ_DZ, "yacine.registration",
     LIST(S_TAM), LIST(W_WAF), PH_DZ},
    {"EG-CAI", &P_SDN_DARFUR, 2, 0, 0, {40, 0, 40, 20, 0}, 30, PRJ_EG, "amina.registration",
     LIST(S_DARFUR), LIST(W_SDN), PH_EG},
};

/* Neighbourhoods where people live while they wait. */
static const char *const ADDR_EG[] = {"Ard El Lewa, Giza",   "Faisal, Giza",
                                      "Ain Shams, Cairo",    "Nasr City, Cairo",
                                      "Arbaa wa Nus, Cairo", "6th of October City, Giza",
                                      "Maadi, Cairo"};
static const char *const ADDR_DZ[] = {"Quartier Gataa El Oued, Tamanrasset",
                                      "Quartier Tahaggart, Tamanrasset",
                                      "Quartier Sersouf, Tamanrasset",
                                      "Centre d'accueil, Tamanrasset"};
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
            date_text(g->today.year + (g->today.month + m > 12),
                      (g->today.month + m - 1) % 12 + 1, rng_range(&g->rng, 1, 28), exp);
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
        snprintf(num, sizeof num, "%d%02d%02d%02d%s", dob->year >= 2000 ? 3 : 2,
                 dob->year % 100, dob->month, dob->day, EGY_GOV[dest_index]);
        sb_digits(num, sizeof num, &g->rng, 3);
        char sexd[2] = {(char)('0' + 2 * rng_below(&g->rng, 5) + (female ? 0 : 1)), 0};
        sb_add(num, sizeof num, sexd);
        sb_digits(num, sizeof num, &g->rng, 1);
        json_array_append_new(docs, json_pack("{s:s,s:s,s:s}", "type", "national_id", "number",
                                              num, "issuing_country", "EGY"));
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
        return strcmp(row->p->nat, "EGY") == 0 ? town
                                              : ADDR_EG[rng_below(&g->rng, NELEM(ADDR_EG))];
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
    int contact;        /* give a phone and address */
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
    const char *town;     /* destination town */
    int dest_index;       /* into the profile's destinations */
    const char *langset;  /* the household's languages */
    const char *address;  /* where the household stays now, or NULL */
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
    if (s->nvul) {
        json_t *v = json_array();
        for (int i = 0; i < s->nvul; i++)
            json_array_append_new(v, json_string(s->vul[i]));
        json_object_set_new(o, "vulnerabilities", v);
    }
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
        json_t *body = json_pack("{s:s,s:s,s:s,s:s}", "code", o->code, "name", o->name,
                                 "country", o->country, "location", o->location);
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

static int load_users(app_t *app, const app_actor_t *sys, FILE *out)
{
    for (size_t i = 0; i < NELEM(USERS); i++) {
        const user_def_t *u = &USERS[i];
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

static int load_cases(app_t *app, const app_actor_t *sys, gen_t *g, int *ncases)
{
    for (size_t i = 0; i < NELEM(ROWS); i++) {
        const row_t *row = &ROWS[i];
        for (int k = 0; k < row->count; k++) {
            json_t *body =
                case_json(g, row, k < row->uac, k >= row->uac && k < row->uac + row->sep);
            app_result_t r;
            memset(&r, 0, sizeof r);
            app_case_create(app, sys, body, NULL, NULL, &r);
            int ok = r.code == APP_CREATED;
            if (!ok) {
                char what[96];
                snprintf(what, sizeof what, "case %d of %s (%s)", k + 1, row->office,
                         row->p->nat);
                report(what, &r);
                char *dump = json_dumps(body, JSON_COMPACT);
                if (dump) {
                    fprintf(stderr, "  body: %s\n", dump);
                    free(dump);
                }
            }
            json_decref(body);
            app_result_free(&r);
            if (!ok)
                return -1;
            (*ncases)++;
        }
    }
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

    if (load_offices(app, &sys) != 0 || load_users(app, &sys, out) != 0)
        return -1;

    gen_t g;
    memset(&g, 0, sizeof g);
    g.rng.s = 0x61776461u ^ 0x9E3779B97F4A7C15ULL; /* "awda" and the golden ratio */
    g.today = awda_today();
    int ncases = 0;
    if (load_cases(app, &sys, &g, &ncases) != 0)
        return -1;
    fprintf(stderr, "awda demo: %zu offices, %zu users, %d cases, %d persons loaded\n",
            NELEM(OFFICES), NELEM(USERS), ncases, g.persons);
    return 0;
}
