import fc from 'fast-check';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Machine, initialState } from '../../src/domain/state/machine.js';
import { applyEvent } from '../../src/domain/evolve.js';
import { stateHash } from '../../src/domain/state/state-hash.js';
import { MODE_NAMES } from '../../src/engines/modes/registry.js';
import { diffRuns } from '../../src/replay/diff.js';
import { ChunkKind } from '../../src/replay/format.js';
import { TraceReader } from '../../src/replay/reader.js';
import { recordRun } from '../../src/replay/record.js';
import { replayTrace } from '../../src/replay/replay.js';
import { seek } from '../../src/replay/seek.js';
import { assembleSource, configFor, record } from '../helpers/run.js';
import { SEED, program, programSource } from '../helpers/programs.js';
import type { RunConfig } from '../../src/domain/config.js';
import type { EventBatch } from '../../src/domain/events/batch.js';

const dir = mkdtempSync(join(tmpdir(), 'vlab-trace-'));
let traces = 0;

function recorded(config: RunConfig): string {
  const path = join(dir, `t${++traces}.vtrace`);
  recordRun(config, path, { checkpointEvery: 64 });
  return path;
}

function traceBatches(path: string): EventBatch[] {
  const reader = new TraceReader(path);
  const batches = [...reader.chunks()].filter((c) => c.kind === ChunkKind.EVENTS).map((c) => reader.batchOf(c));
  reader.close();
  return batches;
}

describe('traces (issue 3, properties)', () => {
  it('record then replay gives the live final state hash and the identical event stream', () => {
    fc.assert(
      fc.property(program, fc.constantFrom(...MODE_NAMES), (steps, mode) => {
        const config = configFor(assembleSource(programSource(steps)), mode, 'classic', 5_000);
        const live = record(config);
        const path = recorded(config);
        expect(replayTrace(path).summary.stateHash).toBe(stateHash(live.state));
        const fromTrace = traceBatches(path);
        expect(fromTrace.map((b) => [b.start, b.length])).toEqual(live.batches.map((b) => [b.start, b.length]));
        fromTrace.forEach((b, i) => {
          const l = live.batches[i] as EventBatch;
          for (let e = 0; e < b.length; e++) expect(b.at(e)).toEqual(l.at(e));
        });
      }),
      { seed: SEED, numRuns: 30 },
    );
  });

  it('seeking to a random event equals folding the prefix', () => {
    fc.assert(
      fc.property(program, fc.constantFrom(...MODE_NAMES), fc.double({ min: 0, max: 1, noNaN: true }), (steps, mode, where) => {
        const config = configFor(assembleSource(programSource(steps)), mode, 'virtualizable', 5_000);
        const live = record(config);
        const n = Math.floor(where * live.state.seq);
        const m = new Machine(initialState(config));
        for (const batch of live.batches) for (let i = 0; i < batch.length && m.seq < n; i++) applyEvent(m, batch, i);
        const reader = new TraceReader(recorded(config));
        expect(stateHash(seek(reader, n).state)).toBe(stateHash(m.seal()));
        reader.close();
      }),
      { seed: SEED, numRuns: 30 },
    );
  });

  it('the diff of a trace with itself reports no divergence', () => {
    fc.assert(
      fc.property(program, fc.constantFrom(...MODE_NAMES), (steps, mode) => {
        const config = configFor(assembleSource(programSource(steps)), mode, 'classic', 5_000);
        const path = recorded(config);
        const side = (): { label: string; config: RunConfig; batches: EventBatch[] } => ({ label: path, config, batches: traceBatches(path) });
        expect(diffRuns(side(), side()).divergence).toBeUndefined();
      }),
      { seed: SEED, numRuns: 20 },
    );
  });

  it('native against trap-emulate on classic diverges first at the popf that should set IF', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('add r1, 3', 'mov r2, r1', 'st [0x8000], r1', 'nop', 'xor r3, r3'), { maxLength: 8 }), (before) => {
        const image = assembleSource(`mov sp, 0x9000\n${before.join('\n')}\nmov r4, 0x200\npush r4\nhere: popf\nnop\nhlt`);
        const [native, deprivileged] = [configFor(image, 'native', 'classic'), configFor(image, 'trap-emulate', 'classic')];
        const d = diffRuns(
          { label: 'native', config: native, batches: traceBatches(recorded(native)) },
          { label: 'trap-emulate', config: deprivileged, batches: traceBatches(recorded(deprivileged)) },
        ).divergence;
        expect(d?.step).toBe(before.length + 3);
        expect(d?.texts[0]).toContain(`0x${(image.symbols.here ?? 0).toString(16)}: popf`);
        expect(d?.difference).toContain('flags: 0x200 vs 0x0');
      }),
      { seed: SEED, numRuns: 20 },
    );
  });
});
