/*
 * dashboard.js — the first screen after sign-in for case staff, in a
 * handful of requests (slow connections):
 *
 *   - cases by stage: GET /case-counts, counted by the server over every
 *     case the user may see (one small answer, however many cases);
 *   - waiting for me: GET /cases?waiting=me (the cases assigned to me
 *     that wait for a step I take — the server knows which stages my
 *     roles move and which office acts after a hand-over; newest first),
 *     and for the first DASH_DETAIL of them GET …/readiness: the next
 *     step and how many of its requirements are unmet;
 *   - restriction reviews overdue: GET /restrictions?review_overdue=true
 *     (for the roles that may read restrictions);
 *   - pre-embarkation checks due: cases booked or ready (a page of each,
 *     asked only when the counts say there are some) that leave within
 *     PREEMBARK_DAYS days (GET /cases/{id} for the planned departure) and
 *     whose readiness has the requirement health.pre_embarkation unmet.
 *
 * The first five requests go out together; the details follow in one
 * more round (two for the departures), each capped at DASH_DETAIL.
 */
var DASH_DETAIL = 8;
var PREEMBARK_DAYS = 7; /* departures this close need their check soon */
var SIDE_EVENTS = ['withdraw', 'hold', 'close', 'resume', 'reopen'];

async function loadDashboard() {
  var out = { stages: {}, total: 0, mine: [], mineMore: false, overdue: [], preembark: [] };
  var res = await Promise.all([
    api('GET', '/case-counts'),
    api('GET', '/cases' + qs({ waiting: 'me', limit: DASH_DETAIL })),
    api('GET', '/restrictions?review_overdue=true'),
    api('GET', '/cases' + qs({ stage: 'booked', limit: DASH_DETAIL })),
    api('GET', '/cases' + qs({ stage: 'ready', limit: DASH_DETAIL })),
  ]);
  var counts = must(res[0]);
  out.stages = counts.by_stage || {};
  out.total = counts.total;
  var mine = res[1].ok ? res[1].data.items : [];
  out.mineMore = !!(res[1].ok && res[1].data.next_cursor);
  out.overdue = res[2].ok ? res[2].data.items : null; /* null: not for this role */
  var boarding = (res[3].ok ? res[3].data.items : []).concat(res[4].ok ? res[4].data.items : []).slice(0, DASH_DETAIL);

  var ready = {}, full = {};
  await Promise.all(mine.map(async function (c) {
    var r = await api('GET', '/cases/' + c.id + '/readiness');
    if (r.ok) ready[c.id] = r.data;
  }).concat(boarding.map(async function (c) {
    var r = await api('GET', '/cases/' + c.id);
    if (r.ok) full[c.id] = r.data;
  })));
  out.mine = mine.map(function (c) {
    var rd = ready[c.id];
    var steps = rd ? rd.next.filter(function (n) {
      return !(n.side != null ? n.side : SIDE_EVENTS.indexOf(n.event) >= 0);
    }) : [];
    /* the step this user may take, else the first one forward */
    var step = steps.filter(function (n) { return n.allowed; })[0] || steps[0] || null;
    return { c: c, step: step, stopped: rd && !steps.length };
  });

  var soon = Date.now() + PREEMBARK_DAYS * 86400000;
  var leaving = boarding.filter(function (c) {
    var fc = full[c.id];
    if (!fc || !fc.planned_departure || new Date(fc.planned_departure).getTime() > soon) return false;
    c.planned_departure = fc.planned_departure;
    return true;
  });
  await Promise.all(leaving.filter(function (c) { return !ready[c.id]; }).map(async function (c) {
    var r = await api('GET', '/cases/' + c.id + '/readiness');
    if (r.ok) ready[c.id] = r.data;
  }));
  out.preembark = leaving.filter(function (c) {
    var rd = ready[c.id];
    return rd && rd.next.some(function (n) {
      return n.requirements.some(function (q) { return q.code === 'health.pre_embarkation' && !q.met; });
    });
  });
  return out;
}

function CaseLine(props) {
  var c = props.c;
  return html`<li><${Link} href=${'/cases/' + c.id}><bdi>${c.number}</bdi></${Link}>${' '}<${PersonName}
    person=${c.principal} />${' '}<${StageBadge} stage=${c.stage} />${props.children}</li>`;
}

/* "Counselling done · 2 missing" / "… · all met" for a case waiting for me. */
function NextStep(props) {
  var m = props.m;
  if (m.stopped) return html`<span class="muted">${t('dash.no_step')}</span>`;
  if (!m.step) return null;
  var n = m.step.missing != null ? m.step.missing
    : m.step.requirements.filter(function (q) { return !q.met; }).length;
  return html`<span class="next-step">${t('dash.next')}: <strong>${t('step.' + m.step.event)}</strong>${' '}
    <span class=${'count ' + (n ? 'bad' : 'good')}>${n ? t('ready.missing', { n: fmtNum(n) }) : t('ready.all_met')}</span>${
    !m.step.allowed ? html` <span class="muted">(${t('ready.not_allowed')})</span>` : null}</span>`;
}

function DashboardPage() {
  var staff = isStaff();
  var d = useLoad(function () { return staff ? loadDashboard() : Promise.resolve(null); }, []);
  var data = d[0];
  var stages = S.schema ? S.schema.case.filter(function (f) { return f.name === 'stage'; })[0].values : [];
  return html`<main id="main">
    <h1 tabindex="-1">${t('dash.title')}</h1>
    ${!staff ? html`<p>${t('dash.no_cases_role')}</p>` : null}
    <${Status} loading=${d[3] && !data} error=${d[1]} />
    ${data ? html`<div class="dash">
      <section class="card" aria-labelledby="dash-stages">
        <h2 id="dash-stages">${t('dash.by_stage')}</h2>
        <p class="muted">${t('dash.total', { n: fmtNum(data.total) })}</p>
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
        ${data.mine.length ? html`<ul class="lines mine">${data.mine.map(function (m) {
          return html`<${CaseLine} key=${m.c.id} c=${m.c}><br /><${NextStep} m=${m} /></${CaseLine}>`;
        })}</ul>` : html`<p>${t('dash.none_mine')}</p>`}
        ${data.mineMore ? html`<p><${Link} href="/cases?assigned=me">${t('dash.all_mine')}</${Link}></p>` : null}
      </section>
      ${data.overdue ? html`<section class="card" aria-labelledby="dash-overdue">
        <h2 id="dash-overdue">${t('dash.overdue')}</h2>
        ${data.overdue.length ? html`<ul class="lines">${data.overdue.map(function (r) {
          return html`<li><strong>${countryName(r.country)}${r.admin_area ? ' — ' + r.admin_area : ''}</strong>
            <span class="tag">${tv(r.kind)}</span> <span class="muted">${t('restriction.next_review')}: ${fmtDate(r.next_review)}</span></li>`;
        })}</ul>` : html`<p>${t('dash.none')}</p>`}
        ${canAdmin() ? html`<p><${Link} href="/admin/restrictions">${t('admin.restrictions')}</${Link}></p>` : null}
      </section>` : null}
      <section class="card" aria-labelledby="dash-preembark">
        <h2 id="dash-preembark">${t('dash.preembark')}</h2>
        ${data.preembark.length ? html`<ul class="lines">${data.preembark.map(function (c) {
          return html`<${CaseLine} c=${c}> <span class="muted">${t('case.planned_departure')}: ${fmtDateTime(c.planned_departure)}</span></${CaseLine}>`;
        })}</ul>` : html`<p>${t('dash.none')}</p>`}
      </section>
    </div>` : null}
  </main>`;
}
