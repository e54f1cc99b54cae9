/*
 * tests/web/household.test.mjs — what a case worker hit after registration
 * (issue 9), in a browser against a real awda server with the demo data:
 *
 *   - the household is edited on the case page: a name gets its Latin
 *     form, a document and a vulnerability are added, a newborn joins, a
 *     member who left is removed with a reason the timeline keeps; when
 *     someone else changed the case meanwhile, the form says so in the
 *     user's language and reloads on request (English, French, Arabic);
 *   - counts are said with the language's plural rules ("1 case", "40
 *     ans", Arabic forms), the Arabic header says عودة once, offices are
 *     named in the interface's language, French puts a non-breaking space
 *     before : ; ? and !;
 *   - at 360 px the header is one line and the case page opens on the
 *     household and the next step, the records folded;
 *   - a cold load logs no console error (no 401 for the session);
 *   - the dashboard loads in at most 4 API requests;
 *   - the case list exports the filtered cases for roles that may, asking
 *     for whom when names are wanted.
 *
 * Screenshots of each changed page in English, French and Arabic, at
 * 360 px and on a laptop, go to build/screenshots/.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launch, newPage, login, apiAs, shot, REPO } from './harness.mjs';

let srv, browser, admin;
const I18N = Object.fromEntries(['en', 'fr', 'ar'].map((l) =>
  [l, JSON.parse(fs.readFileSync(path.join(REPO, 'web', 'i18n', l + '.json'), 'utf8'))]));
const WORKER = { user: 'house.worker', pass: 'correct horse battery 43' };
const PHONE = { width: 360, height: 740 };
const state = {};

before(async () => {
  srv = await startServer();
  browser = await launch();
  admin = await apiAs(srv.base, 'admin', srv.users.admin);
  const r = await admin('POST', '/users', {
    username: WORKER.user, full_name: 'Mona House', password: WORKER.pass,
    roles: ['registration', 'counsellor', 'operations', 'medical'], offices: ['EG-CAI'],
  });
  assert.equal(r.status, 201, JSON.stringify(r.data));
  const worker = await apiAs(srv.base, WORKER.user, WORKER.pass);
  const c = await worker('POST', '/cases', {
    office: 'EG-CAI', origin_country: 'SDN', destination_country: 'SDN', destination_admin_area: 'Kassala',
    members: [
      { relationship: 'principal', person: { name: 'حامد عثمان', sex: 'male', date_of_birth: '1985-06-01', dob_precision: 'exact', nationality: 'SDN' } },
      { relationship: 'spouse', person: { name: 'Amna Osman', sex: 'female', date_of_birth: '1990', dob_precision: 'year', nationality: 'SDN' } },
      { relationship: 'child', person: { name: 'Sara Hamid', sex: 'female', date_of_birth: '2019-02', dob_precision: 'month', nationality: 'SDN' } },
    ],
  });
  assert.equal(c.status, 201, JSON.stringify(c.data));
  state.case = c.data;
  state.worker = worker;
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

const yearsAgo = (n) => `${new Date().getUTCFullYear() - n}-01-01`;

/* Chooses the interface language from the header (through the Menu
 * button on a phone, closed again afterwards). */
async function chooseLang(page, lang) {
  const toggle = page.locator('button.menu-toggle');
  const phone = await toggle.isVisible();
  if (phone && (await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  /* signed in, the choice is saved for the user (PATCH /me): a page
   * opened before the save lands would come back in the saved language */
  const changes = (await page.locator('html').getAttribute('lang')) !== lang;
  const saved = changes
    ? page.waitForResponse((r) => r.url().endsWith('/api/v1/me') && r.request().method() === 'PATCH')
    : null;
  await page.locator('#lang-select').selectOption(lang);
  await page.locator(`html[lang=${lang}]`).waitFor();
  if (saved) assert.equal((await saved).status(), 200);
  if (phone && (await toggle.getAttribute('aria-expanded')) === 'true') await toggle.click();
}

/* The version the server has now: the page must be behind it. */
async function changeBehindTheirBack(note) {
  const c = await state.worker('GET', '/cases/' + state.case.id);
  const r = await fetch(srv.base + '/api/v1/cases/' + state.case.id, {
    method: 'PATCH',
    headers: { Authorization: 'Bearer ' + (await tokenOf(WORKER.user, WORKER.pass)), 'Content-Type': 'application/json', 'If-Match': `"${c.data.version}"` },
    body: JSON.stringify({ notes: note }),
  });
  assert.equal(r.status, 200, await r.text());
}

async function tokenOf(user, pass) {
  const r = await fetch(srv.base + '/api/v1/session', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: user, password: pass }),
  });
  return (await r.json()).token;
}

async function openCase(page) {
  await page.goto('/cases/' + state.case.id);
  await page.locator('.readiness').waitFor();
}

function member(page, name) {
  return page.locator('.household li.member', { hasText: name });
}

test('a cold load logs no console error, and the dashboard takes at most 4 API requests', async () => {
  const ctx = await browser.newContext({ baseURL: srv.base, viewport: { width: 1366, height: 768 } });
  const page = await ctx.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto('/');
  await page.locator('#login-user').waitFor();
  await page.waitForLoadState('networkidle');
  assert.deepEqual(errors, [], 'a cold load, signed out');
  await page.locator('#login-user').fill('amina.registration');
  await page.locator('#login-pass').fill(srv.users['amina.registration']);
  await page.locator('form button[type=submit]').click();
  await page.locator('.dash').waitFor();
  /* a dashboard load with the session: how many API requests */
  const calls = [];
  page.on('request', (r) => { if (new URL(r.url()).pathname.startsWith('/api/')) calls.push(new URL(r.url()).pathname); });
  await page.reload();
  await page.locator('.dash').waitFor();
  await page.waitForLoadState('networkidle');
  assert.ok(calls.length <= 4, `${calls.length} API requests: ${calls.join(' ')}`);
  assert.ok(calls.includes('/api/v1/dashboard'), calls.join(' '));
  assert.ok(await page.locator('[aria-labelledby=dash-mine] li').count() > 0, 'the cases waiting for amina');
  assert.match(await page.locator('[aria-labelledby=dash-mine] li').first().innerText(), /Next step: /);
  /* signed out, the probe says so without an error either */
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.locator('#login-user').waitFor();
  await page.reload();
  await page.locator('#login-user').waitFor();
  await page.waitForLoadState('networkidle');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('counts follow the language\'s plural rules; Arabic says عودة once; offices in the user\'s language', async () => {
  /* every office of the demo has its name in Arabic and in French */
  const demo = ['EG-CAI', 'DZ-TAM', 'DZ-ALG', 'ML-BKO', 'ML-KYS', 'SD-KRT'];
  const offices = (await admin('GET', '/offices')).data.items.filter((o) => demo.includes(o.code));
  assert.equal(offices.length, demo.length, JSON.stringify(offices));
  for (const o of offices) assert.ok(o.name_ar && o.name_fr, JSON.stringify(o));
  /* a user who sees exactly one case: "1 case" */
  const code = 'EG-ALX';
  assert.equal((await admin('POST', '/offices', { code, name: 'Alexandria', name_ar: 'الإسكندرية', name_fr: 'Alexandrie', country: 'EGY' })).status, 201);
  assert.equal((await admin('POST', '/users', { username: 'one.case', full_name: 'One Case', password: 'correct horse battery 44', roles: ['registration'], offices: [code] })).status, 201);
  const one = await apiAs(srv.base, 'one.case', 'correct horse battery 44');
  const made = await one('POST', '/cases', {
    office: code, origin_country: 'EGY', destination_country: 'EGY',
    members: [{ relationship: 'principal', person: { name: 'Forty Years', sex: 'male', date_of_birth: yearsAgo(40), dob_precision: 'exact', nationality: 'EGY' } }],
  });
  assert.equal(made.status, 201, JSON.stringify(made.data));
  const page = await newPage(browser, srv.base);
  await login(page, 'one.case', 'correct horse battery 44');
  await page.locator('.dash').waitFor();
  assert.equal(await page.locator('#dash-stages + p').innerText(), '1 case');
  await page.goto('/cases/' + made.data.id);
  await page.locator('.readiness').waitFor();
  assert.match(await member(page, 'Forty Years').innerText(), /\(40 years\)/);
  assert.match(await page.locator('.case-head .lead').innerText(), /EG-ALX — Alexandria/);

  await chooseLang(page, 'fr');
  assert.match(await member(page, 'Forty Years').innerText(), /\(40 ans\)/);
  assert.match(await page.locator('.case-head .lead').innerText(), /EG-ALX — Alexandrie/);
  assert.equal(await page.locator('#sec-members .count-note').innerText(), '1 membre');
  await shot(page, 'household-fr');
  await page.goto('/');
  await page.locator('.dash').waitFor();
  assert.equal(await page.locator('#dash-stages + p').innerText(), '1 dossier');

  await chooseLang(page, 'ar');
  await page.locator('.dash').waitFor();
  assert.equal(await page.locator('#dash-stages + p').innerText(), I18N.ar['dash.total'].one);
  /* the brand reads عودة once (the name is the logo) */
  const brand = await page.locator('header .brand').innerText();
  assert.equal(brand.trim(), 'عودة', brand);
  await page.goto('/cases/' + made.data.id);
  await page.locator('.readiness').waitFor();
  assert.match(await page.locator('.case-head .lead').innerText(), /EG-ALX — الإسكندرية/);
  assert.match(await member(page, 'Forty Years').innerText(), /\((40|٤٠) سنة\)/);
  await chooseLang(page, 'en');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('French puts a non-breaking space before : ; ? and ! in every string', () => {
  const bad = [];
  const check = (k, v) => {
    for (const m of v.matchAll(/(.)([:;?!])/gu)) {
      if (!/[\u00a0\u202f]/.test(m[1]) && !/^(https?|otpauth)$/.test(v.slice(0, m.index + 1).split(/\s/).pop())) bad.push(`${k}: …${v.slice(Math.max(0, m.index - 12), m.index + 2)}`);
    }
  };
  for (const [k, v] of Object.entries(I18N.fr)) {
    if (typeof v === 'string') check(k, v);
    else Object.values(v).forEach((x) => check(k, x));
  }
  assert.deepEqual(bad, []);
  /* and every count label has its plural forms in every language */
  for (const k of ['dash.total', 'person.age', 'person.about_age', 'ready.missing', 'ready.met_count', 'household.count', 'record.count']) {
    for (const l of ['en', 'fr', 'ar']) assert.equal(typeof I18N[l][k], 'object', `${l} ${k}`);
    for (const cat of ['zero', 'one', 'two', 'few', 'many', 'other']) assert.ok(I18N.ar[k][cat], `ar ${k} ${cat}`);
  }
});

test('at 360 px the header is one line and the case opens on the household and the next step', async () => {
  const page = await newPage(browser, srv.base, { viewport: PHONE });
  await login(page, WORKER.user, WORKER.pass);
  await openCase(page);
  const m = await page.evaluate(() => {
    const top = (sel) => document.querySelector(sel).getBoundingClientRect().top + window.scrollY;
    return {
      header: document.querySelector('header.top').getBoundingClientRect().height,
      household: top('#sec-members'), readiness: top('#sec-ready'), records: top('section.records'),
      page: document.documentElement.scrollHeight, screen: window.innerHeight,
      folded: [...document.querySelectorAll('section.records details.fold')].every((d) => !d.open),
    };
  });
  assert.ok(m.header <= 0.15 * PHONE.height, `the header is ${m.header}px of ${PHONE.height}`);
  assert.ok(m.household < m.readiness && m.readiness < m.records, JSON.stringify(m));
  assert.ok(m.household < m.screen / 3, `the household starts at ${m.household}px`);
  assert.ok(m.folded, 'the records start folded');
  console.log(`# the case page at 360 px: ${m.page}px, ${(m.page / m.screen).toFixed(1)} screens; header ${m.header}px`);
  assert.ok(m.page <= 4 * m.screen, `the case page is ${(m.page / m.screen).toFixed(1)} screens tall`);
  await shot(page, 'case-household-phone');
  /* the menu opens the navigation and closes on the way */
  assert.equal(await page.getByRole('link', { name: 'Cases', exact: true }).isVisible(), false);
  await page.getByRole('button', { name: 'Menu' }).click();
  assert.equal(await page.getByRole('button', { name: 'Menu' }).getAttribute('aria-expanded'), 'true');
  await shot(page, 'menu-phone');
  await page.getByRole('link', { name: 'Cases', exact: true }).click();
  await page.locator('table.cases').waitFor();
  assert.equal(await page.getByRole('link', { name: 'Dashboard' }).isVisible(), false);
  /* opening a group of records */
  await openCase(page);
  await page.locator('[data-section=counselling] summary').click();
  await page.getByRole('button', { name: 'Add: Counselling session' }).waitFor();
  for (const lang of ['fr', 'ar']) {
    await chooseLang(page, lang);
    await page.locator('#sec-members', { hasText: I18N[lang]['household.title'] }).waitFor();
    const h = await page.evaluate(() => document.querySelector('header.top').getBoundingClientRect().height);
    assert.ok(h <= 0.15 * PHONE.height, `${lang}: the header is ${h}px`);
    await shot(page, `case-household-phone-${lang}`);
  }
  await chooseLang(page, 'en');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a member is corrected, a newborn added and a member who left removed with a reason', async () => {
  const page = await newPage(browser, srv.base);
  await login(page, WORKER.user, WORKER.pass);
  await openCase(page);
  assert.equal(await page.locator('.household li.member').count(), 3);
  /* the principal's name gets its Latin form, a passport and a vulnerability */
  await page.getByRole('button', { name: 'Edit: حامد عثمان' }).click();
  const form = page.locator('.household form');
  await form.locator('#f-person-name_latin').fill('Hamid Osman');
  await form.getByRole('button', { name: 'Add: Document' }).click();
  await form.locator('#f-person-documents-0-type').selectOption('passport');
  await form.locator('#f-person-documents-0-number').fill('P01234567');
  await form.getByLabel('Medical condition').check();
  await shot(page, 'household-edit');
  await form.getByRole('button', { name: 'Save' }).click();
  await form.waitFor({ state: 'detached' });
  const principal = member(page, 'Hamid Osman');
  await principal.waitFor();
  const text = await principal.innerText();
  assert.ok(text.includes('حامد عثمان') && text.includes('Passport') && text.includes('P01234567') && text.includes('Medical condition'), text);

  /* a validation error lands on the member's field */
  await page.getByRole('button', { name: 'Edit: Sara Hamid' }).click();
  await form.locator('#f-person-date_of_birth').fill('2019-13');
  await form.getByRole('button', { name: 'Save' }).click();
  await form.locator('.alert').waitFor();
  assert.equal(await form.locator('#f-person-date_of_birth').getAttribute('aria-invalid'), 'true');
  await form.getByRole('button', { name: 'Cancel' }).click();

  /* a newborn */
  await page.getByRole('button', { name: 'Add a member' }).click();
  const add = page.locator('form[aria-label="Add a member"]');
  await add.locator('#f-relationship').selectOption('child');
  await add.locator('#f-person-name').fill('Nour Hamid');
  await add.locator('#f-person-sex').selectOption('female');
  await add.locator('#f-person-date_of_birth').fill(new Date().toISOString().slice(0, 7));
  await add.locator('#f-person-dob_precision').selectOption('month');
  await add.getByRole('button', { name: 'Add to the household' }).click();
  await add.waitFor({ state: 'detached' });
  await member(page, 'Nour Hamid').waitFor();
  assert.equal(await page.locator('.household li.member').count(), 4);
  assert.match(await member(page, 'Nour Hamid').innerText(), /\(0 years\)/);

  /* the spouse left: a reason is required and kept in the timeline */
  await page.getByRole('button', { name: 'Remove: Amna Osman' }).click();
  const rm = page.locator('form.remove-member');
  await rm.getByRole('button', { name: 'Remove from the household' }).click();
  await rm.locator('.err').waitFor();
  assert.match(await rm.locator('.err').innerText(), /say why/);
  await rm.getByLabel(/Why is this person no longer part of the case/).fill('Moved back to Kassala ahead of the family');
  await shot(page, 'household-remove');
  await rm.getByRole('button', { name: 'Remove from the household' }).click();
  await rm.waitFor({ state: 'detached' });
  await page.waitForFunction(() => document.querySelectorAll('.household li.member').length === 3);
  assert.equal(await member(page, 'Amna Osman').count(), 0);
  const timeline = await page.locator('.timeline').innerText();
  assert.ok(timeline.includes('Left the household: Amna Osman') && timeline.includes('Moved back to Kassala ahead of the family'), timeline);
  assert.equal(await page.getByRole('button', { name: 'Remove: حامد عثمان' }).count(), 0, 'never the principal');
  await shot(page, 'household');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a change that makes the household implausible is confirmed in the member form, each warning named and in words', async () => {
  const made = await state.worker('POST', '/cases', {
    office: 'EG-CAI', origin_country: 'SDN', destination_country: 'SDN', destination_admin_area: 'Kassala',
    members: [
      { relationship: 'principal', person: { name: 'آدم يوسف', sex: 'male', date_of_birth: '1985-06-01', dob_precision: 'exact', nationality: 'SDN' } },
      { relationship: 'child', person: { name: 'Lina Adam', sex: 'female', date_of_birth: '2019-02', dob_precision: 'month', nationality: 'SDN' } },
    ],
  });
  assert.equal(made.status, 201, JSON.stringify(made.data));
  const page = await newPage(browser, srv.base);
  await login(page, WORKER.user, WORKER.pass);
  await page.goto('/cases/' + made.data.id);
  await page.locator('.readiness').waitFor();
  /* the principal's date of birth mistyped as 2020: younger than his
   * child, and a small child without a parent or guardian */
  await page.getByRole('button', { name: 'Edit: آدم يوسف' }).click();
  let form = page.locator('.household form');
  await form.locator('#f-person-date_of_birth').fill('2020-01-15');
  await form.getByRole('button', { name: 'Save' }).click();
  let confirm = form.locator('fieldset.confirm');
  await confirm.waitFor();
  const text = await confirm.innerText();
  /* a warning about another member is named by the case's fields */
  assert.match(text, /Member 2 — Date of birth: This child is aged \d+, not younger than the principal applicant/);
  assert.match(text, /The principal applicant is aged \d+ and no parent or guardian/);
  await shot(page, 'household-confirm');
  const boxes = confirm.getByLabel('I confirm, this is correct');
  assert.equal(await boxes.count(), 2);
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  await form.getByRole('button', { name: 'Save' }).click();
  await form.waitFor({ state: 'detached' });
  let ev = (await state.worker('GET', `/cases/${made.data.id}/events`)).data.items;
  let confirmed = ev.filter((e) => e.kind === 'updated' && e.data.confirmed);
  assert.equal(confirmed.length, 1, JSON.stringify(ev));
  assert.deepEqual(confirmed[0].data.confirmed.map((x) => x.code).sort(),
    ['child-older-than-principal', 'principal-young-without-guardian']);

  /* in French, a spouse of one year: the age with its unit, singular */
  await chooseLang(page, 'fr');
  await page.getByRole('button', { name: I18N.fr['household.add'] }).click();
  form = page.locator(`form[aria-label="${I18N.fr['household.add']}"]`);
  await form.locator('#f-relationship').selectOption('spouse');
  await form.locator('#f-person-name').fill('Zahra Adam');
  await form.locator('#f-person-sex').selectOption('female');
  await form.locator('#f-person-date_of_birth').fill(yearsAgo(1));
  await form.locator('#f-person-dob_precision').selectOption('exact');
  await form.getByRole('button', { name: I18N.fr['household.add_submit'] }).click();
  confirm = form.locator('fieldset.confirm');
  await confirm.waitFor();
  assert.match(await confirm.innerText(), /Date de naissance\u00a0: Ce conjoint a 1 an d’après la date de naissance/);
  await confirm.getByLabel(I18N.fr['confirm.label']).check();
  await form.getByRole('button', { name: I18N.fr['household.add_submit'] }).click();
  await form.waitFor({ state: 'detached' });
  await member(page, 'Zahra Adam').waitFor();
  ev = (await state.worker('GET', `/cases/${made.data.id}/events`)).data.items;
  confirmed = ev.filter((e) => e.kind === 'updated' && e.data.confirmed);
  assert.equal(confirmed.length, 2, JSON.stringify(ev));
  await chooseLang(page, 'en');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('when someone else changed the case, each edit says so and reloads, in English, French and Arabic', async () => {
  for (const [lang, how] of [['en', 'edit'], ['fr', 'remove'], ['ar', 'add']]) {
    const page = await newPage(browser, srv.base, { viewport: lang === 'ar' ? PHONE : { width: 1366, height: 768 } });
    await login(page, WORKER.user, WORKER.pass);
    if (lang !== 'en') await chooseLang(page, lang);
    await openCase(page);
    let form;
    if (how === 'edit') {
      await page.getByRole('button', { name: 'Edit: Sara Hamid' }).click();
      form = page.locator('.household form');
      await form.locator('#f-person-name_latin').fill('Sarah Hamid');
    } else if (how === 'remove') {
      await member(page, 'Sara Hamid').getByRole('button', { name: I18N.fr['household.remove'] }).click();
      form = page.locator('form.remove-member');
      await form.locator('textarea').fill('Partie chez sa grand-mère');
    } else {
      await page.getByRole('button', { name: I18N.ar['household.add'] }).click();
      form = page.locator(`form[aria-label="${I18N.ar['household.add']}"]`);
      await form.locator('#f-person-name').fill('Yusuf Hamid');
      await form.locator('#f-person-sex').selectOption('male');
    }
    const note = 'changed meanwhile ' + lang;
    await changeBehindTheirBack(note);
    await form.locator('button[type=submit]').click();
    const alert = form.locator('.conflict');
    await alert.waitFor();
    assert.ok((await alert.innerText()).includes(I18N[lang]['conflict.text']), await alert.innerText());
    assert.equal(await page.locator('.household li.member', { hasText: 'Yusuf' }).count(), 0);
    await shot(page, `household-conflict-${lang}`);
    await alert.getByRole('button', { name: I18N[lang]['conflict.reload'] }).click();
    await form.waitFor({ state: 'detached' });
    await page.locator('dl.summary', { hasText: note }).waitFor();
    /* nothing was changed by the refused edit */
    const now = (await state.worker('GET', '/cases/' + state.case.id)).data;
    assert.ok(now.members.some((x) => x.person.name === 'Sara Hamid' && x.person.name_latin !== 'Sarah Hamid'));
    assert.ok(!now.members.some((x) => x.person.name === 'Yusuf Hamid'));
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});

test('the case list exports the filtered cases for the roles that may, asking for whom when names are wanted', async () => {
  /* a partner organisation nobody consented to share with */
  const admin = await apiAs(srv.base, 'admin', srv.users.admin);
  const made = await admin('POST', '/partners', { name: 'Nobody Consented Org', country: 'EGY' });
  assert.equal(made.status, 201, JSON.stringify(made.data));
  const page = await newPage(browser, srv.base);
  await login(page, 'youssef.manager', srv.users['youssef.manager']);
  await page.goto('/cases?stage=ready&office=EG-CAI');
  await page.locator('table.cases').waitFor();
  await page.getByRole('button', { name: 'Export' }).click();
  const form = page.locator('form.export');
  assert.match(await form.innerText(), /Stage: Ready and Office: EG-CAI — Cairo/);
  const [dl] = await Promise.all([page.waitForEvent('download'), form.getByRole('button', { name: 'Download' }).click()]);
  assert.match(dl.suggestedFilename(), /pseudonymised\.csv$/);
  const csv = fs.readFileSync(await dl.path(), 'utf8');
  const rows = csv.replace(/^\ufeff/, '').trim().split(/\r?\n/).map((l) => l.slice(1, -1).split('","'));
  const head = rows[0];
  assert.ok(head.includes('case number') && !head.includes('name'), head.join());
  const stages = rows.slice(2).map((r) => r[head.indexOf('stage')]);
  const offices = rows.slice(2).map((r) => r[head.indexOf('office')]);
  assert.ok(stages.length > 0 && stages.every((s) => s === 'ready'), stages.join());
  assert.ok(offices.every((o) => o === 'EG-CAI'), offices.join());
  await form.locator('.ok').waitFor();
  /* with names for a partner nobody consented to share with: refused in words */
  await form.getByLabel('With names').check();
  await form.getByLabel('A partner organisation').check();
  await form.locator('#export-partner').selectOption({ label: 'Nobody Consented Org' });
  await shot(page, 'cases-export');
  await form.getByRole('button', { name: 'Download' }).click();
  await form.locator('.alert').waitFor();
  assert.match(await form.locator('.alert').innerText(), /No consent to share/);
  /* with names for internal use: the names are in */
  await form.getByLabel('Our own organisation').check();
  const [named] = await Promise.all([page.waitForEvent('download'), form.getByRole('button', { name: 'Download' }).click()]);
  assert.ok(!/pseudonymised/.test(named.suggestedFilename()), named.suggestedFilename());
  assert.ok(fs.readFileSync(await named.path(), 'utf8').split('\n')[0].includes('"name"'));
  assert.deepEqual(page.errors, []);
  await page.context().close();

  /* M&E exports pseudonymised only; registration has no export */
  const me = await newPage(browser, srv.base, { viewport: PHONE });
  await login(me, 'leila.me', srv.users['leila.me']);
  await me.goto('/cases');
  await me.locator('table.cases').waitFor();
  await me.getByRole('button', { name: 'Export' }).click();
  await me.locator('form.export').waitFor();
  assert.equal(await me.getByLabel('With names').count(), 0);
  await shot(me, 'cases-export-phone');
  await me.context().close();
  const reg = await newPage(browser, srv.base);
  await login(reg, 'amina.registration', srv.users['amina.registration']);
  await reg.goto('/cases');
  await reg.locator('table.cases').waitFor();
  assert.equal(await reg.getByRole('button', { name: 'Export' }).count(), 0);
  await reg.context().close();
});

test('screenshots of the changed pages in French and Arabic, at 360 px and on a laptop', async () => {
  for (const lang of ['fr', 'ar']) {
    for (const [vp, tag] of [[PHONE, 'phone'], [{ width: 1366, height: 768 }, 'laptop']]) {
      const page = await newPage(browser, srv.base, { viewport: vp });
      await login(page, 'youssef.manager', srv.users['youssef.manager']);
      await chooseLang(page, lang);
      await page.locator('.dash').waitFor();
      await shot(page, `dashboard-${lang}-${tag}`);
      await openCase(page);
      await shot(page, `case-${lang}-${tag}`);
      await page.goto('/cases?stage=ready');
      await page.locator('table.cases').waitFor();
      await page.getByRole('button', { name: I18N[lang]['export.action'] }).click();
      await page.locator('form.export').waitFor();
      await shot(page, `cases-export-${lang}-${tag}`);
      const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(over <= 0, `${lang} ${tag}: ${over}px too wide`);
      await chooseLang(page, 'en');
      assert.deepEqual(page.errors, []);
      await page.context().close();
    }
  }
});
