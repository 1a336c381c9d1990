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
    ['end', `${endText(s.endReason, s.exitCode)}${s.vms === undefined ? '' : ` (of ${s.vms.length} VMs: the first that did not exit 0 or halt, else VM 0)`}`],
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
  const exits = s.vmExits === undefined ? '' : `\n${vmExitTable(s.vmExits, s.cycles, key)}`;
  const vms = s.vms === undefined ? '' : `\n${vmTable(s.vms, key)}`;
  return `${table.toString()}${exits}${vms}`;
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

const endText = (reason: string, code: number): string => (reason === 'exit' ? `exit, code ${code}` : reason);

/** Several VMs: each one's end, instructions, share of the CPU and host-physical RAM. */
function vmTable(vms: NonNullable<RunSummary['vms']>, key: (text: string) => string): string {
  const table = new Table({ ...plain, head: ['vm', 'guest', 'end', 'instructions', 'events', 'cycles', 'host-physical RAM'].map(key), style: { head: [], border: [], compact: true } });
  for (const v of vms) table.push([String(v.vm), v.guest.length > 16 ? `…${v.guest.slice(-15)}` : v.guest, endText(v.endReason, v.exitCode), numberText(v.guestInsns), numberText(v.events), numberText(v.cycles), v.hostPhysical]);
  return table.toString();
}

/** The guest's console, then the summary: what `vlab run`, `record` and `replay` print. */
export function runReport(s: RunSummary, colour: boolean): string {
  const console = s.console.length === 0 || s.console.endsWith('\n') ? s.console : `${s.console}\n`;
  return `${console}${summaryTable(s, colour)}\n`;
}
