import { classOf, isPortIo } from '../cost/classes.js';
import { disassemble } from '../isa/disasm.js';
import { defineEvent, oneOf, u32, type Charge } from './spec.js';
import { hex } from './text.js';

/** Who retired an instruction: the hardware, or an interpreter that models it. */
export const RETIRED_BY = ['cpu', 'interpreter'] as const;

/** Who delivered an exception or interrupt: the hardware through the IDT, a VMM onto the virtual CPU, or an interpreter. */
export const DELIVERED_BY = ['cpu', 'vmm', 'interpreter'] as const;


export const insn = defineEvent({
  type: 'insn',
  code: 0,
  family: 'guest',
  doc: 'a guest instruction retired by the hardware, an interpreter or translated code',
  fields: { pc: u32, word: u32, imm: u32, next: u32, via: oneOf(RETIRED_BY), walks: u32 },
  accounting: 'retire',
  text: (e) => `${hex(e.pc)}: ${disassemble(e.word, e.imm)}${e.via === 'cpu' ? '' : ` [${e.via}]`}${e.walks > 0 ? ` [TLB miss: ${e.walks} walk references]` : ''}`,
  guest: { kind: 'retire', pc: 'pc', detail: ['word', 'imm', 'next'] },
  charge: (e, add) => {
    const opcode = e.word & 0xff;
    add(e.via === 'interpreter' && isPortIo(opcode) ? 'vmmWork' : classOf(opcode)); // an interpreter's devices are software
    if (e.via === 'interpreter') add('interpret');
    if (e.walks > 0) add('walk', e.walks);
  },
});

/** The hardware pays its gate path; a VMM or an interpreter builds the frame in software instead. */
function deliveryCharge(via: (typeof DELIVERED_BY)[number], hardware: 'fault' | 'softInt' | 'interrupt', add: Charge): void {
  if (via === 'cpu') return add(hardware);
  add('vmmWork');
  if (via === 'interpreter') add('interpret');
}

export const exception = defineEvent({
  type: 'exception',
  code: 1,
  family: 'guest',
  doc: 'an exception or software interrupt delivered through the guest IDT',
  fields: { vector: u32, errorCode: u32, pc: u32, via: oneOf(DELIVERED_BY), cause: oneOf(['fault', 'software']) },
  accounting: 'none',
  text: (e) => `${e.cause === 'software' ? 'int' : 'fault'} vector ${e.vector} at ${hex(e.pc)} error ${hex(e.errorCode)}${e.via === 'cpu' ? '' : ` [${e.via}]`}`,
  guest: { kind: 'exception', pc: 'pc', detail: ['vector', 'errorCode'] },
  charge: (e, add) => deliveryCharge(e.via, e.cause === 'software' ? 'softInt' : 'fault', add),
});

export const interrupt = defineEvent({
  type: 'interrupt',
  code: 2,
  family: 'guest',
  doc: 'an external interrupt delivered through the guest IDT',
  fields: { vector: u32, pc: u32, via: oneOf(DELIVERED_BY) },
  accounting: 'none',
  text: (e) => `vector ${e.vector} at ${hex(e.pc)}${e.via === 'cpu' ? '' : ` [${e.via}]`}`,
  guest: { kind: 'interrupt', pc: 'pc', detail: ['vector'] },
  charge: (e, add) => deliveryCharge(e.via, 'interrupt', add),
});

export const io = defineEvent({
  type: 'io',
  code: 3,
  family: 'guest',
  doc: 'a port access reaching a device model; its effects are the device’s response',
  fields: { direction: oneOf(['in', 'out']), port: u32, value: u32 },
  accounting: 'none',
  text: (e) => `${e.direction} port ${hex(e.port)} = ${hex(e.value)}`,
  guest: { kind: 'io', detail: ['port', 'value', 'direction'] },
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
  guest: { kind: 'irq', detail: ['line'] },
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
  guest: { kind: 'idle', detail: ['steps'] },
  charge: (e, add) => add('idleStep', e.steps),
});

export const GUEST_EVENTS = [insn, exception, interrupt, io, irq, idle] as const;
