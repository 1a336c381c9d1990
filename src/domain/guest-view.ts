import type { Mode } from './config.js';
import { Eff, type Effect } from './events/effects.js';
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
export function guestRegisters(state: Pick<MachineState, 'cpu' | 'vcpu'>, mode: Mode, regs = new Uint32Array(CPU_REGISTERS)): Uint32Array {
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
  readonly registers: Uint32Array; // after the event, as the guest sees them
  readonly effects: readonly Effect[]; // on guest memory, devices, console and disk
}

const GUEST_EFFECTS: ReadonlySet<number> = new Set([Eff.MEM8, Eff.MEM32, Eff.DEV, Eff.CONSOLE, Eff.DISK, Eff.DISK_BUFFER]);

function step(kind: GuestStep['kind'], pc: number, detail: number[], event: Event, after: Pick<MachineState, 'cpu' | 'vcpu'>, mode: Mode): GuestStep {
  return { kind, pc, detail, registers: guestRegisters(after, mode), effects: event.effects.filter((e) => GUEST_EFFECTS.has(e.kind)) };
}

/**
 * The guest's view of an event, given the state after it: an instruction retired (by the
 * hardware or emulated by a VMM alike), an exception or interrupt delivered, a device
 * access. Two runs are equivalent when their sequences of guest steps are equal.
 */
export function guestView(event: Event, after: Pick<MachineState, 'cpu' | 'vcpu'>, mode: Mode): GuestStep | undefined {
  switch (event.type) {
    case 'insn':
    case 'emulate':
      return step('retire', event.pc, [event.word, event.imm, event.next], event, after, mode);
    case 'exception':
      return step('exception', event.pc, [event.vector, event.errorCode], event, after, mode);
    case 'interrupt':
      return step('interrupt', event.pc, [event.vector], event, after, mode);
    case 'io':
      return step('io', 0, [event.port, event.value, event.direction === 'in' ? 0 : 1], event, after, mode);
    case 'irq':
      return step('irq', 0, [event.line], event, after, mode);
    case 'idle':
      return step('idle', 0, [event.steps], event, after, mode);
    default:
      return undefined;
  }
}

/** A guest step as one comparable string. */
export function guestStepKey(s: GuestStep): string {
  return `${s.kind} ${s.pc} ${s.detail.join(',')} | ${s.registers.join(',')} | ${s.effects.map((e) => `${e.kind}:${e.a}=${e.b}`).join(' ')}`;
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
