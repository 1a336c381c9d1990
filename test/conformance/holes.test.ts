import { describe, expect, it } from 'vitest';
import { classicHoles } from './generators/families.js';
import { SEED, checkCell } from './harness/check.js';
import { CELLS, cellName } from './modes.js';

/**
 * Cells expected to diverge (Popek & Goldberg 1974: a mode that runs sensitive
 * unprivileged instructions natively does not virtualize the profile): the suite must
 * find the divergence on programs built of the holes, and shrink it to one hole.
 */
describe('conformance: cells expected to diverge', () => {
  console.log(`conformance classic holes: fast-check seed ${SEED} (set FC_SEED to replay)`);
  for (const cell of CELLS.filter((c) => c.expectation === 'diverges')) {
    it(`${cellName(cell)}: a divergence is found on programs using the holes`, () => {
      const result = checkCell(classicHoles.name, classicHoles.program, cell, 100);
      console.log(result.report);
      expect(result.failed, result.report).toBe(true);
      expect(result.program?.steps.length).toBe(1);
    });
  }
});
