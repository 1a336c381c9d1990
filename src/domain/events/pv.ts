import type { EventBase } from './base.js';

/** A paravirtualized guest called the hypervisor (Xen's HYPERVISOR_* calls). */
export interface HypercallEvent extends EventBase {
  readonly type: 'hypercall';
  readonly nr: number;
  readonly args: readonly [number, number, number];
  readonly result: number;
}

/** An event channel notification or upcall (Xen event channels). */
export interface EvtchnEvent extends EventBase {
  readonly type: 'evtchn';
  readonly port: number;
  readonly op: 'notify' | 'upcall';
}

/** A paravirtual device ring kick or completion (Xen split drivers, virtio virtqueues). */
export interface RingEvent extends EventBase {
  readonly type: 'ring';
  readonly ring: number;
  readonly op: 'kick' | 'complete';
  readonly count: number;
}

export type PvEvent = HypercallEvent | EvtchnEvent | RingEvent;
