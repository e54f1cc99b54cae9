/*
 * money.js — the projects and their money: the list of projects
 * (/projects, project.read), a project's budget view (/projects/<id>:
 * per budget line budget, committed, disbursed, remaining and utilisation,
 * GET /projects/{id}/budget, ledger.read) and the ledger of a budget line
 * (/budget-lines/<id>: its entries newest first, a payment form for
 * ledger.write and a reversal with a reason). The ledger of a case is
 * shown on the case's reintegration page (reintegration.js) with
 * LedgerTable from here.
 *
 * Amounts travel as integers in minor units with an ISO 4217 code; they
 * are shown with Intl.NumberFormat in the currency (its number of minor
 * digits from the format's own options) and typed in currency units
 * ("1200.50"), turned into minor units by string arithmetic, never floats.
 * A payment carries an Idempotency-Key made when its form opens.
 */
var PAY_METHODS = ['cash', 'mobile_money', 'bank_transfer', 'voucher', 'in_kind_purchase'];

function minorDigits(cur) {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency: cur }).resolvedOptions().maximumFractionDigits;
  } catch (e) { return 2; }
}

/* 123450 USD → "US$1,234.50" in the interface's language. */
function fmtMoney(minor, cur) {
  if (minor == null) return '';
  var d = minorDigits(cur);
  var f = cached('money-' + cur, function () {
    try { return new Intl.NumberFormat(numLocale(), { style: 'currency', currency: cur }); }
    catch (e) { return new Intl.NumberFormat(numLocale(), { minimumFractionDigits: d }); }
  });
  return f.format(minor / Math.pow(10, d));
}

/* "1234.5" → 123450 (in cur's minor digits); null when not an amount. */
function toMinor(text, cur) {
  var s = String(text || '').trim().replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  var d = minorDigits(cur);
  var m = /^(\d{1,13})(?:\.(\d*))?$/.exec(s);
  if (!m || (m[2] && m[2].length > d)) return null;
  var frac = (m[2] || '').padEnd(d, '0');
  return parseInt(m[1] + frac, 10);
}

/* 2500 basis points → "25 %" */
function fmtBp(bp) {
  return cached('pct', function () {
    return new Intl.NumberFormat(numLocale(), { style: 'percent', maximumFractionDigits: 1 });
  }).format((bp || 0) / 10000);
}

/* Every budget line the user may charge, flat ({id, code, name, project,
 * project_id, currency}): the projects, each read whole for its lines
 * (the list does not carry them). */
function loadBudgetLines() {
  if (!may('project.read')) return Promise.resolve([]);
  return api('GET', '/projects').then(must).then(function (d) {
    return Promise.all(d.items.map(function (p) {
      return p.budget_lines ? Promise.resolve(p) : api('GET', '/projects/' + p.id).then(must);
    }));
  }).then(function (ps) {
    var lines = [];
    ps.forEach(function (p) {
      (p.budget_lines || []).forEach(function (x) {
        lines.push(Object.assign({ project: p.code, project_id: p.id, currency: p.currency }, x));
      });
    });
    return lines;
  });
}

function ProjectListPage() {
  var l = useLoad(function () { return api('GET', '/projects').then(must); }, []);
  var items = l[0] ? l[0].items : [];
  return html`<main id="main" class="money">
    <h1 tabindex="-1">${t('money.projects')}</h1>
    ${l[1] ? html`<p class="alert" role="alert">${l[1]}</p>` : null}
    ${l[0] && !items.length ? html`<p>${t('money.no_projects')}</p>` : null}
    ${items.length ? html`<table class="list money-projects"><thead><tr>
      <th scope="col">${t('money.code')}</th><th scope="col">${t('money.name')}</th>
      <th scope="col">${t('money.donor')}</th><th scope="col">${t('money.period')}</th>
      <th scope="col" class="num">${t('money.budget')}</th></tr></thead>
      <tbody>${items.map(function (p) {
        return html`<tr key=${p.id}><td><bdi dir="ltr">${p.code}</bdi></td>
          <td><${Link} href=${'/projects/' + p.id}>${p.name}</${Link}></td><td>${p.donor}</td>
          <td><bdi>${fmtDate(p.starts_on)} – ${fmtDate(p.ends_on)}</bdi></td>
          <td class="num">${fmtMoney(p.budget_minor, p.currency)}</td></tr>`;
      })}</tbody></table>` : null}
  </main>`;
}

function Figures(props) {
  var f = props.f || {}, cur = props.cur;
  return html`<${Fragment}>
    <td class="num">${fmtMoney(f.budget_minor, cur)}</td><td class="num">${fmtMoney(f.committed_minor, cur)}</td>
    <td class="num">${fmtMoney(f.disbursed_minor, cur)}</td><td class="num">${fmtMoney(f.remaining_minor, cur)}</td>
    <td class="num"><span class="util"><span class="util-bar" aria-hidden="true"><span
      style=${'inline-size:' + Math.min(100, (f.utilisation_bp || 0) / 100) + '%'}></span></span>
      ${fmtBp(f.utilisation_bp)}</span></td></${Fragment}>`;
}

function ProjectPage(props) {
  var l = useLoad(function () {
    var reads = [api('GET', '/projects/' + props.id).then(must)];
    if (may('ledger.read')) reads.push(api('GET', '/projects/' + props.id + '/budget').then(must));
    return Promise.all(reads);
  }, [props.id]);
  var p = l[0] && l[0][0], b = l[0] && l[0][1];
  return html`<main id="main" class="money">
    <p class="crumbs"><${Link} href="/projects">${t('money.projects')}</${Link}></p>
    <h1 tabindex="-1">${p ? p.name : t('money.project')}</h1>
    ${l[1] ? html`<p class="alert" role="alert">${l[1]}</p>` : null}
    ${p ? html`<p class="lead"><bdi dir="ltr">${p.code}</bdi> · <span>${colon(t('money.donor'))}<bdi>${p.donor}</bdi></span>${' · '}
      <bdi>${fmtDate(p.starts_on)} – ${fmtDate(p.ends_on)}</bdi>
      ${may('reintegration.report') ? html` · <${Link} href=${'/projects/' + p.id + '/report'}>${t('rz.report')}</${Link}>` : null}</p>` : null}
    ${b ? html`<section aria-labelledby="sec-budget"><h2 id="sec-budget">${t('money.budget_view')}</h2>
      <table class="list money-budget"><thead><tr><th scope="col">${t('money.line')}</th>
        <th scope="col" class="num">${t('money.budget')}</th><th scope="col" class="num">${t('money.committed')}</th>
        <th scope="col" class="num">${t('money.disbursed')}</th><th scope="col" class="num">${t('money.remaining')}</th>
        <th scope="col" class="num">${t('money.utilisation')}</th></tr></thead>
      <tbody>${b.lines.map(function (x) {
        return html`<tr key=${x.id} data-line=${x.code}><th scope="row"><bdi dir="ltr">${x.code}</bdi>
          <${Link} href=${'/budget-lines/' + x.id + qs({ code: x.code, currency: b.currency })}>${x.name}</${Link}></th><${Figures} f=${x} cur=${b.currency} /></tr>`;
      })}</tbody>
      <tfoot><tr class="totals"><th scope="row">${t('money.total')}</th><${Figures} f=${b.totals} cur=${b.currency} /></tr></tfoot>
      </table></section>`
    : p ? html`<section aria-labelledby="sec-lines"><h2 id="sec-lines">${t('money.lines')}</h2><ul>
      ${(p.budget_lines || []).map(function (x) {
        return html`<li key=${x.id}><bdi dir="ltr">${x.code}</bdi> ${x.name} — ${fmtMoney(x.amount_minor, p.currency)}</li>`;
      })}</ul></section>` : null}
  </main>`;
}

/* The entries of a ledger; onReverse(entry) offers the reversal. */
function LedgerTable(props) {
  var items = props.items || [];
  if (!items.length) return html`<p class="empty">${t('money.no_entries')}</p>`;
  return html`<table class="list ledger"><thead><tr><th scope="col">${t('money.when')}</th>
    <th scope="col">${t('money.kind')}</th><th scope="col" class="num">${t('money.amount')}</th>
    <th scope="col">${t('money.details')}</th>${props.onReverse ? html`<th scope="col"><span class="sr-only">${t('money.reverse')}</span></th>` : null}</tr></thead>
    <tbody>${items.map(function (e) {
      return html`<tr key=${e.id} class=${'lg-' + e.kind + (e.reversed_by ? ' reversed' : '')}>
        <td>${fmtDate(e.paid_on || (e.created_at || '').slice(0, 10))}</td>
        <td>${t('money.kind.' + e.kind)}${e.tranche ? ' · ' + t('money.tranche_n', { n: fmtNum(e.tranche) }) : ''}
          ${e.reversed_by ? html` <span class="stage">${t('money.reversed')}</span>` : null}</td>
        <td class="num">${fmtMoney(e.amount_minor, e.currency)}${e.paid_currency && e.paid_currency !== e.currency
          ? html`<br /><small>${fmtMoney(e.paid_minor, e.paid_currency)}</small>` : null}</td>
        <td>${[e.budget_line_code ? t('money.line') + ' ' + e.budget_line_code : null,
          e.case_number, e.method ? t('money.method.' + e.method) : null, e.recipient, e.proof_reference, e.reason]
          .filter(Boolean).join(' · ')}</td>
        ${props.onReverse ? html`<td>${e.kind !== 'reversal' && !e.reversed_by ? html`<button type="button"
          class="link small" onClick=${function () { props.onReverse(e); }}>${t('money.reverse')}</button>` : null}</td>` : null}
      </tr>`;
    })}</tbody></table>`;
}

function ReverseForm(props) {
  var e = props.entry;
  var st = useState(''), reason = st[0];
  var rs = useState(null), res = rs[0];
  async function submit(ev) {
    ev.preventDefault();
    var r = await api('POST', '/ledger/' + e.id + '/reversal', { reason: reason });
    rs[1](r);
    if (r.ok) props.onDone();
  }
  return html`<form class="money-reverse card" onSubmit=${submit}>
    <h3>${t('money.reverse_title', { amount: fmtMoney(e.amount_minor, e.currency) })}</h3>
    <${MvProblem} r=${res} />
    <div class="field"><label for="f-rev-reason">${t('money.reason')}<span class="req" aria-hidden="true"> *</span></label>
      <textarea id="f-rev-reason" required value=${reason} onInput=${function (x) { st[1](x.target.value); }}></textarea></div>
    <div class="actions"><button type="submit">${t('money.reverse')}</button>
      <button type="button" class="secondary" onClick=${props.onCancel}>${t('common.cancel')}</button></div>
  </form>`;
}

function PayForm(props) {
  var cur = props.currency;
  var init = { amount: '', currency: cur, method: 'cash', proof_reference: '', recipient: '', paid_on: new Date().toISOString().slice(0, 10), case: '' };
  var vs = useState(init), v = vs[0];
  var key = useRef(randomKey());
  var rs = useState(null), res = rs[0];
  var errs = res && !res.ok ? errorMap(res) : {};
  function set(k) { return function (e) { var n = Object.assign({}, v); n[k] = e.target.value; vs[1](n); }; }
  async function submit(ev) {
    ev.preventDefault();
    var amount = toMinor(v.amount, v.currency);
    if (amount == null) { rs[1]({ ok: false, data: { title: t('money.bad_amount'), errors: [{ field: 'amount_minor', message: t('money.bad_amount') }] } }); return; }
    var body = { amount_minor: amount, currency: v.currency, method: v.method, proof_reference: v.proof_reference,
      recipient: v.recipient, paid_on: v.paid_on };
    if (v.case) body.case = v.case;
    var r = await api('POST', '/budget-lines/' + props.line + '/disbursements', body, { idem: key.current });
    rs[1](r);
    if (r.ok) { key.current = randomKey(); vs[1](init); props.onDone(); }
  }
  function fld(k, label, control, req) {
    var id = 'f-pay-' + k, err = errs[k === 'amount' ? 'amount_minor' : k];
    return html`<div class=${'field' + (err ? ' invalid' : '')}><label for=${id}>${label}${req ? html`<span class="req" aria-hidden="true"> *</span>` : null}</label>
      ${control(id)}${err ? html`<p class="err">${err}</p>` : null}</div>`;
  }
  return html`<form class="money-pay card" onSubmit=${submit}>
    <h3>${t('money.pay')}</h3>
    <${MvProblem} r=${res} />
    <div class="grid">
      ${fld('amount', t('money.amount_units', { currency: v.currency }), function (id) {
        return html`<input id=${id} inputmode="decimal" dir="ltr" required value=${v.amount} onInput=${set('amount')} />`; }, true)}
      ${fld('method', t('money.method'), function (id) {
        return html`<select id=${id} value=${v.method} onChange=${set('method')}>${PAY_METHODS.map(function (m) {
          return html`<option value=${m} key=${m}>${t('money.method.' + m)}</option>`; })}</select>`; }, true)}
      ${fld('recipient', t('money.recipient'), function (id) {
        return html`<input id=${id} required value=${v.recipient} onInput=${set('recipient')} />`; }, true)}
      ${fld('proof_reference', t('money.proof'), function (id) {
        return html`<input id=${id} required dir="auto" value=${v.proof_reference} onInput=${set('proof_reference')} />`; }, true)}
      ${fld('paid_on', t('money.paid_on'), function (id) {
        return html`<input id=${id} type="date" required value=${v.paid_on} onInput=${set('paid_on')} />`; }, true)}
    </div>
    <div class="actions"><button type="submit">${t('money.pay_submit')}</button></div>
  </form>`;
}

function BudgetLinePage(props) {
  var l = useLoad(function () { return api('GET', '/budget-lines/' + props.id + '/ledger').then(must); }, [props.id]);
  var rv = useState(null);
  var items = l[0] ? l[0].items : [];
  var q = query();
  var cur = (items[0] && items[0].currency) || q.currency || 'USD';
  var code = (items[0] && items[0].budget_line_code) || q.code || '';
  return html`<main id="main" class="money">
    <p class="crumbs"><${Link} href="/projects">${t('money.projects')}</${Link}></p>
    <h1 tabindex="-1">${t('money.line_ledger', { code: code })}</h1>
    ${l[1] ? html`<p class="alert" role="alert">${l[1]}</p>` : null}
    ${may('ledger.write') ? html`<${PayForm} line=${props.id} currency=${cur} onDone=${l[2]} />` : null}
    ${rv[0] ? html`<${ReverseForm} entry=${rv[0]} onCancel=${function () { rv[1](null); }}
      onDone=${function () { rv[1](null); l[2](); }} />` : null}
    <section aria-labelledby="sec-ledger"><h2 id="sec-ledger">${t('money.ledger')}</h2>
      ${l[0] ? html`<${LedgerTable} items=${items} onReverse=${may('ledger.write') ? rv[1] : null} />` : null}</section>
  </main>`;
}
