import { Eff } from '../../domain/events/effects.js';
import { Flag } from '../../domain/isa/arch.js';
import { Reg } from '../../domain/state/layout.js';
import { Cpu, type CpuOptions } from '../cpu/cpu.js';
import { GuestMmu, type Fault } from '../cpu/mmu.js';
import { acknowledge } from '../cpu/pic.js';
import type { RunContext } from '../loop.js';
import type { Platform } from '../platform.js';

/**
 * The guest's own CPU state is the machine's CPU and its own page tables translate: bare
 * metal, and an interpreter that models the whole CPU (emulate) alike.
 */
export function directPlatform(ctx: RunContext, options: Omit<CpuOptions, 'profile' | 'costs'> = {}): Platform {
  const m = ctx.machine;
  const mmu = new GuestMmu(m.memory, m.cpu, Reg.CR0, Reg.CR3);
  const cpu = new Cpu(m, m.cpu, mmu, ctx.batch, ctx.apply, { profile: ctx.config.profile, costs: ctx.costs, ...options });
  return {
    fault: cpu.fault,
    step: () => cpu.step(),
    dispatchFault: (f: Fault) => cpu.deliver(f.vector, f.errorCode, f.returnPc, f.software ? 'software' : 'fault', f.address),
    deliverInterrupt: (line: number) => {
      const wake = m.cpu[Reg.HALTED] ? [Eff.CPU, Reg.HALTED, 0] : [];
      return cpu.deliver(32 + line, 0, m.cpu[Reg.PC] as number, 'external', 0, [...acknowledge(m.dev, line, Eff.DEV), ...wake]);
    },
    interruptsEnabled: () => ((m.cpu[Reg.FLAGS] as number) & Flag.IF) !== 0,
    halted: () => m.cpu[Reg.HALTED] === 1,
    exitCode: () => cpu.exitCode,
  };
}
