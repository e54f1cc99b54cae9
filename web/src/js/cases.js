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
 *
 * Export (roles with case.export): the cases of the chosen stage and
 * office as CSV or Excel (GET /exports/cases.csv|.xlsx), pseudonymised;
 * roles with export.names may ask for names, and must then say for whom
 * ("internal", or the partner organisation it goes to, chosen from GET
 * /partners and sent as its id: the server leaves out whoever did not
 * consent to share with that partner and says how many). The file
 * is fetched with the session cookie and saved through a download link;
 * a refusal is shown in words.
 */
var PAGE_SIZE = 25;

/* "cases-pseudonymised.csv" from Content-Disposition, else a default. */
function attachmentName(res, fallback) {
  var m = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') || '');
  return m ? m[1] : fallback;
}

function ExportCases(props) {
  var q = props.q;
  var res = useState(null), busy = useState(false);
  /* a changed choice forgets the last answer */
  function choice(init) {
    var st = useState(init);
    return [st[0], function (v) { res[1](null); st[1](v); }];
  }
  var format = choice('csv'), names = choice(false);
  var forWhom = choice('internal'), partner = choice('');
  var mayNames = may('export.names');
  useEffect(function () { if (mayNames) loadPartners().then(rerender); }, []);
  var narrowed = q.q || q.nationality || q.assigned;
  async function submit(e) {
    e.preventDefault();
    busy[1](true);
    res[1](null);
    var recipient = names[0] ? (forWhom[0] === 'internal' ? 'internal' : partner[0]) : null;
    var url = '/api/v1/exports/cases.' + format[0] + qs({ stage: q.stage, office: q.office,
      names: names[0] ? 'true' : null, recipient: recipient });
    var r;
    try {
      var got = await fetch(url, { credentials: 'same-origin', cache: 'no-store' });
      if (!got.ok) {
        var text = await got.text(), data = null;
        try { data = JSON.parse(text); } catch (x) { data = null; }
        r = { ok: false, status: got.status, data: data };
      } else {
        var blob = await got.blob();
        var a = document.createElement('a');
        a.href = URL.createObjectURL(blob);
        a.download = attachmentName(got, 'cases.' + format[0]);
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(function () { URL.revokeObjectURL(a.href); }, 60000);
        r = { ok: true, withheld: +(got.headers.get('X-Withheld-Persons') || 0) };
      }
    } catch (x) {
      r = { ok: false, status: 0 };
    }
    busy[1](false);
    res[1](r);
  }
  var r = res[0];
  var fieldErr = r && !r.ok ? errorMap(r).recipient : null;
  return html`<form class="card form export" onSubmit=${submit} aria-labelledby="export-title">
    <h2 id="export-title">${t('export.title')}</h2>
    <p class="muted">${q.stage || q.office ? t('export.filters', {
      filters: listOf([q.stage ? colon(t('case.stage')) + tv(q.stage) : null,
        q.office ? colon(t('case.office')) + officeName(q.office) : null].filter(Boolean)) }) : t('export.all')}
      ${narrowed ? ' ' + t('export.not_narrowed') : ''}</p>
    <fieldset class="field"><legend>${t('export.format')}</legend>
      <div class="checks">
        <label class="check"><input type="radio" name="export-format" value="csv" checked=${format[0] === 'csv'}
          onChange=${function () { format[1]('csv'); }} /> CSV</label>
        <label class="check"><input type="radio" name="export-format" value="xlsx" checked=${format[0] === 'xlsx'}
          onChange=${function () { format[1]('xlsx'); }} /> Excel (XLSX)</label>
      </div></fieldset>
    ${mayNames ? html`<div class="field boolean"><label class="check"><input type="checkbox" id="export-names" checked=${names[0]}
        onChange=${function (e) { names[1](e.target.checked); }} /> ${t('export.names')}</label>
      <p class="hint">${t('export.names_hint')}</p></div>` : html`<p class="hint">${t('export.pseudonymised')}</p>`}
    ${names[0] ? html`<fieldset class=${'field' + (fieldErr ? ' invalid' : '')}><legend>${t('export.recipient')}</legend>
      <div class="checks">
        <label class="check"><input type="radio" name="export-for" value="internal" checked=${forWhom[0] === 'internal'}
          onChange=${function () { forWhom[1]('internal'); }} /> ${t('export.internal')}</label>
        <label class="check"><input type="radio" name="export-for" value="partner" checked=${forWhom[0] === 'partner'}
          onChange=${function () { forWhom[1]('partner'); }} /> ${t('export.partner')}</label>
      </div>
      ${forWhom[0] === 'partner' ? html`<div class="field"><label for="export-partner">${t('export.partner_name')}</label>
        <select id="export-partner" required value=${partner[0]} aria-describedby="export-partner-hint"
          aria-invalid=${fieldErr ? 'true' : undefined} onChange=${function (e) { partner[1](e.target.value); }}>
          <option value="">${t('common.choose')}</option>
          ${partnerChoices().map(function (o) { return html`<option value=${o.value} key=${o.value}>${o.label}</option>`; })}
        </select>
        <p class="hint" id="export-partner-hint">${t('export.partner_hint')}</p></div>` : null}
      ${fieldErr ? html`<p class="err">${fieldErr}</p>` : null}
    </fieldset>` : null}
    ${r && !r.ok ? html`<p class="alert" role="alert">${problemText(r)}</p>` : null}
    ${r && r.ok ? html`<p class="ok" role="status">${t('export.done')}${r.withheld ? ' ' + tn('export.withheld', r.withheld) : ''}</p>` : null}
    <div class="actions">
      <button type="submit" disabled=${busy[0] || (names[0] && forWhom[0] === 'partner' && !partner[0])}>${t('export.download')}</button>
      <button type="button" class="secondary" onClick=${props.close}>${t('common.cancel')}</button>
    </div>
  </form>`;
}

function CaseListPage() {
  var q = query();
  var exporting = useState(false);
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
      <div class="actions">
      ${may('case.export') && !exporting[0] ? html`<button type="button" class="secondary" aria-expanded="false"
        onClick=${function () { exporting[1](true); }}>${t('export.action')}</button>` : null}
      ${may('case.create') ? html`<${Link} class="button" href="/cases/new">${t('nav.register')}</${Link}>` : null}</div></div>
    ${may('case.export') && exporting[0] ? html`<${ExportCases} q=${q} close=${function () { exporting[1](false); }} />` : null}
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
          ${S.offices.map(function (o) { return html`<option value=${o.code}>${officeName(o.code)}</option>`; })}
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
