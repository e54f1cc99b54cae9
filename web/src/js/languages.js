/*
 * languages.js — the languages a person can be said to speak, for the
 * language picker of the forms (form.js). The API takes ISO 639 codes:
 * every two-letter ISO 639-1 code the server knows (src/core/country.c,
 * same list) and any three-letter ISO 639-3 code. The picker offers the
 * two-letter codes and the three-letter codes of languages the offices
 * meet (North, West and East Africa and the Horn) that have no two-letter
 * code, each named in the interface language by Intl.DisplayNames; a code
 * the list lacks can still be typed.
 */
var LANG2 = ('aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu ' +
  'cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ' +
  'ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky ' +
  'la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc ' +
  'oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su ' +
  'sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu').split(' ');
/* Arabic varieties, Amazigh, Nubian and Sudanese, Sahel, West African and
 * Horn languages without a two-letter code. */
var LANG3 = ('apd arq ary arz ayl shu kab shi tzm rif taq ttq thv fvr mls zag din nus bej tig byn ' +
  'ssy kun fuv fuc fub dyu snk mnk ses dje kri men tem sus mos pcm ibb efi tiv bin gaa').split(' ');
var LANGS_ALL = LANG2.concat(LANG3);
