import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunConfig } from '../../src/domain/config.js';
import { applyEvent } from '../../src/domain/evolve.js';
import { guestViewHash } from '../../src/domain/guest-view.js';
import { Machine, initialState } from '../../src/domain/state/machine.js';
import { stateHash } from '../../src/domain/state/state-hash.js';
import { modeSpec } from '../../src/engines/modes/registry.js';
import { TraceReader } from '../../src/replay/reader.js';
import { recordRun } from '../../src/replay/record.js';
import { replayTrace } from '../../src/replay/replay.js';
import { seek } from '../../src/replay/seek.js';
import { assembleSource, configFor, firstDifference, guestSteps, record } from '../helpers/run.js';
import { CELLS, cellName } from './modes.js';

/**
 * Hand-written guests (test/conformance/programs/*.s) in styles the generators do not reach: code
 * rewritten at every distance, jump tables, stacks across page boundaries, interrupts
 * around cli/sti/popf/hlt, faults in fault handlers, the kernel reading its own tables.
 * Each must run in every `equal` cell as on native, step by step, under two CPU profiles;
 * its traces must replay and seek to the live states; beside a neighbour VM it must
 * still see what it saw alone.
 */
const DIR = resolve('test/conformance/programs');
const PROGRAMS = readdirSync(DIR).filter((f) => f.endsWith('.s')).sort();
const CPUS = ['p4-prescott-2005', 'skylake-2015'];
const MAX_INSNS = 200_000;
const dir = mkdtempSync(join(tmpdir(), 'vlab-programs-'));
let traces = 0;

const configOf = (file: string, mode: string, isa: RunConfig['isa'], cpu: string, vmcs?: string): RunConfig => {
  const path = join(DIR, file);
  const config = { ...configFor(assembleSource(readFileSync(path, 'utf8'), path), mode, isa, MAX_INSNS), cpu, guest: `test/conformance/programs/${file}` };
  return vmcs === undefined ? config : { ...config, vmcs };
};

describe.each(PROGRAMS)('hand-written guest %s', (file) => {
  for (const cell of CELLS.filter((c) => c.expectation === 'equal')) {
    it(`${cellName(cell)} ≡ native, step by step, on ${CPUS.length} CPUs`, () => {
      for (const cpu of CPUS) {
        const native = configOf(file, 'native', cell.profile, cpu);
        const mode = configOf(file, cell.mode, cell.profile, cpu, cell.variant?.config.vmcs);
        const [a, b] = [record(native), record(mode)];
        const [sa, sb] = [guestSteps(a, native), guestSteps(b, mode)];
        const at = firstDifference(sa, sb);
        expect(at, `${file} on ${cellName(cell)} (${cpu}): first differing guest step`).toBe(-1);
        expect(guestViewHash(b.state, modeSpec(cell.mode).projection)).toBe(guestViewHash(a.state, modeSpec('native').projection));
      }
    });
  }

  it('records, replays and seeks to the live state in every mode', () => {
    for (const cell of CELLS.filter((c) => c.expectation === 'equal' && c.profile === 'classic')) {
      const config = configOf(file, cell.mode, 'virtualizable', 'p4-prescott-2005', cell.variant?.config.vmcs);
      const live = record(config);
      for (const events of [false, true]) {
        const path = join(dir, `t${++traces}.vtrace`);
        recordRun(config, path, { checkpointEvery: 257, events });
        expect(replayTrace(path).summary.stateHash, `${cellName(cell)} replay`).toBe(stateHash(live.state));
        const reader = new TraceReader(path);
        const m = new Machine(initialState(config));
        const points = [1, 2, 3, 5, 8, 13].map((k) => Math.floor((k * live.state.seq) / 14));
        let batch = 0;
        let i = 0;
        for (const n of points) {
          for (; batch < live.batches.length && m.seq < n; ) {
            const b = live.batches[batch]!;
            if (i >= b.length) {
              batch++;
              i = 0;
              continue;
            }
            applyEvent(m, b, i++);
          }
          expect(stateHash(seek(reader, n).state), `${cellName(cell)} seek ${n} (${events ? 'events' : 'inputs'})`).toBe(stateHash(m.seal()));
        }
        reader.close();
      }
    }
  });
});
