import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assemble, formatAsmError } from '../src/domain/asm/index.js';
import type { RunConfig } from '../src/domain/config.js';
import { DEFAULT_COST_PROFILE } from '../src/domain/cost/profile.js';
import type { Image } from '../src/domain/image/image.js';
import { runBare } from '../src/engines/bare.js';
import { startRun } from '../src/engines/run.js';
import { EventTally } from '../src/engines/summary.js';
import { traceFigures } from './trace.js';

/**
 * `npm run bench`: guest instructions per second with every event produced and consumed by
 * an RxJS subscriber, against the same core with no events at all (the runtime's speed
 * limit), measured in the same process. Best of several repetitions.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function image(path: string, defines: Record<string, number> = {}): Image {
  const file = join(root, path);
  const r = assemble(readFileSync(file, 'utf8'), {
    file,
    defines,
    readInclude: (p, from) => readFileSync(resolve(dirname(from), p), 'utf8'),
  });
  if (!r.ok) throw new Error(r.errors.map(formatAsmError).join('\n'));
  return r.image;
}

function config(img: Image): RunConfig {
  return {
    image: img, guest: 'bench', mode: 'native', profile: 'classic', seed: 0, maxInsns: 1e12, input: '',
    disk: new Uint8Array(32 * 1024), memoryBytes: 4 * 1024 * 1024, cpu: DEFAULT_COST_PROFILE, vlabVersion: 'bench',
  };
}

interface Measure {
  events: number;
  insns: number;
  seconds: number;
}

function withEvents(cfg: RunConfig): Measure {
  const start = performance.now();
  const run = startRun(cfg);
  const tally = new EventTally();
  run.events$.subscribe((batch) => tally.add(batch));
  const seconds = (performance.now() - start) / 1000;
  const state = run.state();
  return { events: state.seq, insns: state.retired, seconds };
}

function bare(cfg: RunConfig): Measure {
  const start = performance.now();
  const state = runBare(cfg);
  return { events: 0, insns: state.retired, seconds: (performance.now() - start) / 1000 };
}

function best(runs: number, measure: () => Measure): Measure {
  let fastest: Measure | undefined;
  for (let i = 0; i < runs; i++) {
    const m = measure();
    if (fastest === undefined || m.seconds < fastest.seconds) fastest = m;
  }
  return fastest as Measure;
}

export interface WorkloadFigures {
  eventsPerSec: number;
  insnsPerSec: number;
  bareInsnsPerSec: number;
  ratio: number;
}

function workload(cfg: RunConfig, repeat: number): WorkloadFigures {
  const evented = best(repeat, () => withEvents(cfg));
  const limit = best(repeat, () => bare(cfg));
  const insnsPerSec = evented.insns / evented.seconds;
  const bareInsnsPerSec = limit.insns / limit.seconds;
  return { eventsPerSec: evented.events / evented.seconds, insnsPerSec, bareInsnsPerSec, ratio: insnsPerSec / bareInsnsPerSec };
}

const M = (n: number): string => `${(n / 1e6).toFixed(1)} M/s`;

export function main(argv: readonly string[]): void {
  const minios = config(image('guests/minios.s'));
  const figures = {
    compute: workload(config(image('bench/guests/compute.s', { N: 1_000_000 })), 5),
    minios: workload(minios, 20),
    trace: traceFigures(minios),
  };
  if (argv.includes('--json')) {
    console.log(JSON.stringify(figures));
    return;
  }
  for (const name of ['compute', 'minios'] as const) {
    const f = figures[name];
    console.log(`${name.padEnd(8)} events ${M(f.eventsPerSec)}  guest insns ${M(f.insnsPerSec)}  bare loop ${M(f.bareInsnsPerSec)}  ratio ${(100 * f.ratio).toFixed(0)}%`);
  }
  const t = figures.trace;
  console.log(`trace    record overhead ${t.recordOverhead.toFixed(2)}x (target <= 1.5x)  replay speedup ${t.replaySpeedup.toFixed(2)}x (target >= 2x)  ${t.bytesPerInsn.toFixed(2)} bytes per guest insn (target <= 4)`);
  console.log(`trace    seek to a random event of a ${(t.seekTraceEvents / 1e6).toFixed(1)} M-event trace: ${t.seekMs.toFixed(1)} ms (target < 50 ms)`);
  console.log(`trace    peak RSS: record ${t.recordPeakRssMb.toFixed(0)} MB, replay ${t.replayPeakRssMb.toFixed(0)} MB (a 10x shorter trace: ${t.recordPeakRssMbShort.toFixed(0)} MB, ${t.replayPeakRssMbShort.toFixed(0)} MB)`);
}

main(process.argv.slice(2));
