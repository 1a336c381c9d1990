import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CORE_VARIANTS, generateCore, variantName } from '../../../src/engines/cpu/generate.js';

describe('the CPU core variants', () => {
  const template = readFileSync('src/engines/cpu/core.ts.template', 'utf8');
  for (const variant of CORE_VARIANTS) {
    it(`${variantName(variant)}.ts is what npm run generate writes from the template`, () => {
      expect(readFileSync(`src/engines/cpu/${variantName(variant)}.ts`, 'utf8')).toBe(generateCore(template, variant));
    });
  }

  it('each variant keeps only its own lines: no events in the bare ones, no TLB model without paging, no TLB lookup in the flat ones', () => {
    for (const variant of CORE_VARIANTS) {
      const code = generateCore(template, variant);
      expect(code).not.toMatch(/\/\/ @[a-z]+/);
      expect(/\bF\[/.test(code)).toBe(variant.events);
      expect(/\bmtlb\b/.test(code)).toBe(variant.translation === 'tlb-model');
      expect(/\btlb\[/.test(code)).toBe(variant.translation !== 'flat');
      expect(/ < size\b/.test(code)).toBe(variant.translation === 'flat');
    }
  });
});
