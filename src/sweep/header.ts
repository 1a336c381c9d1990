import type { Grid } from './grid.js';

/** The version of the sweep's JSON Lines; merge refuses another. */
export const SWEEP_FORMAT = 1;

/** The first line of every sweep output: what grid the cells belong to, and which shard of it this is. */
export interface SweepHeader {
  readonly sweep: typeof SWEEP_FORMAT;
  readonly vlab: string;
  readonly grid: Grid;
  /** Cells in the whole grid (not in this shard). */
  readonly cells: number;
  readonly shard: string;
}

export function headerLine(vlab: string, grid: Grid, cells: number, shard: string): string {
  const header: SweepHeader = { sweep: SWEEP_FORMAT, vlab, grid: { guests: grid.guests, generated: grid.generated, seeds: grid.seeds, cpus: grid.cpus, isa: grid.isa, modes: grid.modes, maxInsns: grid.maxInsns, define: grid.define }, cells, shard };
  return `${JSON.stringify(header)}\n`;
}
