/*
 * admin.js — administration: restrictions on return (programme managers),
 * offices, users and partner organisations (administrators).
 *
 * Each tab is a list with a "new" form and, per row, an edit form, all
 * drawn from the field tables of GET /api/v1/schema (restriction, office,
 * user). Restrictions carry a version: edits and reviews send it as
 * If-Match, so two managers never overwrite each other silently (412 says
 * someone else changed it; the list reloads). A review (POST
 * …/review) records that the restriction was looked at again, usually with
 * a new next_review date. Offices are edited by code (the code itself
 * cannot change), users by user name (the password only when typed; a
 * partner user's organisation chosen from the partners), partner
 * organisations by id (records refer to the id, so a new name shows
 * everywhere).
 */
var ROLE_NAMES = ['registration', 'counsellor', 'medical', 'operations', 'protection',
  'reintegration', 'finance', 'me', 'manager', 'admin', 'partner', 'donor'];

function Tabs(props) {
  var tabs = [];
  if (canAdmin()) tabs.push('restrictions');
  if (may('office.manage')) tabs.push('offices');
  if (may('user.manage')) tabs.push('users');
  if (may('partner.manage')) tabs.push('partners');
  return html`<nav class="tabs" aria-label=${t('admin.title')}><ul>${tabs.map(function (k) {
    return html`<li><${Link} href=${'/admin/' + k} current=${props.tab === k}>${t('admin.' + k)}</${Link}></li>`;
  })}</ul></nav>`;
}

function AdminPage(props) {
  /* the users' organisations are partners: named and offered by name */
  useEffect(function () { loadPartners().then(rerender); }, []);
  return html`<main id="main">
    <h1 tabindex="-1">${t('admin.title')}</h1>
    <${Tabs} tab=${props.tab} />
    ${props.tab === 'restrictions' ? html`<${RestrictionsAdmin} />`
      : props.tab === 'offices' ? html`<${OfficesAdmin} />`
      : props.tab === 'partners' ? html`<${PartnersAdmin} />` : html`<${UsersAdmin} />`}
  </main>`;
}

/* The shared shape of the three tabs: a list, a "new" form, edit forms. */
function AdminList(props) {
  var d = useLoad(function () { return api('GET', props.path).then(must); }, [props.path]);
  var mode = useState(null); /* null | 'new' | {edit: item} | {review: item} */
  var idem = useRef(randomKey());
  var m = mode[0];
  function done() {
    mode[1](null);
    d[2]();
    if (props.saved) props.saved();
  }
  return html`<section aria-labelledby="admin-h">
    <div class="page-head"><h2 id="admin-h">${t('admin.' + props.name)}</h2>
      ${props.canEdit && m !== 'new' ? html`<button type="button" onClick=${function () { idem.current = randomKey(); mode[1]('new'); }}>${t('admin.new_' + props.name)}</button>` : null}</div>
    ${m === 'new' ? html`<${SchemaForm} title=${t('admin.new_' + props.name)} fields=${props.fields}
      ctx=${props.ctx} initial=${{}} cancel=${function () { mode[1](null); }}
      submit=${function (body) { return api('POST', props.path, body, { idem: idem.current }); }} done=${done} />` : null}
    ${m && m.edit ? html`<${SchemaForm} key=${props.keyOf(m.edit)} title=${colon(t('common.edit')) + props.titleOf(m.edit)}
      fields=${props.editFields} ctx=${props.ctx} initial=${formValues(props.editFields, m.edit)}
      keepNull=${props.keepNull} cancel=${function () { mode[1](null); }}
      submit=${function (body) { return props.save(m.edit, body); }} done=${done} />` : null}
    ${m && m.review ? html`<${SchemaForm} key=${'r' + props.keyOf(m.review)} title=${colon(t('restriction.review')) + props.titleOf(m.review)}
      fields=${props.fields.filter(function (f) { return f.name === 'next_review'; })} initial=${formValues(props.fields, m.review)}
      cancel=${function () { mode[1](null); }}
      submit=${function (body) { return api('POST', props.path + '/' + m.review.id + '/review', body, { ifMatch: m.review.version }); }}
      done=${done} />` : null}
    <${Status} loading=${d[3] && !d[0]} error=${d[1]} />
    ${d[0] ? html`<table class="list">
      <thead><tr>${props.columns.map(function (c) { return html`<th scope="col">${t(c[0])}</th>`; })}<th scope="col"><span class="sr-only">${t('common.actions')}</span></th></tr></thead>
      <tbody>${d[0].items.map(function (it) {
        return html`<tr key=${props.keyOf(it)}>${props.columns.map(function (c) {
          return html`<td data-label=${t(c[0])}>${c[1](it)}</td>`;
        })}<td class="row-actions">${props.canEdit ? html`
          <button type="button" class="secondary small" onClick=${function () { mode[1]({ edit: it }); }}
            aria-label=${colon(t('common.edit')) + props.titleOf(it)}>${t('common.edit')}</button>
          ${props.reviewable ? html`<button type="button" class="secondary small" onClick=${function () { mode[1]({ review: it }); }}
            aria-label=${colon(t('restriction.review')) + props.titleOf(it)}>${t('restriction.review')}</button>` : null}` : null}</td></tr>`;
      })}</tbody></table>` : null}
  </section>`;
}

function RestrictionsAdmin() {
  var fields = S.schema.restriction;
  return html`<${AdminList} name="restrictions" path="/restrictions" fields=${fields}
    editFields=${fields} canEdit=${may('restriction.manage')} reviewable=${true}
    keepNull=${['admin_area', 'effective_until']}
    keyOf=${function (r) { return r.id + ':' + r.version; }}
    titleOf=${function (r) { return countryName(r.country) + (r.admin_area ? ' — ' + r.admin_area : ''); }}
    save=${function (r, body) { return api('PATCH', '/restrictions/' + r.id, body, { ifMatch: r.version }); }}
    columns=${[
      ['restriction.country', function (r) { return html`${countryName(r.country)}${r.admin_area ? html` — <bdi>${r.admin_area}</bdi>` : null}`; }],
      ['restriction.kind', function (r) { return html`<span class="tag">${tv(r.kind)}</span>`; }],
      ['restriction.effective_from', function (r) { return fmtDate(r.effective_from) + (r.effective_until ? ' – ' + fmtDate(r.effective_until) : ''); }],
      ['restriction.next_review', function (r) {
        var late = r.next_review < new Date().toISOString().slice(0, 10);
        return html`<span class=${late ? 'overdue' : ''}>${fmtDate(r.next_review)}${late ? ' · ' + t('restriction.overdue') : ''}</span>`;
      }],
      ['restriction.reason', function (r) { return html`<span class="clip"><bdi>${r.reason}</bdi></span>`; }],
    ]} />`;
}

function OfficesAdmin() {
  var fields = S.schema.office;
  return html`<${AdminList} name="offices" path="/offices" fields=${fields}
    editFields=${fields.filter(function (f) { return f.name !== 'code' && f.name !== 'country'; })}
    canEdit=${may('office.manage')} keepNull=${['location']}
    saved=${async function () { var r = await api('GET', '/offices'); if (r.ok) S.offices = r.data.items; }}
    keyOf=${function (o) { return o.code; }} titleOf=${function (o) { return o.code; }}
    save=${function (o, body) { return api('PATCH', '/offices/' + o.code, body); }}
    columns=${[
      ['office.code', function (o) { return html`<bdi>${o.code}</bdi>`; }],
      ['office.name', function (o) { return [o.name, o.name_ar, o.name_fr].filter(Boolean).join(' · '); }],
      ['office.country', function (o) { return countryName(o.country); }],
      ['office.location', function (o) { return o.location || ''; }],
    ]} />`;
}

function UsersAdmin() {
  var fields = S.schema.user;
  var ctx = { multi: {
    roles: ROLE_NAMES.map(function (r) { return { value: r, label: tv(r) }; }),
    offices: S.offices.map(function (o) { return { value: o.code, label: officeName(o.code) }; }),
  }, choices: { organisation: partnerChoices() } };
  var editFields = fields.filter(function (f) { return f.name !== 'username'; }).map(function (f) {
    return f.name === 'password' ? Object.assign({}, f, { required: false }) : f;
  });
  return html`<${AdminList} name="users" path="/users" fields=${fields} editFields=${editFields}
    ctx=${ctx} canEdit=${may('user.manage')}
    keyOf=${function (u) { return u.username; }} titleOf=${function (u) { return u.username; }}
    save=${function (u, body) { return api('PATCH', '/users/' + encodeURIComponent(u.username), body); }}
    columns=${[
      ['user.username', function (u) { return html`<bdi>${u.username}</bdi>`; }],
      ['user.full_name', function (u) { return u.full_name || ''; }],
      ['user.roles', function (u) { return u.roles.map(tv).join(', '); }],
      ['user.offices', function (u) { return u.offices.join(', '); }],
      ['user.organisation', function (u) { return u.organisation ? html`<bdi>${partnerName(u.organisation) || u.organisation}</bdi>` : ''; }],
      ['user.disabled', function (u) { return u.disabled ? t('common.yes') : t('common.no'); }],
    ]} />`;
}

function PartnersAdmin() {
  var fields = S.schema.partner;
  return html`<${AdminList} name="partners" path="/partners" fields=${fields} editFields=${fields}
    canEdit=${may('partner.manage')} keepNull=${['country']}
    saved=${async function () { var r = await api('GET', '/partners'); if (r.ok) S.partners = r.data.items; }}
    keyOf=${function (p) { return p.id + ':' + p.updated_at; }} titleOf=${function (p) { return p.name; }}
    save=${function (p, body) { return api('PATCH', '/partners/' + p.id, body); }}
    columns=${[
      ['partner.name', function (p) { return html`<bdi>${p.name}</bdi>`; }],
      ['partner.country', function (p) { return p.country ? countryName(p.country) : ''; }],
    ]} />`;
}
