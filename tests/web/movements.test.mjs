/*
 * tests/web/movements.test.mjs — the movement pages in a browser against a
 * real awda server with the demo data:
 *
 *   - an operations officer opens Movements from the menu, creates a
 *     charter with two legs (TMR → ALG → BKO) in local times and IANA time
 *     zones; an unknown zone is refused on its own field first;
 *   - on the movement's page she adds a ready household (the board shows
 *     it, its boarding check not met yet and the reconfirmation and
 *     pre-embarkation checks due before the day), and a household that is
 *     not ready, which is refused with each person's reasons in words; the
 *     stages and the statuses offered are the server's (GET /schema);
 *   - the manifest lists the passengers with their counts; printed (print
 *     media) it is an A4 page without the header and the buttons;
 *   - a counsellor (movement.read) sees the list and no "New movement";
 *     a donor (no movement.read) has no Movements menu entry;
 *   - in Arabic the pages are right to left.
 *
 * Screenshots (English and Arabic) of the list, the board and the
 * manifest go to build/screenshots/.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launch, newPage, login, apiAs, shot, REPO } from './harness.mjs';

let srv, browser, ops;
const I18N = Object.fromEntries(['en', 'fr', 'ar'].map((l) =>
  [l, JSON.parse(fs.readFileSync(path.join(REPO, 'web', 'i18n', l + '.json'), 'utf8'))]));
const OPS = 'omar.operations';
const REF = 'CH-TMR-BKO-T1';
const state = {};

/* A local date-time input's value `days` from now at hh:mm. */
function localAt(days, hhmm) {
  const d = new Date(Date.now() + days * 86400000);
  return d.toISOString().slice(0, 10) + 'T' + hhmm;
}

before(async () => {
  srv = await startServer();
  browser = await launch();
  ops = await apiAs(srv.base, OPS, srv.users[OPS]);
  /* The demo books every ready household of Tamanrasset on its own charter
   * (CH-TMR-BKO); cancelled, they are ready again for these tests to book. */
  const list = await ops('GET', '/movements?office=DZ-TAM');
  const demo = list.data.items.find((m) => m.reference === 'CH-TMR-BKO');
  assert.ok(demo, 'the demo charter CH-TMR-BKO: ' + JSON.stringify(list.data));
  const off = await ops('POST', `/movements/${demo.id}/cancel`, { reason: 'the browser tests plan their own charters' });
  assert.equal(off.status, 200, JSON.stringify(off.data));
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

async function fillLeg(page, i, leg) {
  const f = (name) => page.locator(`#f-mv-legs-${i}-${name}`);
  for (const [k, v] of Object.entries(leg)) await f(k).fill(v);
}

test('an operations officer creates a charter with two legs from the Movements menu', async () => {
  const page = await newPage(browser, srv.base);
  await login(page, OPS, srv.users[OPS]);
  await page.getByRole('navigation').getByRole('link', { name: 'Movements' }).click();
  await page.locator('h1', { hasText: 'Movements' }).waitFor();
  await page.getByRole('button', { name: 'New movement' }).click();
  const form = page.locator('form.mv-new');
  await form.locator('#f-mv-type').selectOption('charter');
  await form.locator('#f-mv-reference').fill(REF);
  await form.locator('#f-mv-carrier').fill('Tassili Airlines');
  await form.locator('#f-mv-capacity').fill('150');
  await form.locator('#f-mv-office').selectOption('DZ-TAM');
  await form.locator('#f-mv-receiving_office').selectOption('ML-BKO');
  await fillLeg(page, 0, { from: 'TMR', to: 'ALG', number: 'AH 6201', departs_at: localAt(10, '06:30'),
    departs_tz: 'Africa/Algiers', arrives_at: localAt(10, '08:45'), arrives_tz: 'Africa/Algiers' });
  await form.getByRole('button', { name: 'Add a leg' }).click();
  /* the second leg starts where the first arrives */
  assert.equal(await page.locator('#f-mv-legs-1-from').inputValue(), 'ALG');
  assert.equal(await page.locator('#f-mv-legs-1-departs_tz').inputValue(), 'Africa/Algiers');
  await fillLeg(page, 1, { to: 'BKO', number: 'AH 6202', departs_at: localAt(10, '10:30'),
    arrives_at: localAt(10, '12:45'), arrives_tz: 'Africa/Nowhere' });
  await form.getByRole('button', { name: 'Create the movement' }).click();
  /* an unknown zone: refused on its own field, in words */
  const bad = form.locator('.field.invalid', { has: page.locator('#f-mv-legs-1-arrives_tz') });
  await bad.waitFor();
  assert.ok((await bad.locator('.err').innerText()).length > 5);
  await page.locator('#f-mv-legs-1-arrives_tz').fill('Africa/Bamako');
  await form.getByRole('button', { name: 'Create the movement' }).click();
  await page.waitForURL(/\/movements\/[^/]+$/);
  await page.locator('h1', { hasText: REF }).waitFor();
  state.url = new URL(page.url()).pathname;
  const legs = page.locator('table.mv-legs-table tbody tr');
  assert.equal(await legs.count(), 2);
  assert.match(await legs.nth(0).innerText(), /TMR → ALG[\s\S]*AH 6201[\s\S]*Africa\/Algiers/);
  assert.match(await legs.nth(1).innerText(), /ALG → BKO[\s\S]*Africa\/Bamako/);
  assert.match(await page.locator('.lead').innerText(), /TMR → ALG → BKO/);
  /* changed while planned: the carrier, the legs kept (PATCH with the version shown) */
  await page.locator('section[aria-labelledby=sec-mv-legs]').getByRole('button', { name: 'Edit' }).click();
  const edit = page.locator('form.mv-edit');
  assert.equal(await edit.locator('#f-mv-legs-1-departs_at').inputValue(), localAt(10, '10:30'));
  await edit.locator('#f-mv-carrier').fill('Air Algérie');
  await edit.getByRole('button', { name: 'Save' }).click();
  await page.locator('.lead', { hasText: 'Air Algérie' }).waitFor();
  assert.equal(await page.locator('table.mv-legs-table tbody tr').count(), 2);
  /* the list shows it */
  await page.getByRole('link', { name: 'Movements' }).first().click();
  await page.locator('table.mv-list').getByRole('link', { name: REF }).waitFor();
  /* its status filter offers every status of a movement (GET /schema) */
  assert.deepEqual(await page.locator('#mv-status option').evaluateAll((os) => os.map((o) => o.value)),
    ['', 'planned', 'confirmed', 'departed', 'arrived', 'cancelled']);
  await shot(page, 'movements-list-en');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the planning board: a ready household is booked, one that is not ready is refused with its reasons', async () => {
  assert.ok(state.url, 'the movement was created');
  const page = await newPage(browser, srv.base);
  await login(page, OPS, srv.users[OPS]);
  await page.goto(state.url);
  const add = page.locator('section.mv-add');
  await add.waitFor();
  /* ready households of the sending office: tried in turn until one is booked */
  const boxes = add.locator('ul.mv-candidates input[type=checkbox]');
  await boxes.first().waitFor();
  let booked = false;
  for (let i = 0; i < 6 && !booked && (await boxes.count()) > 0; i++) {
    await boxes.nth(i).check();
    await add.getByRole('button', { name: /^Add 1 household$/ }).click();
    const result = add.locator('.mv-add-result');
    await result.waitFor();
    booked = await result.locator('p.ok').count() > 0;
    if (!booked) {
      /* refused whole, each person with the reasons */
      assert.ok(await result.locator('.mv-refused li .mv-blockers li').count() > 0);
    }
  }
  assert.ok(booked, 'one of the ready households of DZ-TAM is booked');
  const board = page.locator('table.mv-passengers');
  await board.locator('tbody.household-group').first().waitFor();
  const rows = board.locator('tr.passenger');
  assert.ok(await rows.count() >= 1);
  /* the day is ten days ahead: the boarding check waits for the last-days records */
  const first = rows.first();
  assert.match(await first.locator('td').nth(1).innerText(), /Booked/);
  assert.ok(await first.locator('td').nth(3).locator('.mv-blockers li').count() > 0, 'boarding blockers shown');
  const due = page.locator('section.mv-due li');
  assert.ok(await due.count() >= 1, 'the reconfirmation / pre-embarkation checks are listed as due');
  assert.match(await page.locator('section.mv-due').innerText(), /Reconfirmation|Pre-embarkation/);

  /* a household that is not ready yet: refused, each person with the reasons;
   * the stages offered are those awaiting a movement (GET /schema), the
   * one booked from first */
  assert.deepEqual(await add.locator('#mv-add-stage option').evaluateAll((os) => os.map((o) => o.value)),
    ['ready', 'pre_departure', 'eligible']);
  assert.equal(await add.locator('#mv-add-stage').inputValue(), 'ready');
  await add.locator('#mv-add-stage').selectOption('pre_departure');
  await boxes.first().waitFor();
  await boxes.first().check();
  await add.getByRole('button', { name: /^Add 1 household$/ }).click();
  const refused = add.locator('.mv-refused');
  await refused.waitFor();
  const person = refused.locator('li[data-person]').first();
  const reasons = await person.locator('.mv-blockers li').allInnerTexts();
  assert.ok(reasons.length >= 1 && reasons.every((r) => r.trim().length > 5), JSON.stringify(reasons));
  assert.match(await refused.innerText(), /could not be booked/);
  await shot(page, 'movements-board-en');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the manifest lists the passengers with counts, and prints on A4 without the navigation', async () => {
  assert.ok(state.url, 'the movement was created');
  const page = await newPage(browser, srv.base);
  await login(page, OPS, srv.users[OPS]);
  await page.goto(state.url);
  await page.locator('table.mv-passengers tr.passenger').first().waitFor();
  const booked = await page.locator('table.mv-passengers tr.passenger').count();
  assert.ok(booked >= 1);
  await page.getByRole('link', { name: 'Manifest' }).click();
  await page.locator('table.mf-table').waitFor();
  assert.equal(await page.locator('table.mf-table tr.mf-row').count(), booked);
  const counts = await page.locator('.mf-count-grid').innerText();
  assert.match(counts, /By sex[\s\S]*By age group[\s\S]*By vulnerability/);
  /* the download links give the files with the session of the page */
  for (const [fmt, type] of [['csv', /text\/csv/], ['xlsx', /spreadsheetml/]]) {
    const href = await page.locator(`a[href$="format=${fmt}"]`).getAttribute('href');
    const res = await page.request.get(href);
    assert.equal(res.status(), 200, fmt);
    assert.match(res.headers()['content-type'], type);
  }
  await shot(page, 'movements-manifest-en');
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('header.top').isVisible(), false, 'no header in print');
  assert.equal(await page.getByRole('button', { name: 'Print' }).isVisible(), false, 'no buttons in print');
  assert.equal(await page.locator('table.mf-table').isVisible(), true);
  const size = await page.evaluate(() => {
    for (const sheet of document.styleSheets) {
      for (const r of sheet.cssRules) if (r instanceof CSSPageRule) return r.style.getPropertyValue('size');
    }
    return null;
  });
  assert.equal(String(size).toLowerCase(), 'a4');
  /* printed to PDF, the page is A4 (595 × 842 points) */
  const pdf = (await page.pdf({ preferCSSPageSize: true })).toString('latin1');
  const box = /\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/.exec(pdf);
  assert.ok(box, 'the PDF has a page');
  assert.ok(Math.abs(+box[1] - 595.3) < 1 && Math.abs(+box[2] - 841.9) < 1, box[0]);
  await page.setViewportSize({ width: 794, height: 1123 }); /* A4 at 96 dpi */
  await shot(page, 'movements-manifest-print-en');
  await page.emulateMedia({ media: 'screen' });
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('in Arabic the movement pages are right to left', async () => {
  assert.ok(state.url, 'the movement was created');
  const page = await newPage(browser, srv.base);
  await login(page, OPS, srv.users[OPS]);
  await page.locator('#lang-select').selectOption('ar');
  await page.locator('html[lang=ar]').waitFor();
  await page.getByRole('link', { name: I18N.ar['nav.movements'] }).click();
  await page.locator('h1', { hasText: I18N.ar['mv.title'] }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
  assert.equal(await page.locator('table.mv-list').evaluate((e) => getComputedStyle(e).direction), 'rtl');
  await shot(page, 'movements-list-ar');
  await page.goto(state.url);
  await page.locator('#sec-mv-board', { hasText: I18N.ar['mv.board.title'] }).waitFor();
  await page.locator('table.mv-passengers tr.passenger').first().waitFor();
  assert.equal(await page.locator('table.mv-passengers').evaluate((e) => getComputedStyle(e).direction), 'rtl');
  await shot(page, 'movements-board-ar');
  await page.goto(state.url + '/manifest');
  await page.locator('table.mf-table').waitFor();
  assert.equal(await page.locator('h1').evaluate((e) => getComputedStyle(e).direction), 'rtl');
  assert.ok((await page.locator('h1').innerText()).startsWith(I18N.ar['mf.title']));
  await shot(page, 'movements-manifest-ar');
  await page.locator('#lang-select').selectOption('en');
  await page.locator('html[lang=en]').waitFor();
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('who sees what: a counsellor reads the movements, a donor has no Movements entry', async () => {
  const page = await newPage(browser, srv.base);
  await login(page, 'sofiane.counsellor', srv.users['sofiane.counsellor']);
  const nav = page.getByRole('navigation');
  await nav.getByRole('link', { name: 'Movements' }).click();
  await page.locator('table.mv-list, main p.card').first().waitFor();
  assert.equal(await page.getByRole('button', { name: 'New movement' }).count(), 0);
  await page.context().close();

  const donor = await newPage(browser, srv.base);
  await login(donor, 'claire.donor', srv.users['claire.donor']);
  await donor.getByRole('navigation').getByRole('link').first().waitFor();
  const me = await (await apiAs(srv.base, 'claire.donor', srv.users['claire.donor']))('GET', '/me');
  assert.ok(!me.data.permissions.includes('movement.read'), 'a donor does not read movements');
  assert.equal(await donor.getByRole('navigation').getByRole('link', { name: 'Movements' }).count(), 0);
  await donor.context().close();
});

/* A record on a case, as the staff of the sending office make them. */
async function record(user, caseId, body) {
  const as = await apiAs(srv.base, user, srv.users[user]);
  const r = await as('POST', `/cases/${caseId}/records`, body);
  assert.equal(r.status, 201, JSON.stringify(r.data));
}

const utc = (ms) => new Date(ms).toISOString().slice(0, 16) + 'Z';

test('the day of travel: an escort for the child, airport assistance, onward transport and allowance, a no-show, confirmation, departure and the arrival screen of the receiving office', async () => {
  /* set-up through the API: a charter leaving in 20 hours (Algiers is UTC+1, Bamako UTC+0) with
   * the ready households left; departing now is then within a day of it */
  const local = (hours, offset) => new Date(Date.now() + (hours + offset) * 3600000).toISOString().slice(0, 16);
  const mv = await ops('POST', '/movements', { type: 'charter', reference: 'CH-TMR-BKO-T2', carrier: 'Tassili Airlines',
    capacity: 20, office: 'DZ-TAM', receiving_office: 'ML-BKO',
    legs: [{ from: 'TMR', to: 'BKO', number: 'AH 6203', departs_at: local(20, 1), departs_tz: 'Africa/Algiers',
      arrives_at: local(24, 0), arrives_tz: 'Africa/Bamako' }] });
  assert.equal(mv.status, 201, JSON.stringify(mv.data));
  const ready = await ops('GET', '/cases?stage=ready&office=DZ-TAM&limit=50');
  const added = await ops('POST', `/movements/${mv.data.id}/passengers`, { cases: ready.data.items.map((c) => c.id) });
  assert.equal(added.status, 200, JSON.stringify(added.data));
  let people = added.data.added;
  /* a household whose member needs a medical escort (one of the demo's) flies
   * later with one: this test is about the child's escort */
  const first = (await ops('GET', `/movements/${mv.data.id}/board`)).data;
  for (const b of first.blockers.filter((x) => x.code === 'escort.medical')) {
    const caseId = people.find((q) => q.person_id === b.person_id).case_id;
    const off = await ops('POST', `/movements/${mv.data.id}/passengers/remove`,
      { case_id: caseId, reason: 'on a later flight with a medical escort', no_show: false, then: 'ready' });
    assert.equal(off.status, 200, JSON.stringify(off.data));
    people = people.filter((q) => q.case_id !== caseId);
  }
  assert.ok(people.length >= 3, JSON.stringify(added.data));
  const board = (await ops('GET', `/movements/${mv.data.id}/board`)).data;
  const child = board.blockers.find((b) => b.code === 'escort.child');
  assert.ok(child, 'a child travels alone: ' + JSON.stringify(board.blockers));
  const kid = people.find((p) => p.person_id === child.person_id);
  /* one who travels and a household that does not come: two other
   * households (which cases are ready, and in what order, follows the
   * demo's dates, so the two are chosen by household) */
  const others = people.filter((p) => p.case_id !== kid.case_id);
  const traveller = others[0];
  const absent = others.find((p) => p.case_id !== traveller.case_id);
  assert.ok(absent, 'two households besides the child\'s: ' + JSON.stringify(people));
  const absentRows = people.filter((p) => p.case_id === absent.case_id).length;

  const page = await newPage(browser, srv.base);
  await login(page, OPS, srv.users[OPS]);
  await page.goto('/movements/' + mv.data.id);
  await page.locator('table.mv-passengers tr.passenger').first().waitFor();
  /* the escort still needed is said, and confirming is refused naming the child */
  assert.match(await page.locator('.mv-escort-needed').innerText(), new RegExp(kid.name.split(' ')[0], 'i'));
  await page.getByRole('button', { name: 'Confirm the movement' }).click();
  const refusal = page.locator('.mv-step-confirm .alert');
  await refusal.waitFor();
  assert.match(await refusal.innerText(), new RegExp(kid.name.split(' ')[0], 'i'));

  /* an external escort for the child */
  await page.getByRole('button', { name: 'Add an escort' }).click();
  const ef = page.locator('form.mv-escort-new');
  await ef.locator('#f-mv-kind').selectOption('operational');
  await ef.getByLabel('External person').check();
  await ef.locator('#f-mv-name').fill('Samir Benali');
  await ef.locator('#f-mv-organisation').fill('IOM Algeria');
  await ef.locator('label.check', { hasText: new RegExp(kid.name.split(' ')[0], 'i') }).locator('input').check();
  await ef.getByRole('button', { name: 'Add the escort' }).click();
  await page.locator('li.mv-escort', { hasText: 'Samir Benali' }).waitFor();
  assert.equal(await page.locator('.mv-escort-needed').count(), 0);

  /* airport assistance on arrival, by a member of staff */
  await page.getByRole('button', { name: 'Request assistance' }).click();
  const af = page.locator('form.mv-aid-new');
  await af.locator('#f-mv-point').selectOption('arrival');
  await af.locator('#f-mv-meeting_point').fill('Arrivals hall, exit B');
  await af.locator('#f-mv-user option').nth(1).waitFor({ state: 'attached' });
  await af.locator('#f-mv-user').selectOption({ index: 1 });
  await af.getByRole('button', { name: 'Save the assistance' }).click();
  await page.locator('li.mv-aid-item', { hasText: 'Arrivals hall, exit B' }).waitFor();

  /* onward transport and allowance for one passenger */
  const row = page.locator(`tr.passenger[data-person="${traveller.person_id}"]`);
  await row.getByRole('button', { name: /Onward transport and allowance/ }).click();
  const care = page.locator('.mv-care-forms');
  const id = (k) => `#f-mv-mv-care-${traveller.person_id}-${k}`;
  await care.locator(id('mode')).selectOption('bus');
  await care.locator(id('destination_admin_area')).fill('Kayes');
  await care.locator(id('cost-amount_minor')).fill('15000');
  await care.locator(id('cost-currency')).fill('XOF');
  if (await care.locator(id('provider')).count()) await care.locator(id('provider')).fill('Sonef');
  await care.getByRole('button', { name: 'Save the onward transport' }).click();
  await care.locator('form.mv-onward p.ok').waitFor();
  await care.locator(id('amount_minor')).fill('50000');
  await care.locator(id('currency')).fill('XOF');
  await care.getByRole('button', { name: 'Save the allowance' }).click();
  await care.locator('form.mv-allowance p.ok').waitFor();
  /* the summary shows the allowance once the board has read it again */
  await row.locator('.mv-care-summary', { hasText: 'Travel allowance' }).waitFor();
  assert.match(await row.locator('.mv-care-summary').innerText(), /Bus[\s\S]*Kayes[\s\S]*Travel allowance/);
  const allowances = (await ops('GET', `/movements/${mv.data.id}/allowances`)).data.items;
  assert.deepEqual(allowances.map((a) => [a.person_id, a.amount_minor, a.currency]), [[traveller.person_id, 50000, 'XOF']]);

  /* a household that did not come: off the movement with a reason, back to ready */
  const group = page.locator(`tbody.household-group[data-case="${absent.case_id}"]`);
  await group.getByRole('button', { name: /Did not come/ }).click();
  await group.locator('form.mv-remove textarea').fill('did not come to the airport');
  /* the stages the case may go back to are the server's, the first chosen */
  const back = (await ops('GET', '/schema')).data.movement_return_stages;
  const radios = group.locator('form.mv-remove input[type="radio"]');
  assert.equal(await radios.count(), back.length);
  assert.deepEqual(back, ['ready', 'on_hold']);
  assert.equal(await radios.first().isChecked(), true);
  await group.getByRole('button', { name: 'Record the no-show' }).click();
  await group.locator('tr.passenger', { hasText: 'Did not come' }).first().waitFor();
  assert.equal(await group.locator('tr.passenger', { hasText: 'Did not come' }).count(), absentRows);
  assert.equal((await ops('GET', '/cases/' + absent.case_id)).data.stage, 'ready');

  /* the last days' records, made by the counsellor and the medical officer */
  const now = Date.now();
  for (const p of people.filter((x) => x.case_id !== absent.case_id)) {
    await record('sofiane.counsellor', p.case_id, { kind: 'reconfirmation', person_id: p.person_id, at: utc(now - 3600000),
      method: 'in_person', notes: 'still wishes to return' });
    await record('nadia.medical', p.case_id, { kind: 'health_assessment', person_id: p.person_id, result: 'fit',
      at: utc(now - 3600000), assessor: 'Dr Test', pre_embarkation: true, needs: [] });
  }
  await page.reload();
  await page.locator('table.mv-passengers tr.passenger').first().waitFor();
  assert.match(await page.locator('section.mv-due').innerText(), /Nothing is due/);
  await shot(page, 'movements-board-ready-en');
  await page.getByRole('button', { name: 'Confirm the movement' }).click();
  await page.locator('h1 .mv-status', { hasText: 'Confirmed' }).waitFor();
  await page.getByRole('button', { name: 'Confirm the departure' }).click();
  await page.locator('form.mv-step-depart').getByRole('button', { name: 'Confirm the departure' }).click();
  await page.locator('h1 .mv-status', { hasText: 'Departed' }).waitFor();
  assert.equal((await ops('GET', '/cases/' + traveller.case_id)).data.stage, 'departed');
  assert.deepEqual(page.errors, []);
  await page.context().close();

  /* the receiving office records the arrival */
  const bko = await newPage(browser, srv.base);
  await login(bko, 'moussa.operations', srv.users['moussa.operations']);
  await bko.goto('/movements/' + mv.data.id);
  await bko.getByRole('button', { name: 'Confirm the arrival' }).click();
  const arrive = bko.locator('form.mv-step-arrive');
  await arrive.locator('#f-mv-met_by').fill('Fatoumata Sangaré');
  /* only the passenger whose onward transport was planned is asked about */
  assert.equal(await arrive.locator('.mv-onward-taken label.check').count(), 1);
  await arrive.locator('label.check', { hasText: new RegExp(traveller.name.split(' ')[0], 'i') }).locator('input').check();
  await shot(bko, 'movements-arrival-en');
  await arrive.getByRole('button', { name: 'Confirm the arrival' }).click();
  await bko.locator('h1 .mv-status', { hasText: 'Arrived' }).waitFor();
  const arrived = (await ops('GET', '/cases/' + traveller.case_id)).data;
  assert.equal(arrived.stage, 'arrived');
  assert.match(await bko.locator(`tr.passenger[data-person="${traveller.person_id}"] .mv-care-summary`).innerText(), /taken/);
  await bko.locator('#lang-select').selectOption('ar');
  await bko.locator('html[dir=rtl]').waitFor();
  await shot(bko, 'movements-arrived-ar');
  await bko.locator('#lang-select').selectOption('en');
  await bko.locator('html[lang=en]').waitFor();
  assert.deepEqual(bko.errors, []);
  await bko.context().close();
});

test('a planned movement is cancelled with a reason, and then offers no step', async () => {
  const when = new Date(Date.now() + 20 * 86400000).toISOString().slice(0, 10);
  const mv = await ops('POST', '/movements', { type: 'land', reference: 'BUS-TAM-1', capacity: 40, office: 'DZ-TAM',
    receiving_office: 'ML-BKO', legs: [{ from: 'Tamanrasset', to: 'Gao', departs_at: when + 'T06:00', departs_tz: 'Africa/Algiers',
      arrives_at: when + 'T22:00', arrives_tz: 'Africa/Bamako' }] });
  assert.equal(mv.status, 201, JSON.stringify(mv.data));
  const page = await newPage(browser, srv.base);
  await login(page, OPS, srv.users[OPS]);
  await page.goto('/movements/' + mv.data.id);
  await page.getByRole('button', { name: 'Cancel the movement' }).click();
  const form = page.locator('form.mv-step-cancel');
  await form.locator('#f-mv-reason').fill('the road is closed');
  await form.getByRole('button', { name: 'Cancel the movement' }).click();
  await page.locator('h1 .mv-status', { hasText: 'Cancelled' }).waitFor();
  assert.match(await page.locator('.case-head').innerText(), /the road is closed/);
  for (const name of ['Confirm the movement', 'Cancel the movement', 'Edit']) {
    assert.equal(await page.getByRole('button', { name, exact: true }).count(), 0, name);
  }
  assert.equal(await page.locator('section.mv-add').count(), 0);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
