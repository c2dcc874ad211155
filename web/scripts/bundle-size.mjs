// The JavaScript a first visit downloads before the first screen renders, gzipped: the entry chunk, the app
// shell it imports as soon as /config.json has answered (src/app/app.tsx), and every chunk those import
// statically (Vite's manifest). Screens are route chunks loaded on navigation and not counted here; the
// largest of them is printed too. Exits 1 above the budget, so a dependency that bloats the shell fails loudly.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 200;
const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist');
const manifest = JSON.parse(readFileSync(path.join(dist, '.vite/manifest.json'), 'utf8'));
const gz = (file) => gzipSync(readFileSync(path.join(dist, file))).length;
const kb = (bytes) => (bytes / 1024).toFixed(1);

const initial = new Set();
const visit = (key) => {
  const chunk = manifest[key];
  if (!chunk || initial.has(chunk.file)) return;
  initial.add(chunk.file);
  (chunk.imports ?? []).forEach(visit);
};
visit('index.html');
(manifest['index.html'].dynamicImports ?? []).forEach(visit); // the app shell, imported once config.json answered

let total = 0;
for (const file of initial) {
  const size = gz(file);
  total += size;
  console.log(`  ${file.padEnd(36)} ${kb(size).padStart(6)} KB gzip`);
}
// What each first screen adds on top (its route chunk and what that imports).
const screenExtra = (route) => {
  const seen = new Set();
  const walk = (key) => {
    const chunk = manifest[key];
    if (!chunk || seen.has(chunk.file) || initial.has(chunk.file)) return;
    seen.add(chunk.file);
    (chunk.imports ?? []).forEach(walk);
  };
  walk(route);
  return [...seen].reduce((sum, file) => sum + gz(file), 0);
};
for (const [label, route] of [['log in', 'src/app/routes/auth.tsx'], ['student home', 'src/app/routes/student-home.tsx'],
  ['practice', 'src/app/routes/practice.tsx'], ['tutor dashboard', 'src/app/routes/tutor-dashboard.tsx']]) {
  console.log(`  first screen ${label.padEnd(16)} + ${kb(screenExtra(route)).padStart(6)} KB = ${kb(total + screenExtra(route))} KB`);
}
const lazy = Object.values(manifest).filter((c) => c.file.endsWith('.js') && !initial.has(c.file))
  .map((c) => ({ file: c.file, size: gz(c.file) })).sort((a, b) => b.size - a.size);
console.log(`initial JavaScript: ${kb(total)} KB gzipped (budget ${BUDGET_KB} KB); ${lazy.length} route chunks, ` +
  `largest ${lazy[0]?.file} ${kb(lazy[0]?.size ?? 0)} KB (the charts, loaded with the screens that draw them)`);
if (total > BUDGET_KB * 1024) process.exit(1);
