/*
 * tests/web/protection.test.mjs — the protection concerns of a person in
 * the browser (node --test), against the demo data.
 *
 * A counsellor opens a case whose principal was trafficked: the household
 * shows each member with the vulnerabilities every case worker needs and
 * nothing of the concerns — no line, no value; the registration form a
 * registration officer fills has no such field. The protection officer
 * opens the same case: the concerns have a line of their own, marked
 * "protection", with the values in words; she changes them through the
 * form drawn from the schema, and the server keeps what she saved. Every
 * label of the field table she is given is translated in ar, fr and en.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launch, newPage, login, apiAs, shot, REPO } from './harness.mjs';

let srv, browser, protection;
const I18N = Object.fromEntries(['en', 'fr', 'ar'].map((l) =>
  [l, JSON.parse(fs.readFileSync(path.join(REPO, 'web', 'i18n', l + '.json'), 'utf8'))]));
const CONCERNS = ['victim_of_trafficking', 'survivor_of_violence', 'mental_health'];
let target; /* {id, person_id, concerns} a Cairo case whose principal has concerns */

before(async () => {
  srv = await startServer();
  browser = await launch();
  protection = await apiAs(srv.base, 'hana.protection', srv.users['hana.protection']);
  const list = await protection('GET', '/cases?office=EG-CAI&limit=200');
  assert.equal(list.status, 200, JSON.stringify(list.data));
  for (const item of list.data.items) {
    const c = (await protection('GET', '/cases/' + item.id)).data;
    const p = c.members[0].person;
    /* with vulnerabilities every case worker sees, too */
    if ((p.protection_vulnerabilities || []).length && c.members.some((m) => (m.person.vulnerabilities || []).length)) {
      target = { id: c.id, person_id: c.members[0].person_id, concerns: p.protection_vulnerabilities,
        name: p.name, vulnerabilities: c.members.flatMap((m) => m.person.vulnerabilities || []) };
      break;
    }
  }
  assert.ok(target, 'the demo data has a Cairo case whose principal has a protection concern, and a vulnerability');
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

test('the protection officer\'s field table is translated in ar, fr and en', async () => {
  const schema = (await protection('GET', '/schema')).data;
  const missing = new Set();
  let seen = false;
  const walk = (fields) => fields.forEach((f) => {
    if (f.name === 'protection_vulnerabilities') seen = true;
    for (const l of ['en', 'fr', 'ar']) {
      if (!f.server && !(f.label in I18N[l])) missing.add(l + ':' + f.label);
      (f.values || []).forEach((v) => { if (!('val.' + v in I18N[l])) missing.add(l + ':val.' + v); });
    }
    if (f.fields) walk(f.fields);
  });
  walk(schema.case);
  walk(schema.person);
  assert.ok(seen, 'the protection officer is given the field');
  assert.ok('person.protection_vulnerabilities.note' in I18N.ar);
  assert.deepEqual([...missing], []);
});

test('a counsellor sees the vulnerabilities, and nothing of the protection concerns', async () => {
  const page = await newPage(browser, srv.base);
  await login(page, 'karim.counsellor', srv.users['karim.counsellor']);
  await page.goto('/cases/' + target.id);
  await page.locator('.readiness').waitFor();
  const members = await page.locator('[aria-labelledby=sec-members]').innerText();
  assert.ok(members.includes(target.name), members);
  /* the vulnerabilities every case worker needs, in words */
  for (const v of target.vulnerabilities) assert.ok(members.includes(I18N.en['val.' + v]), v + ' in ' + members);
  const all = await page.locator('main').innerText();
  for (const words of ['Protection concerns', 'Victim of trafficking', 'Survivor of violence',
    'Mental health', '[sealed]']) assert.ok(!all.includes(words), words + ' in ' + all);
  await shot(page, 'case-members-counsellor');
  assert.deepEqual(page.errors, []);
  await page.context().close();

  const reg = await newPage(browser, srv.base);
  await login(reg, 'amina.registration', srv.users['amina.registration']);
  await reg.goto('/cases/new');
  await reg.locator('form').first().waitFor();
  const form = await reg.locator('main').innerText();
  assert.ok(form.includes('Vulnerabilities') && form.includes('Pregnant'), form);
  assert.ok(!form.includes('Protection concerns') && !form.includes('Victim of trafficking'), form);
  assert.deepEqual(reg.errors, []);
  await reg.context().close();
});

test('the protection officer sees the concerns in their own column and changes them', async () => {
  const page = await newPage(browser, srv.base);
  await login(page, 'hana.protection', srv.users['hana.protection']);
  await page.goto('/cases/' + target.id);
  await page.locator('.readiness').waitFor();
  const section = page.locator('[aria-labelledby=sec-members]');
  const words = { victim_of_trafficking: 'Victim of trafficking', survivor_of_violence: 'Survivor of violence',
    mental_health: 'Mental health' };
  const text = await section.innerText();
  assert.ok(text.includes('Protection concerns'), text);
  for (const c of target.concerns) assert.ok(text.includes(words[c]), words[c] + ' in ' + text);
  await shot(page, 'case-members-protection');

  // Add or take away "Mental health", then save.
  const had = target.concerns.includes('mental_health');
  await section.getByRole('button', { name: /Protection concerns/ }).first().click();
  const box = section.getByRole('checkbox', { name: 'Mental health' });
  await box.waitFor();
  assert.equal(await box.isChecked(), had);
  await box.click();
  await section.getByRole('button', { name: 'Save' }).click();
  await section.getByRole('button', { name: 'Save' }).waitFor({ state: 'detached' });
  const want = had ? target.concerns.filter((c) => c !== 'mental_health') : target.concerns.concat(['mental_health']);
  const person = (await protection('GET', '/persons/' + target.person_id)).data;
  assert.deepEqual([...person.protection_vulnerabilities].sort(), [...want].sort());
  /* the page shows it once the case is read again */
  await page.waitForFunction((want) => document.querySelector('[aria-labelledby=sec-members]')
    .innerText.includes('Mental health') === want, !had);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
