import Table from 'cli-table3';
import type { Command } from 'commander';
import { MODE_NAMES, modeSpec } from '../../engines/modes/registry.js';
import { buildFor } from '../guest.js';
import { runToSummary, type RunSummary } from '../../engines/summary.js';
import { parseMode, parseProfile, runConfig } from '../config.js';
import type { Io } from '../io.js';
import { runOptions } from '../options.js';
import { numberText } from '../summary-table.js';

const count = (s: RunSummary, ...types: (keyof RunSummary['countsByType'])[]): string =>
  numberText(types.reduce((n, t) => n + (s.countsByType[t] ?? 0), 0));

const label = (s: RunSummary & { readonly guest?: string }): string => `${s.mode} (${s.isa})${s.guest === undefined ? '' : ` ${s.guest}`}`;

type Compared = RunSummary & { readonly guest?: string };

function row(s: Compared, base: Compared): string[] {
  return [
    label(s),
    s.endReason === 'exit' ? `exit ${s.exitCode}` : s.endReason,
    numberText(s.guestInsns),
    numberText(s.events),
    count(s, 'trap'),
    count(s, 'emulate'),
    count(s, 'exception', 'interrupt'),
    count(s, 'shadow-pt'),
    count(s, 'hypercall'),
    count(s, 'ring'),
    numberText(s.cycles),
    `${(s.cycles / base.cycles).toFixed(2)}x`,
    s.guest !== base.guest ? 'other build' : s.guestViewHash === base.guestViewHash ? 'yes' : 'NO',
  ];
}

/** One table: the same guest under several modes, side by side (a mode for another build of the guest runs that build, named in its label). */
export function comparison(summaries: readonly (RunSummary & { readonly guest?: string })[]): string {
  const base = summaries[0] as RunSummary;
  const table = new Table({
    head: ['mode (isa)', 'end', 'guest insns', 'events', 'traps', 'emulated', 'exc+irq', 'shadow-pt', 'hypercalls', 'ring', 'virtual cycles', `vs ${base.mode}`, `guest view = ${base.mode}`],
    style: { head: [], border: [], compact: true },
  });
  for (const s of summaries) table.push(row(s, base));
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
    .action((guest: string, options: Parameters<typeof runConfig>[1] & { modes?: string }) => {
      const modes: readonly string[] = options.modes === undefined ? MODE_NAMES : options.modes.split(',').map((m) => parseMode(m.trim()));
      const profiles = (options.isa ?? 'classic').split(',').map((p) => parseProfile(p.trim()));
      const skipped = new Set<string>();
      const runs = profiles.flatMap((isa) =>
        modes.flatMap((mode) => {
          const spec = modeSpec(mode);
          const build = buildFor(guest, spec.guestBuild);
          // A mode for modified guests runs only a paravirtualized build: without one it sits this comparison out.
          if (spec.modifiedGuest && build === guest) return (skipped.add(mode), []);
          const summary = runToSummary(runConfig(build, { ...options, mode, isa }));
          return [build === guest ? summary : { ...summary, guest: build }];
        }),
      );
      const notes = [...skipped].map((m) => `${m}: not run, '${guest}' has no paravirtualized build\n`).join('');
      io.out(comparison(runs) + notes);
    });
}
