/*
 * reintegration.js — the reintegration of a returnee: the list of the
 * cases waiting for or in reintegration (/reintegration, plan.read) and a
 * case's reintegration page (/cases/<id>/reintegration): the reception
 * and needs assessment, the plans with their items, and the case's ledger
 * (ledger.read, LedgerTable of money.js) and the principal's
 * sustainability scores over time (followup.read, ScoresChart of
 * followup.js).
 *
 * Those who make plans (plan.manage) record an assessment (date, skills,
 * project idea, the choice own_project | proposed_option | referral), open
 * a draft plan of a kind (individual: the case's principal; community: a
 * place and beneficiaries by sex and age group; collective plans are made
 * through the API), and add items:
 * a type of the value table (GET /plan-item-types, named in the user's
 * language), a budget typed in currency units and sent in minor units with
 * its ISO code (the budget line's currency), cash or in kind, direct or by
 * referral to a partner, and the budget line it is charged to. The
 * programme manager (plan.approve) approves a draft: every item commits its
 * budget on its line and the case moves to `reintegrating`; a refusal
 * ("not enough left on line 2.1") is shown in words with the numbers.
 * Approve sends If-Match with the plan's version.
 *
 * Once approved, whoever manages plans records each item's progress
 * (ItemStep: in progress, delivered with its evidence, cancelled with a
 * reason; a referral's status sent | accepted | completed | declined —
 * a referral refused for want of the person's consent to share comes back
 * as a problem shown in words) by PATCH /plan-items/<id> with If-Match on
 * the item's version, and closes the plan (PlanClose: a closure reason,
 * and the "why" the server asks when items are still approved or in
 * progress). The server moves the case to `monitoring` when every item is
 * delivered or cancelled; the page reloads and shows the case's stage.
 */
var RZ_CHOICES = ['own_project', 'proposed_option', 'referral'];

function RzField(props) {
  var id = props.id || 'f-rz-' + props.name, err = props.errs && props.errs[props.name];
  return html`<div class=${'field' + (err ? ' invalid' : '') + (props.cls ? ' ' + props.cls : '')}>
    <label for=${id}>${props.label}${props.required ? html`<span class="req" aria-hidden="true"> *</span>` : null}</label>
    ${props.children(id)}${err ? html`<p class="err">${err}</p>` : null}</div>`;
}

function useForm(init) {
  var s = useState(init);
  return [s[0], function (k) { return function (e) { var n = Object.assign({}, s[0]); n[k] = e.target.value; s[1](n); }; }, s[1]];
}

function ReintegrationListPage() {
  var l = useLoad(function () {
    return Promise.all(stagesWith('after_arrival').map(function (st) {
      return api('GET', '/cases' + qs({ stage: st, limit: 50 })).then(must);
    }));
  }, []);
  var rows = l[0] ? [].concat.apply([], l[0].map(function (d) { return d.items || []; })) : [];
  return html`<main id="main" class="rz">
    <h1 tabindex="-1">${t('rz.title')}</h1>
    ${l[1] ? html`<p class="alert" role="alert">${l[1]}</p>` : null}
    ${l[0] && !rows.length ? html`<p>${t('rz.no_cases')}</p>` : null}
    ${rows.length ? html`<table class="list rz-cases"><thead><tr><th scope="col">${t('rz.case')}</th>
      <th scope="col">${t('rz.stage')}</th><th scope="col">${t('rz.office')}</th></tr></thead>
      <tbody>${rows.map(function (c) {
        return html`<tr key=${c.id}><td><${Link} href=${'/cases/' + c.id + '/reintegration'}><bdi dir="ltr">${c.number || c.id}</bdi></${Link}>
          ${c.principal ? html` <${PersonName} person=${c.principal} />` : null}</td>
          <td><${StageBadge} stage=${c.stage} /></td><td>${officeName(c.office)}</td></tr>`;
      })}</tbody></table>` : null}
  </main>`;
}

function NeedsForm(props) {
  var f = useForm({ assessed_on: new Date().toISOString().slice(0, 10), choice: 'own_project', skills: '', project_idea: '' });
  var v = f[0], set = f[1];
  var rs = useState(null), res = rs[0], errs = res && !res.ok ? errorMap(res) : {};
  async function submit(e) {
    e.preventDefault();
    var body = { assessed_on: v.assessed_on, choice: v.choice };
    if (v.skills) body.skills = v.skills;
    if (v.project_idea) body.project_idea = v.project_idea;
    var r = await api('POST', '/cases/' + props.caseId + '/needs-assessments', body);
    rs[1](r);
    if (r.ok) props.onDone();
  }
  return html`<form class="rz-needs card" onSubmit=${submit}>
    <h3>${t('rz.needs_new')}</h3><${MvProblem} r=${res} />
    <div class="grid">
      <${RzField} name="assessed_on" label=${t('rz.assessed_on')} required errs=${errs}>${function (id) {
        return html`<input id=${id} type="date" required value=${v.assessed_on} onInput=${set('assessed_on')} />`; }}</${RzField}>
      <${RzField} name="choice" label=${t('rz.choice')} required errs=${errs}>${function (id) {
        return html`<select id=${id} value=${v.choice} onChange=${set('choice')}>${RZ_CHOICES.map(function (c) {
          return html`<option value=${c} key=${c}>${t('rz.choice.' + c)}</option>`; })}</select>`; }}</${RzField}>
      <${RzField} name="skills" label=${t('rz.skills')} errs=${errs} cls="wide">${function (id) {
        return html`<textarea id=${id} value=${v.skills} onInput=${set('skills')}></textarea>`; }}</${RzField}>
      <${RzField} name="project_idea" label=${t('rz.project_idea')} errs=${errs} cls="wide">${function (id) {
        return html`<textarea id=${id} value=${v.project_idea} onInput=${set('project_idea')}></textarea>`; }}</${RzField}>
    </div>
    <div class="actions"><button type="submit">${t('rz.needs_save')}</button></div>
  </form>`;
}

function ItemForm(props) {
  var lines = props.lines, types = props.types;
  var first = lines[0] || {};
  var f = useForm({ type: (types[0] || {}).code || '', budget: '', budget_line: first.id || '', modality: 'cash', delivery: 'direct', partner: '' });
  var v = f[0], set = f[1];
  var rs = useState(null), res = rs[0], errs = res && !res.ok ? errorMap(res) : {};
  var line = lines.filter(function (x) { return x.id === v.budget_line; })[0] || first;
  var cur = line.currency || 'USD';
  async function submit(e) {
    e.preventDefault();
    var minor = toMinor(v.budget, cur);
    if (minor == null) { rs[1]({ ok: false, data: { title: t('money.bad_amount'), errors: [{ field: 'budget_minor', message: t('money.bad_amount') }] } }); return; }
    var body = { type: v.type, budget_minor: minor, currency: cur, modality: v.modality, delivery: v.delivery };
    if (v.budget_line) body.budget_line = v.budget_line;
    if (v.delivery === 'referral' && v.partner) body.partner = v.partner;
    var r = await api('POST', '/plans/' + props.plan.id + '/items', body);
    rs[1](r);
    if (r.ok) props.onDone();
  }
  return html`<form class="rz-item card" onSubmit=${submit}>
    <h4>${t('rz.item_new')}</h4><${MvProblem} r=${res} />
    <div class="grid">
      <${RzField} name="type" label=${t('rz.item_type')} required errs=${errs}>${function (id) {
        return html`<select id=${id} value=${v.type} onChange=${set('type')}>${types.map(function (x) {
          return html`<option value=${x.code} key=${x.code}>${x.name} (${t('rz.dim.' + x.dimension)})</option>`; })}</select>`; }}</${RzField}>
      <${RzField} name="budget_line" label=${t('money.line')} errs=${errs}>${function (id) {
        return html`<select id=${id} value=${v.budget_line} onChange=${set('budget_line')}>${lines.map(function (x) {
          return html`<option value=${x.id} key=${x.id}>${x.project} · ${x.code} ${x.name}</option>`; })}</select>`; }}</${RzField}>
      <${RzField} name="budget_minor" label=${t('money.amount_units', { currency: cur })} required errs=${errs}>${function (id) {
        return html`<input id=${id} inputmode="decimal" dir="ltr" required value=${v.budget} onInput=${set('budget')} />`; }}</${RzField}>
      <${RzField} name="modality" label=${t('rz.modality')} required errs=${errs}>${function (id) {
        return html`<select id=${id} value=${v.modality} onChange=${set('modality')}>${['cash', 'in_kind'].map(function (m) {
          return html`<option value=${m} key=${m}>${t('rz.modality.' + m)}</option>`; })}</select>`; }}</${RzField}>
      <${RzField} name="delivery" label=${t('rz.delivery')} required errs=${errs}>${function (id) {
        return html`<select id=${id} value=${v.delivery} onChange=${set('delivery')}>${['direct', 'referral'].map(function (m) {
          return html`<option value=${m} key=${m}>${t('rz.delivery.' + m)}</option>`; })}</select>`; }}</${RzField}>
      ${v.delivery === 'referral' ? html`<${RzField} name="partner" label=${t('rz.partner')} required errs=${errs}>${function (id) {
        return html`<select id=${id} value=${v.partner} onChange=${set('partner')}><option value="">—</option>
          ${(S.partners || []).map(function (p) { return html`<option value=${p.id} key=${p.id}>${p.name}</option>`; })}</select>`; }}</${RzField}>` : null}
    </div>
    <div class="actions"><button type="submit">${t('rz.item_add')}</button></div>
  </form>`;
}

var RZ_REFERRAL = ['sent', 'accepted', 'completed', 'declined'];
var RZ_NEXT = { approved: ['in_progress', 'delivered', 'cancelled'], in_progress: ['delivered', 'cancelled'] };

/* The progress of one approved item: a new status (with evidence or a
 * reason as needed) and, for a referral, its status. */
function ItemStep(props) {
  var i = props.item, next = RZ_NEXT[i.status] || [];
  var f = useForm({ status: '', evidence: '', reason: '', referral_status: i.referral_status || '' });
  var v = f[0], set = f[1];
  var rs = useState(null), res = rs[0], errs = res && !res.ok ? errorMap(res) : {};
  async function submit(e) {
    e.preventDefault();
    var body = {};
    if (v.status) body.status = v.status;
    if (v.status === 'delivered') body.evidence = v.evidence;
    if (v.status === 'cancelled') body.reason = v.reason;
    if (i.delivery === 'referral' && v.referral_status !== (i.referral_status || '')) body.referral_status = v.referral_status || null;
    if (!Object.keys(body).length) { props.onClose(); return; }
    var r = await api('PATCH', '/plan-items/' + i.id, body, { ifMatch: i.version });
    rs[1](r);
    if (r.ok) props.onDone();
  }
  return html`<form class="rz-step" onSubmit=${submit}><${MvProblem} r=${res} />
    <div class="grid">
      ${next.length ? html`<${RzField} name="status" id="f-rz-step_status" label=${t('rz.step_status')} errs=${errs}>${function (id) {
        return html`<select id=${id} value=${v.status} onChange=${set('status')}><option value="">${t('rz.step_keep')}</option>
          ${next.map(function (s) { return html`<option value=${s} key=${s}>${t('rz.item_status.' + s)}</option>`; })}</select>`; }}</${RzField}>` : null}
      ${i.delivery === 'referral' ? html`<${RzField} name="referral_status" label=${t('rz.referral_status')} errs=${errs}>${function (id) {
        return html`<select id=${id} value=${v.referral_status} onChange=${set('referral_status')}><option value="">${t('rz.referral.none')}</option>
          ${RZ_REFERRAL.map(function (s) { return html`<option value=${s} key=${s}>${t('rz.referral.' + s)}</option>`; })}</select>`; }}</${RzField}>` : null}
      ${v.status === 'delivered' ? html`<${RzField} name="evidence" label=${t('rz.evidence')} required errs=${errs} cls="wide">${function (id) {
        return html`<textarea id=${id} required rows="2" value=${v.evidence} onInput=${set('evidence')}></textarea>`; }}</${RzField}>` : null}
      ${v.status === 'cancelled' ? html`<${RzField} name="reason" label=${t('rz.cancel_reason')} required errs=${errs} cls="wide">${function (id) {
        return html`<textarea id=${id} required rows="2" value=${v.reason} onInput=${set('reason')}></textarea>`; }}</${RzField}>` : null}
    </div>
    <div class="actions"><button type="submit">${t('rz.step_save')}</button>
      <button type="button" class="secondary" onClick=${props.onClose}>${t('common.cancel')}</button></div>
  </form>`;
}

/* Closing an approved plan: the closure reason the cases take, and why,
 * when items are still approved or in progress. */
function PlanClose(props) {
  var p = props.plan;
  var open = (p.items || []).filter(function (i) { return i.status === 'approved' || i.status === 'in_progress'; }).length;
  var f = useForm({ closure_reason: '', reason: '' });
  var v = f[0], set = f[1];
  var rs = useState(null), res = rs[0], errs = res && !res.ok ? errorMap(res) : {};
  async function submit(e) {
    e.preventDefault();
    var body = { closure_reason: v.closure_reason };
    if (v.reason) body.reason = v.reason;
    var r = await api('POST', '/plans/' + p.id + '/close', body, { ifMatch: p.version });
    rs[1](r);
    if (r.ok) props.onDone();
  }
  return html`<details class="rz-more rz-close"><summary>${t('rz.close')}</summary>
    <form class="rz-close-form" onSubmit=${submit}><${MvProblem} r=${res} />
    <div class="grid">
      <${RzField} name="closure_reason" label=${t('req.closure.reason')} required errs=${errs}>${function (id) {
        return html`<select id=${id} required value=${v.closure_reason} onChange=${set('closure_reason')}>
          <option value="">${t('common.choose')}</option>
          ${CLOSURE_REASONS.map(function (x) { return html`<option value=${x} key=${x}>${tv(x)}</option>`; })}</select>`; }}</${RzField}>
      ${open || errs.reason ? html`<${RzField} name="reason" label=${tn('rz.close_why', open)} required errs=${errs} cls="wide">${function (id) {
        return html`<textarea id=${id} required rows="2" value=${v.reason} onInput=${set('reason')}></textarea>`; }}</${RzField}>` : null}
    </div>
    <div class="actions"><button type="submit">${t('rz.close')}</button></div></form></details>`;
}

function PlanCard(props) {
  var p = props.plan, types = props.types;
  var rs = useState(null), st = useState(null), stepping = st[0];
  var manage = p.status === 'approved' && may('plan.manage');
  function typeName(code) {
    var x = types.filter(function (y) { return y.code === code; })[0];
    return x ? x.name : code;
  }
  async function approve() {
    var r = await api('POST', '/plans/' + p.id + '/approve', undefined, { ifMatch: p.version });
    rs[1](r);
    if (r.ok) props.onChange();
  }
  var items = p.items || [];
  var total = {};
  items.forEach(function (i) { if (i.status !== 'cancelled') total[i.currency] = (total[i.currency] || 0) + i.budget_minor; });
  return html`<article class="rz-plan card" data-status=${p.status}>
    <h3>${p.title} <span class=${'stage rz-status rz-' + p.status}>${t('rz.plan_status.' + p.status)}</span></h3>
    <p class="lead">${t('rz.kind.' + p.kind)}${p.approved_at ? ' · ' + t('rz.approved_on', { date: fmtDate(p.approved_at.slice(0, 10)) }) : ''}</p>
    <${MvProblem} r=${rs[0]} />
    ${items.length ? html`<table class="list rz-items"><thead><tr><th scope="col">${t('rz.item_type')}</th>
      <th scope="col" class="num">${t('money.budget')}</th><th scope="col">${t('rz.modality')}</th>
      <th scope="col">${t('rz.delivery')}</th><th scope="col">${t('rz.item_status')}</th></tr></thead>
      <tbody>${items.map(function (i) {
        return html`<tr key=${i.id}><td>${typeName(i.type)}</td><td class="num">${fmtMoney(i.budget_minor, i.currency)}</td>
          <td>${t('rz.modality.' + i.modality)}</td>
          <td>${t('rz.delivery.' + i.delivery)}${i.partner ? ' · ' + partnerName(i.partner) : ''}${i.referral_status ? ' (' + t('rz.referral.' + i.referral_status) + ')' : ''}</td>
          <td><span class=${'stage rz-item-' + i.status}>${t('rz.item_status.' + i.status)}</span>
            ${manage && RZ_NEXT[i.status] && stepping !== i.id ? html` <button type="button" class="link rz-step-open"
              onClick=${function () { st[1](i.id); }}>${t('rz.step_open')}</button>` : null}</td></tr>
          ${stepping === i.id ? html`<tr key=${i.id + ':step'} class="rz-step-row"><td colspan="5">
            <${ItemStep} item=${i} onDone=${function () { st[1](null); props.onChange(); }} onClose=${function () { st[1](null); }} /></td></tr>` : null}`;
      })}</tbody>
      <tfoot><tr><th scope="row">${t('money.total')}</th><td class="num">${Object.keys(total).map(function (c) { return fmtMoney(total[c], c); }).join(' + ')}</td><td colspan="3"></td></tr></tfoot>
      </table>` : html`<p class="empty">${t('rz.no_items')}</p>`}
    ${p.status === 'draft' && may('plan.manage') && props.lines ? html`<${ItemForm} plan=${p} lines=${props.lines} types=${types} onDone=${props.onChange} />` : null}
    ${p.status === 'draft' && may('plan.approve') && items.length ? html`<div class="actions">
      <button type="button" class="rz-approve" onClick=${approve}>${t('rz.approve')}</button></div>` : null}
    ${manage ? html`<${PlanClose} plan=${p} onDone=${props.onChange} />` : null}
  </article>`;
}

/* A new plan for the case: individual (its principal), or community (the
 * case takes part in a project for a place, with its beneficiaries counted
 * by sex and age group; AGE_GROUPS of followup.js). Collective plans
 * (several returnees with shares) are made through the API. */
function NewPlanForm(props) {
  var c = props.c || {};
  var f = useForm({ title: '', kind: 'individual', admin_area: c.destination_admin_area || '', counts: {} });
  var v = f[0], set = f[1];
  var rs = useState(null), res = rs[0], errs = res && !res.ok ? errorMap(res) : {};
  function setCount(k) { return function (e) { var n = Object.assign({}, v.counts); n[k] = e.target.value; f[2](Object.assign({}, v, { counts: n })); }; }
  async function submit(e) {
    e.preventDefault();
    var body = { kind: v.kind, title: v.title, members: [{ case_id: props.caseId }] };
    if (v.kind === 'community') {
      body.country = c.destination_country;
      if (v.admin_area) body.admin_area = v.admin_area;
      body.beneficiaries = [];
      ['female', 'male'].forEach(function (sex) {
        AGE_GROUPS.forEach(function (g) {
          var n = parseInt(v.counts[sex + g] || '0', 10);
          if (n > 0) body.beneficiaries.push({ sex: sex, age_group: g, count: n });
        });
      });
    }
    var r = await api('POST', '/plans', body);
    rs[1](r);
    if (r.ok) { f[2]({ title: '', kind: 'individual', admin_area: c.destination_admin_area || '', counts: {} }); props.onDone(); }
  }
  return html`<form class="rz-plan-new card" onSubmit=${submit}>
    <h3>${t('rz.plan_new')}</h3><${MvProblem} r=${res} />
    <div class="grid">
      <${RzField} name="kind" label=${t('rz.plan_kind')} required errs=${errs}>${function (id) {
        return html`<select id=${id} value=${v.kind} onChange=${set('kind')}>${['individual', 'community'].map(function (k) {
          return html`<option value=${k} key=${k}>${t('rz.kind.' + k)}</option>`; })}</select>`; }}</${RzField}>
      <${RzField} name="title" label=${t('rz.plan_title')} required errs=${errs}>${function (id) {
        return html`<input id=${id} required value=${v.title} onInput=${set('title')} />`; }}</${RzField}>
      ${v.kind === 'community' ? html`<${RzField} name="admin_area" label=${t('rz.place', { country: countryName(c.destination_country) })} errs=${errs}>${function (id) {
        return html`<input id=${id} value=${v.admin_area} onInput=${set('admin_area')} />`; }}</${RzField}>` : null}
    </div>
    ${v.kind === 'community' ? html`<fieldset class="act-counts rz-beneficiaries"><legend>${t('rz.beneficiaries')}</legend>
      ${errs.beneficiaries ? html`<p class="err">${errs.beneficiaries}</p>` : null}
      <table class="list"><thead><tr><th scope="col"></th>${AGE_GROUPS.map(function (g) {
        return html`<th scope="col" key=${g}><bdi dir="ltr">${g}</bdi></th>`; })}</tr></thead>
      <tbody>${['female', 'male'].map(function (sex) {
        return html`<tr key=${sex}><th scope="row">${t('act.sex.' + sex)}</th>${AGE_GROUPS.map(function (g) {
          return html`<td key=${g}><input type="number" min="0" class="count" id=${'f-rz-n-' + sex + '-' + g}
            aria-label=${t('act.sex.' + sex) + ' ' + g} value=${v.counts[sex + g] || ''} onInput=${setCount(sex + g)} /></td>`;
        })}</tr>`;
      })}</tbody></table></fieldset>` : null}
    <div class="actions"><button type="submit">${t('rz.plan_create')}</button></div>
  </form>`;
}

function ReintegrationPage(props) {
  var id = props.id;
  var l = useLoad(function () {
    var reads = [api('GET', '/cases/' + id).then(must), api('GET', '/cases/' + id + '/needs-assessments').then(must),
      api('GET', '/cases/' + id + '/plans').then(must), api('GET', '/plan-item-types' + qs({ lang: S.lang })).then(must),
      loadBudgetLines(),
      may('ledger.read') ? api('GET', '/cases/' + id + '/ledger').then(must) : Promise.resolve(null),
      loadPartners()];
    return Promise.all(reads).then(function (d) {
      var pr = (d[0].members || []).filter(function (m) { return m.relationship === 'principal'; })[0];
      if (!pr || !may('followup.read')) return d.concat([null, null]);
      return api('GET', '/persons/' + pr.person_id + '/sustainability-scores').then(function (r) {
        return d.concat([r.ok ? r.data : null, pr.person_id]);
      });
    });
  }, [id, S.lang]);
  var d = l[0];
  var c = d && d[0], needs = d ? d[1].items || [] : [], plans = d ? d[2].items || [] : [];
  var types = d ? d[3].items || [] : [];
  var lines = d ? d[4] : [];
  var open = c && stageIs(c.stage, 'after_arrival');
  return html`<main id="main" class="rz">
    <p class="crumbs"><${Link} href=${'/cases/' + id}>${c ? html`<bdi dir="ltr">${c.number}</bdi>` : t('rz.case')}</${Link}></p>
    <h1 tabindex="-1">${t('rz.title')}${c ? html` — <bdi dir="ltr">${c.number}</bdi>` : null}</h1>
    ${l[1] ? html`<p class="alert" role="alert">${l[1]}</p>` : null}
    ${c ? html`<p class="lead">${colon(t('rz.stage'))}<${StageBadge} stage=${c.stage} /></p>` : null}
    ${d ? html`<${Fragment}>
    <section aria-labelledby="sec-needs"><h2 id="sec-needs">${t('rz.needs')}</h2>
      ${needs.length ? html`<ul class="rz-needs-list">${needs.map(function (n) {
        return html`<li key=${n.id}><strong>${fmtDate(n.assessed_on)}</strong> · ${t('rz.choice.' + n.choice)}
          ${n.project_idea ? html`<br />${n.project_idea}` : null}</li>`; })}</ul>` : html`<p class="empty">${t('rz.no_needs')}</p>`}
      ${open && may('plan.manage') ? (needs.length ? html`<details class="rz-more"><summary>${t('rz.needs_new')}</summary>
        <${NeedsForm} caseId=${id} onDone=${l[2]} /></details>` : html`<${NeedsForm} caseId=${id} onDone=${l[2]} />`) : null}
    </section>
    <section aria-labelledby="sec-plans"><h2 id="sec-plans">${t('rz.plans')}</h2>
      ${plans.length ? plans.map(function (p) {
        return html`<${PlanCard} key=${p.id + ':' + p.version + ':' + (p.items || []).length} plan=${p} types=${types} lines=${lines} onChange=${l[2]} />`;
      }) : html`<p class="empty">${t('rz.no_plans')}</p>`}
      ${open && may('plan.manage') ? (plans.length ? html`<details class="rz-more"><summary>${t('rz.plan_new')}</summary>
        <${NewPlanForm} caseId=${id} c=${c} onDone=${l[2]} /></details>` : html`<${NewPlanForm} caseId=${id} c=${c} onDone=${l[2]} />`) : null}
    </section>
    ${d[7] ? html`<section aria-labelledby="sec-scores"><h2 id="sec-scores">${t('score.title')}</h2>
      <${ScoresChart} items=${d[7].items} />
      ${may('followup.manage') && open ? html`<${SurveyForm} caseId=${id} personId=${d[8]}
        hasBaseline=${d[7].items.some(function (x) { return x.round === 'baseline'; })} onDone=${l[2]} />` : null}</section>` : null}
    ${d[5] ? html`<section aria-labelledby="sec-case-ledger"><h2 id="sec-case-ledger">${t('money.ledger')}</h2>
      <${LedgerTable} items=${d[5].items} /></section>` : null}
    </${Fragment}>` : null}
  </main>`;
}
