/*
 * reintegrationreport.js — the reintegration report of a project over a
 * period (/projects/<id>/report?from=&to=, reintegration.report): GET
 * /projects/{id}/report drawn as tables (returns, plans overdue,
 * assistance started and completed by dimension and plan kind,
 * beneficiaries by sex and age group, the budget by line, the mean
 * sustainability scores per round, the returnees' choices), with links to
 * the same figures as CSV and XLSX (the server's files, with their HXL
 * hashtags). A donor's small counts come back null from the server and
 * are shown as "fewer than 5". Printed (@media print in app.css), it is A4
 * pages without the header, the period form and the links.
 */
function rpNum(n, below) {
  if (n == null) return below ? t('rp.suppressed', { n: fmtNum(below) }) : '—';
  return fmtNum(n);
}

function RpCells(props) {
  var cells = props.cells || [];
  if (!cells.length) return html`<p class="empty">${t('rp.none')}</p>`;
  return html`<table class="list rp-cells"><thead><tr><th scope="col">${t('rp.sex')}</th>
    <th scope="col">${t('rp.age_group')}</th><th scope="col" class="num">${t('rp.count')}</th></tr></thead>
    <tbody>${cells.map(function (c, i) {
      var who = c.suppressed ? t('rp.suppressed_cell') : c.combined ? t('rp.combined') : null;
      return html`<tr key=${i}><td>${who || t('rp.sex.' + c.sex)}</td><td><bdi dir="ltr">${who ? '' : c.age_group === 'unknown' ? t('rp.sex.unknown') : c.age_group}</bdi></td>
        <td class="num">${rpNum(c.count, props.below)}</td></tr>`;
    })}</tbody></table>`;
}

function RpStarted(props) {
  var rows = props.rows || [];
  return html`<table class="list rp-started"><thead><tr><th scope="col">${props.label}</th>
    <th scope="col" class="num">${t('rp.started')}</th><th scope="col" class="num">${t('rp.completed')}</th></tr></thead>
    <tbody>${rows.map(function (r, i) {
      var k = r.dimension || r.kind || r.name || '';
      return html`<tr key=${i}><th scope="row">${r.dimension ? t('rz.dim.' + k) : r.kind ? t('rz.kind.' + k) : k}</th>
        <td class="num">${rpNum(r.started, props.below)}</td><td class="num">${rpNum(r.completed, props.below)}</td></tr>`;
    })}</tbody>
    ${props.total ? html`<tfoot><tr><th scope="row">${t('money.total')}</th><td class="num">${rpNum(props.total.started, props.below)}</td>
      <td class="num">${rpNum(props.total.completed, props.below)}</td></tr></tfoot>` : null}</table>`;
}

function ReportPage(props) {
  var q = query();
  var f = useState({ from: q.from || '', to: q.to || '' });
  var l = useLoad(function () {
    return api('GET', '/projects/' + props.id + '/report' + qs({ from: q.from, to: q.to })).then(must);
  }, [props.id, location.search, S.lang]);
  var r = l[0], below = r && r.suppressed_below;
  var cur = r && r.project.currency;
  function submit(e) {
    e.preventDefault();
    navigate('/projects/' + props.id + '/report' + qs(f[0]), true);
  }
  function file(fmt) {
    return '/api/v1/projects/' + props.id + '/report' + qs({ from: q.from, to: q.to, format: fmt });
  }
  var s = r && r.sustainability, ch = r && r.choice;
  return html`<main id="main" class="money rp">
    <p class="crumbs no-print"><${Link} href=${'/projects/' + props.id}>${r ? r.project.name : t('money.project')}</${Link}></p>
    <h1 tabindex="-1">${t('rp.title')}${r ? html` — <bdi>${r.project.name}</bdi>` : null}</h1>
    ${l[1] ? html`<p class="alert" role="alert">${l[1]}</p>` : null}
    <form class="rp-period no-print" onSubmit=${submit}>
      <div class="field"><label for="f-rp-from">${t('rp.from')}</label>
        <input id="f-rp-from" type="date" value=${f[0].from} onInput=${function (e) { f[1](Object.assign({}, f[0], { from: e.target.value })); }} /></div>
      <div class="field"><label for="f-rp-to">${t('rp.to')}</label>
        <input id="f-rp-to" type="date" value=${f[0].to} onInput=${function (e) { f[1](Object.assign({}, f[0], { to: e.target.value })); }} /></div>
      <button type="submit">${t('rp.show')}</button>
      <a class="button secondary rp-csv" href=${file('csv')} download>${t('rp.csv')}</a>
      <a class="button secondary rp-xlsx" href=${file('xlsx')} download>${t('rp.xlsx')}</a>
      <button type="button" class="secondary" onClick=${function () { window.print(); }}>${t('rp.print')}</button>
    </form>
    ${r ? html`<${Fragment}>
    <p class="lead"><bdi dir="ltr">${r.project.code}</bdi> · ${colon(t('money.donor'))}<bdi>${r.project.donor}</bdi>${' · '}
      ${colon(t('money.period'))}<bdi>${fmtDate(r.period.from)} – ${fmtDate(r.period.to)}</bdi>
      ${below ? html`<br /><small>${t('rp.suppression_note', { n: fmtNum(below) })}</small>` : null}</p>
    <div class="rp-grid">
    <section aria-labelledby="rp-returns"><h2 id="rp-returns">${t('rp.returns')}</h2>
      <dl class="rp-facts"><dt>${t('rp.cases')}</dt><dd>${rpNum(r.returns.cases, below)}</dd>
        <dt>${t('rp.persons')}</dt><dd>${rpNum(r.returns.persons, below)}</dd>
        <dt>${t('rp.overdue')}</dt><dd>${rpNum(r.plans_overdue.total, below)}</dd>
        ${ch ? html`<dt>${t('rp.own_project_share')}</dt><dd>${ch.own_project_share_bp == null ? '—' : fmtBp(ch.own_project_share_bp)}</dd>` : null}</dl>
      <${RpCells} cells=${r.returns.by_sex_age} below=${below} /></section>
    <section aria-labelledby="rp-assist"><h2 id="rp-assist">${t('rp.assistance')}</h2>
      <${RpStarted} label=${t('rp.dimension')} rows=${r.assistance.by_dimension} below=${below} />
      <${RpStarted} label=${t('rp.plan_kind')} rows=${r.assistance.by_plan_kind} total=${r.assistance.total} below=${below} /></section>
    <section aria-labelledby="rp-benef"><h2 id="rp-benef">${t('rp.beneficiaries')}</h2>
      <p>${colon(t('rp.activities_held'))}${fmtNum(r.beneficiaries.activities_held || 0)}</p>
      <${RpCells} cells=${r.beneficiaries.total} below=${below} /></section>
    <section aria-labelledby="rp-scores"><h2 id="rp-scores">${t('score.title')}</h2>
      <table class="list"><thead><tr><th scope="col">${t('score.round')}</th><th scope="col" class="num">${t('rp.responses')}</th>
        ${SCORE_KEYS.map(function (k) { return html`<th scope="col" class="num" key=${k}>${t('score.' + k)}</th>`; })}</tr></thead>
        <tbody>${['baseline', 'follow_up'].map(function (rd) {
          var x = (s && s[rd]) || {};
          return html`<tr key=${rd}><th scope="row">${t('score.round.' + rd)}</th><td class="num">${rpNum(x.responses, below)}</td>
            ${SCORE_KEYS.map(function (k) { return html`<td class="num" key=${k}>${x[k] == null ? '—' : fmtBp(x[k])}</td>`; })}</tr>`;
        })}</tbody></table></section>
    </div>
    <section aria-labelledby="rp-budget"><h2 id="rp-budget">${t('money.budget_view')}</h2>
      <table class="list money-budget"><thead><tr><th scope="col">${t('money.line')}</th>
        <th scope="col" class="num">${t('money.budget')}</th><th scope="col" class="num">${t('money.committed')}</th>
        <th scope="col" class="num">${t('money.disbursed')}</th><th scope="col" class="num">${t('money.remaining')}</th>
        <th scope="col" class="num">${t('money.utilisation')}</th></tr></thead>
        <tbody>${r.budget.lines.map(function (x) {
          return html`<tr key=${x.code}><th scope="row"><bdi dir="ltr">${x.code}</bdi> ${x.name}</th><${Figures} f=${x} cur=${cur} /></tr>`;
        })}</tbody>
        <tfoot><tr><th scope="row">${t('money.total')}</th><${Figures} f=${r.budget.total} cur=${cur} /></tr></tfoot></table></section>
    <p class="muted rp-generated">${t('rp.generated', { at: fmtDateTime(r.generated_at) })}</p>
    </${Fragment}>` : null}
  </main>`;
}

/* /reports: the projects to report on (with project.read), else a
 * project's code to type (a donor reads reports but not the projects). */
function ReportsPage() {
  var l = useLoad(function () {
    return may('project.read') ? api('GET', '/projects').then(must) : Promise.resolve({ items: [] });
  }, []);
  var c = useState('');
  var items = l[0] ? l[0].items : [];
  return html`<main id="main" class="money">
    <h1 tabindex="-1">${t('rp.title')}</h1>
    ${l[1] ? html`<p class="alert" role="alert">${l[1]}</p>` : null}
    ${items.length ? html`<ul class="rp-projects">${items.map(function (p) {
      return html`<li key=${p.id}><${Link} href=${'/projects/' + p.id + '/report'}>${p.name}</${Link}> <bdi dir="ltr">${p.code}</bdi></li>`;
    })}</ul>` : html`<form class="rp-code" onSubmit=${function (e) { e.preventDefault(); if (c[0]) navigate('/projects/' + encodeURIComponent(c[0].trim()) + '/report'); }}>
      <div class="field"><label for="f-rp-code">${t('rp.project_code')}</label>
        <input id="f-rp-code" dir="ltr" placeholder="ML-PSS-2026" value=${c[0]} onInput=${function (e) { c[1](e.target.value); }} /></div>
      <button type="submit">${t('rp.show')}</button></form>`}
  </main>`;
}
