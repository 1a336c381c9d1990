import { describe, it } from 'vitest';
import { FAMILIES } from './generators/families.js';
import { SHRINK_BUDGET, checkCell } from './harness/check.js';
import { bodySource } from './harness/program.js';
import { CELLS, cellName } from './modes.js';

/**
 * The signature of each known divergence class in a program's source. A failing cell
 * shows only the class its shrinking reaches first (mostly ring 1), so the hunt filters
 * out programs bearing a known signature to see what else a cell diverges on.
 */
export const SIGNATURES: Readonly<Record<string, RegExp>> = {
  'ring 1 runs as ring 0': /push 1\n\s+push (ring|in1)/,
  'int 14 taken for a page fault': /\bint 14\b/,
  'frames beyond RAM through paging': /call 0x3ffff[4c]\b|0x3ffff[d-f]\]|0x40[01][0-9a-f]{3}\b/,
  'VMM writes to page tables not synced': /mov sp, 0x11|s[ig]dt \[0x11|PDE 2 -> kernel stack/,
  'only the faulting word synced': /\[0x1[01][0-9a-f]*[26ae]\]/,
  'CR4.TSD not enforced': /\brdtsc\b/,
};

const hiding = (process.env.CONFORMANCE_HUNT ?? '').split(',').filter((name) => name !== '');

/**
 * Opt-in (`CONFORMANCE_HUNT=all`, or a comma-separated list of class names to hide): every
 * family against every `equal` cell with the hidden classes' programs filtered out,
 * printing what it finds. With every class hidden it should find nothing new.
 */
describe.runIf(hiding.length > 0)('conformance hunt: divergences beyond the known classes', () => {
  const hidden = Object.entries(SIGNATURES).filter(([name]) => hiding.includes('all') || hiding.includes(name)).map(([, re]) => re);
  for (const family of FAMILIES) {
    for (const cell of CELLS.filter((c) => c.expectation === 'equal')) {
      it(`${family.name} on ${cellName(cell)}`, () => {
        const programs = family.program.filter((p) => !hidden.some((re) => re.test(bodySource(p))));
        console.log(checkCell(family.name, programs, cell, 300, SHRINK_BUDGET.unexpected).report);
      });
    }
  }
});
