import { numberText } from '../cli/summary-table.js';
import { textTable } from '../cli/text-table.js';
import type { CellResult, RunResult } from './cell.js';
import type { Grid } from './grid.js';

/** One row of the merge's summary: the cells of one mode on one CPU and ISA profile. */
export interface SummaryRow {
  readonly mode: string;
  readonly cpu: string;
  readonly isa: string;
  readonly cells: number;
  /** Cells whose run was refused (no numbers). */
  readonly errors: number;
  /** Cells whose guest view (or output, for a mode's own build) equals native's. */
  readonly sameAsNative: number;
  /** Cells that differ from native where the registry says the mode is equivalent. */
  readonly unexpected: number;
  /** Geometric mean of cycles / native's cycles over the cells that ran (the mean of ratios); null with none. */
  readonly meanSlowdown: number | null;
  readonly cycles: number;
}

const ran = (r: CellResult): r is RunResult => r.endReason !== 'error';

/** Per mode × CPU × ISA profile, in the grid's order: cells, same as native, mean slowdown. */
export function summarize(grid: Grid, results: readonly CellResult[]): SummaryRow[] {
  return grid.modes.flatMap((mode) => grid.cpus.flatMap((cpu) => grid.isa.flatMap((isa) => {
    const cells = results.filter((r) => r.mode === mode && r.cpu === cpu && r.isa === isa);
    if (cells.length === 0) return [];
    const runs = cells.filter(ran);
    const logs = runs.filter((r) => r.cyclesVsNative > 0).map((r) => Math.log(r.cyclesVsNative));
    return [{
      mode, cpu, isa,
      cells: cells.length,
      errors: cells.length - runs.length,
      sameAsNative: runs.filter((r) => r.sameAsNative).length,
      unexpected: runs.filter((r) => r.expectedSame && !r.sameAsNative).length,
      meanSlowdown: logs.length === 0 ? null : Number(Math.exp(logs.reduce((a, b) => a + b, 0) / logs.length).toFixed(4)),
      cycles: runs.reduce((sum, r) => sum + r.cycles, 0),
    }];
  })));
}

/** The summary as a table that fits 100 columns. */
export function summaryText(rows: readonly SummaryRow[]): string {
  const errors = rows.some((r) => r.errors > 0);
  const head = ['mode', 'cpu', 'isa', 'cells', ...(errors ? ['errors'] : []), 'same view', 'bugs', 'cycles', 'slowdown'];
  const body = rows.map((r) => [r.mode, r.cpu, r.isa, numberText(r.cells), ...(errors ? [numberText(r.errors)] : []), numberText(r.sameAsNative), numberText(r.unexpected), numberText(r.cycles), r.meanSlowdown === null ? '-' : `${r.meanSlowdown.toFixed(2)}x`]);
  const notes = [
    'same view: cells whose guest view (a build of its own: output) equals native\'s',
    'bugs: cells that differ from native where the registry says the mode is equivalent',
    'slowdown: geometric mean over the cells of cycles / native\'s (same guest, seed, CPU, ISA)',
  ];
  return `${textTable(head, body, head.map((_, i) => i >= 3))}\n${notes.join('\n')}\n`;
}
