import { OPCODE_COST_KEY, isPortIo } from '../cost/classes.js';
import { COST_KEYS } from '../cost/keys.js';
import { disassemble } from '../isa/disasm.js';
import { defineEvent, oneOf, u32 } from './spec.js';
import { hex } from './text.js';

/**
 * Who retired an instruction: the hardware (`cpu`, also user code under binary
 * translation), an interpreter, translated code copied as is (`tc`), or translated code
 * that emulates it inline against the virtual CPU (`inline`).
 */
export const RETIRED_BY = ['cpu', 'interpreter', 'tc', 'inline'] as const;

/** Who delivered an exception or interrupt: the hardware through the IDT, a VMM onto the virtual CPU, or an interpreter. */
export const DELIVERED_BY = ['cpu', 'vmm', 'interpreter'] as const;

const classKey = (word: number): (typeof COST_KEYS)[number] => COST_KEYS[OPCODE_COST_KEY[word & 0xff] as number] as (typeof COST_KEYS)[number];

export const insn = defineEvent({
  type: 'insn',
  code: 0,
  family: 'guest',
  doc: 'a guest instruction retired by the hardware, an interpreter or translated code',
  fields: { pc: u32, word: u32, imm: u32, next: u32, via: oneOf(RETIRED_BY) },
  accounting: 'retire',
  text: (e) => `${hex(e.pc)}: ${disassemble(e.word, e.imm)}${e.via === 'cpu' ? '' : ` [${e.via}]`}`,
  guest: (e) => ({ kind: 'retire', pc: e.pc, detail: [e.word, e.imm, e.next] }),
  charge: (e, add) => {
    if (e.via === 'inline') return add('emulate');
    add(e.via === 'interpreter' && isPortIo(e.word & 0xff) ? 'emulateIo' : classKey(e.word));
    if (e.via === 'interpreter') add('interpret');
  },
});

export const exception = defineEvent({
  type: 'exception',
  code: 1,
  family: 'guest',
  doc: 'an exception or software interrupt delivered through the guest IDT',
  fields: { vector: u32, errorCode: u32, pc: u32, via: oneOf(DELIVERED_BY) },
  accounting: 'none',
  text: (e) => `vector ${e.vector} at ${hex(e.pc)} error ${hex(e.errorCode)}${e.via === 'cpu' ? '' : ` [${e.via}]`}`,
  guest: (e) => ({ kind: 'exception', pc: e.pc, detail: [e.vector, e.errorCode] }),
  charge: (e, add) => {
    add('exception');
    if (e.via === 'vmm') add('reflect');
    if (e.via === 'interpreter') add('interpret');
  },
});

export const interrupt = defineEvent({
  type: 'interrupt',
  code: 2,
  family: 'guest',
  doc: 'an external interrupt delivered through the guest IDT',
  fields: { vector: u32, pc: u32, via: oneOf(DELIVERED_BY) },
  accounting: 'none',
  text: (e) => `vector ${e.vector} at ${hex(e.pc)}${e.via === 'cpu' ? '' : ` [${e.via}]`}`,
  guest: (e) => ({ kind: 'interrupt', pc: e.pc, detail: [e.vector] }),
  charge: (e, add) => {
    add('interrupt');
    if (e.via === 'vmm') add('inject');
    if (e.via === 'interpreter') add('interpret');
  },
});

export const io = defineEvent({
  type: 'io',
  code: 3,
  family: 'guest',
  doc: 'a port access reaching a device model; its effects are the device’s response',
  fields: { direction: oneOf(['in', 'out']), port: u32, value: u32 },
  accounting: 'none',
  text: (e) => `${e.direction} port ${hex(e.port)} = ${hex(e.value)}`,
  guest: (e) => ({ kind: 'io', pc: 0, detail: [e.port, e.value, e.direction === 'in' ? 0 : 1] }),
  charge: () => undefined, // the instruction that made the access is charged
});

export const irq = defineEvent({
  type: 'irq',
  code: 4,
  family: 'guest',
  doc: 'a device raising an interrupt line at the interrupt controller',
  fields: { line: u32 },
  accounting: 'none',
  text: (e) => `line ${e.line}`,
  guest: (e) => ({ kind: 'irq', pc: 0, detail: [e.line] }),
  charge: () => undefined, // a device's work, not the CPU's
});

export const idle = defineEvent({
  type: 'idle',
  code: 5,
  family: 'guest',
  doc: 'the CPU idled in hlt for some timer counts until an interrupt could wake it',
  fields: { steps: u32 },
  accounting: 'idle',
  text: (e) => `${e.steps} steps`,
  guest: (e) => ({ kind: 'idle', pc: 0, detail: [e.steps] }),
  charge: (e, add) => add('idleStep', e.steps),
});

export const GUEST_EVENTS = [insn, exception, interrupt, io, irq, idle] as const;
