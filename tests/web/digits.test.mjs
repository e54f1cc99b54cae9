/*
 * tests/web/digits.test.mjs — the digits of the Arabic interface follow
 * the office's convention (setting arabic_digits, published in GET /me):
 * a case page in Arabic shows its dates with Arabic-Indic digits (٠١٢٣,
 * as in Egypt) on a server set to arabic-indic, and with Western digits
 * (0123, as in the Maghreb) on a server left at the default.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, login, shot, apiAs } from './harness.mjs';

const INDIC = /[\u0660-\u0669]/;
const servers = [];
let browser;

after(async () => {
  if (browser) await browser.close();
  for (const s of servers) await s.stop();
});

async function caseTimeline(env, name) {
  const srv = await startServer(env ? { env } : {});
  servers.push(srv);
  browser = browser || await launch();
  const user = 'karim.counsellor';
  const api = await apiAs(srv.base, user, srv.users[user]);
  const me = await api('GET', '/me');
  const list = await api('GET', '/cases?limit=1');
  assert.equal(list.status, 200);
  const page = await newPage(browser, srv.base);
  await login(page, user, srv.users[user]);
  await page.locator('#lang-select').selectOption('ar');
  await page.waitForFunction(() => document.documentElement.dir === 'rtl');
  await page.goto('/cases/' + list.data.items[0].id);
  await page.locator('ol.timeline li').first().waitFor();
  const text = await page.locator('ol.timeline').innerText();
  await shot(page, name);
  assert.deepEqual(page.errors, []);
  await page.context().close();
  return { text, me: me.data };
}

test('Arabic-Indic digits in Arabic when the office uses them', async () => {
  const { text, me } = await caseTimeline({ AWDA_ARABIC_DIGITS: 'arabic-indic' }, 'digits-arabic-indic');
  assert.equal(me.arabic_digits, 'arabic-indic');
  assert.match(text, INDIC, 'the timeline dates use ٠١٢٣');
  assert.doesNotMatch(text, /\b20\d\d\b/, 'no year in Western digits');
});

test('Western digits in Arabic by default', async () => {
  const { text, me } = await caseTimeline(null, 'digits-western');
  assert.equal(me.arabic_digits, 'western');
  assert.doesNotMatch(text, INDIC, 'no Arabic-Indic digit');
  assert.match(text, /20\d\d/, 'the timeline dates use 0123');
});
