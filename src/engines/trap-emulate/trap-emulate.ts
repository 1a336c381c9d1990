import { Eff } from '../../domain/events/effects.js';
import { TypeCode } from '../../domain/events/event.js';
import type { ShadowOp, TrapCause } from '../../domain/events/vmm.js';
import { SHADOW_OPS, TRAP_CAUSES, WORLD_SWITCH_DIRECTIONS } from '../../domain/events/vmm.js';
import { Cr0, Flag, PfError, Vector } from '../../domain/isa/arch.js';
import { Reg } from '../../domain/state/layout.js';
import { NO_BASE, Op } from '../../domain/isa/table.js';
import { Cpu } from '../cpu/cpu.js';
import { Access, GuestMmu, type Fault } from '../cpu/mmu.js';
import { acknowledge } from '../cpu/pic.js';
import type { RunContext } from '../loop.js';
import { Step, type Platform } from '../platform.js';
import { ShadowMmu, fillAllows, fillEffects, guestWalk, syncEffects } from './shadow.js';
import { VirtualCpuView, guestCpl } from './vcpu.js';

const TRAP = TypeCode.trap;
const isPortIo = (opcode: number | undefined): boolean =>
  opcode === Op.IN_I || opcode === Op.IN_R || opcode === Op.OUT_I || opcode === Op.OUT_R;
const SHADOW_PT = TypeCode['shadow-pt'];
const WORLD_SWITCH = TypeCode['world-switch'];

/** Where the VMM keeps its own descriptor tables: what `sidt`/`sgdt` leak on `classic`. */
export const VMM_IDT_BASE = 0xffc0_0000;
export const VMM_GDT_BASE = 0xffc0_1000;

/**
 * Classic trap-and-emulate (Popek & Goldberg 1974): the guest kernel runs deprivileged at
 * CPL 1 with the VMM's IDT, shadow page tables and IF kept set. Every fault reaches the
 * VMM as a `trap`; the VMM then emulates the instruction on the virtual CPU with the shared
 * CPU core, fills or syncs the shadow page table, or reflects the fault into the guest
 * through the guest's own IDT. Sensitive unprivileged instructions are not trapped: on
 * the `classic` profile they silently do the wrong thing, which is the point.
 */
export function trapEmulatePlatform(ctx: RunContext): Platform {
  const m = ctx.machine;
  const out = ctx.batch;
  const costs = ctx.costs.cycles;
  const hardware = new Cpu(m, m.cpu, new ShadowMmu(m), out, ctx.apply, { profile: ctx.config.profile, costs: ctx.costs });
  const view = new VirtualCpuView(m, out, ctx.apply);
  const vcpuMmu = new GuestMmu(m.memory, view.regs, Reg.CR0, Reg.CR3);
  const emulator = new Cpu(m, view.regs, vcpuMmu, view.scratch, view.relay, {
    profile: ctx.config.profile,
    costs: ctx.costs,
    sensitiveType: TypeCode.emulate,
    plainType: TypeCode.emulate,
  });
  let exit: number | undefined;

  function launch(): void {
    out.open(WORLD_SWITCH, WORLD_SWITCH_DIRECTIONS.indexOf('to-guest'), 0, 0, 0);
    out.effect(Eff.CPU, Reg.CPL, 1);
    out.effect(Eff.CPU, Reg.FLAGS, Flag.IF);
    out.effect(Eff.CPU, Reg.CR0, (Cr0.PE | Cr0.WP | Cr0.PG) >>> 0);
    out.effect(Eff.CPU, Reg.IDTR_BASE, VMM_IDT_BASE);
    out.effect(Eff.CPU, Reg.IDTR_LIMIT, 0x7ff);
    out.effect(Eff.CPU, Reg.GDTR_BASE, VMM_GDT_BASE);
    out.effect(Eff.CPU, Reg.GDTR_LIMIT, 0xff);
    ctx.apply(out.close(0));
  }

  function trap(cause: TrapCause, f: Fault): void {
    out.open(TRAP, TRAP_CAUSES.indexOf(cause), f.vector, f.returnPc, f.errorCode);
    ctx.apply(out.close(costs.trap));
  }

  function shadowEvent(op: ShadowOp, vaddr: number, paddr: number, write: () => void, cost: number): void {
    out.open(SHADOW_PT, SHADOW_OPS.indexOf(op), vaddr, paddr, 0);
    write();
    ctx.apply(out.close(cost));
  }

  /** Runs the trapped instruction on the virtual CPU; a fault it raises is reflected. */
  function emulate(): boolean {
    view.refresh();
    view.overhead = costs.emulate;
    emulator.exitCode = undefined;
    const invlpgAddress = invlpgOperand();
    if (emulator.step() === Step.FAULT) return reflect(emulator.fault);
    exit = emulator.exitCode;
    if (invlpgAddress !== undefined) {
      const vpn = invlpgAddress >>> 12;
      shadowEvent('invlpg', invlpgAddress, 0, () => m.shadow.has(vpn) && out.effect(Eff.SHADOW_CLEAR, vpn, 0), costs.shadowSync);
    }
    if (view.pagingChanged) shadowEvent('flush', 0, 0, () => out.effect(Eff.SHADOW_FLUSH, 0, 0), costs.shadowFlush);
    return true;
  }

  function invlpgOperand(): number | undefined {
    const insn = emulator.peek();
    if (insn === undefined || insn.opcode !== Op.INVLPG) return undefined;
    return ((insn.rs === NO_BASE ? 0 : (view.regs[insn.rs] as number)) + insn.imm) >>> 0;
  }

  /** Delivers a fault through the guest's IDT on the virtual CPU. */
  function reflect(f: Fault): boolean {
    view.refresh();
    view.overhead = costs.reflect;
    return emulator.deliver(f.vector, f.errorCode, f.returnPc, f.software ? 'software' : 'fault', f.address);
  }

  function pageFault(f: Fault): boolean {
    const access = f.errorCode & PfError.W ? Access.WRITE : f.returnPc === f.address ? Access.FETCH : Access.READ;
    const user = (f.errorCode & PfError.U) !== 0;
    const guestFault: Fault = { ...f };
    const walked = guestWalk(m, f.address, access, user, guestFault);
    if (walked.paddr < 0) return reflect({ ...f, errorCode: guestFault.errorCode });
    if (fillAllows(m, f.address, access, walked)) {
      shadowEvent('fill', f.address, walked.paddr, () => fillEffects(m, out, f.address, walked), costs.shadowFill);
      return true;
    }
    if (!emulate()) return false;
    shadowEvent('sync', f.address, walked.paddr, () => syncEffects(m, out, walked.paddr), costs.shadowSync);
    return true;
  }

  function dispatchFault(f: Fault): boolean {
    if (f.vector === Vector.PF) {
      trap('page-fault', f);
      return pageFault(f);
    }
    if (f.software) {
      trap('exception', f);
      return reflect(f);
    }
    if (f.vector === Vector.GP && guestCpl(m.cpu[Reg.CPL] as number) === 0) {
      trap(isPortIo(hardware.peek()?.opcode) ? 'io' : 'privileged', f);
      return emulate();
    }
    trap('exception', f);
    return f.vector === Vector.GP || f.vector === Vector.UD ? emulate() : reflect(f);
  }

  return {
    start: launch,
    fault: hardware.fault,
    step: () => hardware.step(),
    dispatchFault,
    deliverInterrupt(line: number): boolean {
      view.refresh();
      view.overhead = costs.inject;
      const wake = m.vcpu[Reg.HALTED] ? [Eff.CPU, Reg.HALTED, 0] : [];
      return emulator.deliver(32 + line, 0, m.cpu[Reg.PC] as number, 'external', 0, [...acknowledge(m.dev, line, Eff.DEV), ...wake]);
    },
    interruptsEnabled: () => ((m.vcpu[Reg.FLAGS] as number) & Flag.IF) !== 0,
    halted: () => m.vcpu[Reg.HALTED] === 1,
    exitCode: () => {
      const code = hardware.exitCode ?? exit;
      exit = undefined;
      return code;
    },
  };
}
