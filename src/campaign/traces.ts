import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunConfig } from '../domain/config.js';
import { VlabError } from '../domain/errors.js';
import { recordRun } from '../replay/record.js';
import { replayTrace } from '../replay/replay.js';
import { isStackTrace, type CaseResult } from './outcome.js';
import type { Prng } from './prng.js';

/** Two recordings of one guest (differing only in their budget) and a scratch directory. */
export interface TraceFixture {
  readonly dir: string;
  readonly golden: Uint8Array;
  readonly other: Uint8Array;
  readonly events: number;
  readonly stateHash: string;
  dispose(): void;
}

export function traceFixture(config: RunConfig): TraceFixture {
  const dir = mkdtempSync(join(tmpdir(), 'vlab-fuzz-'));
  recordRun(config, join(dir, 'a.vtrace'), { checkpointEvery: 64 });
  recordRun({ ...config, maxInsns: config.maxInsns + 1 }, join(dir, 'b.vtrace'), { checkpointEvery: 64 });
  const golden = new Uint8Array(readFileSync(join(dir, 'a.vtrace')));
  const s = replayTrace(join(dir, 'a.vtrace')).summary;
  return { dir, golden, other: new Uint8Array(readFileSync(join(dir, 'b.vtrace'))), events: s.events, stateHash: s.stateHash, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

function chunkStarts(bytes: Uint8Array): number[] {
  const starts: number[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 12; at + 13 <= bytes.length - 8; at += 13 + view.getUint32(at, true)) starts.push(at);
  return starts;
}

const DAMAGES = ['truncate', 'bit flip', 'splice', 'reorder', 'duplicate', 'version'] as const;

/** One damaged copy of the golden trace, and what was done to it. */
export function damage(r: Prng, f: TraceFixture): { what: string; bytes: Uint8Array } {
  const g = f.golden;
  const starts = chunkStarts(g);
  const chunk = (bytes: Uint8Array, k: number): Uint8Array => bytes.subarray(chunkStarts(bytes)[k], chunkStarts(bytes)[k + 1] ?? bytes.length - 8);
  const kind = r.pick(DAMAGES);
  const k = 1 + r.int(Math.max(1, starts.length - 1));
  switch (kind) {
    case 'truncate': {
      const at = r.int(g.length);
      return { what: `truncated at ${at}`, bytes: g.slice(0, at) };
    }
    case 'bit flip': {
      const b = g.slice();
      const at = r.int(b.length);
      b[at] = (b[at] as number) ^ (1 << r.int(8));
      return { what: `bit flipped at ${at}`, bytes: b };
    }
    case 'splice':
      return { what: `chunk ${k} from another recording`, bytes: Buffer.concat([g.subarray(0, starts[k]), chunk(f.other, k), g.subarray(starts[k + 1] ?? g.length - 8)]) };
    case 'reorder': {
      const j = Math.min(k + 1, starts.length - 1);
      return { what: `chunks ${k} and ${j} swapped`, bytes: Buffer.concat([g.subarray(0, starts[k]), chunk(g, j), chunk(g, k), g.subarray(starts[j + 1] ?? g.length - 8)]) };
    }
    case 'duplicate':
      return { what: `chunk ${k} duplicated`, bytes: Buffer.concat([g.subarray(0, starts[k]), chunk(g, k), g.subarray(starts[k])]) };
    case 'version': {
      const b = g.slice();
      b[8] = r.int(256);
      return { what: `version byte ${b[8]}`, bytes: b };
    }
  }
}

/**
 * Replays a damaged trace: a replay accepted with another result than the original's is a
 * wrong result; salvage must recover an intact prefix (never more events than recorded).
 */
export function checkTrace(f: TraceFixture, bytes: Uint8Array, name: string): CaseResult {
  const path = join(f.dir, name);
  writeFileSync(path, bytes);
  try {
    try {
      const replayed = replayTrace(path);
      const s = replayed.summary;
      if (s.events > f.events || (replayed.complete && (s.events !== f.events || s.stateHash !== f.stateHash))) {
        return { failure: 'wrong result', detail: `accepted with ${s.events} events, state ${s.stateHash}` };
      }
    } catch (e) {
      if (!(e instanceof VlabError)) throw e;
    }
    try {
      const salvaged = replayTrace(path, { salvage: true });
      if (salvaged.summary.events > f.events) return { failure: 'wrong result', detail: `salvaged ${salvaged.summary.events} events of ${f.events}` };
    } catch (e) {
      if (!(e instanceof VlabError)) throw e;
    }
    return {};
  } catch (e) {
    return isStackTrace(e) ? { failure: 'stack trace', detail: (e as Error).message.slice(0, 200) } : {};
  } finally {
    rmSync(path, { force: true });
  }
}
