import fc from 'fast-check';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunConfig } from '../../src/domain/config.js';
import type { EventBatch } from '../../src/domain/events/batch.js';
import { applyBatch, applyEvent } from '../../src/domain/evolve.js';
import { Machine, initialRunState } from '../../src/domain/state/machine.js';
import { stateHash } from '../../src/domain/state/state-hash.js';
import { MODES } from '../../src/engines/modes/registry.js';
import { runBare } from '../../src/engines/run.js';
import { TraceReader, withReader } from '../../src/replay/reader.js';
import { recordRun } from '../../src/replay/record.js';
import { replayTrace } from '../../src/replay/replay.js';
import { seek } from '../../src/replay/seek.js';
import { eventsFrom } from '../../src/replay/source.js';
import { SEED, program, programSource } from '../helpers/programs.js';
import { assembleSource, configFor, record } from '../helpers/run.js';

/** The modes with a hypervisor that run the unmodified programs generated here. */
const MODE_NAMES = MODES.filter((m) => m.hypervisor !== undefined && !m.modifiedGuest).map((m) => m.name);
const dir = mkdtempSync(join(tmpdir(), 'vlab-multivm-'));
let traces = 0;

function twoVms(a: Parameters<typeof programSource>[0], b: Parameters<typeof programSource>[0], mode: string, quantum: number): RunConfig {
  const first = configFor(assembleSource(programSource(a)), mode, 'classic', 5_000);
  const second = configFor(assembleSource(programSource(b)), mode, 'classic', 3_000);
  return { ...first, extraVms: [{ ...second, guest: 'second' }], quantum };
}

const columns = (batches: readonly EventBatch[]): number[][] =>
  batches.flatMap((b) => Array.from({ length: b.length }, (_, i) => [b.start + i, b.type[i]!, b.ctx[i]!, b.variant[i]!, b.a[i]!, b.b[i]!, b.c[i]!, b.d[i]!, b.e[i]!, b.cost[i]!, ...b.effects.subarray(3 * b.effectStart[i]!, 3 * b.effectStart[i + 1]!)]));

const runs = fc.tuple(program, program, fc.constantFrom(...MODE_NAMES), fc.integer({ min: 1, max: 300 }));

describe(`traces of several VMs (fast-check seed ${SEED})`, () => {
  it('folding evolve over the events gives the live state: schedule, shares and ends included; the bare core agrees', () => {
    fc.assert(
      fc.property(runs, ([a, b, mode, quantum]) => {
        const config = twoVms(a, b, mode, quantum);
        const live = record(config);
        const m = new Machine(initialRunState(config));
        for (const batch of live.batches) applyBatch(m, batch);
        expect(stateHash(m.seal())).toBe(stateHash(live.state));
        expect(stateHash(runBare(config))).toBe(stateHash(live.state));
      }),
      { seed: SEED, numRuns: 25 },
    );
  });

  it('record then replay (re-executed or folded) gives the live state, and the trace holds the live events', () => {
    fc.assert(
      fc.property(runs, fc.boolean(), ([a, b, mode, quantum], events) => {
        const config = twoVms(a, b, mode, quantum);
        const live = record(config);
        const path = join(dir, `t${++traces}.vtrace`);
        recordRun(config, path, { checkpointEvery: 64, events });
        expect(replayTrace(path).summary.stateHash).toBe(stateHash(live.state));
        expect(columns(withReader(path, (reader) => [...eventsFrom(reader, 0, undefined)].map((x) => x.clone())))).toEqual(columns(live.batches));
      }),
      { seed: SEED, numRuns: 15 },
    );
  });

  it('seeking anywhere (resuming the scheduler from a checkpoint) equals folding the prefix', () => {
    fc.assert(
      fc.property(runs, fc.boolean(), fc.double({ min: 0, max: 1, noNaN: true }), ([a, b, mode, quantum], events, where) => {
        const config = twoVms(a, b, mode, quantum);
        const live = record(config);
        const n = Math.floor(where * live.state.seq);
        const m = new Machine(initialRunState(config));
        for (const batch of live.batches) for (let i = 0; i < batch.length && m.seq < n; i++) applyEvent(m, batch, i);
        const path = join(dir, `t${++traces}.vtrace`);
        recordRun(config, path, { checkpointEvery: 64, events });
        const reader = new TraceReader(path);
        expect(stateHash(seek(reader, n).state)).toBe(stateHash(m.seal()));
        reader.close();
      }),
      { seed: SEED, numRuns: 20 },
    );
  });
});
