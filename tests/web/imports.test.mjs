/*
 * imports.test.mjs — the import page in the browser (/imports, import.run):
 * the menu leads there; a file with a bad row is checked with the shipped
 * spreadsheet mapping (a dry run: nothing written) and its problems are
 * read by row; the KoboToolbox example is imported all or nothing and the
 * progress ends with its counts; the import appears in the office's list;
 * the page in French and Arabic. Screenshots of each step.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launch, newPage, login, shot, REPO } from './harness.mjs';

let srv, browser;
const REG = 'amina.registration';

before(async () => {
  srv = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

function badCsv(dir) {
  const src = fs.readFileSync(path.join(REPO, 'data', 'import', 'spreadsheet.csv'), 'utf8').split('\n');
  const rows = [src[0], src[1].replace(',ذكر,', ',x,'), src[4]];
  const p = path.join(dir, 'registrations.csv');
  fs.writeFileSync(p, rows.join('\n') + '\n');
  return p;
}

async function counts(page) {
  return page.evaluate(async () => {
    const r = await fetch('/api/v1/cases?limit=200', { credentials: 'same-origin' });
    const d = await r.json();
    return (d.items || []).length;
  });
}

test('check a file, read its problems, import the Kobo example, in three languages', async () => {
  const page = await newPage(browser, srv.base);
  await login(page, REG, srv.users[REG]);
  await page.getByRole('link', { name: 'Import' }).click();
  await page.getByRole('heading', { name: 'Import registrations' }).waitFor();
  const before = await counts(page);
  await page.locator('#imp-file').setInputFiles(badCsv(srv.dir));
  await shot(page, 'imports-form');
  await page.getByRole('button', { name: 'Check the file' }).click();
  await page.locator('.imp-status.imp-done').waitFor();
  await page.getByRole('heading', { name: 'Problems by row' }).waitFor();
  const rows = page.locator('.imp-problems tbody tr');
  assert.equal(await rows.count(), 1);
  const cells = await rows.first().locator('td').allInnerTexts();
  assert.deepEqual(cells.slice(0, 4), ['registrations', '2', 'sex', cells[3]]);
  assert.match(cells[4], /sex must be one of/);
  await shot(page, 'imports-dry-run-problems');
  assert.equal(await counts(page), before, 'a dry run writes nothing');
  const href = await page.getByRole('link', { name: 'Download the problems (CSV)' }).getAttribute('href');
  assert.match(href, /problems\?format=csv$/);

  await page.locator('#imp-file').setInputFiles(path.join(REPO, 'data', 'import', 'kobo-household.xlsx'));
  await page.locator('#imp-map').selectOption('kobo-household');
  await page.getByLabel('Import everything, or nothing if a row has a problem').check();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.locator('.imp-job h2', { hasText: 'kobo-household.xlsx' }).waitFor();
  await page.locator('.imp-status.imp-done').waitFor();
  const dl = await page.locator('.imp-counts').innerText();
  assert.match(dl, /Cases created\s*3/);
  assert.match(dl, /Persons created\s*8/);
  await page.getByText('No problem was found.').waitFor();
  await shot(page, 'imports-kobo-done');
  assert.equal(await counts(page), before + 3);
  await page.locator('.imp-list tbody tr').nth(1).waitFor();

  for (const [lang, heading] of [['fr', 'Importer des enregistrements'], ['ar', 'استيراد التسجيلات']]) {
    await page.locator('#lang-select').selectOption(lang);
    await page.locator(`html[lang=${lang}]`).waitFor();
    await page.getByRole('heading', { name: heading }).waitFor();
    await page.locator('.imp-list tbody tr').first().waitFor();
    await shot(page, 'imports-list-' + lang);
  }
  await page.close();
});
