import { EventBatch } from './events/batch.js';
import type { Event } from './events/event.js';
import { insn } from './events/guest.js';
import { chargesAt, chargesOf, openEvent, payloadAt, placementOf, specByTypeStrict, specOf } from './events/registry.js';
import type { RunOutcome } from './state/schema.js';
import { emulate } from './events/vmm.js';
import type { Column, EventSpec } from './events/spec.js';
import { Reg } from './state/layout.js';
import { Machine, type LiveVm, type MachineState } from './state/machine.js';
import { EFFECTS } from './state/schema.js';

type Apply = (vm: LiveVm, a: number, b: number) => void;

/** Each effect code's application to a VM, from the schema's declarations. */
const APPLY: readonly Apply[] = [() => undefined, ...EFFECTS.map((e): Apply => (vm, a, b) => e.op.apply((vm as unknown as Record<string, unknown>)[e.field], a, b))];
const CPU_SET = EFFECTS.find((e) => e.name === 'cpu.set')?.code ?? -1;

const column = (spec: Parameters<typeof placementOf>[0], field: string): Column => placementOf(spec)[field]?.column as Column;
const NEXT = { [insn.code]: column(insn, 'next'), [emulate.code]: column(emulate, 'next') } as Readonly<Record<number, Column>>;

/**
 * The counters an event advances beside its effects, from its spec and payload: the
 * sequence, the cycles, the ledger, and its spec's accounting. A live run calls it too,
 * after changing the state in place, so both reach the same state.
 */
export function accountFor(m: Machine, vm: LiveVm, spec: EventSpec, payload: Record<string, unknown>, cost: number): void {
  m.seq++;
  m.cycles += cost;
  chargesOf(spec, payload, (k, n) => (m.ledger[k] = (m.ledger[k] as number) + n));
  accountBySpec(m, vm, spec, payload);
}

/** accountFor with the event's charges already computed, as (key, times) pairs in the first `n` numbers of `charges`: the live run's path (EventLog). */
export function accountCharged(m: Machine, vm: LiveVm, spec: EventSpec, payload: Record<string, unknown>, cost: number, charges: readonly number[], n = charges.length): void {
  m.seq++;
  m.cycles += cost;
  for (let k = 0; k < n; k += 2) m.ledger[charges[k] as number] = (m.ledger[charges[k] as number] as number) + (charges[k + 1] as number);
  accountBySpec(m, vm, spec, payload);
}

function accountBySpec(m: Machine, vm: LiveVm, spec: EventSpec, payload: Record<string, unknown>): void {
  switch (spec.accounting) {
    case 'retire':
      vm.cpu[Reg.PC] = payload.next as number;
      vm.retired++;
      vm.ticks++;
      return;
    case 'idle':
      vm.ticks += payload.steps as number;
      return;
    case 'end':
      m.outcome = { reason: payload.reason, exitCode: payload.exitCode } as RunOutcome;
      return;
    case 'vm-end':
      vm.ended = { reason: payload.reason, exitCode: payload.exitCode } as RunOutcome;
      return;
    case 'switch':
      if (payload.direction === 'to-vm') beginSlice(m, vm, payload.target as number);
      return;
    case 'none':
      return;
    default: {
      const unreachable: never = spec.accounting;
      return unreachable;
    }
  }
}

/** A world switch from `from` to VM `target`: the ended slice goes to `from`'s share, the next one begins (docs/multi-vm.md). */
function beginSlice(m: Machine, from: LiveVm, target: number): void {
  m.settle();
  const s = m.schedule;
  from.share = { events: from.share.events + (m.seq - s.seq), cycles: from.share.cycles + (m.cycles - s.cycles) };
  m.schedule = { vm: target, seq: m.seq, cycles: m.cycles, ticks: m.vm(target).ticks };
}

/** Accounting of event i of a batch; retiring events (most of them) without building their payload. */
function account(m: Machine, vm: LiveVm, batch: EventBatch, i: number): void {
  const code = batch.type[i] as number;
  const spec = specOf(code);
  if (spec.accounting !== 'retire') return accountFor(m, vm, spec, payloadAt(batch, i), batch.cost[i] as number);
  const charges = chargesAt(batch, i);
  for (let k = 0; k < charges.length; k += 2) m.ledger[charges[k] as number] = (m.ledger[charges[k] as number] as number) + (charges[k + 1] as number);
  m.seq++;
  m.cycles += batch.cost[i] as number;
  vm.cpu[Reg.PC] = batch[NEXT[code] as Column][i] as number;
  vm.retired++;
  vm.ticks++;
}

/** Applies event i of a batch to a working machine: effects in order, then accounting. */
export function applyEvent(m: Machine, batch: EventBatch, i: number): void {
  const vm = m.vms[(batch.ctx[i] as number) >>> 4] as LiveVm;
  const pool = batch.effects;
  const end = 3 * (batch.effectStart[i + 1] as number);
  for (let e = 3 * (batch.effectStart[i] as number); e < end; e += 3) {
    const code = pool[e] as number;
    if (code === CPU_SET) vm.cpu[pool[e + 1] as number] = pool[e + 2] as number;
    else (APPLY[code] as Apply)(vm, pool[e + 1] as number, pool[e + 2] as number);
  }
  account(m, vm, batch, i);
}

export function applyBatch(m: Machine, batch: EventBatch): void {
  for (let i = 0; i < batch.length; i++) applyEvent(m, batch, i);
}

/** The reducer: (state, event) -> state. Replay folds it over a trace; no engine is needed. */
export function evolve(state: MachineState, event: Event): MachineState {
  const m = new Machine(state);
  applyBatch(m, batchOf(event));
  return m.seal();
}

/** Folds a whole batch with one working copy. */
export function evolveBatch(state: MachineState, batch: EventBatch): MachineState {
  const m = new Machine(state);
  applyBatch(m, batch);
  return m.seal();
}

/** A one-event batch holding a typed event, so both views go through one application. */
function batchOf(event: Event): EventBatch {
  const batch = new EventBatch(event.seq, 1);
  const spec = specByTypeStrict(event.type);
  openEvent(batch, spec, (event.vm << 4) | event.vcpu, event as unknown as Record<string, unknown>);
  for (const e of event.effects) batch.effect(e.code, e.a, e.b);
  batch.close(event.cost);
  return batch;
}
