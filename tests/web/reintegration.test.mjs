/*
 * tests/web/reintegration.test.mjs — the reintegration and money pages in
 * a browser against a real awda server with the demo data (the Mali
 * psychosocial project and its budget lines):
 *
 *   - the plan editor: a returnee registered in Bamako has arrived; the
 *     reintegration officer opens Reintegration from the menu, records the
 *     needs assessment and an individual plan with two items (a type of
 *     the value table, a budget in dollars charged to line 2.1 of the
 *     project); the programme manager approves it, the items are approved
 *     and the case moves to `reintegrating`; the case's ledger shows the
 *     two commitments;
 *   - the ledger: the finance officer opens the project from Projects,
 *     the budget view shows line 2.1; a payment recorded on the line's
 *     page shows in its ledger and changes the line's disbursed, remaining
 *     and utilisation figures; a reversal with its reason marks it;
 *   - the survey: its questions in French from the instrument, a baseline
 *     and a follow-up answered; the chart of the person's scores has two
 *     points per series, the follow-up higher;
 *   - the activity log: an activity recorded with its participants counted
 *     by sex and age group shows in the list with their total;
 *   - the report of the project: its budget, the CSV (with HXL hashtags)
 *     and XLSX links; printed, no header nor period form;
 *   - a donor (no plan.read, no project.read) has neither Reintegration
 *     nor Projects in the menu; a registration officer (case staff: plan
 *     and project read) has them, but no payment form (no ledger.write);
 *   - in Arabic and French the pages are drawn: screenshots of each go to
 *     build/screenshots/ (rz-*-ar.png, rz-*-fr.png).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, login, apiAs, shot } from './harness.mjs';

let srv, browser, admin;
const RZ = { user: 'fatou.reintegration' };
const FIN = { user: 'ibrahim.finance' };
const MGR = { user: 'rz.manager', pass: 'correct horse battery 61' };
const REG = { user: 'rz.registration', pass: 'correct horse battery 62' };
const state = {};

async function setLangOf(page, lang) {
  await page.locator('#lang-select').selectOption(lang);
  await page.locator(`html[lang=${lang}]`).waitFor();
  await page.waitForLoadState('networkidle');
}

before(async () => {
  srv = await startServer();
  browser = await launch();
  RZ.pass = srv.users[RZ.user];
  FIN.pass = srv.users[FIN.user];
  admin = await apiAs(srv.base, 'admin', srv.users.admin);
  for (const [u, role] of [[MGR, 'manager'], [REG, 'registration']]) {
    const r = await admin('POST', '/users', { username: u.user, full_name: 'Test ' + role, password: u.pass,
      roles: [role], offices: ['ML-BKO'] });
    assert.equal(r.status, 201, JSON.stringify(r.data));
  }
  /* a returnee met after coming home: registered in Bamako, arrived yesterday */
  const reg = await apiAs(srv.base, REG.user, REG.pass);
  const c = await reg('POST', '/cases', {
    office: 'ML-BKO', origin_country: 'MLI', destination_country: 'MLI', destination_admin_area: 'Bamako',
    members: [{ relationship: 'principal', person: { name: 'Moussa Keita', sex: 'male', date_of_birth: '1994-03-02',
      dob_precision: 'exact', nationality: 'MLI' } }],
  });
  assert.equal(c.status, 201, JSON.stringify(c.data));
  state.case = c.data;
  const mgr = await apiAs(srv.base, MGR.user, MGR.pass);
  const at = new Date(Date.now() - 86400000).toISOString().slice(0, 19) + 'Z';
  const a = await mgr('POST', '/cases/' + c.data.id + '/transitions', { event: 'record_arrival', at });
  assert.ok(a.status < 300, JSON.stringify(a.data));
  const fin = await apiAs(srv.base, FIN.user, FIN.pass);
  const p = await fin('GET', '/projects/ML-PSS-2026');
  assert.equal(p.status, 200, JSON.stringify(p.data));
  state.project = p.data;
  state.line = p.data.budget_lines.find((l) => l.code === '2.1');
  state.fin = fin;
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

test('the plan editor: an individual plan with two items, approved, moves the case to reintegrating', async () => {
  const page = await newPage(browser, srv.base);
  await login(page, RZ.user, RZ.pass);
  await page.getByRole('navigation').getByRole('link', { name: 'Reintegration' }).click();
  await page.locator('h1', { hasText: 'Reintegration' }).waitFor();
  await page.locator('table.rz-cases').getByRole('link', { name: state.case.number }).click();
  await page.waitForURL(/\/cases\/[^/]+\/reintegration$/);
  /* the needs assessment */
  const needs = page.locator('form.rz-needs');
  await needs.locator('#f-rz-choice').selectOption('own_project');
  await needs.locator('#f-rz-project_idea').fill('A tailoring workshop in Bamako');
  await needs.getByRole('button', { name: 'Record the assessment' }).click();
  await page.locator('ul.rz-needs-list li', { hasText: 'Own project' }).waitFor();
  /* the plan */
  await page.locator('#f-rz-title').fill('Tailoring workshop');
  await page.getByRole('button', { name: 'Create the plan' }).click();
  const plan = page.locator('article.rz-plan');
  await plan.locator('h3', { hasText: 'Tailoring workshop' }).waitFor();
  assert.equal(await plan.getAttribute('data-status'), 'draft');
  /* two items charged to line 2.1 */
  for (const [i, amount] of [[0, '1200.50'], [1, '300']]) {
    const form = page.locator('form.rz-item');
    const types = await form.locator('#f-rz-type option').evaluateAll((o) => o.map((x) => x.value));
    assert.ok(types.length >= 2, 'the types of the value table are offered');
    await form.locator('#f-rz-type').selectOption(types[i]);
    await form.locator('#f-rz-budget_line').selectOption(state.line.id);
    await form.locator('#f-rz-budget_minor').fill(amount);
    await form.locator('#f-rz-modality').selectOption(i ? 'cash' : 'in_kind');
    await form.getByRole('button', { name: 'Add the item' }).click();
    await page.locator('table.rz-items tbody tr').nth(i).waitFor();
  }
  const rows = page.locator('table.rz-items tbody tr');
  assert.equal(await rows.count(), 2);
  assert.match(await rows.nth(0).innerText(), /1,200\.50/);
  assert.match(await page.locator('table.rz-items tfoot').innerText(), /1,500\.50/);
  /* the reintegration officer cannot approve */
  assert.equal(await page.locator('button.rz-approve').count(), 0);
  state.url = new URL(page.url()).pathname;
  for (const lang of ['fr', 'ar']) {
    await setLangOf(page, lang);
    await shot(page, 'rz-plan-draft-' + lang);
  }
  await setLangOf(page, 'en');
  assert.deepEqual(page.errors, []);
  await page.context().close();

  /* the programme manager approves */
  const mp = await newPage(browser, srv.base);
  await login(mp, MGR.user, MGR.pass);
  await mp.goto(state.url);
  await mp.getByRole('button', { name: 'Approve the plan' }).click();
  await mp.locator('article.rz-plan[data-status=approved]').waitFor();
  const st = await mp.locator('table.rz-items tbody tr').allInnerTexts();
  assert.ok(st.every((s) => /Approved/.test(s)), st.join('|'));
  await mp.locator('p.lead .stage-reintegrating').waitFor();
  /* the case's ledger: the two commitments */
  const lg = mp.locator('table.ledger tbody tr.lg-commitment');
  await lg.first().waitFor();
  assert.equal(await lg.count(), 2);
  for (const lang of ['fr', 'ar']) {
    await setLangOf(mp, lang);
    await shot(mp, 'rz-plan-approved-' + lang);
  }
  assert.equal(await mp.evaluate(() => document.documentElement.dir), 'rtl');
  await setLangOf(mp, 'en');
  assert.deepEqual(mp.errors, []);
  await mp.context().close();
  const c = await state.fin('GET', '/cases/' + state.case.id);
  assert.equal(c.data.stage, 'reintegrating');
});

test('the survey in the user\'s language, and the scores over time as a chart', async () => {
  assert.ok(state.url, 'the plan test made the case');
  const page = await newPage(browser, srv.base);
  await login(page, RZ.user, RZ.pass);
  await setLangOf(page, 'fr');
  await page.goto(state.url);
  await page.locator('button.survey-open').click();
  const form = page.locator('form.survey');
  /* the instrument's questions in French */
  await form.locator('fieldset.survey-ind').first().waitFor();
  assert.match(await form.locator('.survey-q .q').first().innerText(), /situation économique/);
  for (const [round, pick] of [['baseline', 3], ['follow_up', 1]]) {
    if (round === 'follow_up') await page.locator('button.survey-open').click();
    await form.locator('#f-sv-round').selectOption(round);
    const qs = form.locator('.survey-q');
    const n = await qs.count();
    assert.ok(n >= 15, 'every question: ' + n);
    for (let i = 0; i < n; i++) {
      const radios = qs.nth(i).locator('input[type=radio]');
      await radios.nth(Math.min(pick, (await radios.count()) - 2)).check();
    }
    await form.locator('button[type=submit]').click();
    await form.waitFor({ state: 'detached' });
  }
  /* two points per series, the composite rising */
  const pts = page.locator('svg.scores-chart g.composite_bp circle');
  await pts.nth(1).waitFor();
  assert.equal(await pts.count(), 2);
  const ys = await pts.evaluateAll((c) => c.map((x) => +x.getAttribute('cy')));
  assert.ok(ys[1] < ys[0], 'the follow-up scores higher: ' + ys);
  assert.equal(await page.locator('table.scores-table tbody tr').count(), 2);
  await page.locator('section[aria-labelledby=sec-scores]').scrollIntoViewIfNeeded();
  await shot(page, 'rz-scores-fr');
  await setLangOf(page, 'ar');
  await page.locator('svg.scores-chart').waitFor();
  await shot(page, 'rz-scores-ar');
  await setLangOf(page, 'en');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

function lineRow(page) {
  return page.locator('table.money-budget tbody tr[data-line="2.1"]');
}

test('the ledger: a payment shows on the line and changes the budget view', async () => {
  const page = await newPage(browser, srv.base);
  await login(page, FIN.user, FIN.pass);
  await page.getByRole('navigation').getByRole('link', { name: 'Projects' }).click();
  await page.locator('table.money-projects').getByRole('link', { name: state.project.name }).click();
  await lineRow(page).waitFor();
  const before = await lineRow(page).locator('td').allInnerTexts();
  for (const lang of ['fr', 'ar']) {
    await setLangOf(page, lang);
    await shot(page, 'rz-budget-' + lang);
  }
  await setLangOf(page, 'en');
  await lineRow(page).getByRole('link').click();
  await page.waitForURL(/\/budget-lines\//);
  const pay = page.locator('form.money-pay');
  await pay.locator('#f-pay-amount').fill('250');
  await pay.locator('#f-pay-method').selectOption('mobile_money');
  await pay.locator('#f-pay-recipient').fill('Moussa Keita');
  await pay.locator('#f-pay-proof_reference').fill('OM-2026-0042');
  await pay.getByRole('button', { name: 'Record the payment' }).click();
  const paid = page.locator('table.ledger tbody tr.lg-disbursement', { hasText: 'OM-2026-0042' });
  await paid.waitFor();
  assert.match(await paid.innerText(), /250\.00/);
  assert.match(await paid.innerText(), /Mobile money/);
  /* reversed with a reason */
  await paid.getByRole('button', { name: 'Reverse' }).click();
  await page.locator('#f-rev-reason').fill('Paid to the wrong number');
  await page.locator('form.money-reverse').getByRole('button', { name: 'Reverse' }).click();
  await page.locator('table.ledger tbody tr.lg-reversal', { hasText: 'Paid to the wrong number' }).waitFor();
  await page.locator('table.ledger tbody tr.lg-disbursement.reversed').waitFor();
  /* paid again, kept */
  await pay.locator('#f-pay-amount').fill('250');
  await pay.locator('#f-pay-recipient').fill('Moussa Keita');
  await pay.locator('#f-pay-proof_reference').fill('OM-2026-0043');
  await pay.getByRole('button', { name: 'Record the payment' }).click();
  await page.locator('table.ledger tbody tr.lg-disbursement', { hasText: 'OM-2026-0043' }).waitFor();
  for (const lang of ['fr', 'ar']) {
    await setLangOf(page, lang);
    await shot(page, 'rz-ledger-' + lang);
  }
  await setLangOf(page, 'en');
  await page.goBack();
  await lineRow(page).waitFor();
  const after = await lineRow(page).locator('td').allInnerTexts();
  /* budget the same; disbursed, remaining (when it commits) and utilisation moved */
  assert.equal(after[0], before[0]);
  assert.notEqual(after[2], before[2], 'disbursed changed: ' + before[2] + ' → ' + after[2]);
  assert.notEqual(after[4], before[4], 'utilisation changed');
  const b = await state.fin('GET', '/projects/' + state.project.id + '/budget');
  const line = b.data.lines.find((l) => l.code === '2.1');
  assert.equal(line.disbursed_minor, 25000);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the activity log: an activity with counts by sex and age group', async () => {
  const page = await newPage(browser, srv.base);
  await login(page, RZ.user, RZ.pass);
  await page.getByRole('navigation').getByRole('link', { name: 'Activities' }).click();
  const form = page.locator('form.act-new');
  await form.locator('#f-act-kind').selectOption('psychosocial_group');
  await form.locator('#f-act-title').fill('Group session, Kayes');
  await form.locator('#f-act-office').selectOption('ML-BKO');
  await form.locator('#f-act-admin_area').fill('Kayes');
  await form.locator('#f-act-facilitators').fill('Awa Konaté, Seydou Traoré');
  await form.locator('#f-act-n-female-18-59').fill('7');
  await form.locator('#f-act-n-male-12-17').fill('4');
  await form.getByRole('button', { name: 'Record the activity' }).click();
  const row = page.locator('table.act-list tbody tr', { hasText: 'Group session, Kayes' });
  await row.waitFor();
  assert.match(await row.innerText(), /\b11\b/);
  for (const lang of ['fr', 'ar']) {
    await setLangOf(page, lang);
    await shot(page, 'rz-activities-' + lang);
  }
  await setLangOf(page, 'en');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the project report: figures, CSV and XLSX links, printed on A4 without the header', async () => {
  const page = await newPage(browser, srv.base);
  await login(page, FIN.user, FIN.pass);
  await page.getByRole('navigation').getByRole('link', { name: 'Reports' }).click();
  await page.getByRole('link', { name: state.project.name }).click();
  await page.waitForURL(/\/report$/);
  const budget = page.locator('main.rp table.money-budget');
  await budget.waitFor();
  assert.match(await budget.locator('tfoot').innerText(), /280,000\.00/);
  const csv = await page.locator('a.rp-csv').getAttribute('href');
  assert.match(csv, /\/api\/v1\/projects\/[^/]+\/report\?format=csv$/);
  const res = await page.request.get(csv);
  assert.equal(res.status(), 200);
  assert.match(await res.text(), /#/, 'HXL hashtags in the CSV');
  assert.match(await page.locator('a.rp-xlsx').getAttribute('href'), /format=xlsx/);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('header.top').isVisible(), false);
  assert.equal(await page.locator('form.rp-period').isVisible(), false);
  await page.emulateMedia({ media: 'screen' });
  for (const lang of ['fr', 'ar']) {
    await setLangOf(page, lang);
    await budget.waitFor();
    await shot(page, 'rz-report-' + lang);
  }
  await setLangOf(page, 'en');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a role without the permissions has no Reintegration or Projects entry', async () => {
  const page = await newPage(browser, srv.base);
  await login(page, 'claire.donor', srv.users['claire.donor']);
  const nav = page.getByRole('navigation');
  await nav.getByRole('link').first().waitFor();
  assert.equal(await nav.getByRole('link', { name: 'Reintegration' }).count(), 0);
  assert.equal(await nav.getByRole('link', { name: 'Projects' }).count(), 0);
  /* a donor reads the report (figures under 5 hidden), not the projects */
  await nav.getByRole('link', { name: 'Reports' }).click();
  await page.locator('#f-rp-code').fill('ML-PSS-2026');
  await page.getByRole('button', { name: 'Show' }).click();
  await page.locator('main.rp table.money-budget').waitFor();
  await page.context().close();
  /* the registration officer reads plans (case staff) but is not finance: no Pay form */
  const reg = await newPage(browser, srv.base);
  await login(reg, REG.user, REG.pass);
  await reg.getByRole('navigation').getByRole('link', { name: 'Reintegration' }).waitFor();
  await reg.goto('/budget-lines/' + state.line.id);
  await reg.locator('h1').waitFor();
  assert.equal(await reg.locator('form.money-pay').count(), 0);
  await reg.context().close();
});
