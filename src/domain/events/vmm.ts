import { classOf, isPortIo } from '../cost/classes.js';
import { disassemble } from '../isa/disasm.js';
import { defineEvent, oneOf, u32 } from './spec.js';
import { hex } from './text.js';

export const TRAP_CAUSES = ['privileged', 'exception', 'page-fault', 'io', 'interrupt'] as const;
export type TrapCause = (typeof TRAP_CAUSES)[number];

/**
 * Why the VMM emulated an instruction: an interpreter runs them all, the guest trapped (or
 * exited: the trap or VM exit is its own event), translated code emulated it inline or
 * called out, or a paravirtual guest's hypercall entered the hypervisor with no other event
 * for the entry (Xen's `int $0x82` from ring 1, and the hypervisor's iret back).
 */
export const EMULATED_AFTER = ['interpreter', 'trap', 'inline', 'callout', 'hypercall'] as const;

export const SHADOW_OPS = ['fill', 'sync', 'flush', 'invlpg'] as const;
export type ShadowOp = (typeof SHADOW_OPS)[number];


export const trap = defineEvent({
  type: 'trap',
  code: 6,
  family: 'vmm',
  doc: 'control passed from the deprivileged guest to the VMM by a hardware trap',
  fields: { cause: oneOf(TRAP_CAUSES), vector: u32, pc: u32, errorCode: u32 },
  accounting: 'none',
  text: (e) => `${e.cause}, vector ${e.vector} at ${hex(e.pc)}`,
  charge: (_e, add) => add('trap'),
});

export const emulate = defineEvent({
  type: 'emulate',
  code: 7,
  family: 'vmm',
  doc: 'the VMM emulated one guest instruction on the virtual CPU; it retires that instruction',
  fields: { pc: u32, word: u32, imm: u32, next: u32, after: oneOf(EMULATED_AFTER), walks: u32 },
  accounting: 'retire',
  text: (e) => `${hex(e.pc)}: ${disassemble(e.word, e.imm)} [${e.after}]`,
  guest: { kind: 'retire', pc: 'pc', detail: ['word', 'imm', 'next'] },
  charge: (e, add) => {
    const opcode = e.word & 0xff;
    if (e.walks > 0) add('walk', e.walks);
    if (e.after === 'trap' || e.after === 'callout') return add('vmmWork');
    if (e.after === 'inline') return add('inlineEmulate');
    if (e.after === 'hypercall') {
      // the software interrupt into the hypervisor and its iret back (Xen 3.0 Interface Guide §A.1), and the dispatch
      add('softInt');
      add('iret');
      return add('vmmWork');
    }
    add(isPortIo(opcode) ? 'vmmWork' : classOf(opcode));
    add('interpret');
  },
});

export const shadowPt = defineEvent({
  type: 'shadow-pt',
  code: 8,
  family: 'vmm',
  doc: 'shadow page table maintenance: a fill on a hidden fault, a sync after a traced PTE write, a flush, an invlpg',
  fields: { op: oneOf(SHADOW_OPS), vaddr: u32, paddr: u32 },
  accounting: 'none',
  text: (e) => `${e.op} ${hex(e.vaddr)} -> ${hex(e.paddr)}`,
  charge: (e, add) => {
    add('vmmWork');
    if (e.op === 'flush') add('system'); // the VMM reloads the real CR3: the TLB goes too
  },
});

/** `to-vm`: the hypervisor takes the physical CPU from this VM and gives it to VM `target` (several VMs, docs/multi-vm.md). */
export const WORLD_SWITCH_DIRECTIONS = ['to-vmm', 'to-guest', 'to-vm'] as const;

/**
 * How a mode's hypervisor switches between VMs (its spec's `hypervisor`): `launch` is the
 * first entry into a guest, which costs nothing; the others price a `to-vm` switch.
 */
export const SWITCH_VIA = ['launch', 'trap', 'vmexit', 'interpreter'] as const;
export type SwitchVia = (typeof SWITCH_VIA)[number];

export const worldSwitch = defineEvent({
  type: 'world-switch',
  code: 9,
  family: 'vmm',
  doc: 'a switch between the hypervisor and a guest context; `to-vm`: from this VM to VM `target`, whose slice begins',
  fields: { direction: oneOf(WORLD_SWITCH_DIRECTIONS), target: u32, via: oneOf(SWITCH_VIA) },
  accounting: 'switch',
  text: (e) => (e.direction === 'to-vm' ? `to vm ${e.target} (${e.via})` : `${e.direction} vm ${e.target}`),
  charge: (e, add) => {
    if (e.direction !== 'to-vm') return; // a launch: not on any measured path
    switch (e.via) {
      case 'launch':
        return;
      case 'trap': // the hypervisor's timer (or the guest's hlt) traps into it and it returns into the next VM; it saves and restores the virtual CPU; it loads the next VM's CR3, flushing the untagged TLB
        add('trap');
        add('vmmWork');
        return add('system');
      case 'vmexit': // VM exit, the hypervisor saves the state the VMCS does not hold, VMPTRLD of the next VMCS (a serializing instruction: 'system'), VM entry with no VPID: the TLB is flushed
        add('vmexit');
        add('vmmWork');
        add('system');
        return add('vmentry');
      case 'interpreter': // the interpreter moves to the next VM's state: no hardware transition
        return add('vmmWork');
      default: {
        const unreachable: never = e.via;
        return unreachable;
      }
    }
  },
});

export const VMM_EVENTS = [trap, emulate, shadowPt, worldSwitch] as const;
