import { GENERATED_MAX_INSNS, generatedConfig, generatedGuest } from '../campaign/guests.js';
import { runConfig } from '../cli/config.js';
import { compareRuns } from '../cli/commands/compare.js';
import type { RunConfig } from '../domain/config.js';
import { DEFAULT_CPU } from '../domain/cost/profile.js';
import { VlabError } from '../domain/errors.js';
import type { IsaProfile } from '../domain/isa/table.js';
import { runToSummary, type RunSummary } from '../engines/summary.js';
import { GENERATED_PREFIX, type Cell, type Grid } from './grid.js';

/** A cell's key, as each line begins: its index in the grid's order, guest, mode, cpu, isa, seed. */
export interface CellKey {
  readonly cell: number;
  readonly guest: string;
  readonly mode: string;
  readonly cpu: string;
  readonly isa: IsaProfile;
  readonly seed: number;
  readonly build?: string;
}

/** What one cell of a sweep did: one line of the sweep's JSON Lines, its keys in this order. */
export type CellResult = RunResult | RefusedRun;

/** A cell whose run was refused (a vlab error, the line `vlab run` would print): no numbers. */
export interface RefusedRun extends CellKey {
  readonly endReason: 'error';
  readonly error: string;
}

export interface RunResult extends CellKey {
  readonly endReason: string;
  readonly exitCode: number;
  readonly guestInsns: number;
  readonly events: number;
  readonly cycles: number;
  readonly cyclesByType: RunSummary['cyclesByType'];
  readonly countsByType: RunSummary['countsByType'];
  readonly guestViewHash: string;
  /** The guest view (for a mode's own build: the output) equals native's on the same guest, seed, CPU and ISA profile. */
  readonly sameAsNative: boolean;
  /** The registry says the mode is equivalent to native on this ISA profile. */
  readonly expectedSame: boolean;
  /** cycles / native's cycles, to 4 decimals. */
  readonly cyclesVsNative: number;
}

/** Runs cells of one grid; native reference runs and guest images are kept between cells of the same guest. */
export class CellRunner {
  private readonly configs = new Map<string, RunConfig>();
  private readonly natives = new Map<string, RunSummary>();

  constructor(private readonly grid: Grid) {}

  /** Loads (assembles) a named guest as the grid builds it: its errors are the run's. */
  load(guest: string): void {
    this.config(guest, 0, 'native', 'classic', this.grid.cpus[0] ?? DEFAULT_CPU);
  }

  private config(guest: string, seed: number, mode: string, isa: IsaProfile, cpu: string): RunConfig {
    const key = `${guest}\n${seed}`;
    let base = this.configs.get(key);
    if (base === undefined) {
      if (this.configs.size > 16) this.configs.clear();
      base = guest.startsWith(GENERATED_PREFIX) ? generated(guest, seed, this.grid.maxInsns ?? GENERATED_MAX_INSNS) : runConfig(guest, { define: this.grid.define, ...(this.grid.maxInsns === null ? {} : { maxInsns: String(this.grid.maxInsns) }) });
      this.configs.set(key, base);
    }
    return { ...base, mode, isa, cpu };
  }

  private native(cell: Cell): RunSummary {
    const key = `${cell.guest}\n${cell.seed}\n${cell.cpu}\n${cell.isa}`;
    let summary = this.natives.get(key);
    if (summary === undefined) {
      if (this.natives.size > 64) this.natives.clear();
      summary = runToSummary(this.config(cell.guest, cell.seed, 'native', cell.isa, cell.cpu));
      this.natives.set(key, summary);
    }
    return summary;
  }

  /** One cell's line: its run compared with native's (vlab compare's verdict). */
  run(cell: Cell): CellResult {
    const key: CellKey = { cell: cell.index, guest: cell.guest, mode: cell.mode, cpu: cell.cpu, isa: cell.isa, seed: cell.seed, ...(cell.build === undefined ? {} : { build: cell.build }) };
    try {
      const summary = cell.mode === 'native' && cell.build === undefined ? this.native(cell) : runToSummary(this.config(cell.build ?? cell.guest, cell.seed, cell.mode, cell.isa, cell.cpu));
      const [compared] = compareRuns([cell.build === undefined ? { summary } : { summary, build: cell.build }], () => this.native(cell)).runs;
      if (compared === undefined) throw new Error('compareRuns returned no run');
      return {
        ...key,
        endReason: summary.endReason,
        exitCode: summary.exitCode,
        guestInsns: summary.guestInsns,
        events: summary.events,
        cycles: summary.cycles,
        cyclesByType: summary.cyclesByType,
        countsByType: summary.countsByType,
        guestViewHash: summary.guestViewHash,
        sameAsNative: compared.sameAsNative,
        expectedSame: compared.expectedSame,
        cyclesVsNative: Number(compared.cyclesVsNative.toFixed(4)),
      };
    } catch (e) {
      if (!(e instanceof VlabError)) throw e;
      return { ...key, endReason: 'error', error: e.message };
    }
  }
}

function generated(guest: string, seed: number, maxInsns: number): RunConfig {
  const k = Number(guest.slice(GENERATED_PREFIX.length));
  const config = generatedConfig(generatedGuest(seed, k), 'native', 'classic', maxInsns);
  if (config === undefined) throw new VlabError('E_ASSEMBLY', `${guest} (seed ${seed}) does not assemble`);
  return { ...config, guest };
}
