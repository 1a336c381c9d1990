import { IS_VMM_KEY } from '../domain/cost/keys.js';
import type { RunConfig } from '../domain/config.js';
import { cpuProfile, type CpuProfile } from '../domain/cost/profile.js';
import type { EventBatch } from '../domain/events/batch.js';
import { isMonitorEvent, reasonName } from '../domain/events/reason.js';
import { EVENT_SPECS, chargesAt, payloadAt, specOf } from '../domain/events/registry.js';
import { runToSummary, type RunSummary } from './summary.js';

/**
 * An event kind: an event type, and for the monitor's events its reason (a VM exit's basic reason, a trap's cause, a hypercall).
 * A paravirtual hypercall's entry and return are priced on the `emulate` event (after `hypercall`) that retires its
 * vmcall, just after the hypercall event: those cycles count under the hypercall's kind (`hypercall console_io`),
 * so a kind's cycles are what the call cost, and its count is the calls.
 */
export interface KindStat {
  readonly type: string;
  readonly reason?: string;
  readonly count: number;
  readonly cycles: number;
}

/** One run over virtual time: each bucket's cycles, split between the machine's work for the guest and virtualization's (IS_VMM_KEY). */
export interface Timeline {
  /** Virtual cycles per bucket. */
  readonly width: number;
  readonly guest: readonly number[];
  readonly vmm: readonly number[];
}

const MONITOR = EVENT_SPECS.map(isMonitorEvent);
const EMULATE = EVENT_SPECS.find((s) => s.type === 'emulate')?.code;
const HYPERCALL = EVENT_SPECS.find((s) => s.type === 'hypercall')?.code;
const MAX_BUCKETS = 4096;

/**
 * What a run's events cost, by kind and over virtual time, read from its batches as they are
 * produced. Buckets start `width` cycles wide and double (pairs merged) when there would be more
 * than MAX_BUCKETS, so a run of any length keeps a bounded, deterministic timeline.
 */
export class RunProfile {
  private readonly kinds = new Map<string, { type: string; reason?: string; count: number; cycles: number }>();
  private readonly guest: number[] = [];
  private readonly vmm: number[] = [];
  private now = 0;
  /** Per VM (the event context's high bits), the kind of its last hypercall until the emulate event that retires its vmcall. */
  private readonly calls = new Map<number, { cycles: number }>();

  constructor(private readonly cpu: CpuProfile, private width = 1024) {}

  add(batch: EventBatch): void {
    for (let i = 0; i < batch.length; i++) {
      const code = batch.type[i] as number;
      const cost = batch.cost[i] as number;
      const spec = specOf(code);
      const payload = MONITOR[code] === true ? payloadAt(batch, i) : undefined;
      const vm = (batch.ctx[i] as number) >>> 4;
      const call = code === EMULATE && payload?.after === 'hypercall' ? this.calls.get(vm) : undefined;
      if (call !== undefined) {
        call.cycles += cost;
        this.calls.delete(vm);
      } else {
        const reason = payload === undefined ? undefined : reasonName(spec, payload);
        const key = reason === undefined ? spec.type : `${spec.type} ${reason}`;
        const kind = this.kinds.get(key) ?? { type: spec.type, ...(reason === undefined ? {} : { reason }), count: 0, cycles: 0 };
        kind.count++;
        kind.cycles += cost;
        this.kinds.set(key, kind);
        if (code === HYPERCALL) this.calls.set(vm, kind);
      }
      if (cost > 0) this.sample(cost, this.vmmCycles(batch, i));
    }
  }

  /** Kinds in registry order, each type's reasons by cycles (then name). */
  kindStats(): KindStat[] {
    const order = (k: KindStat): number => EVENT_SPECS.findIndex((s) => s.type === k.type);
    return [...this.kinds.values()].sort((a, b) => order(a) - order(b) || b.cycles - a.cycles || (a.reason ?? '').localeCompare(b.reason ?? ''));
  }

  timeline(): Timeline {
    return { width: this.width, guest: [...this.guest], vmm: [...this.vmm] };
  }

  private vmmCycles(batch: EventBatch, i: number): number {
    const charges = chargesAt(batch, i);
    let cycles = 0;
    for (let k = 0; k < charges.length; k += 2) if (IS_VMM_KEY[charges[k] as number] === true) cycles += (charges[k + 1] as number) * (this.cpu.vector[charges[k] as number] as number);
    return cycles;
  }

  private sample(cost: number, vmm: number): void {
    let at = Math.floor(this.now / this.width);
    while (at >= MAX_BUCKETS) {
      this.halve();
      at = Math.floor(this.now / this.width);
    }
    while (this.guest.length <= at) {
      this.guest.push(0);
      this.vmm.push(0);
    }
    this.guest[at] = (this.guest[at] as number) + cost - vmm;
    this.vmm[at] = (this.vmm[at] as number) + vmm;
    this.now += cost;
  }

  private halve(): void {
    for (const column of [this.guest, this.vmm]) {
      const merged = Array.from({ length: Math.ceil(column.length / 2) }, (_, j) => (column[2 * j] ?? 0) + (column[2 * j + 1] ?? 0));
      column.splice(0, column.length, ...merged);
    }
    this.width *= 2;
  }
}

/** A timeline in buckets `factor` times as wide. */
export function coarsen(t: Timeline, factor: number): Timeline {
  const sum = (column: readonly number[]): number[] => Array.from({ length: Math.ceil(column.length / factor) }, (_, j) => column.slice(j * factor, (j + 1) * factor).reduce((a, b) => a + b, 0));
  return { width: t.width * factor, guest: sum(t.guest), vmm: sum(t.vmm) };
}

/** A run with its kinds and timeline beside its summary. */
export interface MeasuredRun {
  readonly summary: RunSummary;
  readonly kinds: readonly KindStat[];
  readonly timeline: Timeline;
}

/** Runs to the end with events, measuring what each kind of event cost and when. */
export function measureRun(config: RunConfig): MeasuredRun {
  const cpu = cpuProfile(config.cpu);
  if (cpu === undefined) throw new RangeError(`unknown CPU profile ${config.cpu}`);
  const profile = new RunProfile(cpu);
  const summary = runToSummary(config, { onBatch: (batch) => profile.add(batch) });
  return { summary, kinds: profile.kindStats(), timeline: profile.timeline() };
}
