import { VlabError } from '../domain/errors.js';
import type { CellResult } from './cell.js';
import { cellKey, cellsOf, type Cell } from './grid.js';
import { recordedGrid } from './grid-file.js';
import { SWEEP_FORMAT, headerLine, type SweepHeader } from './header.js';
import { shardText, WHOLE } from './shard.js';

/** One shard's output, as `vlab sweep` wrote it. */
export interface ShardOutput {
  readonly path: string;
  readonly text: string;
}

/** The whole sweep: its header (as an unsharded sweep writes it) and every cell's line, in cell order. */
export interface MergedSweep {
  readonly header: SweepHeader;
  readonly text: string;
  readonly results: readonly CellResult[];
}

const bad = (where: string, what: string): VlabError => new VlabError('E_SWEEP', `${where}: ${what}`);

function parseLine(where: string, line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw bad(where, 'not a JSON line');
  }
}

function headerOf(path: string, line: string | undefined): SweepHeader {
  const header = parseLine(`${path}:1`, line ?? '') as Partial<SweepHeader> | null;
  if (header === null || typeof header !== 'object' || header.sweep === undefined || header.grid === undefined) throw bad(`${path}:1`, 'not the header of a vlab sweep output');
  if (header.sweep !== SWEEP_FORMAT) throw bad(`${path}:1`, `sweep format ${String(header.sweep)}, this vlab reads ${SWEEP_FORMAT}`);
  if (typeof header.vlab !== 'string' || typeof header.cells !== 'number' || typeof header.shard !== 'string') throw bad(`${path}:1`, 'the header lacks vlab, cells or shard');
  return { ...(header as SweepHeader), grid: recordedGrid(header.grid, `${path}:1`) };
}

/** The same sweep: the same vlab, grid and cell count; only the shard may differ. */
function sameSweep(a: SweepHeader, b: SweepHeader): boolean {
  return JSON.stringify({ ...a, shard: '' }) === JSON.stringify({ ...b, shard: '' });
}

/** Joins shard outputs: every cell of the grid exactly once, each line checked against the grid's cell of its index. */
export function mergeShards(outputs: readonly ShardOutput[]): MergedSweep {
  const first = outputs[0];
  if (first === undefined) throw new VlabError('E_USAGE', 'merge needs at least one file');
  const twice = outputs.find((o, i) => outputs.findIndex((p) => p.path === o.path) !== i);
  if (twice !== undefined) throw new VlabError('E_USAGE', `merge: '${twice.path}' given twice`);
  const header = headerOf(first.path, first.text.split('\n', 1)[0]);
  const cells = cellsOf(header.grid);
  if (cells.length !== header.cells) throw bad(`${first.path}:1`, `the grid has ${cells.length} cells for this vlab, the header says ${header.cells}`);
  const lines = new Array<{ where: string; text: string; result: CellResult } | undefined>(cells.length);
  for (const { path, text } of outputs) {
    const rows = text.split('\n');
    if (rows[rows.length - 1] !== '') throw bad(path, 'the last line is cut short (no newline at the end)');
    const own = headerOf(path, rows[0]);
    if (!sameSweep(own, header)) throw bad(`${path}:1`, `a shard of another sweep than ${first.path}'s (vlab, grid or cells differ)`);
    rows.slice(1, -1).forEach((row, i) => {
      const where = `${path}:${i + 2}`;
      const result = checkedLine(where, parseLine(where, row), cells);
      const before = lines[result.cell];
      if (before !== undefined) throw bad(where, `cell ${result.cell} (${cellKey(result)}) again: ${before.where} has it already`);
      lines[result.cell] = { where, text: `${row}\n`, result };
    });
  }
  const missing = cells.filter((c) => lines[c.index] === undefined);
  if (missing.length > 0) {
    const shards = [...new Set(outputs.map((o) => headerOf(o.path, o.text.split('\n', 1)[0]).shard))].join(', ');
    const c = missing[0] as Cell;
    throw new VlabError('E_SWEEP', `merge: ${missing.length} of ${cells.length} cells missing, the first cell ${c.index} (${cellKey(c)}); shards read: ${shards}`);
  }
  const merged = { ...header, shard: shardText(WHOLE) };
  const body = lines.map((l) => (l as { text: string }).text).join('');
  return { header: merged, text: headerLine(merged.vlab, merged.grid, merged.cells, merged.shard) + body, results: lines.map((l) => (l as { result: CellResult }).result) };
}

function checkedLine(where: string, value: unknown, cells: readonly Cell[]): CellResult {
  const r = value as Partial<CellResult> | null;
  if (r === null || typeof r !== 'object' || typeof r.cell !== 'number') throw bad(where, 'not a cell of a vlab sweep (no "cell")');
  const cell = cells[r.cell];
  if (cell === undefined) throw bad(where, `cell ${r.cell} is not in the grid (${cells.length} cells)`);
  if (r.guest !== cell.guest || r.mode !== cell.mode || r.cpu !== cell.cpu || r.isa !== cell.isa || r.seed !== cell.seed) {
    throw bad(where, `cell ${r.cell} is ${cellKey(cell)} in the grid, the line says ${cellKey(r as CellResult)}`);
  }
  return r as CellResult;
}
