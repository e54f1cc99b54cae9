/*
 * followup.js — the follow-up of reintegration: the activity log
 * (/activities, followup.read) with the form of a new activity
 * (followup.manage: kind, title, date, office, country and area, project
 * and budget line, facilitators, the participants counted by sex and age
 * group, and a cost committed on the line), and the chart of a person's
 * sustainability scores over time (ScoresChart, on a case's reintegration
 * page: GET /persons/{id}/sustainability-scores).
 *
 * The chart is inline SVG drawn here (no library): one line per dimension
 * and the composite, 0..1 from the scores' basis points, one point per
 * survey round in date order; the figures are also given as a table for
 * screen readers and print. Right to left, the time axis runs from the
 * right as the page reads.
 */
var ACT_KINDS = ['psychosocial_group', 'training', 'awareness', 'community_event', 'workshop'];
var AGE_GROUPS = ['0-4', '5-11', '12-17', '18-59', '60+'];
var SCORE_KEYS = ['economic_bp', 'social_bp', 'psychosocial_bp', 'composite_bp'];
var SCORE_COLOURS = { economic_bp: '#1f6f8b', social_bp: '#8b5a1f', psychosocial_bp: '#6a3d9a', composite_bp: '#1b1f23' };

function ActivityForm(props) {
  var lines = props.lines;
  var offices = (S.me.offices || []).slice();
  var init = { kind: 'psychosocial_group', title: '', held_on: new Date().toISOString().slice(0, 10),
    office: offices[0] || '', country: 'MLI', admin_area: '', budget_line: '', facilitators: '', cost: '', counts: {} };
  var vs = useState(init), v = vs[0];
  var key = useRef(randomKey());
  var rs = useState(null), res = rs[0], errs = res && !res.ok ? errorMap(res) : {};
  function set(k) { return function (e) { var n = Object.assign({}, v); n[k] = e.target.value; vs[1](n); }; }
  function setCount(k) {
    return function (e) { var c = Object.assign({}, v.counts); c[k] = e.target.value; vs[1](Object.assign({}, v, { counts: c })); };
  }
  var line = lines.filter(function (x) { return x.id === v.budget_line; })[0];
  var cur = line ? line.currency : 'USD';
  async function submit(e) {
    e.preventDefault();
    var body = { kind: v.kind, title: v.title, held_on: v.held_on, office: v.office, country: v.country };
    if (v.admin_area) body.admin_area = v.admin_area;
    if (line) { body.budget_line = line.id; body.project = line.project_id; }
    var f = v.facilitators.split(',').map(function (s) { return s.trim(); }).filter(Boolean);
    if (f.length) body.facilitators = f;
    var counts = [];
    ['female', 'male'].forEach(function (sex) {
      AGE_GROUPS.forEach(function (g) {
        var n = parseInt(v.counts[sex + g] || '0', 10);
        if (n > 0) counts.push({ sex: sex, age_group: g, count: n });
      });
    });
    if (counts.length) body.counts = counts;
    if (v.cost) {
      var minor = toMinor(v.cost, cur);
      if (minor == null) { rs[1]({ ok: false, data: { title: t('money.bad_amount') } }); return; }
      body.cost = { amount_minor: minor, currency: cur };
    }
    var r = await api('POST', '/activities', body, { idem: key.current });
    rs[1](r);
    if (r.ok) { key.current = randomKey(); vs[1](init); props.onDone(); }
  }
  function fld(k, label, control, req) {
    var id = 'f-act-' + k, err = errs[k];
    return html`<div class=${'field' + (err ? ' invalid' : '')}><label for=${id}>${label}${req ? html`<span class="req" aria-hidden="true"> *</span>` : null}</label>
      ${control(id)}${err ? html`<p class="err">${err}</p>` : null}</div>`;
  }
  return html`<form class="act-new card" onSubmit=${submit}>
    <h2>${t('act.new')}</h2><${MvProblem} r=${res} />
    <div class="grid">
      ${fld('kind', t('act.kind'), function (id) { return html`<select id=${id} value=${v.kind} onChange=${set('kind')}>${ACT_KINDS.map(function (k) {
        return html`<option value=${k} key=${k}>${t('act.kind.' + k)}</option>`; })}</select>`; }, true)}
      ${fld('title', t('act.title_field'), function (id) { return html`<input id=${id} required value=${v.title} onInput=${set('title')} />`; }, true)}
      ${fld('held_on', t('act.held_on'), function (id) { return html`<input id=${id} type="date" required value=${v.held_on} onInput=${set('held_on')} />`; }, true)}
      ${fld('office', t('rz.office'), function (id) { return html`<select id=${id} value=${v.office} onChange=${set('office')}>${offices.map(function (o) {
        return html`<option value=${o} key=${o}>${officeName(o)}</option>`; })}</select>`; }, true)}
      ${fld('country', t('act.country'), function (id) { return html`<input id=${id} required maxLength="3" dir="ltr" value=${v.country} onInput=${set('country')} />`; }, true)}
      ${fld('admin_area', t('act.place'), function (id) { return html`<input id=${id} value=${v.admin_area} onInput=${set('admin_area')} />`; })}
      ${fld('budget_line', t('money.line'), function (id) { return html`<select id=${id} value=${v.budget_line} onChange=${set('budget_line')}>
        <option value="">—</option>${lines.map(function (x) { return html`<option value=${x.id} key=${x.id}>${x.project} · ${x.code} ${x.name}</option>`; })}</select>`; })}
      ${line ? fld('cost', t('act.cost', { currency: cur }), function (id) { return html`<input id=${id} inputmode="decimal" dir="ltr" value=${v.cost} onInput=${set('cost')} />`; }) : null}
      ${fld('facilitators', t('act.facilitators'), function (id) { return html`<input id=${id} value=${v.facilitators} onInput=${set('facilitators')} />`; })}
    </div>
    <fieldset class="act-counts"><legend>${t('act.counts')}</legend>
      <table class="list"><thead><tr><th scope="col"></th>${AGE_GROUPS.map(function (g) {
        return html`<th scope="col" key=${g}><bdi dir="ltr">${g}</bdi></th>`; })}</tr></thead>
      <tbody>${['female', 'male'].map(function (sex) {
        return html`<tr key=${sex}><th scope="row">${t('act.sex.' + sex)}</th>${AGE_GROUPS.map(function (g) {
          return html`<td key=${g}><input type="number" min="0" class="count" id=${'f-act-n-' + sex + '-' + g}
            aria-label=${t('act.sex.' + sex) + ' ' + g} value=${v.counts[sex + g] || ''} onInput=${setCount(sex + g)} /></td>`;
        })}</tr>`;
      })}</tbody></table></fieldset>
    <div class="actions"><button type="submit">${t('act.save')}</button></div>
  </form>`;
}

function ActivityListPage() {
  var l = useLoad(function () {
    return Promise.all([api('GET', '/activities').then(must),
      loadBudgetLines()]);
  }, []);
  var items = l[0] ? l[0][0].items : [];
  var lines = l[0] ? l[0][1] : [];
  return html`<main id="main" class="rz">
    <h1 tabindex="-1">${t('act.list')}</h1>
    ${l[1] ? html`<p class="alert" role="alert">${l[1]}</p>` : null}
    ${l[0] && may('followup.manage') ? html`<${ActivityForm} lines=${lines} onDone=${l[2]} />` : null}
    ${l[0] && !items.length ? html`<p class="empty">${t('act.none')}</p>` : null}
    ${items.length ? html`<table class="list act-list"><thead><tr><th scope="col">${t('money.when')}</th>
      <th scope="col">${t('act.kind')}</th><th scope="col">${t('act.title_field')}</th><th scope="col">${t('act.place')}</th>
      <th scope="col" class="num">${t('act.participants')}</th><th scope="col" class="num">${t('act.cost_short')}</th></tr></thead>
      <tbody>${items.map(function (a) {
        var tot = a.totals || {};
        return html`<tr key=${a.id}><td>${fmtDate(a.held_on)}</td><td>${t('act.kind.' + a.kind)}</td><td>${a.title}</td>
          <td>${[a.admin_area, countryName(a.country)].filter(Boolean).join(', ')}</td>
          <td class="num">${fmtNum(tot.participants || 0)}</td>
          <td class="num">${a.cost ? fmtMoney(a.cost.amount_minor, a.cost.currency) : ''}</td></tr>`;
      })}</tbody></table>` : null}
  </main>`;
}

/* A person's scores over time as an SVG line chart with a table. */
function ScoresChart(props) {
  var pts = (props.items || []).filter(function (x) { return x.scores; }).slice()
    .sort(function (a, b) {
      if (a.answered_on !== b.answered_on) return a.answered_on < b.answered_on ? -1 : 1;
      return (a.round === 'baseline' ? 0 : 1) - (b.round === 'baseline' ? 0 : 1);
    });
  if (!pts.length) return html`<p class="empty">${t('score.none')}</p>`;
  var rtl = S.lang === 'ar';
  /* the value axis on the side the page starts from; the points inset so
   * the first and last dates fit */
  var W = 560, H = 220, T = 12, B = 30, AX = 40, IN = 48;
  var L = rtl ? 16 : AX, R = rtl ? AX : 16;
  function x(i) {
    var f = pts.length === 1 ? 0.5 : i / (pts.length - 1);
    if (rtl) f = 1 - f;
    return L + IN + f * (W - L - R - 2 * IN);
  }
  function y(bp) { return T + (1 - bp / 10000) * (H - T - B); }
  return html`<figure class="scores">
    <svg viewBox=${'0 0 ' + W + ' ' + H} role="img" aria-label=${t('score.chart')} class="scores-chart">
      ${[0, 2500, 5000, 7500, 10000].map(function (g) {
        return html`<g key=${g}><line x1=${L} x2=${W - R} y1=${y(g)} y2=${y(g)} stroke="#d9dee3" />
          <text x=${rtl ? W - R + 6 : L - 6} y=${y(g) + 4} text-anchor=${rtl ? 'start' : 'end'} font-size="11">${fmtNum(g / 10000)}</text></g>`;
      })}
      ${pts.map(function (p, i) {
        return html`<text key=${'d' + i} x=${x(i)} y=${H - 10} text-anchor="middle" font-size="11">${fmtDate(p.answered_on)}</text>`;
      })}
      ${SCORE_KEYS.map(function (k) {
        var ok = pts.map(function (p, i) { return [i, p.scores[k]]; }).filter(function (q) { return q[1] != null; });
        return html`<g key=${k} class=${'series ' + k}>
          <polyline fill="none" stroke=${SCORE_COLOURS[k]} stroke-width=${k === 'composite_bp' ? 3 : 1.5}
            points=${ok.map(function (q) { return x(q[0]) + ',' + y(q[1]); }).join(' ')} />
          ${ok.map(function (q) { return html`<circle key=${q[0]} cx=${x(q[0])} cy=${y(q[1])} r="3.5" fill=${SCORE_COLOURS[k]} />`; })}
        </g>`;
      })}
    </svg>
    <figcaption><ul class="legend">${SCORE_KEYS.map(function (k) {
      return html`<li key=${k}><span class="swatch" style=${'background:' + SCORE_COLOURS[k]}></span>${t('score.' + k)}</li>`;
    })}</ul></figcaption>
    <table class="list scores-table"><thead><tr><th scope="col">${t('score.round')}</th>${SCORE_KEYS.map(function (k) {
      return html`<th scope="col" class="num" key=${k}>${t('score.' + k)}</th>`; })}</tr></thead>
      <tbody>${pts.map(function (p) {
        return html`<tr key=${p.id}><th scope="row">${fmtDate(p.answered_on)} · ${t('score.round.' + p.round)}</th>
          ${SCORE_KEYS.map(function (k) { return html`<td class="num" key=${k}>${p.scores[k] == null ? '—' : fmtBp(p.scores[k])}</td>`; })}</tr>`;
      })}</tbody></table>
  </figure>`;
}

/* A text of the instrument in the user's language: {en, fr, ar} or a
 * plain string (an instrument in one language only). */
function instText(x) {
  if (x == null) return '';
  if (typeof x === 'string') return x;
  return x[S.lang] || x.en || x[Object.keys(x)[0]] || '';
}

/* The sustainability survey of a member of the case (followup.manage):
 * the newest instrument (GET /survey/instruments/rss), its questions by
 * indicator in the user's language with their options as radio buttons;
 * every question must be answered (an unscored option is how a person
 * declines). The answers go to POST /cases/{id}/survey-responses with an
 * Idempotency-Key; the server scores them. */
function SurveyForm(props) {
  var l = useLoad(function () { return api('GET', '/survey/instruments/rss').then(must); }, [S.lang]);
  var vs = useState({ round: props.hasBaseline ? 'follow_up' : 'baseline', answered_on: new Date().toISOString().slice(0, 10), answers: {} });
  var v = vs[0];
  var key = useRef(randomKey());
  var rs = useState(null), res = rs[0], errs = res && !res.ok ? errorMap(res) : {};
  var open = useState(false);
  if (!open[0]) {
    return html`<p><button type="button" class="secondary survey-open" onClick=${function () { open[1](true); }}>${t('survey.new')}</button></p>`;
  }
  var inst = l[0], def = inst && (inst.definition || inst);
  async function submit(e) {
    e.preventDefault();
    var r = await api('POST', '/cases/' + props.caseId + '/survey-responses', { person_id: props.personId, round: v.round,
      answered_on: v.answered_on, instrument: inst.code, answers: v.answers }, { idem: key.current });
    rs[1](r);
    if (r.ok) { key.current = randomKey(); open[1](false); props.onDone(); }
  }
  function answer(q, o) {
    return function () { var a = Object.assign({}, v.answers); a[q] = o; vs[1](Object.assign({}, v, { answers: a })); };
  }
  return html`<form class="survey card" onSubmit=${submit}>
    <h3>${def ? instText(def.title) : t('survey.new')}</h3>
    ${l[1] ? html`<p class="alert" role="alert">${l[1]}</p>` : null}
    <${MvProblem} r=${res} />
    <div class="grid">
      <div class="field"><label for="f-sv-round">${t('score.round')}</label>
        <select id="f-sv-round" value=${v.round} onChange=${function (e) { vs[1](Object.assign({}, v, { round: e.target.value })); }}>
          ${['baseline', 'follow_up'].map(function (r) { return html`<option value=${r} key=${r}>${t('score.round.' + r)}</option>`; })}</select></div>
      <div class="field"><label for="f-sv-date">${t('survey.answered_on')}</label>
        <input id="f-sv-date" type="date" required value=${v.answered_on} onInput=${function (e) { vs[1](Object.assign({}, v, { answered_on: e.target.value })); }} /></div>
    </div>
    ${def ? (def.indicators || []).map(function (ind) {
      return html`<fieldset class="survey-ind" key=${ind.code}><legend>${instText(ind.name)} <small>(${t('rz.dim.' + ind.dimension)})</small></legend>
        ${(ind.questions || []).map(function (q) {
          var opts = q.options || (def.scales || {})[q.scale] || [];
          var err = errs['answers.' + q.code];
          return html`<div class=${'field survey-q' + (err ? ' invalid' : '')} key=${q.code} role="radiogroup" aria-labelledby=${'sv-q-' + q.code}>
            <p class="q" id=${'sv-q-' + q.code}>${instText(q.text)}</p>
            <div class="opts">${opts.map(function (o) {
              return html`<label key=${o.code}><input type="radio" name=${'sv-' + q.code} value=${o.code} required
                checked=${v.answers[q.code] === o.code} onChange=${answer(q.code, o.code)} /> ${instText(o.label)}</label>`;
            })}</div>${err ? html`<p class="err">${err}</p>` : null}</div>`;
        })}</fieldset>`;
    }) : null}
    <div class="actions"><button type="submit" disabled=${!def}>${t('survey.save')}</button>
      <button type="button" class="secondary" onClick=${function () { open[1](false); }}>${t('common.cancel')}</button></div>
  </form>`;
}
