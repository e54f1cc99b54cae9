/*
 * tests/web/register.test.mjs — registering a household as a new case
 * worker would (issue 9, "validation that a person understands").
 *
 * A new case worker of the Cairo office registers a Sudanese family: a
 * father, a mother and a daughter of about 8 whose date of birth nobody
 * knows. Before the first submit every required field is marked, and the
 * precision of a date of birth as soon as a date is typed; the office and
 * the assigned case worker are lists (that office's staff by name), the
 * languages a searchable picker of named languages; the child's age fills
 * an estimated date. The server's answers are in words the worker acts on,
 * in the interface language: a date that does not exist, a name of spaces,
 * a "child" older than her father — which can be corrected or, when true,
 * confirmed. In Arabic, a child of 5 registered alone is confirmed and the
 * confirmation is kept in the case's history. Screenshots of the form in
 * English and Arabic go to build/screenshots/.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, login, apiAs, shot } from './harness.mjs';

let srv, browser, admin;
const WORKER = { user: 'new.worker', pass: 'a new case worker 2026', name: 'Mona Adel' };
const COLLEAGUE = { user: 'karim.cw', name: 'Karim Fathy' };
const YEAR = new Date().getFullYear();

before(async () => {
  srv = await startServer();
  browser = await launch();
  admin = await apiAs(srv.base, 'admin', srv.users.admin);
  for (const [u, name, pass] of [[WORKER.user, WORKER.name, WORKER.pass], [COLLEAGUE.user, COLLEAGUE.name, 'karim password 2026']]) {
    const r = await admin('POST', '/users', {
      username: u, full_name: name, password: pass, roles: ['registration'], offices: ['EG-CAI'],
    });
    assert.equal(r.status, 201, JSON.stringify(r.data));
  }
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

const req = (page, id) => page.locator(`label[for="${id}"] .req`);

async function member(page, i, rel, name, sex) {
  await page.locator(`#f-members-${i}-relationship`).selectOption(rel);
  await page.locator(`#f-members-${i}-person-name`).fill(name);
  await page.locator(`#f-members-${i}-person-sex`).selectOption(sex);
  await page.locator(`#f-members-${i}-person-nationality`).selectOption('SDN');
}

test('a new case worker registers the Cairo household and understands every answer', async () => {
  const page = await newPage(browser, srv.base);
  await login(page, WORKER.user, WORKER.pass);
  await page.getByRole('link', { name: 'Register a household' }).click();
  await page.locator('#f-members-0-person-name').waitFor();

  /* Required fields are marked before anything is sent. */
  for (const id of ['f-office', 'f-origin_country', 'f-destination_country', 'f-members-0-relationship',
    'f-members-0-person-name', 'f-members-0-person-sex', 'f-members-0-person-nationality']) {
    assert.equal(await req(page, id).count(), 1, `${id} is marked required`);
  }
  /* The precision of a date of birth: required as soon as a date is typed. */
  const prec = page.locator('#f-members-0-person-dob_precision');
  assert.equal(await req(page, 'f-members-0-person-dob_precision').count(), 0);
  assert.equal(await prec.getAttribute('required'), null);
  await page.locator('#f-members-0-person-date_of_birth').fill('1985-02-30');
  assert.equal(await req(page, 'f-members-0-person-dob_precision').count(), 1);
  assert.notEqual(await prec.getAttribute('required'), null);
  await prec.selectOption('exact');

  /* The office and the assigned case worker are lists, not codes to type. */
  assert.equal(await page.locator('#f-office').evaluate((e) => e.tagName), 'SELECT');
  assert.equal(await page.locator('#f-office').inputValue(), 'EG-CAI');
  const assigned = page.locator('#f-assigned_to');
  await page.waitForFunction(() => document.querySelector('#f-assigned_to')?.tagName === 'SELECT');
  const staff = await assigned.locator('option').allInnerTexts();
  assert.ok(staff.includes(`${COLLEAGUE.name} (${COLLEAGUE.user})`), staff.join(' | '));
  assert.ok(staff.includes(`${WORKER.name} (${WORKER.user})`), staff.join(' | '));
  await assigned.selectOption(WORKER.user);

  await page.locator('#f-origin_country').selectOption('SDN');
  await page.locator('#f-destination_country').selectOption('SDN');
  await page.locator('#f-destination_admin_area').fill('Khartoum');

  /* The father (date typed above), the mother (her name only spaces). */
  await member(page, 0, 'principal', 'زكريا إبراهيم الطاهر', 'male');
  await page.getByRole('button', { name: 'Add: Member' }).click();
  await member(page, 1, 'spouse', '   ', 'female');
  await page.locator('#f-members-1-person-date_of_birth').fill('1990');
  await page.locator('#f-members-1-person-dob_precision').selectOption('year');

  /* Languages: a searchable list of names that sends ISO 639 codes. */
  const langs = page.locator('#f-members-0-person-languages');
  const listed = await page.locator('#f-members-0-person-languages-list option').evaluateAll((os) => os.map((o) => o.value));
  assert.ok(listed.includes('Arabic (ar)'), 'Arabic is in the list');
  assert.ok(listed.includes('French (fr)'));
  await langs.fill('Arabic (ar)'); /* what choosing it in the list does */
  await langs.fill('french');
  await langs.press('Enter');
  assert.deepEqual(await page.locator('#f-members-0-person-languages-chosen li span').allInnerTexts(),
    ['Arabic (ar)', 'French (fr)']);
  await langs.fill('Klingonish');
  await langs.press('Enter');
  assert.ok(await page.locator('#f-members-0-person-languages-nomatch').isVisible());
  await langs.fill('');

  /* The daughter: only her age is known. An age of 45 by mistake. */
  await page.getByRole('button', { name: 'Add: Member' }).click();
  await member(page, 2, 'child', 'مريم زكريا', 'female');
  await page.locator('#f-members-2-person-date_of_birth-age').fill('45');
  assert.equal(await page.locator('#f-members-2-person-date_of_birth').inputValue(), String(YEAR - 45));
  assert.equal(await page.locator('#f-members-2-person-dob_precision').inputValue(), 'estimated');
  assert.match(await page.locator('#f-members-2-person-date_of_birth-age-hint').innerText(), /about 45 years \(estimated\)/);
  await shot(page, 'register-before-submit');

  /* First answer: a date that does not exist, a name without a letter. */
  await page.getByRole('button', { name: 'Register', exact: true }).click();
  await page.locator('.alert[role=alert]').waitFor();
  assert.equal(await page.locator('#f-members-0-person-date_of_birth-err').innerText(), 'This date does not exist.');
  assert.match(await page.locator('#f-members-1-person-name-err').innerText(), /A name needs at least one letter/);
  assert.match(await page.locator('.alert[role=alert]').innerText(), /Member 1 — Date of birth: This date does not exist\./);
  await shot(page, 'register-errors-understood');

  /* Corrected; the server now sees a "child" older than her father. */
  await page.locator('#f-members-0-person-date_of_birth').fill('1985-04-12');
  await page.locator('#f-members-1-person-name').fill('فاطمة حسن علي');
  await page.getByRole('button', { name: 'Register', exact: true }).click();
  const confirm = page.locator('fieldset.confirm');
  await confirm.waitFor();
  const warning = await confirm.innerText();
  assert.match(warning, /Member 3 — Date of birth:/);
  assert.match(warning, /This child is aged 45, not younger than the principal applicant \(aged 4\d\)/);
  assert.ok(await confirm.getByLabel('I confirm, this is correct').isVisible());
  assert.match(await page.locator('#f-members-2-person-date_of_birth-err').innerText(), /not younger than the principal/);
  await shot(page, 'register-plausibility');

  /* It was a mistake: she is 8. */
  await page.locator('#f-members-2-person-date_of_birth-age').fill('8');
  assert.match(await page.locator('#f-members-2-person-date_of_birth-age-hint').innerText(), /about 8 years \(estimated\)/);
  await page.getByRole('button', { name: 'Register', exact: true }).click();
  await page.locator('.case-page').waitFor();
  const rows = page.locator('ul.members li.member');
  assert.equal(await rows.count(), 3);
  assert.match(await rows.nth(2).innerText(), /about 8 years \(estimated\)/);
  assert.match(await page.locator('.summary').innerText(), new RegExp(WORKER.user));
  await shot(page, 'register-household-registered');

  /* The case's summary offers the same list of staff when edited. */
  await page.locator('section[aria-labelledby=sec-summary] button', { hasText: 'Edit' }).click();
  await page.waitForFunction(() => document.querySelector('#f-assigned_to')?.tagName === 'SELECT');
  assert.equal(await page.locator('#f-assigned_to').inputValue(), WORKER.user);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('in Arabic: a child of 5 registered alone is confirmed, and the confirmation is kept', async () => {
  const page = await newPage(browser, srv.base, { locale: 'ar' });
  await login(page, WORKER.user, WORKER.pass);
  await page.locator('#lang-select').selectOption('ar');
  await page.waitForFunction(() => document.documentElement.dir === 'rtl');
  await page.getByRole('link', { name: 'تسجيل أسرة' }).first().click();
  await page.locator('#f-members-0-person-name').waitFor();
  await page.locator('#f-origin_country').selectOption('SDN');
  await page.locator('#f-destination_country').selectOption('SDN');
  await member(page, 0, 'principal', 'يوسف آدم', 'male');
  await page.locator('#f-members-0-person-date_of_birth-age').fill('5');
  /* Languages named in Arabic; a code typed is understood too. */
  await page.locator('#f-members-0-person-languages').fill('ar');
  await page.locator('#f-members-0-person-languages').press('Enter');
  assert.equal(await page.locator('#f-members-0-person-languages-chosen li span').innerText(), 'العربية (ar)');
  assert.match(await page.locator('#f-members-0-person-date_of_birth-age-hint').innerText(), /العمر حوالي [5٥] سنوات \(تقديري\)/);
  const submit = page.locator('form button[type=submit]');
  await submit.click();
  const confirm = page.locator('fieldset.confirm');
  await confirm.waitFor();
  assert.match(await confirm.innerText(), /عمر مقدّم الطلب الرئيسي [5٥] سنوات حسب تاريخ الميلاد، ولا يوجد في الملف أحد الوالدين ولا وصيّ/);
  await shot(page, 'register-plausibility-ar');
  await confirm.getByLabel('أؤكّد أن هذا صحيح').check();
  await submit.click();
  await page.locator('.case-page').waitFor();
  assert.match(await page.locator('ul.members').innerText(), /العمر حوالي [5٥] سنوات \(تقديري\)/);
  const id = new URL(page.url()).pathname.split('/').pop();
  const ev = await admin('GET', `/cases/${id}/events`);
  const created = ev.data.items.find((e) => e.kind === 'created');
  assert.deepEqual(created.data.confirmed.map((c) => c.code), ['principal-young-without-guardian']);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
