import Table from 'cli-table3';
import type { Command } from 'commander';
import { MODE_NAMES } from '../../engines/modes/registry.js';
import { runToSummary, type RunSummary } from '../../engines/summary.js';
import { parseMode, parseProfile, runConfig } from '../config.js';
import type { Io } from '../io.js';
import { runOptions } from '../options.js';
import { numberText } from '../summary-table.js';

const count = (s: RunSummary, ...types: (keyof RunSummary['countsByType'])[]): string =>
  numberText(types.reduce((n, t) => n + (s.countsByType[t] ?? 0), 0));

const label = (s: RunSummary): string => `${s.mode} (${s.isa})`;

function row(s: RunSummary, base: RunSummary): string[] {
  return [
    label(s),
    s.endReason === 'exit' ? `exit ${s.exitCode}` : s.endReason,
    numberText(s.guestInsns),
    numberText(s.events),
    count(s, 'trap'),
    count(s, 'emulate'),
    count(s, 'exception', 'interrupt'),
    count(s, 'shadow-pt'),
    numberText(s.cycles),
    `${(s.cycles / base.cycles).toFixed(2)}x`,
    s.guestViewHash === base.guestViewHash ? 'yes' : 'NO',
  ];
}

/** One table: the same guest under several modes, side by side. */
export function comparison(summaries: readonly RunSummary[]): string {
  const base = summaries[0] as RunSummary;
  const table = new Table({
    head: ['mode (isa)', 'end', 'guest insns', 'events', 'traps', 'emulated', 'exc+irq', 'shadow-pt', 'virtual cycles', `vs ${base.mode}`, `guest view = ${base.mode}`],
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
      const runs = profiles.flatMap((isa) => modes.map((mode) => runToSummary(runConfig(guest, { ...options, mode, isa }))));
      io.out(comparison(runs));
    });
}
