import Table from 'cli-table3';
import pc from 'picocolors';
import type { RunSummary } from '../engines/summary.js';

const plain = { chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' } };

export function numberText(n: number): string {
  return n.toLocaleString('en-US');
}

function byType(counts: RunSummary['countsByType']): string {
  return Object.entries(counts)
    .filter(([, n]) => (n ?? 0) > 0)
    .map(([type, n]) => `${type} ${numberText(n ?? 0)}`)
    .join(', ');
}

/** The summary printed after a run's console: what ended it and what it cost. */
export function summaryTable(s: RunSummary, colour: boolean): string {
  const key = (text: string): string => (colour ? pc.bold(text) : text);
  const table = new Table({ ...plain, style: { head: [], border: [], compact: true } });
  table.push(
    [key('guest'), s.guest],
    [key('mode'), `${s.mode} (isa ${s.isa})`],
    [key('end'), s.endReason === 'exit' ? `exit, code ${s.exitCode}` : s.endReason],
    [key('guest instructions'), numberText(s.guestInsns)],
    [key('events'), `${numberText(s.events)}: ${byType(s.countsByType)}`],
    [key('virtual cycles'), `${numberText(s.cycles)}: ${byType(s.cyclesByType)}`],
    [key('state hash'), s.stateHash],
    [key('guest view hash'), s.guestViewHash],
  );
  const exits = s.vmExits === undefined ? '' : `\n${vmExitTable(s.vmExits, s.cycles, key)}`;
  return `${table.toString()}${exits}`;
}

/** VM exits by reason, as `perf kvm stat` lists them: count, share, cycles from exit to entry, share. */
function vmExitTable(exits: NonNullable<RunSummary['vmExits']>, runCycles: number, key: (text: string) => string): string {
  const count = exits.reduce((sum, e) => sum + e.count, 0);
  const cycles = exits.reduce((sum, e) => sum + e.cycles, 0);
  const pct = (n: number, of: number): string => `${of === 0 ? '0.0' : ((100 * n) / of).toFixed(1)}%`;
  const table = new Table({ ...plain, head: ['VM exit (reason)', 'exits', 'exits %', 'cycles', 'cycles %', 'cycles/exit'].map(key), style: { head: [], border: [], compact: true } });
  for (const e of exits) table.push([`${e.name} (${e.reason})`, numberText(e.count), pct(e.count, count), numberText(Math.round(e.cycles)), pct(e.cycles, cycles), numberText(Math.round(e.cycles / e.count))]);
  table.push([key('total'), numberText(count), '', numberText(Math.round(cycles)), `${pct(cycles, runCycles)} of the run`, count === 0 ? '' : numberText(Math.round(cycles / count))]);
  return table.toString();
}

/** The guest's console, then the summary: what `vlab run`, `record` and `replay` print. */
export function runReport(s: RunSummary, colour: boolean): string {
  const console = s.console.length === 0 || s.console.endsWith('\n') ? s.console : `${s.console}\n`;
  return `${console}${summaryTable(s, colour)}\n`;
}
