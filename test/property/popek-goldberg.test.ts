import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assembleSource, configFor, firstDifference, guestSteps, record } from '../helpers/run.js';
import { SEED, program, programSource } from '../helpers/programs.js';

function trapEmulateDiverges(steps: readonly string[]): boolean {
  const image = assembleSource(programSource(steps));
  const native = configFor(image, 'native', 'classic', 20_000);
  const deprivileged = configFor(image, 'trap-emulate', 'classic', 20_000);
  return firstDifference(guestSteps(record(native), native), guestSteps(record(deprivileged), deprivileged)) >= 0;
}

describe('Popek & Goldberg on the classic profile (DESIGN §7.6)', () => {
  it('fast-check finds a short program where trap-emulate is not equivalent to native', () => {
    const result = fc.check(fc.property(program, (steps) => !trapEmulateDiverges(steps)), { seed: SEED, numRuns: 300 });
    expect(result.failed).toBe(true);
    const counterexample = (result.counterexample?.[0] ?? []) as string[];
    console.log(`classic counterexample (seed ${SEED}, shrunk in ${result.numShrinks} steps):\n${counterexample.join('\n')}`);
    expect(counterexample.length).toBeGreaterThan(0);
    expect(counterexample.length).toBeLessThanOrEqual(2);
    expect(trapEmulateDiverges(counterexample)).toBe(true);
  });
});
