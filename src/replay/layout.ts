import { crc32 } from 'node:zlib';
import { COST_KEYS } from '../domain/cost/keys.js';
import { EVENT_SPECS } from '../domain/events/registry.js';
import { EFFECTS, machineFields, vmFields } from '../domain/state/schema.js';

/**
 * What a trace's bytes mean beyond the container format: event codes and their fields,
 * effect codes, state fields and cost keys. A trace records its fingerprint, so a vlab
 * whose declarations changed refuses the trace with one line instead of misreading it.
 */
export const LAYOUT = ((): string => {
  const described = JSON.stringify({
    events: EVENT_SPECS.map((s) => [s.code, s.type, Object.keys(s.fields)]),
    effects: EFFECTS.map((e) => e.name),
    vm: vmFields(),
    machine: machineFields(),
    cost: COST_KEYS,
  });
  return crc32(described).toString(16).padStart(8, '0');
})();
