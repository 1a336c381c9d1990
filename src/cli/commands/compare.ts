import Table from 'cli-table3';
import type { Command } from 'commander';
import type { Mode } from '../../domain/config.js';
import { IMPLEMENTED_MODES } from '../../engines/run.js';
import { runToSummary, type RunSummary } from '../../engines/summary.js';
import { parseMode, runConfig } from '../config.js';
import type { Io } from '../io.js';
import { runOptions } from '../options.js';
import { numberText } from '../summary-table.js';

const count = (s: RunSummary, ...types: (keyof RunSummary['countsByType'])[]): string =>
  numberText(types.reduce((n, t) => n + (s.countsByType[t] ?? 0), 0));

function row(s: RunSummary, base: RunSummary): string[] {
  return [
    s.mode,
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
    head: ['mode', 'end', 'guest insns', 'events', 'traps', 'emulated', 'exc+irq', 'shadow-pt', 'virtual cycles', `vs ${base.mode}`, 'guest view = ' + base.mode],
    style: { head: [], border: [], compact: true },
  });
  for (const s of summaries) table.push(row(s, base));
  const consoles = new Set(summaries.map((s) => s.console));
  const consoleText = consoles.size === 1 ? `${base.console}${base.console.endsWith('\n') ? '' : '\n'}` : '';
  const note = consoles.size === 1 ? '' : 'the consoles differ: run the modes one by one (vlab run --mode M) to see each\n';
  return `${consoleText}${table.toString()}\n${note}`;
}

export function registerCompare(program: Command, io: Io): void {
  runOptions(program.command('compare').argument('[guest]', 'a .s file, an image, or a guest name', 'minios'), false)
    .description('run a guest under several modes and compare what they did and cost')
    .option('--modes <list>', 'comma-separated modes (default: every implemented mode)')
    .action((guest: string, options: Parameters<typeof runConfig>[1] & { modes?: string }) => {
      const modes: Mode[] = options.modes === undefined ? IMPLEMENTED_MODES : options.modes.split(',').map((m) => parseMode(m.trim()));
      io.out(comparison(modes.map((mode) => runToSummary(runConfig(guest, { ...options, mode })))));
    });
}
