/*
 * duplicatereview.js — the review queue of possible duplicates (/duplicates,
 * for holders of duplicate.review): GET /duplicates?status=open|not_same|merged,
 * one tab each, a page of REVIEW_PAGE with "Show more" following next_cursor.
 *
 * Each pair is a card with the two registrations side by side (name in
 * both scripts, sex, date of birth, nationality, cases with number, stage
 * and office), the score and what matched (the explanation: each name
 * word and how, the date of birth, sex, nationality, documents). A person
 * the user may not see comes as "registered in another office" with only
 * the offices and numbers of their cases: the server sends no more.
 *
 * Open pairs: "Not the same" (with an optional note) — the pair is never
 * proposed again; and, for holders of person.merge when both persons are
 * visible, "Merge, keep this one" under each column, asked once more
 * before it is sent (a merge moves one person's whole history to the
 * other). Merged pairs (the history): "Undo the merge". Every decision is
 * sent with an Idempotency-Key, so a double click or a retry does it once;
 * the server's refusal (409: decided meanwhile, both in one case…) is
 * shown in its own words.
 */
var REVIEW_PAGE = 20;
var REVIEW_TABS = ['open', 'not_same', 'merged'];

function ReviewPerson(props) {
  var p = props.p;
  if (!p.visible) {
    return html`<div class="review-person hidden-person">
      <p class="muted">${t('review.elsewhere')}</p>
      <ul class="plain">${(p.cases || []).map(function (c) {
        return html`<li><bdi>${c.number}</bdi> <span class="muted review-office"><bdi>${officeName(c.office)}</bdi></span></li>`;
      })}</ul>
    </div>`;
  }
  return html`<div class="review-person">
    <h3 class="h3"><${PersonName} person=${p} /></h3>
    ${p.merged_into ? html`<p class="tag">${t('review.merged_into')}</p>` : null}
    <dl class="kv">
      <div><dt>${t('person.sex')}</dt><dd>${tv(p.sex)}</dd></div>
      <div><dt>${t('person.date_of_birth')}</dt><dd>${p.date_of_birth ? fmtBirth(p) : '—'}</dd></div>
      <div><dt>${t('person.nationality')}</dt><dd>${countryName(p.nationality)}</dd></div>
      <div><dt>${t('review.cases')}</dt><dd><ul class="plain">${(p.cases || []).map(function (c) {
        return html`<li>${c.id ? html`<${Link} href=${'/cases/' + c.id}><bdi>${c.number}</bdi></${Link}>` : html`<bdi>${c.number}</bdi>`}
          ${c.stage ? html` <${StageBadge} stage=${c.stage} />` : null}
          <span class="muted review-office"><bdi>${officeName(c.office)}</bdi></span></li>`;
      })}</ul></dd></div>
    </dl>
    ${props.children}
  </div>`;
}

/* What matched, in words: each name word and how, then the other parts. */
function Explanation(props) {
  var e = props.e || {};
  /* each name in its own <bdi>: an Arabic and a Latin word side by side
   * keep their order in either direction */
  var parts = (e.names || []).map(function (n) {
    return n.query && n.candidate
      ? html`<bdi>${n.query}</bdi> ↔ <bdi>${n.candidate}</bdi> — ${t('review.how.' + n.how)}`
      : t('review.how.' + n.how);
  });
  ['date_of_birth', 'sex', 'nationality', 'documents'].forEach(function (k) {
    if (e[k]) parts.push(t('review.part.' + k) + ' ' + t('review.kind.' + e[k]));
  });
  return html`<ul class="review-why">${parts.map(function (s) { return html`<li>${s}</li>`; })}</ul>`;
}

function PairCard(props) {
  var it = props.it, a = it.persons[0], b = it.persons[1];
  var st = useState({ busy: false, error: null, confirm: null, note: '' });
  var s = st[0], set = st[1];
  var idem = useRef(randomKey());
  async function send(path, body) {
    set(Object.assign({}, s, { busy: true, error: null }));
    var r = await api('POST', path, body, { idem: idem.current });
    if (!r.ok) {
      set(Object.assign({}, s, { busy: false, error: problemText(r) }));
      return;
    }
    idem.current = randomKey();
    props.done(r);
  }
  var canMerge = it.status === 'open' && may('person.merge') && a.visible && b.visible;
  function keepButton(p) {
    if (!canMerge) return null;
    return html`<button type="button" class="secondary" disabled=${s.busy}
      onClick=${function () { set(Object.assign({}, s, { confirm: p.id, error: null })); }}>${t('review.keep_this')}</button>`;
  }
  var keep = s.confirm ? (s.confirm === a.id ? a : b) : null;
  var other = keep ? (keep === a ? b : a) : null;
  return html`<li class="card review-pair">
    <div class="record-head"><h2 class="h3">${t('review.score', { n: fmtNum(Math.round(it.score / 100)) })}</h2>
      <span class="muted">${tv(it.source)} · ${fmtDateTime(it.created_at)}</span></div>
    <${Explanation} e=${it.explanation} />
    <div class="review-side">
      <${ReviewPerson} p=${a}>${keepButton(a)}</${ReviewPerson}>
      <${ReviewPerson} p=${b}>${keepButton(b)}</${ReviewPerson}>
    </div>
    ${it.status !== 'open' ? html`<p class="muted">${t('review.decided', { by: it.decided_by || '', at: fmtDateTime(it.decided_at) })}${it.note ? html` — <bdi>${it.note}</bdi>` : null}</p>` : null}
    ${keep ? html`<div class="confirm" role="group" aria-label=${t('review.merge')}>
      <p>${t('review.confirm', { keep: keep.name, other: other.name })}</p>
      <button type="button" disabled=${s.busy} onClick=${function () {
        send('/duplicates/' + it.id + '/merge', { keep: keep.id });
      }}>${t('review.merge')}</button>
      <button type="button" class="secondary" onClick=${function () { set(Object.assign({}, s, { confirm: null })); }}>${t('common.cancel')}</button>
    </div>` : null}
    ${it.status === 'open' && !keep ? html`<div class="review-actions">
      <label>${t('review.note')} <input type="text" maxlength="1000" value=${s.note}
        onInput=${function (ev) { set(Object.assign({}, s, { note: ev.target.value })); }} /></label>
      <button type="button" class="secondary" disabled=${s.busy} onClick=${function () {
        send('/duplicates/' + it.id + '/not-same', s.note ? { note: s.note } : {});
      }}>${t('review.not_same')}</button>
    </div>` : null}
    ${it.status === 'merged' && it.merge && may('person.merge') ? html`<p>
      <button type="button" class="secondary" disabled=${s.busy} onClick=${function () {
        send('/merges/' + it.merge + '/undo');
      }}>${t('review.undo')}</button></p>` : null}
    ${s.error ? html`<p class="alert" role="alert">${s.error}</p>` : null}
  </li>`;
}

function DuplicateReviewPage() {
  var tab = REVIEW_TABS.indexOf(query().status) >= 0 ? query().status : 'open';
  var st = useState({ items: [], cursor: null, loading: true, error: null, said: null });
  var s = st[0], set = st[1];
  async function load(cursor, said) {
    set(function (x) { return Object.assign({}, x, { loading: true, error: null }); });
    var r = await api('GET', '/duplicates' + qs({ status: tab, limit: REVIEW_PAGE, cursor: cursor }));
    if (!r.ok) {
      set(function (x) { return Object.assign({}, x, { loading: false, error: problemText(r) }); });
      return;
    }
    set(function (x) {
      return { items: (cursor ? x.items : []).concat(r.data.items), cursor: r.data.next_cursor || null,
        loading: false, error: null, said: said === undefined ? x.said : said };
    });
  }
  useEffect(function () { load(null, null); }, [tab]);
  function done(r) {
    var said = r.data && r.data.rows_moved != null
      ? (r.data.undone_at ? t('review.undone') : t('review.merged', { n: fmtNum(r.data.rows_moved + r.data.rows_dropped) }))
      : t('review.marked_not_same');
    load(null, said);
  }
  return html`<main id="main" class="duplicate-review">
    <h1 tabindex="-1">${t('review.title')}</h1>
    <p class="muted">${t('review.intro')}</p>
    <nav class="tabs" aria-label=${t('review.title')}><ul>${REVIEW_TABS.map(function (k) {
      return html`<li><${Link} href=${'/duplicates' + (k === 'open' ? '' : '?status=' + k)} current=${k === tab}>${t('review.tab.' + k)}</${Link}></li>`;
    })}</ul></nav>
    ${s.said ? html`<p class="notice" role="status">${s.said}</p>` : null}
    <${Status} loading=${s.loading && !s.items.length} error=${s.error} />
    ${!s.loading && !s.error && !s.items.length ? html`<p class="card">${t('review.none.' + tab)}</p>` : null}
    ${s.items.length ? html`<ul class="review-list">${s.items.map(function (it) {
      return html`<${PairCard} key=${it.id + it.status} it=${it} done=${done} />`;
    })}</ul>` : null}
    ${s.cursor ? html`<p><button type="button" class="secondary" disabled=${s.loading}
      onClick=${function () { load(s.cursor); }}>${t('review.more')}</button></p>` : null}
  </main>`;
}
