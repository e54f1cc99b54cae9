/*
 * tests/web/sharing.test.mjs — the dashboard from the server's counts,
 * the hand-over to the receiving office, referrals to a partner with and
 * without consent, the donors' figures, and the form's error summary in
 * words, in a browser against a real awda server with the demo data.
 *
 * What a user notices: the dashboard's counts are the server's, and the
 * cases assigned to me each say what their next step still needs, in a
 * few requests; an operations officer hands a case over to an office in
 * the country of return and that office's staff then find it; a referral
 * without consent is refused with the server's sentence, and once consent
 * is recorded the partner (awa.partner, Association des Jeunes de Kayes)
 * sees the person on a Referrals page — until the consent is withdrawn; a
 * donor (claire.donor) sees only Figures, values counted fewer than 5 times
 * never named but "Others, combined", in every language; a registration error is named "Member 1 —
 * Sex" and its link puts the cursor in that field. Screenshots of the new
 * pages in English, Arabic and at 360 pixels.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launch, newPage, login, apiAs, shot, unfoldRecords, REPO } from './harness.mjs';

let srv, browser, admin;
const I18N = Object.fromEntries(['en', 'fr', 'ar'].map((l) =>
  [l, JSON.parse(fs.readFileSync(path.join(REPO, 'web', 'i18n', l + '.json'), 'utf8'))]));
const ORG = 'Association des Jeunes de Kayes';
const state = {};
const today = () => new Date().toISOString().slice(0, 10);

before(async () => {
  srv = await startServer();
  browser = await launch();
  admin = await apiAs(srv.base, 'admin', srv.users.admin);
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

const as = (user) => apiAs(srv.base, user, srv.users[user]);
const pass = (user) => srv.users[user];

async function allCases(call, query) {
  let items = [], cursor = null;
  do {
    const r = await call('GET', '/cases?limit=200' + (query || '') + (cursor ? '&cursor=' + cursor : ''));
    assert.equal(r.status, 200);
    items = items.concat(r.data.items);
    cursor = r.data.next_cursor;
  } while (cursor);
  return items;
}

test('the dashboard shows the server\'s counts and the cases waiting for me, in few requests', async () => {
  const amina = await as('amina.registration');
  const counts = (await amina('GET', '/case-counts')).data;
  /* waiting for her: assigned to her, at a step a registration officer
   * takes (the server chooses); fewer than all those assigned to her */
  const mine = await allCases(amina, '&waiting=me');
  const assigned = await allCases(amina, '&assigned=me');
  assert.ok(mine.length > 0, 'the demo has cases waiting for amina');
  assert.ok(assigned.length > mine.length, 'some of her cases wait for someone else');
  for (const c of mine) assert.ok(['eligible', 'pre_departure'].includes(c.stage), c.stage);

  const page = await newPage(browser, srv.base);
  const calls = [];
  page.on('request', (r) => { if (new URL(r.url()).pathname.startsWith('/api/')) calls.push(r.url()); });
  await login(page, 'amina.registration', pass('amina.registration'));
  await page.locator('.dash').waitFor();
  await page.waitForLoadState('networkidle');
  /* the counts, from GET /case-counts, over every case she may see */
  assert.equal(await page.locator('#dash-stages + p').innerText(), `${counts.total} cases`);
  for (const [stage, n] of Object.entries(counts.by_stage)) {
    const row = page.locator('.bars li', { hasText: I18N.en['val.' + stage] });
    assert.equal(await row.locator('.bar-n').innerText(), String(n), stage);
  }
  /* waiting for me: at most 8, each with its next step and what is missing */
  const lines = page.locator('[aria-labelledby=dash-mine] li');
  assert.equal(await lines.count(), Math.min(8, mine.length));
  const first = mine[0];
  const line = lines.first();
  assert.ok((await line.innerText()).includes(first.number));
  const rd = (await amina('GET', `/cases/${first.id}/readiness`)).data;
  const step = rd.next.filter((n) => !n.side).sort((a, b) => b.allowed - a.allowed)[0];
  assert.ok(step.allowed, 'a step she takes');
  assert.ok((await line.innerText()).includes('Next step: ' + I18N.en['step.' + step.event]), await line.innerText());
  assert.equal(await line.locator('.count').innerText(), step.missing ? `${step.missing} missing` : 'All met');
  /* few requests: no paging through the case list any more */
  const dash = calls.filter((u) => !/\/(session|me|schema|offices)$/.test(new URL(u).pathname));
  assert.ok(dash.length <= 5 + 8 + 8 + 8, dash.length + ' requests: ' + dash.join(' '));
  assert.ok(!dash.some((u) => /limit=200/.test(u)), 'no page of 200 cases');
  await shot(page, 'dashboard-mine');

  /* all of them, from the link under the card */
  await page.getByRole('link', { name: 'All the cases assigned to me' }).click();
  await page.waitForURL(/assigned=me/);
  await page.locator('table.cases').waitFor();
  assert.ok(await page.locator('#case-mine').isChecked());
  assert.equal(await page.locator('table.cases tbody tr').count(), 25);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('an operations officer hands a case over to an office in the country of return', async () => {
  const omar = await as('omar.operations');
  const fatou = await as('fatou.reintegration');
  /* a Tamanrasset case returning to Mali that Bamako does not see yet */
  let c = null;
  for (const x of await allCases(omar, '&office=DZ-TAM')) {
    if (x.destination_country !== 'MLI' || ['closed', 'withdrawn'].includes(x.stage)) continue;
    if ((await fatou('GET', '/cases/' + x.id)).status !== 200) { c = x; break; }
  }
  assert.ok(c, 'a Tamanrasset case returning to Mali, not handed over');
  state.handed = c;

  /* a counsellor has no such action */
  const k = await newPage(browser, srv.base);
  await login(k, 'karim.counsellor', pass('karim.counsellor'));
  await k.goto('/cases/' + (await allCases(await as('karim.counsellor'))).find((x) => x.stage === 'registered').id);
  await k.locator('.readiness').waitFor();
  assert.equal(await k.getByRole('button', { name: 'Hand over to the receiving office' }).count(), 0);
  await k.context().close();

  const page = await newPage(browser, srv.base);
  await login(page, 'omar.operations', pass('omar.operations'));
  await page.goto('/cases/' + c.id);
  await page.locator('.readiness').waitFor();
  await page.getByRole('button', { name: 'Hand over to the receiving office' }).click();
  const options = await page.locator('#handover-office option').allInnerTexts();
  assert.deepEqual(options.slice(1), ['ML-BKO — Bamako', 'ML-KYS — Kayes'], 'only offices in Mali');
  await page.locator('#handover-office').selectOption('ML-BKO');
  await shot(page, 'case-handover');
  await page.getByRole('button', { name: 'Hand over', exact: true }).click();
  await page.locator('.handover p', { hasText: 'Handed over to ML-BKO — Bamako.' }).waitFor();
  const summary = await page.locator('dl.summary').innerText();
  assert.match(summary, /Receiving office\s+ML-BKO — Bamako/);
  assert.ok((await page.locator('.timeline').innerText()).includes('Handed over to ML-BKO'));
  assert.deepEqual(page.errors, []);
  await page.context().close();

  /* Bamako's reintegration officer now finds it */
  const f = await newPage(browser, srv.base);
  await login(f, 'fatou.reintegration', pass('fatou.reintegration'));
  await f.goto('/cases/' + c.id);
  await f.locator('.readiness').waitFor();
  assert.equal((await f.locator('h1 bdi').innerText()).trim(), c.number);
  assert.match(await f.locator('dl.summary').innerText(), /Receiving office\s+ML-BKO — Bamako/);
  assert.deepEqual(f.errors, []);
  await f.context().close();
});

async function addRecord(page, kind, fill) {
  await unfoldRecords(page);
  await page.getByRole('button', { name: 'Add: ' + kind, exact: true }).click();
  const form = page.locator(`form[aria-label="${kind}"]`);
  await form.waitFor();
  await fill(form);
  await form.getByRole('button', { name: 'Save' }).click();
  await Promise.race([form.waitFor({ state: 'detached' }), form.locator('.alert').waitFor()]);
  return form;
}

test('a referral needs consent; the partner then sees the person on the Referrals page', async () => {
  const fatou = await as('fatou.reintegration');
  /* a one-person Kayes case of hers with no consent to share with the
   * association yet (the demo has one that does) */
  let c = null;
  for (const x of await allCases(fatou, '&office=ML-KYS&assigned=me')) {
    if (x.member_count !== 1 || x.stage === 'closed') continue;
    const recs = (await fatou('GET', `/cases/${x.id}/records`)).data.items;
    if (!recs.some((r) => r.kind === 'consent' || r.kind === 'referral')) { c = x; break; }
  }
  assert.ok(c, 'a Kayes case without consent to share');
  state.referred = c;
  const page = await newPage(browser, srv.base);
  await login(page, 'fatou.reintegration', pass('fatou.reintegration'));
  await page.goto('/cases/' + c.id);
  await page.locator('.readiness').waitFor();
  const referral = async (f) => {
    /* partners are records: chosen from a list, sent as their id */
    assert.equal(await f.locator('select#f-partner').count(), 1);
    await f.locator('#f-partner').selectOption({ label: ORG });
    await f.locator('#f-service').selectOption('psychosocial');
    await f.locator('#f-date').fill(today());
    await f.locator('#f-notes').fill('Group sessions on Tuesdays at the youth centre.');
  };
  /* without consent: the server's sentence */
  let form = await addRecord(page, 'Referral', referral);
  const alert = await form.locator('.alert').innerText();
  assert.match(alert, /No consent to share/);
  assert.match(alert, new RegExp('has not consented to share their data with ' + ORG));
  await shot(page, 'referral-no-consent');
  await form.getByRole('button', { name: 'Cancel' }).click();

  /* Consent to share is recorded by a counsellor or a programme manager
   * (the reintegration role may not record consents). */
  const mgr = await newPage(browser, srv.base);
  await login(mgr, 'youssef.manager', pass('youssef.manager'));
  await mgr.goto('/cases/' + c.id);
  await mgr.locator('.readiness').waitFor();
  form = await addRecord(mgr, 'Consent', async (f) => {
    /* a text field for medical data, the partners for data sharing */
    await f.locator('#f-purpose').selectOption('medical_data_sharing');
    assert.equal(await f.locator('input#f-recipient').count(), 1);
    await f.locator('#f-purpose').selectOption('data_sharing');
    await f.locator('select#f-recipient').selectOption({ label: ORG });
    await f.locator('#f-given_by').selectOption('self');
    await f.locator('#f-notice_version').fill('2026-1');
    await f.locator('#f-method').selectOption('signed_form');
    await f.locator('#f-interview_date').fill(today());
    await f.locator('#f-language').fill('fr');
    await f.locator('#f-language').press('Enter');
    await f.locator('#f-evidence_ref').fill('KYS-SHARE-1');
  });
  assert.equal(await form.count(), 0, 'the consent is recorded');
  assert.deepEqual(mgr.errors, []);
  await mgr.context().close();

  await page.reload();
  await unfoldRecords(page);
  await page.locator('li.record[data-kind=consent]').waitFor();
  form = await addRecord(page, 'Referral', referral);
  assert.equal(await form.count(), 0, 'the referral is recorded');
  const card = page.locator('li.record[data-kind=referral]');
  await card.waitFor();
  const text = await card.innerText();
  assert.ok(text.includes(ORG) && text.includes('Psychosocial support') && text.includes('Tuesdays'), text);
  assert.ok((await page.locator('li.record[data-kind=consent]').innerText()).includes(ORG));
  assert.deepEqual(page.errors, []);
  await page.context().close();

  /* the partner: Referrals only, no case screens */
  const p = await newPage(browser, srv.base);
  await login(p, 'awa.partner', pass('awa.partner'));
  await p.waitForURL(/\/referrals$/);
  await p.locator('li.referral').first().waitFor();
  assert.equal(await p.locator('h1').innerText(), 'Referrals');
  assert.equal(await p.getByRole('link', { name: 'Cases', exact: true }).count(), 0);
  assert.equal(await p.getByRole('link', { name: 'Dashboard' }).count(), 0);
  assert.ok((await p.locator('main .lead').innerText()).includes(ORG));
  const ref = p.locator('li.referral', { hasText: c.principal.name });
  const rt = await ref.innerText();
  for (const want of ['Psychosocial support', 'Group sessions on Tuesdays', 'ML-KYS — Kayes', 'Male', 'Mali', 'Referring office'])
    assert.ok(rt.includes(want), `${want} in ${rt}`);
  assert.ok(!rt.includes(c.number), 'never the case number');
  await shot(p, 'referrals');
  await p.locator('#lang-select').selectOption('ar');
  await p.locator('h1', { hasText: I18N.ar['referrals.title'] }).waitFor();
  assert.ok((await ref.innerText()).includes(I18N.ar['val.psychosocial']));
  await shot(p, 'referrals-ar');
  await p.locator('#lang-select').selectOption('en');
  await p.locator('h1', { hasText: 'Referrals' }).waitFor();
  assert.deepEqual(p.errors, []);
  await p.context().close();

  const phone = await newPage(browser, srv.base, { viewport: { width: 360, height: 740 } });
  await login(phone, 'awa.partner', pass('awa.partner'));
  await phone.locator('li.referral').first().waitFor();
  const over = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(over <= 0, `referrals at 360px is ${over}px too wide`);
  await shot(phone, 'referrals-phone');
  await phone.context().close();
});

test('a withdrawn consent to share takes the referral off the partner\'s list', async () => {
  const c = state.referred;
  const page = await newPage(browser, srv.base);
  await login(page, 'fatou.reintegration', pass('fatou.reintegration'));
  await page.goto('/cases/' + c.id);
  await page.locator('.readiness').waitFor();
  const form = await addRecord(page, 'Consent withdrawal', async (f) => {
    await f.locator('#f-purpose').selectOption('data_sharing');
    await f.locator('#f-recipient').selectOption({ label: ORG });
    await f.locator('#f-date').fill(today());
  });
  assert.equal(await form.count(), 0, 'the withdrawal is recorded');
  await page.locator('li.record[data-kind=consent_withdrawal]').waitFor();
  /* the consent to share reads as withdrawn */
  await page.locator('li.record.withdrawn[data-kind=consent]').waitFor();
  assert.match(await page.locator('li.record[data-kind=consent]').innerText(), /Withdrawn\s/);
  assert.deepEqual(page.errors, []);
  await page.context().close();

  const p = await newPage(browser, srv.base);
  await login(p, 'awa.partner', pass('awa.partner'));
  await p.locator('h1', { hasText: 'Referrals' }).waitFor();
  await p.waitForLoadState('networkidle');
  await p.locator('[role=status]').waitFor({ state: 'detached' });
  assert.equal(await p.locator('li.referral', { hasText: c.principal.name }).count(), 0);
  await p.context().close();
});

test('a donor sees only figures, small values only combined, in every language', async () => {
  const stats = (await as('claire.donor'))('GET', '/statistics');
  const data = (await stats).data;
  const page = await newPage(browser, srv.base);
  await login(page, 'claire.donor', pass('claire.donor'));
  await page.waitForURL(/\/figures$/);
  await page.locator('table.figures').first().waitFor();
  assert.equal(await page.getByRole('link', { name: 'Cases', exact: true }).count(), 0);
  assert.equal(await page.getByRole('link', { name: 'Figures' }).count(), 1);
  assert.equal(await page.locator('table.figures').count(), 6);
  const stage = page.locator('[aria-labelledby=fig-cases_by_stage]');
  assert.equal(await stage.locator('tr', { hasText: 'Registered' }).locator('td').innerText(),
    String(data.cases_by_stage.find((r) => r.key === 'registered').count));
  /* The demo has 3 withdrawn and 2 closed cases: never named, counted
   * together; the rows add up to the total. */
  const combined = data.cases_by_stage.find((r) => r.combined);
  assert.ok(combined && combined.count >= 5, JSON.stringify(data.cases_by_stage));
  assert.equal(await stage.locator('tr', { hasText: 'Withdrawn' }).count(), 0);
  assert.equal(await stage.locator('tbody tr').last().locator('th').innerText(), 'Others, combined');
  assert.equal(await stage.locator('tbody tr').last().locator('td').innerText(), String(combined.count));
  const total = data.cases_by_stage.reduce((n, r) => n + r.count, 0);
  assert.equal(await stage.locator('tfoot td').innerText(), new Intl.NumberFormat('en').format(total));
  /* The two closed cases make their reasons too few to show. */
  const reasons = page.locator('[aria-labelledby=fig-cases_closed_by_reason]');
  assert.deepEqual(data.cases_closed_by_reason.map((r) => r.count), [null]);
  assert.equal(await reasons.locator('tfoot td').innerText(), 'withheld');
  assert.ok((await page.locator('[aria-labelledby=fig-cases_by_destination]').innerText()).includes('Mali'));
  await shot(page, 'figures');
  for (const lang of ['fr', 'ar']) {
    await page.locator('#lang-select').selectOption(lang);
    await page.locator('h1', { hasText: I18N[lang]['figures.title'] }).waitFor();
    assert.equal(await stage.locator('tbody tr').last().locator('th').innerText(), I18N[lang]['figures.combined']);
    assert.equal(await reasons.locator('tfoot td').innerText(), I18N[lang]['figures.withheld']);
  }
  await shot(page, 'figures-ar');
  await page.locator('#lang-select').selectOption('en');
  await page.locator('h1', { hasText: 'Figures' }).waitFor();
  assert.deepEqual(page.errors, []);
  await page.context().close();

  const phone = await newPage(browser, srv.base, { viewport: { width: 360, height: 740 } });
  await login(phone, 'claire.donor', pass('claire.donor'));
  await phone.locator('table.figures').first().waitFor();
  const over = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(over <= 0, `figures at 360px is ${over}px too wide`);
  await shot(phone, 'figures-phone');
  await phone.context().close();

  /* M&E officers and managers may see them too */
  const m = await newPage(browser, srv.base);
  await login(m, 'youssef.manager', pass('youssef.manager'));
  await m.getByRole('link', { name: 'Figures' }).click();
  await m.locator('table.figures').first().waitFor();
  assert.deepEqual(m.errors, []);
  await m.context().close();
});

test('an administrator keeps the partner organisations, which a partner user is given', async () => {
  const page = await newPage(browser, srv.base);
  await login(page, 'admin', pass('admin'));
  await page.goto('/admin/partners');
  await page.locator('h2', { hasText: 'Partner organisations' }).waitFor();
  const list = page.locator('table.list');
  await list.waitFor();
  assert.ok((await list.innerText()).includes(ORG), 'the demo partners are listed');
  const name = 'Croix-Rouge malienne ' + Date.now();
  await page.getByRole('button', { name: 'New partner organisation' }).click();
  const form = page.locator('form[aria-label="New partner organisation"]');
  await form.locator('#f-name').fill(name);
  await form.locator('#f-country').selectOption('MLI');
  await form.getByRole('button', { name: 'Save' }).click();
  await list.locator('tr', { hasText: name }).waitFor();
  assert.ok((await list.locator('tr', { hasText: name }).innerText()).includes('Mali'));
  /* the same name again, in other letters' case: the server's 409 */
  await page.getByRole('button', { name: 'New partner organisation' }).click();
  await form.locator('#f-name').fill(name.toUpperCase());
  await form.getByRole('button', { name: 'Save' }).click();
  await form.locator('.alert').waitFor();
  await form.getByRole('button', { name: 'Cancel' }).click();
  /* a partner user works for one of them, chosen by name */
  await page.goto('/admin/users');
  await page.getByRole('button', { name: 'New user' }).click();
  const uf = page.locator('form[aria-label="New user"]');
  await uf.waitFor();
  const options = await uf.locator('select#f-organisation option').allInnerTexts();
  assert.ok(options.includes(name) && options.includes(ORG), options.join(' | '));
  await page.locator('#lang-select').selectOption('fr');
  await page.locator('label[for=f-organisation]', { hasText: I18N.fr['user.organisation'] }).waitFor();
  await page.locator('#lang-select').selectOption('en');
  await shot(page, 'admin-partners');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the error summary names each field by its label and leads to it', async () => {
  const page = await newPage(browser, srv.base);
  await login(page, 'amina.registration', pass('amina.registration'));
  await page.goto('/cases/new');
  await page.locator('#f-members-0-person-name').fill('Awa Diallo');
  await page.getByRole('button', { name: 'Register', exact: true }).click();
  const summary = page.locator('form .alert[role=alert]');
  await summary.waitFor();
  const links = await summary.locator('li a').allInnerTexts();
  assert.ok(links.includes('Member 1 — Sex'), links.join(' | '));
  assert.ok(links.includes('Country of origin') || links.some((l) => /origin/i.test(l)), links.join(' | '));
  assert.ok(!links.some((l) => /\[\d\]|\./.test(l)), 'no raw paths: ' + links.join(' | '));
  assert.match(await summary.locator('li', { hasText: 'Member 1 — Sex' }).innerText(), /^Member 1 — Sex: .+/);
  await summary.getByRole('link', { name: 'Member 1 — Sex' }).click();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'f-members-0-person-sex');
  await shot(page, 'register-error-summary');
  /* in Arabic too */
  await page.locator('#lang-select').selectOption('ar');
  await page.waitForFunction(() => document.documentElement.dir === 'rtl');
  await page.getByRole('button', { name: I18N.ar['register.submit'], exact: true }).click();
  /* digits as Intl gives them for Arabic (Latin or Arabic-Indic) */
  const one = await page.evaluate(() => new Intl.NumberFormat('ar').format(1));
  await summary.getByRole('link', { name: I18N.ar['case.members.item'] + ' ' + one + ' — ' + I18N.ar['person.sex'], exact: true }).waitFor();
  await shot(page, 'register-error-summary-ar');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
