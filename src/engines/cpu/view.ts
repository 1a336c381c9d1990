import { Eff } from '../../domain/events/effects.js';
import type { EventLog } from './log.js';

/**
 * The CPU as an instruction or a delivery sees it: what system.ts reads and writes. On
 * hardware it is the register file itself; under ring compression the VMM splits it
 * between the physical and the virtual CPU (vmm/ring-compression.ts).
 */
export interface CpuView {
  get(reg: number): number; // uint32
  set(reg: number, value: number): void; // changes the state and logs the effect
}

export function directView(regs: Int32Array, log: EventLog): CpuView {
  return {
    get: (reg) => (regs[reg] as number) >>> 0,
    set: (reg, value) => {
      regs[reg] = value;
      log.effect(Eff.CPU, reg, value >>> 0);
    },
  };
}
