/*
 * bench/first_load.mjs — measures what a browser transfers on the first
 * load of the web interface (no cache), as recorded in bench/RESULTS.md.
 *
 * It starts awda (build/awda, a fresh demo database, build/web), opens the
 * sign-in page in Debian's Chromium through playwright-core with an empty
 * cache, and sums the encoded (compressed, on the wire) body sizes of every
 * response of the HTML, JavaScript, CSS and translation files, which is
 * what the 150 KB budget counts (fonts excluded: the interface ships none).
 * It then signs in (as the administrator) and reports the bytes and the
 * number of the sign-in's and the dashboard's API requests separately,
 * since those are data, not the interface.
 *
 * Usage: make build/awda web && node bench/first_load.mjs
 */
import { startServer, launch } from '../tests/web/harness.mjs';

const srv = await startServer();
const browser = await launch();
try {
  const ctx = await browser.newContext({ baseURL: srv.base });
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const seen = new Map();
  cdp.on('Network.responseReceived', (e) => seen.set(e.requestId, { url: e.response.url, type: e.type }));
  const sizes = new Map();
  cdp.on('Network.loadingFinished', (e) => sizes.set(e.requestId, e.encodedDataLength));
  await page.goto('/', { waitUntil: 'networkidle' });
  await page.locator('#login-user').waitFor();
  let ui = 0;
  const rows = [];
  for (const [id, r] of seen) {
    if (new URL(r.url).pathname.startsWith('/api/')) continue;
    const n = sizes.get(id) || 0;
    ui += n;
    rows.push(`  ${String(n).padStart(7)}  ${new URL(r.url).pathname}`);
  }
  console.log('first load of the sign-in page (bytes on the wire, headers included):');
  console.log(rows.join('\n'));
  console.log(`  ${String(ui).padStart(7)}  total (${(ui / 1024).toFixed(1)} KiB)`);
  const before = new Set(seen.keys());
  await page.locator('#login-user').fill('admin');
  await page.locator('#login-pass').fill(srv.users.admin);
  await page.locator('form button[type=submit]').click();
  await page.locator('.dash').waitFor();
  await page.waitForLoadState('networkidle');
  let apiBytes = 0, apiCalls = 0;
  for (const [id, r] of seen) {
    if (before.has(id) || !new URL(r.url).pathname.startsWith('/api/')) continue;
    apiBytes += sizes.get(id) || 0;
    apiCalls++;
  }
  console.log(`then signing in and the dashboard's API answers: ${apiBytes} bytes (${(apiBytes / 1024).toFixed(1)} KiB) in ${apiCalls} requests`);
} finally {
  await browser.close();
  await srv.stop();
}
