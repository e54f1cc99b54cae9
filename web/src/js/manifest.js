/*
 * manifest.js — the manifest of a movement (/movements/<id>/manifest), to
 * read on screen and to print.
 *
 * Data: GET /movements/{id}/manifest?format=json (movement.manifest), read
 * each time the page opens, so it is always current: the passengers sorted
 * by family (case, then position in the household), each with the name as
 * written and its Latin form, sex, age at the departure date and its age
 * group, nationality, travel document (number and type), vulnerabilities
 * and case number;
 * the escorts, a line each; the counts by sex, by age group and by
 * vulnerability. The same rows come as CSV or Excel through the download
 * links (the browser sends the session cookie; the server names the file).
 *
 * Printing: the print stylesheet (app.css, "movements" section, @media
 * print) sets an A4 page, hides the header, the navigation and the
 * buttons, repeats the table's heading row on each page and keeps a
 * household's rows together where it can. The print button calls
 * window.print(); Ctrl+P gives the same.
 */
var MV_AGE_GROUPS = ['0-4', '5-11', '12-17', '18-59', '60+', 'unknown'];

function countRows(obj, order, label) {
  var keys = Object.keys(obj || {});
  if (order) keys.sort(function (a, b) {
    var ia = order.indexOf(a), ib = order.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
  });
  return keys.map(function (k) { return { key: k, label: label(k), n: obj[k] }; });
}

function CountTable(props) {
  var rows = props.rows;
  return html`<table class="figures mf-counts">
    <caption>${props.title}</caption>
    <tbody>${rows.length ? rows.map(function (r) {
      return html`<tr key=${r.key}><th scope="row">${r.label}</th><td class="num">${fmtNum(r.n)}</td></tr>`;
    }) : html`<tr><td colspan="2" class="muted">—</td></tr>`}</tbody></table>`;
}

/* The age group's key as the API writes it ("0-4", "60+", "18_59"…) said
 * in words. */
function ageGroupLabel(k) {
  var m = /^(\d+)\D+(\d+)$/.exec(k);
  if (m) return t('mf.age_range', { from: fmtNum(+m[1]), to: fmtNum(+m[2]) });
  m = /^(\d+)\+$/.exec(k);
  return m ? t('mf.age_over', { from: fmtNum(+m[1]) }) : k === 'unknown' ? t('mf.age_unknown') : k;
}

/* The name as written (name) and its Latin form, left empty when it is
 * the same. */
function bothScripts(p) {
  var written = p.name || '';
  var latin = p.name_latin || '';
  return { written: written, latin: latin && latin !== written ? latin : '' };
}

function docText(d) {
  if (!d) return '';
  if (typeof d === 'string') return d;
  return [d.number, d.type ? '(' + tv(d.type) + ')' : null].filter(Boolean).join(' ');
}

function ManifestPage(props) {
  var d = useLoad(function () {
    return api('GET', '/movements/' + props.id + '/manifest?format=json').then(must);
  }, [props.id]);
  var mf = d[0];
  if (!mf) {
    return html`<main id="main"><h1 tabindex="-1">${t('mf.title')}</h1><${Status} loading=${d[3]} error=${d[1]} /></main>`;
  }
  var m = mf.movement || {};
  var ps = mf.passengers || [], es = mf.escorts || [], counts = mf.counts || {};
  var base = '/api/v1/movements/' + props.id + '/manifest?format=';
  var lastCase = null, family = 0;
  return html`<main id="main" class="manifest-page">
    <div class="no-print mf-tools">
      <p class="crumbs"><${Link} href="/movements">${t('mv.title')}</${Link}> ${mvArrow()}
        <${Link} href=${'/movements/' + props.id}><bdi>${mvTitle(m)}</bdi></${Link}></p>
      <div class="actions">
        <button type="button" class="mf-print" onClick=${function () { window.print(); }}>${t('mf.print')}</button>
        <a class="button secondary" href=${base + 'csv'} download>${t('mf.csv')}</a>
        <a class="button secondary" href=${base + 'xlsx'} download>${t('mf.xlsx')}</a>
      </div>
    </div>
    <header class="mf-head">
      <h1 tabindex="-1">${t('mf.title')} — <bdi>${mvTitle(m)}</bdi></h1>
      <dl class="kv mf-facts">
        <div><dt>${t('mv.type')}</dt><dd>${t('mv.type.' + m.type)}${m.carrier ? html` · <bdi>${m.carrier}</bdi>` : null}</dd></div>
        <div><dt>${t('mv.route')}</dt><dd><bdi dir="ltr">${mvRoute(m)}</bdi></dd></div>
        <div><dt>${t('mv.departs')}</dt><dd>${(m.legs && m.legs[0]) ? fmtLocal(m.legs[0].departs_at, m.legs[0].departs_tz) : fmtDateTime(m.departs_at)}</dd></div>
        <div><dt>${t('mv.offices')}</dt><dd><bdi>${m.office}</bdi>${mvArrow()}<bdi>${m.receiving_office}</bdi></dd></div>
        <div><dt>${t('mv.status')}</dt><dd>${t('mv.status.' + m.status)}</dd></div>
        <div><dt>${t('mf.total')}</dt><dd>${tn('mf.people', ps.length)}${es.length ? ' + ' + tn('mf.escorts_n', es.length) : ''}</dd></div>
      </dl>
      <p class="mf-printed muted">${t('mf.printed', { at: fmtDateTime(new Date().toISOString()) })}</p>
    </header>
    <table class="mf-table">
      <caption class="sr-only">${t('mf.passengers')}</caption>
      <thead><tr>
        <th scope="col">#</th><th scope="col">${t('mf.name_written')}</th><th scope="col">${t('mf.name_latin')}</th>
        <th scope="col">${t('mf.sex')}</th><th scope="col">${t('mf.age')}</th><th scope="col">${t('person.nationality')}</th>
        <th scope="col">${t('mf.document')}</th><th scope="col">${t('mf.vulnerabilities')}</th><th scope="col">${t('case.number')}</th>
      </tr></thead>
      <tbody>${ps.map(function (p, i) {
        var n = bothScripts(p);
        var first = p.case_id !== lastCase;
        if (first) { family++; lastCase = p.case_id; }
        return html`<tr key=${i} class=${'mf-row' + (first ? ' family-start' : '') + (family % 2 ? '' : ' alt')}>
          <td class="num">${fmtNum(i + 1)}</td>
          <td><bdi lang=${/[\u0600-\u06ff]/.test(n.written) ? 'ar' : undefined}>${n.written}</bdi></td>
          <td><bdi dir="ltr">${n.latin}</bdi></td>
          <td>${tv(p.sex)}</td>
          <td class="num">${p.age != null ? fmtNum(p.age) : ''}${p.age_group && p.age_group !== 'unknown' ? html` <span class="muted">(${ageGroupLabel(p.age_group)})</span>` : null}</td>
          <td>${countryName(p.nationality)}</td>
          <td><bdi>${docText(p.travel_document)}</bdi></td>
          <td>${(p.vulnerabilities || []).map(tv).join(', ')}</td>
          <td class="mf-case"><bdi dir="ltr">${p.case_number || ''}</bdi></td>
        </tr>`;
      })}</tbody>
      ${es.length ? html`<tbody class="mf-escorts">
        <tr><th scope="rowgroup" colspan="9">${t('mv.escort.title')}</th></tr>
        ${es.map(function (x, i) {
          return html`<tr key=${'e' + i} class="mf-escort"><td class="num">${fmtNum(ps.length + i + 1)}</td>
            <td colspan="2"><bdi>${x.name || x.user || ''}</bdi>${x.organisation ? html` <span class="muted">(<bdi>${x.organisation}</bdi>)</span>` : null}</td>
            <td colspan="3">${t('mv.escort.' + x.kind)}${x.user ? ' · ' + t('mv.escort.staff') : ''}</td>
            <td colspan="3">${escortPassengers(x, m).length ? colon(t('mf.accompanies')) + listOf(escortPassengers(x, m)) : ''}</td></tr>`;
        })}</tbody>` : null}
    </table>
    <section class="mf-count-grid" aria-label=${t('mf.counts')}>
      <${CountTable} title=${t('mf.by_sex')} rows=${countRows(counts.sex, ['female', 'male', 'other', 'unknown'], tv)} />
      <${CountTable} title=${t('mf.by_age')} rows=${countRows(counts.age_group, MV_AGE_GROUPS, ageGroupLabel)} />
      <${CountTable} title=${t('mf.by_vulnerability')} rows=${countRows(counts.vulnerability, null, tv)} />
    </section>
  </main>`;
}
