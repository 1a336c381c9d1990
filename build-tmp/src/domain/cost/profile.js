import p4 from './profiles/p4-2005.json' with { type: 'json' };
import core2 from './profiles/core2-merom-2006.json' with { type: 'json' };
import { COST_KEYS } from './keys.js';
function validate(raw) {
    for (const key of COST_KEYS) {
        if (typeof raw.cycles[key] !== 'number')
            throw new Error(`CPU profile ${raw.name}: no cycles for '${key}'`);
        if (typeof raw.sources[key] !== 'string')
            throw new Error(`CPU profile ${raw.name}: no source for '${key}'`);
    }
    for (const key of Object.keys(raw.cycles)) {
        if (!COST_KEYS.includes(key))
            throw new Error(`CPU profile ${raw.name}: unknown cost key '${key}'`);
    }
    return { ...raw, cycles: raw.cycles, sources: raw.sources, vector: Float64Array.from(COST_KEYS, (k) => raw.cycles[k]) };
}
export const CPU_PROFILES = new Map([p4, core2].map((raw) => [raw.name, validate(raw)]));
export const DEFAULT_CPU = 'p4-2005';
export function cpuProfile(name) {
    return CPU_PROFILES.get(name);
}
/** Cycles of a ledger (events charged per cost key) under a profile. */
export function ledgerCycles(ledger, cpu) {
    let total = 0;
    for (let k = 0; k < COST_KEYS.length; k++)
        total += (ledger[k] ?? 0) * cpu.vector[k];
    return total;
}
