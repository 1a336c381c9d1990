import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CellRunner } from './cell.js';
import type { Cell, Grid } from './grid.js';
import type { WorkerAnswer, WorkerTask } from './worker.js';

const WORKER = new URL('./worker.js', import.meta.url);

/** Workers exist once built (dist/); the test runner loads the sources, which a worker cannot, and runs the cells on its own thread. */
export const workersAvailable = (): boolean => WORKER.pathname.endsWith('.js') && existsSync(fileURLToPath(WORKER));

/** Consecutive cells of one guest, seed, CPU and ISA profile: one task, so one worker runs their native reference once. */
function groupsOf(cells: readonly Cell[]): number[][] {
  const groups: number[][] = [];
  let last = '';
  for (const c of cells) {
    const key = `${c.guest}\n${c.seed}\n${c.cpu}\n${c.isa}`;
    if (key !== last || groups.length === 0) groups.push([]);
    groups[groups.length - 1]?.push(c.index);
    last = key;
  }
  return groups;
}

/**
 * Hands each finished line to `emit` in the order of `cells`, whatever order they finish in:
 * a line that finishes early waits in `pending` until every line before it is out.
 */
export class InOrder {
  private readonly pending = new Map<number, string>();
  private next = 0;

  constructor(
    private readonly order: readonly number[],
    private readonly emit: (line: string) => void,
  ) {}

  add(cell: number, line: string): void {
    this.pending.set(cell, line);
    for (let i = this.order[this.next]; i !== undefined && this.pending.has(i); i = this.order[this.next]) {
      this.emit(this.pending.get(i) as string);
      this.pending.delete(i);
      this.next++;
    }
  }

  get done(): number {
    return this.next + this.pending.size;
  }
}

/** Runs `cells` of `grid` on `jobs` worker threads (on this thread for one job or one group, or unbuilt); `emit` gets their lines in cell order. */
export async function runCells(grid: Grid, cells: readonly Cell[], jobs: number, emit: (line: string) => void, progress: (done: number) => void = () => {}): Promise<void> {
  const out = new InOrder(cells.map((c) => c.index), emit);
  if (cells.length === 0) return;
  const groups = groupsOf(cells);
  if (jobs <= 1 || groups.length <= 1 || !workersAvailable()) {
    const runner = new CellRunner(grid);
    for (const cell of cells) {
      out.add(cell.index, `${JSON.stringify(runner.run(cell))}\n`);
      progress(out.done);
    }
    return;
  }
  const workers = Array.from({ length: Math.min(jobs, groups.length) }, () => new Worker(WORKER, { workerData: { grid } }));
  try {
    await new Promise<void>((resolve, reject) => {
      let nextGroup = 0;
      let left = cells.length;
      const assign = (worker: Worker): void => {
        const group = groups[nextGroup++];
        if (group === undefined) return;
        let open = group.length;
        const onAnswer = (answer: WorkerAnswer): void => {
          if ('failure' in answer) return reject(new Error(`a sweep worker failed: ${answer.failure}`));
          try {
            out.add(answer.cell, answer.line);
          } catch (e) {
            return reject(e);
          }
          progress(out.done);
          if (--left === 0) resolve();
          if (--open === 0) {
            worker.off('message', onAnswer);
            assign(worker);
          }
        };
        worker.on('message', onAnswer);
        worker.postMessage({ cells: group } satisfies WorkerTask);
      };
      for (const worker of workers) {
        worker.on('error', reject);
        worker.on('exit', (code) => reject(new Error(`a sweep worker stopped (exit code ${code}) with ${left} cells to go`)));
        assign(worker);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
