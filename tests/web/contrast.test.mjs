/*
 * tests/web/contrast.test.mjs — every piece of text on the main pages is
 * readable: its colour against the background it is drawn on meets WCAG
 * AA (4.5:1; 3:1 for large text, 24 px, or 18.66 px bold).
 *
 * How: in the page, each element with its own text node is measured with
 * getComputedStyle; its background is the first opaque background colour
 * found walking up from it (semi-transparent ones are blended over what is
 * below). The relative luminance and ratio are WCAG 2.1's formulas. Pages:
 * the sign-in, the dashboard, the case list, a case page, the household
 * form with its errors, and the Arabic dashboard.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, login } from './harness.mjs';

let srv, browser;

before(async () => {
  srv = await startServer();
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

/* Runs in the page: [{text, fg, bg, ratio, need}] for every failure. */
function lowContrast() {
  const parse = (c) => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const over = (top, below) => ({
    r: top.r * top.a + below.r * (1 - top.a),
    g: top.g * top.a + below.g * (1 - top.a),
    b: top.b * top.a + below.b * (1 - top.a),
    a: 1,
  });
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) {
        layers.push(c);
        if (c.a >= 1) break;
      }
    }
    let bg = { r: 255, g: 255, b: 255, a: 1 };
    for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
    return bg;
  };
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const ratio = (a, b) => {
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const bad = [];
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const cs = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (cs.visibility === 'hidden' || cs.display === 'none' || box.width === 0 || box.height === 0) continue;
    if (el.closest('[aria-hidden="true"], .sr-only, .visually-hidden')) continue;
    let fg = parse(cs.color);
    if (!fg) continue;
    const bg = background(el);
    if (fg.a < 1) fg = over(fg, bg);
    const size = parseFloat(cs.fontSize);
    const bold = Number(cs.fontWeight) >= 700;
    const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    const r = ratio(fg, bg);
    if (r < need) bad.push({ text: el.textContent.trim().slice(0, 40), tag: el.tagName, fg: cs.color, bg, ratio: r.toFixed(2), need });
  }
  return bad;
}

async function check(page, what) {
  const bad = await page.evaluate(lowContrast);
  assert.deepEqual(bad, [], `${what}: text below WCAG AA contrast`);
}

test('every text on the main pages meets WCAG AA contrast, in English and Arabic', async () => {
  const page = await newPage(browser, srv.base);
  await page.goto('/');
  await page.locator('#login-user').waitFor();
  await check(page, 'sign-in');
  await login(page, 'youssef.manager', srv.users['youssef.manager']);
  await page.locator('.dash').waitFor();
  await check(page, 'dashboard');
  await page.goto('/cases');
  await page.locator('main a[href^="/cases/"]').first().waitFor();
  await check(page, 'case list');
  await page.locator('main a[href^="/cases/"]').first().click();
  await page.locator('main h1').waitFor();
  await page.waitForLoadState('networkidle');
  await check(page, 'case page');
  await page.getByRole('link', { name: 'Register a household' }).click();
  await page.locator('#f-members-0-person-name').waitFor();
  await page.locator('#f-members-0-person-date_of_birth').fill('1985-13-40');
  await page.getByRole('button', { name: 'Register', exact: true }).click();
  await page.locator('.alert[role=alert]').waitFor();
  await check(page, 'household form with errors');
  await page.goto('/');
  await page.locator('header select').first().selectOption('ar');
  await page.locator('html[dir=rtl]').waitFor();
  await page.locator('.dash').waitFor();
  await check(page, 'Arabic dashboard');
  assert.deepEqual(page.errors, []);
});
