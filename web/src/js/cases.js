/*
 * cases.js — the case list: filters (stage, office, nationality, assigned
 * to me), a search
 * box that finds names in any script ("Mohamed" finds "محمد") or case
 * numbers, and paging.
 *
 * The filters live in the address (/cases?stage=ready&q=amadou), so Back
 * and a shared link give the same list. Paging follows the API's opaque
 * next_cursor; the cursors of earlier pages are kept in "prev" (a
 * comma-separated list) so Previous works without counting.
 */
var PAGE_SIZE = 25;

function CaseListPage() {
  var q = query();
  var fs = useState(q.q || '');
  var text = fs[0], setText = fs[1];
  var key = JSON.stringify([q.stage, q.office, q.nationality, q.assigned, q.q, q.cursor]);
  var d = useLoad(function () {
    return api('GET', '/cases' + qs({
      stage: q.stage, office: q.office, nationality: q.nationality, assigned: q.assigned, q: q.q,
      cursor: q.cursor, limit: PAGE_SIZE,
    })).then(must);
  }, [key]);
  var data = d[0];
  function go(change) {
    var next = Object.assign({}, q, change);
    if (!('cursor' in change)) { delete next.cursor; delete next.prev; }
    navigate('/cases' + qs(next));
  }
  function search(e) {
    e.preventDefault();
    go({ q: text.trim() });
  }
  var prev = q.prev ? q.prev.split(',') : [];
  function nextPage() {
    go({ cursor: data.next_cursor, prev: prev.concat([q.cursor || '0']).join(',') });
  }
  function prevPage() {
    var p = prev.slice(0, -1), c = prev[prev.length - 1];
    go({ cursor: c === '0' ? '' : c, prev: p.join(',') });
  }
  var stages = S.schema ? S.schema.case.filter(function (f) { return f.name === 'stage'; })[0].values : [];
  var nats = countryChoices(true);
  return html`<main id="main">
    <div class="page-head"><h1 tabindex="-1">${t('cases.title')}</h1>
      ${hasRole('registration', 'manager') ? html`<${Link} class="button" href="/cases/new">${t('nav.register')}</${Link}>` : null}</div>
    <form class="card filters" role="search" onSubmit=${search} aria-label=${t('cases.filters')}>
      <div class="field grow"><label for="case-q">${t('cases.search')}</label>
        <input id="case-q" type="search" value=${text} dir="auto" aria-describedby="case-q-hint"
          onInput=${function (e) { setText(e.target.value); }} />
        <p class="hint" id="case-q-hint">${t('cases.search_hint')}</p></div>
      <div class="field"><label for="case-stage">${t('case.stage')}</label>
        <select id="case-stage" value=${q.stage || ''} onChange=${function (e) { go({ stage: e.target.value }); }}>
          <option value="">${t('common.all')}</option>
          ${stages.map(function (s) { return html`<option value=${s}>${tv(s)}</option>`; })}
        </select></div>
      <div class="field"><label for="case-office">${t('case.office')}</label>
        <select id="case-office" value=${q.office || ''} onChange=${function (e) { go({ office: e.target.value }); }}>
          <option value="">${t('common.all')}</option>
          ${S.offices.map(function (o) { return html`<option value=${o.code}>${o.code} — ${o.name}</option>`; })}
        </select></div>
      <div class="field"><label for="case-nat">${t('person.nationality')}</label>
        <select id="case-nat" value=${q.nationality || ''} onChange=${function (e) { go({ nationality: e.target.value }); }}>
          <option value="">${t('common.all')}</option>
          ${nats.map(function (c) { return html`<option value=${c.value}>${c.label}</option>`; })}
        </select></div>
      <div class="field end"><label class="check"><input type="checkbox" id="case-mine" checked=${q.assigned === 'me'}
        onChange=${function (e) { go({ assigned: e.target.checked ? 'me' : '' }); }} /> ${t('cases.assigned_me')}</label></div>
      <div class="field end"><button type="submit">${t('cases.search_button')}</button></div>
    </form>
    <${Status} loading=${d[3]} error=${d[1]} />
    ${data ? html`<section aria-live="polite">
      ${data.items.length ? html`<table class="list cases">
        <caption class="sr-only">${t('cases.title')}</caption>
        <thead><tr><th scope="col">${t('case.number')}</th><th scope="col">${t('cases.principal')}</th>
          <th scope="col">${t('person.nationality')}</th><th scope="col">${t('case.stage')}</th>
          <th scope="col">${t('case.members')}</th><th scope="col">${t('case.updated_at')}</th></tr></thead>
        <tbody>${data.items.map(function (c) {
          return html`<tr key=${c.id}>
            <td data-label=${t('case.number')}><${Link} href=${'/cases/' + c.id}><bdi>${c.number}</bdi></${Link}></td>
            <td data-label=${t('cases.principal')}><${PersonName} person=${c.principal} /></td>
            <td data-label=${t('person.nationality')}>${countryName(c.principal && c.principal.nationality)}</td>
            <td data-label=${t('case.stage')}><${StageBadge} stage=${c.stage} /></td>
            <td data-label=${t('case.members')}>${fmtNum(c.member_count)}</td>
            <td data-label=${t('case.updated_at')}>${fmtDateTime(c.updated_at)}</td>
          </tr>`;
        })}</tbody></table>` : html`<p class="card">${t('cases.none')}</p>`}
      <nav class="pager" aria-label=${t('cases.paging')}>
        <button type="button" class="secondary" disabled=${!prev.length} onClick=${prevPage}>${t('cases.prev')}</button>
        <span class="muted">${t('cases.page', { n: fmtNum(prev.length + 1) })}</span>
        <button type="button" class="secondary" disabled=${!data.next_cursor} onClick=${nextPage}>${t('cases.next')}</button>
      </nav>
    </section>` : null}
  </main>`;
}
