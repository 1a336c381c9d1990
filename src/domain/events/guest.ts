import type { EventBase } from './base.js';

/** A guest instruction retired by the hardware (or by an interpreter, in emulate mode). */
export interface InsnEvent extends EventBase {
  readonly type: 'insn';
  readonly pc: number;
  readonly word: number; // low word: opcode | rd << 8 | rs << 12
  readonly imm: number;
  readonly next: number; // pc after the instruction
}

/** An exception delivered through the guest's IDT (natively, or reflected by a VMM). */
export interface ExceptionEvent extends EventBase {
  readonly type: 'exception';
  readonly vector: number;
  readonly errorCode: number; // 0 when the vector pushes none
  readonly pc: number; // the pc pushed: faulting instruction, or next for `int n`
}

/** An external interrupt delivered through the guest's IDT. */
export interface InterruptEvent extends EventBase {
  readonly type: 'interrupt';
  readonly vector: number;
  readonly pc: number;
}

/** A port access reaching a device model; its effects are the device's response. */
export interface IoEvent extends EventBase {
  readonly type: 'io';
  readonly port: number;
  readonly value: number;
  readonly direction: 'in' | 'out';
}

/** A device raising an interrupt line at the interrupt controller. */
export interface IrqEvent extends EventBase {
  readonly type: 'irq';
  readonly line: number;
}

/** The CPU idled in `hlt` for `steps` timer counts until an interrupt could wake it. */
export interface IdleEvent extends EventBase {
  readonly type: 'idle';
  readonly steps: number;
}

export type GuestEvent = InsnEvent | ExceptionEvent | InterruptEvent | IoEvent | IrqEvent | IdleEvent;
