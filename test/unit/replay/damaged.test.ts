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
    newer[8] = 4;
    const older = golden.slice();
    older[8] = 2;
    const cases: [string, string][] = [
      [file('empty.vtrace', new Uint8Array()), 'empty file: not a vlab trace'],
      [join(dir, 'missing.vtrace'), 'no such trace file'],
      [join(dir, 'a-directory'), 'not a regular file, so not a trace file'],
      [file('magic.vtrace', Buffer.from('NOTATRACE-and-more-bytes')), 'not a vlab trace (bad magic) at byte 0'],
      [file('newer.vtrace', newer), 'trace format version 4, this vlab reads version 3: upgrade vlab'],
      [file('older.vtrace', older), 'trace format version 2, this vlab reads version 3: record it again with this vlab'],
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

describe('traces bound to one recording: chunks reordered, duplicated or spliced', () => {
  const other = join(dir, 'other.vtrace');
  recordRun(configFor(assembleGuest('hello'), 'native', 'classic', 999_999), other, { checkpointEvery: 32 });
  const otherBytes = new Uint8Array(readFileSync(other));
  const chunkStarts = (bytes: Uint8Array): number[] => {
    const starts: number[] = [];
    for (let at = 12; at + 13 <= bytes.length - 8; at += 13 + new DataView(bytes.buffer, bytes.byteOffset).getUint32(at, true)) starts.push(at);
    return starts;
  };
  const starts = chunkStarts(golden);
  const chunk = (bytes: Uint8Array, k: number): Uint8Array => bytes.slice(chunkStarts(bytes)[k], chunkStarts(bytes)[k + 1]);

  it('a chunk of another recording of the same guest is rejected where it starts', () => {
    const at = starts[2] as number;
    const spliced = Buffer.concat([golden.subarray(0, at), chunk(otherBytes, 2), golden.subarray(starts[3])]);
    expect(errorOf(file('spliced.vtrace', spliced))?.message).toMatch(new RegExp(`: a chunk of another recording \\(id 0x[0-9a-f]{8}, this trace is 0x[0-9a-f]{8}\\) in chunk 2 at byte ${at}$`));
  });

  it('a second header chunk is rejected where it starts', () => {
    const at = starts[1] as number;
    const spliced = Buffer.concat([golden.subarray(0, at), chunk(golden, 0), golden.subarray(at)]);
    expect(errorOf(file('two-headers.vtrace', spliced))?.message).toBe(`${join(dir, 'two-headers.vtrace')}: a second header chunk: spliced from another trace in chunk 1 at byte ${at}`);
  });

  it('a duplicated checkpoint is rejected where the copy starts; salvage keeps the prefix before it', () => {
    const k = starts.map((at, i) => (i < starts.length - 2 && ((golden[at + 4] as number) & 0x7f) === 4 ? i : -1)).reduce((a, b) => Math.max(a, b));
    const at = starts[k + 1] as number;
    const dup = Buffer.concat([golden.subarray(0, at), chunk(golden, k), golden.subarray(at)]);
    const path = file('duplicated.vtrace', dup);
    expect(errorOf(path)?.message).toMatch(new RegExp(`^${path}: out of order: a checkpoint after event \\d+ follows the one after event \\d+ in chunk ${k + 1} at byte ${at}$`));
    const salvaged = replayTrace(path, { salvage: true });
    expect(salvaged.damage?.code).toBe('E_TRACE');
    expect(salvaged.summary.events).toBeLessThanOrEqual(complete);
  });

  it('two chunks swapped are rejected', () => {
    const [a, b] = [starts.length - 4, starts.length - 3];
    const swapped = Buffer.concat([golden.subarray(0, starts[a]), chunk(golden, b), chunk(golden, a), golden.subarray(starts[b + 1])]);
    expect(errorOf(file('swapped.vtrace', swapped))?.code).toBe('E_TRACE');
  });
});
