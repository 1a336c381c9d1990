import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { guestViewHash } from '../../src/domain/guest-view.js';
import { modeSpec } from '../../src/engines/modes/registry.js';
import { assembleSource, configFor, firstDifference, guestSteps, record } from '../helpers/run.js';
import { SEED, program, programSource } from '../helpers/programs.js';

const BUDGET = 20_000;

function differenceOf(steps: readonly string[], mode: 'emulate' | 'trap-emulate', profile: 'classic' | 'virtualizable'): string | undefined {
  const image = assembleSource(programSource(steps));
  const native = configFor(image, 'native', profile, BUDGET);
  const other = configFor(image, mode, profile, BUDGET);
  const a = record(native);
  const b = record(other);
  const i = firstDifference(guestSteps(a, native), guestSteps(b, other));
  if (i >= 0) return `guest step ${i} differs`;
  if (guestViewHash(a.state, modeSpec('native').projection) !== guestViewHash(b.state, modeSpec(mode).projection)) return 'final guest view differs';
  return undefined;
}

describe('equivalence with native (DESIGN §7.1, §7.6)', () => {
  console.log(`fast-check seed ${SEED} (set FC_SEED to replay)`);

  it('emulate ≡ native, instruction by instruction, on both profiles', () => {
    fc.assert(
      fc.property(program, fc.constantFrom('classic' as const, 'virtualizable' as const), (steps, profile) => {
        expect(differenceOf(steps, 'emulate', profile)).toBeUndefined();
      }),
      { seed: SEED, numRuns: 120 },
    );
  });

  it('trap-emulate ≡ native, instruction by instruction, on virtualizable', () => {
    fc.assert(
      fc.property(program, (steps) => {
        expect(differenceOf(steps, 'trap-emulate', 'virtualizable')).toBeUndefined();
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});
