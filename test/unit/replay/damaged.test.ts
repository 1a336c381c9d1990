import fc from 'fast-check';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VlabError } from '../../../src/domain/errors.js';
import { replayTrace } from '../../../src/replay/replay.js';
import { SEED } from '../../helpers/programs.js';

const dir = mkdtempSync(join(tmpdir(), 'vlab-damaged-'));
const golden = new Uint8Array(readFileSync('traces/hello-native.vtrace'));
const complete = replayTrace('traces/hello-native.vtrace').summary.events;
const headerEnd = 12 + 9 + new DataView(golden.buffer).getUint32(12, true); // a damaged header leaves nothing to salvage

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
  it('an empty file, a missing file, a directory, a wrong magic, a newer version', () => {
    mkdirSync(join(dir, 'a-directory'), { recursive: true });
    const newer = golden.slice();
    newer[8] = 2;
    const cases: [string, string][] = [
      [file('empty.vtrace', new Uint8Array()), 'empty file: not a vlab trace'],
      [join(dir, 'missing.vtrace'), 'no such trace file'],
      [join(dir, 'a-directory'), 'is a directory, not a trace file'],
      [file('magic.vtrace', Buffer.from('NOTATRACE-and-more-bytes')), 'not a vlab trace (bad magic) at byte 0'],
      [file('newer.vtrace', newer), 'trace format version 2 is newer than this vlab reads (1): upgrade vlab'],
    ];
    for (const [path, message] of cases) expect(errorOf(path)?.message).toBe(`${path}: ${message}`);
  });

  it('truncated at every byte: a typed error naming chunk and byte, and --salvage keeps the intact prefix', () => {
    let previous = 0;
    for (let cut = 12; cut < golden.length - 8; cut++) {
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
