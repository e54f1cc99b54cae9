/*
 * reintegration_steps.test.mjs — finishing a plan in the browser: from the
 * case page's link to its reintegration page, an approved plan's two items
 * are marked in progress then delivered with their evidence, the case shows
 * `monitoring`, and the plan is closed (the case `closed`); on another
 * case, an item is cancelled with a reason, and closing a plan whose item is
 * still in progress asks why. Set-up through the API (a returnee arrived
 * yesterday, a plan approved by the programme manager), as in
 * reintegration.test.mjs; screenshots in French and Arabic.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, login, shot } from './harness.mjs';

let srv, browser;
const RZ = { user: 'fatou.reintegration' };
const MGR = { user: 'rz.manager2', pass: 'correct horse battery 71' };
const REG = { user: 'rz.registration2', pass: 'correct horse battery 72' };

/* An API client for `user` that can send headers (If-Match). */
async function apiAs(base, user, password) {
  const r = await fetch(base + '/api/v1/session', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: user, password }),
  });
  const { token } = await r.json();
  return async (method, p, body, headers = {}) => {
    const res = await fetch(base + '/api/v1' + p, {
      method, headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json', ...headers },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, data: text ? JSON.parse(text) : null };
  };
}
const state = {};

async function setLangOf(page, lang) {
  await page.locator('#lang-select').selectOption(lang);
  await page.locator(`html[lang=${lang}]`).waitFor();
  await page.waitForLoadState('networkidle');
}

/* A returnee arrived yesterday with an approved plan of `items` (type
 * codes, or item bodies). */
async function approvedPlan(name, title, items) {
  const c = await state.reg('POST', '/cases', {
    office: 'ML-BKO', origin_country: 'MLI', destination_country: 'MLI', destination_admin_area: 'Bamako',
    members: [{ relationship: 'principal', person: { name, sex: 'female', date_of_birth: '1990-05-04',
      dob_precision: 'exact', nationality: 'MLI' } }],
  });
  assert.equal(c.status, 201, JSON.stringify(c.data));
  const at = new Date(Date.now() - 86400000).toISOString().slice(0, 19) + 'Z';
  const a = await state.mgr('POST', '/cases/' + c.data.id + '/transitions', { event: 'record_arrival', at });
  assert.ok(a.status < 300, JSON.stringify(a.data));
  const p = await state.rz('POST', '/plans', { kind: 'individual', title, members: [{ case_id: c.data.id }] });
  assert.equal(p.status, 201, JSON.stringify(p.data));
  for (const type of items) {
    const it = await state.rz('POST', '/plans/' + p.data.id + '/items', typeof type === 'object' ? type : { type,
      budget_minor: 20000, currency: state.line.currency || 'USD', modality: 'cash', delivery: 'direct', budget_line: state.line.id });
    assert.equal(it.status, 201, JSON.stringify(it.data));
  }
  const g = await state.mgr('GET', '/plans/' + p.data.id);
  const ap = await state.mgr('POST', '/plans/' + p.data.id + '/approve', undefined, { 'If-Match': '"' + g.data.version + '"' });
  assert.equal(ap.status, 200, JSON.stringify(ap.data));
  return { case: c.data, plan: ap.data };
}

before(async () => {
  srv = await startServer();
  browser = await launch();
  RZ.pass = srv.users[RZ.user];
  const admin = await apiAs(srv.base, 'admin', srv.users.admin);
  state.admin = admin;
  for (const [u, role] of [[MGR, 'manager'], [REG, 'registration']]) {
    const r = await admin('POST', '/users', { username: u.user, full_name: 'Test ' + role, password: u.pass,
      roles: [role], offices: ['ML-BKO'] });
    assert.equal(r.status, 201, JSON.stringify(r.data));
  }
  state.mgr = await apiAs(srv.base, MGR.user, MGR.pass);
  state.reg = await apiAs(srv.base, REG.user, REG.pass);
  state.rz = await apiAs(srv.base, RZ.user, RZ.pass);
  const p = await state.mgr('GET', '/projects/ML-PSS-2026');
  assert.equal(p.status, 200, JSON.stringify(p.data));
  state.line = p.data.budget_lines.find((l) => l.code === '2.1');
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

/* Opens the step form of item `n`, picks `status`, fills `field` and saves. */
async function step(page, n, status, field, text) {
  const row = page.locator('table.rz-items tbody tr:not(.rz-step-row)').nth(n);
  await row.getByRole('button', { name: 'Record progress' }).click();
  const form = page.locator('form.rz-step');
  await form.locator('#f-rz-step_status').selectOption(status);
  if (field) await form.locator('#f-rz-' + field).fill(text);
  await form.getByRole('button', { name: 'Save' }).click();
  await form.waitFor({ state: 'detached' });
  await page.locator('table.rz-items tbody tr:not(.rz-step-row)').nth(n).locator('.rz-item-' + status).waitFor();
}

test('two approved items marked in progress, then delivered with evidence: the case is monitored, then closed', async () => {
  const { case: c } = await approvedPlan('Aminata Diarra', 'Grocery shop', ['housing', 'business_training']);
  const page = await newPage(browser, srv.base);
  await login(page, RZ.user, RZ.pass);
  await page.goto('/cases/' + c.id);
  await page.getByRole('link', { name: 'Reintegration plan and follow-up' }).click();
  await page.waitForURL(/\/cases\/[^/]+\/reintegration$/);
  await page.locator('p.lead .stage-reintegrating').waitFor();
  await step(page, 0, 'in_progress');
  await step(page, 1, 'in_progress');
  /* delivering without evidence is not possible: the evidence is asked */
  const row = page.locator('table.rz-items tbody tr:not(.rz-step-row)').nth(0);
  await row.getByRole('button', { name: 'Record progress' }).click();
  await page.locator('#f-rz-step_status').selectOption('delivered');
  assert.equal(await page.locator('#f-rz-evidence').getAttribute('required'), '');
  await page.locator('#f-rz-evidence').fill('Lease and receipt R-2026-118');
  for (const lang of ['fr', 'ar']) {
    await setLangOf(page, lang);
    await shot(page, 'rz-step-deliver-' + lang);
  }
  await setLangOf(page, 'en');
  await page.locator('form.rz-step').getByRole('button', { name: 'Save' }).click();
  await page.locator('form.rz-step').waitFor({ state: 'detached' });
  await row.locator('.rz-item-delivered').waitFor();
  assert.equal(await page.locator('p.lead .stage-reintegrating').count(), 1, 'one item still in progress');
  await step(page, 1, 'delivered', 'evidence', 'Certificate of the training, 12 May');
  /* every item delivered: the server moved the case to monitoring */
  await page.locator('p.lead .stage-monitoring').waitFor();
  assert.equal(await page.locator('button.rz-step-open').count(), 0);
  for (const lang of ['fr', 'ar']) {
    await setLangOf(page, lang);
    await shot(page, 'rz-step-monitoring-' + lang);
  }
  await setLangOf(page, 'en');
  const got = await state.mgr('GET', '/cases/' + c.id);
  assert.equal(got.data.stage, 'monitoring');
  /* the plan closed: nothing open, no "why" asked */
  await page.locator('details.rz-close summary').click();
  assert.equal(await page.locator('form.rz-close-form #f-rz-reason').count(), 0);
  await page.locator('#f-rz-closure_reason').selectOption('plan_completed');
  await page.locator('form.rz-close-form').getByRole('button', { name: 'Close the plan' }).click();
  await page.locator('article.rz-plan[data-status=closed]').waitFor();
  const closed = await state.mgr('GET', '/cases/' + c.id);
  assert.equal(closed.data.stage, 'closed');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('an item cancelled with a reason; closing with an item in progress asks why', async () => {
  const { case: c } = await approvedPlan('Kadiatou Coulibaly', 'Market stall', ['housing', 'business_training']);
  const page = await newPage(browser, srv.base);
  await login(page, RZ.user, RZ.pass);
  await page.goto('/cases/' + c.id + '/reintegration');
  await page.locator('p.lead .stage-reintegrating').waitFor();
  await step(page, 0, 'cancelled', 'reason', 'Found a job in a bakery instead');
  await step(page, 1, 'in_progress');
  const got = await state.mgr('GET', '/cases/' + c.id);
  assert.equal(got.data.stage, 'reintegrating');
  /* closing while the other item is in progress asks why */
  await page.locator('details.rz-close summary').click();
  const form = page.locator('form.rz-close-form');
  await form.locator('#f-rz-closure_reason').selectOption('re_migrated');
  assert.match(await form.locator('label[for=f-rz-reason]').innerText(), /1 item is still open/);
  for (const lang of ['fr', 'ar']) {
    await setLangOf(page, lang);
    await shot(page, 'rz-step-close-' + lang);
  }
  await setLangOf(page, 'en');
  await form.locator('#f-rz-reason').fill('Left for Algeria in May');
  await form.getByRole('button', { name: 'Close the plan' }).click();
  await page.locator('article.rz-plan[data-status=closed]').waitFor();
  const closed = await state.mgr('GET', '/cases/' + c.id);
  assert.equal(closed.data.stage, 'closed');
  assert.equal(closed.data.closure_reason, 're_migrated');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the case page links to its reintegration page once the returnee has arrived, not before; a community plan', async () => {
  const mk = async (name) => {
    const c = await state.reg('POST', '/cases', {
      office: 'ML-BKO', origin_country: 'MLI', destination_country: 'MLI', destination_admin_area: 'Kayes',
      members: [{ relationship: 'principal', person: { name, sex: 'male', date_of_birth: '1988-01-09',
        dob_precision: 'exact', nationality: 'MLI' } }],
    });
    assert.equal(c.status, 201, JSON.stringify(c.data));
    return c.data;
  };
  const before = await mk('Seydou Traoré');
  const arrived = await mk('Bakary Sissoko');
  const at = new Date(Date.now() - 86400000).toISOString().slice(0, 19) + 'Z';
  const a = await state.mgr('POST', '/cases/' + arrived.id + '/transitions', { event: 'record_arrival', at });
  assert.ok(a.status < 300, JSON.stringify(a.data));
  const page = await newPage(browser, srv.base);
  await login(page, RZ.user, RZ.pass);
  await page.goto('/cases/' + before.id);
  await page.locator('h1 bdi', { hasText: before.number }).waitFor();
  assert.equal(await page.locator('p.rz-link').count(), 0);
  await page.goto('/cases/' + arrived.id);
  await page.locator('p.rz-link a').click();
  await page.waitForURL(new RegExp('/cases/' + arrived.id + '/reintegration$'));
  await page.locator('p.lead .stage-arrived').waitFor();
  /* a community plan: the place and the beneficiaries by sex and age group */
  const form = page.locator('form.rz-plan-new');
  await form.locator('#f-rz-kind').selectOption('community');
  await form.locator('#f-rz-title').fill('Village well');
  assert.equal(await form.locator('#f-rz-admin_area').inputValue(), 'Kayes');
  await form.locator('#f-rz-n-female-18-59').fill('40');
  await form.locator('#f-rz-n-male-0-4').fill('12');
  for (const lang of ['fr', 'ar']) {
    await setLangOf(page, lang);
    await shot(page, 'rz-step-community-' + lang);
  }
  await setLangOf(page, 'en');
  await form.getByRole('button', { name: 'Create the plan' }).click();
  await page.locator('article.rz-plan', { hasText: 'Village well' }).locator('p.lead', { hasText: 'Community plan' }).waitFor();
  const ps = await state.rz('GET', '/cases/' + arrived.id + '/plans');
  const com = ps.data.items.find((x) => x.title === 'Village well');
  assert.equal(com.kind, 'community');
  assert.equal(com.admin_area, 'Kayes');
  assert.deepEqual(com.beneficiaries.map((x) => [x.sex, x.age_group, x.count]).sort(),
    [['female', '18-59', 40], ['male', '0-4', 12]]);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a referral sent without the person\'s consent to share with the partner is refused in words', async () => {
  const ps = await state.admin('GET', '/partners');
  let org = ps.data.items.find((x) => x.name === 'Caritas Mali');
  if (!org) {
    const r = await state.admin('POST', '/partners', { name: 'Caritas Mali' });
    assert.equal(r.status, 201, JSON.stringify(r.data));
    org = r.data;
  }
  const { case: c } = await approvedPlan('Mariam Touré', 'Counselling', [{ type: 'psychosocial_counselling',
    budget_minor: 0, currency: 'XOF', modality: 'in_kind', delivery: 'referral', partner: org.id }]);
  const page = await newPage(browser, srv.base);
  await login(page, RZ.user, RZ.pass);
  await page.goto('/cases/' + c.id + '/reintegration');
  await page.locator('table.rz-items tbody tr').getByRole('button', { name: 'Record progress' }).click();
  const form = page.locator('form.rz-step');
  await form.locator('#f-rz-referral_status').selectOption('sent');
  await form.getByRole('button', { name: 'Save' }).click();
  const alert = form.locator('.alert');
  await alert.waitFor();
  const text = await alert.innerText();
  assert.match(text, /Mariam/i);
  assert.match(text, /Caritas Mali/);
  for (const lang of ['fr', 'ar']) {
    await setLangOf(page, lang);
    await shot(page, 'rz-step-referral-' + lang);
  }
  await setLangOf(page, 'en');
  const p = await state.rz('GET', '/cases/' + c.id + '/plans');
  assert.equal(p.data.items[0].items[0].referral_status, null);
  await page.context().close();
});
