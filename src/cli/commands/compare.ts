import type { Command } from 'commander';
import { EVENT_SPECS, EVENT_TYPES } from '../../domain/events/registry.js';
import type { IsaProfile } from '../../domain/isa/table.js';
import { MODE_NAMES, modeSpec } from '../../engines/modes/registry.js';
import { runToSummary, type RunSummary } from '../../engines/summary.js';
import { parseMode, parseProfile, runConfig } from '../config.js';
import { EXIT } from '../exit-codes.js';
import type { Io } from '../io.js';
import { progressBar } from '../progress.js';
import { runOptions } from '../options.js';
import { numberText } from '../summary-table.js';
import { textTable } from '../text-table.js';

/** Every run is measured against native on the same ISA profile. */
const REFERENCE = 'native';

export interface ComparedRun {
  readonly summary: RunSummary;
  /** The run's guest view equals the reference's on the same profile. */
  readonly sameAsNative: boolean;
  /** The registry says this mode is equivalent to native on this profile. */
  readonly expectedSame: boolean;
  readonly cyclesVsNative: number;
}

export interface Comparison {
  readonly guest: string;
  readonly runs: readonly ComparedRun[];
  /** Runs that differ from native where the registry says they should not. */
  readonly unexpected: readonly string[];
}

const label = (s: RunSummary): string => `${s.mode} (${s.isa})`;

/** Compares each run with native on its profile; native is run (and not shown) when it is not among them. */
export function compareRuns(summaries: readonly RunSummary[], reference: (isa: IsaProfile) => RunSummary): Comparison {
  const runs = summaries.map((s) => {
    const native = summaries.find((r) => r.mode === REFERENCE && r.isa === s.isa) ?? reference(s.isa);
    return {
      summary: s,
      sameAsNative: s.guestViewHash === native.guestViewHash,
      expectedSame: modeSpec(s.mode).correctOn.includes(s.isa),
      cyclesVsNative: s.cycles / native.cycles,
    };
  });
  return { guest: summaries[0]?.guest ?? '', runs, unexpected: runs.filter((r) => r.expectedSame && !r.sameAsNative).map((r) => label(r.summary)) };
}

/** Events of the monitor's families (not the guest's own, not the run's): traps, exits, callouts, hypercalls… */
const VMM_TYPES = EVENT_SPECS.filter((s) => s.family !== 'guest' && s.family !== 'run').map((s) => s.type);
const vmmEvents = (s: RunSummary): number => VMM_TYPES.reduce((n, t) => n + (s.countsByType[t as keyof RunSummary['countsByType']] ?? 0), 0);

const endText = (s: RunSummary): string => (s.endReason === 'exit' ? `exit ${s.exitCode}` : s.endReason);

function verdict(r: ComparedRun): string {
  if (r.sameAsNative) return 'yes';
  return r.expectedSame ? 'NO (bug)' : 'no (expected)';
}

/** The event types any of the runs produced, in registry order (the --wide columns). */
function typesSeen(runs: readonly ComparedRun[]): string[] {
  return EVENT_TYPES.filter((t) => runs.some((r) => (r.summary.countsByType[t] ?? 0) > 0));
}

/** One table: the same guest under several modes, side by side; --wide adds a column per event type. */
export function comparisonText(c: Comparison, wide = false): string {
  const base = c.runs[0]?.summary;
  if (base === undefined) return '';
  const types = wide ? typesSeen(c.runs) : [];
  const head = ['mode', 'isa', 'end', 'insns', 'events', 'vmm', ...types, 'cycles', 'vs native', 'same view'];
  const rows = c.runs.map((r) => {
    const s = r.summary;
    return [s.mode, s.isa, endText(s), numberText(s.guestInsns), numberText(s.events), numberText(vmmEvents(s)), ...types.map((t) => numberText(s.countsByType[t as keyof RunSummary['countsByType']] ?? 0)), numberText(s.cycles), `${r.cyclesVsNative.toFixed(2)}x`, verdict(r)];
  });
  const numeric = head.map((_, i) => i >= 3 && i < head.length - 1);
  const consoleText = `${base.console}${base.console.endsWith('\n') || base.console === '' ? '' : '\n'}`;
  const notes = c.runs.filter((r) => r.summary.console !== base.console).map((r) => consoleDifference(r.summary, base));
  return `${consoleText}${textTable(head, rows, numeric)}\n${notes.join('')}`;
}

function consoleDifference(s: RunSummary, base: RunSummary): string {
  const mine = s.console.split('\n');
  const theirs = base.console.split('\n');
  const line = mine.findIndex((text, i) => text !== theirs[i]);
  return `${label(s)}: console differs from ${label(base)} at line ${line + 1}:\n  "${mine[line] ?? ''}" instead of "${theirs[line] ?? ''}"\n`;
}

/** `compare --json`: the runs with their verdicts. */
export function comparisonJson(c: Comparison): unknown {
  return {
    guest: c.guest,
    runs: c.runs.map((r) => ({ ...r.summary, vmmEvents: vmmEvents(r.summary), sameAsNative: r.sameAsNative, expectedSame: r.expectedSame, cyclesVsNative: Number(r.cyclesVsNative.toFixed(4)) })),
    unexpected: c.unexpected,
  };
}

export function registerCompare(program: Command, io: Io, setExit: (code: number) => void): void {
  runOptions(program.command('compare').argument('[guest]', 'a .s file, an image, or a guest name', 'minios'), false)
    .addHelpText('after', [
      '',
      '--isa also takes a list, e.g. --isa classic,virtualizable: every mode runs on each profile.',
      'Each run is compared with native on its profile. The exit status is 1 when a mode differs',
      'from native on a profile where the registry says it is equivalent (a bug); an expected',
      'difference is only reported.',
    ].join('\n'))
    .description('run a guest under several modes and compare what they did and cost')
    .option('--modes <list>', 'comma-separated modes (default: every mode)')
    .option('--wide', 'also a column per event type (wider than 100 columns)')
    .option('--json', 'print one JSON object: the runs and their verdicts')
    .action((guest: string, options: Parameters<typeof runConfig>[1] & { modes?: string; wide?: boolean; json?: boolean }) => {
      const modes: readonly string[] = options.modes === undefined ? MODE_NAMES : options.modes.split(',').map((m) => parseMode(m.trim()));
      const profiles = (options.isa ?? 'classic').split(',').map((p) => parseProfile(p.trim()));
      const summaryOf = (mode: string, isa: IsaProfile): RunSummary => runToSummary(runConfig(guest, { ...options, mode, isa }));
      const bar = progressBar(io, profiles.length * modes.length, 'runs');
      const runs = profiles.flatMap((isa, p) => modes.map((mode, m) => {
        bar.update(p * modes.length + m, `${mode} (${isa})`);
        return summaryOf(mode, isa);
      }));
      bar.stop();
      const comparison = compareRuns(runs, (isa) => summaryOf(REFERENCE, isa));
      io.out(options.json === true ? `${JSON.stringify(comparisonJson(comparison))}\n` : comparisonText(comparison, options.wide === true));
      for (const u of comparison.unexpected) io.err(`vlab: ${u} differs from native, although the registry says it is equivalent on this profile\n`);
      setExit(comparison.unexpected.length > 0 ? EXIT.DIFFERENT : EXIT.OK);
    });
}
