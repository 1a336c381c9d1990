import p4 from './profiles/p4-prescott-2005.json' with { type: 'json' };
import core2 from './profiles/core2-merom-2006.json' with { type: 'json' };
import nehalem from './profiles/nehalem-2008.json' with { type: 'json' };
import sandybridge from './profiles/sandybridge-2011.json' with { type: 'json' };
import skylake from './profiles/skylake-2015.json' with { type: 'json' };
import { COST_KEYS, type CostKey } from './keys.js';

/**
 * A CPU generation's cycle cost of each cost component, every number with its source.
 * Profiles are data (profiles/*.json); the event specs say which components an event uses.
 */
export interface CpuProfile {
  readonly name: string;
  readonly description: string;
  readonly cycles: Readonly<Record<CostKey, number>>;
  readonly sources: Readonly<Record<CostKey, string>>;
  /** The cycles of each cost key, in COST_KEYS order. */
  readonly vector: Float64Array;
  /** Binary translation: hidden page faults of one kernel instruction on traced page tables before it is retranslated into a callout. */
  readonly btAdaptiveFaults: number;
  readonly btAdaptiveFaultsSource: string;
}

function validate(raw: { name: string; description: string; cycles: Record<string, number>; sources: Record<string, string>; btAdaptiveFaults: number; btAdaptiveFaultsSource: string }): CpuProfile {
  if (!(raw.btAdaptiveFaults >= 1)) throw new Error(`CPU profile ${raw.name}: btAdaptiveFaults must be at least 1`);
  for (const key of COST_KEYS) {
    if (typeof raw.cycles[key] !== 'number') throw new Error(`CPU profile ${raw.name}: no cycles for '${key}'`);
    if (typeof raw.sources[key] !== 'string') throw new Error(`CPU profile ${raw.name}: no source for '${key}'`);
  }
  for (const key of Object.keys(raw.cycles)) {
    if (!(COST_KEYS as readonly string[]).includes(key)) throw new Error(`CPU profile ${raw.name}: unknown cost key '${key}'`);
  }
  return { ...raw, cycles: raw.cycles as Record<CostKey, number>, sources: raw.sources as Record<CostKey, string>, vector: Float64Array.from(COST_KEYS, (k) => raw.cycles[k] as number) };
}

export const CPU_PROFILES: ReadonlyMap<string, CpuProfile> = new Map([p4, core2, nehalem, sandybridge, skylake].map((raw) => [raw.name, validate(raw)]));
export const DEFAULT_CPU = 'p4-prescott-2005';

export function cpuProfile(name: string): CpuProfile | undefined {
  return CPU_PROFILES.get(name);
}

/** Cycles of a ledger (events charged per cost key) under a profile. */
export function ledgerCycles(ledger: ArrayLike<number>, cpu: CpuProfile): number {
  let total = 0;
  for (let k = 0; k < COST_KEYS.length; k++) total += (ledger[k] ?? 0) * (cpu.vector[k] as number);
  return total;
}
