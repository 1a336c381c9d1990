import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunConfig } from '../src/domain/config.js';
import { startRun } from '../src/engines/run.js';
import { EventTally } from '../src/engines/summary.js';
import { TraceReader } from '../src/replay/reader.js';
import { recordRun } from '../src/replay/record.js';
import { replayTrace } from '../src/replay/replay.js';
import { seek } from '../src/replay/seek.js';

export interface TraceFigures {
  recordOverhead: number;
  replaySpeedup: number;
  bytesPerInsn: number;
  seekMs: number;
  seekTraceEvents: number;
  recordPeakRssMb: number;
  replayPeakRssMb: number;
  recordPeakRssMbShort: number;
  replayPeakRssMbShort: number;
}

const dir = mkdtempSync(join(tmpdir(), 'vlab-bench-'));

function seconds(f: () => void, runs: number): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    f();
    best = Math.min(best, (performance.now() - start) / 1000);
  }
  return best;
}

function live(config: RunConfig): void {
  const tally = new EventTally();
  startRun(config).events$.subscribe((b) => tally.add(b));
}

function child(what: 'record' | 'replay', path: string, iterations: number): number {
  const script = fileURLToPath(new URL('./rss-child.js', import.meta.url));
  const out = execFileSync(process.execPath, [script, what, path, String(iterations)], { encoding: 'utf8' });
  return (JSON.parse(out) as { peakRssMb: number }).peakRssMb;
}

/** Seeks to pseudo-random events (a fixed LCG: the bench is repeatable) and averages. */
function seekMs(path: string, events: number): number {
  const reader = new TraceReader(path);
  let x = 12345;
  let total = 0;
  const tries = 10;
  for (let i = 0; i < tries; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const start = performance.now();
    seek(reader, x % events);
    total += performance.now() - start;
  }
  reader.close();
  return total / tries;
}

export function traceFigures(minios: RunConfig): TraceFigures {
  const path = join(dir, 'minios.vtrace');
  const unrecorded = seconds(() => live(minios), 10);
  const recording = seconds(() => recordRun(minios, path), 10);
  const replaying = seconds(() => replayTrace(path), 10);
  const insns = replayTrace(path).summary.guestInsns;
  const long = join(dir, 'long.vtrace');
  const short = join(dir, 'short.vtrace');
  const recordPeakRssMb = child('record', long, 1_430_000);
  const recordPeakRssMbShort = child('record', short, 143_000);
  const events = replayTrace(long).summary.events;
  return {
    recordOverhead: recording / unrecorded,
    replaySpeedup: unrecorded / replaying,
    bytesPerInsn: statSync(path).size / insns,
    seekMs: seekMs(long, events),
    seekTraceEvents: events,
    recordPeakRssMb,
    replayPeakRssMb: child('replay', long, 0),
    recordPeakRssMbShort,
    replayPeakRssMbShort: child('replay', short, 0),
  };
}
