import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyEvent } from '../../../src/domain/evolve.js';
import { Machine, initialState } from '../../../src/domain/state/machine.js';
import { stateHash } from '../../../src/domain/state/state-hash.js';
import { TraceReader } from '../../../src/replay/reader.js';
import { recordRun } from '../../../src/replay/record.js';
import { seek } from '../../../src/replay/seek.js';
import { assembleGuest, configFor, record } from '../../helpers/run.js';

// minios keeps data on its code pages, so a run resumed from a checkpoint must still see
// stores to code it translated before the checkpoint (the translation cache is in the state).
describe('binary translation resumed from a checkpoint', () => {
  it('seeking anywhere in an inputs-only minios trace equals folding the live events', () => {
    const config = configFor(assembleGuest('minios'), 'binary-translation', 'classic');
    const live = record(config);
    const path = join(mkdtempSync(join(tmpdir(), 'vlab-bt-resume-')), 'minios.vtrace');
    recordRun(config, path, { checkpointEvery: 4096, events: false });
    const reader = new TraceReader(path);
    const targets = Array.from({ length: 24 }, (_, i) => Math.floor(((i + 1) * live.state.seq) / 25));
    const m = new Machine(initialState(config));
    const wrong: number[] = [];
    for (const batch of live.batches) {
      for (let i = 0; i < batch.length; i++) {
        applyEvent(m, batch, i);
        if (m.seq === targets[0] && stateHash(seek(reader, targets.shift() as number).state) !== stateHash(m.seal())) wrong.push(m.seq);
      }
    }
    reader.close();
    expect(targets).toEqual([]);
    expect(wrong).toEqual([]);
  });
});
