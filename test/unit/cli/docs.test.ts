import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { modesDoc, readmeWithModes } from '../../../src/cli/modes-doc.js';
import { MODES } from '../../../src/engines/modes/registry.js';
import { exampleCount, readmeWithExamples } from '../../../scripts/readme-examples.js';

describe('docs derived from the mode registry (npm run docs)', () => {
  it('docs/modes.md is current', () => {
    expect(readFileSync('docs/modes.md', 'utf8')).toBe(modesDoc());
  });

  it('the README’s table of modes is current and names every registered mode', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toBe(readmeWithModes(readme));
    for (const m of MODES) expect(readme).toContain(`| \`${m.name}\` |`);
  });

  it('every example output in the README is what its command prints today', async () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(exampleCount(readme)).toBeGreaterThanOrEqual(7);
    expect(await readmeWithExamples(readme)).toBe(readme);
  });
});
