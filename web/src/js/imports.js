/*
 * imports.js — bringing registrations in from a spreadsheet or a
 * KoboToolbox / ODK export (/imports, import.run): choose the file and a
 * mapping (one shipped with awda, or a mapping file of one's own), the
 * office and what to do — check only (a dry run, the default), import
 * everything or nothing, or import the valid households only — then
 * watch the job's progress (GET /imports/{id}, polled), read the result
 * and the problems by sheet and row, and download them as CSV. The
 * office's earlier imports are listed below.
 *
 * The upload is multipart/form-data (the browser writes it from a
 * FormData); the answer is 202 with the job's id.
 */
var IMPORT_EXAMPLES = ['spreadsheet', 'kobo-household'];
var IMPORT_MODES = ['dry_run', 'all_or_nothing', 'valid_rows'];

async function uploadImport(fd) {
  var headers = { Accept: 'application/json' };
  if (S.lang) headers['Accept-Language'] = S.lang;
  var res;
  try {
    res = await fetch('/api/v1/imports', { method: 'POST', headers: headers, body: fd,
      credentials: 'same-origin', cache: 'no-store' });
  } catch (e) {
    return { status: 0, ok: false, data: { title: t('error.network') } };
  }
  var data = null;
  try { data = await res.json(); } catch (e) { data = null; }
  return { status: res.status, ok: res.ok, data: data };
}

function ImportProgress(props) {
  var d = props.job;
  var pct = d.rows_total ? Math.round(100 * d.rows_done / d.rows_total) : 0;
  var end = d.status === 'done' || d.status === 'refused' || d.status === 'failed';
  function n(k) { return html`<div><dt>${t('imp.n.' + k)}</dt><dd>${fmtNum(d[k] || 0)}</dd></div>`; }
  return html`<section class="imp-job" aria-live="polite">
    <h2>${d.file_name} — ${t('imp.mode.' + d.mode)}</h2>
    <p class=${'imp-status imp-' + d.status}>${t('imp.status.' + d.status)}${d.message ? ': ' + d.message : ''}</p>
    ${end ? null : html`<progress max="100" value=${pct} aria-label=${t('imp.progress')}>${pct} %</progress>
      <p>${t('imp.rows_of', { done: fmtNum(d.rows_done || 0), total: fmtNum(d.rows_total || 0) })}</p>`}
    <dl class="imp-counts">${['rows_total', 'households', 'cases_created', 'persons_created',
      'already_imported', 'skipped', 'problems', 'duplicates_flagged'].map(n)}</dl>
  </section>`;
}

function ImportProblems(props) {
  var l = useLoad(function () {
    return api('GET', '/imports/' + props.id + '/problems').then(must);
  }, [props.id]);
  var items = l[0] ? l[0].items : [];
  if (l[1]) return html`<p class="alert" role="alert">${l[1]}</p>`;
  if (!l[0]) return null;
  if (!items.length) return html`<p class="empty">${t('imp.no_problems')}</p>`;
  return html`<section class="imp-problems">
    <h2>${t('imp.problems')}</h2>
    <p><a href=${'/api/v1/imports/' + props.id + '/problems?format=csv'} download>${t('imp.download')}</a></p>
    <table class="list"><thead><tr><th scope="col">${t('imp.sheet')}</th><th scope="col" class="num">${t('imp.row')}</th>
      <th scope="col">${t('imp.column')}</th><th scope="col">${t('imp.field')}</th><th scope="col">${t('imp.problem')}</th></tr></thead>
      <tbody>${items.map(function (p) {
        return html`<tr key=${p.seq}><td>${p.sheet}</td><td class="num">${fmtNum(p.row)}</td>
          <td dir="ltr">${p.column || ''}</td><td>${p.field ? fieldLabel(p.field) : ''}</td><td>${p.message}</td></tr>`;
      })}</tbody></table>
  </section>`;
}

/* A field of a mapping in the user's words when the interface knows it. */
function fieldLabel(f) {
  var key = f.indexOf('.') > 0 ? f
    : (f === 'relationship' ? 'member.relationship' : (/^(office|origin_country|destination_country|destination_admin_area|destination_pcode|project|assigned_to|planned_departure|notes|members)$/.test(f) ? 'case.' + f : 'person.' + f));
  var s = t(key);
  return s === key ? f : s;
}

function ImportForm(props) {
  var offices = (S.me.offices || []).slice();
  var vs = useState({ example: IMPORT_EXAMPLES[0], office: offices[0] || '', mode: 'dry_run' }), v = vs[0];
  var rs = useState(null), res = rs[0];
  var busy = useState(false);
  var fileRef = useRef(null), mapRef = useRef(null);
  function set(k) { return function (e) { var n = Object.assign({}, v); n[k] = e.target.value; vs[1](n); }; }
  async function submit(e) {
    e.preventDefault();
    var file = fileRef.current && fileRef.current.files[0];
    if (!file) { rs[1]({ ok: false, data: { title: t('imp.need_file') } }); return; }
    var fd = new FormData();
    fd.append('file', file, file.name);
    var own = v.example === 'own' && mapRef.current && mapRef.current.files[0];
    if (v.example === 'own' && !own) { rs[1]({ ok: false, data: { title: t('imp.need_mapping') } }); return; }
    if (own) fd.append('mapping', await own.text());
    else fd.append('mapping_example', v.example);
    if (v.office) fd.append('office', v.office);
    fd.append('mode', v.mode);
    busy[1](true);
    var r = await uploadImport(fd);
    busy[1](false);
    rs[1](r);
    if (r.ok && r.data) props.onStarted(r.data.id);
  }
  var errs = res && !res.ok ? errorMap(res) : {};
  return html`<form class="imp-form" onSubmit=${submit} noValidate>
    <div class="field"><label for="imp-file">${t('imp.file')}</label>
      <input id="imp-file" type="file" ref=${fileRef} accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" />
      <p class="hint">${t('imp.file_hint')}</p>
      ${errs.file ? html`<p class="error">${errs.file}</p>` : null}</div>
    <div class="field"><label for="imp-map">${t('imp.mapping')}</label>
      <select id="imp-map" value=${v.example} onChange=${set('example')}>
        ${IMPORT_EXAMPLES.map(function (x) { return html`<option value=${x}>${t('imp.example.' + x)}</option>`; })}
        <option value="own">${t('imp.example.own')}</option>
      </select>
      ${v.example === 'own' ? html`<input type="file" ref=${mapRef} accept=".json,application/json" aria-label=${t('imp.mapping_file')} />` : null}
      ${errs.mapping ? html`<p class="error">${errs.mapping}</p>` : null}</div>
    <div class="field"><label for="imp-office">${t('imp.office')}</label>
      <select id="imp-office" value=${v.office} onChange=${set('office')}>
        ${offices.map(function (o) { return html`<option value=${o}>${o}</option>`; })}
      </select>${errs.office ? html`<p class="error">${errs.office}</p>` : null}</div>
    <fieldset class="field"><legend>${t('imp.what')}</legend>
      ${IMPORT_MODES.map(function (m) {
        return html`<label class="radio"><input type="radio" name="imp-mode" value=${m} checked=${v.mode === m}
          onChange=${set('mode')} /> ${t('imp.mode.' + m)}</label>`;
      })}</fieldset>
    ${res && !res.ok ? html`<div class="alert" role="alert"><p>${problemText(res)}</p>
      ${(res.data && res.data.errors || []).length ? html`<ul>${res.data.errors.map(function (e, i) {
        return html`<li key=${i}>${e.field ? html`<code>${e.field}</code> ` : null}${e.message}</li>`;
      })}</ul>` : null}</div>` : null}
    <button type="submit" class="primary" disabled=${busy[0]}>${v.mode === 'dry_run' ? t('imp.check') : t('imp.run')}</button>
  </form>`;
}

function ImportsPage() {
  var js = useState(null), jobId = js[0];
  var jobs = useState(null), job = jobs[0];
  var l = useLoad(function () { return api('GET', '/imports').then(must); }, []);
  useEffect(function () {
    if (!jobId) return undefined;
    var stop = false, timer = null;
    async function poll() {
      var r = await api('GET', '/imports/' + jobId);
      if (stop) return;
      if (r.ok) jobs[1](r.data);
      var end = r.ok && /^(done|refused|failed)$/.test(r.data.status);
      if (end) l[2]();
      else timer = setTimeout(poll, 500);
    }
    poll();
    return function () { stop = true; if (timer) clearTimeout(timer); };
  }, [jobId]);
  var items = l[0] ? l[0].items : [];
  var ended = job && /^(done|refused|failed)$/.test(job.status);
  return html`<main id="main" class="imports">
    <h1 tabindex="-1">${t('imp.title')}</h1>
    <p class="lead">${t('imp.lead')}</p>
    <${ImportForm} onStarted=${function (id) { jobs[1](null); js[1](id); }} />
    ${job ? html`<${ImportProgress} job=${job} />` : null}
    ${ended ? html`<${ImportProblems} key=${job.id + job.problems} id=${job.id} />` : null}
    <h2>${t('imp.earlier')}</h2>
    ${l[1] ? html`<p class="alert" role="alert">${l[1]}</p>` : null}
    ${l[0] && !items.length ? html`<p class="empty">${t('imp.none')}</p>` : null}
    ${items.length ? html`<table class="list imp-list"><thead><tr><th scope="col">${t('money.when')}</th>
      <th scope="col">${t('imp.file')}</th><th scope="col">${t('imp.what')}</th><th scope="col">${t('imp.state')}</th>
      <th scope="col" class="num">${t('imp.n.cases_created')}</th><th scope="col" class="num">${t('imp.n.problems')}</th></tr></thead>
      <tbody>${items.map(function (i) {
        return html`<tr key=${i.id}><td>${fmtDateTime(i.created_at)}</td>
          <td><button type="button" class="link" onClick=${function () { jobs[1](i); js[1](i.id); }}>${i.file_name}</button></td>
          <td>${t('imp.mode.' + i.mode)}</td><td>${t('imp.status.' + i.status)}</td>
          <td class="num">${fmtNum(i.cases_created)}</td><td class="num">${fmtNum(i.problems)}</td></tr>`;
      })}</tbody></table>` : null}
  </main>`;
}
