import { Eff } from './events/effects.js';
import type { EventBatch } from './events/batch.js';
import { TypeCode, type Event } from './events/event.js';
import { END_REASONS } from './events/run.js';
import { Reg } from './state/layout.js';
import { Machine, type MachineState } from './state/machine.js';

const INSN = TypeCode.insn;
const EMULATE = TypeCode.emulate;
const IDLE = TypeCode.idle;
const RUN_END = TypeCode['run-end'];

/** Applies one effect. This and `account` are the only code that changes machine state. */
export function applyEffect(m: Machine, kind: number, a: number, b: number): void {
  switch (kind) {
    case Eff.CPU: m.cpu[a] = b; return;
    case Eff.VCPU: m.vcpu[a] = b; return;
    case Eff.MEM8: m.memory.write8(a, b); return;
    case Eff.MEM32: m.memory.write32(a, b); return;
    case Eff.DEV: m.dev[a] = b; return;
    case Eff.CONSOLE: m.console += String.fromCharCode(b & 0xff); return;
    case Eff.DISK_BUFFER: m.diskBuffer[a] = b; return;
    case Eff.DISK: m.disk.write32(a, b); return;
    case Eff.SHADOW_SET: m.writableShadow().set(a, b); return;
    case Eff.SHADOW_CLEAR: m.writableShadow().delete(a); return;
    case Eff.SHADOW_FLUSH: m.writableShadow().clear(); return;
    default: throw new RangeError(`unknown effect kind ${kind}`);
  }
}

function account(m: Machine, typeCode: number, a: number, b: number, d: number, cost: number): void {
  m.seq++;
  m.cycles += cost;
  if (typeCode === INSN || typeCode === EMULATE) {
    m.cpu[Reg.PC] = d;
    m.retired++;
    m.ticks++;
  } else if (typeCode === IDLE) {
    m.ticks += a;
  } else if (typeCode === RUN_END) {
    m.outcome = { reason: END_REASONS[a] ?? 'error', exitCode: b | 0 };
  }
}

/** The counters an event advances (sequence, cycles, retired, ticks, pc, outcome), without its effects. */
export function accountEvent(m: Machine, batch: EventBatch, i: number): void {
  account(m, batch.type[i] as number, batch.a[i] as number, batch.b[i] as number, batch.d[i] as number, batch.cost[i] as number);
}

/** Applies event i of a batch to a transient machine: the hot path of live runs and replay. */
export function applyEvent(m: Machine, batch: EventBatch, i: number): void {
  const pool = batch.effects;
  const end = 3 * (batch.effectStart[i + 1] as number);
  for (let e = 3 * (batch.effectStart[i] as number); e < end; e += 3) {
    const kind = pool[e] as number;
    if (kind === Eff.CPU) m.cpu[pool[e + 1] as number] = pool[e + 2] as number;
    else applyEffect(m, kind, pool[e + 1] as number, pool[e + 2] as number);
  }
  account(m, batch.type[i] as number, batch.a[i] as number, batch.b[i] as number, batch.d[i] as number, batch.cost[i] as number);
}

export function applyBatch(m: Machine, batch: EventBatch): void {
  for (let i = 0; i < batch.length; i++) applyEvent(m, batch, i);
}

/** The columns `account` reads, from a typed event. */
function accountedWords(event: Event): [a: number, b: number, d: number] {
  switch (event.type) {
    case 'insn':
    case 'emulate': return [0, 0, event.next];
    case 'idle': return [event.steps, 0, 0];
    case 'run-end': return [END_REASONS.indexOf(event.reason), event.exitCode, 0];
    default: return [0, 0, 0];
  }
}

/** Applies a typed event to a transient machine. */
export function applyTypedEvent(m: Machine, event: Event): void {
  for (const effect of event.effects) applyEffect(m, effect.kind, effect.a, effect.b);
  const [a, b, d] = accountedWords(event);
  account(m, TypeCode[event.type], a, b, d, event.cost);
}

/** The reducer: (state, event) -> state. Replay folds it over a trace; no engine is needed. */
export function evolve(state: MachineState, event: Event): MachineState {
  const m = new Machine(state);
  applyTypedEvent(m, event);
  return m.seal();
}

/** Folds a whole batch with one transient copy: what replay does per chunk. */
export function evolveBatch(state: MachineState, batch: EventBatch): MachineState {
  const m = new Machine(state);
  applyBatch(m, batch);
  return m.seal();
}
