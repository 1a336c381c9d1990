import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MODE_NAMES } from '../../src/engines/modes/registry.js';
import { evolve, evolveBatch } from '../../src/domain/evolve.js';
import { initialState } from '../../src/domain/state/machine.js';
import { stateHash } from '../../src/domain/state/state-hash.js';
import { assembleSource, configFor, record } from '../helpers/run.js';
import { SEED, program, programSource } from '../helpers/programs.js';

describe('event sourcing (DESIGN §7.4, §7.5)', () => {
  it('folding evolve over a run’s events gives the run’s final state hash, in every mode', () => {
    fc.assert(
      fc.property(program, fc.constantFrom(...MODE_NAMES), (steps, mode) => {
        const config = configFor(assembleSource(programSource(steps)), mode, 'virtualizable', 20_000);
        const run = record(config);
        const folded = run.batches.reduce(evolveBatch, initialState(config));
        expect(stateHash(folded)).toBe(stateHash(run.state));
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('evolve over typed events agrees with the columnar fold', () => {
    fc.assert(
      fc.property(program, (steps) => {
        const config = configFor(assembleSource(programSource(steps)), 'trap-emulate', 'classic', 5_000);
        const run = record(config);
        let state = initialState(config);
        for (const batch of run.batches) for (const event of batch) state = evolve(state, event);
        expect(stateHash(state)).toBe(stateHash(run.state));
      }),
      { seed: SEED, numRuns: 25 },
    );
  });

  it('the same config gives the same events, bit for bit', () => {
    fc.assert(
      fc.property(program, fc.constantFrom(...MODE_NAMES), (steps, mode) => {
        const config = configFor(assembleSource(programSource(steps)), mode, 'classic', 20_000);
        const [a, b] = [record(config), record(config)];
        expect(a.batches.length).toBe(b.batches.length);
        a.batches.forEach((batch, i) => {
          const other = b.batches[i]!;
          for (const column of ['type', 'a', 'b', 'c', 'd', 'cost'] as const) {
            expect(Buffer.from(batch[column].subarray(0, batch.length))).toEqual(Buffer.from(other[column].subarray(0, other.length)));
          }
          expect(Buffer.from(batch.effects.subarray(0, 3 * batch.effectCount))).toEqual(Buffer.from(other.effects.subarray(0, 3 * other.effectCount)));
        });
      }),
      { seed: SEED, numRuns: 40 },
    );
  });
});
