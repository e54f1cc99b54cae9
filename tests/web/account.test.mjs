/*
 * tests/web/account.test.mjs — "My account" and the second factor, in a
 * browser, against a server whose configuration requires a second factor
 * for the finance role (AWDA_SECOND_FACTOR_ROLES=finance).
 *
 * The whole path a new finance officer takes: an administrator creates
 * the account on the Users screen; the officer signs in and is kept on
 * "My account" (every other page leads back there) until a second factor
 * is set up; types the password again, gets the key in groups of four and
 * the otpauth address, types a wrong code (told so on the field), then
 * the app's code (computed here as an authenticator app does, RFC 6238);
 * the interface opens; the officer signs out and signs in again with
 * password and code. Screenshots in English, Arabic and at phone width.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launch, newPage, login, shot, totp, REPO } from './harness.mjs';

let srv, browser;
const NEW = { user: 'sara.finance', name: 'Sara Traoré', pass: 'a long and good password 7' };
const I18N = Object.fromEntries(['en', 'fr', 'ar'].map((l) =>
  [l, JSON.parse(fs.readFileSync(path.join(REPO, 'web', 'i18n', l + '.json'), 'utf8'))]));

before(async () => {
  srv = await startServer({ env: { AWDA_SECOND_FACTOR_ROLES: 'finance' } });
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

test('an administrator creates a finance officer on the Users screen', async () => {
  const page = await newPage(browser, srv.base);
  await login(page, 'admin', srv.users.admin);
  await page.goto('/admin/users');
  await page.getByRole('button', { name: 'New user' }).click();
  await page.locator('#f-username').fill(NEW.user);
  await page.locator('#f-full_name').fill(NEW.name);
  await page.locator('#f-password').fill(NEW.pass);
  await page.getByRole('group', { name: /Roles/ }).getByLabel('Finance', { exact: true }).check();
  await page.getByRole('group', { name: /Offices/ }).getByLabel(/ML-BKO/).check();
  await page.getByRole('button', { name: 'Save' }).click();
  await page.locator('table.list td', { hasText: NEW.user }).waitFor();
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the new officer must set up a second factor before anything else, then signs in with a code', async () => {
  const page = await newPage(browser, srv.base);
  await login(page, NEW.user, NEW.pass);
  /* kept on My account, with the reason */
  await page.waitForURL(/\/account$/);
  await page.locator('h1', { hasText: 'My account' }).waitFor();
  assert.match(await page.locator('main .alert').first().innerText(), /requires a second factor/);
  assert.equal(await page.getByRole('link', { name: 'Cases', exact: true }).count(), 0, 'no case screens yet');
  await page.goto('/cases');
  await page.waitForURL(/\/account$/);
  await page.locator('#tfa-password').waitFor();

  /* the language is saved with the account */
  await page.locator('#account-lang').selectOption('fr');
  await page.locator('h1', { hasText: I18N.fr['account.title'] }).waitFor();
  await page.locator('#account-lang').selectOption('en');
  await page.locator('h1', { hasText: 'My account' }).waitFor();

  /* a wrong password */
  await page.locator('#tfa-password').fill('not my password');
  await page.getByRole('button', { name: 'Set up a second factor' }).click();
  await page.locator('.alert', { hasText: 'The password is not right.' }).waitFor();

  /* the key, once, in groups of four, and the otpauth address */
  await page.locator('#tfa-password').fill(NEW.pass);
  await page.getByRole('button', { name: 'Set up a second factor' }).click();
  await page.locator('#tfa-secret').waitFor();
  const shown = (await page.locator('#tfa-secret').innerText()).trim();
  assert.match(shown, /^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/, shown);
  const secret = shown.replace(/ /g, '');
  assert.equal(secret.length, 32);
  await page.getByText('The set-up address (otpauth), to copy into the app').click();
  const uri = await page.locator('#tfa-uri').innerText();
  assert.ok(uri.startsWith('otpauth://totp/'), uri);
  assert.ok(uri.includes('secret=' + secret), uri);
  await shot(page, 'account-second-factor');

  /* a wrong code is told on its field */
  const code = totp(secret);
  const wrong = code === '000000' ? '111111' : '000000';
  await page.locator('#tfa-code').fill(wrong);
  await page.getByRole('button', { name: 'Confirm' }).click();
  await page.locator('#tfa-code-err').waitFor();
  assert.equal(await page.locator('#tfa-code').getAttribute('aria-invalid'), 'true');
  assert.match(await page.locator('#tfa-code-err').innerText(), /does not match/);

  /* the app's code switches it on and the interface opens */
  await page.locator('#tfa-code').fill(totp(secret));
  await page.getByRole('button', { name: 'Confirm' }).click();
  await page.locator('[role=status]', { hasText: 'The second factor is on.' }).waitFor();
  assert.equal(await page.locator('main .alert').count(), 0);
  await page.getByRole('link', { name: 'Continue' }).click();
  await page.locator('.dash').waitFor();
  assert.equal(await page.getByRole('link', { name: 'Cases', exact: true }).count(), 1);

  /* signs out, then in again: the password alone is not enough */
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.locator('#login-user').fill(NEW.user);
  await page.locator('#login-pass').fill(NEW.pass);
  await page.locator('form button[type=submit]').click();
  await page.locator('#login-otp').waitFor();
  /* the next step's code: the current one was used up by the confirmation
   * (the server accepts one step of drift either side) */
  await page.locator('#login-otp').fill(totp(secret, 1));
  await page.locator('form button[type=submit]').click();
  await page.locator('.dash').waitFor();
  await page.getByRole('link', { name: /My account/ }).click();
  await page.locator('#tfa-h').waitFor();
  assert.match(await page.locator('[aria-labelledby=tfa-h]').innerText(), /\bOn\b/);
  assert.equal(await page.locator('#tfa-password').count(), 0, 'no second set-up offered');
  await shot(page, 'account');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('My account in Arabic, right to left, and on a 360-pixel phone', async () => {
  for (const [lang, viewport, name] of [['ar', { width: 1366, height: 768 }, 'account-ar'], ['en', { width: 360, height: 740 }, 'account-phone']]) {
    const page = await newPage(browser, srv.base, { viewport });
    await login(page, 'karim.counsellor', srv.users['karim.counsellor']);
    await page.goto('/account');
    await page.locator('#account-lang').selectOption(lang);
    await page.locator('h1', { hasText: I18N[lang]['account.title'] }).waitFor();
    assert.equal(await page.locator('html').getAttribute('dir'), lang === 'ar' ? 'rtl' : 'ltr');
    const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(over <= 0, `${name} is ${over}px too wide`);
    /* every control has a label */
    const unlabelled = await page.evaluate(() => [...document.querySelectorAll('main input, main select')]
      .filter((el) => !el.labels?.length && !el.getAttribute('aria-label')).map((el) => el.id));
    assert.deepEqual(unlabelled, []);
    await shot(page, name);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});
