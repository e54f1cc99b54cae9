/*
 * dashboard.js — the first screen after sign-in for case staff, in one
 * request (GET /api/v1/dashboard; slow connections pay one round trip):
 *
 *   - cases by stage, counted by the server over every case the user may
 *     see (one small answer, however many cases);
 *   - waiting for me: the newest cases assigned to me that wait for a step
 *     I take (the rule of GET /cases?waiting=me: the server knows which
 *     stages my roles move and which office acts after a hand-over), each
 *     with its next step and how many of its requirements are unmet;
 *   - restriction reviews overdue (null for roles that may not read
 *     restrictions: the card is left out);
 *   - pre-embarkation checks due: booked cases leaving within the
 *     server's window whose pre-embarkation check (needed to board) is
 *     missing.
 *
 * The server builds the answer from the same use cases as the separate
 * endpoints, with the same scoping, and audits each case it looked into.
 */
async function loadDashboard() {
  var d = must(await api('GET', '/dashboard'));
  return {
    stages: d.by_stage || {},
    total: d.total,
    mine: d.mine.map(function (c) { return { c: c, step: c.next, stopped: c.stopped }; }),
    mineMore: d.mine_more,
    overdue: d.overdue_reviews, /* null: not for this role */
    preembark: d.preembarkation,
  };
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
  return html`<span class="next-step">${colon(t('dash.next'))}<strong>${t('step.' + m.step.event)}</strong>${' '}
    <span class=${'count ' + (n ? 'bad' : 'good')}>${n ? tn('ready.missing', n) : t('ready.all_met')}</span>${
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
        <p class="muted">${tn('dash.total', data.total)}</p>
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
            <span class="tag">${tv(r.kind)}</span> <span class="muted">${colon(t('restriction.next_review'))}${fmtDate(r.next_review)}</span></li>`;
        })}</ul>` : html`<p>${t('dash.none')}</p>`}
        ${canAdmin() ? html`<p><${Link} href="/admin/restrictions">${t('admin.restrictions')}</${Link}></p>` : null}
      </section>` : null}
      <section class="card" aria-labelledby="dash-preembark">
        <h2 id="dash-preembark">${t('dash.preembark')}</h2>
        ${data.preembark.length ? html`<ul class="lines">${data.preembark.map(function (c) {
          return html`<${CaseLine} key=${c.id} c=${c}> <span class="muted">${colon(t('case.planned_departure'))}${fmtDateTime(c.planned_departure)}</span></${CaseLine}>`;
        })}</ul>` : html`<p>${t('dash.none')}</p>`}
      </section>
    </div>` : null}
  </main>`;
}
