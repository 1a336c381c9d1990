import type { CpuProfile } from '../../domain/cost/profile.js';
import { EventBatch } from '../../domain/events/batch.js';
import { openEvent, priceAt } from '../../domain/events/registry.js';
import type { EventSpec, Fields, Payload } from '../../domain/events/spec.js';
import { account } from '../../domain/evolve.js';
import type { LiveVm, Machine } from '../../domain/state/machine.js';

/**
 * Where a live run's events go, one at a time (the CPU core writes its own in bulk). The
 * engine changes the machine in place and logs each change as an effect of the open
 * event; closing prices the event by its spec under the CPU profile and advances the
 * same counters evolve does. With no batch (a bare run) effects are not kept, but every
 * event is still priced and accounted, so both runs reach the same state.
 */
export class EventLog {
  private readonly scratch: EventBatch | undefined;
  private index = -1;

  constructor(
    readonly machine: Machine,
    readonly cpu: CpuProfile,
    private batch: EventBatch | undefined,
  ) {
    this.scratch = batch === undefined ? new EventBatch(0, 4) : undefined;
  }

  /** Are events being recorded (effects kept)? */
  get on(): boolean {
    return this.batch !== undefined;
  }

  get out(): EventBatch | undefined {
    return this.batch;
  }

  private get target(): EventBatch {
    return (this.batch ?? this.scratch) as EventBatch;
  }

  open<F extends Fields>(spec: EventSpec<string, F>, vm: number, payload: Payload<F>): void {
    const b = this.target;
    if (b === this.scratch) b.clear(this.machine.seq);
    this.index = openEvent(b, spec, vm << 4, payload as never);
  }

  effect(code: number, a: number, b: number): void {
    this.batch?.effect(code, a, b);
  }

  /** Closes the open event: its price, then the counters. */
  close(): void {
    const b = this.target;
    const i = this.index;
    b.cost[i] = priceAt(b, i, this.cpu);
    b.close(b.cost[i] as number);
    account(this.machine, this.machine.vms[(b.ctx[i] as number) >>> 4] as LiveVm, b, i);
    this.index = -1;
  }

  /** An event with no effects, in one call. */
  emit<F extends Fields>(spec: EventSpec<string, F>, vm: number, payload: Payload<F>): void {
    this.open(spec, vm, payload);
    this.close();
  }
}
