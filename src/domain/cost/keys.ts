/**
 * The components of the cost model: every CPU profile gives each a cycle count with its
 * source, and every event is charged as a sum of them (the event specs' `charge`). A run's
 * ledger counts the charges, so its cycles under any profile are one dot product.
 */
export const COST_KEYS = [
  // a native instruction of each class (cost/classes.ts)
  'alu', 'mul', 'div', 'memory', 'branch', 'stack', 'call', 'flags', 'system', 'rdtsc', 'iret', 'io',
  // delivery through the IDT by the hardware
  'fault', 'softInt', 'interrupt',
  'walk', // one memory reference of a page walk, after a miss in the TLB (the cost-only model)
  'idleStep',
  // software that stands between the guest and the machine
  'interpret', // an interpreter's fetch, decode and dispatch of one instruction
  'trap', // a fault's round trip from a deprivileged guest into the VMM and back
  'vmmWork', // one unit of VMM software: emulate an instruction, build a guest frame, fill a shadow entry
  // a binary translator (engines/bt)
  'translate', // translating one guest instruction into the translation cache
  'tcLookup', // an indirect control transfer's lookup of its target in the translation cache
  'callout', // a call from translated code into the VMM and back
  'inlineEmulate', // a sensitive instruction emulated inline against the virtual CPU inside the translation cache
  // hardware assist (VT-x): the transitions themselves and the VMM's VMCS accesses
  'vmexit', 'vmentry', 'vmread', 'vmwrite',
] as const;
export type CostKey = (typeof COST_KEYS)[number];

export const COST_KEY_INDEX: Readonly<Record<CostKey, number>> = Object.fromEntries(COST_KEYS.map((k, i) => [k, i])) as Record<CostKey, number>;

/**
 * The components of virtualization itself, from 'interpret' on: software and transitions that
 * stand between the guest and the machine, which native does not pay. The rest is the
 * machine's own work for the guest (its instructions, its faults and interrupts, page walks).
 */
export const IS_VMM_KEY: readonly boolean[] = COST_KEYS.map((_, i) => i >= COST_KEY_INDEX.interpret);
