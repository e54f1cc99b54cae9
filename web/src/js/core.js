/*
 * core.js — what every screen shares: the Preact/htm bindings, the
 * application state S, translations, the API client, the router and the
 * formatters for dates, numbers, countries, languages and names.
 *
 * State is one plain object S (the signed-in user, the field tables and
 * the stages' properties from GET /api/v1/schema, the offices, the
 * partner organisations for case staff, the language and its
 * dictionary); a change is followed by rerender(), which bumps a counter the App
 * component (main.js) listens to. Screens keep their own data in hooks.
 *
 * Translations: t("key", {name: value}) looks the key up in the language's
 * dictionary (web/i18n/<lang>.json, loaded by its hashed name from ASSETS)
 * and fills {name} placeholders. Value lists (stages, sexes, document
 * types…) are translated with tv(value), under the keys "val.<value>".
 * A count is said with tn("key", n): the key's value is then an object of
 * plural forms by Intl.PluralRules category ({"one": "{n} case", "other":
 * "{n} cases"}; Arabic also has zero, two, few and many), "other" when the
 * language's category is missing. Punctuation that differs by language
 * (French puts a non-breaking space before a colon) comes from the
 * dictionary too: colon(label) is "Label: " in English, "Libellé : " in
 * French.
 *
 * The API client sends JSON with the session cookie (HttpOnly, set by the
 * server at sign-in); the browser adds Origin to changes, which the server
 * checks. A 401 outside the sign-in sends the user back to the sign-in.
 * Start-up asks GET /session (200 signed in or not) rather than GET /me,
 * so a cold load logs no 401 in the browser's console.
 */
var h = preact.h;
var Fragment = preact.Fragment;
var useState = preactHooks.useState;
var useEffect = preactHooks.useEffect;
var useRef = preactHooks.useRef;
var html = htm.bind(h);

var LANGS = ['ar', 'fr', 'en'];
var S = { me: null, schema: null, offices: [], partners: [], lang: 'en', dict: {}, tick: 0 };
var rerenderHook = null;

function rerender() {
  S.tick++;
  if (rerenderHook) rerenderHook(S.tick);
}

/* ---- translations ------------------------------------------------------ */

function fill(s, params) {
  if (!params) return s;
  return s.replace(/\{(\w+)\}/g, function (m, k) {
    return params[k] != null ? String(params[k]) : m;
  });
}

function t(key, params) {
  var s = S.dict[key];
  if (s != null && typeof s === 'object') s = s.other;
  return fill(s == null ? key : s, params);
}

/* A count: the key's plural form for n, with {n} as the formatted number. */
function tn(key, n, params) {
  var s = S.dict[key];
  if (s != null && typeof s === 'object') {
    var cat = cached('plural', function () { return new Intl.PluralRules(S.lang); }).select(n);
    s = s[cat] != null ? s[cat] : s.other;
  }
  return fill(s == null ? key : s, Object.assign({ n: fmtNum(n) }, params || {}));
}

/* "Label: " with the language's spacing around the colon. */
function colon(label) {
  return label + t('punct.colon');
}

function tv(value) {
  if (value == null || value === '') return '';
  var k = 'val.' + value;
  return S.dict[k] != null ? S.dict[k] : String(value).replace(/_/g, ' ');
}

async function loadLang(lang) {
  if (LANGS.indexOf(lang) < 0) lang = 'en';
  var res = await fetch(ASSETS[lang], { credentials: 'same-origin' });
  S.dict = await res.json();
  S.lang = lang;
  document.documentElement.lang = lang;
  document.documentElement.dir = lang === 'ar' ? 'rtl' : 'ltr';
  document.title = t('app.title');
  try { localStorage.setItem('awda.lang', lang); } catch (e) { /* private mode */ }
  fmtCache = {};
}

/* Switches the language and remembers it for the user: on the server
 * (PATCH /api/v1/me) when it knows the setting, else in this browser. */
/* The saves go one after the other, and a save whose language a later
 * choice has replaced is not sent: two quick changes never leave the
 * earlier language saved (the server answers in the saved one). */
var langSaves = Promise.resolve();
async function setLang(lang) {
  await loadLang(lang);
  rerender();
  if (S.me) {
    langSaves = langSaves.catch(function () { /* an earlier save failed: this one still goes */ }).then(async function () {
      if (S.lang !== lang) return;
      var r = await api('PATCH', '/me', { language: lang });
      if (r.ok && r.data) S.me = Object.assign({}, S.me, r.data);
    });
    await langSaves;
  }
  rerender();
}

function initialLang() {
  var stored = null;
  try { stored = localStorage.getItem('awda.lang'); } catch (e) { /* private mode */ }
  if (stored && LANGS.indexOf(stored) >= 0) return stored;
  var nav = (navigator.language || 'en').slice(0, 2);
  return LANGS.indexOf(nav) >= 0 ? nav : 'en';
}

/* ---- API ----------------------------------------------------------------- */

function randomKey() {
  var a = new Uint8Array(16);
  crypto.getRandomValues(a);
  return Array.prototype.map.call(a, function (b) { return (b + 256).toString(16).slice(1); }).join('');
}

/* One request to /api/v1; never throws: a network failure is status 0. */
async function api(method, path, body, opts) {
  opts = opts || {};
  var headers = { Accept: 'application/json' };
  /* The server answers its problems in this language (src/text/messages.c). */
  if (S.lang) headers['Accept-Language'] = S.lang;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (opts.ifMatch != null) headers['If-Match'] = '"' + opts.ifMatch + '"';
  if (opts.idem) headers['Idempotency-Key'] = opts.idem;
  var res;
  try {
    res = await fetch('/api/v1' + path, {
      method: method, headers: headers, credentials: 'same-origin', cache: 'no-store',
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  } catch (e) {
    return { status: 0, ok: false, data: { title: t('error.network') } };
  }
  var data = null;
  var text = await res.text();
  if (text) { try { data = JSON.parse(text); } catch (e) { data = null; } }
  if (res.status === 401 && path !== '/session' && S.me) {
    S.me = null;
    navigate('/login', true);
  }
  /* The user's role needs a second factor that is not set up yet: the
   * server refuses everything but the user's own profile until it is. */
  if (res.status === 403 && S.me && data && /second-factor-required$/.test(String(data.type || ''))) {
    S.me = Object.assign({}, S.me, { must_set_up_second_factor: true });
    if (location.pathname !== '/account') navigate('/account', true);
  }
  return { status: res.status, ok: res.ok, data: data, etag: res.headers.get('ETag') };
}

/* The problem type's last segment ("otp-required", "validation"…). */
function problemType(r) {
  var type = r && r.data && r.data.type;
  return type ? String(type).replace(/^.*\//, '') : '';
}

/* Loads what every screen needs after sign-in. A user who must set up a
 * second factor first gets only the profile (the server answers 403
 * second-factor-required to the rest until then). */
async function loadSession() {
  var me = await api('GET', '/session');
  if (!me.ok || !me.data || !me.data.signed_in) return false;
  S.me = me.data.user;
  fmtCache = {}; /* the digits may have changed */
  var lang = S.me.language;
  if (lang && LANGS.indexOf(lang) >= 0 && lang !== S.lang) await loadLang(lang);
  S.partners = [];
  partnersLoad = null;
  if (S.me.must_set_up_second_factor) {
    S.schema = null;
    S.offices = [];
    return true;
  }
  var r = await Promise.all([api('GET', '/schema'), api('GET', '/offices')]);
  S.schema = r[0].ok ? r[0].data : null;
  S.offices = r[1].ok ? r[1].data.items : [];
  return true;
}

/* A list GET /schema gives (schemaList('movement_types')), or one list of
 * an object of lists (schemaList('movement_care', 'onward_modes')): the
 * values the server checks, loaded once at sign-in; [] before. */
function schemaList(name, sub) {
  var v = S.schema ? S.schema[name] : null;
  if (v && sub) v = v[sub];
  return Array.isArray(v) ? v : [];
}

/* What the server says of a stage, from the schema loaded at sign-in
 * (GET /schema's "stages", in the journey's order, each with its
 * properties: before_departure, paused, stopped, ended, after_arrival,
 * awaiting_movement), rather than lists of stages in the screens.
 * stageIs('closed', 'ended') is true; stagesWith('after_arrival') is
 * ['arrived', 'reintegrating', 'monitoring']. */
function stageIs(stage, prop) {
  var all = schemaList('stages');
  for (var i = 0; i < all.length; i++) if (all[i].name === stage) return all[i][prop] === true;
  return false;
}

function stagesWith(prop) {
  return schemaList('stages').filter(function (x) { return x[prop] === true; })
    .map(function (x) { return x.name; });
}

/* The partner organisations (GET /partners, case staff only) into
 * S.partners, asked once per session by the screens that name or offer
 * them (the case page, administration) together with their own data; the
 * first screen does not wait for them. A failed load is asked again next
 * time. */
var partnersLoad = null;
function loadPartners() {
  if (!may('partner.read')) return Promise.resolve(S.partners);
  if (!partnersLoad) {
    partnersLoad = api('GET', '/partners').then(function (r) {
      if (r.ok) S.partners = r.data.items;
      else partnersLoad = null;
      return S.partners;
    });
  }
  return partnersLoad;
}

/* Consent to share, its withdrawal, referrals and partner users name a
 * partner organisation by its id: its name, or null for another value
 * (S.partners as loadPartners() left it). */
function partnerName(id) {
  var p = S.partners.filter(function (x) { return x.id === id; })[0];
  return p ? p.name : null;
}

function partnerChoices() {
  return S.partners.map(function (p) { return { value: p.id, label: p.name }; });
}

/* What the user may do is the server's to say: S.me.permissions (GET
 * /session's user, as GET /me gives it: the names of the permission
 * table, src/app/permissions.def), never a list of roles here. The server
 * checks every request again; this only decides what is offered. */
function may(permission) {
  return !!(S.me && S.me.permissions && S.me.permissions.indexOf(permission) >= 0);
}

/* Case staff work on cases; partners and donors see no case. */
function isStaff() { return may('case.read'); }
function canSeeFigures() { return may('statistics.read'); }

/* Where "/" leads a user: the dashboard for case staff, the referrals for
 * a partner, the figures for a donor. */
function homePath() {
  if (isStaff()) return '/';
  if (may('referral.read')) return '/referrals';
  if (canSeeFigures()) return '/figures';
  return '/account';
}

/* An office's name in the interface's language (name_ar, name_fr), else
 * its name; officeName(code) is "EG-CAI — Cairo" for lists and choices. */
function officeLabel(o) {
  return (S.lang !== 'en' && o['name_' + S.lang]) || o.name;
}

function officeName(code) {
  var o = S.offices.filter(function (x) { return x.code === code; })[0];
  return o ? code + ' — ' + officeLabel(o) : code;
}

/* ---- router -------------------------------------------------------------- */

function navigate(href, replace) {
  if (replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  rerender();
}

function Link(props) {
  function click(e) {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(props.href);
  }
  return html`<a href=${props.href} class=${props.class} aria-current=${props.current ? 'page' : undefined}
    onClick=${click}>${props.children}</a>`;
}

function query() {
  var q = {};
  new URLSearchParams(location.search).forEach(function (v, k) { q[k] = v; });
  return q;
}

function qs(obj) {
  var p = new URLSearchParams();
  Object.keys(obj).forEach(function (k) {
    if (obj[k] != null && obj[k] !== '') p.set(k, obj[k]);
  });
  var s = p.toString();
  return s ? '?' + s : '';
}

/* ---- formatting ---------------------------------------------------------- */

/* The locale numbers and dates are written in: in Arabic, with the
 * office's digits (setting arabic_digits, in GET /me): Western (0123) as
 * in the Maghreb, Arabic-Indic (٠١٢٣) as in Egypt. */
function numLocale() {
  if (S.lang !== 'ar') return S.lang;
  return 'ar-u-nu-' + (S.me && S.me.arabic_digits === 'arabic-indic' ? 'arab' : 'latn');
}

var fmtCache = {};
function cached(key, make) {
  if (!fmtCache[key]) fmtCache[key] = make();
  return fmtCache[key];
}

function fmtNum(n) {
  return cached('num', function () { return new Intl.NumberFormat(numLocale()); }).format(n);
}

/* "2026-11-30", "2026-11" or "2026" (partial dates as the API stores them). */
function fmtDate(s) {
  if (!s) return '';
  var m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(s);
  if (!m) return s;
  var d = new Date(Date.UTC(+m[1], m[2] ? +m[2] - 1 : 0, m[3] ? +m[3] : 1));
  var kind = m[3] ? 'd' : m[2] ? 'm' : 'y';
  var f = cached('date' + kind, function () {
    var o = { timeZone: 'UTC', year: 'numeric' };
    if (kind !== 'y') o.month = kind === 'd' ? 'short' : 'long';
    if (kind === 'd') o.day = 'numeric';
    return new Intl.DateTimeFormat(numLocale(), o);
  });
  return f.format(d);
}

function fmtDateTime(s) {
  if (!s) return '';
  var d = new Date(s);
  if (isNaN(d)) return s;
  return cached('dt', function () {
    return new Intl.DateTimeFormat(numLocale(), { dateStyle: 'medium', timeStyle: 'short' });
  }).format(d);
}

function countryName(code) {
  if (!code) return '';
  if (code === 'XXA' || code === 'XXX') return t('country.' + code);
  var a2 = COUNTRY2[code];
  if (!a2) return code;
  try {
    return cached('region', function () {
      return new Intl.DisplayNames([S.lang], { type: 'region' });
    }).of(a2) || code;
  } catch (e) {
    return code;
  }
}

function languageName(code) {
  try {
    return cached('lang', function () {
      return new Intl.DisplayNames([S.lang], { type: 'language' });
    }).of(code) || code;
  } catch (e) {
    return code;
  }
}

/* "a, b and c" in the user's language. */
function listOf(items) {
  try {
    return cached('list', function () { return new Intl.ListFormat(S.lang, { type: 'conjunction' }); }).format(items);
  } catch (e) {
    return items.join(', ');
  }
}

/* Age in whole years today from a partial date of birth (youngest reading). */
function ageOf(dob) {
  if (!dob) return null;
  var m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(dob);
  if (!m) return null;
  var now = new Date();
  var age = now.getUTCFullYear() - +m[1];
  var month = m[2] ? +m[2] : 12, day = m[3] ? +m[3] : 31;
  if (now.getUTCMonth() + 1 < month || (now.getUTCMonth() + 1 === month && now.getUTCDate() < day)) age--;
  return age < 0 ? 0 : age; /* born this month or year: not yet one */
}

/* A person's date of birth as a case worker reads it: "12 Apr 1985 (41
 * years)", or for a date estimated from an age "about 8 years (estimated)"
 * (plural forms of person.age and person.about_age). */
function fmtBirth(p) {
  if (!p || !p.date_of_birth) return '';
  var m = /^(\d{4})/.exec(p.date_of_birth);
  if (p.dob_precision === 'estimated' && m) {
    var n = new Date().getFullYear() - Number(m[1]);
    return tn('person.about_age', n < 0 ? 0 : n);
  }
  var age = ageOf(p.date_of_birth);
  return fmtDate(p.date_of_birth) + (age != null ? ' (' + tn('person.age', age) + ')' : '');
}

/* A person's name in both scripts: the name as written, and the Latin form
 * beside it when it differs. */
function PersonName(props) {
  var p = props.person || {};
  var latin = p.name_latin && p.name_latin !== p.name ? p.name_latin : null;
  return html`<span class="pname"><bdi lang=${/[\u0600-\u06ff]/.test(p.name || '') ? 'ar' : undefined}>${p.name}</bdi>${latin
    ? html` <span class="latin"><bdi>${latin}</bdi></span>` : null}</span>`;
}

function StageBadge(props) {
  return html`<span class=${'stage stage-' + props.stage}>${tv(props.stage)}</span>`;
}

/* A status line for loading and errors, announced to screen readers. */
function Status(props) {
  if (props.error) return html`<p class="alert" role="alert">${props.error}</p>`;
  if (props.loading) return html`<p class="muted" role="status">${t('common.loading')}</p>`;
  return null;
}

/* Someone else changed the case since this page read it (412): say so in
 * words and offer to reload, instead of the server's version numbers. */
function Conflict(props) {
  return html`<div class="alert conflict" role="alert" tabindex="-1" ref=${props.focusRef}>
    <p>${t('conflict.text')}</p>
    <button type="button" class="secondary small" onClick=${props.reload || function () { location.reload(); }}>
      ${t('conflict.reload')}</button>
  </div>`;
}

function problemText(r) {
  if (!r) return t('error.generic');
  if (r.status === 0) return t('error.network');
  var d = r.data || {};
  var s = d.title || t('error.generic');
  if (d.detail) s = colon(s) + d.detail;
  return s;
}

/* Loads data with fn(), returning [data, error, reload]. */
function useLoad(fn, deps) {
  var st = useState({ data: null, error: null, loading: true });
  var state = st[0], set = st[1];
  var gen = useRef(0);
  function load() {
    var g = ++gen.current;
    set(function (s) { return { data: s.data, error: null, loading: true }; });
    fn().then(function (data) {
      if (g === gen.current) set({ data: data, error: null, loading: false });
    }, function (e) {
      if (g === gen.current) set({ data: null, error: e && e.message ? e.message : String(e), loading: false });
    });
  }
  useEffect(load, deps);
  return [state.data, state.error, load, state.loading];
}

/* Throws the problem's text unless the answer is 2xx; returns the data. */
function must(r) {
  if (!r.ok) throw new Error(problemText(r));
  return r.data;
}
