/*
 * duplicates.js — possible duplicates of a person (issue 13), from the
 * duplicates module's two routes:
 *
 *   DuplicateHint     under the registration form: once a member's name
 *                     (and, when given, date of birth) is typed, and the
 *                     typing has paused, POST /duplicates/check for that
 *                     person and show "possible duplicate of …" with the
 *                     case number and why (the score's explanation). It
 *                     never blocks the registration: a slow or failed
 *                     check shows nothing.
 *   PersonDuplicates  on the case page, under each member: a button that
 *                     asks GET /persons/{id}/duplicates and lists them.
 *
 * A candidate the user may not see (another office's case) comes without
 * name, date or number: the office to contact, and how alike they are.
 * Both only for users holding person.duplicates.
 */

var DUP_DEBOUNCE_MS = 700;

/* The person fields the check takes, from a member of the form. */
function dupQuery(p) {
  var q = { name: (p.name || '').trim() };
  if (p.name_latin) q.name_latin = p.name_latin;
  if (p.sex) q.sex = p.sex;
  if (p.nationality) q.nationality = p.nationality;
  if (p.date_of_birth && p.dob_precision) {
    q.date_of_birth = p.date_of_birth;
    q.dob_precision = p.dob_precision;
  }
  var docs = (p.documents || []).filter(function (d) { return d && d.number && d.type; });
  if (docs.length) q.documents = docs.map(function (d) { return { type: d.type, number: d.number }; });
  return q;
}

/* One sentence per part of the explanation, in the user's language. */
function DupWhy(props) {
  var e = props.e || {};
  var parts = (e.names || []).map(function (n, i) {
    return html`<li key=${'n' + i}>${n.candidate != null
      ? html`<bdi>${n.query}</bdi> ↔ <bdi>${n.candidate}</bdi>` : html`<bdi>${n.query}</bdi>`}
      <span class="muted"> — ${t('dup.how.' + n.how)}</span></li>`;
  });
  if (e.names_unmatched) parts.push(html`<li key="u">${tn('dup.unmatched', e.names_unmatched)}</li>`);
  parts.push(html`<li key="d">${colon(t('person.date_of_birth'))}${t('dup.dob.' + e.date_of_birth)}</li>`);
  if (e.sex && e.sex !== 'unknown') parts.push(html`<li key="s">${t('dup.sex.' + e.sex)}</li>`);
  if (e.nationality && e.nationality !== 'unknown') parts.push(html`<li key="c">${t('dup.nationality.' + e.nationality)}</li>`);
  if (e.documents === 'same_number') parts.push(html`<li key="p"><strong>${t('dup.documents.same_number')}</strong></li>`);
  return html`<ul class="dup-why">${parts}</ul>`;
}

function DupItem(props) {
  var it = props.item;
  var score = html`<span class="tag dup-score">${t('dup.score', { n: fmtNum(Math.round(it.score / 100)) })}</span>`;
  if (!it.in_scope) {
    return html`<li class="dup-item elsewhere">
      <div>${t('dup.elsewhere', { office: (it.offices || []).join(', ') })} ${score}</div>
      <${DupWhy} e=${it.explanation} /></li>`;
  }
  var p = it.person || {};
  return html`<li class="dup-item">
    <div><strong><${PersonName} person=${p} /></strong>${p.date_of_birth ? ' · ' + fmtBirth(p) : ''} ${score}</div>
    <div>${(it.cases || []).map(function (c) {
      return html`<a key=${c.id} href=${'/cases/' + c.id} onClick=${function (ev) { ev.preventDefault(); navigate('/cases/' + c.id); }}>
        ${t('dup.case', { number: c.number })}</a> `;
    })}${(it.offices || []).length ? html`<span class="muted">${t('dup.also', { office: it.offices.join(', ') })}</span>` : null}</div>
    <${DupWhy} e=${it.explanation} /></li>`;
}

/* The members of a registration form being typed: one check per member
 * whose name is there, after a pause. */
function DuplicateHint(props) {
  var members = (props.value && props.value.members) || [];
  var queries = members.map(function (m) { return m && m.person ? dupQuery(m.person) : { name: '' }; });
  var key = JSON.stringify(queries);
  var st = useState({});
  var found = st[0], setFound = st[1];
  var gen = useRef(0);
  useEffect(function () {
    if (!may('person.duplicates')) return undefined;
    var g = ++gen.current;
    var timer = setTimeout(async function () {
      var next = {};
      for (var i = 0; i < queries.length; i++) {
        if (queries[i].name.length < 3) continue;
        var r = await api('POST', '/duplicates/check?limit=3', queries[i]);
        if (g !== gen.current) return; /* typed again meanwhile */
        var items = r.ok && r.data ? (r.data.items || []).filter(function (x) { return x.score >= 6000; }) : [];
        if (items.length) next[i] = items;
      }
      setFound(next);
    }, DUP_DEBOUNCE_MS);
    return function () { clearTimeout(timer); };
  }, [key]);
  var shown = Object.keys(found).filter(function (i) { return i < members.length; });
  if (!shown.length) return null;
  return html`<div class="dup-hint" role="status" aria-live="polite">
    ${shown.map(function (i) {
      var m = members[i].person || {};
      return html`<div key=${i}><h4>${t('dup.hint', { name: m.name || '' })}</h4>
        <ul class="dup-list">${found[i].map(function (it, k) { return html`<${DupItem} key=${k} item=${it} />`; })}</ul></div>`;
    })}
    <p class="muted small">${t('dup.hint_note')}</p>
  </div>`;
}

/* A member's possible duplicates, asked for on the case page. */
function PersonDuplicates(props) {
  var st = useState(null);
  var res = st[0], setRes = st[1];
  if (!may('person.duplicates')) return null;
  async function load() {
    setRes({ loading: true });
    var r = await api('GET', '/persons/' + props.personId + '/duplicates?limit=5');
    setRes(r.ok ? { items: r.data.items || [] } : { error: (r.data && r.data.title) || t('error.network') });
  }
  if (!res) {
    return html`<button type="button" class="link small dup-show" onClick=${load}>${t('dup.show')}</button>`;
  }
  if (res.loading) return html`<${Status} loading=${true} />`;
  if (res.error) return html`<p class="error">${res.error}</p>`;
  return html`<div class="dup-person"><h4>${t('dup.title')}</h4>${res.items.length
    ? html`<ul class="dup-list">${res.items.map(function (it, k) { return html`<${DupItem} key=${k} item=${it} />`; })}</ul>`
    : html`<p class="muted">${t('dup.none')}</p>`}</div>`;
}
