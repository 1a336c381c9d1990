import { mkdtempSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunConfig } from '../src/domain/config.js';
import { stateHash } from '../src/domain/state/state-hash.js';
import { eventBatches, runBare, startRun } from '../src/engines/run.js';
import { runToSummary } from '../src/engines/summary.js';
import { diffRuns, type DiffSide } from '../src/replay/diff.js';
import { TraceReader } from '../src/replay/reader.js';
import { recordRun } from '../src/replay/record.js';
import { replayTrace } from '../src/replay/replay.js';
import { seek } from '../src/replay/seek.js';
import { measureReference } from './reference/measure.js';
import { compute, workload, type Workload } from './workloads.js';

/** One measurement of `npm run bench`, in its own process (bench/main.ts runs each): prints one JSON object. */

function best(repeat: number, f: () => void): number {
  let fastest = Infinity;
  for (let i = 0; i < repeat; i++) {
    const start = performance.now();
    f();
    fastest = Math.min(fastest, performance.now() - start);
  }
  return fastest / 1000;
}

function evented(config: RunConfig): { events: number; state: () => string } {
  const run = startRun(config);
  let events = 0;
  run.events$.subscribe((batch) => (events += batch.length));
  return { events, state: () => stateHash(run.state()) };
}

function speed(name: Workload, mode: string, variant: 'bare' | 'evented', repeat: number): object {
  const config = workload(name, mode);
  if (variant === 'bare') {
    const state = runBare(config);
    const seconds = best(repeat, () => runBare(config));
    return { insnsPerSec: (state.vms[0]?.retired ?? 0) / seconds, hash: stateHash(state) };
  }
  const first = evented(config);
  const seconds = best(repeat, () => evented(config));
  return { eventsPerSec: first.events / seconds, hash: first.state() };
}

const dir = mkdtempSync(join(tmpdir(), 'vlab-bench-'));

/** One way of running a workload, timed alone in this process (best of `repeat`). */
function timed(way: 'plain' | 'record' | 'live' | 'replay' | 'replay-parallel', name: Workload, repeat: number): object {
  const config = workload(name, 'native');
  const path = join(dir, `${name}.vtrace`);
  if (way === 'replay' || way === 'replay-parallel') recordRun(config, path);
  const run = { plain: () => runToSummary(config), record: () => recordRun(config, path), live: () => evented(config), replay: () => replayTrace(path), 'replay-parallel': () => replayTrace(path, { jobs: availableParallelism() }) }[way];
  const first = way === 'replay-parallel' ? best(1, run) : undefined; // this process's first: it starts the worker threads
  const seconds = best(repeat, run);
  const insns = runBare(config).vms[0]?.retired ?? 1;
  return { seconds, jobs: availableParallelism(), ...(first === undefined ? {} : { firstSeconds: first }), ...(way === 'record' ? { bytesPerInsn: statSync(path).size / insns } : {}) };
}

/**
 * A diff of a workload's native run against another mode's, both live, to the end (their
 * guest views are equal), against running both sides live with events; best of `repeat`, in turn.
 */
function diffOf(name: Workload, mode: string, repeat: number): object {
  const configs = [workload(name, 'native'), workload(name, mode)] as const;
  const side = (config: RunConfig): DiffSide => ({ label: config.mode, config, batches: eventBatches(startRun(config)) });
  let events = 0;
  const diff = (): void => {
    const r = diffRuns(side(configs[0]), side(configs[1]));
    if (r.divergence !== undefined) throw new Error(`bench: ${name} differs between native and ${mode}`);
    events = r.tallies.reduce((sum, t) => sum + t.counts.reduce((a, b) => a + b, 0), 0);
  };
  const live = (): void => configs.forEach((config) => evented(config));
  let [seconds, liveSeconds] = [Infinity, Infinity];
  for (let i = 0; i < repeat; i++) {
    seconds = Math.min(seconds, best(1, diff));
    liveSeconds = Math.min(liveSeconds, best(1, live));
  }
  return { seconds, liveSeconds, events };
}

/** Seeks to pseudo-random events (a fixed LCG, so the bench repeats) of a long trace, and averages. */
function seekMs(iterations: number): object {
  const path = join(dir, 'long.vtrace');
  const summary = recordRun(compute(iterations), path);
  const reader = new TraceReader(path);
  let x = 12345;
  let total = 0;
  const tries = 10;
  for (let i = 0; i < tries; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const start = performance.now();
    seek(reader, x % summary.events);
    total += performance.now() - start;
  }
  reader.close();
  return { seekMs: total / tries, events: summary.events };
}

function rss(what: 'record' | 'replay', iterations: number): object {
  const path = join(dir, `rss-${iterations}.vtrace`);
  if (what === 'record') recordRun(compute(iterations), path);
  else {
    recordRun(compute(iterations), path);
    const before = process.resourceUsage().maxRSS;
    replayTrace(path);
    return { peakRssMb: Math.max(before, process.resourceUsage().maxRSS) / 1024 };
  }
  return { peakRssMb: process.resourceUsage().maxRSS / 1024 };
}

const [what, ...args] = process.argv.slice(2);
const n = (i: number): number => Number(args[i]);
const result =
  what === 'speed' ? speed(args[0] as Workload, args[1] as string, args[2] as 'bare' | 'evented', n(3))
  : what === 'plain' || what === 'record' || what === 'live' || what === 'replay' || what === 'replay-parallel' ? timed(what, args[0] as Workload, n(1))
  : what === 'reference' ? measureReference(compute(2_000_000).image, args[0] as 'bare' | 'evented', n(1))
  : what === 'diff' ? diffOf(args[0] as Workload, args[1] as string, n(2))
  : what === 'seek' ? seekMs(n(0))
  : what === 'rss' ? rss(args[0] as 'record' | 'replay', n(1))
  : undefined;
if (result === undefined) throw new Error(`bench child: unknown measurement ${what ?? ''}`);
console.log(JSON.stringify(result));
