/*
 * tests/web/harness.mjs — what the browser tests share.
 *
 *   startServer()  a real awda server ($AWDA_BIN, default build/awda) on a
 *                  free loopback port with a fresh database in a temporary
 *                  directory: `awda init` (its "user:"/"password:" lines
 *                  give the administrator), `awda demo` (its lines give
 *                  every demo user's password), then `awda serve
 *                  --web-root build/web`; waits for /healthz. stop() ends
 *                  it with SIGTERM and removes the directory.
 *                  startServer({env}) adds settings (AWDA_*) to the server.
 *   launch()       Debian's Chromium through playwright-core, with the
 *                  flags of DESIGN.md ("Testing"), so it never tries to
 *                  reach the internet, and a fresh profile per launch.
 *   login()        signs a user in through the sign-in form.
 *   apiAs()        a small API client with a bearer token, for setting up
 *                  data the test is not about (extra users).
 *   shot()         saves a screenshot into build/screenshots/.
 *   unfoldRecords() opens every folded group of records on a case page
 *                  (they start folded, one line each).
 *   totp()         the one-time code of a base32 secret (RFC 6238: HMAC-SHA-1,
 *                  6 digits, 30-second steps), as an authenticator app shows.
 *
 * The interface must have been built (make web) into build/web.
 */
import { spawn, execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHOTS = path.join(REPO, 'build', 'screenshots');
const BIN = path.resolve(REPO, process.env.AWDA_BIN || 'build/awda');
const WEB = path.join(REPO, 'build', 'web');

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/* "user: NAME ... password: SECRET" lines → {NAME: SECRET}. */
function parseUsers(text) {
  const users = {};
  let pending = null;
  for (const line of text.split('\n')) {
    const u = /^user:\s+(\S+)/.exec(line);
    const p = /password:\s+(\S+)/.exec(line);
    if (u && p) users[u[1]] = p[1];
    else if (u) pending = u[1];
    else if (p && pending) { users[pending] = p[1]; pending = null; }
  }
  return users;
}

export async function startServer(settings = {}) {
  if (!fs.existsSync(path.join(WEB, 'index.html'))) throw new Error('build/web is missing: run make web');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'awda-web-'));
  const db = path.join(dir, 'awda.db');
  const env = { ...process.env, AWDA_LOG_LEVEL: 'warn', ...(settings.env || {}) };
  const opts = { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] };
  const init = execFileSync(BIN, ['init', '--db', db], opts);
  const demo = execFileSync(BIN, ['demo', '--db', db], opts);
  const users = { ...parseUsers(demo), ...parseUsers(init) };
  const port = await freePort();
  const log = fs.openSync(path.join(dir, 'serve.log'), 'w');
  const proc = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--web-root', WEB],
    { env, stdio: ['ignore', log, log] });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      const r = await fetch(base + '/healthz');
      if (r.ok) break;
    } catch (e) { /* not yet listening */ }
    if (i > 200 || proc.exitCode !== null) throw new Error('awda did not start: ' + fs.readFileSync(path.join(dir, 'serve.log'), 'utf8'));
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    base, users, dir,
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => (proc.exitCode !== null ? r() : proc.once('exit', r)));
      const out = fs.readFileSync(path.join(dir, 'serve.log'), 'utf8');
      fs.rmSync(dir, { recursive: true, force: true });
      if (/ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:/.test(out)) throw new Error('sanitizer report:\n' + out);
    },
  };
}

/* playwright-core refuses a --user-data-dir argument: it gives every
 * launch a fresh temporary profile of its own (removed on close). */
export async function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
}

/* A new page that fails the test on any console error or CSP violation. */
export async function newPage(browser, base, opts = {}) {
  const ctx = await browser.newContext({ baseURL: base, viewport: opts.viewport || { width: 1366, height: 768 }, locale: opts.locale || 'en-GB' });
  const page = await ctx.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error' && !/the server responded with a status of 4\d\d/.test(m.text())) page.errors.push(m.text()); });
  return page;
}

export async function login(page, user, password) {
  await page.goto('/');
  await page.locator('#login-user').fill(user);
  await page.locator('#login-pass').fill(password);
  await page.locator('form button[type=submit]').click();
  await page.locator('header.top').waitFor();
}

export async function apiAs(base, user, password) {
  const r = await fetch(base + '/api/v1/session', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: user, password }),
  });
  const { token } = await r.json();
  return async (method, p, body) => {
    const res = await fetch(base + '/api/v1' + p, {
      method, headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, data: text ? JSON.parse(text) : null };
  };
}

export async function unfoldRecords(page) {
  await page.locator('section.records details.fold').first().waitFor({ state: 'attached' });
  await page.evaluate(() => document.querySelectorAll('section.records details.fold:not([open])')
    .forEach((d) => { d.open = true; }));
}

export async function shot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, name + '.png'), fullPage: true });
}

/* RFC 4648 base32 → bytes (upper case, no padding needed). */
function base32(s) {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0, acc = 0;
  const out = [];
  for (const ch of s.replace(/[\s=]/g, '').toUpperCase()) {
    const v = abc.indexOf(ch);
    if (v < 0) throw new Error('not base32: ' + ch);
    acc = (acc << 5) | v;
    bits += 5;
    if (bits >= 8) { out.push((acc >>> (bits - 8)) & 0xff); bits -= 8; }
  }
  return Buffer.from(out);
}

/* The TOTP code of `secret` for the step `offset` steps from now. */
export function totp(secret, offset = 0, now = Date.now()) {
  const counter = Math.floor(now / 1000 / 30) + offset;
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', base32(secret)).update(msg).digest();
  const o = mac[mac.length - 1] & 0x0f;
  const n = (mac.readUInt32BE(o) & 0x7fffffff) % 1000000;
  return String(n).padStart(6, '0');
}
