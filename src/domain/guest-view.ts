import type { Mode } from './config.js';
import type { Event } from './events/event.js';
import { ALU_FLAGS, SYSTEM_FLAGS } from './isa/arch.js';
import { Hasher, hashPages } from './state/hash.js';
import { CPU_REGISTERS, Reg } from './state/layout.js';
import type { MachineState } from './state/machine.js';

/** Modes whose guest kernel runs deprivileged at CPL 1, with its system state in the VMM's virtual CPU. */
const RING_COMPRESSED: ReadonlySet<Mode> = new Set<Mode>(['trap-emulate']);

/**
 * The CPU the guest believes it has (CPU register layout). Under ring compression the
 * real CPU holds general registers, pc and arithmetic flags; the VMM's virtual CPU holds
 * IF, IOPL, control registers, descriptor tables, MSRs and the halt state; real CPL 1 is
 * guest CPL 0.
 */
export function guestRegisters(state: Pick<MachineState, 'cpu' | 'vcpu'>, mode: Mode): Uint32Array {
  const regs = new Uint32Array(CPU_REGISTERS);
  if (!RING_COMPRESSED.has(mode)) {
    regs.set(state.cpu);
    return regs;
  }
  regs.set(state.vcpu);
  for (let r = 0; r <= Reg.PC; r++) regs[r] = state.cpu[r] as number;
  regs[Reg.FLAGS] = (((state.cpu[Reg.FLAGS] as number) & ALU_FLAGS) | ((state.vcpu[Reg.FLAGS] as number) & SYSTEM_FLAGS)) >>> 0;
  const cpl = state.cpu[Reg.CPL] as number;
  regs[Reg.CPL] = cpl === 1 ? 0 : cpl;
  return regs;
}

/** What one guest-visible event shows the guest; undefined for the hypervisor's own events. */
export interface GuestStep {
  readonly kind: 'retire' | 'exception' | 'interrupt' | 'io' | 'irq' | 'idle';
  readonly pc: number;
  readonly detail: readonly number[];
  readonly registers: Uint32Array;
}

export function guestView(event: Event, after: Pick<MachineState, 'cpu' | 'vcpu'>, mode: Mode): GuestStep | undefined {
  const registers = (): Uint32Array => guestRegisters(after, mode);
  switch (event.type) {
    case 'insn':
    case 'emulate':
      return { kind: 'retire', pc: event.pc, detail: [event.word, event.imm], registers: registers() };
    case 'exception':
      return { kind: 'exception', pc: event.pc, detail: [event.vector, event.errorCode], registers: registers() };
    case 'interrupt':
      return { kind: 'interrupt', pc: event.pc, detail: [event.vector], registers: registers() };
    case 'io':
      return { kind: 'io', pc: 0, detail: [event.port, event.value, event.direction === 'in' ? 0 : 1], registers: registers() };
    case 'irq':
      return { kind: 'irq', pc: 0, detail: [event.line], registers: registers() };
    case 'idle':
      return { kind: 'idle', pc: 0, detail: [event.steps], registers: registers() };
    default:
      return undefined;
  }
}

/** Hash of everything the guest can observe at the end of a run: equal across equivalent modes. */
export function guestViewHash(state: MachineState, mode: Mode): string {
  const h = new Hasher().words(guestRegisters(state, mode)).words(state.dev).words(state.diskBuffer);
  hashPages(h, state.memory);
  hashPages(h, state.disk);
  h.string(state.console).number(state.retired).number(state.ticks);
  h.string(state.outcome?.reason ?? '').word(state.outcome?.exitCode ?? 0);
  return h.digest();
}
