/*
 * tests/web/ui.test.mjs — browser tests of the web interface (node --test).
 *
 * One real awda server with the demo data and one headless Chromium for
 * the whole file; the tests run in order and build on each other the way a
 * field office works: the static files are served safely; a case worker
 * signs in; registers a household of three with Arabic names (first
 * seeing the server's validation errors on the fields); finds it again by
 * typing the names in Latin script; walks a case from registered to ready,
 * watching the readiness checklist shrink one requirement at a time; a
 * counsellor without the medical role opens it and sees no clinical
 * detail; consent is withdrawn and the case stops; the administration
 * screens work; the interface switches to Arabic (right to left) and
 * remembers it; and it fits a 360-pixel phone. Each main page is saved as
 * a screenshot in build/screenshots/.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { startServer, launch, newPage, login, apiAs, shot, unfoldRecords, REPO } from './harness.mjs';

let srv, browser, admin;
const WORKER = { user: 'web.worker', pass: 'correct horse battery 42' };
const I18N = Object.fromEntries(['en', 'fr', 'ar'].map((l) =>
  [l, JSON.parse(fs.readFileSync(path.join(REPO, 'web', 'i18n', l + '.json'), 'utf8'))]));
const state = {};

function rawGet(base, p) {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    http.get({ host: u.hostname, port: u.port, path: p }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, type: res.headers['content-type'] }));
    }).on('error', reject);
  });
}

const today = () => new Date().toISOString().slice(0, 10);
const inDays = (d) => new Date(Date.now() + d * 86400000).toISOString().slice(0, 10);
/* datetime-local value, local time, h hours from now */
function localIn(h) {
  const d = new Date(Date.now() + h * 3600000);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

before(async () => {
  srv = await startServer();
  browser = await launch();
  admin = await apiAs(srv.base, 'admin', srv.users.admin);
  /* One case worker holding every journey role of the Cairo office, so one
   * person can walk a case through; the server still checks each step. */
  const r = await admin('POST', '/users', {
    username: WORKER.user, full_name: 'Salma Web', password: WORKER.pass,
    roles: ['registration', 'counsellor', 'operations', 'medical', 'protection', 'manager'],
    offices: ['EG-CAI'],
  });
  assert.equal(r.status, 201, JSON.stringify(r.data));
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

test('the interface is served with caching, compression and a strict CSP', async () => {
  const r = await fetch(srv.base + '/', { headers: { 'Accept-Encoding': 'gzip' } });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/html/);
  assert.equal(r.headers.get('cache-control'), 'no-cache');
  const csp = r.headers.get('content-security-policy');
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  const body = await r.text();
  const js = /src="(\/app\.[0-9a-f]+\.js)"/.exec(body)[1];
  assert.doesNotMatch(body, /<script>/, 'no inline script');
  const a = await fetch(srv.base + js, { headers: { 'Accept-Encoding': 'gzip' } });
  assert.equal(a.status, 200);
  assert.equal(a.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  assert.equal(a.headers.get('content-encoding'), 'gzip');
  assert.match(a.headers.get('content-type'), /^text\/javascript/);
  const etag = a.headers.get('etag');
  const again = await fetch(srv.base + js, { headers: { 'Accept-Encoding': 'gzip', 'If-None-Match': etag } });
  assert.equal(again.status, 304);
  const plain = await fetch(srv.base + js, { headers: { 'Accept-Encoding': 'identity' } });
  assert.equal(plain.headers.get('content-encoding'), null);
  assert.ok((await plain.text()).includes('preact'));
  /* client-side routes get the page; missing files and escapes do not */
  assert.equal((await fetch(srv.base + '/cases/0192aaaa-0000-7000-8000-000000000000')).status, 200);
  assert.equal((await fetch(srv.base + '/app.00000000.js')).status, 404);
  /* sent as written (fetch would resolve the dots itself) */
  for (const bad of ['/%2e%2e/%2e%2e/etc/passwd', '/../build.mjs', '/.hidden', '/i18n//en.json', '/..%2fbuild.mjs', '/a\\b.js']) {
    const x = await rawGet(srv.base, bad);
    assert.equal(x.status, 404, bad);
    assert.match(x.type, /problem\+json/);
  }
  const api = await fetch(srv.base + '/api/v1/nothing');
  assert.equal(api.status, 404);
  assert.match(api.headers.get('content-type'), /problem\+json/);
});

test('every label and value of the server\'s field tables is translated in ar, fr and en', async () => {
  const en = Object.keys(I18N.en).sort();
  for (const l of ['fr', 'ar']) assert.deepEqual(Object.keys(I18N[l]).sort(), en, `${l}.json has the keys of en.json`);
  const schema = (await admin('GET', '/schema')).data;
  const missing = new Set();
  const walk = (fields) => fields.forEach((f) => {
    if (!f.server && !(f.label in I18N.en)) missing.add(f.label);
    (f.values || []).forEach((v) => { if (!('val.' + v in I18N.en)) missing.add('val.' + v); });
    if (f.fields) walk(f.fields);
  });
  ['case', 'person', 'office', 'user', 'restriction', 'partner'].forEach((k) => walk(schema[k]));
  Object.entries(schema.records).forEach(([kind, fields]) => {
    if (!('kind.' + kind in I18N.en)) missing.add('kind.' + kind);
    walk(fields);
  });
  assert.deepEqual([...missing], []);
});

test('a wrong password is refused; a case worker signs in and sees the dashboard', async () => {
  const page = await newPage(browser, srv.base);
  await page.goto('/');
  await page.locator('#login-user').fill('youssef.manager');
  await page.locator('#login-pass').fill('not the password');
  await page.locator('form button[type=submit]').click();
  await page.getByRole('alert').waitFor();
  assert.match(await page.getByRole('alert').innerText(), /not right/);
  await shot(page, 'login');
  await page.locator('#login-pass').fill(srv.users['youssef.manager']);
  await page.locator('form button[type=submit]').click();
  await page.locator('.dash').waitFor();
  assert.equal(await page.locator('h1').innerText(), 'Dashboard');
  assert.match(await page.locator('#dash-stages + p').innerText(), /140 cases/); /* with the 2 households to walk home, the 3 of the charter (movements.json) and the 5 people registered twice, 10 cases (duplicates.json) */
  assert.ok(await page.locator('[aria-labelledby=dash-overdue] li').count() >= 1, 'the overdue North Darfur review');
  await shot(page, 'dashboard');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('registers a household of three with Arabic names, errors shown on their fields', async () => {
  const page = await newPage(browser, srv.base);
  await login(page, WORKER.user, WORKER.pass);
  await page.getByRole('link', { name: 'Register a household' }).click();
  await page.locator('#f-members-0-person-name').waitFor();
  /* Sent half-filled: the server's 422 lands on the fields. */
  await page.locator('#f-members-0-person-name').fill('زكريا إبراهيم الطاهر');
  await page.locator('#f-members-0-person-date_of_birth').fill('1985-13-40');
  await page.getByRole('button', { name: 'Register', exact: true }).click();
  await page.locator('.alert[role=alert]').waitFor();
  assert.equal(await page.locator('#f-members-0-person-date_of_birth').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#f-origin_country').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#f-members-0-person-name').getAttribute('aria-invalid'), null);
  assert.ok(await page.locator('#f-members-0-person-date_of_birth-err').isVisible());
  /* Every control has a label. */
  const unlabelled = await page.evaluate(() => [...document.querySelectorAll('main input, main select, main textarea')]
    .filter((el) => !el.labels?.length && !el.getAttribute('aria-label')).map((el) => el.id));
  assert.deepEqual(unlabelled, []);
  await shot(page, 'register-errors');

  await page.locator('#f-office').selectOption('EG-CAI');
  await page.locator('#f-origin_country').selectOption('SDN');
  await page.locator('#f-destination_country').selectOption('SDN');
  await page.locator('#f-destination_admin_area').fill('Khartoum');
  const people = [
    ['principal', 'زكريا إبراهيم الطاهر', 'male', '1985-04-12', 'exact'],
    ['spouse', 'فاطمة حسن علي', 'female', '1990', 'year'],
    ['child', 'مريم زكريا إبراهيم', 'female', '2016-09', 'month'],
  ];
  for (let i = 0; i < people.length; i++) {
    if (i > 0) await page.getByRole('button', { name: 'Add: Member' }).click();
    const [rel, name, sex, dob, precision] = people[i];
    await page.locator(`#f-members-${i}-relationship`).selectOption(rel);
    await page.locator(`#f-members-${i}-person-name`).fill(name);
    await page.locator(`#f-members-${i}-person-sex`).selectOption(sex);
    await page.locator(`#f-members-${i}-person-date_of_birth`).fill(dob);
    await page.locator(`#f-members-${i}-person-dob_precision`).selectOption(precision);
    await page.locator(`#f-members-${i}-person-nationality`).selectOption('SDN');
    await page.locator(`#f-members-${i}-person-languages`).fill('ar');
    await page.locator(`#f-members-${i}-person-languages`).press('Enter');
  }
  await page.getByRole('button', { name: 'Register', exact: true }).click();
  await page.locator('.case-page').waitFor();
  assert.match(await page.locator('h1').innerText(), /EG-CAI-\d{4}-\d{6}/);
  state.household = (await page.locator('h1 bdi').innerText()).trim();
  assert.equal(await page.locator('.household li.member').count(), 3);
  assert.ok((await page.locator('.household').innerText()).includes('مريم زكريا إبراهيم'));
  await shot(page, 'case-registered');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('finds the household by typing the names in Latin script', async () => {
  const page = await newPage(browser, srv.base);
  await login(page, WORKER.user, WORKER.pass);
  await page.getByRole('link', { name: 'Cases', exact: true }).click();
  await page.locator('table.cases').waitFor();
  assert.equal(await page.locator('table.cases tbody tr').count(), 25, 'a page of 25');
  await page.getByRole('button', { name: 'Next page' }).click();
  await page.waitForURL(/cursor=/);
  await page.locator('#case-q').fill('Zakaria Ibrahim');
  await page.locator('#case-q').press('Enter');
  await page.waitForURL(/q=Zakaria/);
  await page.locator('table.cases', { hasText: state.household }).waitFor();
  const text = await page.locator('table.cases').innerText();
  assert.ok(text.includes(state.household), text);
  assert.ok(text.includes('زكريا إبراهيم الطاهر'));
  await shot(page, 'cases-search');
  /* a stage filter in the address */
  await page.locator('#case-stage').selectOption('ready');
  await page.waitForURL(/stage=ready/);
  await page.locator('#case-q').fill('');
  await page.locator('#case-q').press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('table.cases tbody tr').length > 1);
  const stages = await page.locator('table.cases tbody .stage').allInnerTexts();
  assert.ok(stages.length > 1 && stages.every((s) => s === 'Ready'), stages.join());
  await shot(page, 'cases');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

async function missing(page, step) {
  const el = page.locator(`li.step[data-step=${step}] .count`);
  await el.waitFor();
  const s = await el.innerText();
  return s === 'All met' ? 0 : parseInt(s, 10);
}

async function addRecord(page, kind, fill) {
  await unfoldRecords(page);
  await page.getByRole('button', { name: 'Add: ' + kind, exact: true }).click();
  const form = page.locator(`form[aria-label="${kind}"]`);
  await form.waitFor();
  await fill(form);
  const version = await page.locator('.timeline li').count();
  await form.getByRole('button', { name: 'Save' }).click();
  await Promise.race([form.waitFor({ state: 'detached' }), form.locator('.alert').waitFor()]);
  if (await form.count()) assert.fail(kind + ': ' + await form.locator('.alert').innerText());
  await page.waitForFunction((n) => document.querySelectorAll('.timeline li').length > n, version);
}

async function take(page, step) {
  const before = await page.locator('h1 .stage').innerText();
  await page.locator(`li.step[data-step=${step}] form.take button`).click();
  await page.waitForFunction((b) => document.querySelector('h1 .stage')?.textContent !== b, before);
}

test('walks a case from registered to ready, the readiness list shrinking', async () => {
  const created = await admin('POST', '/cases', {
    office: 'EG-CAI', origin_country: 'ETH', destination_country: 'ETH', destination_admin_area: 'Addis Ababa',
    members: [{ relationship: 'principal', person: { name: 'ሰላም ታደሰ', name_latin: 'Selam Tadesse', sex: 'female', date_of_birth: '1994-02-01', dob_precision: 'exact', nationality: 'ETH', languages: ['am'] } }],
  });
  assert.equal(created.status, 201);
  state.walk = created.data.id;
  const page = await newPage(browser, srv.base);
  await login(page, WORKER.user, WORKER.pass);
  await page.goto('/cases/' + state.walk);
  await page.locator('.readiness').waitFor();
  assert.equal(await page.locator('h1 .stage').innerText(), 'Registered');

  assert.equal(await missing(page, 'counsel'), 4, 'the four topics of counselling');
  await addRecord(page, 'Counselling session', async (f) => {
    await f.locator('#f-date').fill(today());
    await f.locator('#f-counsellor').fill('Salma Web');
    await f.locator('#f-language').fill('am, ar');
    await f.locator('#f-language').press('Enter');
    for (const topic of ['The return process', 'The situation at origin', 'Reintegration options', 'Rights and withdrawal'])
      await f.getByLabel(topic).check();
  });
  assert.equal(await missing(page, 'counsel'), 0);
  await take(page, 'counsel');
  assert.equal(await page.locator('h1 .stage').innerText(), 'Counselled');

  assert.equal(await missing(page, 'consent'), 1);
  await addRecord(page, 'Consent', async (f) => {
    await f.locator('#f-purpose').selectOption('return');
    await f.locator('#f-given_by').selectOption('self');
    await f.locator('#f-notice_version').fill('2026-1');
    await f.locator('#f-method').selectOption('signed_form');
    await f.locator('#f-interview_date').fill(today());
    await f.locator('#f-language').fill('am');
    await f.locator('#f-language').press('Enter');
    await f.locator('#f-evidence_ref').fill('FORM-WEB-1');
  });
  assert.equal(await missing(page, 'consent'), 0);
  await take(page, 'consent');

  assert.equal(await missing(page, 'approve_eligibility'), 1);
  await addRecord(page, 'Eligibility decision', async (f) => {
    await f.locator('#f-decision').selectOption('eligible');
    await f.locator('#f-reason').fill('Meets the programme criteria.');
  });
  await take(page, 'approve_eligibility');
  await take(page, 'start_pre_departure');
  assert.equal(await page.locator('h1 .stage').innerText(), 'Pre-departure');

  const counts = [await missing(page, 'ready')];
  await shot(page, 'case-pre-departure');
  /* the planned departure, in the summary */
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  await page.locator('#f-planned_departure').fill(localIn(24 * 10));
  await page.locator('#sec-summary').locator('..').locator('..').getByRole('button', { name: 'Save' }).click();
  await page.locator('#f-planned_departure').waitFor({ state: 'detached' });
  await page.waitForFunction((n) => {
    const c = document.querySelector('li.step[data-step=ready] .count');
    return c && c.textContent !== n;
  }, `${counts[0]} missing`);
  counts.push(await missing(page, 'ready'));
  await addRecord(page, 'Travel document', async (f) => {
    await f.locator('#f-type').selectOption('passport');
    await f.locator('#f-status').selectOption('issued');
    await f.locator('#f-number').fill('EP1234567');
    await f.locator('#f-expiry').fill(inDays(400));
  });
  counts.push(await missing(page, 'ready'));
  for (const [type, status] of [['exit_visa', 'done'], ['fine_waiver', 'not_needed'], ['police_clearance', 'done']]) {
    await addRecord(page, 'Procedure', async (f) => {
      await f.locator('#f-type').selectOption(type);
      await f.locator('#f-status').selectOption(status);
    });
    counts.push(await missing(page, 'ready'));
  }
  await addRecord(page, 'Health assessment', async (f) => {
    await f.locator('#f-result').selectOption('fit');
    await f.locator('#f-at').fill(localIn(-1));
    await f.locator('#f-assessor').fill('Dr Web');
    await f.locator('#f-diagnosis').fill('Hypertension, controlled');
    await f.locator('#f-clinical_notes').fill('Blood pressure 130/85 on amlodipine');
  });
  counts.push(await missing(page, 'ready'));
  for (let i = 1; i < counts.length; i++) assert.equal(counts[i], counts[i - 1] - 1, 'one fewer each time: ' + counts.join(' → '));
  assert.equal(counts.at(-1), 0, counts.join(' → '));
  await take(page, 'ready');
  assert.equal(await page.locator('h1 .stage').innerText(), 'Ready');
  /* the medical officer sees the clinical detail */
  assert.ok((await page.locator('[aria-labelledby=sec-health]').innerText()).includes('Hypertension, controlled'));
  await shot(page, 'case-ready');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a counsellor without the medical role sees no clinical detail', async () => {
  const page = await newPage(browser, srv.base);
  await login(page, 'karim.counsellor', srv.users['karim.counsellor']);
  await page.goto('/cases/' + state.walk);
  await page.locator('.readiness').waitFor();
  await unfoldRecords(page);
  const health = page.locator('[aria-labelledby=sec-health]');
  const text = await health.innerText();
  assert.ok(text.includes('Fit to travel'), 'the result is not clinical: ' + text);
  assert.ok(text.includes('Some details are sealed for your role.'));
  const all = await page.locator('main').innerText();
  for (const secret of ['Hypertension', 'amlodipine', '[sealed]', 'Diagnosis', 'Clinical notes']) assert.ok(!all.includes(secret), secret);
  assert.equal(await page.getByRole('button', { name: 'Add: Health assessment' }).count(), 0);
  await shot(page, 'case-non-medical');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('withdrawing consent stops the case', async () => {
  const page = await newPage(browser, srv.base);
  await login(page, WORKER.user, WORKER.pass);
  await page.goto('/cases/' + state.walk);
  await page.locator('.readiness').waitFor();
  await page.getByText('Other actions: Withdraw, Put on hold, and Close').click();
  await page.locator('#step-withdraw-reason').fill('Decided to stay with family in Cairo.');
  await take(page, 'withdraw');
  assert.equal(await page.locator('h1 .stage').innerText(), 'Withdrawn');
  assert.match(await page.locator('.case-head .stopped').innerText(), /stopped: Withdrawn/);
  assert.equal(await page.locator('.readiness li.step:not(.side)').count(), 0, 'no step forward');
  await unfoldRecords(page);
  assert.ok((await page.locator('li.record[data-kind=consent]').innerText()).includes('Withdrawn'));
  assert.ok((await page.locator('.timeline').innerText()).includes('Withdraw: Ready → Withdrawn'));
  await shot(page, 'case-withdrawn');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('departure and arrival are confirmed with the time they happened', async () => {
  /* A case leaving in two hours, for a country without an office of ours */
  const iso = (h) => new Date(Date.now() + h * 3600000).toISOString().slice(0, 16) + 'Z';
  const created = await admin('POST', '/cases', {
    office: 'EG-CAI', origin_country: 'ETH', destination_country: 'ETH', destination_admin_area: 'Addis Ababa',
    planned_departure: iso(2),
    members: [{ relationship: 'principal', person: { name: 'ዮናስ ገብሩ', name_latin: 'Yonas Gebru', sex: 'male', date_of_birth: '1991-03-01', dob_precision: 'exact', nationality: 'ETH', languages: ['am'] } }],
  });
  assert.equal(created.status, 201, JSON.stringify(created.data));
  const id = created.data.id, pid = created.data.members[0].person_id;
  const page = await newPage(browser, srv.base);
  await login(page, WORKER.user, WORKER.pass);
  await page.goto('/cases/' + id);
  await page.locator('.readiness').waitFor();
  /* a registered case held in Cairo, going to Ethiopia: no "arrival at home" */
  assert.equal(await page.locator('li.step[data-step=record_arrival]').count(), 0);
  assert.equal(await page.locator('li.step[data-step=counsel]').count(), 1);

  const w = await apiAs(srv.base, WORKER.user, WORKER.pass);
  const rec = async (body) => { const r = await w('POST', `/cases/${id}/records`, body); assert.equal(r.status, 201, JSON.stringify(r.data)); };
  const step = async (event) => { const r = await w('POST', `/cases/${id}/transitions`, { event }); assert.equal(r.status, 200, JSON.stringify(r.data)); };
  await rec({ kind: 'counselling', date: today(), counsellor: 'Salma Web', language: ['am'], interpreter: true,
    topics: ['return_process', 'origin_situation', 'reintegration_options', 'rights_and_withdrawal'] });
  await step('counsel');
  await rec({ kind: 'consent', person_id: pid, purpose: 'return', given_by: 'self', notice_version: '2026-1', method: 'signed_form',
    interview_date: today(), language: ['am'], interpreter: true, evidence_ref: 'FORM-WEB-2' });
  await step('consent');
  await rec({ kind: 'eligibility', decision: 'eligible', reason: 'Meets the programme criteria.' });
  await step('approve_eligibility');
  await step('start_pre_departure');
  await rec({ kind: 'travel_document', person_id: pid, type: 'passport', status: 'issued', number: 'EP7654321', expiry: inDays(400) });
  for (const [type, status] of [['exit_visa', 'done'], ['fine_waiver', 'not_needed'], ['police_clearance', 'done']])
    await rec({ kind: 'procedure', type, status });
  await rec({ kind: 'health_assessment', person_id: pid, result: 'fit', at: iso(-30), assessor: 'Dr Web', pre_embarkation: false });
  await step('ready');
  await step('book');
  await rec({ kind: 'reconfirmation', person_id: pid, at: iso(-1), method: 'in_person' });
  await rec({ kind: 'health_assessment', person_id: pid, result: 'fit', at: iso(-1), assessor: 'Dr Web', pre_embarkation: true });

  await page.reload();
  const dep = page.locator('li.step[data-step=depart]');
  await dep.waitFor();
  const input = dep.getByLabel('Date and time of the departure');
  assert.equal(await input.getAttribute('type'), 'datetime-local');
  /* in the future: refused on the field, the case stays booked */
  await input.fill(localIn(3));
  await dep.locator('form.take button').click();
  await dep.locator('#step-depart-at-err').waitFor();
  assert.match(await dep.locator('#step-depart-at-err').innerText(), /in the future/);
  assert.equal(await input.getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('h1 .stage').innerText(), 'Booked');
  await shot(page, 'case-depart-refused');
  await input.fill(localIn(-0.5));
  await take(page, 'depart');
  assert.equal(await page.locator('h1 .stage').innerText(), 'Departed');
  /* only arrival and closure now: no withdrawal or hold, and the side
   * actions say so */
  assert.equal(await page.locator('li.step[data-step=withdraw], li.step[data-step=hold]').count(), 0);
  assert.equal(await page.locator('.side-steps summary').innerText(), 'Other actions: Close');
  const arr = page.locator('li.step[data-step=arrive]');
  const ain = arr.getByLabel('Date and time of the arrival');
  await ain.fill(localIn(-1));
  await arr.locator('form.take button').click();
  await arr.locator('#step-arrive-at-err').waitFor();
  assert.match(await arr.locator('#step-arrive-at-err').innerText(), /cannot be before the departure/);
  await ain.fill(localIn(0));
  await take(page, 'arrive');
  assert.equal(await page.locator('h1 .stage').innerText(), 'Arrived');
  const timeline = await page.locator('.timeline').innerText();
  assert.ok(timeline.includes('Confirm departure: Booked → Departed'), timeline);
  assert.equal((timeline.match(/Took place on/g) || []).length, 2, timeline);
  await shot(page, 'case-arrived');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('administration: restrictions, offices and users', async () => {
  const page = await newPage(browser, srv.base);
  await login(page, 'youssef.manager', srv.users['youssef.manager']);
  await page.getByRole('link', { name: 'Administration' }).click();
  await page.locator('table.list tbody tr').first().waitFor();
  assert.ok((await page.locator('table.list').innerText()).includes('North Darfur'));
  await page.getByRole('button', { name: /^Review: Sudan — North Darfur/ }).click();
  await page.locator('#f-next_review').fill(inDays(90));
  await page.getByRole('button', { name: 'Save' }).click();
  await page.locator('#f-next_review').waitFor({ state: 'detached' });
  await page.waitForFunction(() => !document.querySelector('table.list .overdue') ||
    ![...document.querySelectorAll('table.list tr')].some((r) => r.textContent.includes('North Darfur') && r.querySelector('.overdue')));
  await shot(page, 'admin-restrictions');
  await page.context().close();

  const ap = await newPage(browser, srv.base);
  await login(ap, 'admin', srv.users.admin);
  await ap.goto('/admin/offices');
  await ap.getByRole('button', { name: 'New office' }).click();
  await ap.locator('#f-code').fill('TN-TUN');
  await ap.locator('#f-name').fill('Tunis');
  await ap.locator('#f-country').selectOption('TUN');
  await ap.getByRole('button', { name: 'Save' }).click();
  await ap.locator('table.list td', { hasText: 'TN-TUN' }).waitFor();
  await shot(ap, 'admin-offices');
  await ap.getByRole('link', { name: 'Users' }).click();
  await ap.locator('table.list td', { hasText: WORKER.user }).waitFor();
  await ap.getByRole('button', { name: 'Edit: amina.registration' }).click();
  await ap.getByRole('group', { name: 'Offices' }).getByLabel(/TN-TUN/).check();
  await ap.getByRole('button', { name: 'Save' }).click();
  await ap.locator('tr', { hasText: 'amina.registration' }).locator('td', { hasText: 'TN-TUN' }).waitFor();
  await shot(ap, 'admin-users');
  assert.deepEqual(ap.errors, []);
  await ap.context().close();
});

test('switches to Arabic, right to left, and remembers it', async () => {
  const page = await newPage(browser, srv.base);
  await login(page, WORKER.user, WORKER.pass);
  await page.locator('#lang-select').selectOption('ar');
  await page.waitForFunction(() => document.documentElement.dir === 'rtl');
  await page.locator('h1', { hasText: I18N.ar['dash.title'] }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'ar');
  assert.equal(await page.locator('h1').innerText(), I18N.ar['dash.title']);
  assert.equal(await page.getByRole('link', { name: I18N.ar['nav.cases'] }).count(), 1);
  await page.locator('.dash').waitFor();
  await shot(page, 'dashboard-ar');
  await page.goto('/cases/' + state.walk);
  await page.locator('.readiness').waitFor();
  assert.equal(await page.locator('html').getAttribute('dir'), 'rtl', 'remembered across a reload');
  assert.equal(await page.locator('h1 .stage').innerText(), I18N.ar['val.withdrawn']);
  assert.equal(await page.locator('#sec-ready').innerText(), I18N.ar['ready.title']);
  await shot(page, 'case-ar');
  await page.goto('/cases/new');
  await page.locator('#f-members-0-person-name').waitFor();
  assert.equal(await page.locator('label[for=f-members-0-person-name]').innerText(), I18N.ar['person.name'] + ' *');
  await shot(page, 'register-ar');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('fits a 360-pixel phone and a 1366×768 laptop without sideways scrolling', async () => {
  for (const [w, h, tag] of [[360, 740, 'phone'], [1366, 768, 'laptop']]) {
    const page = await newPage(browser, srv.base, { viewport: { width: w, height: h } });
    await login(page, WORKER.user, WORKER.pass);
    for (const [url, ready, name] of [['/', '.dash', 'dashboard'], ['/cases', 'table.cases', 'cases'],
      ['/cases/' + state.walk, '.readiness', 'case'], ['/cases/new', '#f-office', 'register']]) {
      await page.goto(url);
      await page.locator(ready).waitFor();
      const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(over <= 0, `${url} at ${w}px is ${over}px too wide`);
      if (tag === 'phone') await shot(page, `${name}-phone`);
    }
    /* keyboard: the first Tab reaches the skip link, which leads to main */
    await page.goto('/cases');
    await page.locator('table.cases').waitFor();
    await page.keyboard.press('Tab');
    if (!(await page.evaluate(() => document.activeElement.classList.contains('skip')))) await page.keyboard.press('Tab');
    assert.ok(await page.evaluate(() => document.activeElement.classList.contains('skip')));
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});
