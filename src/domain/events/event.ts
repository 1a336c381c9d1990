import type { BtEvent } from './bt.js';
import type { GuestEvent } from './guest.js';
import type { PvEvent } from './pv.js';
import type { RunEvent } from './run.js';
import type { VmmEvent } from './vmm.js';
import type { VmxEvent } from './vmx.js';

export type Event = GuestEvent | VmmEvent | BtEvent | VmxEvent | PvEvent | RunEvent;
export type EventType = Event['type'];

/** Type codes of the columnar layout and of trace files: append only, never renumber. */
export const EVENT_TYPES = [
  'insn', 'exception', 'interrupt', 'io', 'irq', 'idle',
  'trap', 'emulate', 'shadow-pt', 'world-switch',
  'translate', 'tc-hit', 'tc-invalidate', 'callout',
  'vmexit', 'vmentry',
  'hypercall', 'evtchn', 'ring',
  'run-start', 'checkpoint', 'run-end',
] as const satisfies readonly EventType[];

type Missing = Exclude<EventType, (typeof EVENT_TYPES)[number]>;
const _everyTypeHasACode: Missing extends never ? true : Missing = true;
void _everyTypeHasACode;

export const TypeCode: Readonly<Record<EventType, number>> = Object.fromEntries(
  EVENT_TYPES.map((t, i) => [t, i]),
) as Record<EventType, number>;

export const EVENT_FAMILY: Readonly<Record<EventType, string>> = {
  insn: 'guest', exception: 'guest', interrupt: 'guest', io: 'guest', irq: 'guest', idle: 'guest',
  trap: 'vmm', emulate: 'vmm', 'shadow-pt': 'vmm', 'world-switch': 'vmm',
  translate: 'bt', 'tc-hit': 'bt', 'tc-invalidate': 'bt', callout: 'bt',
  vmexit: 'vmx', vmentry: 'vmx',
  hypercall: 'pv', evtchn: 'pv', ring: 'pv',
  'run-start': 'run', checkpoint: 'run', 'run-end': 'run',
};
