/*
 * web/build.mjs — builds the web interface into build/web (run by `make web`).
 *
 * No bundler and no network: the library files come from node_modules
 * (installed by `npm ci` from the committed lock file) and the interface's
 * own scripts are plain files in web/src/js, concatenated in the order of
 * JS_FILES below into one classic script:
 *
 *   preact.umd.js + hooks.umd.js + htm.umd.js      (globals preact, preactHooks, htm)
 *   "use strict" IIFE around web/src/js/*.js       (one shared scope)
 *
 * Each output file is named after a hash of its content (app.<hash>.js,
 * app.<hash>.css, i18n/<lang>.<hash>.json) so the server can let browsers
 * keep it for a year; index.html, which names them, is served with
 * no-cache. The translation files' hashed names are put into the script
 * as the constant ASSETS. Every text file is also written compressed
 * (.br and .gz) for static.c to send when the browser accepts it.
 *
 * Usage: node web/build.mjs [outdir]   (default build/web)
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const OUT = path.resolve(ROOT, process.argv[2] || 'build/web');
const NM = path.join(ROOT, 'node_modules');

const VENDOR = [
  'preact/dist/preact.umd.js',
  'preact/hooks/dist/hooks.umd.js',
  'htm/dist/htm.umd.js',
];
const JS_FILES = [
  'countries.js', 'languages.js', 'core.js', 'form.js', 'login.js', 'dashboard.js', 'cases.js',
  'register.js', 'casepage.js', 'admin.js', 'account.js', 'sharing.js',
  'movements.js', 'movementboard.js', 'movementcare.js', 'movementpage.js', 'manifest.js',
  /* reintegration and money */
  'money.js', 'followup.js', 'reintegration.js', 'reintegrationreport.js',
  /* merge room: the review queue of possible duplicates */
  'duplicatereview.js',
  /* duplicate detection */
  'duplicates.js',
  /* imp */
  'imports.js',
  'main.js',
];
const LANGS = ['ar', 'fr', 'en'];

const hash = (buf) => createHash('sha256').update(buf).digest('hex').slice(0, 12);

function write(rel, data) {
  const file = path.join(OUT, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, data);
  if (/\.(html|js|css|json|svg)$/.test(rel)) {
    fs.writeFileSync(file + '.gz', zlib.gzipSync(data, { level: 9 }));
    fs.writeFileSync(file + '.br', zlib.brotliCompressSync(data, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 },
    }));
  }
}

function stripMapComment(src) {
  return src.replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n');
}

fs.rmSync(OUT, { recursive: true, force: true });
fs.mkdirSync(OUT, { recursive: true });

// Translations first: the script needs their names.
const assets = {};
for (const lang of LANGS) {
  const text = fs.readFileSync(path.join(HERE, 'i18n', lang + '.json'));
  JSON.parse(text); // fail the build on a broken file
  const rel = `i18n/${lang}.${hash(text)}.json`;
  write(rel, text);
  assets[lang] = '/' + rel;
}

let js = '';
for (const v of VENDOR) js += stripMapComment(fs.readFileSync(path.join(NM, v), 'utf8')) + ';\n';
js += '(function () {\n"use strict";\nvar ASSETS = ' + JSON.stringify(assets) + ';\n';
for (const f of JS_FILES) js += fs.readFileSync(path.join(HERE, 'src', 'js', f), 'utf8') + '\n';
js += '})();\n';
const jsName = `app.${hash(js)}.js`;
write(jsName, js);

const css = fs.readFileSync(path.join(HERE, 'src', 'app.css'));
const cssName = `app.${hash(css)}.css`;
write(cssName, css);

const icon = fs.readFileSync(path.join(HERE, 'src', 'icon.svg'));
const iconName = `icon.${hash(icon)}.svg`;
write(iconName, icon);

const html = fs.readFileSync(path.join(HERE, 'src', 'index.html'), 'utf8')
  .replaceAll('{{JS}}', '/' + jsName)
  .replaceAll('{{CSS}}', '/' + cssName)
  .replaceAll('{{ICON}}', '/' + iconName);
write('index.html', html);

console.log(`web: built ${path.relative(ROOT, OUT)} (${jsName}, ${cssName})`);
