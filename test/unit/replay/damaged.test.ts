import fc from 'fast-check';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VlabError } from '../../../src/domain/errors.js';
import { RunTally } from '../../../src/engines/tally.js';
import { LAYOUT } from '../../../src/replay/layout.js';
import { TraceWriter } from '../../../src/replay/writer.js';
import { recordRun } from '../../../src/replay/record.js';
import { replayTrace } from '../../../src/replay/replay.js';
import { SEED } from '../../helpers/programs.js';
import { assembleGuest, configFor } from '../../helpers/run.js';

const dir = mkdtempSync(join(tmpdir(), 'vlab-damaged-'));
const source = join(dir, 'hello.vtrace');
recordRun(configFor(assembleGuest('hello'), 'native'), source, { checkpointEvery: 32 });
const golden = new Uint8Array(readFileSync(source));
const complete = replayTrace(source).summary.events;
const headerEnd = 12 + 13 + new DataView(golden.buffer).getUint32(12, true); // a damaged header leaves nothing to salvage

function file(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

function errorOf(path: string, salvage = false): VlabError | undefined {
  try {
    replayTrace(path, { salvage });
    return undefined;
  } catch (e) {
    if (e instanceof VlabError) return e;
    throw e;
  }
}

describe('damaged traces: one clear error naming the chunk and offset', () => {
  it('an empty file, a missing file, a directory, a wrong magic, a newer or older version', () => {
    mkdirSync(join(dir, 'a-directory'), { recursive: true });
    const newer = golden.slice();
    newer[8] = 3;
    const older = golden.slice();
    older[8] = 1;
    const cases: [string, string][] = [
      [file('empty.vtrace', new Uint8Array()), 'empty file: not a vlab trace'],
      [join(dir, 'missing.vtrace'), 'no such trace file'],
      [join(dir, 'a-directory'), 'not a regular file, so not a trace file'],
      [file('magic.vtrace', Buffer.from('NOTATRACE-and-more-bytes')), 'not a vlab trace (bad magic) at byte 0'],
      [file('newer.vtrace', newer), 'trace format version 3, this vlab reads version 2: upgrade vlab'],
      [file('older.vtrace', older), 'trace format version 1, this vlab reads version 2: record it again with this vlab'],
    ];
    for (const [path, message] of cases) expect(errorOf(path)?.message).toBe(`${path}: ${message}`);
  });

  it('a trace whose events and state are laid out differently (an older vlab): refused in one line, never misread', () => {
    const path = join(dir, 'other-layout.vtrace');
    const writer = new TraceWriter(path, { config: configFor(assembleGuest('hello'), 'native'), vlabVersion: '0.0.1', layout: 'feedbeef', checkpointEvery: 32, events: false });
    writer.finish(new RunTally());
    const error = errorOf(path);
    expect(error?.code).toBe('E_TRACE_VERSION');
    expect(error?.message).toBe(`${path}: recorded by vlab 0.0.1 with events and state laid out as feedbeef, this vlab lays them out as ${LAYOUT}: record it again with this vlab`);
  });

  it('truncated anywhere (every byte around the header and the end, every fifth between): a typed error naming chunk and byte, and --salvage keeps the intact prefix', () => {
    let previous = 0;
    const cuts = Array.from({ length: golden.length - 20 }, (_, i) => i + 12).filter((cut) => cut < headerEnd + 64 || cut > golden.length - 256 || cut % 5 === 0);
    for (const cut of cuts) {
      const path = file('cut.vtrace', golden.subarray(0, cut));
      const error = errorOf(path);
      if (error === undefined) {
        expect(replayTrace(path).complete).toBe(false); // cut at a chunk boundary: a valid prefix
        continue;
      }
      expect(error.code).toBe('E_TRACE');
      expect(error.message).toMatch(/truncated: .* in chunk \d+ at byte \d+$/);
      if (cut < headerEnd) continue;
      const salvaged = replayTrace(path, { salvage: true });
      expect(salvaged.damage).toBeDefined();
      expect(salvaged.summary.events).toBeGreaterThanOrEqual(previous);
      previous = salvaged.summary.events;
    }
    expect(previous).toBe(complete);
  });

  it('a flipped bit anywhere: a typed error or, if the bit is in the footer, a full replay', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: golden.length - 1 }), fc.integer({ min: 0, max: 7 }), (at, bit) => {
        const damaged = golden.slice();
        damaged[at] = (damaged[at] as number) ^ (1 << bit);
        const path = file('flipped.vtrace', damaged);
        const error = errorOf(path);
        if (error === undefined) expect(at).toBeGreaterThanOrEqual(golden.length - 8);
        else {
          expect(['E_TRACE', 'E_TRACE_VERSION']).toContain(error.code);
          const salvaged = at < headerEnd ? undefined : replayTrace(path, { salvage: true });
          if (salvaged !== undefined) expect(salvaged.summary.events).toBeLessThanOrEqual(complete);
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});
