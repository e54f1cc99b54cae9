/*
 * sharing.js — what leaves the organisation, as its receivers see it:
 *
 *   ReferralsPage (partner users): GET /referrals, the referrals addressed
 *   to the partner's organisation, newest first, a page of REF_PAGE with
 *   "Show more" following next_cursor. The server sends only referrals of
 *   persons who still consent to share with that partner, and only what
 *   the partner needs: the service, date and notes, the referring office,
 *   and the person's names, sex, date of birth, nationality, languages and
 *   contact — never the case, documents or anything sealed.
 *
 *   FiguresPage (donors, M&E, managers, administrators): GET /statistics,
 *   one table per breakdown (cases by stage, office, destination, closure
 *   reason; persons by sex and nationality). A value counted fewer than
 *   suppressed_below times is never named: the server puts such values
 *   together in one row marked combined (at least two values, at least
 *   suppressed_below), read as "Others, combined"; a breakdown too small
 *   for that comes as one combined row with count null and reads
 *   "withheld", total included. The rows shown add up to the true total.
 */
var REF_PAGE = 50;

function ReferralCard(props) {
  var r = props.r, p = r.person || {};
  var contact = p.contact || {};
  return html`<li class="card referral">
    <div class="record-head"><h2 class="h3"><span class="tag service">${tv(r.service)}</span>${' '}<${PersonName} person=${p} /></h2>
      <span class="muted">${colon(t('referrals.date'))}${fmtDate(r.date)}</span></div>
    <dl class="kv">
      <div><dt>${t('referrals.office')}</dt><dd><bdi>${officeName(r.office)}</bdi></dd></div>
      ${p.sex ? html`<div><dt>${t('person.sex')}</dt><dd>${tv(p.sex)}</dd></div>` : null}
      ${p.date_of_birth ? html`<div><dt>${t('person.date_of_birth')}</dt><dd>${fmtBirth(p)}</dd></div>` : null}
      ${p.nationality ? html`<div><dt>${t('person.nationality')}</dt><dd>${countryName(p.nationality)}</dd></div>` : null}
      ${p.languages && p.languages.length ? html`<div><dt>${t('person.languages')}</dt><dd>${listOf(p.languages.map(languageName))}</dd></div>` : null}
      ${contact.phone ? html`<div><dt>${t('contact.phone')}</dt><dd><a href=${'tel:' + contact.phone.replace(/[^0-9+]/g, '')}><bdi dir="ltr">${contact.phone}</bdi></a></dd></div>` : null}
      ${contact.email ? html`<div><dt>${t('the e-mail address')}</dt><dd><a href=${'mailto:' + contact.email}><bdi dir="ltr">${contact.email}</bdi></a></dd></div>` : null}
      ${contact.address ? html`<div><dt>${t('contact.address')}</dt><dd><bdi>${contact.address}</bdi></dd></div>` : null}
    </dl>
    ${r.notes ? html`<div class="notes"><h3 class="label">${t('record.notes')}</h3><p><bdi>${r.notes}</bdi></p></div>` : null}
    <p class="muted small">${t('referrals.sent', { at: fmtDateTime(r.created_at) })}</p>
  </li>`;
}

function ReferralsPage() {
  var st = useState({ items: [], cursor: null, org: '', loading: true, error: null, more: false });
  var s = st[0], set = st[1];
  async function load(cursor) {
    set(function (x) { return Object.assign({}, x, { loading: true, error: null }); });
    var r = await api('GET', '/referrals' + qs({ limit: REF_PAGE, cursor: cursor }));
    if (!r.ok) {
      set(function (x) { return Object.assign({}, x, { loading: false, error: problemText(r) }); });
      return;
    }
    set(function (x) {
      return {
        items: (cursor ? x.items : []).concat(r.data.items), cursor: r.data.next_cursor,
        org: r.data.organisation, loading: false, error: null, more: !!r.data.next_cursor,
      };
    });
  }
  useEffect(function () { load(null); }, []);
  return html`<main id="main" class="referrals">
    <h1 tabindex="-1">${t('referrals.title')}</h1>
    ${s.org ? html`<p class="lead">${t('referrals.for', { org: s.org })}</p>` : null}
    <p class="muted">${t('referrals.intro')}</p>
    <${Status} loading=${s.loading && !s.items.length} error=${s.error} />
    ${!s.loading && !s.error && !s.items.length ? html`<p class="card">${t('referrals.none')}</p>` : null}
    ${s.items.length ? html`<ul class="referral-list" aria-label=${t('referrals.title')}>${s.items.map(function (r) {
      return html`<${ReferralCard} key=${r.id} r=${r} />`;
    })}</ul>` : null}
    ${s.more ? html`<p><button type="button" class="secondary" disabled=${s.loading}
      onClick=${function () { load(s.cursor); }}>${t('referrals.more')}</button></p>` : null}
  </main>`;
}

/* The breakdowns of GET /statistics, in the order shown, with how each
 * key is named. */
var BREAKDOWNS = [
  ['cases_by_stage', function (k) { return html`<${StageBadge} stage=${k} />`; }, 'stage'],
  ['cases_by_office', function (k) { return html`<bdi>${officeName(k)}</bdi>`; }],
  ['cases_by_destination', countryName, 'name'],
  ['persons_by_sex', tv],
  ['persons_by_nationality', countryName, 'name'],
  ['cases_closed_by_reason', tv, 'name'],
];

/* Rows in the journey's order (stages) or by name in the user's
 * language (countries, reasons); otherwise as the server sends them. */
function sortRows(rows, how, show) {
  rows = rows.slice();
  if (how === 'stage' && S.schema) {
    var order = S.schema.case.filter(function (f) { return f.name === 'stage'; })[0].values;
    rows.sort(function (a, b) { return order.indexOf(a.key) - order.indexOf(b.key); });
  } else if (how === 'name') {
    var coll = new Intl.Collator(S.lang);
    rows.sort(function (a, b) { return coll.compare(String(show(a.key || '')), String(show(b.key || ''))); });
  }
  return rows;
}

function Breakdown(props) {
  /* the combined row (values counted fewer than suppressed_below times) last */
  var rows = sortRows(props.rows.filter(function (r) { return !r.combined; }), props.sort, props.show)
    .concat(props.rows.filter(function (r) { return r.combined; }));
  var name = props.name;
  var id = 'fig-' + name;
  var sum = 0, withheld = false;
  rows.forEach(function (r) { if (r.suppressed || r.count == null) withheld = true; else sum += r.count; });
  var label = function (r) {
    return r.combined ? t('figures.combined') : r.key == null ? t('figures.unknown') : props.show(r.key);
  };
  return html`<section class="card figure" aria-labelledby=${id}>
    <h2 id=${id}>${t('figures.' + name)}</h2>
    ${rows.length ? html`<table class="figures">
      <thead><tr><th scope="col">${t('figures.key.' + name)}</th><th scope="col" class="num">${t('figures.count')}</th></tr></thead>
      <tbody>${rows.map(function (r, i) {
        return html`<tr key=${i}>
          <th scope="row" data-label=${t('figures.key.' + name)} class=${r.combined ? 'combined' : undefined}>${label(r)}</th>
          <td class=${'num' + (r.count == null ? ' suppressed' : '')} data-label=${t('figures.count')}>${
            r.suppressed || r.count == null ? t('figures.withheld') : fmtNum(r.count)}</td></tr>`;
      })}</tbody>
      <tfoot><tr><th scope="row" data-label="">${t('figures.total')}</th>
        <td class="num" data-label=${t('figures.count')}>${withheld ? t('figures.withheld') : fmtNum(sum)}</td></tr></tfoot>
    </table>` : html`<p class="muted">${t('figures.empty')}</p>`}
  </section>`;
}

function FiguresPage() {
  var d = useLoad(function () { return api('GET', '/statistics').then(must); }, []);
  var data = d[0];
  return html`<main id="main" class="figures-page">
    <h1 tabindex="-1">${t('figures.title')}</h1>
    <${Status} loading=${d[3] && !data} error=${d[1]} />
    ${data ? html`<p class="muted">${t('figures.intro', { n: fmtNum(data.suppressed_below) })}
      ${' '}${t('figures.generated', { at: fmtDateTime(data.generated_at) })}</p>
      <div class="dash">${BREAKDOWNS.filter(function (b) { return data[b[0]]; }).map(function (b) {
        return html`<${Breakdown} key=${b[0]} name=${b[0]} rows=${data[b[0]]} show=${b[1]} sort=${b[2]} />`;
      })}</div>` : null}
  </main>`;
}
