/*
 * dashboard.js — the first screen after sign-in, computed from the API
 * the other screens use (no dashboard endpoint):
 *
 *   - cases by stage: the case list (GET /cases, newest first, 200 a page,
 *     at most DASH_PAGES pages; the counts say "at least" beyond that);
 *   - waiting for me: cases at a stage whose next step one of my roles
 *     takes (STEP_ROLES mirrors TAKERS in src/app/authz.c; the server
 *     still decides), with what is still missing from GET …/readiness;
 *   - restriction reviews overdue: GET /restrictions?review_overdue=true;
 *   - pre-embarkation checks due: cases ready or booked that leave within
 *     PREEMBARK_DAYS days and whose readiness has the requirement
 *     health.pre_embarkation unmet.
 *
 * Readiness is read for at most DASH_DETAIL cases, so the screen stays a
 * handful of requests on a slow connection.
 */
var DASH_PAGES = 5;
var DASH_DETAIL = 8;
var PREEMBARK_DAYS = 7; /* departures this close need their check soon */
var CASE_ROLES = ['registration', 'counsellor', 'medical', 'operations', 'protection',
  'reintegration', 'finance', 'me', 'manager', 'admin'];
var STEP_ROLES = {
  registered: ['counsellor', 'protection', 'manager'],
  counselled: ['counsellor', 'protection', 'manager'],
  consented: ['manager'],
  eligible: ['operations', 'registration', 'manager'],
  pre_departure: ['operations', 'registration', 'manager', 'medical', 'protection'],
  ready: ['operations', 'manager', 'medical', 'counsellor'],
  booked: ['operations', 'manager'],
  departed: ['operations', 'manager'],
  arrived: ['reintegration', 'me', 'manager'],
  reintegrating: ['reintegration', 'me', 'manager'],
};

async function allCases() {
  var items = [], cursor = null, more = false;
  for (var i = 0; i < DASH_PAGES; i++) {
    var r = must(await api('GET', '/cases' + qs({ limit: 200, cursor: cursor })));
    items = items.concat(r.items);
    cursor = r.next_cursor;
    if (!cursor) break;
    more = i === DASH_PAGES - 1;
  }
  return { items: items, more: more };
}

async function loadDashboard() {
  var out = { stages: {}, more: false, mine: [], overdue: [], preembark: [] };
  var res = await Promise.all([
    allCases(),
    api('GET', '/restrictions?review_overdue=true'),
  ]);
  var cases = res[0];
  out.more = cases.more;
  out.total = cases.items.length;
  cases.items.forEach(function (c) { out.stages[c.stage] = (out.stages[c.stage] || 0) + 1; });
  out.overdue = res[1].ok ? res[1].data.items : [];
  var mine = cases.items.filter(function (c) {
    var roles = STEP_ROLES[c.stage];
    return roles && roles.some(function (r) { return S.me.roles.indexOf(r) >= 0; });
  }).slice(0, DASH_DETAIL);
  var boarding = cases.items.filter(function (c) {
    return c.stage === 'ready' || c.stage === 'booked';
  }).slice(0, DASH_DETAIL);
  var ids = {};
  mine.concat(boarding).forEach(function (c) { ids[c.id] = c; });
  var ready = {};
  await Promise.all(Object.keys(ids).map(async function (id) {
    var r = await api('GET', '/cases/' + id + '/readiness');
    if (r.ok) ready[id] = r.data;
  }));
  out.mine = mine.map(function (c) {
    var rd = ready[c.id];
    var step = rd && rd.next.filter(function (n) { return n.allowed && ['withdraw', 'hold', 'close'].indexOf(n.event) < 0; })[0];
    return { c: c, step: step };
  });
  var soon = Date.now() + PREEMBARK_DAYS * 86400000;
  var full = {};
  await Promise.all(boarding.map(async function (c) {
    var r = await api('GET', '/cases/' + c.id);
    if (r.ok) full[c.id] = r.data;
  }));
  boarding.forEach(function (c) {
    var rd = ready[c.id], fc = full[c.id];
    if (!rd || !fc || !fc.planned_departure || new Date(fc.planned_departure).getTime() > soon) return;
    c.planned_departure = fc.planned_departure;
    var due = rd.next.some(function (n) {
      return n.requirements.some(function (q) { return q.code === 'health.pre_embarkation' && !q.met; });
    });
    if (due) out.preembark.push(c);
  });
  return out;
}

function CaseLine(props) {
  var c = props.c;
  return html`<li><${Link} href=${'/cases/' + c.id}><bdi>${c.number}</bdi></${Link}>${' '}<${PersonName}
    person=${c.principal} />${' '}<${StageBadge} stage=${c.stage} />${props.children}</li>`;
}

function DashboardPage() {
  var isStaff = hasRole.apply(null, CASE_ROLES);
  var d = useLoad(function () { return isStaff ? loadDashboard() : Promise.resolve(null); }, []);
  var data = d[0];
  var stages = S.schema ? S.schema.case.filter(function (f) { return f.name === 'stage'; })[0].values : [];
  return html`<main id="main">
    <h1 tabindex="-1">${t('dash.title')}</h1>
    ${!isStaff ? html`<p>${t('dash.no_cases_role')}</p>` : null}
    <${Status} loading=${d[3] && !data} error=${d[1]} />
    ${data ? html`<div class="dash">
      <section class="card" aria-labelledby="dash-stages">
        <h2 id="dash-stages">${t('dash.by_stage')}</h2>
        <p class="muted">${t(data.more ? 'dash.total_more' : 'dash.total', { n: fmtNum(data.total) })}</p>
        <ul class="bars">${stages.filter(function (s) { return data.stages[s]; }).map(function (s) {
          var n = data.stages[s];
          var w = Math.max(4, Math.round(100 * n / Math.max.apply(null, Object.values(data.stages))));
          return html`<li><${Link} href=${'/cases?stage=' + s}><span class="bar-label">${tv(s)}</span>
            <span class="bar"><span class=${'fill w' + Math.round(w / 5) * 5}></span></span>
            <span class="bar-n">${fmtNum(n)}</span></${Link}></li>`;
        })}</ul>
      </section>
      <section class="card" aria-labelledby="dash-mine">
        <h2 id="dash-mine">${t('dash.mine')}</h2>
        <p class="muted">${t('dash.mine_hint')}</p>
        ${data.mine.length ? html`<ul class="lines">${data.mine.map(function (m) {
          return html`<${CaseLine} c=${m.c}>${m.step ? html` <span class="muted">${t('step.' + m.step.event)}: ${
            m.step.missing ? t('ready.missing', { n: fmtNum(m.step.missing) }) : t('ready.all_met')}</span>` : null}</${CaseLine}>`;
        })}</ul>` : html`<p>${t('dash.none')}</p>`}
      </section>
      <section class="card" aria-labelledby="dash-overdue">
        <h2 id="dash-overdue">${t('dash.overdue')}</h2>
        ${data.overdue.length ? html`<ul class="lines">${data.overdue.map(function (r) {
          return html`<li><strong>${countryName(r.country)}${r.admin_area ? ' — ' + r.admin_area : ''}</strong>
            <span class="tag">${tv(r.kind)}</span> <span class="muted">${t('restriction.next_review')}: ${fmtDate(r.next_review)}</span></li>`;
        })}</ul>` : html`<p>${t('dash.none')}</p>`}
        ${canAdmin() ? html`<p><${Link} href="/admin/restrictions">${t('admin.restrictions')}</${Link}></p>` : null}
      </section>
      <section class="card" aria-labelledby="dash-preembark">
        <h2 id="dash-preembark">${t('dash.preembark')}</h2>
        ${data.preembark.length ? html`<ul class="lines">${data.preembark.map(function (c) {
          return html`<${CaseLine} c=${c}> <span class="muted">${t('case.planned_departure')}: ${fmtDateTime(c.planned_departure)}</span></${CaseLine}>`;
        })}</ul>` : html`<p>${t('dash.none')}</p>`}
      </section>
    </div>` : null}
  </main>`;
}
