/*
 * movements.js — the list of movements (/movements) and the form of a new
 * movement with its legs; the helpers the movement pages share
 * (movementpage.js, movementboard.js, movementcare.js, manifest.js).
 *
 * A movement is a trip (charter, scheduled flight, land or sea) from a
 * sending office to a receiving office, its legs in order (TMR → ALG →
 * BKO). The list (GET /movements?status=&office=) is sorted by departure,
 * its filters kept in the address (/movements?status=planned) like the case
 * list's. Those who plan movements (movement.manage) get "New movement":
 * type, reference, carrier, seats, the two offices and one or more legs,
 * each with its local departure and arrival times and their IANA time
 * zones (the server turns them into UTC and checks that the legs chain and
 * arrive after they depart). A time zone is typed with a list to choose
 * from (the browser's own list of zones, Intl.supportedValuesOf); a leg
 * after the first starts where the previous one arrives, in its zone.
 * Every refusal lands on its field (errors[].field such as
 * legs[1].departs_tz); POST carries an Idempotency-Key made when the form
 * opens, so a retry never creates two movements.
 */
/* zones offered first: the offices' countries and the usual transits */
var MV_ZONES = ['Africa/Algiers', 'Africa/Bamako', 'Africa/Cairo', 'Africa/Khartoum', 'Africa/Conakry',
  'Africa/Ouagadougou', 'Africa/Niamey', 'Africa/Dakar', 'Africa/Abidjan', 'Africa/Lagos', 'Africa/Tunis',
  'Africa/Casablanca', 'Africa/Tripoli', 'Africa/Addis_Ababa', 'Europe/Paris', 'Europe/Istanbul', 'Asia/Dubai'];

function mvStatus(s) { return html`<span class=${'stage mv-status mv-' + s}>${t('mv.status.' + s)}</span>`; }

/* "TMR → ALG → BKO" from the legs (codes in Latin letters: shown left to
 * right in every language, inside <bdi dir="ltr">). */
function mvRoute(m) {
  var legs = m.legs || [];
  if (!legs.length) return '';
  var stops = [legs[0].from].concat(legs.map(function (l) { return l.to; }));
  return stops.join(' → ');
}

/* An arrow between two words of the page: it points the way the page
 * reads (an arrow is not mirrored right to left). */
function mvArrow() { return S.lang === 'ar' ? ' ← ' : ' → '; }

/* A movement's name for headings: its reference, else its type and route. */
function mvTitle(m) {
  return m.reference || (t('mv.type.' + m.type) + ' ' + mvRoute(m));
}

/* A leg's local time "2026-12-20T06:30" as written at that place, with its
 * zone: "20 Dec 2026, 06:30 (Africa/Algiers)". */
function fmtLocal(s, tz) {
  if (!s) return '';
  var m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(s);
  if (!m) return s;
  var d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]));
  var f = cached('mvlocal', function () {
    return new Intl.DateTimeFormat(numLocale(), { timeZone: 'UTC', dateStyle: 'medium', timeStyle: 'short' });
  });
  return f.format(d) + (tz ? ' (' + tz + ')' : '');
}

/* "152 of 150 seats", marked when over. */
function Seats(props) {
  var m = props.m, taken = m.seats_taken || 0;
  return html`<span class=${'seats' + (taken > m.capacity ? ' over' : '')}>${t('mv.seats', {
    taken: fmtNum(taken), capacity: fmtNum(m.capacity) })}</span>`;
}

/* The text of a blocker: the server's sentence (in the interface language,
 * src/text/messages.c), else the requirement's translated name. */
function blockerText(b, name) {
  if (b.message) return b.message;
  return S.dict['req.' + b.code] != null ? t('req.' + b.code, { person: name || '' }) : b.code;
}

function Blockers(props) {
  var list = props.list || [];
  if (!list.length) return null;
  return html`<ul class="reqs mv-blockers">${list.map(function (b, i) {
    return html`<li class="unmet" key=${i} data-code=${b.code}><span class="icon" aria-hidden="true">✗</span>
      <span class="sr-only">${colon(t('ready.unmet'))}</span><span>${blockerText(b, props.name)}</span></li>`;
  })}</ul>`;
}

/* A problem's text and, under it, its errors[] (per person or per field). */
function MvProblem(props) {
  var r = props.r;
  if (!r || r.ok) return null;
  var errs = (r.data && r.data.errors) || [];
  return html`<div class="alert" role="alert" tabindex="-1" ref=${props.focusRef}>
    <p>${problemText(r)}</p>
    ${errs.length ? html`<ul>${errs.map(function (e, i) {
      return html`<li key=${i}>${e.name ? html`<bdi>${e.name}</bdi>${t('punct.colon')}` : null}${errText(e)}</li>`;
    })}</ul>` : null}
  </div>`;
}

/* ---- the form of a new movement ------------------------------------------ */

function newLeg(prev) {
  return { from: prev ? prev.to : '', to: '', number: prev ? prev.number : '',
    departs_at: '', departs_tz: prev ? prev.arrives_tz : '', arrives_at: '', arrives_tz: prev ? prev.arrives_tz : '' };
}

function ZoneList() {
  var all = [];
  try { all = Intl.supportedValuesOf('timeZone'); } catch (e) { all = []; }
  var list = MV_ZONES.concat(all.filter(function (z) { return MV_ZONES.indexOf(z) < 0; }));
  return html`<datalist id="mv-zones">${list.map(function (z) { return html`<option value=${z} key=${z} />`; })}</datalist>`;
}

/* One labelled control with its error (errors[].field = path). */
function MvField(props) {
  var id = fieldId('mv-' + props.path), err = props.errs[props.path];
  return html`<div class=${'field' + (err ? ' invalid' : '') + (props.cls ? ' ' + props.cls : '')}>
    <label for=${id}>${props.label}${props.required ? html`<span class="req" aria-hidden="true"> *</span>` : null}</label>
    ${props.children(id, err ? { 'aria-invalid': 'true', 'aria-describedby': id + '-err' } : {})}
    ${props.hint ? html`<p class="hint">${props.hint}</p>` : null}
    ${err ? html`<p class="err" id=${id + '-err'}>${err}</p>` : null}
  </div>`;
}

/* The legs of a movement as inputs; used by the new form and by the edit
 * of a planned or confirmed movement (movementpage.js). */
function LegsEditor(props) {
  var legs = props.legs, errs = props.errs, air = props.air;
  function set(i, k, v) {
    var next = legs.map(function (l, j) { return j === i ? Object.assign({}, l, { [k]: v }) : l; });
    props.onChange(next);
  }
  function inp(i, k, type, extra) {
    return function (id, aria) {
      return html`<input id=${id} type=${type || 'text'} value=${legs[i][k]} ...${aria} ...${extra || {}}
        onInput=${function (e) { set(i, k, k === 'from' || k === 'to' ? e.target.value.toUpperCase() : e.target.value); }} />`;
    };
  }
  var code = air ? { maxLength: 3, pattern: '[A-Za-z]{3}', autocomplete: 'off', dir: 'ltr' } : { dir: 'auto' };
  var zone = { list: 'mv-zones', autocomplete: 'off', dir: 'ltr', placeholder: 'Africa/Algiers' };
  return html`<fieldset class="mv-legs"><legend>${t('mv.legs')}</legend>
    <${ZoneList} />
    ${errs.legs ? html`<p class="err">${errs.legs}</p>` : null}
    <ol class="leg-list">${legs.map(function (l, i) {
      var p = 'legs[' + i + '].';
      return html`<li class="leg-edit" key=${i}>
        <div class="leg-head"><strong>${t('mv.leg_n', { n: fmtNum(i + 1) })}</strong>
          ${legs.length > 1 ? html`<button type="button" class="link small" onClick=${function () {
            props.onChange(legs.filter(function (x, j) { return j !== i; }));
          }}>${t('mv.leg_remove')}<span class="sr-only"> ${fmtNum(i + 1)}</span></button>` : null}</div>
        <div class="grid leg-grid">
          <${MvField} path=${p + 'from'} errs=${errs} required label=${t(air ? 'mv.leg.from_airport' : 'mv.leg.from')}
            hint=${air ? t('mv.leg.airport_hint') : null}>${inp(i, 'from', 'text', code)}</${MvField}>
          <${MvField} path=${p + 'to'} errs=${errs} required label=${t(air ? 'mv.leg.to_airport' : 'mv.leg.to')}>${inp(i, 'to', 'text', code)}</${MvField}>
          <${MvField} path=${p + 'number'} errs=${errs} label=${t('mv.leg.number')}>${inp(i, 'number', 'text', { dir: 'ltr' })}</${MvField}>
          <${MvField} path=${p + 'departs_at'} errs=${errs} required label=${t('mv.leg.departs_at')}
            hint=${t('mv.leg.local_hint')}>${inp(i, 'departs_at', 'datetime-local')}</${MvField}>
          <${MvField} path=${p + 'departs_tz'} errs=${errs} required label=${t('mv.leg.departs_tz')}>${inp(i, 'departs_tz', 'text', zone)}</${MvField}>
          <${MvField} path=${p + 'arrives_at'} errs=${errs} required label=${t('mv.leg.arrives_at')}>${inp(i, 'arrives_at', 'datetime-local')}</${MvField}>
          <${MvField} path=${p + 'arrives_tz'} errs=${errs} required label=${t('mv.leg.arrives_tz')}>${inp(i, 'arrives_tz', 'text', zone)}</${MvField}>
        </div></li>`;
    })}</ol>
    <button type="button" class="secondary small" onClick=${function () {
      props.onChange(legs.concat([newLeg(legs[legs.length - 1])]));
    }}>${t('mv.leg_add')}</button>
  </fieldset>`;
}

/* The legs as the API takes them (empty number left out). */
function legsBody(legs) {
  return legs.map(function (l) {
    var o = { from: l.from.trim(), to: l.to.trim(), departs_at: l.departs_at, departs_tz: l.departs_tz.trim(),
      arrives_at: l.arrives_at, arrives_tz: l.arrives_tz.trim() };
    if (l.number && l.number.trim()) o.number = l.number.trim();
    return o;
  });
}

function NewMovement(props) {
  var mine = myOffices();
  var v = useState({ type: 'charter', reference: '', carrier: '', capacity: '', office: mine.length === 1 ? mine[0].code : '',
    receiving_office: '' });
  var legs = useState([newLeg(null)]);
  var res = useState(null), busy = useState(false);
  var idem = useRef(randomKey());
  var alertRef = useRef(null);
  var val = v[0];
  function set(k) { return function (e) { var o = Object.assign({}, val); o[k] = e.target.value; v[1](o); }; }
  async function submit(e) {
    e.preventDefault();
    busy[1](true);
    var body = { type: val.type, reference: val.reference.trim(), carrier: val.carrier.trim(),
      capacity: val.capacity === '' ? null : Number(val.capacity), office: val.office,
      receiving_office: val.receiving_office, legs: legsBody(legs[0]) };
    if (!body.carrier) delete body.carrier;
    var r = await api('POST', '/movements', body, { idem: idem.current });
    busy[1](false);
    if (r.ok && r.data && r.data.id) { navigate('/movements/' + r.data.id); return; }
    res[1](r);
    setTimeout(function () { if (alertRef.current) alertRef.current.focus(); }, 0);
  }
  var errs = res[0] ? errorMap(res[0]) : {};
  var air = val.type === 'charter' || val.type === 'scheduled_flight';
  function sel(id, aria, k, choices) {
    return html`<select id=${id} required value=${val[k]} ...${aria} onChange=${set(k)}>
      <option value="">${t('common.choose')}</option>
      ${choices.map(function (c) { return html`<option value=${c.value} key=${c.value}>${c.label}</option>`; })}</select>`;
  }
  return html`<form class="card form mv-new" onSubmit=${submit} noValidate aria-labelledby="mv-new-title">
    <h2 id="mv-new-title">${t('mv.new')}</h2>
    ${res[0] ? html`<${MvProblem} r=${res[0]} focusRef=${alertRef} />` : null}
    <div class="grid">
      <${MvField} path="type" errs=${errs} required label=${t('mv.type')}>${function (id, aria) {
        return html`<select id=${id} value=${val.type} ...${aria} onChange=${set('type')}>
          ${schemaList('movement_types').map(function (x) { return html`<option value=${x} key=${x}>${t('mv.type.' + x)}</option>`; })}</select>`;
      }}</${MvField}>
      <${MvField} path="reference" errs=${errs} required label=${t('mv.reference')} hint=${t('mv.reference_hint')}>${function (id, aria) {
        return html`<input id=${id} value=${val.reference} dir="auto" ...${aria} onInput=${set('reference')} />`;
      }}</${MvField}>
      <${MvField} path="carrier" errs=${errs} label=${t('mv.carrier')}>${function (id, aria) {
        return html`<input id=${id} value=${val.carrier} dir="auto" ...${aria} onInput=${set('carrier')} />`;
      }}</${MvField}>
      <${MvField} path="capacity" errs=${errs} required label=${t('mv.capacity')}>${function (id, aria) {
        return html`<input id=${id} type="number" min="1" inputmode="numeric" value=${val.capacity} ...${aria} onInput=${set('capacity')} />`;
      }}</${MvField}>
      <${MvField} path="office" errs=${errs} required label=${t('mv.office')}>${function (id, aria) {
        return sel(id, aria, 'office', mine.map(officeChoice));
      }}</${MvField}>
      <${MvField} path="receiving_office" errs=${errs} required label=${t('mv.receiving_office')}>${function (id, aria) {
        return sel(id, aria, 'receiving_office', S.offices.filter(function (o) { return o.code !== val.office; }).map(officeChoice));
      }}</${MvField}>
    </div>
    <${LegsEditor} legs=${legs[0]} errs=${errs} air=${air} onChange=${legs[1]} />
    <div class="actions">
      <button type="submit" disabled=${busy[0]}>${t('mv.create')}</button>
      <button type="button" class="secondary" onClick=${props.close}>${t('common.cancel')}</button>
    </div>
  </form>`;
}

/* ---- the list ---------------------------------------------------------------- */

function MovementListPage() {
  var q = query();
  var creating = useState(q.new === '1');
  var d = useLoad(function () {
    return api('GET', '/movements' + qs({ status: q.status, office: q.office })).then(must);
  }, [q.status, q.office]);
  var items = d[0] ? (d[0].items || d[0]).slice() : null;
  if (items) items.sort(function (a, b) { return String(a.departs_at || '').localeCompare(String(b.departs_at || '')); });
  function go(change) { navigate('/movements' + qs(Object.assign({}, q, change))); }
  return html`<main id="main" class="movements">
    <div class="page-head"><h1 tabindex="-1">${t('mv.title')}</h1>
      ${may('movement.manage') && !creating[0] ? html`<div class="actions"><button type="button"
        onClick=${function () { creating[1](true); }}>${t('mv.new')}</button></div>` : null}</div>
    ${creating[0] ? html`<${NewMovement} close=${function () { creating[1](false); }} />` : null}
    <form class="card filters" aria-label=${t('mv.filters')} onSubmit=${function (e) { e.preventDefault(); }}>
      <div class="field"><label for="mv-status">${t('mv.status')}</label>
        <select id="mv-status" value=${q.status || ''} onChange=${function (e) { go({ status: e.target.value }); }}>
          <option value="">${t('common.all')}</option>
          ${schemaList('movement_statuses').map(function (s) { return html`<option value=${s} key=${s}>${t('mv.status.' + s)}</option>`; })}
        </select></div>
      <div class="field"><label for="mv-office">${t('case.office')}</label>
        <select id="mv-office" value=${q.office || ''} onChange=${function (e) { go({ office: e.target.value }); }}>
          <option value="">${t('common.all')}</option>
          ${S.offices.map(function (o) { return html`<option value=${o.code} key=${o.code}>${officeName(o.code)}</option>`; })}
        </select></div>
    </form>
    <${Status} loading=${d[3]} error=${d[1]} />
    ${items ? (items.length ? html`<table class="list mv-list">
      <caption class="sr-only">${t('mv.title')}</caption>
      <thead><tr><th scope="col">${t('mv.departs')}</th><th scope="col">${t('mv.reference')}</th>
        <th scope="col">${t('mv.route')}</th><th scope="col">${t('mv.type')}</th><th scope="col">${t('mv.status')}</th>
        <th scope="col">${t('mv.seats_col')}</th><th scope="col">${t('mv.offices')}</th></tr></thead>
      <tbody>${items.map(function (m) {
        return html`<tr key=${m.id}>
          <td data-label=${t('mv.departs')}>${fmtDateTime(m.departs_at)}</td>
          <td data-label=${t('mv.reference')}><${Link} href=${'/movements/' + m.id}><bdi>${m.reference || t('mv.type.' + m.type)}</bdi></${Link}></td>
          <td data-label=${t('mv.route')}><bdi dir="ltr">${mvRoute(m)}</bdi></td>
          <td data-label=${t('mv.type')}>${t('mv.type.' + m.type)}${m.carrier ? html` · <bdi>${m.carrier}</bdi>` : null}</td>
          <td data-label=${t('mv.status')}>${mvStatus(m.status)}</td>
          <td data-label=${t('mv.seats_col')}><${Seats} m=${m} /></td>
          <td data-label=${t('mv.offices')}><bdi>${m.office}</bdi>${mvArrow()}<bdi>${m.receiving_office}</bdi></td>
        </tr>`;
      })}</tbody></table>` : html`<p class="card">${t('mv.none')}</p>`) : null}
  </main>`;
}
