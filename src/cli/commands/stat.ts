import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import type { RunConfig } from '../../domain/config.js';
import type { EventBatch } from '../../domain/events/batch.js';
import { VlabError } from '../../domain/errors.js';
import { EVENT_SPECS, payloadAt, specOf } from '../../domain/events/registry.js';
import { isMonitorEvent, reasonField, reasonName } from '../../domain/events/reason.js';
import { MODE_NAMES, modeSpec } from '../../engines/modes/registry.js';
import { buildFor } from '../guest.js';
import { eventBatches, startRun } from '../../engines/run.js';
import { MAGIC } from '../../replay/format.js';
import { TraceReader } from '../../replay/reader.js';
import { eventsFrom } from '../../replay/source.js';
import { parseMode, runConfig, type RunOptions } from '../config.js';
import type { Io } from '../io.js';
import { progressBar } from '../progress.js';
import { runOptions } from '../options.js';
import { numberText } from '../summary-table.js';
import { textTable } from '../text-table.js';

/**
 * `vlab stat`: the monitor's events by reason, as `perf kvm stat report` shows VM exits.
 * Derived from the event specs alone: every event of a monitor family (not the guest's own,
 * not the run's) counts, keyed by its type and its reason-like field, so the events of a
 * new mode appear without a change here.
 */
export { reasonField };

const MONITOR_CODES = new Set(EVENT_SPECS.filter(isMonitorEvent).map((s) => s.code));
const REASONS: ReadonlyMap<number, string | undefined> = new Map(EVENT_SPECS.map((s) => [s.code, reasonField(s)]));

export interface StatRow {
  readonly type: string;
  /** The reason field's value as recorded (a VM exit's basic reason and a hypercall as their numbers), '-' for an event with none. */
  readonly reason: string;
  /** The reason by name, as compare and the report show it (`IO_INSTRUCTION`, `console_io`); the value itself where it has no name. */
  readonly name: string;
  readonly count: number;
  /** Of the run's monitor events, 0..1. */
  readonly share: number;
  readonly cycles: number;
  /** Of the run's virtual cycles, 0..1. */
  readonly cycleShare: number;
  readonly avgCycles: number;
}

export interface RunStat {
  readonly guest: string;
  readonly mode: string;
  readonly isa: string;
  readonly events: number;
  readonly cycles: number;
  readonly monitorEvents: number;
  readonly monitorCycles: number;
  readonly rows: readonly StatRow[];
}

/** Tallies one run's events by (type, reason). */
export function statOf(config: RunConfig, batches: Iterable<EventBatch>): RunStat {
  const tally = new Map<string, { type: string; reason: string; name: string; count: number; cycles: number }>();
  let events = 0;
  let cycles = 0;
  for (const batch of batches) {
    for (let i = 0; i < batch.length; i++) {
      const code = batch.type[i] as number;
      const cost = batch.cost[i] as number;
      events++;
      cycles += cost;
      if (!MONITOR_CODES.has(code)) continue;
      const field = REASONS.get(code);
      const spec = specOf(code);
      const payload = field === undefined ? undefined : payloadAt(batch, i);
      const reason = payload === undefined ? '-' : String(payload[field as string]);
      const key = `${spec.type}\0${reason}`;
      const row = tally.get(key) ?? { type: spec.type, reason, name: payload === undefined ? reason : (reasonName(spec, payload) ?? reason), count: 0, cycles: 0 };
      row.count++;
      row.cycles += cost;
      tally.set(key, row);
    }
  }
  const monitorEvents = [...tally.values()].reduce((n, r) => n + r.count, 0);
  const monitorCycles = [...tally.values()].reduce((n, r) => n + r.cycles, 0);
  const rows = [...tally.values()]
    .sort((a, b) => b.count - a.count || b.cycles - a.cycles || (a.type + a.name).localeCompare(b.type + b.name))
    .map((r) => ({ ...r, share: r.count / monitorEvents, cycleShare: cycles === 0 ? 0 : r.cycles / cycles, avgCycles: r.cycles / r.count }));
  return { guest: config.guest, mode: config.mode, isa: config.isa, events, cycles, monitorEvents, monitorCycles, rows };
}

/** Is this file a trace (by its magic)? */
export function isTraceFile(path: string): boolean {
  if (!existsSync(path) || !statSync(path).isFile()) return false;
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(MAGIC.length);
    readSync(fd, head, 0, head.length, 0);
    return head.toString('latin1') === MAGIC;
  } finally {
    closeSync(fd);
  }
}

function traceStat(path: string): RunStat {
  const reader = new TraceReader(path);
  try {
    return statOf(reader.header.config, eventsFrom(reader, 0, undefined));
  } finally {
    reader.close();
  }
}

const percent = (x: number): string => `${(100 * x).toFixed(2)}%`;

/** perf-kvm-stat-like: one row a (event, reason), the busiest first, then the total; reasons by name (VM exits as the SDM names them, hypercalls as the ABI does). */
export function statText(stats: readonly RunStat[], byMode: boolean): string {
  const head = [...(byMode ? ['mode', 'isa'] : []), 'event', 'reason', 'count', 'share', 'cycles', 'cycles%', 'avg cycles'];
  const numeric = head.map((h) => ['count', 'share', 'cycles', 'cycles%', 'avg cycles'].includes(h));
  const rowsOf = (s: RunStat): string[][] => [
    ...s.rows.map((r) => [...(byMode ? [s.mode, s.isa] : []), r.type, r.name, numberText(r.count), percent(r.share), numberText(r.cycles), percent(r.cycleShare), numberText(Math.round(r.avgCycles))]),
    [...(byMode ? [s.mode, s.isa] : []), 'total', '', numberText(s.monitorEvents), s.monitorEvents === 0 ? '-' : percent(1), numberText(s.monitorCycles), percent(s.cycles === 0 ? 0 : s.monitorCycles / s.cycles), s.monitorEvents === 0 ? '-' : numberText(Math.round(s.monitorCycles / s.monitorEvents))],
  ];
  const caption = (s: RunStat): string =>
    `${s.guest}, mode ${s.mode} (isa ${s.isa}):\n  ${numberText(s.monitorEvents)} monitor events of ${numberText(s.events)}; ${numberText(s.monitorCycles)} of ${numberText(s.cycles)} virtual cycles`;
  if (byMode) return `${stats.map(caption).join('\n')}\n\n${textTable(head, stats.flatMap(rowsOf), numeric)}\n`;
  return stats.map((s) => `${caption(s)}\n\n${textTable(head, rowsOf(s), numeric)}\n`).join('\n');
}

export function registerStat(program: Command, io: Io): void {
  runOptions(program.command('stat').argument('<guest|trace>', 'a guest (as for run) or a trace file'), false)
    .option('--mode <modes>', `virtualization mode, or a comma-separated list (default: every mode): ${MODE_NAMES.join(' | ')}`)
    .option('--by <what>', "'mode': one table with a row per mode and reason")
    .option('--json', 'print one JSON object: each run with its rows')
    .description('the monitor’s events by reason (traps, exits, emulations, callouts, hypercalls): count, share, cycles, like perf kvm stat')
    .action((target: string, options: RunOptions & { by?: string; json?: boolean }) => {
      if (options.by !== undefined && options.by !== 'mode') throw new VlabError('E_USAGE', `--by takes 'mode', got '${options.by}'`);
      let stats: RunStat[];
      if (isTraceFile(target)) stats = [traceStat(target)];
      else {
        // By default every mode, each on its own build of the guest; a mode for modified guests with no such build sits out.
        const modes = options.mode === undefined ? MODE_NAMES.filter((m) => !modeSpec(m).modifiedGuest || buildFor(target, modeSpec(m).guestBuild) !== target) : options.mode.split(',').map((m) => parseMode(m.trim()));
        const bar = progressBar(io, modes.length, 'runs');
        stats = modes.map((mode, i) => {
          bar.update(i, mode);
          const config = runConfig(buildFor(target, modeSpec(mode).guestBuild), { ...options, mode });
          return statOf(config, eventBatches(startRun(config)));
        });
        bar.stop();
      }
      io.out(options.json === true ? `${JSON.stringify({ runs: stats })}\n` : statText(stats, options.by === 'mode'));
    });
}
