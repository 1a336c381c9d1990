import { VlabError } from '../domain/errors.js';
import { CellRunner } from './cell.js';
import { cellsOf, GENERATED_PREFIX, type Cell, type Grid } from './grid.js';
import { headerLine } from './header.js';
import { runCells } from './pool.js';
import { inShard, shardText, type Shard } from './shard.js';

export interface SweepPlan {
  readonly grid: Grid;
  readonly shard: Shard;
  readonly jobs: number;
  readonly vlab: string;
}

/** An axis that names the same thing twice would make two cells with one key. */
function checkDistinct(grid: Grid): void {
  for (const axis of ['guests', 'seeds', 'cpus', 'isa', 'modes'] as const) {
    const values: readonly (string | number)[] = grid[axis];
    const twice = values.find((v, i) => values.indexOf(v) !== i);
    if (twice !== undefined) throw new VlabError('E_USAGE', `sweep: ${axis} lists '${twice}' twice`);
  }
  const generatedName = grid.guests.find((g) => g.startsWith(GENERATED_PREFIX));
  if (generatedName !== undefined) throw new VlabError('E_USAGE', `sweep: '${generatedName}' is a generated guest's name; use --generated N`);
}

/** Every named guest (and build a mode of the grid runs) loads and assembles, before any cell runs: a bad guest is one error, not a line per cell. */
function checkGuests(grid: Grid, cells: readonly Cell[]): void {
  const runner = new CellRunner(grid);
  const builds = new Set(cells.filter((c) => !c.guest.startsWith(GENERATED_PREFIX)).map((c) => c.build ?? c.guest));
  for (const guest of [...grid.guests, ...builds]) runner.load(guest);
}

/** The cells of the plan's shard, and the header line that starts its output. */
export function planSweep(plan: SweepPlan): { readonly header: string; readonly cells: readonly Cell[] } {
  checkDistinct(plan.grid);
  const all = cellsOf(plan.grid);
  checkGuests(plan.grid, all);
  return { header: headerLine(plan.vlab, plan.grid, all.length, shardText(plan.shard)), cells: all.filter((c) => inShard(c.index, plan.shard)) };
}

/** Checks the plan (`planned` is called once it holds), then writes the header and one line per cell of the shard, in cell order. */
export async function sweep(plan: SweepPlan, write: (text: string) => void, progress?: (done: number, of: number) => void, planned?: () => void): Promise<number> {
  const { header, cells } = planSweep(plan);
  planned?.();
  write(header);
  await runCells(plan.grid, cells, plan.jobs, write, (done) => progress?.(done, cells.length));
  return cells.length;
}
