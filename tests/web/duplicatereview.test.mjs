/*
 * tests/web/duplicatereview.test.mjs — the review queue of possible
 * duplicates (/duplicates, duplicatereview.js) in a browser against a real
 * awda server with the demo data (data/demo/duplicates.json: five humans
 * registered twice, flagged by the duplicates module).
 *
 * What a user notices: the manager finds "Possible duplicates" in the menu
 * and the pairs side by side, best first, with what matched; "Not the
 * same" takes a pair out of the queue for good (it is in the "Not the
 * same" tab with the note); "Merge, keep this one" asks once more, then
 * the kept person's page shows both cases; the merge is in the "Merged"
 * tab and "Undo the merge" puts the pair back. A registration officer of
 * Cairo sees the pair of which one person is in Cairo, the other only by
 * office and case number; a donor has no such menu entry. Screenshots in
 * English, in Arabic (right to left) and at 360 pixels.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launch, newPage, login, apiAs, shot, REPO } from './harness.mjs';

let srv, browser;
const I18N = Object.fromEntries(['en', 'fr', 'ar'].map((l) =>
  [l, JSON.parse(fs.readFileSync(path.join(REPO, 'web', 'i18n', l + '.json'), 'utf8'))]));
const en = I18N.en;

before(async () => {
  srv = await startServer();
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

const as = (user) => apiAs(srv.base, user, srv.users[user]);

test('the manager reviews the queue: not the same, merge, undo', async () => {
  const page = await newPage(browser, srv.base);
  await login(page, 'youssef.manager', srv.users['youssef.manager']);
  await page.locator('header.top nav a', { hasText: en['nav.duplicates'] }).click();
  await page.locator('h1', { hasText: en['review.title'] }).waitFor();
  const cards = page.locator('li.review-pair');
  await cards.first().waitFor();
  assert.ok(await cards.count() >= 5, 'the five demo pairs');
  /* side by side, with what matched */
  const first = cards.first();
  assert.equal(await first.locator('.review-person').count(), 2);
  assert.match(await first.locator('.review-why').innerText(), /Date of birth:/);
  await shot(page, 'duplicatereview-en');

  /* not the same: out of the queue, into its tab with the note */
  const typo = cards.filter({ hasText: 'Traroé' });
  await typo.locator('input[type=text]').fill('two sisters, checked by phone');
  await typo.getByRole('button', { name: en['review.not_same'] }).click();
  await page.locator('.notice', { hasText: en['review.marked_not_same'] }).waitFor();
  assert.equal(await cards.filter({ hasText: 'Traroé' }).count(), 0);
  await page.locator('.tabs a', { hasText: en['review.tab.not_same'] }).click();
  await page.locator('li.review-pair', { hasText: 'two sisters, checked by phone' }).waitFor();

  /* merge, keep this one: asked once more, then done */
  await page.locator('.tabs a', { hasText: en['review.tab.open'] }).click();
  const ous = page.locator('li.review-pair', { hasText: 'Ousmane' });
  await ous.waitFor();
  await ous.locator('.review-person').first().getByRole('button', { name: en['review.keep_this'] }).click();
  await ous.locator('.confirm').waitFor();
  await shot(page, 'duplicatereview-confirm');
  await ous.locator('.confirm').getByRole('button', { name: en['review.merge'], exact: true }).click();
  await page.locator('.notice', { hasText: /Merged: \d+ entries/ }).waitFor();
  assert.equal(await page.locator('li.review-pair', { hasText: 'Ousmane' }).count(), 0);

  /* the kept person holds both cases (the API says so) */
  const y = await as('youssef.manager');
  const merged = (await y('GET', '/duplicates?status=merged')).data.items;
  assert.equal(merged.length, 1);
  const m = (await y('GET', '/merges/' + merged[0].merge)).data;
  const kept = (await y('GET', '/persons/' + m.kept)).data;
  assert.equal(kept.cases.length, 2);
  const old = (await y('GET', '/persons/' + m.merged)).data;
  assert.equal(old.id, m.kept);
  assert.equal(old.merged_from.id, m.merged);

  /* undo from the history */
  await page.locator('.tabs a', { hasText: en['review.tab.merged'] }).click();
  const hist = page.locator('li.review-pair', { hasText: 'Ousmane' });
  await hist.waitFor();
  /* both persons shown: the merged one marked, its cases with the kept one */
  assert.equal(await hist.locator('.hidden-person').count(), 0);
  await hist.locator('.tag', { hasText: en['review.merged_into'] }).waitFor();
  await shot(page, 'duplicatereview-merged');
  await hist.getByRole('button', { name: en['review.undo'] }).click();
  await page.locator('.notice', { hasText: en['review.undone'] }).waitFor();
  await page.locator('.tabs a', { hasText: en['review.tab.open'] }).click();
  await page.locator('li.review-pair', { hasText: 'Ousmane' }).waitFor();
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('need to know: a registration officer sees the other office only by number; a donor has no queue', async () => {
  const page = await newPage(browser, srv.base);
  await login(page, 'amina.registration', srv.users['amina.registration']);
  await page.goto('/duplicates');
  const card = page.locator('li.review-pair', { hasText: 'Abdelrahman' });
  await card.waitFor();
  await card.locator('.hidden-person').waitFor();
  const hidden = await card.locator('.hidden-person').innerText();
  assert.match(hidden, /DZ-ALG/);
  assert.doesNotMatch(hidden, /Mouhamed|1987/);
  /* a registration officer may say "not the same" but not merge */
  assert.equal(await card.getByRole('button', { name: en['review.keep_this'] }).count(), 0);
  await card.getByRole('button', { name: en['review.not_same'] }).waitFor();
  assert.deepEqual(page.errors, []);
  await page.context().close();

  const donor = await newPage(browser, srv.base);
  await login(donor, 'claire.donor', srv.users['claire.donor']);
  assert.equal(await donor.locator('header.top nav a', { hasText: en['nav.duplicates'] }).count(), 0);
  await donor.context().close();
});

test('in Arabic, right to left, and on a phone', async () => {
  for (const [lang, viewport, name] of [['ar', { width: 1366, height: 768 }, 'duplicatereview-ar'],
    ['en', { width: 360, height: 740 }, 'duplicatereview-phone']]) {
    const page = await newPage(browser, srv.base, { viewport });
    await login(page, 'youssef.manager', srv.users['youssef.manager']);
    await page.goto('/account');
    /* the language is saved on the server before the next page loads it */
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/me') &&
      r.request().method() === 'PATCH');
    await page.locator('#account-lang').selectOption(lang);
    await page.locator('h1', { hasText: I18N[lang]['account.title'] }).waitFor();
    assert.equal((await saved).status(), 200);
    await page.goto('/duplicates');
    await page.locator('h1', { hasText: I18N[lang]['review.title'] }).waitFor();
    await page.locator('li.review-pair').first().waitFor();
    assert.equal(await page.locator('html').getAttribute('dir'), lang === 'ar' ? 'rtl' : 'ltr');
    await shot(page, name);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});
