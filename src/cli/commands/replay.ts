import type { Command } from 'commander';
import { availableParallelism } from 'node:os';
import { VlabError } from '../../domain/errors.js';
import { reexecute } from '../../replay/reexec.js';
import { checkTrace } from '../../replay/order.js';
import { TraceReader } from '../../replay/reader.js';
import { repriceTrace, replayTrace, type ReplayResult } from '../../replay/replay.js';
import { parseCount, parseCpu } from '../config.js';
import { EXIT } from '../exit-codes.js';
import { wantColour, type Io } from '../io.js';
import { runReport } from '../summary-table.js';

interface ReplayFlags {
  reexec?: boolean;
  salvage?: boolean;
  json?: boolean;
  cpu?: string;
  jobs?: string;
}

function report(io: Io, trace: string, result: ReplayResult, json: boolean): void {
  io.out(json ? `${JSON.stringify({ ...result.summary, checkpoints: result.checkpoints, replay: result.how })}\n` : runReport(result.summary, wantColour(io)));
  if (result.damage !== undefined) {
    io.err(`vlab: salvaged ${result.summary.events.toLocaleString('en-US')} events before the damage: ${result.damage.message}\n`);
  } else if (!result.complete) {
    io.err(`vlab: ${trace} has no index: the recording was cut short; replayed the ${result.summary.events.toLocaleString('en-US')} events it holds\n`);
  } else if (!json) {
    io.out(result.how === 'repriced' ? `re-priced from the recorded tally, nothing run again\n` : `${result.checkpoints} checkpoints verified (${result.how})\n`);
  }
}

export function registerReplay(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('replay')
    .argument('<trace>', 'a trace file written by vlab record')
    .description('replay a trace and check every checkpoint: re-executing its config, or folding its events with no engine (record --events)')
    .option('--reexec', 'run the engine again and compare event by event with the recorded events (record --events)')
    .option('--salvage', 'replay the intact prefix of a damaged trace')
    .option('--cpu <profile>', 're-price the recorded run under another CPU profile, without running it again')
    .option('--jobs <n>', `threads re-executing checkpoint intervals at once (1: this thread alone; default: up to the ${availableParallelism()} CPUs, starting a thread only for a trace long enough to pay for its start)`)
    .option('--json', 'print the summary as one JSON object')
    .action((trace: string, options: ReplayFlags) => {
      const jobs = options.jobs === undefined ? availableParallelism() : parseCount('--jobs', options.jobs);
      if (jobs < 1) throw new VlabError('E_USAGE', '--jobs must be at least 1');
      const eventsPerThreadStart = options.jobs === undefined ? undefined : 0; // asked for: started whatever the trace's length
      const reader = new TraceReader(trace);
      try {
        if (options.reexec === true) return reexecReport(io, reader, options.json === true, setExit);
        const pricedAs = options.cpu === undefined ? undefined : parseCpu(options.cpu);
        const repriced = pricedAs === undefined ? undefined : repriceTrace(reader, pricedAs);
        report(io, trace, repriced ?? replayTrace(reader, { salvage: options.salvage === true, pricedAs, jobs, eventsPerThreadStart }), options.json === true);
      } finally {
        reader.close();
      }
    });
}

function reexecReport(io: Io, reader: TraceReader, json: boolean, setExit: (code: number) => void): void {
  checkTrace(reader);
  const result = reexecute(reader);
  if (json) {
    const d = result.divergence;
    io.out(`${JSON.stringify({ trace: reader.path, matches: d === undefined, events: result.events, divergence: d ?? null })}\n`);
    return setExit(d === undefined ? EXIT.OK : EXIT.DIFFERENT);
  }
  if (result.divergence === undefined) {
    io.out(`${reader.path}: re-execution matches the trace, ${result.events.toLocaleString('en-US')} events\n`);
    return;
  }
  const d = result.divergence;
  const lines = [`first divergent event: #${d.index}`, `  recorded: ${d.recorded}`, `  live:     ${d.live}`, ...d.difference.map((x) => `  ${x}`)];
  throw new VlabError('E_DIVERGENCE', `${reader.path}: re-execution diverges from the trace\n${lines.join('\n')}`);
}
