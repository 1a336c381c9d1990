import { execFileSync } from 'node:child_process';
import { COMPUTE_LONG_N, MINIOS_LONG_A_STEPS } from './workloads.js';
import { DEFAULT_CHECKPOINT_EVERY } from '../src/replay/format.js';
import { fileURLToPath } from 'node:url';

/**
 * `npm run bench`: every figure from its own child processes (bench/child.ts), so no
 * measurement inherits another's compiled code or heap. Speeds and times are the best of
 * several runs in each of PROCESSES processes, and the measurements a ratio sets against
 * each other take turns (this machine is shared: its speed moves by up to 1.6x from one
 * minute to the next); a bare figure counts only where the bare run reaches the evented
 * run's final state.
 */
const PROCESSES = 5;

function once(args: readonly (string | number)[]): Record<string, number | string> {
  const child = fileURLToPath(new URL('./child.js', import.meta.url));
  return JSON.parse(execFileSync(process.execPath, [child, ...args.map(String)], { encoding: 'utf8', maxBuffer: 1 << 24 })) as Record<string, number | string>;
}

const BETTER: Readonly<Record<string, 'higher' | 'lower'>> = { insnsPerSec: 'higher', eventsPerSec: 'higher', seconds: 'lower', firstSeconds: 'lower', liveSeconds: 'lower', seekMs: 'lower' };

function bestOf(runs: readonly Record<string, number | string>[]): Record<string, number | string> {
  const best = { ...runs[0] };
  for (const [key, better] of Object.entries(BETTER)) {
    const values = runs.map((r) => r[key]).filter((v): v is number => typeof v === 'number');
    if (values.length > 0) best[key] = better === 'higher' ? Math.max(...values) : Math.min(...values);
  }
  return best;
}

/**
 * The best figures of PROCESSES processes for each measurement, each figure on its own (the
 * others as the first process gave them). The measurements take turns, process by process,
 * so figures set against each other (a ratio) meet the same moments of a shared machine's load.
 */
function measureInTurn(...measurements: (string | number)[][]): Record<string, number | string>[] {
  const runs = measurements.map((): Record<string, number | string>[] => []);
  for (let p = 0; p < PROCESSES; p++) measurements.forEach((args, i) => runs[i]?.push(once(args)));
  return runs.map(bestOf);
}

const measure = (...args: (string | number)[]): Record<string, number | string> => measureInTurn(args)[0] as Record<string, number | string>;

interface SpeedFigures {
  bareInsnsPerSec: number;
  eventsPerSec: number;
  sameFinalState: boolean;
}

function figuresOf(bare: Record<string, number | string>, evented: Record<string, number | string>): SpeedFigures {
  const same = bare.hash === evented.hash;
  return { bareInsnsPerSec: same ? (bare.insnsPerSec as number) : NaN, eventsPerSec: evented.eventsPerSec as number, sameFinalState: same };
}

function speeds(workload: string, mode: string, repeat: number): SpeedFigures {
  const [bare, evented] = measureInTurn(['speed', workload, mode, 'bare', repeat], ['speed', workload, mode, 'evented', repeat]);
  return figuresOf(bare as Record<string, number | string>, evented as Record<string, number | string>);
}

/** compute and the reference interpreter, in turn. */
function computeAndReference(): { compute: SpeedFigures; reference: { bareInsnsPerSec: number; eventsPerSec: number } } {
  const [bare, evented, referenceBare, referenceEvented] = measureInTurn(['speed', 'compute', 'native', 'bare', 10], ['speed', 'compute', 'native', 'evented', 10], ['reference', 'bare', 10], ['reference', 'evented', 10]);
  return {
    compute: figuresOf(bare as Record<string, number | string>, evented as Record<string, number | string>),
    reference: { bareInsnsPerSec: referenceBare?.insnsPerSec as number, eventsPerSec: referenceEvented?.eventsPerSec as number },
  };
}

/** Recording and replay against a plain run and a live evented run of the same workload, each in its own process, in turn. */
function traces(workload: string, repeat: number): { recordOverhead: number; replaySpeedup: number; replaySpeedupParallel: number; replaySpeedupParallelFirst: number; jobs: number; bytesPerInsn: number } {
  const [plain, record, live, replay] = measureInTurn(['plain', workload, repeat], ['record', workload, repeat], ['live', workload, repeat], ['replay', workload, repeat]);
  const long = workload === 'compute' ? 'compute-long' : workload;
  const [liveParallel, parallel] = measureInTurn(['live', long, workload === 'compute' ? 3 : repeat], ['replay-parallel', long, workload === 'compute' ? 3 : repeat]) as Record<string, number | string>[];
  const seconds = (r: Record<string, number | string> | undefined): number => r?.seconds as number;
  return {
    recordOverhead: seconds(record) / seconds(plain),
    replaySpeedup: seconds(live) / seconds(replay),
    replaySpeedupParallel: seconds(liveParallel) / seconds(parallel),
    replaySpeedupParallelFirst: seconds(liveParallel) / (parallel?.firstSeconds as number),
    jobs: parallel?.jobs as number,
    bytesPerInsn: record?.bytesPerInsn as number,
  };
}

const M = (n: number): string => `${(n / 1e6).toFixed(1)} M/s`;

export function main(argv: readonly string[]): void {
  const { compute, reference } = computeAndReference();
  const minios = speeds('minios', 'native', 200);
  const miniosTrapEmulate = speeds('minios', 'trap-emulate', 200);
  const traceCompute = traces('compute', 10);
  const traceMinios = traces('minios', 100);
  const traceMiniosLong = traces('minios-long', 5);
  const seek = measure('seek', 1_430_000);
  const diff = measure('diff', 'minios-long', 'trap-emulate', 1);
  const figures = {
    compute: { ...compute, bareRatio: compute.bareInsnsPerSec / reference.bareInsnsPerSec, eventsRatio: compute.eventsPerSec / reference.eventsPerSec },
    reference,
    minios,
    'minios-trap-emulate': miniosTrapEmulate,
    trace: {
      recordOverhead: traceCompute.recordOverhead as number,
      recordOverheadMinios: traceMinios.recordOverhead as number,
      recordOverheadMiniosLong: traceMiniosLong.recordOverhead,
      replaySpeedup: traceCompute.replaySpeedup as number,
      replaySpeedupMinios: traceMinios.replaySpeedup as number,
      replaySpeedupMiniosLong: traceMiniosLong.replaySpeedup,
      replaySpeedupParallel: traceCompute.replaySpeedupParallel,
      replaySpeedupParallelMinios: traceMinios.replaySpeedupParallel,
      replaySpeedupParallelFirst: traceCompute.replaySpeedupParallelFirst,
      replayJobs: traceCompute.jobs,
      bytesPerInsn: traceMinios.bytesPerInsn as number,
      seekMs: seek.seekMs as number,
      seekTraceEvents: seek.events as number,
      recordPeakRssMb: measure('rss', 'record', 1_430_000).peakRssMb as number,
      recordPeakRssMbShort: measure('rss', 'record', 143_000).peakRssMb as number,
      replayPeakRssMb: measure('rss', 'replay', 1_430_000).peakRssMb as number,
      replayPeakRssMbShort: measure('rss', 'replay', 143_000).peakRssMb as number,
    },
    diff: { eventsPerSec: (diff.events as number) / (diff.seconds as number), liveRatio: (diff.seconds as number) / (diff.liveSeconds as number) },
  };
  if (argv.includes('--json')) {
    console.log(JSON.stringify(figures));
    return;
  }
  console.log(`reference              bare ${M(reference.bareInsnsPerSec)}  events ${M(reference.eventsPerSec)}  (bench/reference: a standalone interpreter of compute)`);
  for (const [name, f] of [['compute', compute], ['minios', minios], ['minios (trap-emulate)', miniosTrapEmulate]] as const) {
    console.log(`${name.padEnd(22)} bare ${M(f.bareInsnsPerSec)}  events ${M(f.eventsPerSec)}${f.sameFinalState ? '' : '  (bare and evented runs differ: no bare figure)'}`);
  }
  console.log(`compute / reference    bare ${figures.compute.bareRatio.toFixed(2)}  events ${figures.compute.eventsRatio.toFixed(2)}`);
  const t = figures.trace;
  console.log(`trace  record overhead ${t.recordOverhead.toFixed(2)}x (compute), ${t.recordOverheadMinios.toFixed(2)}x (minios); replay ${t.replaySpeedup.toFixed(2)}x faster than a live evented run (compute), ${t.replaySpeedupMinios.toFixed(2)}x (minios)`);
  console.log(`trace  minios with A_STEPS=${MINIOS_LONG_A_STEPS} (6.3 M instructions): record overhead ${t.recordOverheadMiniosLong.toFixed(2)}x, replay ${t.replaySpeedupMiniosLong.toFixed(1)}x faster than a live evented run`);
  const longInsns = 7 * COMPUTE_LONG_N;
  console.log(`trace  replay --jobs ${t.replayJobs} of compute run ${(longInsns / 1e6).toFixed(0)} M instructions (${Math.ceil(longInsns / DEFAULT_CHECKPOINT_EVERY)} checkpoint intervals): ${t.replaySpeedupParallel.toFixed(1)}x faster than a live evented run with the worker threads of the replay before, ${t.replaySpeedupParallelFirst.toFixed(1)}x for a process's first (it starts them); minios ${t.replaySpeedupParallelMinios.toFixed(1)}x (one interval: the serial path)`);
  console.log(`trace  ${t.bytesPerInsn.toFixed(3)} bytes per guest instruction (minios); seek in a ${(t.seekTraceEvents / 1e6).toFixed(1)} M-event trace: ${t.seekMs.toFixed(1)} ms`);
  console.log(`diff   minios with A_STEPS=${MINIOS_LONG_A_STEPS}, native against trap-emulate to the end (equal guest views): ${(figures.diff.eventsPerSec / 1e6).toFixed(1)} M events/s, ${figures.diff.liveRatio.toFixed(1)}x the time of running both live with events`);
  console.log(`trace  peak RSS: record ${t.recordPeakRssMb.toFixed(0)} MB, replay ${t.replayPeakRssMb.toFixed(0)} MB (a 10x shorter run: ${t.recordPeakRssMbShort.toFixed(0)} MB, ${t.replayPeakRssMbShort.toFixed(0)} MB)`);
}

main(process.argv.slice(2));
