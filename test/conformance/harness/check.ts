import fc from 'fast-check';
import type { Cell } from '../modes.js';
import { cellName } from '../modes.js';
import { divergence, type Divergence } from './compare.js';
import { bodySource, type GuestProgram } from './program.js';

/** The seed of every conformance property: fixed, printed, overridable with FC_SEED to replay a failure. */
export const SEED = Number(process.env.FC_SEED ?? 20261124);
/** With FC_PATH (printed with a failure) too, fast-check replays that counterexample alone. */
const PATH = process.env.FC_PATH;

/**
 * Candidates tried after the first failure: shrinking stops there (deterministically, not
 * by time), leaving the smallest program found so far. Known failures shrink less: their
 * report is for information.
 */
export const SHRINK_BUDGET = 1_000;

export interface CellResult {
  readonly failed: boolean;
  readonly program?: GuestProgram;
  readonly divergence?: Divergence;
  readonly report: string; // seed, path, shrunk program and first differing step; or how many programs passed
}

/**
 * Checks that `cell.mode` shows the guest what native shows on `numRuns` programs of
 * `programs`. On a divergence the program is shrunk (within `shrinkBudget` candidates)
 * and the report holds its source and the first differing guest step.
 */
export function checkCell(label: string, programs: fc.Arbitrary<GuestProgram>, cell: Cell, numRuns: number, shrinkBudget: number = SHRINK_BUDGET): CellResult {
  let found: { program: GuestProgram; divergence: Divergence } | undefined;
  let afterFirst = 0;
  const property = fc.property(programs, (program) => {
    if (found !== undefined && ++afterFirst > shrinkBudget) return true;
    const d = divergence(program, cell.mode, cell.profile, cell.variant?.config);
    if (d !== undefined) found = { program, divergence: d };
    return d === undefined;
  });
  const result = fc.check(property, { seed: SEED, numRuns, ...(PATH === undefined ? {} : { path: PATH }) });
  const where = `${label} on ${cellName(cell)} (seed ${SEED})`;
  if (!result.failed || found === undefined) return { failed: false, report: `${where}: ${result.numRuns} programs, no divergence` };
  const report = [
    `${where}: divergence after ${result.numRuns} programs, shrunk in ${result.numShrinks} steps (replay: FC_SEED=${SEED} FC_PATH=${result.counterexamplePath ?? ''})`,
    bodySource(found.program),
    found.divergence.detail,
  ].join('\n');
  return { failed: true, program: found.program, divergence: found.divergence, report };
}
