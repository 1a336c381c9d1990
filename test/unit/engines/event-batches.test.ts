import { describe, expect, it } from 'vitest';
import { applyEvent } from '../../../src/domain/evolve.js';
import { Machine, initialRunState, vmInputs } from '../../../src/domain/state/machine.js';
import { stateHash } from '../../../src/domain/state/state-hash.js';
import { eventBatches, runBare, startRun } from '../../../src/engines/run.js';
import { assembleGuest, configFor, guestSteps, record } from '../../helpers/run.js';

// minios under trap-emulate runs 174,758 events: ten hand-overs of 2^14 and more, so batches are reused many times.
const config = configFor(assembleGuest('minios'), 'trap-emulate');

describe('eventBatches: a run iterated batch by batch, each batch reused once the next is asked for', () => {
  it('folds to the state the run reaches, event for event', () => {
    const m = new Machine(initialRunState(config), vmInputs(config));
    let next = 0;
    for (const batch of eventBatches(startRun(config))) {
      expect(batch.start).toBe(next);
      for (let i = 0; i < batch.length; i++) applyEvent(m, batch, i);
      next = batch.start + batch.length;
    }
    expect(next).toBeGreaterThan(10 * (1 << 14));
    expect(stateHash(m.seal())).toBe(stateHash(runBare(config)));
  });

  it('from event n on, the first batch holds n; cloned as they come, the batches show the guest the run’s steps', () => {
    const n = 100_003;
    const [first] = eventBatches(startRun(config), n);
    expect(first !== undefined && first.start <= n && n < first.start + first.length).toBe(true);
    const live = record(config);
    const iterated = { batches: Array.from(eventBatches(startRun(config)), (b) => b.clone()), state: live.state };
    expect(guestSteps(iterated, config)).toEqual(guestSteps(live, config));
  });
});
