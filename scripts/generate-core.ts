import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCore } from '../src/engines/cpu/generate.js';

/** `npm run generate`: writes the two variants of the CPU core from its template. */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = join(root, 'src', 'engines', 'cpu');
const template = readFileSync(join(dir, 'core.ts.template'), 'utf8');
for (const variant of ['evented', 'bare'] as const) {
  const path = join(dir, `core-${variant}.ts`);
  writeFileSync(path, generateCore(template, variant));
  console.log(`wrote ${path}`);
}
