import Table from 'cli-table3';
import type { Command } from 'commander';
import { MODE_NAMES, modeSpec } from '../../engines/modes/registry.js';
import { buildFor } from '../guest.js';
import { runToSummary, type RunSummary } from '../../engines/summary.js';
import { DEFAULT_CPU } from '../../domain/cost/profile.js';
import { parseCpu, parseMode, parseProfile, runConfig } from '../config.js';
import type { Io } from '../io.js';
import { runOptions } from '../options.js';
import { numberText } from '../summary-table.js';

/** A run of the comparison; `guest` names the build it ran when a mode runs its own build of the guest (paravirt's GUEST-pv). */
type Compared = RunSummary & { readonly guest?: string };

const count = (s: RunSummary, ...types: (keyof RunSummary['countsByType'])[]): string =>
  numberText(types.reduce((n, t) => n + (s.countsByType[t] ?? 0), 0));

const label = (s: Compared, withCpu = false): string => `${s.mode} (${s.isa}${withCpu ? `, ${s.cpu}` : ''})${s.guest === undefined ? '' : ` ${s.guest}`}`;

function row(s: Compared, base: Compared, reference: Compared, withCpu: boolean): string[] {
  return [
    label(s, withCpu),
    s.endReason === 'exit' ? `exit ${s.exitCode}` : s.endReason,
    numberText(s.guestInsns),
    numberText(s.events),
    count(s, 'trap'),
    count(s, 'emulate'),
    count(s, 'exception', 'interrupt'),
    count(s, 'shadow-pt'),
    count(s, 'vmexit'),
    count(s, 'hypercall'),
    count(s, 'ring'),
    numberText(s.cycles),
    `${(s.cycles / reference.cycles).toFixed(2)}x`,
    s.guest !== base.guest ? 'other build' : s.guestViewHash === base.guestViewHash ? 'yes' : 'NO',
  ];
}

/**
 * One table: the same guest under several modes (and CPU profiles), side by side. Cycles
 * are compared with the first run under the same CPU, the guest view with the very first
 * (a mode for another build of the guest runs that build, named in its label).
 */
export function comparison(summaries: readonly Compared[]): string {
  const base = summaries[0] as Compared;
  const withCpu = new Set(summaries.map((s) => s.cpu)).size > 1;
  const table = new Table({
    head: [withCpu ? 'mode (isa, cpu)' : 'mode (isa)', 'end', 'guest insns', 'events', 'traps', 'emulated', 'exc+irq', 'shadow-pt', 'vm exits', 'hypercalls', 'ring', 'virtual cycles', `vs ${base.mode}`, `guest view = ${base.mode}`],
    style: { head: [], border: [], compact: true },
  });
  for (const s of summaries) table.push(row(s, base, summaries.find((r) => r.cpu === s.cpu) ?? base, withCpu));
  const consoleText = `${base.console}${base.console.endsWith('\n') || base.console === '' ? '' : '\n'}`;
  const notes = summaries.filter((s) => s.console !== base.console).map((s) => consoleDifference(s, base));
  return `${consoleText}${table.toString()}\n${notes.join('')}`;
}

function consoleDifference(s: RunSummary, base: RunSummary): string {
  const mine = s.console.split('\n');
  const theirs = base.console.split('\n');
  const line = mine.findIndex((text, i) => text !== theirs[i]);
  return `${label(s)}: console differs from ${label(base)} at line ${line + 1}: "${mine[line] ?? ''}" instead of "${theirs[line] ?? ''}"\n`;
}

export function registerCompare(program: Command, io: Io): void {
  runOptions(program.command('compare').argument('[guest]', 'a .s file, an image, or a guest name', 'minios'), false)
    .addHelpText('after', '\n--isa also takes a list, e.g. --isa classic,virtualizable: every mode runs on each profile.')
    .description('run a guest under several modes and compare what they did and cost')
    .option('--modes <list>', 'comma-separated modes (default: every mode)')
    .option('--cpus <list>', 'comma-separated CPU profiles: every mode runs under each (the generations side by side)')
    .action((guest: string, options: Parameters<typeof runConfig>[1] & { modes?: string; cpus?: string }) => {
      const modes: readonly string[] = options.modes === undefined ? MODE_NAMES : options.modes.split(',').map((m) => parseMode(m.trim()));
      const profiles = (options.isa ?? 'classic').split(',').map((p) => parseProfile(p.trim()));
      const cpus = (options.cpus ?? options.cpu ?? DEFAULT_CPU).split(',').map((c) => parseCpu(c.trim()).name);
      const skipped = new Set<string>();
      const runs = cpus.flatMap((cpu) =>
        profiles.flatMap((isa) =>
          modes.flatMap((mode): Compared[] => {
            const spec = modeSpec(mode);
            const build = buildFor(guest, spec.guestBuild);
            // A mode for modified guests runs only a paravirtualized build: without one it sits this comparison out.
            if (spec.modifiedGuest && build === guest) return (skipped.add(mode), []);
            const summary = runToSummary(runConfig(build, { ...options, mode, isa, cpu }));
            return [build === guest ? summary : { ...summary, guest: build }];
          }),
        ),
      );
      const notes = [...skipped].map((m) => `${m}: not run, '${guest}' has no paravirtualized build\n`).join('');
      io.out(comparison(runs) + notes);
    });
}
