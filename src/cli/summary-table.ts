import Table from 'cli-table3';
import pc from 'picocolors';

/** Bold whenever the caller decided to colour (wantColour), whatever picocolors guessed. */
const { bold } = pc.createColors(true);
import type { RunSummary } from '../engines/summary.js';

const plain = { chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' } };

/** The widest a table may be. */
export const TABLE_WIDTH = 100;

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
  const key = (text: string): string => (colour ? bold(text) : text);
  const rows: [string, string][] = [
    ['guest', s.guest],
    ['mode', `${s.mode} (isa ${s.isa})`],
    ['end', s.endReason === 'exit' ? `exit, code ${s.exitCode}` : s.endReason],
    ['guest instructions', numberText(s.guestInsns)],
    ['events', `${numberText(s.events)}: ${byType(s.countsByType)}`],
    ['virtual cycles', `${numberText(s.cycles)}: ${byType(s.cyclesByType)}`],
    ['state hash', s.stateHash],
    ['guest view hash', s.guestViewHash],
  ];
  // Fit TABLE_WIDTH: the values wrap (at spaces) when the widest would not fit.
  const keyWidth = Math.max(...rows.map(([k]) => k.length)) + 2;
  const valueWidth = Math.max(...rows.map(([, v]) => v.length)) + 2;
  const fits = keyWidth + valueWidth + 3 <= TABLE_WIDTH;
  const table = new Table({
    ...plain,
    style: { head: [], border: [], compact: true },
    ...(fits ? {} : { colWidths: [keyWidth, TABLE_WIDTH - keyWidth - 3], wordWrap: true }),
  });
  table.push(...rows.map(([k, v]) => [key(k), v]));
  return table.toString();
}

/** The guest's console, then the summary: what `vlab run`, `record` and `replay` print. */
export function runReport(s: RunSummary, colour: boolean): string {
  const console = s.console.length === 0 || s.console.endsWith('\n') ? s.console : `${s.console}\n`;
  return `${console}${summaryTable(s, colour)}\n`;
}
