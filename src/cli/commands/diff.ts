import type { Command } from 'commander';
import { vmConfigs, type RunConfig } from '../../domain/config.js';
import { EVENT_SPECS } from '../../domain/events/registry.js';
import { VlabError } from '../../domain/errors.js';
import { eventBatches, startRun } from '../../engines/run.js';
import { diffRuns, type DiffResult, type DiffSide } from '../../replay/diff.js';
import { TraceReader } from '../../replay/reader.js';
import { replayTrace } from '../../replay/replay.js';
import { eventsFrom } from '../../replay/source.js';
import { parseCount, parseMode, runConfig, type RunOptions } from '../config.js';
import { EXIT } from '../exit-codes.js';
import type { Io } from '../io.js';
import { runOptions } from '../options.js';
import { numberText } from '../summary-table.js';
import { textTable } from '../text-table.js';

/** A trace's events, streamed; the trace is checked first as replay checks it. */
export function traceSide(path: string): DiffSide {
  const check = new TraceReader(path);
  try {
    replayTrace(check);
  } finally {
    check.close();
  }
  const reader = new TraceReader(path);
  const batches = (function* () {
    try {
      yield* eventsFrom(reader, 0, undefined);
    } finally {
      reader.close();
    }
  })();
  return { label: path, config: reader.header.config, batches };
}

/** A live run's events, produced as the diff consumes them. */
export function liveSide(config: RunConfig): DiffSide {
  const batches = eventBatches(startRun(config));
  return { label: `${config.mode} (${config.isa})`, config, batches };
}

/** The event types either side produced, with counts and cycles on each side. */
function tallyRows(result: DiffResult): { type: string; events: [number, number]; cycles: [number, number] }[] {
  const [ta, tb] = result.tallies;
  return EVENT_SPECS.filter((spec) => (ta.counts[spec.code] ?? 0) + (tb.counts[spec.code] ?? 0) > 0).map((spec) => ({
    type: spec.type,
    events: [ta.counts[spec.code] ?? 0, tb.counts[spec.code] ?? 0],
    cycles: [ta.cycles[spec.code] ?? 0, tb.cycles[spec.code] ?? 0],
  }));
}

/** `diff --json`: equal or the first divergence, and the tally of both sides. */
export function diffJson([a, b]: [DiffSide, DiffSide], result: DiffResult): unknown {
  const d = result.divergence;
  return {
    equal: d === undefined,
    sides: [a.label, b.label],
    divergence: d === undefined ? null : { step: d.step, events: d.events.map((e) => e ?? null), texts: d.texts, difference: d.difference },
    tally: tallyRows(result),
  };
}

function report(io: Io, [a, b]: [DiffSide, DiffSide], result: DiffResult): void {
  const d = result.divergence;
  if (d === undefined) io.out(`the guest views are equal\n`);
  else {
    io.out(`first guest-visible divergence at guest step ${d.step}: event #${d.events[0] ?? '-'} of ${a.label}, event #${d.events[1] ?? '-'} of ${b.label}\n`);
    io.out(`  ${a.label}: ${d.texts[0]}\n  ${b.label}: ${d.texts[1]}\n${d.difference.map((x) => `  ${x}\n`).join('')}`);
  }
  io.out(`a: ${a.label}\nb: ${b.label}\n`);
  const rows = tallyRows(result).map((r) => [r.type, ...r.events.map(numberText), ...r.cycles.map(numberText)]);
  io.out(`${textTable(['event type', 'a events', 'b events', 'a cycles', 'b cycles'], rows, [false, true, true, true, true])}\n`);
}

export function registerDiff(program: Command, io: Io, setExit: (code: number) => void): void {
  runOptions(program.command('diff').argument('<a>', 'a trace, or a guest with --modes').argument('[b]', 'a second trace'), false)
    .description('align two runs’ guest views and report the first guest-visible divergence')
    .option('--modes <a,b>', 'run the guest under two modes instead of reading traces')
    .option('--json', 'print one JSON object: equal, the first divergence, the tally of both sides')
    .option('--vm-index <n>', 'traces of several VMs: compare this VM\'s guest view (default 0)')
    .addHelpText('after', '\nExit status: 0 when the guest views are equal, 1 when they differ (as diff(1)).')
    .action((a: string, b: string | undefined, options: RunOptions & { modes?: string; json?: boolean; vmIndex?: string }) => {
      let sides: [DiffSide, DiffSide];
      if (options.modes !== undefined) {
        const modes = options.modes.split(',').map((m) => parseMode(m.trim()));
        if (modes.length !== 2) throw new VlabError('E_USAGE', `--modes needs two modes, got '${options.modes}'`);
        sides = [liveSide(runConfig(a, { ...options, mode: modes[0] })), liveSide(runConfig(a, { ...options, mode: modes[1] }))];
      } else {
        if (b === undefined) throw new VlabError('E_USAGE', 'diff needs two traces, or a guest and --modes a,b');
        sides = [traceSide(a), traceSide(b)];
      }
      const vm = options.vmIndex === undefined ? 0 : parseCount('--vm-index', options.vmIndex);
      for (const side of sides) {
        const count = vmConfigs(side.config).length;
        if (vm >= count) throw new VlabError('E_USAGE', `--vm-index ${vm}: ${side.label} holds ${count} VM${count === 1 ? '' : 's'}`);
      }
      const result = diffRuns(...sides, vm);
      if (options.json === true) io.out(`${JSON.stringify(diffJson(sides, result))}\n`);
      else report(io, sides, result);
      setExit(result.divergence === undefined ? EXIT.OK : EXIT.DIFFERENT);
    });
}
