import { defineEvent, i32, oneOf, u32, u8 } from './spec.js';
import { hex } from './text.js';

/** Hypercall numbers' names, in the ABI's order (engines/pv/abi.ts). */
export const HYPERCALL_NAMES: readonly string[] = ['set_trap_table', 'mmu_update', 'mmuext_op', 'update_va_mapping', 'stack_switch', 'set_timer_op', 'sched_op', 'event_channel_op', 'console_io', 'iret', 'shared_info'];

export const hypercall = defineEvent({
  type: 'hypercall',
  code: 16,
  family: 'pv',
  doc: 'a paravirtualized guest called the hypervisor (vmcall); the emulate event that follows retires the vmcall',
  fields: { nr: u8, arg1: u32, arg2: u32, arg3: u32, arg4: u32, result: i32 },
  accounting: 'none',
  text: (e) => `${HYPERCALL_NAMES[e.nr] ?? e.nr}(${[e.arg1, e.arg2, e.arg3, e.arg4].map(hex).join(', ')}) = ${e.result}`,
  // The call's work beyond its dispatch: mmu_update validates each entry, a unit of VMM work
  // each. The transition into the hypervisor and back is charged once, where it happened:
  // the emulate event that retires the vmcall ('hypercall': int $0x82 + iret under paravirt),
  // or the VM exit and entry that carried it (hybrid on hardware assist).
  charge: (e, add) => {
    if (e.nr === 1 && e.result > 0) add('vmmWork', e.result);
  },
});

export const evtchn = defineEvent({
  type: 'evtchn',
  code: 17,
  family: 'pv',
  doc: 'an event channel notification or upcall',
  fields: { op: oneOf(['notify', 'upcall']), port: u32 },
  accounting: 'none',
  text: (e) => `${e.op} port ${e.port}`,
  // An upcall is a bounce frame the hypervisor builds (the interrupt's delivery is its own event).
  charge: (e, add) => {
    if (e.op === 'upcall') add('vmmWork');
  },
});

export const ring = defineEvent({
  type: 'ring',
  code: 18,
  family: 'pv',
  doc: 'a paravirtual device ring kick or completion',
  fields: { op: oneOf(['kick', 'complete']), ring: u32, count: u32 },
  accounting: 'none',
  text: (e) => `${e.op} ring ${e.ring}: ${e.count} requests`,
  // The backend's work per request served; the kick itself is the hypercall (or VM exit) that carried it.
  charge: (e, add) => {
    if (e.op === 'complete') add('vmmWork', e.count);
  },
});

export const PV_EVENTS = [hypercall, evtchn, ring] as const;
