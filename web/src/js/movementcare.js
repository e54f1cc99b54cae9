/*
 * movementcare.js — the escorts and the airport assistance of a movement
 * (movement page, beside the planning board).
 *
 * Escorts (GET/POST …/escorts, DELETE …/escorts/{id}): medical or
 * operational, a member of staff of the sending office (chosen from GET
 * /offices/{code}/staff, sent as the username) or an external person
 * (name and organisation), assigned to the passengers they accompany. An
 * escort takes a seat; the server refuses one on a full movement, and the
 * form's Idempotency-Key (made when it opens) keeps a retry to one seat. The
 * board's movement-level blockers (a passenger who needs a medical
 * escort, a child travelling alone) are repeated here so the planner sees
 * whom to assign.
 *
 * Airport assistance (GET/POST …/assistance, PATCH …/assistance/{id}): per
 * leg and point (departure, transit, arrival), a meeting point, a member
 * of staff or a partner organisation, and a status (requested, confirmed,
 * done, cancelled) changed in place (PATCH with the version read).
 *
 * Only users who may plan movements (movement.manage) get the forms: the
 * escorts' while the movement is open (its "open", from the server), the
 * airport assistance's while its "care" says so (until it is cancelled).
 */
/* Who an escort is: a staff member's full name (the server gives it as
 * name, with the user name), or an external escort's name and
 * organisation. */
function escortWho(x) {
  return (x.name || x.user || '') + (x.organisation ? ' (' + x.organisation + ')' : '');
}

/* The passengers an escort accompanies, by name (accompanies[], else the
 * movement's passengers by id). */
function escortPassengers(x, m) {
  if (x.accompanies) return x.accompanies.map(function (a) { return a.name_latin && a.name_latin !== a.name ? a.name + ' (' + a.name_latin + ')' : a.name; });
  return (x.passengers || []).map(function (pid) {
    var p = (m.passengers || []).filter(function (q) { return q.person_id === pid; })[0];
    return p ? p.name : pid;
  });
}

function NewEscort(props) {
  var m = props.m;
  var v = useState({ kind: 'medical', who: 'staff', user: '', name: '', organisation: '', passengers: [] });
  var res = useState(null), busy = useState(false);
  var alertRef = useRef(null);
  var idem = useRef(randomKey());
  var val = v[0];
  function set(k, x) { var o = Object.assign({}, val); o[k] = x; v[1](o); }
  var staff = staffOf(m.office);
  var booked = (m.passengers || []).filter(function (p) { return p.status === 'booked'; });
  async function submit(e) {
    e.preventDefault();
    busy[1](true);
    var body = { kind: val.kind, passengers: val.passengers };
    if (val.who === 'staff') body.user = val.user;
    else { body.name = val.name.trim(); body.organisation = val.organisation.trim(); }
    var r = await api('POST', '/movements/' + m.id + '/escorts', body, { idem: idem.current });
    busy[1](false);
    if (r.ok) { props.done(); return; }
    res[1](r);
    setTimeout(function () { if (alertRef.current) alertRef.current.focus(); }, 0);
  }
  var errs = res[0] ? errorMap(res[0]) : {};
  return html`<form class="card form mv-escort-new" onSubmit=${submit} noValidate aria-labelledby="mv-escort-new-t">
    <h4 id="mv-escort-new-t">${t('mv.escort.add')}</h4>
    ${res[0] ? html`<${MvProblem} r=${res[0]} focusRef=${alertRef} />` : null}
    <div class="grid">
      <${MvField} path="kind" errs=${errs} required label=${t('mv.escort.kind')}>${function (id, aria) {
        return html`<select id=${id} value=${val.kind} ...${aria} onChange=${function (e) { set('kind', e.target.value); }}>
          ${schemaList('movement_care', 'escort_kinds').map(function (k) { return html`<option value=${k} key=${k}>${t('mv.escort.' + k)}</option>`; })}</select>`;
      }}</${MvField}>
      <fieldset class="field"><legend>${t('mv.escort.who')}</legend><div class="checks">
        ${['staff', 'external'].map(function (w) {
          return html`<label class="check" key=${w}><input type="radio" name="mv-escort-who" checked=${val.who === w}
            onChange=${function () { set('who', w); }} /> ${t('mv.escort.' + w)}</label>`;
        })}</div></fieldset>
      ${val.who === 'staff' ? html`<${MvField} path="user" errs=${errs} required label=${t('mv.escort.user')}>${function (id, aria) {
        return html`<select id=${id} value=${val.user} ...${aria} onChange=${function (e) { set('user', e.target.value); }}>
          <option value="">${staff.loading ? t('common.loading') : t('common.choose')}</option>
          ${(staff.items || []).map(function (u) {
            return html`<option value=${u.username} key=${u.username}>${u.full_name || u.username}</option>`;
          })}</select>`;
      }}</${MvField}>` : html`
        <${MvField} path="name" errs=${errs} required label=${t('mv.escort.name')}>${function (id, aria) {
          return html`<input id=${id} dir="auto" value=${val.name} ...${aria} onInput=${function (e) { set('name', e.target.value); }} />`;
        }}</${MvField}>
        <${MvField} path="organisation" errs=${errs} required label=${t('mv.escort.organisation')}>${function (id, aria) {
          return html`<input id=${id} dir="auto" value=${val.organisation} ...${aria} onInput=${function (e) { set('organisation', e.target.value); }} />`;
        }}</${MvField}>`}
    </div>
    <fieldset class=${'field' + (errs.passengers ? ' invalid' : '')}><legend>${t('mv.escort.passengers')}</legend>
      ${booked.length ? html`<div class="checks">${booked.map(function (p) {
        var on = val.passengers.indexOf(p.person_id) >= 0;
        return html`<label class="check" key=${p.person_id}><input type="checkbox" checked=${on} onChange=${function (e) {
          set('passengers', e.target.checked ? val.passengers.concat([p.person_id])
            : val.passengers.filter(function (x) { return x !== p.person_id; }));
        }} /> <${MvName} p=${p} /></label>`;
      })}</div>` : html`<p class="muted">${t('mv.board.empty')}</p>`}
      ${errs.passengers ? html`<p class="err">${errs.passengers}</p>` : null}
    </fieldset>
    <div class="actions">
      <button type="submit" disabled=${busy[0]}>${t('mv.escort.submit')}</button>
      <button type="button" class="secondary" onClick=${props.cancel}>${t('common.cancel')}</button>
    </div>
  </form>`;
}

function Escorts(props) {
  var m = props.m, items = props.escorts || [];
  var adding = useState(false), res = useState(null);
  var plan = may('movement.manage') && !!m.open;
  var needed = props.board ? (props.board.blockers || []).filter(function (b) { return /^escort\./.test(b.code); }) : [];
  async function remove(x) {
    var r = await api('DELETE', '/movements/' + m.id + '/escorts/' + x.id);
    res[1](r.ok ? null : r);
    if (r.ok) props.reload();
  }
  return html`<section class="mv-escorts" aria-labelledby="sec-mv-escorts">
    <div class="page-head"><h2 id="sec-mv-escorts">${t('mv.escort.title')}</h2>
      ${plan && !adding[0] ? html`<button type="button" class="secondary small" onClick=${function () { adding[1](true); }}>
        ${t('mv.escort.add')}</button>` : null}</div>
    ${needed.length ? html`<div class="warnings mv-escort-needed"><p>${t('mv.escort.needed')}</p><${Blockers} list=${needed} /></div>` : null}
    ${adding[0] ? html`<${NewEscort} m=${m} cancel=${function () { adding[1](false); }}
      done=${function () { adding[1](false); props.reload(); }} />` : null}
    ${res[0] ? html`<${MvProblem} r=${res[0]} />` : null}
    ${items.length ? html`<ul class="lines">${items.map(function (x) {
      return html`<li key=${x.id} class="mv-escort"><strong>${t('mv.escort.' + x.kind)}</strong> — <bdi>${escortWho(x)}</bdi>
        ${x.user ? html` <span class="tag">${t('mv.escort.staff')}</span>` : null}
        <div class="muted">${colon(t('mv.escort.passengers'))}${escortPassengers(x, m).length
          ? listOf(escortPassengers(x, m)) : '—'}</div>
        ${plan ? html`<button type="button" class="link small" onClick=${function () { remove(x); }}>
          ${t('common.remove')}<span class="sr-only"> — ${escortWho(x)}</span></button>` : null}</li>`;
    })}</ul>` : html`<p class="muted">${t('mv.escort.none')}</p>`}
  </section>`;
}

/* A member of staff's full name from the office's staff list, else the
 * user name. */
function staffName(office, username) {
  if (!username) return '';
  var u = (staffOf(office).items || []).filter(function (s) { return s.username === username; })[0];
  return (u && u.full_name) || username;
}

function legLabel(m, i) {
  var l = (m.legs || [])[i];
  return l ? t('mv.leg_n', { n: fmtNum(i + 1) }) + ' — ' + l.from + ' → ' + l.to : String(i);
}

function NewAssistance(props) {
  var m = props.m;
  var v = useState({ leg: '0', point: 'departure', meeting_point: '', by: 'staff', user: '', partner: '', status: 'requested' });
  var res = useState(null), busy = useState(false);
  var alertRef = useRef(null);
  var val = v[0];
  function set(k) { return function (e) { var o = Object.assign({}, val); o[k] = e.target.value; v[1](o); }; }
  var staff = staffOf(m.office);
  async function submit(e) {
    e.preventDefault();
    busy[1](true);
    var body = { leg: Number(val.leg), point: val.point, meeting_point: val.meeting_point.trim(), status: val.status };
    if (val.by === 'staff') body.user = val.user; else body.partner = val.partner;
    var r = await api('POST', '/movements/' + m.id + '/assistance', body);
    busy[1](false);
    if (r.ok) { props.done(); return; }
    res[1](r);
    setTimeout(function () { if (alertRef.current) alertRef.current.focus(); }, 0);
  }
  var errs = res[0] ? errorMap(res[0]) : {};
  function sel(k, choices) {
    return function (id, aria) {
      return html`<select id=${id} value=${val[k]} ...${aria} onChange=${set(k)}>
        ${choices.map(function (c) { return html`<option value=${c.value} key=${c.value}>${c.label}</option>`; })}</select>`;
    };
  }
  return html`<form class="card form mv-aid-new" onSubmit=${submit} noValidate aria-labelledby="mv-aid-new-t">
    <h4 id="mv-aid-new-t">${t('mv.aid.add')}</h4>
    ${res[0] ? html`<${MvProblem} r=${res[0]} focusRef=${alertRef} />` : null}
    <div class="grid">
      <${MvField} path="leg" errs=${errs} required label=${t('mv.aid.leg')}>${sel('leg', (m.legs || []).map(function (l, i) {
        return { value: String(i), label: legLabel(m, i) };
      }))}</${MvField}>
      <${MvField} path="point" errs=${errs} required label=${t('mv.aid.point')}>${sel('point', schemaList('movement_care', 'assistance_points').map(function (x) {
        return { value: x, label: t('mv.point.' + x) };
      }))}</${MvField}>
      <${MvField} path="meeting_point" errs=${errs} required label=${t('mv.aid.meeting_point')}>${function (id, aria) {
        return html`<input id=${id} dir="auto" value=${val.meeting_point} ...${aria} onInput=${set('meeting_point')} />`;
      }}</${MvField}>
      <${MvField} path="by" errs=${errs} label=${t('mv.aid.by')}>${sel('by', [
        { value: 'staff', label: t('mv.escort.staff') }, { value: 'partner', label: t('mv.aid.partner') }])}</${MvField}>
      ${val.by === 'staff' ? html`<${MvField} path="user" errs=${errs} required label=${t('mv.escort.user')}>${sel('user',
        [{ value: '', label: t('common.choose') }].concat((staff.items || []).map(function (u) {
          return { value: u.username, label: u.full_name || u.username };
        })))}</${MvField}>`
      : html`<${MvField} path="partner" errs=${errs} required label=${t('mv.aid.partner')}>${sel('partner',
        [{ value: '', label: t('common.choose') }].concat(partnerChoices()))}</${MvField}>`}
      <${MvField} path="status" errs=${errs} label=${t('mv.aid.status')}>${sel('status', schemaList('movement_care', 'assistance_statuses').map(function (x) {
        return { value: x, label: t('mv.aid.status.' + x) };
      }))}</${MvField}>
    </div>
    <div class="actions">
      <button type="submit" disabled=${busy[0]}>${t('mv.aid.submit')}</button>
      <button type="button" class="secondary" onClick=${props.cancel}>${t('common.cancel')}</button>
    </div>
  </form>`;
}

function Assistance(props) {
  var m = props.m, items = props.items || [];
  var adding = useState(false), res = useState(null);
  var plan = may('movement.manage') && !!(m.care && m.care.assistance);
  async function setStatus(x, status) {
    var r = await api('PATCH', '/movements/' + m.id + '/assistance/' + x.id, { status: status },
      x.version != null ? { ifMatch: x.version } : {});
    res[1](r.ok ? null : r);
    props.reload();
  }
  return html`<section class="mv-aid" aria-labelledby="sec-mv-aid">
    <div class="page-head"><h2 id="sec-mv-aid">${t('mv.aid.title')}</h2>
      ${plan && !adding[0] ? html`<button type="button" class="secondary small" onClick=${function () { adding[1](true); }}>
        ${t('mv.aid.add')}</button>` : null}</div>
    ${adding[0] ? html`<${NewAssistance} m=${m} cancel=${function () { adding[1](false); }}
      done=${function () { adding[1](false); props.reload(); }} />` : null}
    ${res[0] ? html`<${MvProblem} r=${res[0]} />` : null}
    ${items.length ? html`<ul class="lines">${items.map(function (x) {
      var sid = 'mv-aid-status-' + x.id;
      var who = x.partner ? (x.partner.name || partnerName(x.partner) || '') : staffName(m.office, x.user);
      return html`<li key=${x.id} class="mv-aid-item"><strong><bdi dir="ltr">${legLabel(m, x.leg)}</bdi></strong>${' · ' + t('mv.point.' + x.point) + ' · '}<bdi>${x.meeting_point}</bdi>${who ? html` · <bdi>${who}</bdi>` : null}
        ${plan ? html`<span class="inline-field"><label for=${sid} class="sr-only">${t('mv.aid.status')}</label>
          <select id=${sid} value=${x.status} onChange=${function (e) { setStatus(x, e.target.value); }}>
            ${schemaList('movement_care', 'assistance_statuses').map(function (s) { return html`<option value=${s} key=${s}>${t('mv.aid.status.' + s)}</option>`; })}
          </select></span>` : html` · <span class="tag">${t('mv.aid.status.' + x.status)}</span>`}</li>`;
    })}</ul>` : html`<p class="muted">${t('mv.aid.none')}</p>`}
  </section>`;
}
