import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MODES } from '../../src/engines/modes/registry.js';

/** The modes that run the unmodified programs generated here. */
const MODE_NAMES = MODES.filter((m) => !m.modifiedGuest).map((m) => m.name);
import { evolve, evolveBatch } from '../../src/domain/evolve.js';
import { initialState } from '../../src/domain/state/machine.js';
import { stateHash } from '../../src/domain/state/state-hash.js';
import { assembleSource, configFor, record } from '../helpers/run.js';
import { SEED, program, programSource } from '../helpers/programs.js';
import { COST_KEY_INDEX } from '../../src/domain/cost/keys.js';
import type { RunConfig } from '../../src/domain/config.js';
import { runToSummary } from '../../src/engines/summary.js';
import { livePageTables } from '../conformance/generators/families.js';
import { imageOf, type GuestProgram } from '../conformance/harness/program.js';

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

describe('the cost-only TLB model (DESIGN §6)', () => {
  const pagingConfig = (program: GuestProgram, mode: string, tlbModel?: boolean): RunConfig => ({ ...configFor(imageOf(program), mode, 'virtualizable', 20_000), ...(tlbModel === undefined ? {} : { tlbModel }) });

  it('folding a paging program’s events (their walk references included) gives the run’s state, in every mode', () => {
    fc.assert(
      fc.property(livePageTables.program, fc.constantFrom(...MODE_NAMES), (program, mode) => {
        const config = pagingConfig(program, mode);
        const run = record(config);
        const folded = run.batches.reduce(evolveBatch, initialState(config));
        expect(folded.ledger[COST_KEY_INDEX.walk]).toBeGreaterThan(0);
        expect(stateHash(folded)).toBe(stateHash(run.state));
      }),
      { seed: SEED, numRuns: 30 },
    );
  });

  it('changes cycles, never what the guest sees: the guest view is equal with the model on and off', () => {
    fc.assert(
      fc.property(livePageTables.program, fc.constantFrom(...MODE_NAMES), (program, mode) => {
        const on = runToSummary(pagingConfig(program, mode));
        const off = runToSummary(pagingConfig(program, mode, false));
        expect(on.guestViewHash).toBe(off.guestViewHash);
        expect(on.events).toBe(off.events);
        expect(on.cycles).toBeGreaterThan(off.cycles);
      }),
      { seed: SEED, numRuns: 30 },
    );
  });
});
