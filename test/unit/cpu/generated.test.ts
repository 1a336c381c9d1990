import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateCore } from '../../../src/engines/cpu/generate.js';

describe('the CPU core variants', () => {
  const template = readFileSync('src/engines/cpu/core.ts.template', 'utf8');
  for (const variant of ['evented', 'bare'] as const) {
    it(`core-${variant}.ts is what npm run generate writes from the template`, () => {
      expect(readFileSync(`src/engines/cpu/core-${variant}.ts`, 'utf8')).toBe(generateCore(template, variant));
    });
  }

  it('the bare variant keeps no event lines', () => {
    const bare = generateCore(template, 'bare');
    expect(bare).not.toMatch(/\/\/ @(event|bare|template)$|\bout\.|\bF\[/m);
  });
});
