import { describe, it } from 'vitest';
import type { Family } from './generators/families.js';
import { SEED, SHRINK_BUDGET, checkCell } from './harness/check.js';
import { knownFailure } from './known-failures.js';
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
 * must equal native's, instruction by instruction. A cell listed in KNOWN_FAILURES runs
 * as `it.fails`, printing the divergence it finds.
 */
export function describeFamily(family: Family, numRuns = programsPerCell): void {
  describe(`conformance: ${family.name} (${family.covers})`, () => {
    console.log(`conformance ${family.name}: fast-check seed ${SEED} (set FC_SEED to replay)`);
    for (const cell of EQUAL_CELLS) {
      const known = knownFailure(cell.mode, cell.profile, family.name);
      const name = `${cellName(cell)} ≡ native on ${numRuns} programs`;
      const check = (): void => {
        const result = checkCell(family.name, family.program, cell, numRuns, known === undefined ? SHRINK_BUDGET.unexpected : SHRINK_BUDGET.known);
        if (result.failed && known !== undefined) console.log(`known divergence (${known.classes.join(', ')}):\n${result.report}`);
        if (result.failed) throw new Error(result.report);
      };
      if (known === undefined) it(name, check);
      else it.fails(`${name} — fails today: ${known.classes.join(', ')}`, check);
    }
  });
}
