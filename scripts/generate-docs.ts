import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withExitTable } from '../src/cli/exit-codes.js';
import { modesDoc, readmeWithModes } from '../src/cli/modes-doc.js';
import { exampleCount, readmeWithExamples } from './readme-examples.js';

/** `npm run docs`: writes the parts of the docs that derive from the code: the modes (from the registry) and the README's example outputs. */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
process.chdir(root);
writeFileSync(join(root, 'docs', 'modes.md'), modesDoc());
const cliDoc = join(root, 'docs', 'cli.md');
writeFileSync(cliDoc, withExitTable(readFileSync(cliDoc, 'utf8')));
const readme = join(root, 'README.md');
const text = readmeWithModes(readFileSync(readme, 'utf8'));
writeFileSync(readme, await readmeWithExamples(text));
console.log(`wrote docs/modes.md, the exit statuses in docs/cli.md, the modes section of README.md and its ${exampleCount(text)} example outputs`);
