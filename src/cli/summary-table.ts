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
  return table.toString();
}

/** The guest's console, then the summary: what `vlab run`, `record` and `replay` print. */
export function runReport(s: RunSummary, colour: boolean): string {
  const console = s.console.length === 0 || s.console.endsWith('\n') ? s.console : `${s.console}\n`;
  return `${console}${summaryTable(s, colour)}\n`;
}
