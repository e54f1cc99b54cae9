/*
 * movementboard.js — the planning board of a movement: its passengers by
 * household, each person with the booking check (consent, fitness, a
 * travel document valid on the day, no restriction, child requirements…)
 * and the boarding check (what can only be met in the last days), the
 * list of reconfirmations and pre-embarkation checks due as the day
 * approaches, and the planner's tools: add households, take one off (or
 * mark it a no-show) with a reason, and the onward transport and travel
 * allowance of each passenger; adding and taking off only while the
 * movement is open (its "open"), the onward transport and the allowance
 * while its "care" says each may change (the allowance after arrival too).
 *
 * Data: the movement's passengers (GET /movements/{id}, in household
 * order) and the board (GET …/board: per person booking / boarding
 * {met, blockers[]} and due[]; the movement's own blockers, such as an
 * escort still needed). The unit is the household: passengers are added
 * by case (POST …/passengers {"cases": [...]}, one request for all the
 * households chosen, with an Idempotency-Key) and taken off by case (POST
 * …/passengers/remove, the case going back to one of the stages GET
 * /schema lists as movement_return_stages). The answer to an addition
 * lists who was added and who was refused, each refused person with every
 * reason, in words.
 *
 * Households to add are searched among the cases of the sending office at
 * `ready` (GET /cases?stage=ready&office=…); the stage can be widened to
 * the earlier ones awaiting a movement (the stages' properties of GET
 * /schema) to see why a household is not ready yet — the server refuses
 * it and says why, per person.
 *
 * Money (onward transport cost, allowance) is typed in the currency's
 * units ("12.50") and sent in minor units (1250) with the ISO 4217 code;
 * the number of decimals of a currency comes from Intl.NumberFormat.
 */
/* The stages households to add are searched at: those awaiting a
 * movement (GET /schema's stages), the one they are booked from first
 * (ready, then pre_departure, eligible). */
function mvAddStages() { return stagesWith('awaiting_movement').reverse(); }

function currencyDigits(cur) {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency: cur }).resolvedOptions().maximumFractionDigits;
  } catch (e) {
    return 2;
  }
}

/* "12.50" in XOF/EUR… → minor units, or null when not a number. */
function toMinor(text, cur) {
  var s = String(text).trim().replace(',', '.');
  if (!/^\d+(\.\d+)?$/.test(s)) return null;
  return Math.round(Number(s) * Math.pow(10, currencyDigits(cur)));
}

function fmtMoney(minor, cur) {
  if (minor == null || !cur) return '';
  var dg = currencyDigits(cur);
  try {
    return new Intl.NumberFormat(numLocale(), { style: 'currency', currency: cur }).format(minor / Math.pow(10, dg));
  } catch (e) {
    return fmtNum(minor) + ' ' + cur;
  }
}

/* What is planned for a passenger after arrival, on one line: the onward
 * transport (mode, destination, cost) and the travel allowance. */
function careSummary(ow, al) {
  var parts = [];
  if (ow) {
    parts.push(colon(t('mv.onward.short')) + t('mv.mode.' + ow.mode) + (ow.destination_admin_area ? mvArrow() + ow.destination_admin_area : '') +
      (ow.cost ? ' (' + fmtMoney(ow.cost.amount_minor, ow.cost.currency) + ')' : '') +
      (ow.taken === true ? ' — ' + t('mv.onward.taken') : ow.taken === false ? ' — ' + t('mv.onward.not_taken') : ''));
  }
  if (al) parts.push(colon(t('mv.allowance.title')) + fmtMoney(al.amount_minor, al.currency));
  return parts.length ? html`<div class="facts mv-care-summary">${parts.map(function (x, i) {
    return html`<div key=${i}><bdi>${x}</bdi></div>`;
  })}</div>` : null;
}

/* The board's entry for each person, and its movement-level blockers. */
function boardIndex(board) {
  var list = board ? (board.passengers || board.items || []) : [];
  var by = {};
  list.forEach(function (e) { by[e.person_id] = e; });
  return by;
}

/* The reconfirmations and pre-embarkation checks still due, soonest
 * deadline first, each said as open now, opening later or too late. */
function DueList(props) {
  var rows = [];
  props.passengers.forEach(function (p) {
    var e = props.index[p.person_id];
    if (p.status !== 'booked' || !e) return;
    (e.due || []).forEach(function (d) { rows.push({ p: p, d: d }); });
  });
  rows.sort(function (a, b) { return String(a.d.until).localeCompare(String(b.d.until)); });
  var now = Date.now();
  return html`<section class="mv-due" aria-labelledby="sec-mv-due">
    <h3 id="sec-mv-due">${t('mv.due.title')}</h3>
    ${rows.length ? html`<ul class="lines">${rows.map(function (x, i) {
      var from = Date.parse(x.d.from), until = Date.parse(x.d.until);
      var state = now > until ? 'late' : now >= from ? 'open' : 'later';
      return html`<li key=${i} class=${'due-' + state}><strong>${t('mv.due.' + x.d.code)}</strong>${' — '}<${MvName} p=${x.p} />${' · '}<span class=${state === 'late' ? 'overdue' : ''}>${t('mv.due.' + state, {
          from: fmtDateTime(x.d.from), until: fmtDateTime(x.d.until) })}</span></li>`;
    })}</ul>` : html`<p class="muted">${t('mv.due.none')}</p>`}
  </section>`;
}

function Check(props) {
  var c = props.c;
  if (!c) return html`<span class="muted">—</span>`;
  if (c.met) return html`<span class="count good">${t('mv.check.met')}</span>`;
  return html`<${Blockers} list=${c.blockers} name=${props.name} />`;
}

/* Takes a household off the movement, or marks it a no-show: the reason
 * and where the case goes back to (ready or on hold). */
function RemoveHousehold(props) {
  var reason = useState(''), then = useState(schemaList('movement_return_stages')[0]), res = useState(null), busy = useState(false);
  var alertRef = useRef(null);
  var id = 'mv-rm-' + props.caseId;
  async function submit(e) {
    e.preventDefault();
    busy[1](true);
    var r = await api('POST', '/movements/' + props.m.id + '/passengers/remove', {
      case_id: props.caseId, reason: reason[0].trim(), no_show: props.noShow, then: then[0] });
    busy[1](false);
    if (r.ok) { props.done(); return; }
    res[1](r);
    setTimeout(function () { if (alertRef.current) alertRef.current.focus(); }, 0);
  }
  var errs = res[0] ? errorMap(res[0]) : {};
  return html`<form class="card form mv-remove" onSubmit=${submit} noValidate aria-labelledby=${id + '-t'}>
    <h4 id=${id + '-t'}>${t(props.noShow ? 'mv.noshow.title' : 'mv.remove.title', { number: props.number })}</h4>
    ${res[0] ? html`<${MvProblem} r=${res[0]} focusRef=${alertRef} />` : null}
    <${MvField} path="reason" errs=${errs} required label=${t('mv.remove.reason')}>${function (fid, aria) {
      return html`<textarea id=${fid} required rows="2" value=${reason[0]} ...${aria}
        onInput=${function (e) { reason[1](e.target.value); }}></textarea>`;
    }}</${MvField}>
    <fieldset class="field"><legend>${t('mv.remove.then')}</legend><div class="checks">
      ${schemaList('movement_return_stages').map(function (v) {
        return html`<label class="check" key=${v}><input type="radio" name=${id + '-then'} checked=${then[0] === v}
          onChange=${function () { then[1](v); }} /> ${tv(v)}</label>`;
      })}</div></fieldset>
    <div class="actions">
      <button type="submit" disabled=${busy[0]}>${t(props.noShow ? 'mv.noshow.submit' : 'mv.remove.submit')}</button>
      <button type="button" class="secondary" onClick=${props.cancel}>${t('common.cancel')}</button>
    </div>
  </form>`;
}

/* The onward transport and the allowance of one passenger (PUT …/onward,
 * PUT …/allowance), each saved on its own, each offered while the
 * movement's "care" says it may change. */
function PassengerCare(props) {
  var p = props.p;
  var ow = props.onward || {}, al = props.allowance || {};
  var o = useState({ mode: ow.mode || 'bus', provider: ow.provider || '', partner: ow.partner ? ow.partner.id : '',
    destination_pcode: ow.destination_pcode || '', destination_admin_area: ow.destination_admin_area || '',
    amount: ow.cost ? String(ow.cost.amount_minor / Math.pow(10, currencyDigits(ow.cost.currency))) : '',
    currency: (ow.cost && ow.cost.currency) || 'XOF' });
  var a = useState({ amount: al.amount_minor != null ? String(al.amount_minor / Math.pow(10, currencyDigits(al.currency))) : '',
    currency: al.currency || 'XOF', budget_line: al.budget_line || '' });
  var res = useState({}), busy = useState(false);
  var base = '/movements/' + props.m.id + '/passengers/' + p.person_id;
  var pre = 'mv-care-' + p.person_id + '-';
  function set(st, k) { return function (ev) { var x = Object.assign({}, st[0]); x[k] = ev.target.value; st[1](x); }; }
  async function save(which, ev) {
    ev.preventDefault();
    busy[1](true);
    var body;
    if (which === 'onward') {
      var v = o[0];
      body = { mode: v.mode, destination_pcode: v.destination_pcode.trim() || null,
        destination_admin_area: v.destination_admin_area.trim() || null };
      if (v.partner) body.partner = v.partner; else body.provider = v.provider.trim();
      if (v.amount.trim()) body.cost = { amount_minor: toMinor(v.amount, v.currency), currency: v.currency.trim().toUpperCase() };
    } else {
      var w = a[0];
      body = { amount_minor: toMinor(w.amount, w.currency), currency: w.currency.trim().toUpperCase() };
      if (w.budget_line.trim()) body.budget_line = w.budget_line.trim();
    }
    var r = await api('PUT', base + '/' + which, body);
    busy[1](false);
    var next = Object.assign({}, res[0]); next[which] = r; res[1](next);
    if (r.ok) props.saved();
  }
  function msg(which) {
    var r = res[0][which];
    if (!r) return null;
    return r.ok ? html`<p class="ok" role="status">${t('mv.saved')}</p>` : html`<${MvProblem} r=${r} />`;
  }
  var oe = res[0].onward ? errorMap(res[0].onward) : {}, ae = res[0].allowance ? errorMap(res[0].allowance) : {};
  var txt = function (st, k, errs, path, label, extra) {
    return html`<${MvField} path=${pre + path} errs=${{ [pre + path]: errs[path] }} label=${label}>${function (id, aria) {
      return html`<input id=${id} value=${st[0][k]} dir="auto" ...${aria} ...${extra || {}} onInput=${set(st, k)} />`;
    }}</${MvField}>`;
  };
  var care = props.care || {};
  return html`<div class="mv-care-forms">
    ${care.onward ? html`<form class="mv-onward" onSubmit=${function (ev) { save('onward', ev); }} noValidate aria-label=${t('mv.onward.title')}>
      <h4>${t('mv.onward.title')}</h4>
      ${msg('onward')}
      <div class="grid">
        <${MvField} path=${pre + 'mode'} errs=${{ [pre + 'mode']: oe.mode }} label=${t('mv.onward.mode')}>${function (id, aria) {
          return html`<select id=${id} value=${o[0].mode} ...${aria} onChange=${set(o, 'mode')}>
            ${schemaList('movement_care', 'onward_modes').map(function (x) { return html`<option value=${x} key=${x}>${t('mv.mode.' + x)}</option>`; })}</select>`;
        }}</${MvField}>
        ${S.partners.length ? html`<${MvField} path=${pre + 'partner'} errs=${{ [pre + 'partner']: oe.partner }}
            label=${t('mv.onward.partner')}>${function (id, aria) {
          return html`<select id=${id} value=${o[0].partner} ...${aria} onChange=${set(o, 'partner')}>
            <option value="">${t('mv.onward.no_partner')}</option>
            ${partnerChoices().map(function (c) { return html`<option value=${c.value} key=${c.value}>${c.label}</option>`; })}</select>`;
        }}</${MvField}>` : null}
        ${!o[0].partner ? txt(o, 'provider', oe, 'provider', t('mv.onward.provider')) : null}
        ${txt(o, 'destination_admin_area', oe, 'destination_admin_area', t('mv.onward.area'))}
        ${txt(o, 'destination_pcode', oe, 'destination_pcode', t('mv.onward.pcode'), { dir: 'ltr' })}
        ${txt(o, 'amount', oe, 'cost.amount_minor', t('mv.onward.cost'), { inputmode: 'decimal' })}
        ${txt(o, 'currency', oe, 'cost.currency', t('mv.currency'), { maxLength: 3, dir: 'ltr' })}
      </div>
      <button type="submit" class="small" disabled=${busy[0]}>${t('mv.onward.save')}</button>
    </form>` : null}
    ${care.allowance ? html`<form class="mv-allowance" onSubmit=${function (ev) { save('allowance', ev); }} noValidate aria-label=${t('mv.allowance.title')}>
      <h4>${t('mv.allowance.title')}</h4>
      ${msg('allowance')}
      <div class="grid">
        ${txt(a, 'amount', ae, 'amount_minor', t('mv.allowance.amount'), { inputmode: 'decimal' })}
        ${txt(a, 'currency', ae, 'currency', t('mv.currency'), { maxLength: 3, dir: 'ltr' })}
        ${txt(a, 'budget_line', ae, 'budget_line', t('mv.allowance.budget_line'))}
      </div>
      <button type="submit" class="small" disabled=${busy[0]}>${t('mv.allowance.save')}</button>
    </form>` : null}
  </div>`;
}

/* Households to add: the sending office's cases at a stage (ready unless
 * widened), chosen by ticking them, added in one request. */
function AddPassengers(props) {
  var m = props.m;
  var text = useState(''), stage = useState(function () { return mvAddStages()[0]; }), term = useState('');
  var chosen = useState([]), res = useState(null), busy = useState(false);
  var idem = useRef(randomKey());
  var onBoard = {};
  (m.passengers || []).forEach(function (p) { if (p.status === 'booked') onBoard[p.case_id] = true; });
  var d = useLoad(function () {
    return api('GET', '/cases' + qs({ stage: stage[0], office: m.office, q: term[0], limit: 50 })).then(must);
  }, [stage[0], term[0]]);
  var cases = d[0] ? d[0].items.filter(function (c) { return !onBoard[c.id]; }) : [];
  function toggle(id, on) {
    chosen[1](on ? chosen[0].concat([id]) : chosen[0].filter(function (x) { return x !== id; }));
  }
  async function add() {
    busy[1](true);
    var r = await api('POST', '/movements/' + m.id + '/passengers', { cases: chosen[0] }, { idem: idem.current });
    busy[1](false);
    idem.current = randomKey();
    res[1](r);
    if (r.ok) { chosen[1]([]); props.changed(); }
  }
  var r = res[0], out = r && r.ok ? r.data : null;
  return html`<section class="card mv-add" aria-labelledby="sec-mv-add">
    <h3 id="sec-mv-add">${t('mv.add.title')}</h3>
    <p class="hint">${t('mv.add.hint')}</p>
    <form class="filters" role="search" onSubmit=${function (e) { e.preventDefault(); term[1](text[0].trim()); }}>
      <div class="field grow"><label for="mv-add-q">${t('cases.search')}</label>
        <input id="mv-add-q" type="search" dir="auto" value=${text[0]} onInput=${function (e) { text[1](e.target.value); }} /></div>
      <div class="field"><label for="mv-add-stage">${t('case.stage')}</label>
        <select id="mv-add-stage" value=${stage[0]} onChange=${function (e) { chosen[1]([]); stage[1](e.target.value); }}>
          ${mvAddStages().map(function (s) { return html`<option value=${s} key=${s}>${tv(s)}</option>`; })}</select></div>
      <div class="field end"><button type="submit" class="secondary">${t('cases.search_button')}</button></div>
    </form>
    <${Status} loading=${d[3]} error=${d[1]} />
    ${d[0] ? (cases.length ? html`<ul class="mv-candidates">${cases.map(function (c) {
      return html`<li key=${c.id}><label class="check"><input type="checkbox" checked=${chosen[0].indexOf(c.id) >= 0}
        onChange=${function (e) { toggle(c.id, e.target.checked); }} />
        <bdi>${c.number}</bdi> — <${PersonName} person=${c.principal} />${' · ' + tn('household.count', c.member_count) + ' · '}<${StageBadge} stage=${c.stage} /></label></li>`;
    })}</ul>` : html`<p class="muted">${t('mv.add.no_cases')}</p>`) : null}
    <div class="actions">
      <button type="button" disabled=${busy[0] || !chosen[0].length} onClick=${add}>${chosen[0].length ? tn('mv.add.submit', chosen[0].length) : t('mv.add.choose')}</button>
    </div>
    ${r && !r.ok ? html`<${MvProblem} r=${r} />` : null}
    ${out ? html`<div class="mv-add-result" role="status">
      ${(out.added || []).length ? html`<p class="ok">${tn('mv.add.added', out.added.length)}${t('punct.colon')}${
        listOf(out.added.map(function (x) { return x.name; }))}</p>` : null}
      ${(out.refused || []).length ? html`<div class="alert mv-refused"><p>${tn('mv.add.refused', out.refused.length)}</p>
        <ul>${out.refused.map(function (x, i) {
          return html`<li key=${i} data-person=${x.person_id}><strong><bdi>${x.name}</bdi></strong>
            <${Blockers} list=${x.blockers} name=${x.name} /></li>`;
        })}</ul></div>` : null}
    </div>` : null}
  </section>`;
}

function Board(props) {
  var m = props.m, index = boardIndex(props.board);
  var ow = props.onward || {}, al = props.allowances || {};
  var mode = useState(null); /* {remove: case_id, noShow} | {care: person_id} */
  var md = mode[0];
  var plan = may('movement.manage') && !!m.open;
  /* the passengers' onward transport and allowance may change after the
   * movement closed for planning, as long as the server says so */
  var care = m.care || {};
  var tend = may('movement.manage') && !!(care.onward || care.allowance);
  var acts = plan || tend;
  var passengers = m.passengers || [];
  var groups = [];
  passengers.forEach(function (p) {
    var g = groups.filter(function (x) { return x.case_id === p.case_id; })[0];
    if (!g) { g = { case_id: p.case_id, number: p.case_number, people: [] }; groups.push(g); }
    g.people.push(p);
  });
  var movementBlockers = props.board ? (props.board.blockers || []) : [];
  var blocked = passengers.filter(function (p) {
    var e = index[p.person_id];
    return p.status === 'booked' && e && ((e.booking && !e.booking.met) || (e.boarding && !e.boarding.met));
  }).length;
  function done() { mode[1](null); props.reload(); }
  return html`<section class="mv-board" aria-labelledby="sec-mv-board">
    <div class="page-head"><h2 id="sec-mv-board">${t('mv.board.title')}</h2>
      <span class="muted"><${Seats} m=${m} />${blocked ? html` · <span class="count bad">${tn('mv.board.blocked', blocked)}</span>` : null}</span></div>
    ${props.boardError ? html`<p class="alert" role="alert">${props.boardError}</p>` : null}
    ${movementBlockers.length ? html`<div class="alert mv-movement-blockers"><p>${t('mv.board.movement_blockers')}</p>
      <${Blockers} list=${movementBlockers} /></div>` : null}
    ${groups.length ? html`<div class="table-wrap"><table class="list mv-passengers">
      <caption class="sr-only">${t('mv.board.title')}</caption>
      <thead><tr><th scope="col">${t('mv.board.person')}</th><th scope="col">${t('mv.board.status')}</th>
        <th scope="col">${t('mv.board.booking')}</th><th scope="col">${t('mv.board.boarding')}</th>
        ${acts ? html`<th scope="col">${t('common.actions')}</th>` : null}</tr></thead>
      ${groups.map(function (g) {
        var booked = g.people.some(function (p) { return p.status === 'booked'; });
        return html`<tbody class="household-group" key=${g.case_id} data-case=${g.case_id}>
          <tr class="household-row"><th scope="rowgroup" colspan=${acts ? 5 : 4}>
            <${Link} href=${'/cases/' + g.case_id}><bdi>${g.number}</bdi></${Link}>
            <span class="muted"> · ${tn('household.count', g.people.length)}</span>
            ${plan && booked && (!md || md.care) ? html`<span class="row-actions">
              <button type="button" class="secondary small" onClick=${function () { mode[1]({ remove: g.case_id }); }}>
                ${t('mv.remove.action')}<span class="sr-only"> ${g.number}</span></button>
              <button type="button" class="secondary small" onClick=${function () { mode[1]({ remove: g.case_id, noShow: true }); }}>
                ${t('mv.noshow.action')}<span class="sr-only"> ${g.number}</span></button></span>` : null}
          </th></tr>
          ${md && md.remove === g.case_id ? html`<tr><td colspan=${acts ? 5 : 4}><${RemoveHousehold} m=${m} caseId=${g.case_id}
            number=${g.number} noShow=${!!md.noShow} done=${done} cancel=${function () { mode[1](null); }} /></td></tr>` : null}
          ${g.people.map(function (p) {
            var e = index[p.person_id] || {};
            var name = p.name;
            var off = p.status === 'removed' || p.status === 'no_show';
            return html`<${Fragment} key=${p.person_id}><tr class=${'passenger' + (off ? ' off' : '')} data-person=${p.person_id}>
              <td data-label=${t('mv.board.person')}><${MvName} p=${p} />
                <div class="facts muted">${[tv(p.relationship), tv(p.sex), p.age != null ? tn('person.age', p.age) : null].filter(Boolean).join(' · ')}</div>
                ${careSummary(ow[p.person_id], al[p.person_id])}</td>
              <td data-label=${t('mv.board.status')}><span class=${'stage mv-p-' + p.status}>${t('mv.pstatus.' + p.status)}</span>
                ${p.removed_reason ? html`<div class="muted small"><bdi>${p.removed_reason}</bdi></div>` : null}</td>
              <td data-label=${t('mv.board.booking')}>${p.status === 'booked' ? html`<${Check} c=${e.booking} name=${name} />` : null}</td>
              <td data-label=${t('mv.board.boarding')}>${p.status === 'booked' ? html`<${Check} c=${e.boarding} name=${name} />` : null}</td>
              ${acts ? html`<td class="row-actions">${!off && tend ? html`<button type="button" class="link small"
                aria-expanded=${md && md.care === p.person_id ? 'true' : 'false'}
                onClick=${function () { mode[1](md && md.care === p.person_id ? null : { care: p.person_id }); }}>
                ${t('mv.care.action')}<span class="sr-only"> — ${name}</span></button>` : null}</td>` : null}
            </tr>
            ${md && md.care === p.person_id ? html`<tr class="care-row"><td colspan="5">
              <${PassengerCare} m=${m} p=${p} care=${care} onward=${ow[p.person_id]} allowance=${al[p.person_id]} saved=${props.reload} /></td></tr>` : null}</${Fragment}>`;
          })}
        </tbody>`;
      })}
    </table></div>` : html`<p class="card muted">${t('mv.board.empty')}</p>`}
    <${DueList} passengers=${passengers} index=${index} />
    ${plan ? html`<${AddPassengers} m=${m} changed=${props.reload} />` : null}
  </section>`;
}
