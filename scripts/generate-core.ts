import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CORE_VARIANTS, generateCore, variantName } from '../src/engines/cpu/generate.js';

/** `npm run generate`: writes the variants of the CPU core from its template. */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = join(root, 'src', 'engines', 'cpu');
const template = readFileSync(join(dir, 'core.ts.template'), 'utf8');
for (const variant of CORE_VARIANTS) {
  const path = join(dir, `${variantName(variant)}.ts`);
  writeFileSync(path, generateCore(template, variant));
  console.log(`wrote ${path}`);
}
