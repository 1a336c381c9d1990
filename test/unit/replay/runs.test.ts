import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRuns, encodeRuns } from '../../../src/replay/runs.js';
import { SEED } from '../../helpers/programs.js';

const bytes = (length: number, set: [number, number][]): Uint8Array => {
  const b = new Uint8Array(length);
  for (const [at, v] of set) b[at] = v;
  return b;
};

describe('runs of non-zero words', () => {
  it('stores nothing for zeros, and each run as offset, length and bytes', () => {
    expect(encodeRuns(new Uint8Array(4096))).toEqual(new Uint8Array(0));
    const b = bytes(64, [[5, 0xaa], [6, 0xbb], [40, 1]]);
    expect([...encodeRuns(b)]).toEqual([4, 0, 0, 0, 4, 0, 0, 0, 0, 0xaa, 0xbb, 0, 40, 0, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0]);
  });

  it('keeps gaps of up to two zero words inside a run, and ends a run at a partial last word', () => {
    const b = bytes(19, [[0, 1], [12, 2], [18, 3]]);
    expect([...encodeRuns(b)]).toEqual([0, 0, 0, 0, 19, 0, 0, 0, ...b]);
  });

  it('decodes to the same bytes: pages, unaligned views, lengths not a multiple of 4', () => {
    const cases = [bytes(4096, [[0, 9], [4095, 7], [2000, 1]]), bytes(4096, []), bytes(7, [[6, 1]]), bytes(33, [[1, 5], [17, 6]]).subarray(1)];
    for (const b of cases) expect(decodeRuns(encodeRuns(b), b.length)).toEqual(b);
  });

  it('refuses a malformed encoding: a run past the end, out of order, unaligned, or cut short', () => {
    const run = (from: number, length: number): number[] => [from, 0, 0, 0, length, 0, 0, 0, ...new Array<number>(length).fill(1)];
    expect(decodeRuns(new Uint8Array(run(8, 4)), 8)).toBeUndefined();
    expect(decodeRuns(new Uint8Array([...run(8, 4), ...run(0, 4)]), 16)).toBeUndefined();
    expect(decodeRuns(new Uint8Array(run(2, 4)), 16)).toBeUndefined();
    expect(decodeRuns(new Uint8Array(run(0, 4).slice(0, 10)), 16)).toBeUndefined();
    expect(decodeRuns(new Uint8Array(run(0, 4)), 16)).toEqual(bytes(16, [[0, 1], [1, 1], [2, 1], [3, 1]]));
  });

  it('any bytes, mostly zeros: decoding gives them back, and no run starts or ends with a zero word', () => {
    const sparseBytes = fc.array(fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) }), { maxLength: 300 });
    fc.assert(
      fc.property(sparseBytes, fc.integer({ min: 0, max: 3 }), (values, skip) => {
        const b = new Uint8Array([0, 0, 0, ...values]).subarray(skip);
        const encoded = encodeRuns(b);
        expect(decodeRuns(encoded, b.length)).toEqual(b);
        const view = new DataView(encoded.buffer);
        for (let at = 0; at < encoded.length; at += 8 + view.getUint32(at + 4, true)) {
          const from = view.getUint32(at, true);
          const run = b.subarray(from, from + view.getUint32(at + 4, true));
          expect([run.subarray(0, 4).some((x) => x !== 0), run.subarray(Math.floor((run.length - 1) / 4) * 4).some((x) => x !== 0)]).toEqual([true, true]);
        }
      }),
      { seed: SEED },
    );
  });
});
