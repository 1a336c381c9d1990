import type { IsaProfile } from '../domain/isa/table.js';
import { MODES } from '../engines/modes/registry.js';
import type { RunSummary } from '../engines/summary.js';
import { textTable } from './text-table.js';
import { numberText } from './summary-table.js';

/** The nanobenchmarks (guests/nano), in the order of the table. */
export const NANOBENCHES = ['syscall', 'in', 'cr8wr', 'callret', 'pgfault', 'divzero', 'ptemod'] as const;

/** Iterations of the shorter run; the longer runs twice as many: (cycles(2N) − cycles(N)) / N cancels fixed costs. */
export const NANO_N = 1000;

/** Every mode that runs unmodified guests, native first; each on the first ISA profile it is correct on (classic when it can). */
export function nanoModes(): { readonly mode: string; readonly isa: IsaProfile }[] {
  return MODES.filter((m) => !m.modifiedGuest).map((m) => ({ mode: m.name, isa: m.correctOn.includes('classic') ? 'classic' : (m.correctOn[0] ?? 'classic') }));
}

export interface NanoCell {
  readonly mode: string;
  readonly isa: IsaProfile;
  /** Cycles per operation, or undefined when a run did not end with exit 0. */
  readonly cyclesPerOp: number | undefined;
}

export interface NanoRow {
  readonly bench: string;
  readonly cells: readonly NanoCell[];
}

export interface NanoSuite {
  readonly cpu: string;
  readonly n: number;
  readonly rows: readonly NanoRow[];
}

const ok = (s: RunSummary): boolean => s.endReason === 'exit' && s.exitCode === 0;

/** Runs each nanobenchmark N and 2N times under each mode: cycles per operation. */
export function nanobench(cpu: string, summaryOf: (guest: string, mode: string, isa: IsaProfile, n: number) => RunSummary, progress?: (done: number, of: number, what: string) => void, n = NANO_N): NanoSuite {
  const modes = nanoModes();
  const total = NANOBENCHES.length * modes.length;
  let done = 0;
  const rows = NANOBENCHES.map((bench) => ({
    bench,
    cells: modes.map(({ mode, isa }): NanoCell => {
      progress?.(done++, total, `${bench} under ${mode}`);
      const once = summaryOf(`nano/${bench}`, mode, isa, n);
      const twice = summaryOf(`nano/${bench}`, mode, isa, 2 * n);
      return { mode, isa, cyclesPerOp: ok(once) && ok(twice) ? (twice.cycles - once.cycles) / n : undefined };
    }),
  }));
  return { cpu, n, rows };
}

const opText = (c: NanoCell): string => (c.cyclesPerOp === undefined ? 'failed' : numberText(Math.round(c.cyclesPerOp)));

/** The table: a row per nanobenchmark, a column per mode (native first), cycles per operation. */
export function nanobenchText(s: NanoSuite): string {
  const first = s.rows[0];
  if (first === undefined) return '';
  const head = ['benchmark', ...first.cells.map((c) => c.mode)];
  const rows = s.rows.map((r) => [r.bench, ...r.cells.map(opText)]);
  const profiles = first.cells.filter((c) => c.isa !== 'classic').map((c) => `${c.mode} ran on the ${c.isa} ISA profile (where it is correct), the others on classic\n`);
  return [
    `cycles per operation on ${s.cpu}: (cycles with 2N iterations − cycles with N) / N, N = ${numberText(s.n)}\n`,
    `${textTable(head, rows, head.map((_, i) => i > 0))}\n`,
    ...profiles,
  ].join('');
}

/** `compare --suite nanobench --json`. */
export function nanobenchJson(s: NanoSuite): unknown {
  return {
    suite: 'nanobench',
    cpu: s.cpu,
    iterations: [s.n, 2 * s.n],
    rows: s.rows.map((r) => ({ benchmark: r.bench, cyclesPerOp: Object.fromEntries(r.cells.map((c) => [c.mode, c.cyclesPerOp === undefined ? null : Number(c.cyclesPerOp.toFixed(2))])) })),
    isa: Object.fromEntries((s.rows[0]?.cells ?? []).map((c) => [c.mode, c.isa])),
  };
}
