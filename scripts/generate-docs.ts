import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { modesDoc, readmeWithModes } from '../src/cli/modes-doc.js';

/** `npm run docs`: writes the parts of the docs that derive from the code (the modes, from the registry). */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
writeFileSync(join(root, 'docs', 'modes.md'), modesDoc());
const readme = join(root, 'README.md');
writeFileSync(readme, readmeWithModes(readFileSync(readme, 'utf8')));
console.log('wrote docs/modes.md and the modes section of README.md');
