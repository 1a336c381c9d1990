import type { CpuProfile } from '../../domain/cost/profile.js';
import type { EventBatch } from '../../domain/events/batch.js';
import { COST_KEY_INDEX, type CostKey } from '../../domain/cost/keys.js';
import { openEvent } from '../../domain/events/registry.js';
import type { EventSpec, Fields, Payload } from '../../domain/events/spec.js';
import { accountCharged } from '../../domain/evolve.js';
import type { LiveVm, Machine } from '../../domain/state/machine.js';
import type { RunTally } from '../tally.js';

/**
 * Where a live run's events go, one at a time (the CPU core writes its own in bulk). The
 * engine changes the machine in place and logs each change as an effect of the open
 * event; closing prices the event by its spec under the CPU profile and advances the
 * same counters evolve does. With no batch (a bare run) effects are not kept, but every
 * event is still priced and accounted, so both runs reach the same state.
 */
export class EventLog {
  private spec: EventSpec | undefined;
  private payload: Record<string, unknown> = {};
  private vm = 0;

  /** The open event's charges as (key, times) pairs: the first chargeCount numbers (the array is reused, never shortened). */
  private readonly charges: number[] = [];
  private chargeCount = 0;
  private cost = 0;
  /** A spec's charge callback, made once: no closure per event. */
  private readonly charge = (key: CostKey, times = 1): void => {
    const k = COST_KEY_INDEX[key];
    this.cost += times * (this.cpu.vector[k] as number);
    this.charges[this.chargeCount++] = k;
    this.charges[this.chargeCount++] = times;
  };

  constructor(
    readonly machine: Machine,
    readonly cpu: CpuProfile,
    private readonly batch: EventBatch | undefined,
    readonly tally: RunTally,
  ) {}

  /** The batch events go to, or undefined in a bare run. */
  get out(): EventBatch | undefined {
    return this.batch;
  }

  open<F extends Fields>(spec: EventSpec<string, F>, vm: number, payload: Payload<F>): void {
    this.spec = spec as unknown as EventSpec;
    this.payload = payload as Record<string, unknown>;
    this.vm = vm;
    if (this.batch !== undefined) openEvent(this.batch, spec, vm << 4, payload as never);
  }

  effect(code: number, a: number, b: number): void {
    this.batch?.effect(code, a, b);
  }

  /** Closes the open event: its price under the CPU profile, then the counters. */
  close(): void {
    const spec = this.spec as EventSpec;
    const charges = this.charges;
    const payload = this.payload;
    this.chargeCount = 0;
    this.cost = 0;
    spec.charge(payload as never, this.charge);
    const cost = this.cost;
    const n = this.chargeCount;
    this.batch?.close(cost);
    this.tally.event(spec.code, cost, charges, spec.accounting === 'retire' ? (payload.word as number) & 0xff : -1, typeof payload.reason === 'number' ? payload.reason : -1, n);
    accountCharged(this.machine, this.machine.vms[this.vm] as LiveVm, spec, payload, cost, charges, n);
    this.spec = undefined;
  }

  /** An event with no effects, in one call. */
  emit<F extends Fields>(spec: EventSpec<string, F>, vm: number, payload: Payload<F>): void {
    this.open(spec, vm, payload);
    this.close();
  }
}
