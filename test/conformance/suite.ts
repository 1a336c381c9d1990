import { describe, it } from 'vitest';
import type { Family } from './generators/families.js';
import { SEED, checkCell } from './harness/check.js';
import { CELLS, cellName } from './modes.js';

/**
 * Programs per family, shared by its `equal` cells (at least 50 each): about 10 ms per
 * program and mode, so the suite stays well under a minute on one worker as modes are added.
 */
export const PROGRAMS_PER_FAMILY = 450;

const EQUAL_CELLS = CELLS.filter((c) => c.expectation === 'equal');
const programsPerCell = Math.max(50, Math.floor(PROGRAMS_PER_FAMILY / EQUAL_CELLS.length));

/**
 * One family of generated programs against every `equal` cell: each mode's guest view
 * must equal native's, instruction by instruction.
 */
export function describeFamily(family: Family, numRuns = programsPerCell): void {
  describe(`conformance: ${family.name} (${family.covers})`, () => {
    console.log(`conformance ${family.name}: fast-check seed ${SEED} (set FC_SEED to replay)`);
    for (const cell of EQUAL_CELLS) {
      it(`${cellName(cell)} ≡ native on ${numRuns} programs`, () => {
        const result = checkCell(family.name, family.program, cell, numRuns);
        if (result.failed) throw new Error(result.report);
      });
    }
  });
}
