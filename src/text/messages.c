/*
 * messages.c — the catalogue of the server's messages in ar, fr and en,
 * and the translation of finished English sentences.
 *
 * The code that finds a problem writes it in English with printf
 * (app_fail, app_invalid, awda_error_add, problem, the journey guards…).
 * MESSAGES[] has one row per such format: the English template exactly as
 * the code writes it, then the French and the Arabic. The printf
 * conversions of the English (%s, %d, %ld, %lld, %zu, %.40s…) are the
 * parameters, numbered from 1 in the order they appear; the French and
 * Arabic templates name them {1}, {2}… in whatever order the language
 * needs, each exactly once ({n-} leaves parameter n out on purpose,
 * e.g. an English plural ending "s"). Codes, field paths, header names and values
 * the user types stay as they are inside a translation.
 *
 * Translating: awda_msg_translate(sentence, lang) finds the row whose
 * English template the sentence was made from — literal parts equal,
 * each conversion capturing the text in its place (digits for %d and
 * friends, anything for %s, shortest first, backtracking bounded by
 * AWDA_MSG_MAX_STEPS) — and writes the target template with the captured
 * parameters. The candidates come from an index built once: the rows
 * sorted by their literal prefix (the text before the first conversion);
 * a binary search finds the longest prefix of the sentence in it, then
 * each shorter one (see candidates()), so a sentence is compared with the
 * few rows whose prefix it starts with, not with all of them. A sentence
 * with no row stays English; it is counted (awda_messages_unknown, in
 * /metrics) and logged once by hash and length (it may hold a name).
 *
 * scripts/check-messages.py (run by make check) extracts every message
 * format from the C sources and fails when one has no row here, a row has
 * no French or Arabic, or the parameters differ; it prints the missing
 * rows ready to fill in.
 */
#include "messages.h"
#include "../util/limits.h"
#include "../util/log.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *en, *fr, *ar;
} msg_row_t;

/* clang-format off */
static const msg_row_t MESSAGES[] = {
    {"\"me\" needs a signed-in user",
     "« me » demande un utilisateur connecté",
     "تتطلب «me» مستخدمًا مسجّل الدخول"},
    {"%d case(s) could not be anonymised; see the log",
     "{1} dossier(s) n'ont pas pu être anonymisés ; voir le journal",
     "تعذّر إخفاء هوية {1} من الملفات؛ راجع السجل"},
    {"%s (line %d, column %d)",
     "{1} (ligne {2}, colonne {3})",
     "{1} (السطر {2}، العمود {3})"},
    {"%s consented to return",
     "{1} a consenti au retour",
     "وافق {1} على العودة"},
    {"%s contains a character that reverses the direction of the text (U+202A to U+202E, U+2066 to U+2069); remove it",
     "{1} contient un caractère qui inverse le sens du texte (U+202A à U+202E, U+2066 à U+2069) ; retirez-le",
     "يحتوي {1} على حرف يعكس اتجاه النص (U+202A إلى U+202E، U+2066 إلى U+2069)؛ احذفه"},
    {"%s contains characters that cannot be stored",
     "{1} contient des caractères qui ne peuvent pas être enregistrés",
     "يحتوي {1} على أحرف لا يمكن حفظها"},
    {"%s has a travel document valid for the departure",
     "{1} a un document de voyage valable pour le départ",
     "لدى {1} وثيقة سفر صالحة للمغادرة"},
    {"%s has no travel document",
     "{1} n'a pas de document de voyage",
     "ليس لدى {1} وثيقة سفر"},
    {"%s has not consented to share their data with %s (record a consent to share with this partner first)",
     "{1} n'a pas consenti au partage de ses données avec {2} (enregistrez d'abord un consentement au partage avec ce partenaire)",
     "لم يوافق {1} على مشاركة بياناته مع {2} (سجّل أولًا موافقة على المشاركة مع هذا الشريك)"},
    {"%s has too many entries (at most %ld)",
     "{1} a trop d'entrées (au plus {2})",
     "يحتوي {1} على عدد كبير جدًا من العناصر (الحد الأقصى {2})"},
    {"%s is before 1900",
     "{1} est antérieur à 1900",
     "{1} سابق لعام 1900"},
    {"%s is fit to travel%s",
     "{1} est apte au voyage{2}",
     "{1} لائق للسفر{2}"},
    {"%s is in the future",
     "{1} est dans le futur",
     "{1} في المستقبل"},
    {"%s is not a valid identifier",
     "{1} n'est pas un identifiant valide",
     "{1} ليس معرّفًا صالحًا"},
    {"%s is not valid",
     "{1} n'est pas valide",
     "{1} غير صالح"},
    {"%s is required",
     "{1} est obligatoire",
     "{1} مطلوب"},
    {"%s is required %s",
     "{1} est obligatoire {2}",
     "{1} مطلوب {2}"},
    {"%s is temporarily unfit to travel; stabilisation comes first",
     "{1} est temporairement inapte au voyage ; la stabilisation passe d'abord",
     "{1} غير لائق للسفر مؤقتًا؛ تأتي الرعاية لتثبيت الحالة أولًا"},
    {"%s is too long (at most %ld bytes)",
     "{1} est trop long (au plus {2} octets)",
     "{1} طويل جدًا (الحد الأقصى {2} بايت)"},
    {"%s is unfit to travel",
     "{1} est inapte au voyage",
     "{1} غير لائق للسفر"},
    {"%s lists \"%s\" twice",
     "{1} contient « {2} » deux fois",
     "يذكر {1} «{2}» مرتين"},
    {"%s must be %s",
     "{1} doit être {2}",
     "يجب أن يكون {1} {2}"},
    {"%s must be a date and time written as YYYY-MM-DDTHH:MMZ (UTC)",
     "{1} doit être une date et une heure écrites AAAA-MM-JJTHH:MMZ (UTC)",
     "يجب أن يكون {1} تاريخًا ووقتًا بالصيغة YYYY-MM-DDTHH:MMZ (UTC)"},
    {"%s must be a date written as YYYY-MM-DD",
     "{1} doit être une date écrite AAAA-MM-JJ",
     "يجب أن يكون {1} تاريخًا بالصيغة YYYY-MM-DD"},
    {"%s must be a date written as YYYY-MM-DD, YYYY-MM or YYYY",
     "{1} doit être une date écrite AAAA-MM-JJ, AAAA-MM ou AAAA",
     "يجب أن يكون {1} تاريخًا بالصيغة YYYY-MM-DD أو YYYY-MM أو YYYY"},
    {"%s must be a list",
     "{1} doit être une liste",
     "يجب أن يكون {1} قائمة"},
    {"%s must be a three-letter country code such as MLI, SDN or EGY",
     "{1} doit être un code de pays à trois lettres comme MLI, SDN ou EGY",
     "يجب أن يكون {1} رمز بلد من ثلاثة أحرف مثل MLI أو SDN أو EGY"},
    {"%s must be a three-letter country code such as MLI, SDN or EGY (XXA when stateless, XXX when unknown)",
     "{1} doit être un code de pays à trois lettres comme MLI, SDN ou EGY (XXA pour un apatride, XXX si inconnu)",
     "يجب أن يكون {1} رمز بلد من ثلاثة أحرف مثل MLI أو SDN أو EGY (XXA لعديم الجنسية، XXX إن كان مجهولًا)"},
    {"%s must be a whole number",
     "{1} doit être un nombre entier",
     "يجب أن يكون {1} عددًا صحيحًا"},
    {"%s must be among: %s",
     "{1} doit être parmi : {2}",
     "يجب أن يكون {1} من بين: {2}"},
    {"%s must be an object",
     "{1} doit être un objet",
     "يجب أن يكون {1} كائنًا"},
    {"%s must be at least %ld characters long",
     "{1} doit compter au moins {2} caractères",
     "يجب ألا يقل {1} عن {2} من الأحرف"},
    {"%s must be between %ld and %ld",
     "{1} doit être entre {2} et {3}",
     "يجب أن يكون {1} بين {2} و{3}"},
    {"%s must be language codes such as ar, fr, en or bam",
     "{1} doit être des codes de langue comme ar, fr, en ou bam",
     "يجب أن يكون {1} رموز لغات مثل ar أو fr أو en أو bam"},
    {"%s must be one of: %s",
     "{1} doit être l'un de : {2}",
     "يجب أن يكون {1} واحدًا من: {2}"},
    {"%s must be true or false",
     "{1} doit être vrai ou faux (true ou false)",
     "يجب أن يكون {1} صحيحًا أو خطأ (true أو false)"},
    {"%s must not be empty",
     "{1} ne doit pas être vide",
     "يجب ألا يكون {1} فارغًا"},
    {"%s needs a medical escort",
     "{1} a besoin d'une escorte médicale",
     "يحتاج {1} إلى مرافق طبي"},
    {"%s needs at least %ld entr%s",
     "{1} demande au moins {2} entrée(s){3}",
     "يحتاج {1} إلى {2} عنصر على الأقل{3}"},
    {"%s of %s expires before the planned departure (%s)",
     "Le document {1} de {2} expire avant le départ prévu ({3})",
     "تنتهي صلاحية {1} الخاص بـ{2} قبل موعد المغادرة المقرر ({3})"},
    {"%s reconfirmed the wish to return within %d hours of departure",
     "{1} a reconfirmé son souhait de rentrer dans les {2} heures avant le départ",
     "أعاد {1} تأكيد رغبته في العودة خلال {2} ساعة قبل المغادرة"},
    {"%s withdrew consent to return; a new consent is needed",
     "{1} a retiré son consentement au retour ; un nouveau consentement est nécessaire",
     "سحب {1} موافقته على العودة؛ يلزم الحصول على موافقة جديدة"},
    {"%s: a name needs at least one letter (not only spaces, digits or punctuation)",
     "{1} : un nom doit contenir au moins une lettre (pas seulement des espaces, des chiffres ou de la ponctuation)",
     "{1}: يجب أن يحتوي الاسم على حرف واحد على الأقل (لا مسافات أو أرقام أو علامات ترقيم فقط)"},
    {"%s: this date does not exist (%s %d has %d days)",
     "{1} : cette date n'existe pas ({2} {3} compte {4} jours)",
     "{1}: هذا التاريخ غير موجود ({2} {3} فيه {4} يومًا)"},
    {"%s: this date does not exist (there is no month %d)",
     "{1} : cette date n'existe pas (il n'y a pas de mois {2})",
     "{1}: هذا التاريخ غير موجود (لا يوجد شهر رقم {2})"},
    {"1 field needs attention",
     "1 champ demande votre attention",
     "حقل واحد يحتاج إلى مراجعة"},
    {"A one-time code is needed",
     "Un code à usage unique est nécessaire",
     "يلزم رمز لمرة واحدة"},
    {"Changed by someone else",
     "Modifié par quelqu'un d'autre",
     "عدّله شخص آخر"},
    {"Conflict",
     "Conflit",
     "تعارض"},
    {"Content-Length is not a number",
     "Content-Length n'est pas un nombre",
     "قيمة Content-Length ليست عددًا"},
    {"Idempotency key reused",
     "Clé d'idempotence réutilisée",
     "أُعيد استخدام مفتاح Idempotency-Key"},
    {"If-Match must carry the ETag of the case, e.g. \"3\" (or *, or a list of entity-tags)",
     "If-Match doit porter l'ETag du dossier, par exemple \"3\" (ou *, ou une liste d'entity-tags)",
     "يجب أن يحمل If-Match قيمة ETag للملف، مثل \"3\" (أو *، أو قائمة entity-tags)"},
    {"Length required",
     "Longueur requise",
     "الطول مطلوب"},
    {"Method not allowed",
     "Méthode non autorisée",
     "الطريقة غير مسموح بها"},
    {"No consent to share",
     "Pas de consentement au partage",
     "لا توجد موافقة على المشاركة"},
    {"Not allowed",
     "Non autorisé",
     "غير مسموح"},
    {"Not found",
     "Introuvable",
     "غير موجود"},
    {"Request from another site",
     "Demande venant d'un autre site",
     "طلب من موقع آخر"},
    {"Service unavailable",
     "Service indisponible",
     "الخدمة غير متاحة"},
    {"Set up a second factor first",
     "Configurez d'abord un second facteur",
     "أعدّ عاملًا ثانيًا للتحقق أولًا"},
    {"Sign-in required",
     "Connexion requise",
     "يلزم تسجيل الدخول"},
    {"Something went wrong",
     "Une erreur s'est produite",
     "حدث خطأ ما"},
    {"The body is not valid JSON",
     "Le corps n'est pas un JSON valide",
     "محتوى الطلب ليس JSON صالحًا"},
    {"The case is not ready for this step",
     "Le dossier n'est pas prêt pour cette étape",
     "الملف غير جاهز لهذه الخطوة"},
    {"The case is not valid",
     "Le dossier n'est pas valide",
     "الملف غير صالح"},
    {"The change is not valid",
     "La modification n'est pas valide",
     "التعديل غير صالح"},
    {"The code is not valid",
     "Le code n'est pas valide",
     "الرمز غير صالح"},
    {"The hand-over is not valid",
     "Le transfert n'est pas valide",
     "التسليم غير صالح"},
    {"The health assessment is not valid",
     "L'évaluation de santé n'est pas valide",
     "التقييم الصحي غير صالح"},
    {"The office is not valid",
     "Le bureau n'est pas valide",
     "المكتب غير صالح"},
    {"The partner organisation is not valid",
     "L'organisation partenaire n'est pas valide",
     "المنظمة الشريكة غير صالحة"},
    {"The record is not valid",
     "L'enregistrement n'est pas valide",
     "السجل غير صالح"},
    {"The request is malformed",
     "La requête est mal formée",
     "الطلب مشوّه"},
    {"The request is not valid",
     "La requête n'est pas valide",
     "الطلب غير صالح"},
    {"The request is too large",
     "La requête est trop volumineuse",
     "الطلب كبير جدًا"},
    {"The restriction is not valid",
     "La restriction n'est pas valide",
     "القيد غير صالح"},
    {"The search is not valid",
     "La recherche n'est pas valide",
     "البحث غير صالح"},
    {"The set-up is not valid",
     "La configuration n'est pas valide",
     "الإعداد غير صالح"},
    {"The sign-in is not valid",
     "La connexion n'est pas valide",
     "تسجيل الدخول غير صالح"},
    {"The step is not valid",
     "L'étape n'est pas valide",
     "الخطوة غير صالحة"},
    {"The time of the arrival is not valid",
     "L'heure de l'arrivée n'est pas valide",
     "وقت الوصول غير صالح"},
    {"The time of the departure is not valid",
     "L'heure du départ n'est pas valide",
     "وقت المغادرة غير صالح"},
    {"The user is not valid",
     "L'utilisateur n'est pas valide",
     "المستخدم غير صالح"},
    {"Too many attempts",
     "Trop de tentatives",
     "محاولات كثيرة جدًا"},
    {"Transfer coding not supported",
     "Codage de transfert non pris en charge",
     "ترميز النقل غير مدعوم"},
    {"Transfer-Encoding has a coding with parameters",
     "Transfer-Encoding contient un codage avec des paramètres",
     "يحتوي Transfer-Encoding على ترميز بمعاملات"},
    {"Transfer-Encoding is not a list of codings",
     "Transfer-Encoding n'est pas une liste de codages",
     "Transfer-Encoding ليس قائمة ترميزات"},
    {"Transfer-Encoding names chunked more than once",
     "Transfer-Encoding nomme chunked plus d'une fois",
     "يذكر Transfer-Encoding الترميز chunked أكثر من مرة"},
    {"Unsupported media type",
     "Type de média non pris en charge",
     "نوع الوسائط غير مدعوم"},
    {"Version required",
     "Version requise",
     "الإصدار مطلوب"},
    {"a case at the stage %s cannot take the step %s",
     "un dossier à l'étape {1} ne peut pas passer par l'étape {2}",
     "لا يمكن لملف في المرحلة {1} أن ينتقل بالخطوة {2}"},
    {"a case has only one principal applicant",
     "un dossier n'a qu'un seul demandeur principal",
     "للملف مقدّم طلب رئيسي واحد فقط"},
    {"a case needs exactly one principal applicant",
     "un dossier doit avoir exactement un demandeur principal",
     "يجب أن يكون للملف مقدّم طلب رئيسي واحد بالضبط"},
    {"a change made with a browser session must come from awda's own pages (the Origin header does not match)",
     "une modification faite depuis une session de navigateur doit venir des pages d'awda (l'en-tête Origin ne correspond pas)",
     "يجب أن يأتي التعديل المُجرى من جلسة متصفح من صفحات awda نفسها (ترويسة Origin غير مطابقة)"},
    {"a closure reason is needed: plan_completed, support_period_ended, withdrew, left_the_area, lost_contact, re_migrated, deceased, ineligible or other%s",
     "un motif de clôture est nécessaire : plan_completed, support_period_ended, withdrew, left_the_area, lost_contact, re_migrated, deceased, ineligible ou other{1}",
     "يلزم سبب للإغلاق: plan_completed أو support_period_ended أو withdrew أو left_the_area أو lost_contact أو re_migrated أو deceased أو ineligible أو other{1}"},
    {"a date of birth known to the month needs YYYY-MM",
     "une date de naissance connue au mois près s'écrit AAAA-MM",
     "تاريخ الميلاد المعروف حتى الشهر يُكتب بالصيغة YYYY-MM"},
    {"a header name is not a token (a space or a control character in it, or before its colon)",
     "un nom d'en-tête n'est pas un jeton (une espace ou un caractère de contrôle dedans, ou avant ses deux-points)",
     "اسم ترويسة ليس رمزًا صالحًا (فيه مسافة أو حرف تحكم، أو قبل النقطتين)"},
    {"a medical escort is assigned to %s",
     "une escorte médicale est affectée à {1}",
     "عُيّن مرافق طبي لـ{1}"},
    {"a partner organisation named %s already exists",
     "une organisation partenaire nommée {1} existe déjà",
     "توجد بالفعل منظمة شريكة باسم {1}"},
    {"a partner user needs the organisation they work for: they see the referrals addressed to it",
     "un utilisateur partenaire doit avoir l'organisation pour laquelle il travaille : il voit les orientations qui lui sont adressées",
     "يحتاج مستخدم الشريك إلى المنظمة التي يعمل لديها: فهو يرى الإحالات الموجّهة إليها"},
    {"a person appears more than once in this case",
     "une personne figure plus d'une fois dans ce dossier",
     "يظهر شخص أكثر من مرة في هذا الملف"},
    {"a protection officer is assigned to %s",
     "un agent de protection est affecté à {1}",
     "عُيّن موظف حماية لـ{1}"},
    {"a reason is given",
     "un motif est donné",
     "السبب مذكور"},
    {"a reason is needed",
     "un motif est nécessaire",
     "يلزم ذكر السبب"},
    {"a risk assessment was made for %s",
     "une évaluation des risques a été faite pour {1}",
     "أُجري تقييم للمخاطر لـ{1}"},
    {"a second factor is already set up; an administrator can remove it (for example when the phone is lost)",
     "un second facteur est déjà configuré ; un administrateur peut le retirer (par exemple si le téléphone est perdu)",
     "تم إعداد عامل ثانٍ بالفعل؛ يمكن للمسؤول إزالته (مثلًا عند فقدان الهاتف)"},
    {"a stabilisation plan is required when the person is temporarily unfit",
     "un plan de stabilisation est obligatoire quand la personne est temporairement inapte",
     "خطة تثبيت الحالة مطلوبة عندما يكون الشخص غير لائق مؤقتًا"},
    {"a supervisor found the case eligible",
     "un superviseur a jugé le dossier éligible",
     "وجد مشرف أن الملف مؤهل"},
    {"a user named %s already exists",
     "un utilisateur nommé {1} existe déjà",
     "يوجد بالفعل مستخدم باسم {1}"},
    {"an HTTP/1.0 request cannot use Transfer-Encoding",
     "une requête HTTP/1.0 ne peut pas utiliser Transfer-Encoding",
     "لا يمكن لطلب HTTP/1.0 استخدام Transfer-Encoding"},
    {"an HTTP/1.1 request needs a Host header",
     "une requête HTTP/1.1 demande un en-tête Host",
     "يحتاج طلب HTTP/1.1 إلى ترويسة Host"},
    {"an exact date of birth needs the day, month and year (YYYY-MM-DD)",
     "une date de naissance exacte demande le jour, le mois et l'année (AAAA-MM-JJ)",
     "يحتاج تاريخ الميلاد الدقيق إلى اليوم والشهر والسنة (YYYY-MM-DD)"},
    {"an office with the code %s already exists",
     "un bureau avec le code {1} existe déjà",
     "يوجد بالفعل مكتب بالرمز {1}"},
    {"an oral consent needs a witness",
     "un consentement oral demande un témoin",
     "تحتاج الموافقة الشفهية إلى شاهد"},
    {"an unaccompanied or separated child must be under 18, but this person is %d by the date of birth",
     "un enfant non accompagné ou séparé doit avoir moins de 18 ans, mais cette personne a {1} ans d'après la date de naissance",
     "يجب أن يكون الطفل غير المصحوب أو المنفصل دون 18 عامًا، لكن عمر هذا الشخص {1} حسب تاريخ الميلاد"},
    {"can only be removed (false) here; the user sets up their own",
     "ne peut qu'être retiré (false) ici ; l'utilisateur configure le sien",
     "يمكن إزالته فقط (false) هنا؛ يُعدّ المستخدم عامله بنفسه"},
    {"cannot be changed here (only the language; an administrator changes the rest)",
     "ne peut pas être modifié ici (seulement la langue ; un administrateur modifie le reste)",
     "لا يمكن تعديله هنا (اللغة فقط؛ يعدّل المسؤول الباقي)"},
    {"consent for %s not reconfirmed within %d hours of departure",
     "consentement de {1} non reconfirmé dans les {2} heures avant le départ",
     "لم تُؤكَّد موافقة {1} من جديد خلال {2} ساعة قبل المغادرة"},
    {"consent to return for the child %s must be given by the guardian, with the child's own views recorded",
     "le consentement au retour de l'enfant {1} doit être donné par le tuteur, avec l'avis de l'enfant enregistré",
     "يجب أن يعطي الوصي الموافقة على عودة الطفل {1}، مع تسجيل آراء الطفل نفسه"},
    {"counselling covered %s",
     "le conseil a couvert {1}",
     "تناولت جلسات الإرشاد {1}"},
    {"counselling has not yet covered %s",
     "le conseil n'a pas encore couvert {1}",
     "لم تتناول جلسات الإرشاد {1} بعد"},
    {"cursor is not valid; use the next_cursor of the previous page",
     "cursor n'est pas valide ; utilisez le next_cursor de la page précédente",
     "قيمة cursor غير صالحة؛ استخدم next_cursor من الصفحة السابقة"},
    {"each entry of %s must be an object",
     "chaque entrée de {1} doit être un objet",
     "يجب أن يكون كل عنصر في {1} كائنًا"},
    {"each entry of %s must be text",
     "chaque entrée de {1} doit être du texte",
     "يجب أن يكون كل عنصر في {1} نصًا"},
    {"enter the 6-digit code that your authenticator app shows",
     "saisissez le code à 6 chiffres affiché par votre application d'authentification",
     "أدخل الرمز المكوّن من 6 أرقام الذي يعرضه تطبيق المصادقة لديك"},
    {"enter the 6-digit code that your authenticator app shows for awda",
     "saisissez le code à 6 chiffres affiché pour awda par votre application d'authentification",
     "أدخل الرمز المكوّن من 6 أرقام الذي يعرضه تطبيق المصادقة لديك لـawda"},
    {"enter your password again to set up a second factor",
     "saisissez à nouveau votre mot de passe pour configurer un second facteur",
     "أدخل كلمة المرور مرة أخرى لإعداد عامل ثانٍ"},
    {"is set up by the user themself, after their first sign-in",
     "est configuré par l'utilisateur lui-même, après sa première connexion",
     "يُعدّه المستخدم بنفسه بعد أول تسجيل دخول"},
    {"limit must be a whole number from 1 to %d",
     "limit doit être un nombre entier de 1 à {1}",
     "يجب أن تكون قيمة limit عددًا صحيحًا من 1 إلى {1}"},
    {"must be one of ar, fr, en",
     "doit être ar, fr ou en",
     "يجب أن تكون ar أو fr أو en"},
    {"must be text",
     "doit être du texte",
     "يجب أن يكون نصًا"},
    {"names must be true or false",
     "names doit être true ou false",
     "يجب أن تكون قيمة names هي true أو false"},
    {"nationality must be a three-letter country code such as MLI",
     "nationality doit être un code de pays à trois lettres comme MLI",
     "يجب أن تكون nationality رمز بلد من ثلاثة أحرف مثل MLI"},
    {"no consent to return is recorded for %s",
     "aucun consentement au retour n'est enregistré pour {1}",
     "لا توجد موافقة على العودة مسجّلة لـ{1}"},
    {"no eligibility decision has been recorded",
     "aucune décision d'éligibilité n'a été enregistrée",
     "لم يُسجَّل أي قرار بشأن الأهلية"},
    {"no fitness-to-travel assessment for %s (a health assessment, separate from the pre-embarkation check)",
     "aucune évaluation de l'aptitude au voyage pour {1} (une évaluation de santé, distincte du contrôle avant l'embarquement)",
     "لا يوجد تقييم للياقة للسفر لـ{1} (تقييم صحي منفصل عن الفحص قبل الصعود)"},
    {"no fitness-to-travel assessment for %s: a pre-embarkation check is recorded, but the fitness-to-travel assessment is a separate health assessment (not marked pre-embarkation)",
     "aucune évaluation de l'aptitude au voyage pour {1} : un contrôle avant l'embarquement est enregistré, mais l'évaluation de l'aptitude au voyage est une évaluation de santé distincte (non marquée avant l'embarquement)",
     "لا يوجد تقييم للياقة للسفر لـ{1}: سُجّل فحص قبل الصعود، لكن تقييم اللياقة للسفر تقييم صحي منفصل (غير معلَّم كفحص قبل الصعود)"},
    {"no person with this id is registered",
     "aucune personne avec cet identifiant n'est enregistrée",
     "لا يوجد شخص مسجّل بهذا المعرّف"},
    {"no pre-embarkation check for %s within %d hours of departure",
     "aucun contrôle avant l'embarquement pour {1} dans les {2} heures avant le départ",
     "لا يوجد فحص قبل الصعود لـ{1} خلال {2} ساعة قبل المغادرة"},
    {"no protection officer is assigned to %s",
     "aucun agent de protection n'est affecté à {1}",
     "لم يُعيَّن موظف حماية لـ{1}"},
    {"no restriction applies to return to %s%s%s%s",
     "aucune restriction ne s'applique au retour vers {1}{2}{3}{4}",
     "لا ينطبق أي قيد على العودة إلى {1}{2}{3}{4}"},
    {"no risk assessment for %s",
     "aucune évaluation des risques pour {1}",
     "لا يوجد تقييم للمخاطر لـ{1}"},
    {"nobody in this case consented to share their medical data with %s",
     "personne dans ce dossier n'a consenti au partage de ses données médicales avec {1}",
     "لم يوافق أحد في هذا الملف على مشاركة بياناته الطبية مع {1}"},
    {"none of the %ld persons in this export consented to share their data with %s",
     "aucune des {1} personnes de cet export n'a consenti au partage de ses données avec {2}",
     "لم يوافق أي من الأشخاص الـ{1} في هذا التصدير على مشاركة بياناتهم مع {2}"},
    {"one of the offices does not exist",
     "l'un des bureaux n'existe pas",
     "أحد المكاتب غير موجود"},
    {"only a departure or an arrival is confirmed with a date and time; leave it out for the step %s",
     "seuls un départ ou une arrivée se confirment avec une date et une heure ; ne l'indiquez pas pour l'étape {1}",
     "لا يُؤكَّد بتاريخ ووقت إلا المغادرة أو الوصول؛ لا تذكره في الخطوة {1}"},
    {"only an office in the country of return (%s) can record an arrival it did not organise",
     "seul un bureau du pays de retour ({1}) peut enregistrer une arrivée qu'il n'a pas organisée",
     "لا يمكن إلا لمكتب في بلد العودة ({1}) تسجيل وصول لم ينظّمه"},
    {"out of memory",
     "mémoire insuffisante",
     "نفدت الذاكرة"},
    {"return to %s is suspended: %s",
     "le retour vers {1} est suspendu : {2}",
     "العودة إلى {1} معلّقة: {2}"},
    {"return to %s needs case-by-case approval by a programme manager: %s",
     "le retour vers {1} demande une approbation au cas par cas d'un responsable de programme : {2}",
     "تحتاج العودة إلى {1} إلى موافقة مدير البرنامج على كل حالة على حدة: {2}"},
    {"return to %s needs case-by-case approval: approved",
     "le retour vers {1} demande une approbation au cas par cas : approuvé",
     "تحتاج العودة إلى {1} إلى موافقة على كل حالة على حدة: تمت الموافقة"},
    {"review_overdue must be true or false",
     "review_overdue doit être true ou false",
     "يجب أن تكون قيمة review_overdue هي true أو false"},
    {"say for whom an export with names is: \"internal\" for this organisation's own use, or the id of the partner organisation it goes to",
     "indiquez pour qui est un export avec les noms : « internal » pour l'usage propre de cette organisation, ou l'identifiant de l'organisation partenaire destinataire",
     "حدّد لمن التصدير الذي يتضمن الأسماء: «internal» لاستخدام هذه المنظمة نفسها، أو معرّف المنظمة الشريكة التي يُرسل إليها"},
    {"say to whom the medical detail goes: the escort or the receiving medical provider named in the person's consent",
     "indiquez à qui vont les détails médicaux : l'escorte ou le prestataire médical d'accueil nommé dans le consentement de la personne",
     "حدّد الجهة التي تذهب إليها التفاصيل الطبية: المرافق أو مقدّم الرعاية الطبية المستقبِل المذكور في موافقة الشخص"},
    {"say which office, or which partner organisation in the country of return, assessed the family",
     "indiquez quel bureau, ou quelle organisation partenaire du pays de retour, a évalué la famille",
     "حدّد المكتب أو المنظمة الشريكة في بلد العودة التي قيّمت الأسرة"},
    {"send the body as JSON with Content-Type: application/json",
     "envoyez le corps en JSON avec Content-Type: application/json",
     "أرسل المحتوى بصيغة JSON مع Content-Type: application/json"},
    {"send the body with a Content-Length header; awda does not read chunked bodies",
     "envoyez le corps avec un en-tête Content-Length ; awda ne lit pas les corps en chunked",
     "أرسل المحتوى مع ترويسة Content-Length؛ لا يقرأ awda المحتوى المقسّم (chunked)"},
    {"send the version you edited in an If-Match header (the ETag of the case, here \"%lld\"), so that no one else's change is overwritten",
     "envoyez la version que vous avez modifiée dans un en-tête If-Match (l'ETag du dossier, ici \"{1}\"), pour n'écraser la modification de personne",
     "أرسل الإصدار الذي عدّلته في ترويسة If-Match (قيمة ETag للملف، هنا \"{1}\")، حتى لا يُكتب فوق تعديل شخص آخر"},
    {"send the version you edited in an If-Match header (the ETag of the restriction)",
     "envoyez la version que vous avez modifiée dans un en-tête If-Match (l'ETag de la restriction)",
     "أرسل الإصدار الذي عدّلته في ترويسة If-Match (قيمة ETag للقيد)"},
    {"sign in first",
     "connectez-vous d'abord",
     "سجّل الدخول أولًا"},
    {"start the set-up first (POST /api/v1/me/second-factor)",
     "commencez d'abord la configuration (POST /api/v1/me/second-factor)",
     "ابدأ الإعداد أولًا (POST /api/v1/me/second-factor)"},
    {"the %s for %s is not issued yet (%s)",
     "le document {1} de {2} n'est pas encore délivré ({3})",
     "لم تصدر بعد {1} الخاصة بـ{2} ({3})"},
    {"the %s is confirmed for %s, which is in the future; confirm it once it has happened",
     "l'étape {1} est confirmée pour {2}, qui est dans le futur ; confirmez-la une fois qu'elle a eu lieu",
     "أُكّدت {1} في {2}، وهو وقت في المستقبل؛ أكّدها بعد حدوثها"},
    {"the Host header is not host[:port]",
     "l'en-tête Host n'est pas de la forme host[:port]",
     "ترويسة Host ليست بالصيغة host[:port]"},
    {"the Idempotency-Key header is not valid",
     "l'en-tête Idempotency-Key n'est pas valide",
     "ترويسة Idempotency-Key غير صالحة"},
    {"the Idempotency-Key must be 1 to 128 visible characters",
     "Idempotency-Key doit compter de 1 à 128 caractères visibles",
     "يجب أن تتكون Idempotency-Key من 1 إلى 128 حرفًا مرئيًا"},
    {"the If-Match header is not an entity-tag list",
     "l'en-tête If-Match n'est pas une liste d'entity-tags",
     "ترويسة If-Match ليست قائمة entity-tags"},
    {"the JSON is nested more than %d levels deep",
     "le JSON est imbriqué sur plus de {1} niveaux",
     "JSON متداخل بأكثر من {1} مستوى"},
    {"the address contains control characters or is too long",
     "l'adresse contient des caractères de contrôle ou est trop longue",
     "يحتوي العنوان على أحرف تحكم أو أنه طويل جدًا"},
    {"the arrival (%s) cannot be before the departure (%s)",
     "l'arrivée ({1}) ne peut pas précéder le départ ({2})",
     "لا يمكن أن يسبق الوصول ({1}) المغادرة ({2})"},
    {"the assessment is dated %s, which is in the future; record it once it has taken place",
     "l'évaluation est datée du {1}, qui est dans le futur ; enregistrez-la une fois qu'elle a eu lieu",
     "التقييم مؤرخ في {1}، وهو تاريخ في المستقبل؛ سجّله بعد إجرائه"},
    {"the audit log could not be read",
     "le journal d'audit n'a pas pu être lu",
     "تعذّرت قراءة سجل التدقيق"},
    {"the audit log was tampered with: record %lld does not follow from the one before it (altered, removed or reordered)",
     "le journal d'audit a été falsifié : l'enregistrement {1} ne découle pas du précédent (modifié, supprimé ou réordonné)",
     "تم العبث بسجل التدقيق: القيد {1} لا يتبع القيد الذي قبله (عُدّل أو حُذف أو غُيّر ترتيبه)"},
    {"the body is empty",
     "le corps est vide",
     "المحتوى فارغ"},
    {"the body must be a JSON object",
     "le corps doit être un objet JSON",
     "يجب أن يكون المحتوى كائن JSON"},
    {"the case changed at the same moment; try again",
     "le dossier a changé au même moment ; réessayez",
     "تغيّر الملف في اللحظة نفسها؛ حاول مرة أخرى"},
    {"the case could not be read",
     "le dossier n'a pas pu être lu",
     "تعذّرت قراءة الملف"},
    {"the case is %s; it cannot be handed over",
     "le dossier est à l'étape {1} ; il ne peut pas être transféré",
     "الملف في المرحلة {1}؛ لا يمكن تسليمه"},
    {"the case is closed; reopen it before recording anything",
     "le dossier est clos ; rouvrez-le avant d'enregistrer quoi que ce soit",
     "الملف مغلق؛ أعد فتحه قبل تسجيل أي شيء"},
    {"the case is held by an office in the country of return",
     "le dossier est tenu par un bureau du pays de retour",
     "يتولى الملف مكتب في بلد العودة"},
    {"the case is now at version %lld, which If-Match does not name (a weak entity-tag never matches); reload it and make your change again",
     "le dossier est maintenant à la version {1}, que If-Match ne nomme pas (un entity-tag faible ne correspond jamais) ; rechargez-le et refaites votre modification",
     "الملف الآن في الإصدار {1}، الذي لا تذكره If-Match (لا تتطابق entity-tag الضعيفة أبدًا)؛ أعد تحميله وأجرِ تعديلك من جديد"},
    {"the case is withdrawn; only counselling and a new consent can be recorded now",
     "le dossier est retiré ; seuls un conseil et un nouveau consentement peuvent être enregistrés maintenant",
     "الملف منسحب؛ لا يمكن الآن تسجيل إلا الإرشاد وموافقة جديدة"},
    {"the case must be a JSON object",
     "le dossier doit être un objet JSON",
     "يجب أن يكون الملف كائن JSON"},
    {"the case was changed by someone else (it is now at version %lld, you edited version %lld); reload it and make your change again",
     "le dossier a été modifié par quelqu'un d'autre (il est maintenant à la version {1}, vous avez modifié la version {2}) ; rechargez-le et refaites votre modification",
     "عدّل شخص آخر الملف (هو الآن في الإصدار {1}، وأنت عدّلت الإصدار {2})؛ أعد تحميله وأجرِ تعديلك من جديد"},
    {"the case was changed by someone else; reload it",
     "le dossier a été modifié par quelqu'un d'autre ; rechargez-le",
     "عدّل شخص آخر الملف؛ أعد تحميله"},
    {"the case was found ineligible: %s",
     "le dossier a été jugé non éligible : {1}",
     "وُجد أن الملف غير مؤهل: {1}"},
    {"the change must be a JSON object",
     "la modification doit être un objet JSON",
     "يجب أن يكون التعديل كائن JSON"},
    {"the closure reason is %s",
     "le motif de clôture est {1}",
     "سبب الإغلاق هو {1}"},
    {"the code and country of an office cannot be changed",
     "le code et le pays d'un bureau ne peuvent pas être modifiés",
     "لا يمكن تغيير رمز المكتب وبلده"},
    {"the code does not match; check that the phone's clock is right and enter the code shown now",
     "le code ne correspond pas ; vérifiez que l'horloge du téléphone est juste et saisissez le code affiché maintenant",
     "الرمز غير مطابق؛ تأكد من صحة ساعة الهاتف وأدخل الرمز المعروض الآن"},
    {"the code of the receiving office in the country of return is required",
     "le code du bureau d'accueil dans le pays de retour est obligatoire",
     "رمز المكتب المستقبِل في بلد العودة مطلوب"},
    {"the consent to return of %s was given for the previous destination, %s; a new consent is needed",
     "le consentement au retour de {1} a été donné pour la destination précédente, {2} ; un nouveau consentement est nécessaire",
     "أُعطيت موافقة {1} على العودة للوجهة السابقة، {2}؛ تلزم موافقة جديدة"},
    {"the database could not complete the change; nothing was saved",
     "la base de données n'a pas pu terminer la modification ; rien n'a été enregistré",
     "تعذّر على قاعدة البيانات إتمام التعديل؛ لم يُحفظ شيء"},
    {"the database is not available",
     "la base de données n'est pas disponible",
     "قاعدة البيانات غير متاحة"},
    {"the date and time must be written as YYYY-MM-DDTHH:MMZ (UTC), e.g. 2026-05-01T14:30Z",
     "la date et l'heure s'écrivent AAAA-MM-JJTHH:MMZ (UTC), par exemple 2026-05-01T14:30Z",
     "يجب كتابة التاريخ والوقت بالصيغة YYYY-MM-DDTHH:MMZ (UTC)، مثل 2026-05-01T14:30Z"},
    {"the date and time of the %s are required",
     "la date et l'heure de l'étape {1} sont obligatoires",
     "تاريخ {1} ووقتها مطلوبان"},
    {"the date and time of the %s must be written as YYYY-MM-DDTHH:MMZ (UTC)",
     "la date et l'heure de l'étape {1} s'écrivent AAAA-MM-JJTHH:MMZ (UTC)",
     "يجب كتابة تاريخ {1} ووقتها بالصيغة YYYY-MM-DDTHH:MMZ (UTC)"},
    {"the departure (%s) is more than %d hours before the day of the planned departure (%s); correct the time, or change the planned departure first",
     "le départ ({1}) a lieu plus de {2} heures avant le jour du départ prévu ({3}) ; corrigez l'heure, ou modifiez d'abord le départ prévu",
     "المغادرة ({1}) قبل يوم المغادرة المقررة ({3}) بأكثر من {2} ساعة؛ صحّح الوقت أو غيّر موعد المغادرة المقررة أولًا"},
    {"the eligibility decision was made for the previous destination, %s; a new decision is needed",
     "la décision d'éligibilité a été prise pour la destination précédente, {1} ; une nouvelle décision est nécessaire",
     "اتُّخذ قرار الأهلية للوجهة السابقة، {1}؛ يلزم قرار جديد"},
    {"the end date is before the start date",
     "la date de fin précède la date de début",
     "تاريخ الانتهاء قبل تاريخ البدء"},
    {"the expiry date of the %s of %s is not recorded",
     "la date d'expiration du document {1} de {2} n'est pas enregistrée",
     "تاريخ انتهاء {1} الخاصة بـ{2} غير مسجّل"},
    {"the export could not be made (too large, or the database failed)",
     "l'export n'a pas pu être fait (trop volumineux, ou la base de données a échoué)",
     "تعذّر إجراء التصدير (كبير جدًا، أو تعطّلت قاعدة البيانات)"},
    {"the family assessment must come from an office in the country of return (%s)",
     "l'évaluation familiale doit venir d'un bureau du pays de retour ({1})",
     "يجب أن يأتي تقييم الأسرة من مكتب في بلد العودة ({1})"},
    {"the family of the child %s was assessed for the previous destination, %s; a new family assessment is needed",
     "la famille de l'enfant {1} a été évaluée pour la destination précédente, {2} ; une nouvelle évaluation familiale est nécessaire",
     "قُيّمت أسرة الطفل {1} للوجهة السابقة، {2}؛ يلزم تقييم جديد للأسرة"},
    {"the figures could not be counted",
     "les chiffres n'ont pas pu être calculés",
     "تعذّر حساب الأرقام"},
    {"the guardian's name is required when the guardian consents",
     "le nom du tuteur est obligatoire quand le tuteur consent",
     "اسم الوصي مطلوب عندما يعطي الوصي الموافقة"},
    {"the id is too long",
     "l'identifiant est trop long",
     "المعرّف طويل جدًا"},
    {"the kind of record must be one of: %s",
     "le type d'enregistrement doit être l'un de : {1}",
     "يجب أن يكون نوع السجل واحدًا من: {1}"},
    {"the list could not be read",
     "la liste n'a pas pu être lue",
     "تعذّرت قراءة القائمة"},
    {"the metrics are served only to this machine or with the metrics token (setting metrics_access)",
     "les métriques ne sont servies qu'à cette machine ou avec le jeton des métriques (réglage metrics_access)",
     "لا تُقدَّم المقاييس إلا لهذا الجهاز أو مع رمز المقاييس (الإعداد metrics_access)"},
    {"the office must be a JSON object",
     "le bureau doit être un objet JSON",
     "يجب أن يكون المكتب كائن JSON"},
    {"the office of a case cannot be changed; to pass the case to the office in the country of return, hand it over (POST /api/v1/cases/%s/handover)",
     "le bureau d'un dossier ne peut pas être modifié ; pour passer le dossier au bureau du pays de retour, transférez-le (POST /api/v1/cases/{1}/handover)",
     "لا يمكن تغيير مكتب الملف؛ لنقل الملف إلى المكتب في بلد العودة، سلّمه (POST /api/v1/cases/{1}/handover)"},
    {"the offices could not be read",
     "les bureaux n'ont pas pu être lus",
     "تعذّرت قراءة المكاتب"},
    {"the one-time code is 6 digits",
     "le code à usage unique compte 6 chiffres",
     "يتكون الرمز لمرة واحدة من 6 أرقام"},
    {"the one-time code is wrong, expired or was used already",
     "le code à usage unique est faux, expiré ou déjà utilisé",
     "الرمز لمرة واحدة خاطئ أو منتهي الصلاحية أو سبق استخدامه"},
    {"the partner organisation must be a JSON object",
     "l'organisation partenaire doit être un objet JSON",
     "يجب أن تكون المنظمة الشريكة كائن JSON"},
    {"the partner organisations could not be read",
     "les organisations partenaires n'ont pas pu être lues",
     "تعذّرت قراءة المنظمات الشريكة"},
    {"the password could not be hashed (out of memory)",
     "le mot de passe n'a pas pu être haché (mémoire insuffisante)",
     "تعذّر تجزئة كلمة المرور (نفدت الذاكرة)"},
    {"the password is required",
     "le mot de passe est obligatoire",
     "كلمة المرور مطلوبة"},
    {"the password is too long",
     "le mot de passe est trop long",
     "كلمة المرور طويلة جدًا"},
    {"the password is wrong",
     "le mot de passe est faux",
     "كلمة المرور خاطئة"},
    {"the person is required (or the id of a registered person)",
     "la personne est obligatoire (ou l'identifiant d'une personne enregistrée)",
     "الشخص مطلوب (أو معرّف شخص مسجّل)"},
    {"the planned departure date is not set",
     "la date de départ prévue n'est pas fixée",
     "لم يُحدَّد تاريخ المغادرة المقررة"},
    {"the planned departure is in the past",
     "le départ prévu est dans le passé",
     "المغادرة المقررة في الماضي"},
    {"the planned departure is set",
     "le départ prévu est fixé",
     "تم تحديد المغادرة المقررة"},
    {"the pre-embarkation check found %s fit to travel",
     "le contrôle avant l'embarquement a trouvé {1} apte au voyage",
     "وجد الفحص قبل الصعود أن {1} لائق للسفر"},
    {"the pre-embarkation check found %s not fit to travel",
     "le contrôle avant l'embarquement a trouvé {1} inapte au voyage",
     "وجد الفحص قبل الصعود أن {1} غير لائق للسفر"},
    {"the principal applicant is aged %d by the date of birth and no parent or guardian is a member of the case; check the date of birth, or add the parent or guardian, and confirm it if it is true",
     "le demandeur principal a {1} ans d'après la date de naissance et aucun parent ni tuteur n'est membre du dossier ; vérifiez la date de naissance, ou ajoutez le parent ou le tuteur, et confirmez si c'est exact",
     "عمر مقدّم الطلب الرئيسي {1} حسب تاريخ الميلاد ولا يوجد أحد الوالدين أو وصي بين أفراد الملف؛ تحقق من تاريخ الميلاد أو أضف الوالد أو الوصي، وأكّد ذلك إن كان صحيحًا"},
    {"the procedure %s is %s",
     "la démarche {1} est {2}",
     "الإجراء {1}: {2}"},
    {"the procedure %s is not recorded (done or not needed)",
     "la démarche {1} n'est pas enregistrée (faite ou inutile)",
     "الإجراء {1} غير مسجّل (منجز أو غير لازم)"},
    {"the procedure %s is still pending",
     "la démarche {1} est toujours en attente",
     "الإجراء {1} ما زال قيد الانتظار"},
    {"the procedure must be one of: %s",
     "la démarche doit être l'une de : {1}",
     "يجب أن يكون الإجراء واحدًا من: {1}"},
    {"the reason must be text of at most 4000 bytes",
     "le motif doit être un texte de 4000 octets au plus",
     "يجب أن يكون السبب نصًا لا يتجاوز 4000 بايت"},
    {"the receiving office must be in the country of return (%s); %s is in %s",
     "le bureau d'accueil doit être dans le pays de retour ({1}) ; {2} est en {3}",
     "يجب أن يكون المكتب المستقبِل في بلد العودة ({1})؛ المكتب {2} في {3}"},
    {"the recipient is required for consent to share data",
     "le destinataire est obligatoire pour un consentement au partage des données",
     "المستلم مطلوب للموافقة على مشاركة البيانات"},
    {"the recipient is too long",
     "le destinataire est trop long",
     "اسم المستلم طويل جدًا"},
    {"the records could not be read",
     "les enregistrements n'ont pas pu être lus",
     "تعذّرت قراءة السجلات"},
    {"the request body is larger than the server accepts",
     "le corps de la requête dépasse ce que le serveur accepte",
     "محتوى الطلب أكبر مما يقبله الخادم"},
    {"the request has both Content-Length and Transfer-Encoding",
     "la requête a à la fois Content-Length et Transfer-Encoding",
     "يحتوي الطلب على Content-Length وTransfer-Encoding معًا"},
    {"the request has more than one %s header",
     "la requête a plus d'un en-tête {1}",
     "يحتوي الطلب على أكثر من ترويسة {1}"},
    {"the request uses a transfer coding awda does not know; send the body with Content-Length",
     "la requête utilise un codage de transfert qu'awda ne connaît pas ; envoyez le corps avec Content-Length",
     "يستخدم الطلب ترميز نقل لا يعرفه awda؛ أرسل المحتوى مع Content-Length"},
    {"the restriction must be a JSON object",
     "la restriction doit être un objet JSON",
     "يجب أن يكون القيد كائن JSON"},
    {"the restriction was changed by someone else (it is now at version %lld); reload it",
     "la restriction a été modifiée par quelqu'un d'autre (elle est maintenant à la version {1}) ; rechargez-la",
     "عدّل شخص آخر القيد (هو الآن في الإصدار {1})؛ أعد تحميله"},
    {"the restrictions could not be read",
     "les restrictions n'ont pas pu être lues",
     "تعذّرت قراءة القيود"},
    {"the search failed",
     "la recherche a échoué",
     "فشل البحث"},
    {"the search is too long",
     "la recherche est trop longue",
     "نص البحث طويل جدًا"},
    {"the second factor could not be checked",
     "le second facteur n'a pas pu être vérifié",
     "تعذّر التحقق من العامل الثاني"},
    {"the second factor could not be read",
     "le second facteur n'a pas pu être lu",
     "تعذّرت قراءة العامل الثاني"},
    {"the second factor is already set up",
     "le second facteur est déjà configuré",
     "تم إعداد العامل الثاني بالفعل"},
    {"the secret could not be made",
     "le secret n'a pas pu être créé",
     "تعذّر إنشاء السر"},
    {"the server could not take the change now; nothing was saved, try again in a moment",
     "le serveur n'a pas pu prendre la modification ; rien n'a été enregistré, réessayez dans un instant",
     "تعذّر على الخادم قبول التغيير الآن؛ لم يُحفظ شيء، حاول مرة أخرى بعد قليل"},
    {"the server is busy checking passwords; try again in %d seconds",
     "le serveur est occupé à vérifier des mots de passe ; réessayez dans {1} secondes",
     "الخادم مشغول بالتحقق من كلمات المرور؛ حاول مرة أخرى بعد {1} ثانية"},
    {"the spreadsheet could not be started",
     "le tableur n'a pas pu être commencé",
     "تعذّر بدء جدول البيانات"},
    {"the staff could not be read",
     "le personnel n'a pas pu être lu",
     "تعذّرت قراءة قائمة الموظفين"},
    {"the step must be one of: counsel, consent, approve_eligibility, start_pre_departure, ready, book, depart, arrive, start_reintegration, start_monitoring, record_arrival, withdraw, hold, resume, reopen, close",
     "l'étape doit être l'une de : counsel, consent, approve_eligibility, start_pre_departure, ready, book, depart, arrive, start_reintegration, start_monitoring, record_arrival, withdraw, hold, resume, reopen, close",
     "يجب أن تكون الخطوة واحدة من: counsel، consent، approve_eligibility، start_pre_departure، ready، book، depart، arrive، start_reintegration، start_monitoring، record_arrival، withdraw، hold، resume، reopen، close"},
    {"the timeline could not be read",
     "l'historique n'a pas pu être lu",
     "تعذّرت قراءة التسلسل الزمني"},
    {"the user must be a JSON object",
     "l'utilisateur doit être un objet JSON",
     "يجب أن يكون المستخدم كائن JSON"},
    {"the user name cannot be changed",
     "le nom d'utilisateur ne peut pas être modifié",
     "لا يمكن تغيير اسم المستخدم"},
    {"the user name is required",
     "le nom d'utilisateur est obligatoire",
     "اسم المستخدم مطلوب"},
    {"the user name is too long",
     "le nom d'utilisateur est trop long",
     "اسم المستخدم طويل جدًا"},
    {"the user name or the password is wrong",
     "le nom d'utilisateur ou le mot de passe est faux",
     "اسم المستخدم أو كلمة المرور خاطئة"},
    {"the users could not be read",
     "les utilisateurs n'ont pas pu être lus",
     "تعذّرت قراءة المستخدمين"},
    {"the value of the %.40s header contains a control character",
     "la valeur de l'en-tête {1} contient un caractère de contrôle",
     "تحتوي قيمة الترويسة {1} على حرف تحكم"},
    {"there is no case with this id",
     "il n'y a pas de dossier avec cet identifiant",
     "لا يوجد ملف بهذا المعرّف"},
    {"there is no kind of record called \"%.40s\"",
     "il n'y a pas de type d'enregistrement appelé « {1} »",
     "لا يوجد نوع سجل باسم «{1}»"},
    {"there is no office with the code \"%.20s\"",
     "il n'y a pas de bureau avec le code « {1} »",
     "لا يوجد مكتب بالرمز «{1}»"},
    {"there is no office with the code %s",
     "il n'y a pas de bureau avec le code {1}",
     "لا يوجد مكتب بالرمز {1}"},
    {"there is no office with this code",
     "il n'y a pas de bureau avec ce code",
     "لا يوجد مكتب بهذا الرمز"},
    {"there is no partner organisation with this id",
     "il n'y a pas d'organisation partenaire avec cet identifiant",
     "لا توجد منظمة شريكة بهذا المعرّف"},
    {"there is no partner organisation with this id; choose one of GET /api/v1/partners (an administrator adds new ones)",
     "il n'y a pas d'organisation partenaire avec cet identifiant ; choisissez-en une de GET /api/v1/partners (un administrateur en ajoute de nouvelles)",
     "لا توجد منظمة شريكة بهذا المعرّف؛ اختر واحدة من GET /api/v1/partners (يضيف المسؤول منظمات جديدة)"},
    {"there is no person with this id",
     "il n'y a pas de personne avec cet identifiant",
     "لا يوجد شخص بهذا المعرّف"},
    {"there is no protection officer named %s",
     "il n'y a pas d'agent de protection nommé {1}",
     "لا يوجد موظف حماية باسم {1}"},
    {"there is no restriction with this id",
     "il n'y a pas de restriction avec cet identifiant",
     "لا يوجد قيد بهذا المعرّف"},
    {"there is no stage called \"%.40s\"",
     "il n'y a pas d'étape appelée « {1} »",
     "لا توجد مرحلة باسم «{1}»"},
    {"there is no such restriction",
     "cette restriction n'existe pas",
     "هذا القيد غير موجود"},
    {"there is no user called \"%.40s\"",
     "il n'y a pas d'utilisateur appelé « {1} »",
     "لا يوجد مستخدم باسم «{1}»"},
    {"there is no user named %s",
     "il n'y a pas d'utilisateur nommé {1}",
     "لا يوجد مستخدم باسم {1}"},
    {"there is nothing at this address",
     "il n'y a rien à cette adresse",
     "لا يوجد شيء في هذا العنوان"},
    {"this Idempotency-Key was already used for a different request",
     "cette Idempotency-Key a déjà servi pour une autre requête",
     "استُخدم مفتاح Idempotency-Key هذا من قبل لطلب مختلف"},
    {"this address does not accept this method",
     "cette adresse n'accepte pas cette méthode",
     "هذا العنوان لا يقبل هذه الطريقة"},
    {"this child is aged %d by the date of birth, not younger than the principal applicant (aged %d); check the dates of birth and the relationship, and confirm it if it is true",
     "cet enfant a {1} ans d'après la date de naissance, il n'est pas plus jeune que le demandeur principal ({2} ans) ; vérifiez les dates de naissance et le lien de parenté, et confirmez si c'est exact",
     "عمر هذا الطفل {1} حسب تاريخ الميلاد، وهو ليس أصغر من مقدّم الطلب الرئيسي (عمره {2})؛ تحقق من تواريخ الميلاد وصلة القرابة، وأكّد ذلك إن كان صحيحًا"},
    {"this conflicts with a record that already exists",
     "cela entre en conflit avec un enregistrement existant",
     "يتعارض هذا مع سجل موجود بالفعل"},
    {"this field is not known",
     "ce champ n'est pas connu",
     "هذا الحقل غير معروف"},
    {"this parent is aged %d by the date of birth, not older than the principal applicant (aged %d); check the dates of birth and the relationship, and confirm it if it is true",
     "ce parent a {1} ans d'après la date de naissance, il n'est pas plus âgé que le demandeur principal ({2} ans) ; vérifiez les dates de naissance et le lien de parenté, et confirmez si c'est exact",
     "عمر هذا الوالد {1} حسب تاريخ الميلاد، وهو ليس أكبر من مقدّم الطلب الرئيسي (عمره {2})؛ تحقق من تواريخ الميلاد وصلة القرابة، وأكّد ذلك إن كان صحيحًا"},
    {"this person has no consent to share with this recipient that could be withdrawn (choose the recipient named in their consent)",
     "cette personne n'a pas de consentement au partage avec ce destinataire qui pourrait être retiré (choisissez le destinataire nommé dans son consentement)",
     "ليس لدى هذا الشخص موافقة على المشاركة مع هذا المستلم يمكن سحبها (اختر المستلم المذكور في موافقته)"},
    {"this person is already a member of the case",
     "cette personne est déjà membre du dossier",
     "هذا الشخص عضو في الملف بالفعل"},
    {"this person is not a member of the case",
     "cette personne n'est pas membre du dossier",
     "هذا الشخص ليس عضوًا في الملف"},
    {"this spouse is aged %d by the date of birth; check the date of birth and the relationship, and confirm it if it is true",
     "ce conjoint a {1} ans d'après la date de naissance ; vérifiez la date de naissance et le lien de parenté, et confirmez si c'est exact",
     "عمر هذا الزوج {1} حسب تاريخ الميلاد؛ تحقق من تاريخ الميلاد وصلة القرابة، وأكّد ذلك إن كان صحيحًا"},
    {"too many %s; try again in %d seconds",
     "trop de {1} ; réessayez dans {2} secondes",
     "{1} كثيرة جدًا؛ حاول مرة أخرى بعد {2} ثانية"},
    {"too many failed sign-ins on this server right now; try again in a minute",
     "trop de connexions échouées sur ce serveur en ce moment ; réessayez dans une minute",
     "محاولات دخول فاشلة كثيرة جدًا على هذا الخادم الآن؛ حاول مرة أخرى بعد دقيقة"},
    {"type a name to search for",
     "saisissez un nom à rechercher",
     "اكتب اسمًا للبحث عنه"},
    {"waiting takes only \"me\" (the cases assigned to you that wait for a step you take)",
     "waiting n'accepte que « me » (les dossiers qui vous sont attribués et attendent une étape de votre part)",
     "لا تقبل waiting إلا «me» (الملفات المسندة إليك التي تنتظر خطوة تقوم بها)"},
    {"waiting=me lists the cases assigned to you only",
     "waiting=me ne liste que les dossiers qui vous sont attribués",
     "تعرض waiting=me الملفات المسندة إليك فقط"},
    {"you do not work in the office %s",
     "vous ne travaillez pas au bureau {1}",
     "أنت لا تعمل في المكتب {1}"},
    {"your account names no partner organisation; ask an administrator to set it",
     "votre compte ne nomme aucune organisation partenaire ; demandez à un administrateur de l'indiquer",
     "لا يذكر حسابك أي منظمة شريكة؛ اطلب من المسؤول تحديدها"},
    {"your role does not allow recording a %s",
     "votre rôle ne permet pas d'enregistrer un {1}",
     "لا يسمح دورك بتسجيل {1}"},
    {"your role does not allow the step %s",
     "votre rôle ne permet pas l'étape {1}",
     "لا يسمح دورك بالخطوة {1}"},
    {"your role does not allow this (%s)",
     "votre rôle ne le permet pas ({1})",
     "لا يسمح دورك بهذا ({1})"},
    {"your role may export pseudonymised data only (without names); leave out names=true",
     "votre rôle ne peut exporter que des données pseudonymisées (sans les noms) ; retirez names=true",
     "لا يسمح دورك إلا بتصدير بيانات مستعارة الهوية (دون أسماء)؛ احذف names=true"},
    {"your role requires signing in with a one-time code; set up an authenticator app (POST /api/v1/me/second-factor) before you go on",
     "votre rôle exige une connexion avec un code à usage unique ; configurez une application d'authentification (POST /api/v1/me/second-factor) avant de continuer",
     "يتطلب دورك تسجيل الدخول برمز لمرة واحدة؛ أعدّ تطبيق مصادقة (POST /api/v1/me/second-factor) قبل المتابعة"},
    {"your session has ended or is not valid; sign in again",
     "votre session a pris fin ou n'est pas valide ; reconnectez-vous",
     "انتهت جلستك أو أنها غير صالحة؛ سجّل الدخول مرة أخرى"},
    {"%d requirement%s of the step %s %s not met",
     "{1} exigence(s) de l'étape {3} non remplie(s){2-}{4-}",
     "{1} من متطلبات الخطوة {3} غير مستوفاة{2-}{4-}"},
    {"%s was assisted to return before (case %s)",
     "{1} a déjà été aidé à rentrer (dossier {2})",
     "سبقت مساعدة {1} على العودة (الملف {2})"},
    {"%zu field needs attention",
     "{1} champ demande votre attention",
     "{1} حقل يحتاج إلى مراجعة"},
    {"%zu fields need attention",
     "{1} champs demandent votre attention",
     "{1} حقول تحتاج إلى مراجعة"},
    {"check the parameters",
     "vérifiez les paramètres",
     "تحقق من المعاملات"},
    {"check the parameters of the search",
     "vérifiez les paramètres de la recherche",
     "تحقق من معاملات البحث"},
    {"%d exports are being made already; try again in a minute",
     "{1} exports sont déjà en cours ; réessayez dans une minute",
     "يجري الآن إعداد {1} من عمليات التصدير؛ حاول مرة أخرى بعد دقيقة"},
    {"%s are %s detail: only the roles that see it record and change them (ask a %s officer)",
     "{1} relèvent des détails de type {2} : seuls les rôles qui les voient les enregistrent et les modifient (demandez à un agent {3})",
     "{1} من التفاصيل من نوع {2}: لا يسجّلها ويعدّلها إلا الأدوار التي تراها (اطلب ذلك من موظف {3})"},
    {"%s is a protection concern: it is recorded in protection_vulnerabilities, which only protection officers see and change",
     "{1} est une préoccupation de protection : elle s'enregistre dans protection_vulnerabilities, que seuls les agents de protection voient et modifient",
     "{1} من شواغل الحماية: تُسجَّل في protection_vulnerabilities التي لا يراها ويعدّلها إلا موظفو الحماية"},
    {"%s must be a date such as 2026-01-31",
     "{1} doit être une date comme 2026-01-31",
     "يجب أن يكون {1} تاريخًا مثل 2026-01-31"},
    {"The export is too large",
     "L'export est trop volumineux",
     "التصدير كبير جدًا"},
    {"the export could not be read from the database",
     "l'export n'a pas pu être lu dans la base de données",
     "تعذّرت قراءة التصدير من قاعدة البيانات"},
    {"the export could not be started",
     "l'export n'a pas pu être commencé",
     "تعذّر بدء التصدير"},
    {"the spreadsheet could not be made",
     "le tableur n'a pas pu être créé",
     "تعذّر إنشاء جدول البيانات"},
    {"this export would hold %lld rows, more than the %lld an export may hold%s; narrow it by office, stage or registration dates (registered_from, registered_to)%s",
     "cet export compterait {1} lignes, plus que les {2} autorisées par export{3} ; restreignez-le par bureau, étape ou dates d'enregistrement (registered_from, registered_to){4}",
     "سيحتوي هذا التصدير على {1} صفًا، أي أكثر من {2} المسموح بها في التصدير الواحد{3}؛ ضيّقه حسب المكتب أو المرحلة أو تواريخ التسجيل (registered_from، registered_to){4}"},
    /* the household after registration (household.c), the dashboard
     * (dashboard.c) */
    {"The removal is not valid",
     "Le retrait n'est pas valide",
     "الإزالة غير صالحة"},
    {"is not part of a removal (person_id and reason)",
     "ne fait pas partie d'un retrait (person_id et reason)",
     "ليس جزءًا من الإزالة (person_id وreason)"},
    {"the id of the member who left is required",
     "l'identifiant du membre qui est parti est obligatoire",
     "معرّف الفرد الذي غادر مطلوب"},
    {"say why the member is no longer part of the case",
     "dites pourquoi ce membre ne fait plus partie du dossier",
     "اذكر لماذا لم يعد هذا الفرد جزءًا من الملف"},
    {"the reason must be at most %d bytes",
     "le motif doit faire au plus {1} octets",
     "يجب ألا يتجاوز السبب {1} بايت"},
    {"the principal applicant cannot be removed; make another member the principal applicant first",
     "le demandeur principal ne peut pas être retiré ; faites d'abord d'un autre membre le demandeur principal",
     "لا يمكن إزالة مقدّم الطلب الرئيسي؛ اجعل فردًا آخر مقدّم الطلب الرئيسي أولًا"},
    {"send the version you saw in an If-Match header (the ETag of the case, here \"%lld\"), so that no one else's change is overwritten",
     "envoyez la version que vous avez vue dans un en-tête If-Match (l'ETag du dossier, ici \"{1}\"), pour n'écraser la modification de personne",
     "أرسل الإصدار الذي رأيته في ترويسة If-Match (قيمة ETag للملف، هنا \"{1}\")، حتى لا يُكتب فوق تعديل شخص آخر"},
    {"the case was changed by someone else (it is now at version %lld, you saw version %lld); reload it and remove the member again if they still left",
     "le dossier a été modifié par quelqu'un d'autre (il est maintenant à la version {1}, vous avez vu la version {2}) ; rechargez-le et retirez de nouveau le membre s'il est bien parti",
     "عدّل شخص آخر الملف (هو الآن في الإصدار {1}، وأنت رأيت الإصدار {2})؛ أعد تحميله وأزل الفرد من جديد إن كان قد غادر فعلًا"},
    {"the case is now at version %lld, which If-Match does not name (a weak entity-tag never matches); reload it and remove the member again if they still left",
     "le dossier est maintenant à la version {1}, que If-Match ne nomme pas (un entity-tag faible ne correspond jamais) ; rechargez-le et retirez de nouveau le membre s'il est bien parti",
     "الملف الآن في الإصدار {1}، الذي لا تذكره If-Match (لا تتطابق entity-tag الضعيفة أبدًا)؛ أعد تحميله وأزل الفرد من جديد إن كان قد غادر فعلًا"},
    {"the counts could not be read",
     "les comptes n'ont pas pu être lus",
     "تعذّرت قراءة الأعداد"},
    {"the cases could not be read",
     "les dossiers n'ont pas pu être lus",
     "تعذّرت قراءة الملفات"},
    /* ---- movement_care: escorts, airport assistance, onward transport, allowances, the manifest ---- */
    {"%s needs a medical escort: assign a medical escort of this movement to them",
     "{1} a besoin d'une escorte médicale : affectez-lui une escorte médicale de ce mouvement",
     "يحتاج {1} إلى مرافق طبي: كلّف مرافقًا طبيًا من هذه الرحلة بمرافقته"},
    {"the child %s travels unaccompanied: assign an escort of this movement to them",
     "l'enfant {1} voyage non accompagné : affectez-lui une escorte de ce mouvement",
     "يسافر الطفل {1} دون مرافق: كلّف مرافقًا من هذه الرحلة بمرافقته"},
    {"%s is not a passenger of this movement",
     "{1} n'est pas un passager de ce mouvement",
     "{1} ليس من ركاب هذه الرحلة"},
    {"%s is not an ISO 4217 currency code: write the three capital letters, such as XOF, EGP or USD",
     "{1} n'est pas un code de devise ISO 4217 : écrivez les trois lettres majuscules, comme XOF, EGP ou USD",
     "{1} ليس رمز عملة وفق ISO 4217: اكتب الأحرف الكبيرة الثلاثة، مثل XOF أو EGP أو USD"},
    {"The airport assistance is not valid",
     "L'assistance aéroportuaire n'est pas valide",
     "المساعدة في المطار غير صالحة"},
    {"The escort is not valid",
     "L'escorte n'est pas valide",
     "المرافق غير صالح"},
    {"The onward transport is not valid",
     "Le transport vers la destination finale n'est pas valide",
     "النقل إلى الوجهة النهائية غير صالح"},
    {"The travel allowance is not valid",
     "L'allocation de voyage n'est pas valide",
     "بدل السفر غير صالح"},
    {"a movement has at most %d airport assistances",
     "un mouvement a au plus {1} assistances aéroportuaires",
     "للرحلة {1} من المساعدات في المطار على الأكثر"},
    {"a movement has at most %d escorts",
     "un mouvement a au plus {1} escortes",
     "للرحلة {1} من المرافقين على الأكثر"},
    {"an organisation is given for an external escort (with name), not for a staff member",
     "une organisation s'indique pour une escorte externe (avec name), pas pour un membre du personnel",
     "تُذكر المنظمة لمرافق من خارج المنظمة (مع name)، لا لموظف"},
    {"format must be json, csv or xlsx",
     "format doit être json, csv ou xlsx",
     "يجب أن تكون format إحدى القيم json أو csv أو xlsx"},
    {"give %s (a staff member's user name) or %s",
     "indiquez {1} (le nom d'utilisateur d'un membre du personnel) ou {2}",
     "اذكر {1} (اسم مستخدم أحد الموظفين) أو {2}"},
    {"give %s or %s, not both",
     "indiquez {1} ou {2}, pas les deux",
     "اذكر {1} أو {2}، لا كليهما"},
    {"no onward transport is planned for this passenger",
     "aucun transport vers la destination finale n'est prévu pour ce passager",
     "لا يوجد نقل مخطط إلى الوجهة النهائية لهذا الراكب"},
    {"no seat left for an escort: %lld of %lld taken",
     "plus de place pour une escorte : {1} sur {2} occupées",
     "لم يبق مقعد لمرافق: {1} من {2} مشغولة"},
    {"the airport assistance could not be read",
     "l'assistance aéroportuaire n'a pas pu être lue",
     "تعذّرت قراءة المساعدة في المطار"},
    {"the airport assistance was changed by someone else (it is now at version %lld); reload it",
     "l'assistance aéroportuaire a été modifiée par quelqu'un d'autre (elle est maintenant à la version {1}) ; rechargez-la",
     "عدّل شخص آخر المساعدة في المطار (هي الآن في الإصدار {1})؛ أعد تحميلها"},
    {"the airport assistance was changed by someone else; reload it",
     "l'assistance aéroportuaire a été modifiée par quelqu'un d'autre ; rechargez-la",
     "عدّل شخص آخر المساعدة في المطار؛ أعد تحميلها"},
    {"the escorts could not be read",
     "les escortes n'ont pas pu être lues",
     "تعذّرت قراءة المرافقين"},
    {"the manifest could not be read",
     "le manifeste n'a pas pu être lu",
     "تعذّرت قراءة قائمة الركاب"},
    {"the manifest file could not be made",
     "le fichier du manifeste n'a pas pu être produit",
     "تعذّر إنشاء ملف قائمة الركاب"},
    {"the movement has %d leg: the only one is leg 0",
     "le mouvement a {1} segment : le seul est le segment 0",
     "للرحلة {1} مرحلة: المرحلة الوحيدة هي 0"},
    {"the movement has %d legs: leg is 0 to one less than that",
     "le mouvement a {1} segments : leg va de 0 à ce nombre moins un",
     "للرحلة {1} مراحل: قيمة leg من 0 إلى هذا العدد ناقص واحد"},
    {"the movement is %s: its airport assistance can no longer change",
     "le mouvement est {1} : son assistance aéroportuaire ne peut plus changer",
     "حالة الرحلة {1}: لم يعد من الممكن تغيير المساعدة في المطار"},
    {"the movement is %s: its escorts can no longer change",
     "le mouvement est {1} : ses escortes ne peuvent plus changer",
     "حالة الرحلة {1}: لم يعد من الممكن تغيير مرافقيها"},
    {"the movement is %s: onward transport can no longer change",
     "le mouvement est {1} : le transport vers la destination finale ne peut plus changer",
     "حالة الرحلة {1}: لم يعد من الممكن تغيير النقل إلى الوجهة النهائية"},
    {"the movement is %s: the travel allowance can no longer change",
     "le mouvement est {1} : l'allocation de voyage ne peut plus changer",
     "حالة الرحلة {1}: لم يعد من الممكن تغيير بدل السفر"},
    {"the onward transport could not be read",
     "le transport vers la destination finale n'a pas pu être lu",
     "تعذّرت قراءة النقل إلى الوجهة النهائية"},
    {"the request must be a JSON object",
     "la requête doit être un objet JSON",
     "يجب أن يكون الطلب كائن JSON"},
    {"the travel allowances could not be read",
     "les allocations de voyage n'ont pas pu être lues",
     "تعذّرت قراءة بدلات السفر"},
    {"there is no active user named %s",
     "il n'y a pas d'utilisateur actif nommé {1}",
     "لا يوجد مستخدم نشط باسم {1}"},
    {"this movement has no airport assistance with this id",
     "ce mouvement n'a pas d'assistance aéroportuaire avec cet identifiant",
     "ليس لهذه الرحلة مساعدة في المطار بهذا المعرّف"},
    {"this movement has no escort with this id",
     "ce mouvement n'a pas d'escorte avec cet identifiant",
     "ليس لهذه الرحلة مرافق بهذا المعرّف"},
    {"this person is not a passenger of this movement",
     "cette personne n'est pas un passager de ce mouvement",
     "هذا الشخص ليس من ركاب هذه الرحلة"},
    /* ---- end of movement_care ---- */
    /* ---- movements: movements, legs, passengers, the board, departure and arrival ---- */
    {"%s is already booked on the movement %s",
     "{1} est déjà réservé(e) sur le mouvement {2}",
     "{1} محجوز بالفعل على الرحلة {2}"},
    {"%s returns to %s; this movement goes to %s",
     "{1} retourne vers {2} ; ce mouvement va vers {3}",
     "يعود {1} إلى {2}؛ وهذه الرحلة متجهة إلى {3}"},
    {"The arrival cannot be confirmed",
     "L'arrivée ne peut pas être confirmée",
     "لا يمكن تأكيد الوصول"},
    {"The arrival is not valid",
     "L'arrivée n'est pas valide",
     "بيانات الوصول غير صالحة"},
    {"The cancellation is not valid",
     "L'annulation n'est pas valide",
     "الإلغاء غير صالح"},
    {"The confirmation is not valid",
     "La confirmation n'est pas valide",
     "التأكيد غير صالح"},
    {"The departure cannot be confirmed",
     "Le départ ne peut pas être confirmé",
     "لا يمكن تأكيد المغادرة"},
    {"The departure is not valid",
     "Le départ n'est pas valide",
     "بيانات المغادرة غير صالحة"},
    {"The movement cannot be confirmed",
     "Le mouvement ne peut pas être confirmé",
     "لا يمكن تأكيد الرحلة"},
    {"The movement is not valid",
     "Le mouvement n'est pas valide",
     "الرحلة غير صالحة"},
    {"The passengers are not valid",
     "Les passagers ne sont pas valides",
     "بيانات الركاب غير صالحة"},
    {"a household travels together: %s must be added with %s",
     "un ménage voyage ensemble : {1} doit être ajouté(e) avec {2}",
     "تسافر الأسرة معًا: يجب إضافة {1} مع {2}"},
    {"a leg must be a JSON object",
     "un tronçon doit être un objet JSON",
     "يجب أن تكون المرحلة كائن JSON"},
    {"a list of at most %d passengers",
     "une liste d'au plus {1} passagers",
     "قائمة من {1} راكبًا على الأكثر"},
    {"a movement has 1 to %d legs, in travel order",
     "un mouvement a de 1 à {1} tronçons, dans l'ordre du voyage",
     "للرحلة من 1 إلى {1} مراحل، بترتيب السفر"},
    {"an airport is its IATA code: 3 capital letters (e.g. %s)",
     "un aéroport s'écrit avec son code IATA : 3 lettres majuscules (par ex. {1})",
     "يُكتب المطار برمز IATA الخاص به: 3 أحرف كبيرة (مثل {1})"},
    {"at most %d cases and persons at once",
     "au plus {1} dossiers et personnes à la fois",
     "{1} من الملفات والأشخاص على الأكثر في المرة الواحدة"},
    {"each entry is {\"person_id\", \"taken\": true|false}",
     "chaque entrée est {\"person_id\", \"taken\": true|false}",
     "كل عنصر هو {\"person_id\", \"taken\": true|false}"},
    {"must be a list of ids",
     "doit être une liste d'identifiants",
     "يجب أن تكون قائمة معرّفات"},
    {"must be text of 1 to %d bytes",
     "doit être un texte de 1 à {1} octets",
     "يجب أن يكون نصًا من 1 إلى {1} بايت"},
    {"must be the id of a case",
     "doit être l'identifiant d'un dossier",
     "يجب أن يكون معرّف ملف"},
    {"must be the id of a person",
     "doit être l'identifiant d'une personne",
     "يجب أن يكون معرّف شخص"},
    {"must be true or false",
     "doit être true ou false",
     "يجب أن تكون القيمة true أو false"},
    {"name the cases (or persons) to add",
     "indiquez les dossiers (ou les personnes) à ajouter",
     "حدّد الملفات (أو الأشخاص) المراد إضافتهم"},
    {"no onward transport was planned for this person on this movement",
     "aucun transport ultérieur n'a été prévu pour cette personne sur ce mouvement",
     "لم يُخطَّط أي نقل لاحق لهذا الشخص في هذه الرحلة"},
    {"no seat left: %lld of %lld taken",
     "plus de place : {1} sur {2} occupées",
     "لا توجد مقاعد متبقية: {1} من {2} محجوزة"},
    {"nobody of this case is booked on this movement",
     "personne de ce dossier n'est réservé sur ce mouvement",
     "لا أحد من هذا الملف محجوز على هذه الرحلة"},
    {"requirements of the passengers not met: %zu",
     "conditions des passagers non remplies : {1}",
     "متطلبات الركاب غير المستوفاة: {1}"},
    {"say who met the passengers (at most %d bytes)",
     "indiquez qui a accueilli les passagers (au plus {1} octets)",
     "اذكر من استقبل الركاب (بحد أقصى {1} بايت)"},
    {"send the version you saw in an If-Match header (the ETag of the movement)",
     "envoyez la version que vous avez vue dans un en-tête If-Match (l'ETag du mouvement)",
     "أرسل النسخة التي اطلعت عليها في ترويسة If-Match (قيمة ETag للرحلة)"},
    {"the arrival is confirmed by the receiving office (%s)",
     "l'arrivée est confirmée par le bureau d'accueil ({1})",
     "يؤكد المكتب المستقبِل ({1}) الوصول"},
    {"the capacity cannot be below the %lld seats already taken",
     "la capacité ne peut pas être inférieure aux {1} places déjà occupées",
     "لا يمكن أن تقل السعة عن {1} من المقاعد المحجوزة بالفعل"},
    {"the capacity is a number of seats from 1 to %d",
     "la capacité est un nombre de places de 1 à {1}",
     "السعة عدد مقاعد من 1 إلى {1}"},
    {"the case goes back to ready or on_hold",
     "le dossier revient à ready ou on_hold",
     "يعود الملف إلى ready أو on_hold"},
    {"the case of %s is at the stage %s, not ready",
     "le dossier de {1} est à l'étape {2}, pas ready",
     "ملف {1} في المرحلة {2}، وليس في ready"},
    {"the case of %s is now %s",
     "le dossier de {1} est maintenant {2}",
     "ملف {1} الآن في المرحلة {2}"},
    {"the household of %s travels together and cannot be booked: %s cannot travel",
     "le ménage de {1} voyage ensemble et ne peut pas être réservé : {2} ne peut pas voyager",
     "تسافر أسرة {1} معًا ولا يمكن حجزها: لا يمكن لـ {2} السفر"},
    {"the leg cannot depart before the leg before arrives",
     "le tronçon ne peut pas partir avant l'arrivée du tronçon précédent",
     "لا يمكن أن تبدأ المرحلة قبل وصول المرحلة السابقة"},
    {"the leg must arrive after it departs",
     "le tronçon doit arriver après son départ",
     "يجب أن تصل المرحلة بعد مغادرتها"},
    {"the leg must leave from %s, where the leg before arrives",
     "le tronçon doit partir de {1}, où arrive le tronçon précédent",
     "يجب أن تنطلق المرحلة من {1} حيث تصل المرحلة السابقة"},
    {"the local time must be written as YYYY-MM-DDTHH:MM, e.g. 2026-12-20T06:30",
     "l'heure locale s'écrit AAAA-MM-JJTHH:MM, par ex. 2026-12-20T06:30",
     "يُكتب التوقيت المحلي بالشكل YYYY-MM-DDTHH:MM، مثل 2026-12-20T06:30"},
    {"the movement could not be read",
     "le mouvement n'a pas pu être lu",
     "تعذّرت قراءة الرحلة"},
    {"the movement is %s; this needs a movement that is %s",
     "le mouvement est {1} ; cette action demande un mouvement {2}",
     "حالة الرحلة {1}؛ ويتطلب هذا الإجراء رحلة حالتها {2}"},
    {"the movement is planned and departed by the sending office (%s)",
     "le mouvement est planifié et son départ confirmé par le bureau d'envoi ({1})",
     "يخطط مكتب الإرسال ({1}) للرحلة ويؤكد مغادرتها"},
    {"the movement was changed by someone else (it is now at version %lld); reload it",
     "le mouvement a été modifié par quelqu'un d'autre (il est maintenant à la version {1}) ; rechargez-le",
     "عدّل شخص آخر الرحلة (هي الآن في النسخة {1})؛ أعد تحميلها"},
    {"the movements could not be read",
     "les mouvements n'ont pas pu être lus",
     "تعذّرت قراءة الرحلات"},
    {"the notes must be text of at most %d bytes",
     "les notes doivent être un texte d'au plus {1} octets",
     "يجب أن تكون الملاحظات نصًا لا يتجاوز {1} بايت"},
    {"the reason is required (text of at most %d bytes)",
     "le motif est obligatoire (texte d'au plus {1} octets)",
     "السبب مطلوب (نص لا يتجاوز {1} بايت)"},
    {"the receiving office must be another office than the sending office",
     "le bureau d'accueil doit être différent du bureau d'envoi",
     "يجب أن يكون المكتب المستقبِل غير مكتب الإرسال"},
    {"the status must be one of: planned, confirmed, departed, arrived, cancelled",
     "le statut doit être l'un de : planned, confirmed, departed, arrived, cancelled",
     "يجب أن تكون الحالة إحدى القيم: planned، confirmed، departed، arrived، cancelled"},
    {"the time zone must be an IANA zone name, e.g. Africa/Algiers",
     "le fuseau horaire doit être un nom de zone IANA, par ex. Africa/Algiers",
     "يجب أن تكون المنطقة الزمنية اسم منطقة IANA، مثل Africa/Algiers"},
    {"the type must be one of: charter, scheduled_flight, land, sea",
     "le type doit être l'un de : charter, scheduled_flight, land, sea",
     "يجب أن يكون النوع أحد: charter، scheduled_flight، land، sea"},
    {"there is no movement with this id",
     "il n'y a aucun mouvement avec cet identifiant",
     "لا توجد رحلة بهذا المعرّف"},
    {"this field cannot be changed (only reference, carrier, capacity and legs can)",
     "ce champ ne peut pas être modifié (seuls reference, carrier, capacity et legs le peuvent)",
     "لا يمكن تغيير هذا الحقل (يمكن تغيير reference وcarrier وcapacity وlegs فقط)"},
    {"this field is required",
     "ce champ est obligatoire",
     "هذا الحقل مطلوب"},
    {"this person is in no case at the stage ready",
     "cette personne n'est dans aucun dossier à l'étape ready",
     "هذا الشخص ليس في أي ملف في المرحلة ready"},
    {"you do not work for the office %s",
     "vous ne travaillez pas pour le bureau {1}",
     "أنت لا تعمل في المكتب {1}"},
    /* ---- end of movements ---- */
    /* ---- plans: needs assessments, plans, items, item types, partners' services ---- */
    {"%s %s is counted twice",
     "{1} {2} est compté deux fois",
     "{1} {2} محسوب مرتين"},
    {"The approval is not valid",
     "L'approbation n'est pas valide",
     "الموافقة غير صالحة"},
    {"The item is not valid",
     "L'élément n'est pas valide",
     "البند غير صالح"},
    {"The needs assessment is not valid",
     "L'évaluation des besoins n'est pas valide",
     "تقييم الاحتياجات غير صالح"},
    {"The plan cannot be approved",
     "Le plan ne peut pas être approuvé",
     "لا يمكن الموافقة على الخطة"},
    {"The plan cannot be closed",
     "Le plan ne peut pas être clôturé",
     "لا يمكن إغلاق الخطة"},
    {"The plan is not valid",
     "Le plan n'est pas valide",
     "الخطة غير صالحة"},
    {"The services of the partner are not valid",
     "Les services du partenaire ne sont pas valides",
     "خدمات الشريك غير صالحة"},
    {"The type of plan item is not valid",
     "Le type d'élément de plan n'est pas valide",
     "نوع بند الخطة غير صالح"},
    {"a collective plan names at least two returnees who share the project",
     "un plan collectif nomme au moins deux personnes de retour qui partagent le projet",
     "تسمّي الخطة الجماعية عائدَين اثنين على الأقل يتقاسمان المشروع"},
    {"a community plan counts its beneficiaries by sex and age group",
     "un plan communautaire compte ses bénéficiaires par sexe et tranche d'âge",
     "تُحصي الخطة المجتمعية المستفيدين منها حسب الجنس والفئة العمرية"},
    {"a community plan has at least one beneficiary",
     "un plan communautaire a au moins un bénéficiaire",
     "للخطة المجتمعية مستفيد واحد على الأقل"},
    {"a community plan names its place: the country as ISO 3166 alpha-3 (MLI)",
     "un plan communautaire nomme son lieu : le pays en ISO 3166 alpha-3 (MLI)",
     "تحدد الخطة المجتمعية مكانها: البلد برمز ISO 3166 الثلاثي (MLI)"},
    {"a new item is planned; its status changes later",
     "un nouvel élément est prévu ; son statut change plus tard",
     "البند الجديد مخطط له؛ وتتغير حالته لاحقاً"},
    {"a plan holds at most %d items",
     "un plan contient au plus {1} éléments",
     "تضم الخطة {1} بنداً على الأكثر"},
    {"a plan is approved with at least one item",
     "un plan est approuvé avec au moins un élément",
     "لا يُوافق على خطة إلا وفيها بند واحد على الأقل"},
    {"a plan names at most %d returnees",
     "un plan nomme au plus {1} personnes de retour",
     "تسمّي الخطة {1} عائداً على الأكثر"},
    {"a plan of an office names at least one returnee",
     "un plan d'un bureau nomme au moins une personne de retour",
     "تسمّي خطة المكتب عائداً واحداً على الأقل"},
    {"a referral names the partner it goes to",
     "une orientation nomme le partenaire auquel elle est adressée",
     "تحدد الإحالة الشريك الموجهة إليه"},
    {"a service is listed twice for the same place",
     "un service figure deux fois pour le même lieu",
     "خدمة مذكورة مرتين للمكان نفسه"},
    {"an individual plan names exactly one returnee",
     "un plan individuel nomme exactement une personne de retour",
     "تسمّي الخطة الفردية عائداً واحداً بالضبط"},
    {"an item moves to in_progress, delivered or cancelled (it is approved with its plan)",
     "un élément passe à in_progress, delivered ou cancelled (il est approuvé avec son plan)",
     "ينتقل البند إلى in_progress أو delivered أو cancelled (ويُوافق عليه مع خطته)"},
    {"an item starts once its plan is approved",
     "un élément commence une fois son plan approuvé",
     "يبدأ البند بعد الموافقة على خطته"},
    {"an item that is %s cannot become %s",
     "un élément qui est {1} ne peut pas devenir {2}",
     "البند الذي حالته {1} لا يمكن أن يصبح {2}"},
    {"an item with a budget is charged to a budget line before the plan is approved",
     "un élément doté d'un budget est imputé à une ligne budgétaire avant l'approbation du plan",
     "يُحمَّل البند ذو الميزانية على بند من الميزانية قبل الموافقة على الخطة"},
    {"each member is {case_id, person_id, share_bp}",
     "chaque membre est {case_id, person_id, share_bp}",
     "كل عضو هو {case_id, person_id, share_bp}"},
    {"each returnee's share is a whole number of basis points from 1 to 10000 (10000 = the whole project)",
     "la part de chaque personne de retour est un nombre entier de points de base de 1 à 10000 (10000 = tout le projet)",
     "حصة كل عائد عدد صحيح من نقاط الأساس من 1 إلى 10000 (10000 = المشروع كله)"},
    {"each service is {service, country, admin_area}",
     "chaque service est {service, country, admin_area}",
     "كل خدمة هي {service, country, admin_area}"},
    {"items are added to a draft plan; this plan is %s",
     "les éléments s'ajoutent à un plan en projet ; ce plan est {1}",
     "تُضاف البنود إلى مسودة خطة؛ وهذه الخطة {1}"},
    {"items of the plan still in progress: %zu; say why the plan closes before they are delivered",
     "éléments du plan encore en cours : {1} ; dites pourquoi le plan est clôturé avant leur réalisation",
     "بنود الخطة التي ما زالت قيد التنفيذ: {1}؛ اذكر سبب إغلاق الخطة قبل تقديمها"},
    {"only a collective plan divides the project into shares",
     "seul un plan collectif divise le projet en parts",
     "الخطة الجماعية وحدها تقسم المشروع إلى حصص"},
    {"only a community plan counts beneficiaries beyond the returnees",
     "seul un plan communautaire compte des bénéficiaires au-delà des personnes de retour",
     "الخطة المجتمعية وحدها تُحصي مستفيدين غير العائدين"},
    {"only a community plan names a place",
     "seul un plan communautaire nomme un lieu",
     "الخطة المجتمعية وحدها تحدد مكاناً"},
    {"only a referral has a referral status",
     "seule une orientation a un statut d'orientation",
     "الإحالة وحدها لها حالة إحالة"},
    {"only the office that works the case (the receiving office after the hand-over) can make its reintegration plan",
     "seul le bureau qui suit le dossier (le bureau d'accueil après le transfert) peut établir son plan de réintégration",
     "لا يضع خطة إعادة الإدماج إلا المكتب الذي يتابع الحالة (المكتب المستقبِل بعد التسليم)"},
    {"only the office that works the case (the receiving office after the hand-over) records its needs assessment",
     "seul le bureau qui suit le dossier (le bureau d'accueil après le transfert) enregistre son évaluation des besoins",
     "لا يسجل تقييم الاحتياجات إلا المكتب الذي يتابع الحالة (المكتب المستقبِل بعد التسليم)"},
    {"only the office that works the cases of this plan (the receiving office after the hand-over) can change it",
     "seul le bureau qui suit les dossiers de ce plan (le bureau d'accueil après le transfert) peut le modifier",
     "لا يعدّل هذه الخطة إلا المكتب الذي يتابع حالاتها (المكتب المستقبِل بعد التسليم)"},
    {"say what shows the assistance was delivered (a receipt, a certificate, a photo reference)",
     "indiquez ce qui montre que l'aide a été fournie (un reçu, un certificat, une référence de photo)",
     "اذكر ما يثبت تقديم المساعدة (إيصال، شهادة، مرجع صورة)"},
    {"say which version of the item this change is based on (If-Match)",
     "indiquez sur quelle version de l'élément repose cette modification (If-Match)",
     "حدد نسخة البند التي يستند إليها هذا التعديل (If-Match)"},
    {"say which version of the plan this change is based on (If-Match)",
     "indiquez sur quelle version du plan repose cette modification (If-Match)",
     "حدد نسخة الخطة التي يستند إليها هذا التعديل (If-Match)"},
    {"say why an approved item is cancelled",
     "dites pourquoi un élément approuvé est annulé",
     "اذكر سبب إلغاء بند موافق عليه"},
    {"the age group must be one of: 0-4, 5-11, 12-17, 18-59, 60+",
     "la tranche d'âge doit être l'une de : 0-4, 5-11, 12-17, 18-59, 60+",
     "يجب أن تكون الفئة العمرية إحدى: 0-4، 5-11، 12-17، 18-59، 60+"},
    {"the assistance is delivered direct or by referral to a partner",
     "l'aide est fournie directement (direct) ou par orientation vers un partenaire (referral)",
     "تُقدَّم المساعدة مباشرة (direct) أو بالإحالة إلى شريك (referral)"},
    {"the assistance is given as cash or in_kind",
     "l'aide est donnée en espèces (cash) ou en nature (in_kind)",
     "تُقدَّم المساعدة نقداً (cash) أو عيناً (in_kind)"},
    {"the budget is a whole number of minor units (cents) from 0 to %lld",
     "le budget est un nombre entier d'unités mineures (centimes) de 0 à {1}",
     "الميزانية عدد صحيح من الوحدات الصغرى (السنتات) من 0 إلى {1}"},
    {"the budget line counts in %s; give the item's budget in %s too",
     "la ligne budgétaire compte en {1} ; donnez aussi le budget de l'élément en {2}",
     "بند الميزانية محسوب بعملة {1}؛ فاذكر ميزانية البند بعملة {2} أيضاً"},
    {"the budget line is named by its id",
     "la ligne budgétaire est désignée par son identifiant",
     "يُحدَّد بند الميزانية بمعرّفه"},
    {"the case is %s; a reintegration plan is made after arrival",
     "le dossier est {1} ; un plan de réintégration est établi après l'arrivée",
     "الحالة {1}؛ وتوضع خطة إعادة الإدماج بعد الوصول"},
    {"the case is %s; the needs are assessed after arrival",
     "le dossier est {1} ; les besoins sont évalués après l'arrivée",
     "الحالة {1}؛ وتُقيَّم الاحتياجات بعد الوصول"},
    {"the case of the returnee is required",
     "le dossier de la personne de retour est requis",
     "حالة العائد مطلوبة"},
    {"the closure reason must be one of: plan_completed, support_period_ended, withdrew, left_the_area, lost_contact, re_migrated, deceased, ineligible, other",
     "le motif de clôture doit être l'un de : plan_completed, support_period_ended, withdrew, left_the_area, lost_contact, re_migrated, deceased, ineligible, other",
     "يجب أن يكون سبب الإغلاق أحد: plan_completed، support_period_ended، withdrew، left_the_area، lost_contact، re_migrated، deceased، ineligible، other"},
    {"the code is lower-case letters, digits and _ (at most %d), e.g. agricultural_inputs",
     "le code est fait de lettres minuscules, de chiffres et de _ (au plus {1}), p. ex. agricultural_inputs",
     "يتكون الرمز من أحرف لاتينية صغيرة وأرقام و_ ({1} على الأكثر)، مثل agricultural_inputs"},
    {"the count must be a whole number from 0 to 10000000",
     "le nombre doit être un entier de 0 à 10000000",
     "يجب أن يكون العدد عدداً صحيحاً من 0 إلى 10000000"},
    {"the country must be ISO 3166 alpha-3 (MLI)",
     "le pays doit être en ISO 3166 alpha-3 (MLI)",
     "يجب أن يكون البلد برمز ISO 3166 الثلاثي (MLI)"},
    {"the currency must be an ISO 4217 code in capitals, e.g. XOF",
     "la devise doit être un code ISO 4217 en majuscules, p. ex. XOF",
     "يجب أن تكون العملة رمز ISO 4217 بأحرف كبيرة، مثل XOF"},
    {"the date of the assessment is required, as YYYY-MM-DD",
     "la date de l'évaluation est requise, au format AAAA-MM-JJ",
     "تاريخ التقييم مطلوب بالصيغة YYYY-MM-DD"},
    {"the dimension must be one of: economic, social, psychosocial",
     "la dimension doit être l'une de : economic, social, psychosocial",
     "يجب أن يكون البعد أحد: economic، social، psychosocial"},
    {"the item is %s: its budget, partner and way of delivery are fixed by the approval",
     "l'élément est {1} : son budget, son partenaire et son mode de fourniture sont fixés par l'approbation",
     "البند {1}: ميزانيته وشريكه وطريقة تقديمه ثابتة بالموافقة"},
    {"the item is %s; it does not change any more",
     "l'élément est {1} ; il ne change plus",
     "البند {1}؛ ولم يعد يتغير"},
    {"the item was changed by someone else; reload it and try again",
     "l'élément a été modifié par quelqu'un d'autre ; rechargez-le et réessayez",
     "عدّل شخص آخر هذا البند؛ أعد تحميله وحاول مجدداً"},
    {"the kind of partner must be one of: government, ngo, un_agency, private, community_association",
     "le type de partenaire doit être l'un de : government, ngo, un_agency, private, community_association",
     "يجب أن يكون نوع الشريك أحد: government، ngo، un_agency، private، community_association"},
    {"the kind of plan must be one of: individual, collective, community",
     "le type de plan doit être l'un de : individual, collective, community",
     "يجب أن يكون نوع الخطة أحد: individual، collective، community"},
    {"the members must be a list of returnees",
     "les membres doivent être une liste de personnes de retour",
     "يجب أن يكون الأعضاء قائمة بالعائدين"},
    {"the needs assessments could not be read",
     "les évaluations des besoins n'ont pas pu être lues",
     "تعذرت قراءة تقييمات الاحتياجات"},
    {"the partner is named by its id",
     "le partenaire est désigné par son identifiant",
     "يُحدَّد الشريك بمعرّفه"},
    {"the plan could not be read",
     "le plan n'a pas pu être lu",
     "تعذرت قراءة الخطة"},
    {"the plan is %s already",
     "le plan est déjà {1}",
     "الخطة {1} بالفعل"},
    {"the plan is %s; only a draft plan is approved",
     "le plan est {1} ; seul un plan en projet est approuvé",
     "الخطة {1}؛ ولا يُوافق إلا على مسودة خطة"},
    {"the plan was changed by someone else; reload it and try again",
     "le plan a été modifié par quelqu'un d'autre ; rechargez-le et réessayez",
     "عدّل شخص آخر هذه الخطة؛ أعد تحميلها وحاول مجدداً"},
    {"the plans could not be read",
     "les plans n'ont pas pu être lus",
     "تعذرت قراءة الخطط"},
    {"the plans overdue could not be read",
     "les plans en retard n'ont pas pu être lus",
     "تعذرت قراءة الخطط المتأخرة"},
    {"the referral is sent, accepted, completed or declined",
     "l'orientation est sent, accepted, completed ou declined",
     "الإحالة sent أو accepted أو completed أو declined"},
    {"the returnee's choice must be one of: own_project, proposed_option, referral",
     "le choix de la personne de retour doit être l'un de : own_project, proposed_option, referral",
     "يجب أن يكون اختيار العائد أحد: own_project، proposed_option، referral"},
    {"the returnees of one plan are worked by one office; this case is worked by another",
     "les personnes de retour d'un plan sont suivies par un seul bureau ; ce dossier est suivi par un autre",
     "يتابع عائدي الخطة الواحدة مكتب واحد؛ وهذه الحالة يتابعها مكتب آخر"},
    {"the service (a type of plan item) is required",
     "le service (un type d'élément de plan) est requis",
     "الخدمة (نوع من بنود الخطة) مطلوبة"},
    {"the services are a list (at most %d) of {service, country, admin_area}",
     "les services sont une liste (au plus {1}) de {service, country, admin_area}",
     "الخدمات قائمة ({1} على الأكثر) من {service, country, admin_area}"},
    {"the services of the partner could not be read",
     "les services du partenaire n'ont pas pu être lus",
     "تعذرت قراءة خدمات الشريك"},
    {"the sex must be female or male",
     "le sexe doit être female ou male",
     "يجب أن يكون الجنس female أو male"},
    {"the shares of the returnees must add up to 10000 basis points (the whole project); they add up to %lld",
     "les parts des personnes de retour doivent totaliser 10000 points de base (tout le projet) ; elles totalisent {1}",
     "يجب أن يبلغ مجموع حصص العائدين 10000 نقطة أساس (المشروع كله)؛ ومجموعها {1}"},
    {"the type of an item does not change; cancel it and add another",
     "le type d'un élément ne change pas ; annulez-le et ajoutez-en un autre",
     "نوع البند لا يتغير؛ ألغه وأضف بنداً آخر"},
    {"the type of assistance is required",
     "le type d'aide est requis",
     "نوع المساعدة مطلوب"},
    {"the types of plan item could not be read",
     "les types d'élément de plan n'ont pas pu être lus",
     "تعذرت قراءة أنواع بنود الخطة"},
    {"there is a type of plan item with the code %s already",
     "il existe déjà un type d'élément de plan avec le code {1}",
     "يوجد بالفعل نوع من بنود الخطة بالرمز {1}"},
    {"there is no budget line with this id",
     "il n'y a pas de ligne budgétaire avec cet identifiant",
     "لا يوجد بند ميزانية بهذا المعرّف"},
    {"there is no plan item with this id",
     "il n'y a pas d'élément de plan avec cet identifiant",
     "لا يوجد بند خطة بهذا المعرّف"},
    {"there is no plan with this id",
     "il n'y a pas de plan avec cet identifiant",
     "لا توجد خطة بهذا المعرّف"},
    {"there is no type of plan item called %s",
     "il n'y a pas de type d'élément de plan appelé {1}",
     "لا يوجد نوع من بنود الخطة باسم {1}"},
    {"there is no type of plan item called %s (the list: GET /api/v1/plan-item-types)",
     "il n'y a pas de type d'élément de plan appelé {1} (la liste : GET /api/v1/plan-item-types)",
     "لا يوجد نوع من بنود الخطة باسم {1} (القائمة: GET /api/v1/plan-item-types)"},
    {"this must be text of at most %zu bytes",
     "ceci doit être un texte d'au plus {1} octets",
     "يجب أن يكون هذا نصاً من {1} بايت على الأكثر"},
    {"this person is already a member of the plan",
     "cette personne est déjà membre du plan",
     "هذا الشخص عضو في الخطة بالفعل"},
    {"items of the reintegration plan are still in progress: %lld; close the plan and say why they stop",
     "éléments du plan de réintégration encore en cours : {1} ; clôturez le plan et dites pourquoi ils s'arrêtent",
     "بنود خطة إعادة الإدماج التي ما زالت قيد التنفيذ: {1}؛ أغلق الخطة واذكر سبب توقفها"},
    /* ---- end of plans ---- */
    /* ---- money: programmes, projects, budget lines, the ledger ---- */
    {"%s asked, %s left of the approved amount of this plan item",
     "{1} demandés, il reste {2} sur le montant approuvé de cet élément du plan",
     "المطلوب {1}، والمتبقي {2} من المبلغ المعتمد لهذا البند من الخطة"},
    {"%s asked, %s left on line %s",
     "{1} demandés, il reste {2} sur la ligne {3}",
     "المطلوب {1}، والمتبقي {2} في البند {3}"},
    {"%s asked, the travel allowance is %s",
     "{1} demandés, l'indemnité de voyage est de {2}",
     "المطلوب {1}، وبدل السفر هو {2}"},
    {"%s cannot be taken back: %s is paid against it; reverse the payments first",
     "{1} ne peut pas être repris : {2} ont été payés dessus ; annulez d'abord les paiements",
     "لا يمكن استرداد {1}: دُفع منه {2}؛ ألغِ المدفوعات أولًا"},
    {"%s is not an ISO 4217 currency code: write the three capital letters, such as USD",
     "{1} n'est pas un code de devise ISO 4217 : écrivez les trois lettres majuscules, par exemple USD",
     "{1} ليس رمز عملة وفق ISO 4217: اكتب الأحرف الكبيرة الثلاثة، مثل USD"},
    {"%s is not the currency of budget line %s (%s): record the rate it was converted at",
     "{1} n'est pas la devise de la ligne budgétaire {2} ({3}) : indiquez le taux de conversion appliqué",
     "{1} ليست عملة البند {2} من الميزانية ({3}): سجّل سعر التحويل المستخدم"},
    {"%s to commit again, %s left on line %s",
     "{1} à engager de nouveau, il reste {2} sur la ligne {3}",
     "المطلوب إعادة الالتزام بمبلغ {1}، والمتبقي {2} في البند {3}"},
    {"%s to commit, %s left on line %s",
     "{1} à engager, il reste {2} sur la ligne {3}",
     "المطلوب الالتزام بمبلغ {1}، والمتبقي {2} في البند {3}"},
    {"%zu budget lines have totals that differ from the sums of the ledger",
     "{1} lignes budgétaires ont des totaux différents des sommes du grand livre",
     "{1} من بنود الميزانية لها مجاميع تختلف عن مجاميع السجل المالي"},
    {"The budget line is not valid",
     "La ligne budgétaire n'est pas valide",
     "بند الميزانية غير صالح"},
    {"The commitment is not valid",
     "L'engagement n'est pas valide",
     "الالتزام غير صالح"},
    {"The payment is not valid",
     "Le paiement n'est pas valide",
     "الدفعة غير صالحة"},
    {"The programme is not valid",
     "Le programme n'est pas valide",
     "البرنامج غير صالح"},
    {"The project is not valid",
     "Le projet n'est pas valide",
     "المشروع غير صالح"},
    {"The reversal is not valid",
     "L'annulation n'est pas valide",
     "الإلغاء غير صالح"},
    {"a payment is for one plan item, one activity or one travel allowance",
     "un paiement concerne un seul élément du plan, une seule activité ou une seule indemnité de voyage",
     "الدفعة تخص بندًا واحدًا من الخطة أو نشاطًا واحدًا أو بدل سفر واحدًا"},
    {"a programme with the code %s exists already",
     "un programme avec le code {1} existe déjà",
     "يوجد برنامج بالرمز {1} بالفعل"},
    {"a project with this code or name exists already",
     "un projet avec ce code ou ce nom existe déjà",
     "يوجد مشروع بهذا الرمز أو الاسم بالفعل"},
    {"a rate is only recorded for an amount in another currency than the budget line's (%s)",
     "un taux ne s'indique que pour un montant dans une autre devise que celle de la ligne budgétaire ({1})",
     "لا يُسجَّل سعر التحويل إلا لمبلغ بعملة غير عملة بند الميزانية ({1})"},
    {"a reversal is not reversed: record the entry again instead",
     "une annulation ne s'annule pas : enregistrez plutôt l'écriture de nouveau",
     "لا يُلغى الإلغاء: سجّل القيد من جديد بدلًا من ذلك"},
    {"an indicator is named in 1 to %d characters",
     "un indicateur se nomme en 1 à {1} caractères",
     "يُسمّى المؤشر بحرف واحد إلى {1} حرفًا"},
    {"at this rate the amount is not a positive sum of %s within the limits",
     "à ce taux, le montant n'est pas une somme positive de {1} dans les limites",
     "بهذا السعر لا يكون المبلغ مقدارًا موجبًا من {1} ضمن الحدود"},
    {"name the case of the person paid",
     "indiquez le dossier de la personne payée",
     "حدّد ملف الشخص الذي دُفع له"},
    {"no travel allowance is recorded for this passenger of this movement, or it is not yours to see",
     "aucune indemnité de voyage n'est enregistrée pour ce passager de ce mouvement, ou vous ne pouvez pas la voir",
     "لا يوجد بدل سفر مسجل لهذا المسافر في هذه الرحلة، أو لا يحق لك رؤيته"},
    {"say in which currency (ISO 4217, such as USD)",
     "indiquez la devise (ISO 4217, par exemple USD)",
     "حدّد العملة (ISO 4217، مثل USD)"},
    {"say which tranche of the item this pays",
     "indiquez quelle tranche de l'élément ce paiement règle",
     "حدّد أي دفعة من البند يسددها هذا الدفع"},
    {"the amount must be a positive sum",
     "le montant doit être une somme positive",
     "يجب أن يكون المبلغ مقدارًا موجبًا"},
    {"the budget could not be read",
     "le budget n'a pas pu être lu",
     "تعذّرت قراءة الميزانية"},
    {"the budget line could not be read",
     "la ligne budgétaire n'a pas pu être lue",
     "تعذّرت قراءة بند الميزانية"},
    {"the end must not be before the start",
     "la fin ne doit pas précéder le début",
     "يجب ألا تسبق النهاية البداية"},
    {"the ledger could not be read",
     "le grand livre n'a pas pu être lu",
     "تعذّرت قراءة السجل المالي"},
    {"the plan item is %s: only an approved item or one in progress is paid",
     "l'élément du plan est {1} : seul un élément approuvé ou en cours est payé",
     "بند الخطة في الحالة {1}: لا يُدفع إلا لبند معتمد أو قيد التنفيذ"},
    {"the programmes could not be read",
     "les programmes n'ont pas pu être lus",
     "تعذّرت قراءة البرامج"},
    {"the project could not be read",
     "le projet n'a pas pu être lu",
     "تعذّرت قراءة المشروع"},
    {"the project has a budget line %s already",
     "le projet a déjà une ligne budgétaire {1}",
     "للمشروع بند ميزانية {1} بالفعل"},
    {"the projects could not be read",
     "les projets n'ont pas pu être lus",
     "تعذّرت قراءة المشاريع"},
    {"the target of %s must be a whole number from 0",
     "la cible de {1} doit être un nombre entier à partir de 0",
     "يجب أن يكون هدف {1} عددًا صحيحًا من 0 فأكثر"},
    {"the targets have too many entries (at most %d)",
     "les cibles ont trop d'entrées (au plus {1})",
     "الأهداف تحتوي على عناصر كثيرة جدًا (بحد أقصى {1})"},
    {"the targets must be an object: {indicator: number}",
     "les cibles doivent être un objet : {indicateur: nombre}",
     "يجب أن تكون الأهداف كائنًا: {مؤشر: عدد}"},
    {"the travel allowance is charged to budget line %s, not %s",
     "l'indemnité de voyage est imputée à la ligne budgétaire {1}, pas à {2}",
     "بدل السفر مُحمَّل على بند الميزانية {1} وليس على {2}"},
    {"the travel allowance was recorded in %s: pay it in %s",
     "l'indemnité de voyage a été enregistrée en {1} : payez-la en {2}",
     "سُجّل بدل السفر بعملة {1}: ادفعه بعملة {2}"},
    {"there is no programme %s",
     "il n'y a pas de programme {1}",
     "لا يوجد برنامج {1}"},
    {"there is no such activity, or it is not yours to see",
     "cette activité n'existe pas, ou vous ne pouvez pas la voir",
     "هذا النشاط غير موجود، أو لا يحق لك رؤيته"},
    {"there is no such budget line",
     "cette ligne budgétaire n'existe pas",
     "بند الميزانية هذا غير موجود"},
    {"there is no such case, or it is not yours to see",
     "ce dossier n'existe pas, ou vous ne pouvez pas le voir",
     "هذا الملف غير موجود، أو لا يحق لك رؤيته"},
    {"there is no such ledger entry",
     "cette écriture du grand livre n'existe pas",
     "هذا القيد في السجل المالي غير موجود"},
    {"there is no such plan item, or it is not yours to see",
     "cet élément du plan n'existe pas, ou vous ne pouvez pas le voir",
     "بند الخطة هذا غير موجود، أو لا يحق لك رؤيته"},
    {"there is no such project",
     "ce projet n'existe pas",
     "هذا المشروع غير موجود"},
    {"this entry is reversed already",
     "cette écriture est déjà annulée",
     "هذا القيد أُلغي بالفعل"},
    {"this person is not a member of this case",
     "cette personne n'est pas membre de ce dossier",
     "هذا الشخص ليس فردًا في هذا الملف"},
    {"this plan item is not charged to budget line %s",
     "cet élément du plan n'est pas imputé à la ligne budgétaire {1}",
     "بند الخطة هذا غير مُحمَّل على بند الميزانية {1}"},
    {"this tranche is paid already",
     "cette tranche est déjà payée",
     "هذه الدفعة مدفوعة بالفعل"},
    {"this travel allowance is paid already; reverse that payment first if it was wrong",
     "cette indemnité de voyage est déjà payée ; annulez d'abord ce paiement s'il était erroné",
     "بدل السفر هذا مدفوع بالفعل؛ ألغِ تلك الدفعة أولًا إن كانت خاطئة"},
    {"tranche %lld of this plan item is paid already; reverse that payment first if it was wrong",
     "la tranche {1} de cet élément du plan est déjà payée ; annulez d'abord ce paiement s'il était erroné",
     "الدفعة {1} من بند الخطة هذا مدفوعة بالفعل؛ ألغِ تلك الدفعة أولًا إن كانت خاطئة"},
    /* ---- end of money ---- */
};
/* clang-format on */

#define NROWS (sizeof MESSAGES / sizeof MESSAGES[0])

/* One piece of a parsed English template: literal text or a parameter. */
typedef struct {
    const char *lit; /* into the row's English (a literal piece), or NULL */
    size_t len;      /* its length (a "%%" piece is one '%') */
    char conv;       /* 's' any text, 'd' an integer; 0 for a literal */
} piece_t;

typedef struct {
    piece_t *pieces;
    int npieces;
    const char *prefix; /* the literal before the first parameter */
    size_t prefix_len;
    size_t lit_total; /* literal characters in all: more is a closer match */
} parsed_t;

static parsed_t PARSED[NROWS ? NROWS : 1];
static size_t ORDER[NROWS ? NROWS : 1]; /* rows by prefix, then lit_total descending */
static pthread_once_t ONCE = PTHREAD_ONCE_INIT;
static atomic_ullong UNKNOWN;

#define SEEN_SLOTS 1024
static _Atomic uint64_t SEEN[SEEN_SLOTS]; /* hashes of unknown sentences logged */

/* Reads one conversion at t[0] == '%'; returns its length and kind. */
static size_t conversion(const char *t, char *kind)
{
    size_t i = 1;
    while (t[i] && strchr("-+ #0", t[i]))
        i++;
    while (t[i] >= '0' && t[i] <= '9')
        i++;
    if (t[i] == '.') {
        i++;
        while (t[i] >= '0' && t[i] <= '9')
            i++;
    }
    while (t[i] && strchr("hlzjt", t[i]))
        i++;
    *kind = strchr("diu", t[i]) && t[i] ? 'd' : 's';
    return t[i] ? i + 1 : i;
}

static void parse(const char *en, parsed_t *p)
{
    int n = 1;
    for (const char *t = en; *t; t++)
        if (*t == '%')
            n += 2;
    p->pieces = calloc((size_t)n, sizeof *p->pieces);
    p->npieces = 0;
    p->lit_total = 0;
    p->prefix = en;
    p->prefix_len = (size_t)-1;
    if (!p->pieces)
        return;
    const char *t = en;
    while (*t) {
        if (t[0] == '%' && t[1] == '%') {
            p->pieces[p->npieces++] = (piece_t){t, 1, 0};
            p->lit_total++;
            t += 2;
        } else if (t[0] == '%') {
            if (p->prefix_len == (size_t)-1)
                p->prefix_len = (size_t)(t - en);
            char kind;
            size_t k = conversion(t, &kind);
            p->pieces[p->npieces++] = (piece_t){NULL, 0, kind};
            t += k;
        } else {
            size_t k = strcspn(t, "%");
            p->pieces[p->npieces++] = (piece_t){t, k, 0};
            p->lit_total += k;
            t += k;
        }
    }
    if (p->prefix_len == (size_t)-1)
        p->prefix_len = strlen(en);
    /* A "%%" before the first parameter ends the usable prefix there. */
    const char *pc = memchr(en, '%', p->prefix_len);
    if (pc)
        p->prefix_len = (size_t)(pc - en);
}

static int cmp_prefix(const char *a, size_t an, const char *b, size_t bn)
{
    int c = memcmp(a, b, an < bn ? an : bn);
    return c ? c : an < bn ? -1 : an > bn;
}

static int order_cmp(const void *x, const void *y)
{
    const parsed_t *a = &PARSED[*(const size_t *)x], *b = &PARSED[*(const size_t *)y];
    int c = cmp_prefix(a->prefix, a->prefix_len, b->prefix, b->prefix_len);
    if (c)
        return c;
    return a->lit_total > b->lit_total ? -1 : a->lit_total < b->lit_total;
}

static void build(void)
{
    for (size_t i = 0; i < NROWS; i++) {
        parse(MESSAGES[i].en, &PARSED[i]);
        ORDER[i] = i;
    }
    qsort(ORDER, NROWS, sizeof ORDER[0], order_cmp);
}

void awda_messages_init(void)
{
    pthread_once(&ONCE, build);
}

size_t awda_messages_rows(void)
{
    return NROWS;
}

unsigned long long awda_messages_unknown(void)
{
    return atomic_load(&UNKNOWN);
}

const char *awda_lang_code(awda_lang_t lang)
{
    return lang == AWDA_LANG_FR ? "fr" : lang == AWDA_LANG_AR ? "ar" : "en";
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

int awda_lang_parse(const char *code, size_t len)
{
    static const char *const CODES[] = {"en", "fr", "ar"};
    if (!code || len < 2 || (len > 2 && code[2] != '-'))
        return -1;
    for (int i = 0; i < 3; i++)
        if (lower(code[0]) == CODES[i][0] && lower(code[1]) == CODES[i][1])
            return i;
    return -1;
}

/* Reads a q-value ("1", "0.5", "0.125"); -1 when malformed. In
 * thousandths. */
static int qvalue(const char *s, size_t n)
{
    if (n == 0 || (s[0] != '0' && s[0] != '1'))
        return -1;
    int q = (s[0] - '0') * 1000;
    if (n == 1)
        return q;
    if (s[1] != '.' || n > 5)
        return -1;
    int scale = 100;
    for (size_t i = 2; i < n; i++, scale /= 10) {
        if (s[i] < '0' || s[i] > '9' || (q == 1000 && s[i] != '0'))
            return -1;
        q += (s[i] - '0') * scale;
    }
    return q;
}

int awda_lang_accept(const char *h)
{
    if (!h || strlen(h) > AWDA_MAX_ACCEPT_LANGUAGE)
        return -1;
    int best = -1, best_q = 0, star_q = -1, ranges = 0;
    int seen[3] = {0, 0, 0}; /* a language named explicitly is not the "*" */
    const char *p = h;
    while (*p && ranges < AWDA_MAX_ACCEPT_RANGES) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (!*p)
            break;
        size_t n = strcspn(p, ",");
        const char *end = p + n;
        size_t tn = strcspn(p, ";, \t");
        int q = 1000;
        const char *semi = memchr(p, ';', n);
        if (semi) {
            const char *v = semi + 1;
            while (v < end && (*v == ' ' || *v == '\t'))
                v++;
            if (end - v >= 2 && lower(v[0]) == 'q' && v[1] == '=') {
                size_t vn = (size_t)(end - v - 2);
                while (vn && (v[2 + vn - 1] == ' ' || v[2 + vn - 1] == '\t'))
                    vn--;
                q = qvalue(v + 2, vn);
            } else {
                q = -1;
            }
        }
        ranges++;
        if (q >= 0) {
            if (tn == 1 && p[0] == '*') {
                star_q = q;
            } else {
                int l = awda_lang_parse(p, tn);
                if (l >= 0) {
                    seen[l] = 1;
                    if (q > best_q) { /* ties keep the earlier range */
                        best_q = q;
                        best = l;
                    }
                }
            }
        }
        p = *end ? end + 1 : end;
    }
    /* "*" stands for any language not named: English, when not named. */
    if (star_q > best_q && !seen[AWDA_LANG_EN])
        best = AWDA_LANG_EN;
    return best;
}

/* ---- matching ----------------------------------------------------------- */

typedef struct {
    const char *s;
    size_t n;
    const char *cap[AWDA_MSG_MAX_PARAMS];
    size_t caplen[AWDA_MSG_MAX_PARAMS];
    int steps;
} match_t;

static int match_from(match_t *m, const parsed_t *p, int k, size_t at, int param)
{
    if (++m->steps > AWDA_MSG_MAX_STEPS)
        return 0;
    if (k == p->npieces)
        return at == m->n;
    const piece_t *pc = &p->pieces[k];
    if (!pc->conv)
        return m->n - at >= pc->len && memcmp(m->s + at, pc->lit, pc->len) == 0 &&
               match_from(m, p, k + 1, at + pc->len, param);
    if (param >= AWDA_MSG_MAX_PARAMS)
        return 0;
    size_t max = m->n - at;
    if (pc->conv == 'd') { /* an optional sign and at least one digit */
        size_t i = at < m->n && m->s[at] == '-' ? 1 : 0, d = 0;
        while (at + i + d < m->n && m->s[at + i + d] >= '0' && m->s[at + i + d] <= '9')
            d++;
        if (!d)
            return 0;
        max = i + d;
    }
    const piece_t *next = k + 1 < p->npieces ? &p->pieces[k + 1] : NULL;
    for (size_t len = pc->conv == 'd' ? 1 : 0; len <= max; len++) {
        if (pc->conv == 'd' && m->s[at] == '-' && len < 2)
            continue;
        if (!next && len != max)
            continue; /* the last piece takes the rest */
        if (next && !next->conv &&
            (m->n - at - len < next->len || memcmp(m->s + at + len, next->lit, next->len) != 0))
            continue;
        m->cap[param] = m->s + at;
        m->caplen[param] = len;
        if (match_from(m, p, k + 1, at + len, param + 1))
            return 1;
        if (m->steps > AWDA_MSG_MAX_STEPS)
            return 0;
    }
    return 0;
}

/* Writes template t with the captured parameters; malloc'd. */
static char *fill(const char *t, const match_t *m, int nparams)
{
    size_t cap = strlen(t) + 1;
    for (int i = 0; i < nparams; i++)
        cap += m->caplen[i];
    char *out = malloc(cap);
    if (!out)
        return NULL;
    size_t o = 0;
    for (const char *q = t; *q;) {
        if (q[0] == '{' && q[1] >= '1' && q[1] <= '9' && q[2] == '}' && q[1] - '1' < nparams) {
            int i = q[1] - '1';
            memcpy(out + o, m->cap[i], m->caplen[i]);
            o += m->caplen[i];
            q += 3;
        } else if (q[0] == '{' && q[1] >= '1' && q[1] <= '9' && q[2] == '-' && q[3] == '}') {
            q += 4; /* a parameter left out on purpose */
        } else {
            out[o++] = *q++;
        }
    }
    out[o] = '\0';
    return out;
}

static int params_of(const parsed_t *p)
{
    int n = 0;
    for (int k = 0; k < p->npieces; k++)
        n += p->pieces[k].conv != 0;
    return n;
}

/* The last index in ORDER[0, hi) whose prefix is <= s[0, n), or -1. */
static long last_le(size_t hi, const char *s, size_t n)
{
    size_t lo = 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const parsed_t *p = &PARSED[ORDER[mid]];
        if (cmp_prefix(p->prefix, p->prefix_len, s, n) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (long)lo - 1;
}

static void log_unknown(const char *en, size_t n)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)en[i]) * 1099511628211ULL;
    h |= 1;
    _Atomic uint64_t *slot = &SEEN[h % SEEN_SLOTS];
    if (atomic_exchange(slot, h) == h)
        return;
    awda_log(LOG_WARN, "message_untranslated", "\"hash\":\"%016llx\",\"length\":%zu",
             (unsigned long long)h, n);
}

char *awda_msg_translate(const char *en, awda_lang_t lang)
{
    if (!en || lang == AWDA_LANG_EN)
        return NULL;
    awda_messages_init();
    size_t n = strnlen(en, AWDA_MSG_MAX_LEN + 1);
    if (n == 0 || n > AWDA_MSG_MAX_LEN)
        return NULL;
    /* Candidates: the rows whose prefix the sentence starts with, longest
     * prefix first. last_le gives the greatest prefix <= s[0, m); when it
     * is not a prefix of s, no prefix of s is longer than their common
     * part, so the search goes on over that; when it is, over what is
     * shorter than it. */
    size_t m = n, hi = NROWS;
    for (;;) {
        long i = last_le(hi, en, m);
        if (i < 0)
            break;
        const parsed_t *p = &PARSED[ORDER[i]];
        size_t l = 0;
        while (l < p->prefix_len && l < m && p->prefix[l] == en[l])
            l++;
        long g = i; /* the first row of this prefix */
        while (g > 0 && cmp_prefix(PARSED[ORDER[g - 1]].prefix, PARSED[ORDER[g - 1]].prefix_len,
                                   p->prefix, p->prefix_len) == 0)
            g--;
        if (l == p->prefix_len) {
            for (long k = g; k <= i; k++) {
                const parsed_t *r = &PARSED[ORDER[k]];
                match_t mt = {.s = en, .n = n};
                if (r->pieces && match_from(&mt, r, 0, 0, 0)) {
                    const msg_row_t *row = &MESSAGES[ORDER[k]];
                    const char *t = lang == AWDA_LANG_FR ? row->fr : row->ar;
                    return t && *t ? fill(t, &mt, params_of(r)) : NULL;
                }
            }
            if (l == 0)
                break;
            m = l - 1;
        } else {
            m = l;
        }
        hi = (size_t)g;
    }
    atomic_fetch_add(&UNKNOWN, 1);
    log_unknown(en, n);
    return NULL;
}
