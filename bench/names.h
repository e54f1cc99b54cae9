/*
 * names.h — name, place and language tables for the data generator (gen.c).
 *
 * The generator draws households whose names look like the people awda
 * actually registers: Sudanese, Egyptian and Syrian names (Arabic script
 * with one of the usual Latin spellings: Mohamed / Muhammad / Mohammed),
 * Ethiopian and Eritrean names (father's given name as second name),
 * Malian, Guinean, Burkinabe, Nigerien and Nigerian names (given name plus
 * family name, with French accents: Traoré, Keïta, Ouédraogo).
 *
 * Arabic entries carry the Arabic spelling and up to four Latin spellings;
 * the first Latin spelling is the most common and is drawn most often.
 * Other pools are plain Latin strings. Each nationality also carries its
 * admin areas (with P-code-like codes), language sets, phone prefix and
 * passport number pattern. Everything here is static data; gen.c owns the
 * logic. Only gen.c includes this header.
 */
#ifndef AWDA_BENCH_NAMES_H
#define AWDA_BENCH_NAMES_H

typedef struct {
    const char *ar;
    const char *lat[4];
} ar_name_t;

#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const ar_name_t AR_MALE[] = {
    {"محمد", {"Mohamed", "Muhammad", "Mohammed", "Mohamad"}},
    {"أحمد", {"Ahmed", "Ahmad"}},
    {"محمود", {"Mahmoud", "Mahmud"}},
    {"مصطفى", {"Mostafa", "Mustafa"}},
    {"عبد الله", {"Abdallah", "Abdullah", "Abdalla", "Abdelah"}},
    {"عبد الرحمن", {"Abdelrahman", "Abdulrahman", "Abdel Rahman"}},
    {"عثمان", {"Osman", "Othman", "Uthman"}},
    {"عمر", {"Omar", "Umar"}},
    {"علي", {"Ali"}},
    {"حسن", {"Hassan", "Hasan"}},
    {"حسين", {"Hussein", "Hussain", "Hosein"}},
    {"إبراهيم", {"Ibrahim", "Ebrahim"}},
    {"يوسف", {"Yousif", "Youssef", "Yusuf"}},
    {"آدم", {"Adam"}},
    {"إسحاق", {"Ishag", "Ishaq"}},
    {"موسى", {"Musa", "Mousa", "Moussa"}},
    {"عيسى", {"Eisa", "Issa", "Isa"}},
    {"خالد", {"Khalid", "Khaled"}},
    {"طارق", {"Tarek", "Tariq"}},
    {"صلاح", {"Salah"}},
    {"الصادق", {"Elsadig", "Al-Sadiq", "Elsadiq"}},
    {"الطيب", {"Eltayeb", "Al-Tayeb", "Altayeb"}},
    {"بابكر", {"Babiker", "Babikir"}},
    {"بشير", {"Bashir", "Basheer"}},
    {"حامد", {"Hamid", "Hamed"}},
    {"جمال", {"Gamal", "Jamal"}},
    {"شريف", {"Sherif", "Sharif"}},
    {"هاني", {"Hany", "Hani"}},
    {"كريم", {"Karim", "Kareem"}},
    {"سامي", {"Sami", "Samy"}},
    {"وليد", {"Walid", "Waleed"}},
    {"ياسر", {"Yasser", "Yasir"}},
    {"فارس", {"Fares", "Faris"}},
    {"رامي", {"Rami", "Ramy"}},
    {"باسل", {"Basel", "Basil"}},
    {"عبد الرحيم", {"Abdelrahim", "Abdulrahim"}},
    {"النور", {"Elnour", "Alnour", "El Nour"}},
    {"أبكر", {"Abakar", "Abaker"}},
    {"سليمان", {"Suleiman", "Sulaiman", "Soliman"}},
    {"منصور", {"Mansour", "Mansur"}},
    {"عبد العزيز", {"Abdelaziz", "Abdulaziz"}},
    {"مجدي", {"Magdy", "Majdi"}},
    {"عادل", {"Adel", "Adil"}},
    {"نصر الدين", {"Nasreldin", "Nasr Eldin", "Nasruddin"}},
    {"هشام", {"Hesham", "Hisham"}},
};

static const ar_name_t AR_FEMALE[] = {
    {"فاطمة", {"Fatima", "Fatma", "Fatouma"}},
    {"عائشة", {"Aisha", "Aicha", "Aysha"}},
    {"آمنة", {"Amna", "Amina"}},
    {"خديجة", {"Khadija", "Khadiga"}},
    {"زينب", {"Zeinab", "Zainab"}},
    {"مريم", {"Mariam", "Maryam"}},
    {"حواء", {"Hawa"}},
    {"سعاد", {"Suad", "Souad"}},
    {"سامية", {"Samia", "Samiya"}},
    {"نفيسة", {"Nafisa", "Nafeesa"}},
    {"منى", {"Mona", "Muna"}},
    {"هبة", {"Heba", "Hiba"}},
    {"نور", {"Nour", "Noor"}},
    {"ياسمين", {"Yasmin", "Yasmeen"}},
    {"آية", {"Aya"}},
    {"رحاب", {"Rehab", "Rihab"}},
    {"إيمان", {"Eman", "Iman"}},
    {"سلمى", {"Salma"}},
    {"هدى", {"Hoda", "Huda"}},
    {"رشا", {"Rasha"}},
    {"لينا", {"Lina"}},
    {"رغد", {"Raghad"}},
    {"دعاء", {"Doaa", "Duaa"}},
    {"إسراء", {"Esraa", "Israa"}},
    {"أمل", {"Amal"}},
    {"سارة", {"Sara", "Sarah"}},
    {"ليلى", {"Leila", "Layla"}},
    {"حليمة", {"Halima"}},
    {"عوضية", {"Awadia", "Awadiya"}},
    {"إخلاص", {"Ekhlas", "Ikhlas"}},
};

/* Family names seen among Syrians and Egyptians (Sudanese use the
 * grandfather's given name instead). */
static const ar_name_t AR_FAMILY[] = {
    {"الحسن", {"Al-Hassan", "Alhasan", "El Hassan"}},
    {"خليل", {"Khalil"}},
    {"حداد", {"Haddad"}},
    {"درويش", {"Darwish", "Darwiche"}},
    {"حمدان", {"Hamdan"}},
    {"النجار", {"Al-Najjar", "Alnajjar", "El Naggar"}},
    {"الشامي", {"Al-Shami", "Alshami"}},
    {"العلي", {"Al-Ali", "Alali"}},
    {"قاسم", {"Kassem", "Qasim"}},
    {"الأحمد", {"Al-Ahmad", "Alahmad"}},
    {"حمود", {"Hammoud", "Hamoud"}},
    {"السيد", {"El-Sayed", "Elsayed", "Al Sayed"}},
    {"شحاتة", {"Shehata", "Shahata"}},
    {"عبد الحميد", {"Abdelhamid", "Abdulhamid"}},
    {"فرج", {"Farag", "Faraj"}},
    {"رزق", {"Rizk", "Rizq"}},
    {"سعيد", {"Said", "Saeed"}},
    {"المصري", {"El-Masry", "Almasri"}},
    {"الحلبي", {"Al-Halabi", "Halabi"}},
    {"عبد الرازق", {"Abdelrazek", "Abdulrazzaq"}},
};

static const char *const ETH_MALE[] = {
    "Abebe", "Bekele", "Dawit", "Getachew", "Haile", "Tesfaye", "Solomon", "Yohannes",
    "Mulugeta", "Alemu", "Girma", "Kebede", "Tadesse", "Abdi", "Lemma", "Biniam",
    "Henok", "Ermias", "Natnael", "Mohammed", "Abdulkadir", "Chala", "Gemechu", "Tamirat",
    "Fikru", "Mesfin", "Yared", "Kedir"};
static const char *const ETH_FEMALE[] = {
    "Tigist", "Mekdes", "Hiwot", "Selam", "Almaz", "Meseret", "Bethlehem", "Rahel", "Tsion",
    "Hanna", "Genet", "Aster", "Feven", "Lidya", "Sara", "Chaltu", "Ayantu", "Lensa",
    "Tirunesh", "Zewditu"};
static const char *const ERI_MALE[] = {
    "Tesfay", "Yonas", "Filmon", "Mehari", "Semere", "Amanuel", "Robel", "Biniam", "Kidane",
    "Tekle", "Ghebremedhin", "Habtom", "Berhane", "Yemane", "Mussie", "Daniel", "Efrem",
    "Goitom", "Isaias", "Samuel", "Tewelde", "Zerai", "Okbay", "Tesfamariam"};
static const char *const ERI_FEMALE[] = {
    "Semhar", "Helen", "Senait", "Freweini", "Luwam", "Eden", "Winta", "Rahwa", "Saba",
    "Yordanos", "Selam", "Mebrat", "Tsega", "Ruta", "Hadas", "Haben", "Elsa", "Milen"};

static const char *const MLI_MALE[] = {
    "Amadou", "Moussa", "Oumar", "Bakary", "Seydou", "Issa", "Mamadou", "Souleymane",
    "Adama", "Boubacar", "Modibo", "Drissa", "Sidiki", "Lassana", "Yacouba", "Siaka",
    "Mahamadou", "Cheick", "Ibrahim", "Abdoulaye", "Daouda", "Hamidou", "Ousmane", "Sékou",
    "Tiémoko", "Bourama", "Fousseyni", "Mamadi"};
static const char *const MLI_FEMALE[] = {
    "Fatoumata", "Aminata", "Mariam", "Kadiatou", "Awa", "Oumou", "Assitan", "Djénéba",
    "Rokia", "Hawa", "Salimata", "Bintou", "Nana", "Kadidia", "Sitan", "Maïmouna",
    "Korotoumou", "Ramata", "Fanta", "Mah"};
static const char *const MLI_FAMILY[] = {
    "Traoré", "Keïta", "Coulibaly", "Diarra", "Sangaré", "Konaté", "Touré", "Cissé",
    "Doumbia", "Dembélé", "Koné", "Diallo", "Sidibé", "Sissoko", "Kanté", "Samaké",
    "Camara", "Maïga", "Bagayoko", "Diakité", "Fofana", "Tangara", "Sacko", "Dicko",
    "Ballo", "Togola", "Kouyaté", "Berthé"};

static const char *const GIN_MALE[] = {
    "Mamadou", "Alpha", "Ibrahima", "Ousmane", "Sékou", "Fodé", "Amadou", "Abdoulaye",
    "Thierno", "Mohamed", "Lansana", "Mory", "Aboubacar", "Saliou", "Souleymane",
    "Boubacar", "Karamoko", "Mamadi", "Alseny", "Elhadj"};
static const char *const GIN_FEMALE[] = {
    "Kadiatou", "Mariama", "Aissatou", "Fatoumata", "Hadja", "Mariame", "Oumou", "Binta",
    "Djenabou", "Fanta", "Nènè", "Hawa", "Ramatoulaye", "Mabinty", "Saran", "Tenin"};
static const char *const GIN_FAMILY[] = {
    "Diallo", "Barry", "Bah", "Sow", "Camara", "Condé", "Baldé", "Sylla", "Soumah",
    "Keita", "Touré", "Cissé", "Kouyaté", "Doumbouya", "Kaba", "Bangoura", "Soumaré",
    "Kourouma", "Kaké", "Diakhaby"};

static const char *const BFA_MALE[] = {
    "Boukary", "Salif", "Adama", "Rasmané", "Issouf", "Souleymane", "Moumouni", "Harouna",
    "Abdoulaye", "Karim", "Idrissa", "Hamado", "Seydou", "Paul", "Jean-Baptiste", "Inoussa",
    "Boureima", "Ousséni", "Lassané", "Noufou"};
static const char *const BFA_FEMALE[] = {
    "Awa", "Safiatou", "Mariam", "Aminata", "Salamata", "Alimata", "Rasmata", "Fatimata",
    "Zénabo", "Pauline", "Odile", "Bibata", "Habibou", "Mamounata", "Aïcha"};
static const char *const BFA_FAMILY[] = {
    "Ouédraogo", "Sawadogo", "Compaoré", "Kaboré", "Zongo", "Ouattara", "Tapsoba",
    "Ilboudo", "Nikiéma", "Zoungrana", "Yaméogo", "Traoré", "Sana", "Bationo", "Kiemtoré",
    "Konaté", "Sorgho", "Belem", "Guiro", "Zida"};

static const char *const NER_MALE[] = {
    "Moussa", "Issoufou", "Abdou", "Mahamadou", "Abdoulaye", "Souleymane", "Boubacar",
    "Maman", "Hama", "Ibrahim", "Oumarou", "Garba", "Salissou", "Harouna", "Hassane",
    "Amadou", "Idrissa", "Sani", "Yacouba", "Mahaman"};
static const char *const NER_FEMALE[] = {
    "Hadiza", "Zeinabou", "Habsatou", "Mariama", "Fati", "Aichatou", "Rakia", "Haoua",
    "Balkissa", "Ramatou", "Nafissa", "Hadjara", "Safiya", "Mariamou"};
static const char *const NER_FAMILY[] = {
    "Abdou", "Mahamadou", "Ibrahim", "Oumarou", "Garba", "Hama", "Hassane", "Sani",
    "Moussa", "Issa", "Boubacar", "Souley", "Seyni", "Adamou", "Alou", "Djibo",
    "Moumouni", "Tahirou", "Illiassou", "Kountché"};

static const char *const NGA_MALE[] = {
    "Chinedu", "Emeka", "Abubakar", "Tunde", "Yusuf", "Ibrahim", "Musa", "Olumide",
    "Chukwuemeka", "Ifeanyi", "Sani", "Usman", "Kelechi", "Babatunde", "Segun", "Obinna",
    "Aliyu", "Godwin", "Samuel", "Uche"};
static const char *const NGA_FEMALE[] = {
    "Ngozi", "Aisha", "Blessing", "Chioma", "Funmilayo", "Amina", "Adaeze", "Zainab",
    "Folake", "Hauwa", "Precious", "Joy", "Nneka", "Halima", "Favour", "Esther"};
static const char *const NGA_FAMILY[] = {
    "Okafor", "Eze", "Adeyemi", "Bello", "Usman", "Balogun", "Okonkwo", "Lawal",
    "Ibrahim", "Abdullahi", "Okeke", "Adebayo", "Nwosu", "Mohammed", "Olawale",
    "Ogunleye", "Danjuma", "Yakubu", "Obi", "Igwe"};

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
    const char *const *male;
    int nmale;
    const char *const *female;
    int nfemale;
    const char *const *family;
    int nfamily;
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
    [NAT_SDN] = {"SDN", STYLE_SUDAN, 85, NULL, 0, NULL, 0, NULL, 0,
                 {"+2499", "+2491", "+2499"}, 8, "P", 8,
                 {"[\"ar\"]", "[\"ar\",\"en\"]", "[\"ar\"]", "[\"ar\",\"fvr\"]"},
                 {{"Khartoum", "SD01"}, {"North Darfur", "SD02"}, {"South Darfur", "SD03"},
                  {"West Darfur", "SD04"}, {"Kassala", "SD11"}, {"Gedaref", "SD12"},
                  {"Aj Jazirah", "SD15"}, {"River Nile", "SD05"}, {"White Nile", "SD08"},
                  {"North Kordofan", "SD09"}},
                 10},
    [NAT_EGY] = {"EGY", STYLE_ARAB, 80, NULL, 0, NULL, 0, NULL, 0,
                 {"+2010", "+2011", "+2012"}, 8, "A", 8,
                 {"[\"ar\"]", "[\"ar\",\"en\"]", "[\"ar\"]", "[\"ar\",\"it\"]"},
                 {{"Cairo", "EG01"}, {"Alexandria", "EG02"}, {"Giza", "EG21"},
                  {"Sharqia", "EG13"}, {"Dakahlia", "EG12"}, {"Asyut", "EG25"},
                  {"Sohag", "EG26"}, {"Minya", "EG24"}, {"Fayoum", "EG23"},
                  {"Beheira", "EG18"}},
                 10},
    [NAT_SYR] = {"SYR", STYLE_ARAB, 85, NULL, 0, NULL, 0, NULL, 0,
                 {"+9639", "+9639", "+9639"}, 8, "N", 9,
                 {"[\"ar\"]", "[\"ar\",\"ku\"]", "[\"ar\",\"en\"]", "[\"ar\"]"},
                 {{"Damascus", "SY01"}, {"Rural Damascus", "SY03"}, {"Aleppo", "SY02"},
                  {"Homs", "SY04"}, {"Hama", "SY05"}, {"Idleb", "SY07"}, {"Dar'a", "SY12"},
                  {"Deir-ez-Zor", "SY09"}, {"Lattakia", "SY06"}, {"Al-Hasakeh", "SY08"}},
                 10},
    [NAT_ETH] = {"ETH", STYLE_PATRO, 0, ETH_MALE, N_OF(ETH_MALE), ETH_FEMALE, N_OF(ETH_FEMALE),
                 NULL, 0, {"+2519", "+2517", "+2519"}, 8, "EP", 7,
                 {"[\"am\"]", "[\"am\",\"en\"]", "[\"om\",\"am\"]", "[\"ti\",\"am\"]"},
                 {{"Addis Ababa", "ET14"}, {"Oromia", "ET04"}, {"Amhara", "ET03"},
                  {"Tigray", "ET01"}, {"Sidama", "ET16"}, {"Somali", "ET05"},
                  {"Dire Dawa", "ET15"}, {"Harari", "ET13"}},
                 8},
    [NAT_ERI] = {"ERI", STYLE_PATRO, 0, ERI_MALE, N_OF(ERI_MALE), ERI_FEMALE, N_OF(ERI_FEMALE),
                 NULL, 0, {"+2917", "+2917", "+2911"}, 6, "P", 7,
                 {"[\"ti\"]", "[\"ti\",\"ar\"]", "[\"ti\",\"en\"]", "[\"tig\",\"ar\"]"},
                 {{"Maekel", "ER01"}, {"Anseba", "ER02"}, {"Debub", "ER03"},
                  {"Gash-Barka", "ER04"}, {"Northern Red Sea", "ER05"},
                  {"Southern Red Sea", "ER06"}},
                 6},
    [NAT_MLI] = {"MLI", STYLE_FAMILY, 0, MLI_MALE, N_OF(MLI_MALE), MLI_FEMALE, N_OF(MLI_FEMALE),
                 MLI_FAMILY, N_OF(MLI_FAMILY), {"+2237", "+2236", "+2239"}, 7, "AA", 7,
                 {"[\"bm\",\"fr\"]", "[\"bm\"]", "[\"ff\",\"bm\"]", "[\"snk\",\"fr\"]"},
                 {{"Bamako", "ML09"}, {"Kayes", "ML01"}, {"Koulikoro", "ML02"},
                  {"Sikasso", "ML03"}, {"Ségou", "ML04"}, {"Mopti", "ML05"},
                  {"Tombouctou", "ML06"}, {"Gao", "ML07"}, {"Kita", "ML10"}},
                 9},
    [NAT_GIN] = {"GIN", STYLE_FAMILY, 0, GIN_MALE, N_OF(GIN_MALE), GIN_FEMALE, N_OF(GIN_FEMALE),
                 GIN_FAMILY, N_OF(GIN_FAMILY), {"+2246", "+2246", "+2246"}, 8, "R", 7,
                 {"[\"ff\",\"fr\"]", "[\"sus\",\"fr\"]", "[\"man\",\"fr\"]", "[\"ff\"]"},
                 {{"Conakry", "GN1"}, {"Boké", "GN2"}, {"Faranah", "GN3"}, {"Kankan", "GN4"},
                  {"Kindia", "GN5"}, {"Labé", "GN6"}, {"Mamou", "GN7"}, {"Nzérékoré", "GN8"}},
                 8},
    [NAT_BFA] = {"BFA", STYLE_FAMILY, 0, BFA_MALE, N_OF(BFA_MALE), BFA_FEMALE, N_OF(BFA_FEMALE),
                 BFA_FAMILY, N_OF(BFA_FAMILY), {"+2267", "+2266", "+2265"}, 7, "B", 7,
                 {"[\"mos\",\"fr\"]", "[\"dyu\",\"fr\"]", "[\"mos\"]", "[\"ff\",\"fr\"]"},
                 {{"Centre", "BF13"}, {"Hauts-Bassins", "BF09"}, {"Boucle du Mouhoun", "BF01"},
                  {"Centre-Nord", "BF05"}, {"Nord", "BF11"}, {"Sahel", "BF12"},
                  {"Est", "BF08"}, {"Cascades", "BF02"}},
                 8},
    [NAT_NER] = {"NER", STYLE_FAMILY, 0, NER_MALE, N_OF(NER_MALE), NER_FEMALE, N_OF(NER_FEMALE),
                 NER_FAMILY, N_OF(NER_FAMILY), {"+2279", "+2278", "+2279"}, 7, "10PC", 5,
                 {"[\"ha\",\"fr\"]", "[\"dje\",\"fr\"]", "[\"ha\"]", "[\"taq\",\"ha\"]"},
                 {{"Niamey", "NE008"}, {"Agadez", "NE001"}, {"Diffa", "NE002"},
                  {"Dosso", "NE003"}, {"Maradi", "NE004"}, {"Tahoua", "NE005"},
                  {"Tillabéri", "NE006"}, {"Zinder", "NE007"}},
                 8},
    [NAT_NGA] = {"NGA", STYLE_FAMILY, 0, NGA_MALE, N_OF(NGA_MALE), NGA_FEMALE, N_OF(NGA_FEMALE),
                 NGA_FAMILY, N_OF(NGA_FAMILY), {"+23480", "+23470", "+23481"}, 8, "A", 8,
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
