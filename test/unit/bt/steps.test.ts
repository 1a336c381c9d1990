import { describe, expect, it } from 'vitest';
import { translate } from '../../../src/domain/events/bt.js';
import { stateHash } from '../../../src/domain/state/state-hash.js';
import { startRun } from '../../../src/engines/run.js';
import { assembleSource, configFor, record } from '../../helpers/run.js';

// Code that stores into its own page: each store drops the page's translations, and the
// next step starts by translating the block it stands in. A recorded run is cut into
// steps by its batches' room, a re-executed one is not, so a step must end at the same
// event either way: the translation counts against the step's events. It did not, and
// `vlab replay` of a BT trace stopped one event past a checkpoint ("the run is at event
// n + 1") when the recording's step had been cut there by its batch.
const SELF_WRITING = `
        mov     r5, 6
loop:   st      [data], r5
        add     r1, r5
        sub     r5, 1
        jnz     loop
        mov     r0, 0
        out     0xf4, r0
data:   .word   0
`;

describe('binary translation cut into steps anywhere', () => {
  it('a run advanced one event at a time stops after each translation, and ends as a run straight through', () => {
    const config = configFor(assembleSource(SELF_WRITING), 'binary-translation', 'classic');
    const live = record(config);
    const types = live.batches.flatMap((b) => Array.from(b.type.subarray(0, b.length)));
    const run = startRun(config, { events: false });
    const overshot: number[] = [];
    for (let seq = 0; !run.runUntil(seq + 1); ) {
      const at = run.machine.seq;
      if (types[seq] === translate.code && at > seq + 1) overshot.push(seq);
      seq = at;
    }
    expect(types.filter((t) => t === translate.code).length).toBeGreaterThan(3);
    expect(overshot).toEqual([]);
    expect(stateHash(run.state())).toBe(stateHash(live.state));
  });
});
