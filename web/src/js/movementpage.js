/*
 * movementpage.js — one movement (/movements/<id>): what it is (type,
 * carrier, seats, the two offices, departure and arrival), its legs with
 * their local times and zones, the steps it may take next, then the
 * planning board (movementboard.js) and its escorts and airport
 * assistance (movementcare.js).
 *
 * Data: GET /movements/{id} (ETag = version) and …/board, with the escorts,
 * the assistance, the onward transport and the allowances (…/escorts,
 * …/assistance, …/onward, …/allowances) read together; every change
 * reloads them all, so the board shows what the server's checks see now.
 *
 * Steps: the movement says which steps its status allows ("steps":
 * confirm, depart, arrive, cancel) and whether it may still change
 * ("open": the edit of its reference, carrier, seats and legs, its
 * passengers and escorts), from the server's one table; they are offered
 * only to users who may plan movements (movement.manage) (the server
 * checks that the departure is confirmed by the sending office and the
 * arrival by the receiving office, and says so when it refuses). Each
 * sends the version shown (If-Match): a 412 says someone else changed the
 * movement and offers to reload. A refusal because of the passengers (409
 * with errors[] per person) is shown in place, each person with their
 * reasons. The arrival says who met them and, for each passenger whose
 * onward transport was planned, whether it was taken.
 */

async function loadMovement(id) {
  var r = await Promise.all([
    api('GET', '/movements/' + id),
    api('GET', '/movements/' + id + '/board'),
    api('GET', '/movements/' + id + '/escorts'),
    api('GET', '/movements/' + id + '/assistance'),
    api('GET', '/movements/' + id + '/onward'),
    api('GET', '/movements/' + id + '/allowances'),
    loadPartners(),
  ]);
  var m = must(r[0]);
  var board = r[1].ok ? r[1].data : null;
  var list = function (x) { return x.ok && x.data ? (x.data.items || x.data) : []; };
  var byPerson = function (items) {
    var o = {};
    items.forEach(function (x) { o[x.person_id] = x; });
    return o;
  };
  return { m: m, board: board, boardError: r[1].ok ? null : problemText(r[1]), escorts: list(r[2]), assistance: list(r[3]),
    onward: byPerson(list(r[4])), allowances: byPerson(list(r[5])) };
}

function nowLocal() { return utcToLocal(new Date().toISOString()); }

/* One step of the movement: a button, or a small form when the step needs
 * a time, a reason or the reception. */
function MvStep(props) {
  var m = props.m, step = props.step;
  var open = useState(false), res = useState(null), busy = useState(false);
  var at = useState(nowLocal()), reason = useState(''), metBy = useState(''), notes = useState('');
  var onward = useState({});
  var alertRef = useRef(null);
  var needsForm = step !== 'confirm';
  /* at arrival: the departed passengers whose onward transport was planned */
  var onwardPlanned = props.onward || {};
  var passengers = (m.passengers || []).filter(function (p) { return p.status === 'departed' && onwardPlanned[p.person_id]; });
  async function send(e) {
    if (e) e.preventDefault();
    busy[1](true);
    var body = {};
    if (step === 'depart' || step === 'arrive') body.at = localToUtc(at[0]);
    if (step === 'cancel') body.reason = reason[0].trim();
    if (step === 'arrive') {
      body.met_by = metBy[0].trim();
      if (notes[0].trim()) body.notes = notes[0].trim();
      body.onward = passengers.map(function (p) { return { person_id: p.person_id, taken: !!onward[0][p.person_id] }; });
    }
    var r = await api('POST', '/movements/' + m.id + '/' + step, body, { ifMatch: m.version });
    busy[1](false);
    if (r.ok) { open[1](false); res[1](null); props.reload(); return; }
    res[1](r);
    setTimeout(function () { if (alertRef.current) alertRef.current.focus(); }, 0);
  }
  var r = res[0], errs = r ? errorMap(r) : {};
  var problem = r ? (r.status === 412 ? html`<${Conflict} reload=${props.reload} focusRef=${alertRef} />`
    : html`<${MvProblem} r=${r} focusRef=${alertRef} />`) : null;
  var label = t('mv.step.' + step);
  if (!needsForm) {
    return html`<div class=${'mv-step mv-step-' + step} data-step=${step}>
      <button type="button" disabled=${busy[0]} onClick=${function () { send(); }}>${label}</button>
      <p class="hint">${t('mv.step.' + step + '_hint')}</p>${problem}</div>`;
  }
  if (!open[0]) {
    return html`<div class=${'mv-step mv-step-' + step} data-step=${step}>
      <button type="button" class=${step === 'cancel' ? 'secondary' : ''} aria-expanded="false"
        onClick=${function () { open[1](true); }}>${label}</button>${problem}</div>`;
  }
  var id = 'mv-' + step;
  return html`<form class=${'card form mv-step mv-step-' + step} data-step=${step} onSubmit=${send} noValidate
      aria-labelledby=${id + '-title'}>
    <h3 id=${id + '-title'}>${label}</h3>
    <p class="hint">${t('mv.step.' + step + '_hint')}</p>
    ${problem}
    ${step === 'depart' || step === 'arrive' ? html`<${MvField} path="at" errs=${errs} required
        label=${t('mv.step.at_' + step)}>${function (fid, aria) {
      return html`<input id=${fid} type="datetime-local" required value=${at[0]} ...${aria}
        onInput=${function (e) { at[1](e.target.value); }} />`;
    }}</${MvField}>` : null}
    ${step === 'cancel' ? html`<${MvField} path="reason" errs=${errs} required label=${t('mv.step.reason')}>${function (fid, aria) {
      return html`<textarea id=${fid} required rows="2" value=${reason[0]} ...${aria}
        onInput=${function (e) { reason[1](e.target.value); }}></textarea>`;
    }}</${MvField}>` : null}
    ${step === 'arrive' ? html`
      <${MvField} path="met_by" errs=${errs} required label=${t('mv.arrive.met_by')}>${function (fid, aria) {
        return html`<input id=${fid} required dir="auto" value=${metBy[0]} ...${aria}
          onInput=${function (e) { metBy[1](e.target.value); }} />`;
      }}</${MvField}>
      <${MvField} path="notes" errs=${errs} label=${t('mv.arrive.notes')}>${function (fid, aria) {
        return html`<textarea id=${fid} rows="2" dir="auto" value=${notes[0]} ...${aria}
          onInput=${function (e) { notes[1](e.target.value); }}></textarea>`;
      }}</${MvField}>
      ${passengers.length ? html`<fieldset class="field"><legend>${t('mv.arrive.onward')}</legend>
        <div class="checks mv-onward-taken">${passengers.map(function (p) {
          return html`<label class="check" key=${p.person_id}><input type="checkbox" checked=${!!onward[0][p.person_id]}
            onChange=${function (e) { var o = Object.assign({}, onward[0]); o[p.person_id] = e.target.checked; onward[1](o); }} />
            <${MvName} p=${p} /></label>`;
        })}</div></fieldset>` : null}` : null}
    <div class="actions">
      <button type="submit" class=${step === 'cancel' ? 'danger' : ''} disabled=${busy[0]}>${t('mv.step.' + step + '_submit')}</button>
      <button type="button" class="secondary" onClick=${function () { open[1](false); res[1](null); }}>${t('common.cancel')}</button>
    </div>
  </form>`;
}

/* The steps this user may take now: those the movement's status allows
 * (its "steps"), for a user who may plan movements. */
function mvSteps(m) {
  return may('movement.manage') ? (m.steps || []) : [];
}

/* A passenger's name in both scripts: as written (Arabic when recorded)
 * and the Latin form. */
function MvName(props) {
  var p = props.p;
  return html`<${PersonName} person=${{ name: p.name_ar || p.name, name_latin: p.name_ar ? p.name : p.name_latin }} />`;
}

function Legs(props) {
  var legs = props.m.legs || [];
  return html`<table class="list mv-legs-table">
    <caption class="sr-only">${t('mv.legs')}</caption>
    <thead><tr><th scope="col">#</th><th scope="col">${t('mv.route')}</th><th scope="col">${t('mv.leg.number')}</th>
      <th scope="col">${t('mv.leg.departs_at')}</th><th scope="col">${t('mv.leg.arrives_at')}</th></tr></thead>
    <tbody>${legs.map(function (l, i) {
      return html`<tr key=${i}><td data-label="#">${fmtNum(i + 1)}</td>
        <td data-label=${t('mv.route')}><bdi dir="ltr">${l.from} → ${l.to}</bdi></td>
        <td data-label=${t('mv.leg.number')}><bdi>${l.number || ''}</bdi></td>
        <td data-label=${t('mv.leg.departs_at')}>${fmtLocal(l.departs_at, l.departs_tz)}</td>
        <td data-label=${t('mv.leg.arrives_at')}>${fmtLocal(l.arrives_at, l.arrives_tz)}</td></tr>`;
    })}</tbody></table>`;
}

/* The edit of an open movement (PATCH, If-Match). */
function EditMovement(props) {
  var m = props.m;
  var v = useState({ reference: m.reference || '', carrier: m.carrier || '', capacity: String(m.capacity) });
  var legs = useState((m.legs || []).map(function (l) {
    return { from: l.from, to: l.to, number: l.number || '', departs_at: (l.departs_at || '').slice(0, 16),
      departs_tz: l.departs_tz || '', arrives_at: (l.arrives_at || '').slice(0, 16), arrives_tz: l.arrives_tz || '' };
  }));
  var res = useState(null), busy = useState(false);
  var alertRef = useRef(null);
  var val = v[0];
  function set(k) { return function (e) { var o = Object.assign({}, val); o[k] = e.target.value; v[1](o); }; }
  async function submit(e) {
    e.preventDefault();
    busy[1](true);
    var body = { reference: val.reference.trim(), carrier: val.carrier.trim() || null,
      capacity: val.capacity === '' ? null : Number(val.capacity), legs: legsBody(legs[0]) };
    var r = await api('PATCH', '/movements/' + m.id, body, { ifMatch: m.version });
    busy[1](false);
    if (r.ok) { props.done(); return; }
    res[1](r);
    setTimeout(function () { if (alertRef.current) alertRef.current.focus(); }, 0);
  }
  var r = res[0], errs = r ? errorMap(r) : {};
  return html`<form class="card form mv-edit" onSubmit=${submit} noValidate aria-labelledby="mv-edit-title">
    <h2 id="mv-edit-title">${t('mv.edit')}</h2>
    ${r ? (r.status === 412 ? html`<${Conflict} reload=${props.reload} focusRef=${alertRef} />`
      : html`<${MvProblem} r=${r} focusRef=${alertRef} />`) : null}
    <div class="grid">
      <${MvField} path="reference" errs=${errs} required label=${t('mv.reference')}>${function (id, aria) {
        return html`<input id=${id} value=${val.reference} dir="auto" ...${aria} onInput=${set('reference')} />`;
      }}</${MvField}>
      <${MvField} path="carrier" errs=${errs} label=${t('mv.carrier')}>${function (id, aria) {
        return html`<input id=${id} value=${val.carrier} dir="auto" ...${aria} onInput=${set('carrier')} />`;
      }}</${MvField}>
      <${MvField} path="capacity" errs=${errs} required label=${t('mv.capacity')}
        hint=${t('mv.capacity_hint', { n: fmtNum(m.seats_taken || 0) })}>${function (id, aria) {
        return html`<input id=${id} type="number" min="1" value=${val.capacity} ...${aria} onInput=${set('capacity')} />`;
      }}</${MvField}>
    </div>
    <${LegsEditor} legs=${legs[0]} errs=${errs} air=${m.type === 'charter' || m.type === 'scheduled_flight'} onChange=${legs[1]} />
    <p class="hint">${t('mv.edit_hint')}</p>
    <div class="actions">
      <button type="submit" disabled=${busy[0]}>${t('common.save')}</button>
      <button type="button" class="secondary" onClick=${props.cancel}>${t('common.cancel')}</button>
    </div>
  </form>`;
}

function MovementPage(props) {
  var d = useLoad(function () { return loadMovement(props.id); }, [props.id]);
  var editing = useState(false);
  var data = d[0];
  if (!data) {
    return html`<main id="main"><h1 tabindex="-1">${t('mv.one')}</h1><${Status} loading=${d[3]} error=${d[1]} /></main>`;
  }
  var m = data.m, reload = d[2];
  var steps = mvSteps(m);
  var open = !!m.open;
  return html`<main id="main" class="movement-page">
    <p class="crumbs"><${Link} href="/movements">${t('mv.title')}</${Link}></p>
    <div class="case-head">
      <h1 tabindex="-1"><bdi>${mvTitle(m)}</bdi> ${mvStatus(m.status)}</h1>
      <p class="lead">${t('mv.type.' + m.type)}${m.carrier ? html` · <bdi>${m.carrier}</bdi>` : null}${' · '}<bdi dir="ltr">${mvRoute(m)}</bdi> · <${Seats} m=${m} /></p>
      ${m.cancel_reason ? html`<p class="alert stopped" role="status">${colon(t('mv.cancelled_because'))}<bdi>${m.cancel_reason}</bdi></p>` : null}
      ${d[3] ? html`<p class="muted" role="status">${t('common.loading')}</p>` : null}
      ${d[1] ? html`<p class="alert" role="alert">${d[1]}</p>` : null}
    </div>
    <dl class="kv summary mv-facts">
      <div><dt>${t('mv.office')}</dt><dd><bdi>${officeName(m.office)}</bdi></dd></div>
      <div><dt>${t('mv.receiving_office')}</dt><dd><bdi>${officeName(m.receiving_office)}</bdi></dd></div>
      <div><dt>${t('mv.departs')}</dt><dd>${fmtDateTime(m.departs_at)}</dd></div>
      <div><dt>${t('mv.arrives')}</dt><dd>${fmtDateTime(m.arrives_at)}</dd></div>
      <div><dt>${t('mv.capacity')}</dt><dd><${Seats} m=${m} /></dd></div>
    </dl>
    ${steps.length || may('movement.manifest') ? html`<section class="mv-steps" aria-labelledby="sec-mv-steps">
      <h2 id="sec-mv-steps" class="sr-only">${t('mv.steps')}</h2>
      <div class="mv-step-row">
        ${steps.map(function (s) { return html`<${MvStep} key=${s + m.version} step=${s} m=${m} onward=${data.onward} reload=${reload} />`; })}
        ${may('movement.manifest') ? html`<div class="mv-step"><${Link} class="button secondary" href=${'/movements/' + m.id + '/manifest'}>
          ${t('mv.manifest')}</${Link}></div>` : null}
      </div></section>` : null}
    <section aria-labelledby="sec-mv-legs">
      <div class="page-head"><h2 id="sec-mv-legs">${t('mv.legs')}</h2>
        ${open && may('movement.manage') && !editing[0] ? html`<button type="button" class="secondary small"
          onClick=${function () { editing[1](true); }}>${t('common.edit')}</button>` : null}</div>
      ${editing[0] ? html`<${EditMovement} m=${m} reload=${reload} cancel=${function () { editing[1](false); }}
          done=${function () { editing[1](false); reload(); }} />` : html`<${Legs} m=${m} />`}
    </section>
    <${Board} m=${m} onward=${data.onward} allowances=${data.allowances} board=${data.board} boardError=${data.boardError} escorts=${data.escorts} reload=${reload} />
    <div class="mv-care">
      <${Escorts} key=${'e' + m.version} m=${m} escorts=${data.escorts} board=${data.board} reload=${reload} />
      <${Assistance} key=${'a' + m.version} m=${m} items=${data.assistance} reload=${reload} />
    </div>
  </main>`;
}
