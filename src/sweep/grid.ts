import { DEFAULT_CPU } from '../domain/cost/profile.js';
import { VlabError } from '../domain/errors.js';
import type { IsaProfile } from '../domain/isa/table.js';
import { modeSpec } from '../engines/modes/registry.js';
import { buildFor } from '../cli/guest.js';

/**
 * What a sweep runs: every guest × seed × CPU profile × ISA profile × mode. Named guests run
 * once (seed 0: nothing in a run is random, docs/cli.md); the campaign's generated guests
 * (`generated:K`) run once per seed, seed S giving the guest case K of `vlab fuzz guests --seed S`.
 */
export interface Grid {
  readonly guests: readonly string[];
  readonly generated: number;
  readonly seeds: readonly number[];
  readonly cpus: readonly string[];
  readonly isa: readonly IsaProfile[];
  readonly modes: readonly string[];
  /** The budget of guest instructions; null: vlab's default for a named guest, the campaign's for a generated one. */
  readonly maxInsns: number | null;
  /** `-D NAME=VALUE` for the named guests' assembly. */
  readonly define: readonly string[];
}

/** One run of the grid, and its place in the grid's order. */
export interface Cell {
  readonly index: number;
  readonly guest: string;
  readonly seed: number;
  readonly cpu: string;
  readonly isa: IsaProfile;
  readonly mode: string;
  /** The build the mode runs when it is the mode's own build of the guest (paravirt: minios-pv). */
  readonly build?: string;
}

export const GENERATED_PREFIX = 'generated:';

export const generatedName = (k: number): string => `${GENERATED_PREFIX}${k}`;

/** The key that identifies a cell in every line: guest, mode, cpu, isa, seed. */
export function cellKey(c: Pick<Cell, 'guest' | 'mode' | 'cpu' | 'isa' | 'seed'>): string {
  return `${c.guest} × ${c.mode} × ${c.cpu} × ${c.isa} × seed ${c.seed}`;
}

/** The cells of the grid, in the one order every shard and merge agrees on; a mode for modified guests skips a guest with no such build. */
export function cellsOf(grid: Grid): Cell[] {
  const runs: { guest: string; seed: number }[] = [
    ...grid.guests.map((guest) => ({ guest, seed: 0 })),
    ...grid.seeds.flatMap((seed) => Array.from({ length: grid.generated }, (_, k) => ({ guest: generatedName(k), seed }))),
  ];
  const cells: Cell[] = [];
  for (const { guest, seed } of runs) {
    for (const cpu of grid.cpus) {
      for (const isa of grid.isa) {
        for (const mode of grid.modes) {
          const spec = modeSpec(mode);
          const build = guest.startsWith(GENERATED_PREFIX) ? guest : buildFor(guest, spec.guestBuild);
          if (spec.modifiedGuest && build === guest) continue;
          cells.push({ index: cells.length, guest, seed, cpu, isa, mode, ...(build === guest ? {} : { build }) });
        }
      }
    }
  }
  return cells;
}

/** Guest × mode pairs the grid leaves out, as a note: a mode for modified guests and a guest without that build. */
export function skippedPairs(grid: Grid): string[] {
  const guests = [...grid.guests, ...(grid.generated > 0 ? [`${GENERATED_PREFIX}*`] : [])];
  return guests.flatMap((guest) => grid.modes.filter((mode) => {
    const spec = modeSpec(mode);
    return spec.modifiedGuest && (guest.startsWith(GENERATED_PREFIX) || buildFor(guest, spec.guestBuild) === guest);
  }).map((mode) => `${mode} × ${guest}`));
}

export const DEFAULT_GRID: Grid = { guests: [], generated: 0, seeds: [1], cpus: [DEFAULT_CPU], isa: ['classic'], modes: [], maxInsns: null, define: [] };

/** The most cells a sweep takes: its order is computed whole, by every shard and by merge. */
export const MAX_CELLS = 10_000_000;

/** A grid is never empty (at least one guest, named or generated, and one of each other axis), nor beyond MAX_CELLS. */
export function checkGrid(grid: Grid, where: string): Grid {
  const cells = (grid.guests.length + grid.generated * grid.seeds.length) * grid.cpus.length * grid.isa.length * grid.modes.length;
  if (cells > MAX_CELLS) throw new VlabError('E_USAGE', `${where}: the grid has ${cells.toLocaleString('en-US')} cells, more than the ${MAX_CELLS.toLocaleString('en-US')} a sweep takes`);
  for (const axis of ['cpus', 'isa', 'modes'] as const) {
    if (grid[axis].length === 0) throw new VlabError('E_USAGE', `${where}: the grid has no ${axis}`);
  }
  if (grid.guests.length === 0 && grid.generated === 0) throw new VlabError('E_USAGE', `${where}: the grid has no guests (--guests, or --generated N)`);
  if (grid.generated > 0 && grid.seeds.length === 0) throw new VlabError('E_USAGE', `${where}: --generated needs at least one seed`);
  return grid;
}
