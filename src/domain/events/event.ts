import type { BT_EVENTS } from './bt.js';
import type { GUEST_EVENTS } from './guest.js';
import type { PV_EVENTS } from './pv.js';
import type { RUN_EVENTS } from './run.js';
import type { EventSpec, Fields, Payload } from './spec.js';
import type { VMM_EVENTS } from './vmm.js';
import type { VMX_EVENTS } from './vmx.js';

/** One state change an event carries: an effect of schema.ts on a field of the event's VM. */
export interface Effect {
  readonly effect: string; // e.g. `memory.write32`
  readonly code: number;
  readonly a: number;
  readonly b: number;
}

export interface EventBase {
  readonly seq: number; // index of the event in its run, from 0
  readonly vm: number;
  readonly vcpu: number;
  readonly cost: number; // virtual cycles, from the CPU profile
  readonly effects: readonly Effect[];
}

type Specs = typeof GUEST_EVENTS | typeof VMM_EVENTS | typeof BT_EVENTS | typeof VMX_EVENTS | typeof PV_EVENTS | typeof RUN_EVENTS;
type EventOf<S> = S extends EventSpec<infer T, infer F extends Fields> ? EventBase & { readonly type: T } & Payload<F> : never;

/** The typed events: a discriminated union on `type`, derived from the specs. */
export type Event = EventOf<Specs[number]>;
export type EventType = Event['type'];
export type EventOfType<T extends EventType> = Extract<Event, { type: T }>;
