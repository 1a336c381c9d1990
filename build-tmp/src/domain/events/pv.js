import { defineEvent, i32, oneOf, u32, u8 } from './spec.js';
import { hex } from './text.js';
export const hypercall = defineEvent({
    type: 'hypercall',
    code: 16,
    family: 'pv',
    doc: 'a paravirtualized guest called the hypervisor',
    fields: { nr: u8, arg1: u32, arg2: u32, arg3: u32, arg4: u32, result: i32 },
    accounting: 'none',
    text: (e) => `${e.nr}(${[e.arg1, e.arg2, e.arg3, e.arg4].map(hex).join(', ')}) = ${e.result}`,
    guest: () => undefined,
    charge: () => undefined,
});
export const evtchn = defineEvent({
    type: 'evtchn',
    code: 17,
    family: 'pv',
    doc: 'an event channel notification or upcall',
    fields: { op: oneOf(['notify', 'upcall']), port: u32 },
    accounting: 'none',
    text: (e) => `${e.op} port ${e.port}`,
    guest: () => undefined,
    charge: () => undefined,
});
export const ring = defineEvent({
    type: 'ring',
    code: 18,
    family: 'pv',
    doc: 'a paravirtual device ring kick or completion',
    fields: { op: oneOf(['kick', 'complete']), ring: u32, count: u32 },
    accounting: 'none',
    text: (e) => `${e.op} ring ${e.ring}: ${e.count} requests`,
    guest: () => undefined,
    charge: () => undefined,
});
export const PV_EVENTS = [hypercall, evtchn, ring];
