/*
 * casepage.js — one case: the household first (every member editable),
 * the readiness checklist with the steps this user may take, the records
 * of the journey grouped as the teams work (counselling and consent,
 * health, travel documents and procedures, child protection), each group
 * folded to one line until opened, then the summary (editable), the
 * hand-over and the timeline. On a phone that is also the order down the
 * page; on a wide screen the summary and timeline sit in a side column.
 *
 * Household: a member is corrected with the member's fields of the schema
 * (names in both scripts, documents, vulnerabilities…), sent as PATCH
 * /cases/{id} whose "members" names every other member by id only (so
 * they stay as they are); a new member (a newborn) is added the same way;
 * a member who left is removed with a reason (POST …/member-removals),
 * which the timeline keeps. Every change sends the version shown
 * (If-Match); a 412 says that someone else changed the case and offers to
 * reload. The protection concerns of a member (only for the roles whose
 * schema describes them) are a line of their own marked "protection",
 * which the protection role changes with a form of that one field.
 *
 * Data: GET /cases/{id} (with ETag = version), …/readiness, …/records,
 * …/events, read together; every change reloads them all, so the
 * checklist always shows what the server's guards see now.
 *
 * Readiness: GET …/readiness lists each step this case can take next with
 * every requirement, met or not, per person. The unmet ones are shown
 * first, in words from the translation files (req.<code>, with the
 * person's name); the met ones fold away. The steps forward are shown to
 * everyone (what is missing), the side steps (withdraw, hold…) only to the
 * roles that may take them. A step is taken with POST …/transitions; a
 * departure or an arrival says when it happened (a date-time input, sent
 * as UTC `at`); when the server refuses (409 requirements-unmet) its list
 * is shown in place, a 422 on `at` under the input.
 *
 * Hand-over: operations and programme managers name the office in the
 * destination country that receives the case (POST …/handover); the
 * summary shows it as the receiving office.
 *
 * Records are append-only: each section lists the records of its kinds
 * (newest first) and offers a form per kind the user may record
 * (schema.recordable), drawn from that kind's field table. Values sealed
 * for this user's role ("[sealed]": clinical detail for all but medical
 * staff, protection detail for all but protection staff) are never shown;
 * a note says that they exist. The health section's forms appear for the
 * medical role only.
 */
var SEALED = '[sealed]';
var SECTIONS = [
  ['counselling', ['counselling', 'consent', 'consent_withdrawal', 'reconfirmation', 'eligibility', 'restriction_approval']],
  ['health', ['health_assessment']],
  ['travel', ['travel_document', 'procedure', 'escort']],
  ['child', ['guardian', 'best_interests_assessment', 'best_interests_determination', 'child_views',
    'family_assessment', 'protection_officer', 'risk_assessment']],
];
var SIDE_STEPS = ['withdraw', 'hold', 'close', 'resume', 'reopen'];
var CLOSURE_REASONS = ['plan_completed', 'support_period_ended', 'withdrew', 'left_the_area',
  'lost_contact', 're_migrated', 'deceased', 'ineligible', 'other'];

/* SECTIONS, plus "other" for any record kind the server has that no
 * section names yet, so a new kind shows up without interface code. */
function sectionsFor(schema) {
  var named = [].concat.apply([], SECTIONS.map(function (s) { return s[1]; }));
  var rest = Object.keys(schema.records).filter(function (k) { return named.indexOf(k) < 0; });
  return rest.length ? SECTIONS.concat([['other', rest]]) : SECTIONS;
}

async function loadCase(id) {
  var r = await Promise.all([
    api('GET', '/cases/' + id),
    api('GET', '/cases/' + id + '/readiness'),
    api('GET', '/cases/' + id + '/records'),
    api('GET', '/cases/' + id + '/events'),
    loadPartners(), /* to name them in records, and to choose one */
  ]);
  var c = must(r[0]);
  var out = {
    c: c,
    ready: r[1].ok ? r[1].data : null,
    records: r[2].ok ? r[2].data.items : [],
    events: r[3].ok ? r[3].data.items : [],
    restrictions: [],
  };
  /* the restrictions on the destination: to choose one in an approval, or
   * to name the one an existing approval is about */
  if (S.schema && (S.schema.recordable.indexOf('restriction_approval') >= 0 ||
      out.records.some(function (x) { return x.kind === 'restriction_approval'; }))) {
    var rs = await api('GET', '/restrictions');
    if (rs.ok) out.restrictions = rs.data.items.filter(function (x) { return x.country === c.destination_country; });
  }
  return out;
}

function memberName(c, pid) {
  var m = (c.members || []).filter(function (x) { return x.person_id === pid; })[0];
  return m ? m.person : null;
}

function reqText(q) {
  var params = { person: q.person || '' };
  var key = 'req.' + q.code;
  if (/^procedure\./.test(q.code) && S.dict[key] == null) {
    key = 'req.procedure';
    params.type = tv(q.code.slice(10));
  }
  return S.dict[key] != null ? t(key, params) : q.message;
}

function Requirement(props) {
  var q = props.q;
  return html`<li class=${q.met ? 'met' : 'unmet'}>
    <span class="icon" aria-hidden="true">${q.met ? '✓' : '✗'}</span>
    <span class="sr-only">${colon(q.met ? t('ready.met') : t('ready.unmet'))}</span>
    <span>${reqText(q)}${q.person && reqText(q).indexOf(q.person) < 0 ? html` — <bdi>${q.person}</bdi>` : null}
    ${S.lang === 'en' && q.message !== reqText(q) ? html`<span class="muted detail"> (${q.message})</span>` : null}</span>
  </li>`;
}

/* One possible step: its requirements and, when allowed, its button. */
function Step(props) {
  var n = props.n, c = props.c;
  var rs = useState(null), result = rs[0], setResult = rs[1];
  var reason = useState('');
  var at = useState('');
  var busy = useState(false);
  var side = n.side != null ? n.side : SIDE_STEPS.indexOf(n.event) >= 0;
  var needsReason = n.event === 'withdraw' || n.event === 'hold' || n.event === 'close' ||
    (n.event === 'reopen' && stageIs(c.stage, 'ended'));
  var unmet = n.requirements.filter(function (q) { return !q.met; });
  var met = n.requirements.filter(function (q) { return q.met; });
  var rid = 'step-' + n.event + '-reason';
  var aid = 'step-' + n.event + '-at';
  async function take(e) {
    e.preventDefault();
    busy[1](true);
    var body = { event: n.event };
    if (needsReason) body.reason = reason[0];
    if (n.at && at[0]) body.at = localToUtc(at[0]);
    var r = await api('POST', '/cases/' + c.id + '/transitions', body);
    busy[1](false);
    setResult(r);
    if (r.ok) props.reload();
  }
  var refused = result && !result.ok ? result : null;
  var atErr = refused ? errorMap(refused).at : null;
  return html`<li class=${'step card' + (side ? ' side' : '') + (n.ready ? ' is-ready' : '')} data-step=${n.event}>
    <div class="step-head">
      <h3>${t('step.' + n.event)} <span class="arrow" aria-hidden="true">→</span> <${StageBadge} stage=${n.to} /></h3>
      ${n.requirements.length ? html`<span class=${'count ' + (unmet.length ? 'bad' : 'good')}>${
        unmet.length ? tn('ready.missing', unmet.length) : t('ready.all_met')}</span>` : null}
    </div>
    ${unmet.length ? html`<ul class="reqs unmet-list" aria-label=${t('ready.unmet_list')}>
      ${unmet.map(function (q, i) { return html`<${Requirement} key=${i} q=${q} />`; })}</ul>` : null}
    ${met.length ? html`<details><summary>${tn('ready.met_count', met.length)}</summary>
      <ul class="reqs">${met.map(function (q, i) { return html`<${Requirement} key=${i} q=${q} />`; })}</ul></details>` : null}
    ${n.allowed ? html`<form class="take" onSubmit=${take}>
      ${needsReason ? html`<div class="field"><label for=${rid}>${t('step.reason')}</label>
        ${n.event === 'close' ? html`<select id=${rid} required value=${reason[0]} onChange=${function (e) { reason[1](e.target.value); }}>
          <option value="">${t('common.choose')}</option>
          ${CLOSURE_REASONS.map(function (v) { return html`<option value=${v}>${tv(v)}</option>`; })}</select>`
        : html`<textarea id=${rid} required rows="2" value=${reason[0]} onInput=${function (e) { reason[1](e.target.value); }}></textarea>`}
      </div>` : null}
      ${n.at ? html`<div class=${'field' + (atErr ? ' invalid' : '')}><label for=${aid}>${t('step.at_' + n.event)}</label>
        <input id=${aid} type="datetime-local" required=${n.at === 'required'} value=${at[0]}
          aria-invalid=${atErr ? 'true' : undefined} aria-describedby=${atErr ? aid + '-err' : undefined}
          onInput=${function (e) { at[1](e.target.value); }} />
        ${atErr ? html`<p class="err" id=${aid + '-err'}>${atErr}</p>` : null}</div>` : null}
      <button type="submit" class=${side ? 'secondary' : ''} disabled=${busy[0] || (!side && !n.ready)}>${t('step.take', { step: t('step.' + n.event) })}</button>
    </form>` : html`<p class="muted">${t('ready.not_allowed')}</p>`}
    ${refused ? html`<div class="alert" role="alert"><p>${problemText(refused)}</p>
      ${refused.data && refused.data.requirements ? html`<ul class="reqs">${refused.data.requirements.map(function (q, i) {
        return html`<${Requirement} key=${i} q=${q} />`;
      })}</ul>` : null}</div>` : null}
  </li>`;
}

function Readiness(props) {
  var rd = props.ready, c = props.c;
  if (!rd) return null;
  var isSide = function (n) { return n.side != null ? n.side : SIDE_STEPS.indexOf(n.event) >= 0; };
  var main = rd.next.filter(function (n) { return !isSide(n); });
  /* the side steps only for those who may take them */
  var side = rd.next.filter(function (n) { return isSide(n) && n.allowed; });
  return html`<section class="readiness" aria-labelledby="sec-ready">
    <h2 id="sec-ready">${t('ready.title')}</h2>
    ${rd.warnings && rd.warnings.length ? html`<ul class="warnings">${rd.warnings.map(function (w, i) {
      return html`<li key=${i}>${S.dict['warn.' + w.code] ? t('warn.' + w.code, { person: w.person || '' }) : w.message}</li>`;
    })}</ul>` : null}
    ${main.length ? html`<ul class="steps">${main.map(function (n) {
      return html`<${Step} key=${n.event + rd.version} n=${n} c=${c} reload=${props.reload} />`;
    })}</ul>` : html`<p class="stopped">${t('ready.no_next', { stage: tv(c.stage) })}</p>`}
    ${side.length ? html`<details class="side-steps"><summary>${t('ready.other_actions', {
      steps: new Intl.ListFormat(S.lang, { type: 'conjunction' }).format(side.map(function (n) { return t('step.' + n.event); })) })}</summary>
      <ul class="steps">${side.map(function (n) {
        return html`<${Step} key=${n.event + rd.version} n=${n} c=${c} reload=${props.reload} />`;
      })}</ul></details>` : null}
  </section>`;
}

function showValue(f, v, c, restrictions) {
  if (v == null || v === '') return null;
  if ((f.name === 'partner' || f.name === 'recipient') && partnerName(v) != null)
    return html`<bdi>${partnerName(v)}</bdi>`;
  if (f.name === 'receiving_office' || f.name === 'office') return html`<bdi>${officeName(v)}</bdi>`;
  if (f.name === 'person_id') return html`<${PersonName} person=${memberName(c, v) || { name: v }} />`;
  if (f.name === 'restriction_id') {
    var r = restrictions.filter(function (x) { return x.id === v; })[0];
    return r ? countryName(r.country) + (r.admin_area ? ' — ' + r.admin_area : '') : v;
  }
  switch (f.type) {
    case 'enum': return tv(v);
    case 'flags': return v.map(tv).join(', ');
    case 'boolean': return v ? t('common.yes') : t('common.no');
    case 'date': case 'partial_date': return fmtDate(v);
    case 'datetime': case 'timestamp': return fmtDateTime(v);
    case 'languages': return v.map(languageName).join(', ');
    case 'country': case 'nationality': return countryName(v);
    default:
      /* a code typed as text (procedure types) reads better translated */
      return S.dict['val.' + v] != null ? tv(v) : html`<bdi>${String(v)}</bdi>`;
  }
}

/* A consent to share withdrawn by a later consent_withdrawal record (same
 * person, purpose and recipient): that record, else null. A return
 * consent carries withdrawn_at itself. */
function withdrawalOf(rec, records) {
  if (rec.kind !== 'consent' || !rec.data.recipient) return null;
  var norm = function (x) { return String(x || '').trim().toLowerCase(); };
  return records.filter(function (w) {
    return w.kind === 'consent_withdrawal' && w.person_id === rec.person_id && w.data.purpose === rec.data.purpose &&
      norm(w.data.recipient) === norm(rec.data.recipient) && w.created_at >= rec.created_at;
  })[0] || null;
}

function RecordCard(props) {
  var rec = props.rec, c = props.c;
  var fields = (S.schema.records[rec.kind] || []);
  var wd = withdrawalOf(rec, props.records || []);
  var sealed = fields.some(function (f) { return rec.data[f.name] === SEALED; });
  return html`<li class=${'record card' + (rec.data.withdrawn_at || wd ? ' withdrawn' : '')} data-kind=${rec.kind}>
    <div class="record-head"><strong>${t('kind.' + rec.kind)}</strong>
      <span class="muted">${fmtDateTime(rec.created_at)}${rec.created_by ? ' · ' + rec.created_by : ''}</span></div>
    <dl class="kv">${fields.filter(function (f) {
      var v = rec.data[f.name];
      return v != null && v !== '' && v !== SEALED && !(Array.isArray(v) && !v.length);
    }).map(function (f) {
      return html`<div><dt>${t(f.label)}</dt><dd>${showValue(f, rec.data[f.name], c, props.restrictions)}</dd></div>`;
    })}
    ${rec.data.withdrawn_at ? html`<div><dt>${t('consent.withdrawn_at')}</dt><dd>${fmtDateTime(rec.data.withdrawn_at)}</dd></div>` : null}
    ${wd ? html`<div><dt>${t('consent.withdrawn_at')}</dt><dd>${fmtDate(wd.data.date)}</dd></div>` : null}</dl>
    ${sealed ? html`<p class="sealed">${t('record.sealed')}</p>` : null}
  </li>`;
}

/* A team's records fold away (details/summary), their count and latest
 * date in the summary line: the page opens on the household and the next
 * step, not on every record ever made. A section stays open once opened. */
function RecordSection(props) {
  var c = props.c, name = props.name, kinds = props.kinds;
  var open = useState(null);
  var unfolded = useState(false);
  var idem = useRef(randomKey());
  var recs = props.records.filter(function (r) { return kinds.indexOf(r.kind) >= 0; }).slice().reverse();
  var mine = kinds.filter(function (k) {
    return S.schema.recordable.indexOf(k) >= 0;
  });
  var choices = {
    person_id: c.members.map(function (m) {
      return { value: m.person_id, label: m.person.name + (m.person.name_latin && m.person.name_latin !== m.person.name ? ' (' + m.person.name_latin + ')' : '') };
    }),
    restriction_id: props.restrictions.map(function (r) {
      return { value: r.id, label: countryName(r.country) + (r.admin_area ? ' — ' + r.admin_area : '') + ' (' + tv(r.kind) + ')' };
    }),
  };
  /* A referral goes to a partner organisation, and so does data shared
   * with consent: chosen from the partners (sent as their id); medical
   * data goes to the escort or provider the consent names (text). */
  var ctx = function (value) {
    var ch = Object.assign({}, choices);
    if (open[0] === 'referral') ch.partner = partnerChoices();
    if (value && value.purpose === 'data_sharing') ch.recipient = partnerChoices();
    return { skip: [], case: c, choices: ch };
  };
  var initial = {};
  if (c.members.length === 1) initial.person_id = c.members[0].person_id;
  var latest = recs.length ? recs[0].created_at : null;
  return html`<section class="records" aria-labelledby=${'sec-' + name} data-section=${name}>
    <details class="fold" open=${unfolded[0]} onToggle=${function (e) { unfolded[1](e.currentTarget.open); }}>
    <summary><h2 id=${'sec-' + name}>${t('section.' + name)}</h2>
      <span class="muted fold-note">${tn('record.count', recs.length)}${latest ? ' · ' + fmtDate(latest.slice(0, 10)) : ''}</span></summary>
    ${name === 'health' && !mine.length ? html`<p class="muted">${t('health.medical_only')}</p>` : null}
    ${mine.length ? html`<div class="add-buttons">${mine.map(function (k) {
      return html`<button type="button" class="secondary small" aria-expanded=${open[0] === k}
        onClick=${function () { idem.current = randomKey(); open[1](open[0] === k ? null : k); }}>${colon(t('common.add'))}${t('kind.' + k)}</button>`;
    })}</div>` : null}
    ${open[0] ? html`<${SchemaForm} key=${open[0]} title=${t('kind.' + open[0])}
      fields=${S.schema.records[open[0]]} ctx=${ctx} initial=${Object.assign({}, initial)}
      cancel=${function () { open[1](null); }}
      submit=${function (body) {
        body.kind = open[0];
        return api('POST', '/cases/' + c.id + '/records', body, { idem: idem.current });
      }}
      done=${function () { open[1](null); props.reload(); }} />` : null}
    ${recs.length ? html`<ul class="record-list">${recs.map(function (r) {
      return html`<${RecordCard} key=${r.id} rec=${r} c=${c} restrictions=${props.restrictions} records=${props.records} />`;
    })}</ul>` : html`<p class="muted">${t('record.none')}</p>`}
    </details>
  </section>`;
}

/* ---- the household ------------------------------------------------------ */

/* The protection concerns of persons: the schema describes the field, and
 * the answers carry it, only for roles that see protection detail, so
 * only they get the line and its editor. */
function concernsField() {
  return ((S.schema && S.schema.person) || []).filter(function (f) {
    return f.name === 'protection_vulnerabilities';
  })[0] || null;
}

/* The members as a PATCH names them: by id and relationship, so that the
 * server leaves their persons as they are; `change` replaces the one at
 * index i (or, with i = -1, is added). The household warnings the user
 * confirmed in the member's form (confirm_plausibility, a field of the
 * case) go beside "members". */
function membersPatch(c, i, change) {
  var member = Object.assign({}, change), confirmed = member.confirm_plausibility;
  delete member.confirm_plausibility;
  var list = c.members.map(function (m) { return { relationship: m.relationship, person_id: m.person_id }; });
  if (i < 0) list.push(member);
  else list[i] = Object.assign({}, member, { person_id: c.members[i].person_id });
  var patch = { members: list };
  if (confirmed && confirmed.length) patch.confirm_plausibility = confirmed;
  return patch;
}

/* A PATCH answer whose errors name "members[i].…" as the member form's
 * own paths, so that each message lands on its field. */
function forMember(r, i) {
  if (!r.ok && r.data && r.data.errors) {
    var pre = 'members[' + i + ']';
    r.data.errors = r.data.errors.map(function (e) {
      var f = String(e.field || '');
      return f.indexOf(pre + '.') === 0 ? Object.assign({}, e, { field: f.slice(pre.length + 1) }) : e;
    });
  }
  return r;
}

/* What identifies a member; for the roles that see them, the protection
 * concerns on a line of their own, marked "protection", with a button to
 * change them for the protection role (props.editConcerns). */
function MemberFacts(props) {
  var p = props.m.person || {}, cf = props.cf;
  var facts = [tv(p.sex), fmtBirth(p), countryName(p.nationality)].filter(Boolean);
  var vul = (p.vulnerabilities || []).filter(function (v) { return v !== SEALED; });
  return html`<p class="facts">${facts.join(' · ')}</p>
    ${(p.documents || []).length ? html`<p class="facts"><span class="muted">${colon(t('person.documents'))}</span>${
      p.documents.map(function (d, i) {
        return html`<span class="doc" key=${i}>${tv(d.type)} <bdi>${d.number}</bdi>${d.expiry ? ' · ' + fmtDate(d.expiry) : ''}</span>`;
      })}</p>` : null}
    ${vul.length ? html`<p class="facts"><span class="muted">${colon(t('person.vulnerabilities'))}</span>${vul.map(tv).join(', ')}</p>` : null}
    ${cf ? html`<p class="facts concerns"><span class="sens">${t('sens.protection')}</span> <span class="muted">${colon(t(cf.label))}</span>${
      (p.protection_vulnerabilities || []).map(tv).join(', ') || '—'}${
      props.editConcerns ? html` <button type="button" class="link small" onClick=${props.editConcerns}>
        ${t('common.edit')}<span class="sr-only">${t('punct.colon')}${t(cf.label)} — ${p.name_latin || p.name}</span></button>` : null}</p>` : null}`;
}

/* Taking out a member who left: the reason is required and goes to the
 * timeline (POST …/member-removals with the version seen). */
function RemoveMember(props) {
  var c = props.c, m = props.m;
  var reason = useState(''), res = useState(null), busy = useState(false);
  var alertRef = useRef(null);
  var id = 'remove-' + m.person_id;
  async function submit(e) {
    e.preventDefault();
    busy[1](true);
    var r = await api('POST', '/cases/' + c.id + '/member-removals', { person_id: m.person_id, reason: reason[0] },
      { ifMatch: c.version });
    busy[1](false);
    if (r.ok) { props.done(); return; }
    res[1](r);
    setTimeout(function () { if (alertRef.current) alertRef.current.focus(); }, 0);
  }
  var r = res[0];
  var err = r && r.status !== 412 ? errorMap(r).reason : null;
  return html`<form class="remove-member" onSubmit=${submit} noValidate aria-labelledby=${id + '-title'}>
    <h4 id=${id + '-title'}>${t('household.remove_title', { name: m.person.name })}</h4>
    ${r ? (r.status === 412 ? html`<${Conflict} reload=${props.reload} focusRef=${alertRef} />`
      : html`<p class="alert" role="alert" tabindex="-1" ref=${alertRef}>${problemText(r)}</p>`) : null}
    <div class=${'field' + (err ? ' invalid' : '')}><label for=${id}>${t('household.remove_reason')}<span class="req" aria-hidden="true"> *</span></label>
      <textarea id=${id} required rows="2" value=${reason[0]} aria-invalid=${err ? 'true' : undefined}
        aria-describedby=${id + '-hint' + (err ? ' ' + id + '-err' : '')}
        onInput=${function (e) { reason[1](e.target.value); }}></textarea>
      <p class="hint" id=${id + '-hint'}>${t('household.remove_hint')}</p>
      ${err ? html`<p class="err" id=${id + '-err'}>${err}</p>` : null}</div>
    <div class="actions">
      <button type="submit" disabled=${busy[0]}>${t('household.remove_submit')}</button>
      <button type="button" class="secondary" onClick=${props.cancel}>${t('common.cancel')}</button>
    </div>
  </form>`;
}

/* The household first: every member with what identifies them, and for
 * the roles that may change the case, a correction of any member (names in
 * both scripts, documents, vulnerabilities… — the member's fields of the
 * schema), a new member (a newborn), and the removal of one who left. Each
 * change carries the version the page shows (If-Match); when someone else
 * changed the case meanwhile the form says so and offers to reload. */
function Household(props) {
  var c = props.c;
  var mode = useState(null); /* {edit: i} | {remove: i} | {concerns: i} | {add: true} */
  var md = mode[0];
  var membersField = S.schema.case.filter(function (f) { return f.name === 'members'; })[0];
  /* A member's fields, and the case's confirmations: a change can make
   * the household implausible (a child older than the principal), which
   * the form then offers to confirm. A warning about another member is
   * named by the case's fields ("Member 3 — Date of birth"). */
  var memberFields = membersField.fields.filter(function (f) { return f.name !== 'person_id'; })
    .concat(S.schema.case.filter(function (f) { return f.confirm; }));
  var labelFields = memberFields.concat([membersField]);
  var editable = may('case.update');
  /* The concerns are in the schema only for the roles that see them,
   * who may then set them. */
  var cf = concernsField(), concernsEditable = cf && editable;
  var principal = c.members.filter(function (m) { return m.relationship === 'principal'; })[0] || c.members[0];
  function close() { mode[1](null); }
  function done() { mode[1](null); props.reload(); }
  return html`<section class="household" aria-labelledby="sec-members">
    <div class="page-head"><h2 id="sec-members">${t('household.title')} <span class="muted count-note">${tn('household.count', c.members.length)}</span></h2>
      ${editable && !md ? html`<button type="button" class="secondary small" onClick=${function () { mode[1]({ add: true }); }}>
        ${t('household.add')}</button>` : null}</div>
    ${md && md.add ? html`<${SchemaForm} title=${t('household.add')} fields=${memberFields} labelFields=${labelFields}
      initial=${{ relationship: 'child', person: { nationality: principal.person.nationality } }}
      submitLabel=${t('household.add_submit')} reload=${props.reload} cancel=${close}
      submit=${async function (body) {
        return forMember(await api('PATCH', '/cases/' + c.id, membersPatch(c, -1, body), { ifMatch: c.version }), c.members.length);
      }} done=${done} />` : null}
    <ul class="members">${c.members.map(function (m, i) {
      var p = m.person || {};
      var editing = md && md.edit === i, removing = md && md.remove === i, concerns = md && md.concerns === i;
      return html`<li class="member card" key=${m.person_id} data-person=${m.person_id}>
        <div class="member-head"><strong><${PersonName} person=${p} /></strong> <span class="tag">${tv(m.relationship)}</span>
        ${editable && !md ? html`<span class="member-actions">
          <button type="button" class="secondary small" aria-label=${colon(t('common.edit')) + p.name}
            onClick=${function () { mode[1]({ edit: i }); }}>${t('common.edit')}</button>
          ${m.relationship !== 'principal' ? html`<button type="button" class="secondary small" aria-label=${colon(t('household.remove')) + p.name}
            onClick=${function () { mode[1]({ remove: i }); }}>${t('household.remove')}</button>` : null}
        </span>` : null}</div>
        ${editing ? html`<${SchemaForm} title=${colon(t('common.edit')) + p.name} fields=${memberFields} labelFields=${labelFields}
            initial=${formValues(memberFields, m)} reload=${props.reload} cancel=${close}
            submit=${async function (body) {
              return forMember(await api('PATCH', '/cases/' + c.id, membersPatch(c, i, body), { ifMatch: c.version }), i);
            }} done=${done} />`
          : html`<${MemberFacts} m=${m} cf=${cf}
              editConcerns=${concernsEditable && !md ? function () { mode[1]({ concerns: i }); } : null} />
            <${PersonDuplicates} personId=${m.person_id} />`}
        ${removing ? html`<${RemoveMember} c=${c} m=${m} reload=${props.reload} cancel=${close} done=${done} />` : null}
        ${concerns ? html`<${SchemaForm} title=${t(cf.label) + ' — ' + (p.name_latin || p.name)} fields=${[cf]}
            initial=${{ protection_vulnerabilities: p.protection_vulnerabilities || [] }} reload=${props.reload} cancel=${close}
            submit=${async function (b) {
              /* the member as stored, with the concerns changed (a
               * person sent is replaced whole) */
              var person = Object.assign({}, p, { protection_vulnerabilities: b.protection_vulnerabilities || [] });
              return api('PATCH', '/cases/' + c.id, membersPatch(c, i, { relationship: m.relationship, person: person }),
                { ifMatch: c.version });
            }} done=${done} />
          <p class="muted">${t('person.protection_vulnerabilities.note')}</p>` : null}
      </li>`;
    })}</ul>
  </section>`;
}

function Summary(props) {
  var c = props.c;
  var edit = useState(false);
  var fields = S.schema.case.filter(function (f) { return f.type !== 'array' && f.name !== 'office'; });
  var shown = S.schema.case.filter(function (f) {
    return f.type !== 'array' && ['id', 'number', 'version', 'stage', 'created_at'].indexOf(f.name) < 0;
  });
  var editable = may('case.update');
  return html`<section aria-labelledby="sec-summary">
    <div class="page-head"><h2 id="sec-summary">${t('case.summary')}</h2>
      ${editable && !edit[0] ? html`<button type="button" class="secondary small" onClick=${function () { edit[1](true); }}>${t('common.edit')}</button>` : null}</div>
    ${edit[0] ? html`<${SchemaForm} fields=${fields} initial=${formValues(fields, c)} ctx=${{ case: c }}
        keepNull=${['destination_admin_area', 'destination_pcode', 'project', 'assigned_to', 'planned_departure', 'notes']}
        cancel=${function () { edit[1](false); }}
        submit=${function (body) { return api('PATCH', '/cases/' + c.id, body, { ifMatch: c.version }); }}
        reload=${props.reload} done=${function () { edit[1](false); props.reload(); }} />`
      : html`<dl class="kv summary">${shown.filter(function (f) { return c[f.name] != null && c[f.name] !== ''; }).map(function (f) {
        return html`<div><dt>${t(f.label)}</dt><dd>${showValue(f, c[f.name], c, [])}</dd></div>`;
      })}</dl>`}
  </section>`;
}

/* Hand-over to the receiving office (operations, programme managers):
 * the offices in the case's destination country, POST …/handover. Its
 * staff see the case from then on; the host office keeps it too. */
function HandOver(props) {
  var c = props.c;
  var open = useState(false), office = useState(''), res = useState(null), busy = useState(false);
  var errRef = useRef(null);
  if (!may('case.hand_over') || stageIs(c.stage, 'stopped')) return null;
  var offices = S.offices.filter(function (o) { return o.country === c.destination_country && o.code !== c.receiving_office; });
  async function submit(e) {
    e.preventDefault();
    busy[1](true);
    var r = await api('POST', '/cases/' + c.id + '/handover', { office: office[0] });
    busy[1](false);
    if (r.ok) { open[1](false); res[1](null); props.reload(); return; }
    res[1](r);
    setTimeout(function () { if (errRef.current) errRef.current.focus(); }, 0);
  }
  var r = res[0];
  var fieldErr = r ? errorMap(r).office : null;
  return html`<section aria-labelledby="sec-handover" class="handover">
    <h2 id="sec-handover">${t('handover.title')}</h2>
    ${c.receiving_office ? html`<p>${t('handover.current', { office: officeName(c.receiving_office) })}</p>`
      : html`<p class="muted">${t('handover.none_yet')}</p>`}
    ${!open[0] ? html`<button type="button" class="secondary" aria-expanded="false"
        onClick=${function () { open[1](true); office[1](offices.length === 1 ? offices[0].code : ''); }}>${
        t(c.receiving_office ? 'handover.again' : 'handover.action')}</button>`
      : html`<form class="card form" onSubmit=${submit} aria-labelledby="sec-handover">
        <p class="muted">${t('handover.explain', { country: countryName(c.destination_country) })}</p>
        ${r ? html`<p class="alert" role="alert" tabindex="-1" ref=${errRef}>${problemText(r)}</p>` : null}
        ${offices.length ? html`<div class=${'field' + (fieldErr ? ' invalid' : '')}><label for="handover-office">${t('handover.office')}</label>
          <select id="handover-office" required value=${office[0]} aria-invalid=${fieldErr ? 'true' : undefined}
            aria-describedby=${fieldErr ? 'handover-office-err' : undefined}
            onChange=${function (e) { office[1](e.target.value); }}>
            <option value="">${t('common.choose')}</option>
            ${offices.map(function (o) { return html`<option value=${o.code}>${officeName(o.code)}</option>`; })}
          </select>
          ${fieldErr ? html`<p class="err" id="handover-office-err">${fieldErr}</p>` : null}</div>`
        : html`<p>${t('handover.no_office', { country: countryName(c.destination_country) })}</p>`}
        <div class="actions">
          ${offices.length ? html`<button type="submit" disabled=${busy[0] || !office[0]}>${t('handover.submit')}</button>` : null}
          <button type="button" class="secondary" onClick=${function () { open[1](false); res[1](null); }}>${t('common.cancel')}</button>
        </div>
      </form>`}
  </section>`;
}

function Timeline(props) {
  return html`<section aria-labelledby="sec-timeline">
    <h2 id="sec-timeline">${t('timeline.title')}</h2>
    <ol class="timeline">${props.events.slice().reverse().map(function (e) {
      var d = e.data || {};
      var place = function (c, a) { return c ? countryName(c) + (a ? ' (' + a + ')' : '') : '?'; };
      var what = e.kind === 'transition' ? t('timeline.transition', { step: t('step.' + d.event), from: tv(d.from), to: tv(d.to) })
        : e.kind === 'recorded' ? t('timeline.recorded', { kind: t('kind.' + d.kind) })
        : e.kind === 'member_removed' ? t('timeline.member_removed', {
          name: d.name ? d.name + (d.name_latin && d.name_latin !== d.name ? ' (' + d.name_latin + ')' : '') : tv(d.relationship) })
        : e.kind === 'destination_changed' ? t('timeline.destination_changed', {
          from: place(d.from_country, d.from_admin_area), to: place(d.to_country, d.to_admin_area) })
        : S.dict['timeline.' + e.kind] != null ? t('timeline.' + e.kind, d) : e.kind;
      return html`<li key=${e.id}><time datetime=${e.at}>${fmtDateTime(e.at)}</time> <span>${what}</span>
        ${e.user ? html` <span class="muted">· <bdi>${e.user}</bdi></span>` : null}
        ${e.kind === 'transition' && d.at ? html`<div class="muted">${t('timeline.happened', { at: fmtDateTime(d.at) })}</div>` : null}
        ${e.kind === 'destination_changed' && d.stage_to ? html`<div class="muted">${t('timeline.destination_back', { from: tv(d.stage_from), to: tv(d.stage_to) })}</div>` : null}
        ${d.reason ? html`<div class="muted"><bdi>${d.reason}</bdi></div>` : null}</li>`;
    })}</ol>
  </section>`;
}

function CasePage(props) {
  var d = useLoad(function () { return loadCase(props.id); }, [props.id]);
  var data = d[0];
  if (!data) {
    return html`<main id="main"><h1 tabindex="-1">${t('case.title')}</h1><${Status} loading=${d[3]} error=${d[1]} /></main>`;
  }
  var c = data.c;
  var principal = (c.members.filter(function (m) { return m.relationship === 'principal'; })[0] || c.members[0]).person;
  var stopped = stageIs(c.stage, 'stopped') || stageIs(c.stage, 'paused');
  return html`<main id="main" class="case-page">
    <div class="case-head">
      <h1 tabindex="-1"><bdi>${c.number}</bdi> <${StageBadge} stage=${c.stage} /></h1>
      <p class="lead"><${PersonName} person=${principal} /> · ${countryName(c.destination_country)}${
        c.destination_admin_area ? html` (<bdi>${c.destination_admin_area}</bdi>)` : null} · <bdi>${officeName(c.office)}</bdi></p>
      ${may('plan.read') && (stageIs(c.stage, 'after_arrival') || stageIs(c.stage, 'ended')) ? html`<p class="rz-link"><${Link} href=${'/cases/' + c.id + '/reintegration'}>${t('rz.open_page')}</${Link}></p>` : null}
      ${stopped ? html`<p class="alert stopped" role="status">${t('case.stopped', { stage: tv(c.stage) })}${
        c.stage_before ? ' ' + t('case.stage_before_is', { stage: tv(c.stage_before) }) : ''}</p>` : null}
      ${d[3] ? html`<p class="muted" role="status">${t('common.loading')}</p>` : null}
      ${d[1] ? html`<p class="alert" role="alert">${d[1]}</p>` : null}
    </div>
    <div class="case-grid">
      <div class="col-main">
        <${Household} key=${'m' + c.version} c=${c} reload=${d[2]} />
        <${Readiness} ready=${data.ready} c=${c} reload=${d[2]} />
        <div class="record-sections">
        ${sectionsFor(S.schema).map(function (s) {
          return html`<${RecordSection} key=${s[0]} name=${s[0]} kinds=${s[1]} c=${c} records=${data.records}
            restrictions=${data.restrictions} reload=${d[2]} />`;
        })}
        </div>
      </div>
      <div class="col-side">
        <${Summary} key=${c.version} c=${c} reload=${d[2]} />
        <${HandOver} key=${'h' + c.version} c=${c} reload=${d[2]} />
        <${Timeline} events=${data.events} />
      </div>
    </div>
  </main>`;
}
