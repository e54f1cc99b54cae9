/*
 * tests/web/duplicates.test.mjs — possible duplicates in the web interface
 * (web/src/js/duplicates.js, issue 13).
 *
 * Mohamed Ibrahim Traore is registered in Cairo, and Adama Keita by
 * another office. A Cairo case worker registering "Traore Mohamed" born
 * 4 May 1990 sees, while the form is still being filled in and before
 * anything is created, "possibly already registered" with the name, the
 * case number and why (the names in another order, the date of birth); the
 * registration still goes through. On the new case's page the member's
 * possible duplicates list that case. A person registered elsewhere shows
 * the office to contact, without name or date. In Arabic, right to left,
 * the Arabic name typed finds the Latin registration with the explanation
 * in Arabic. Screenshots in build/screenshots/duplicates-*.png.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, login, apiAs, shot } from './harness.mjs';

let srv, browser, admin, first, other;
const WORKER = { user: 'dup.worker', pass: 'duplicates worker 2026', name: 'Salma Idris' };

function personBody(name, dob, nat = 'MLI') {
  return {
    name, name_latin: null, sex: 'male', date_of_birth: dob, dob_precision: 'exact',
    nationality: nat, languages: ['fr'], documents: [], contact: null, vulnerabilities: [],
  };
}

async function registerVia(office, p) {
  const r = await admin('POST', '/cases', {
    office, origin_country: 'MLI', destination_country: 'MLI', destination_admin_area: 'Bamako',
    members: [{ relationship: 'principal', person: p }],
  });
  assert.equal(r.status, 201, JSON.stringify(r.data));
  return r.data;
}

before(async () => {
  srv = await startServer();
  browser = await launch();
  admin = await apiAs(srv.base, 'admin', srv.users.admin);
  const r = await admin('POST', '/users', {
    username: WORKER.user, full_name: WORKER.name, password: WORKER.pass, roles: ['registration'],
    offices: ['EG-CAI'],
  });
  assert.equal(r.status, 201, JSON.stringify(r.data));
  const offices = (await admin('GET', '/offices')).data.items.map((o) => o.code);
  const elsewhere = offices.filter((c) => c !== 'EG-CAI')[0];
  first = await registerVia('EG-CAI', personBody('Mohamed Ibrahim Traore', '1990-05-04'));
  other = { office: elsewhere, c: await registerVia(elsewhere, personBody('Adama Sékou Keïta', '1984-11-20')) };
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

async function typePerson(page, name, dob) {
  await page.locator('#f-members-0-person-name').fill(name);
  await page.locator('#f-members-0-person-date_of_birth').fill(dob);
  await page.locator('#f-members-0-person-dob_precision').selectOption('exact');
}

test('registering a person already registered: the hint before creating, the list on the case', async () => {
  const page = await newPage(browser, srv.base);
  await login(page, WORKER.user, WORKER.pass);
  await page.getByRole('link', { name: 'Register a household' }).click();
  await page.locator('#f-members-0-person-name').waitFor();
  await typePerson(page, 'Traore Mohamed', '1990-05-04');
  const hint = page.locator('.dup-hint');
  await hint.waitFor({ timeout: 10000 });
  const text = await hint.innerText();
  assert.match(text, /Traore Mohamed: possibly already registered/);
  assert.match(text, /Mohamed Ibrahim Traore/);
  assert.match(text, new RegExp('case ' + first.number));
  assert.match(text, /Date of birth: the same/);
  assert.match(text, /Traore ↔ Traore — the same/);
  assert.match(text, /1 word of the names not found in the other/);
  assert.match(text, /You can still register/);
  await shot(page, 'duplicates-register-en');

  /* Another office's registration: the office, no name, no date. */
  await typePerson(page, 'Keita Adama', '1984-11-20');
  await page.waitForFunction(() => /Registered by the office/.test(document.querySelector('.dup-hint')?.innerText || ''));
  const elsewhere = await page.locator('.dup-hint').innerText();
  assert.match(elsewhere, new RegExp('Registered by the office ' + other.office + ': contact them'));
  assert.doesNotMatch(elsewhere, /Sékou|1984|20 Nov/);
  await shot(page, 'duplicates-register-elsewhere-en');

  /* The registration is not blocked. */
  await typePerson(page, 'Traore Mohamed', '1990-05-04');
  await page.locator('#f-origin_country').selectOption('MLI');
  await page.locator('#f-destination_country').selectOption('MLI');
  await page.locator('#f-destination_admin_area').fill('Bamako');
  await page.locator('#f-members-0-relationship').selectOption('principal');
  await page.locator('#f-members-0-person-sex').selectOption('male');
  await page.locator('#f-members-0-person-nationality').selectOption('MLI');
  await page.locator('form button[type=submit]').click();
  await page.locator('.case-page').waitFor();

  /* On the case page: the member's possible duplicates. */
  await page.locator('.dup-show').first().click();
  await page.locator('.dup-person .dup-item').first().waitFor();
  const listed = await page.locator('.dup-person').innerText();
  assert.match(listed, /Possible duplicates/);
  assert.match(listed, /Mohamed Ibrahim Traore/);
  assert.match(listed, new RegExp('case ' + first.number));
  await shot(page, 'duplicates-case-en');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('in Arabic, right to left: the Arabic name finds the Latin registration', async () => {
  const page = await newPage(browser, srv.base, { locale: 'ar' });
  await login(page, WORKER.user, WORKER.pass);
  await page.locator('#lang-select').selectOption('ar');
  await page.waitForFunction(() => document.documentElement.dir === 'rtl');
  await page.getByRole('link', { name: 'تسجيل أسرة' }).first().click();
  await page.locator('#f-members-0-person-name').waitFor();
  await typePerson(page, 'محمد إبراهيم تراوري', '1990-04-05');
  const hint = page.locator('.dup-hint');
  await hint.waitFor({ timeout: 10000 });
  const text = await hint.innerText();
  assert.match(text, /ربما سُجّل من قبل/);
  assert.match(text, /Mohamed Ibrahim Traore/);
  assert.match(text, /الاسم نفسه بالكتابة الأخرى/);
  assert.match(text, /اليوم والشهر متبادلان/);
  await shot(page, 'duplicates-register-ar');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
