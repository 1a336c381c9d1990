import { parentPort, workerData } from 'node:worker_threads';
import { CellRunner } from './cell.js';
import { cellsOf, type Grid } from './grid.js';

/** What the pool sends a worker: the cells of one group (one guest, seed, CPU and ISA profile), by index. */
export interface WorkerTask {
  readonly cells: readonly number[];
}

/** What a worker answers: one cell's line, or the failure that stops the sweep. */
export type WorkerAnswer = { readonly cell: number; readonly line: string } | { readonly failure: string };

const grid = (workerData as { grid: Grid }).grid;
const cells = cellsOf(grid);
const runner = new CellRunner(grid);

parentPort?.on('message', (task: WorkerTask) => {
  try {
    for (const index of task.cells) {
      const cell = cells[index];
      if (cell === undefined) throw new Error(`no cell ${index} in the grid`);
      parentPort?.postMessage({ cell: index, line: `${JSON.stringify(runner.run(cell))}\n` } satisfies WorkerAnswer);
    }
  } catch (e) {
    parentPort?.postMessage({ failure: (e as Error).stack ?? String(e) } satisfies WorkerAnswer);
  }
});
