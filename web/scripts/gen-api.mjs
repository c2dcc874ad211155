// Types of every service's API, generated from docs/api/<service>.json (written by `make openapi` from the
// services' own routes). Run before every type check and build, so a route change that breaks the SPA fails tsc.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const here = path.dirname(fileURLToPath(import.meta.url));
const docs = path.resolve(here, '../../docs/api');
const out = path.resolve(here, '../src/lib/api/generated');
await mkdir(out, { recursive: true });
for (const file of (await readdir(docs)).filter((f) => f.endsWith('.json')).sort()) {
  const schema = JSON.parse(await readFile(path.join(docs, file), 'utf8'));
  const ast = await openapiTS(schema, { alphabetize: true, defaultNonNullable: false });
  const banner = `// Generated from docs/api/${file} by web/scripts/gen-api.mjs. Do not edit.\n`;
  await writeFile(path.join(out, file.replace(/\.json$/, '.ts')), banner + astToString(ast));
}
