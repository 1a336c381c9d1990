import type { Command } from 'commander';
import { EVENT_SPECS, EVENT_TYPES } from '../../domain/events/registry.js';
import type { IsaProfile } from '../../domain/isa/table.js';
import { MODE_NAMES, modeSpec } from '../../engines/modes/registry.js';
import { runToSummary, type RunSummary } from '../../engines/summary.js';
import { isMonitorEvent } from '../../domain/events/reason.js';
import { measureRun, type KindStat, type MeasuredRun, type Timeline } from '../../engines/kinds.js';
import { DEFAULT_CPU } from '../../domain/cost/profile.js';
import { parseCpu, parseMode, parseProfile, runConfig, type RunOptions } from '../config.js';
import { checkOutput } from '../files.js';
import { comparisonReport } from '../../report/model.js';
import { writeReport } from '../report-file.js';
import { buildFor } from '../guest.js';
import { EXIT } from '../exit-codes.js';
import type { Io } from '../io.js';
import { progressBar } from '../progress.js';
import { runOptions } from '../options.js';
import { numberText } from '../summary-table.js';
import { textTable } from '../text-table.js';
import { nanobench, nanobenchJson, nanobenchText, type NanoSuite } from '../nanobench.js';
import { VlabError } from '../../domain/errors.js';
import { diffRuns } from '../../replay/diff.js';
import type { RunConfig } from '../../domain/config.js';
import { kindsText, storiesText } from '../compare-kinds.js';
import { liveSide } from './diff.js';

/** Every run is measured against native on the same ISA profile. */
const REFERENCE = 'native';

export interface ComparedRun {
  readonly summary: RunSummary;
  /** What each kind of event cost, and when (runs measured with their events). */
  readonly kinds?: readonly KindStat[];
  readonly timeline?: Timeline;
  /** Where the run's guest view first differs from native's, when it does and both ran the same image. */
  readonly divergence?: Divergence;
  /** The build of the guest the mode ran, when it is the mode's own (paravirt's GUEST-pv): then equality is of the output (console, end, exit code), not of the guest view. */
  readonly build?: string;
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

/** The first guest-visible difference from native: the guest step, the run's event there, what differs. */
export interface Divergence {
  readonly step: number;
  readonly event: string;
  readonly difference: readonly string[];
}

const label = (s: RunSummary): string => `${s.mode} (${s.isa}, ${s.cpu})`;

/** A run to compare: its summary, and the build it ran when that is the mode's own build of the guest. */
export interface RunToCompare {
  readonly summary: RunSummary;
  readonly build?: string;
  readonly kinds?: readonly KindStat[];
  readonly timeline?: Timeline;
}

const sameOutput = (a: RunSummary, b: RunSummary): boolean => a.console === b.console && a.endReason === b.endReason && a.exitCode === b.exitCode;

/**
 * Compares each run with native on its profile and CPU; native is run (and not shown) when
 * it is not among them. A mode for a modified guest claims the same output as native.
 */
export function compareRuns(toCompare: readonly RunToCompare[], reference: (isa: IsaProfile, cpu: string) => RunSummary): Comparison {
  const runs = toCompare.map(({ summary: s, build, kinds, timeline }): ComparedRun => {
    const native = toCompare.find((r) => r.summary.mode === REFERENCE && r.summary.isa === s.isa && r.summary.cpu === s.cpu)?.summary ?? reference(s.isa, s.cpu);
    const spec = modeSpec(s.mode);
    return {
      summary: s,
      ...(build === undefined ? {} : { build }),
      ...(kinds === undefined ? {} : { kinds }),
      ...(timeline === undefined ? {} : { timeline }),
      sameAsNative: build === undefined ? s.guestViewHash === native.guestViewHash : sameOutput(s, native),
      expectedSame: spec.modifiedGuest || spec.correctOn.includes(s.isa),
      cyclesVsNative: s.cycles / native.cycles,
    };
  });
  return { guest: toCompare[0]?.summary.guest ?? '', runs, unexpected: runs.filter((r) => r.expectedSame && !r.sameAsNative).map((r) => label(r.summary)) };
}

/** Events of the monitor's families (not the guest's own, not the run's): traps, exits, callouts, hypercalls… */
const VMM_TYPES = EVENT_SPECS.filter(isMonitorEvent).map((s) => s.type);
const vmmEvents = (s: RunSummary): number => VMM_TYPES.reduce((n, t) => n + (s.countsByType[t as keyof RunSummary['countsByType']] ?? 0), 0);

const endText = (s: RunSummary): string => (s.endReason === 'exit' ? `exit ${s.exitCode}` : s.endReason);

export interface ComparisonPlan {
  readonly modes: readonly string[];
  readonly profiles: readonly IsaProfile[];
  readonly cpus: readonly string[];
}

/**
 * Runs `guest` under every mode × ISA profile × CPU of the plan and compares each run with
 * native. A mode that declares its own build of the guest (paravirt: GUEST-pv) runs that
 * build; a mode for modified guests with no such build sits the comparison out (`skipped`).
 */
export function compareGuest(
  guest: string,
  plan: ComparisonPlan,
  summaryOf: (build: string, mode: string, isa: IsaProfile, cpu: string) => RunSummary | MeasuredRun,
  progress?: (done: number, of: number, what: string) => void,
): { readonly comparison: Comparison; readonly skipped: readonly string[] } {
  const measured = (build: string, mode: string, isa: IsaProfile, cpu: string): RunToCompare => {
    const r = summaryOf(build, mode, isa, cpu);
    return 'summary' in r ? r : { summary: r };
  };
  const skipped = new Set<string>();
  const cells = plan.cpus.flatMap((cpu) => plan.profiles.flatMap((isa) => plan.modes.flatMap((mode) => {
    const spec = modeSpec(mode);
    const build = buildFor(guest, spec.guestBuild);
    if (spec.modifiedGuest && build === guest) return (skipped.add(mode), []);
    return [{ cpu, isa, mode, build }];
  })));
  const runs = cells.map(({ cpu, isa, mode, build }, i): RunToCompare => {
    progress?.(i, cells.length, `${mode} (${isa}, ${cpu})`);
    const run = measured(build, mode, isa, cpu);
    return build === guest ? run : { ...run, build };
  });
  return { comparison: compareRuns(runs, (isa, cpu) => measured(guest, REFERENCE, isa, cpu).summary), skipped: [...skipped] };
}

function verdict(r: ComparedRun): string {
  if (r.sameAsNative) return r.build === undefined ? 'yes' : 'same output';
  return r.expectedSame ? 'NO (bug)' : 'no (expected)';
}

/** The event types any of the runs produced, in registry order (the --wide columns). */
function typesSeen(runs: readonly ComparedRun[]): string[] {
  return EVENT_TYPES.filter((t) => runs.some((r) => (r.summary.countsByType[t] ?? 0) > 0));
}

/** One table: the same guest under several modes, side by side; --wide adds a column per event type. */
export function comparisonText(c: Comparison, wide = false, notes = ''): string {
  const base = c.runs[0]?.summary;
  if (base === undefined) return '';
  const types = wide ? typesSeen(c.runs) : [];
  const cpus = new Set(c.runs.map((r) => r.summary.cpu)).size > 1;
  const head = ['mode', 'isa', ...(cpus ? ['cpu'] : []), 'end', 'insns', ...(wide ? ['events'] : []), 'vmm', ...types, 'cycles', 'slowdown', 'same view'];
  const rows = c.runs.map((r) => {
    const s = r.summary;
    return [r.build === undefined ? s.mode : `${s.mode}*`, s.isa, ...(cpus ? [s.cpu] : []), endText(s), numberText(s.guestInsns), ...(wide ? [numberText(s.events)] : []), numberText(vmmEvents(s)), ...types.map((t) => numberText(s.countsByType[t as keyof RunSummary['countsByType']] ?? 0)), numberText(s.cycles), `${r.cyclesVsNative.toFixed(2)}x`, verdict(r)];
  });
  const numeric = head.map((_, i) => i >= (cpus ? 4 : 3) && i < head.length - 1);
  const consoleText = `${base.console}${base.console.endsWith('\n') || base.console === '' ? '' : '\n'}`;
  const consoleNotes = c.runs.filter((r) => r.summary.console !== base.console).map((r) => consoleDifference(r.summary, base));
  const short = (r: RunSummary): string => (cpus ? label(r) : `${r.mode} (${r.isa})`);
  const divergences = c.runs.flatMap(({ summary, divergence: d }) => (d === undefined ? [] : [`${short(summary)}: first differs from native at guest step ${d.step}, ${d.event}\n${d.difference.map((x) => `  ${x}\n`).join('')}`]));
  const builds = [...new Map(c.runs.flatMap((r) => (r.build === undefined ? [] : [[r.summary.mode, r.build] as const]))).entries()];
  const buildNotes = builds.map(([mode, build]) => `${mode}* ran ${build}, its own build of ${c.guest}: the same output as native is what it claims\n`);
  const kinds = kindsText(c);
  return `${consoleText}${textTable(head, rows, numeric)}\n${buildNotes.join('')}${notes}${divergences.join('')}${consoleNotes.join('')}${kinds === '' ? '' : `\n${kinds}`}\n${storiesText(c)}`;
}

function consoleDifference(s: RunSummary, base: RunSummary): string {
  const mine = s.console.split('\n');
  const theirs = base.console.split('\n');
  const line = mine.findIndex((text, i) => text !== theirs[i]);
  const short = (r: RunSummary): string => (r.cpu === base.cpu ? `${r.mode} (${r.isa})` : label(r));
  return `${short(s)}: console differs from ${short(base)} at line ${line + 1}:\n  "${mine[line] ?? ''}" instead of "${theirs[line] ?? ''}"\n`;
}

/** `compare --json`: the runs with their verdicts. */
export function comparisonJson(c: Comparison): unknown {
  return {
    guest: c.guest,
    runs: c.runs.map((r) => ({ ...r.summary, ...(r.build === undefined ? {} : { build: r.build }), vmmEvents: vmmEvents(r.summary), sameAsNative: r.sameAsNative, expectedSame: r.expectedSame, cyclesVsNative: Number(r.cyclesVsNative.toFixed(4)), ...(r.kinds === undefined ? {} : { kinds: r.kinds }), ...(r.divergence === undefined ? {} : { divergence: r.divergence }) })),
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
    .option('--cpus <list>', 'comma-separated CPU profiles: every mode runs under each (the generations side by side)')
    .option('--wide', 'also a column per event type (wider than 100 columns)')
    .option('--suite <name>', 'nanobench: the seven nanobenchmarks under every mode for unmodified guests, cycles per operation')
    .option('--json', 'print one JSON object: the runs and their verdicts')
    .option('--html <file>', 'also write the HTML report (charts of the comparison and the nanobenchmarks) to this file')
    .action((guest: string, options: RunOptions & { modes?: string; cpus?: string; wide?: boolean; json?: boolean; suite?: string; html?: string }) => {
      if (options.suite !== undefined) return runSuite(io, options);
      const modes: readonly string[] = options.modes === undefined ? MODE_NAMES : options.modes.split(',').map((m) => parseMode(m.trim()));
      const profiles = (options.isa ?? 'classic').split(',').map((p) => parseProfile(p.trim()));
      const cpus = (options.cpus ?? options.cpu ?? DEFAULT_CPU).split(',').map((c) => parseCpu(c.trim()).name);
      if (options.html !== undefined) checkOutput(options.html, 'report');
      const configOf = (build: string, mode: string, isa: IsaProfile, cpu: string): RunConfig => runConfig(build, { ...options, mode, isa, cpu });
      let bar: ReturnType<typeof progressBar> | undefined;
      const compared = compareGuest(guest, { modes, profiles, cpus }, (...cell) => measureRun(configOf(...cell)), (i, n, what) => {
        bar ??= progressBar(io, n, 'runs');
        bar.update(i, what);
      });
      bar?.stop();
      const comparison = withDivergences(compared.comparison, (mode, isa, cpu) => configOf(guest, mode, isa, cpu));
      const notes = compared.skipped.map((m) => `${m}: not run, '${guest}' has no paravirtualized build\n`).join('');
      io.out(options.json === true ? `${JSON.stringify(comparisonJson(comparison))}\n` : comparisonText(comparison, options.wide === true, notes));
      if (options.html !== undefined) {
        const suite = runNanobench(io, options, cpus[0] ?? DEFAULT_CPU);
        writeReport(options.html, comparisonReport(comparison, verdict, suite));
        (options.json === true ? io.err : io.out)(`report: ${options.html}\n`);
      }
      for (const u of comparison.unexpected) io.err(`vlab: ${u} differs from native, although the registry says it is equivalent on this profile\n`);
      setExit(comparison.unexpected.length > 0 ? EXIT.DIFFERENT : EXIT.OK);
    });
}

/** Each run that differs from native on the same image, with where its guest view first differs. */
export function withDivergences(c: Comparison, configOf: (mode: string, isa: IsaProfile, cpu: string) => RunConfig): Comparison {
  const runs = c.runs.map((r): ComparedRun => {
    const s = r.summary;
    if (r.sameAsNative || r.build !== undefined) return r;
    const d = diffRuns(liveSide(configOf(REFERENCE, s.isa, s.cpu)), liveSide(configOf(s.mode, s.isa, s.cpu))).divergence;
    return d === undefined ? r : { ...r, divergence: { step: d.step, event: d.texts[1].replace(/^#\d+ /, '').replace(/ \(\d+ cycles\).*$/, ''), difference: d.difference } };
  });
  return { ...c, runs };
}

function runNanobench(io: Io, options: RunOptions, cpu: string): NanoSuite {
  let bar: ReturnType<typeof progressBar> | undefined;
  const suite = nanobench(cpu, (guest, mode, isa, n) => runToSummary(runConfig(guest, { ...options, define: [...(options.define ?? []), `N=${n}`], mode, isa, cpu })), (i, n, what) => {
    bar ??= progressBar(io, n, 'benchmarks');
    bar.update(i, what);
  });
  bar?.stop();
  return suite;
}

function runSuite(io: Io, options: RunOptions & { json?: boolean; suite?: string }): void {
  if (options.suite !== 'nanobench') throw new VlabError('E_USAGE', `unknown suite '${options.suite ?? ''}' (valid: nanobench)`);
  const suite = runNanobench(io, options, parseCpu(options.cpu ?? DEFAULT_CPU).name);
  io.out(options.json === true ? `${JSON.stringify(nanobenchJson(suite))}\n` : nanobenchText(suite));
}
