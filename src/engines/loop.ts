import { Observable } from 'rxjs';
import type { RunConfig } from '../domain/config.js';
import { costProfile, type CostProfile } from '../domain/cost/profile.js';
import { EventBatch } from '../domain/events/batch.js';
import { Eff } from '../domain/events/effects.js';
import { TypeCode } from '../domain/events/event.js';
import { END_REASONS, type EndReason } from '../domain/events/run.js';
import { applyEvent } from '../domain/evolve.js';
import { IrqLine } from '../domain/isa/arch.js';
import { Dev } from '../domain/state/layout.js';
import { Machine, initialState, type MachineState } from '../domain/state/machine.js';
import { deliverableLine } from './cpu/pic.js';
import { Step, type Platform } from './platform.js';

const IRQ = TypeCode.irq;
const IDLE = TypeCode.idle;
const RUN_START = TypeCode['run-start'];
const RUN_END = TypeCode['run-end'];

/** A run being produced: its machine and batch, handed to the mode that drives it. */
export class RunContext {
  readonly machine: Machine;
  readonly batch: EventBatch;
  readonly costs: CostProfile;
  constructor(
    readonly config: RunConfig,
    makeBatch: (m: Machine) => EventBatch = () => new EventBatch(0),
    readonly apply: (i: number) => void = (i) => applyEvent(this.machine, this.batch, i),
  ) {
    this.machine = new Machine(initialState(config));
    this.batch = makeBatch(this.machine);
    const costs = costProfile(config.cpu);
    if (costs === undefined) throw new RangeError(`unknown CPU cost profile ${config.cpu}`);
    this.costs = costs;
  }
}

export interface Run {
  /** The events, in batches. A batch is reused after the subscriber returns: copy what you keep (`batch.clone()`). */
  readonly events$: Observable<EventBatch>;
  /** The machine after the last event emitted so far. */
  state(): MachineState;
}

export type PlatformFactory = (ctx: RunContext) => Platform;

/**
 * The shared run loop: one guest instruction, interrupt or idle period at a time, until
 * the exit port, `hlt` with interrupts off, a deadlock, a triple fault or the budget.
 * Synchronous and deterministic: time is the guest's instruction count.
 */
export function createRun(config: RunConfig, makePlatform: PlatformFactory, ctx = new RunContext(config)): Run {
  const platform = makePlatform(ctx);
  const events$ = new Observable<EventBatch>((subscriber) => {
    const flush = (): void => {
      if (ctx.batch.length > 0) subscriber.next(ctx.batch);
      ctx.machine.endBatch();
      ctx.batch.clear(ctx.machine.seq);
    };
    emitRunStart(ctx);
    platform.start?.();
    while (ctx.machine.outcome === undefined && !subscriber.closed) {
      const end = advance(ctx, platform);
      if (end !== undefined) emitRunEnd(ctx, end.reason, end.exitCode);
      if (ctx.batch.length >= ctx.batch.capacity - 8) flush();
    }
    flush();
    subscriber.complete();
  });
  return { events$, state: () => ctx.machine.seal() };
}

interface End {
  reason: EndReason;
  exitCode: number;
}

/** One step of the machine, or a burst of plain instructions; returns how the run ends when it does. */
function advance(ctx: RunContext, platform: Platform): End | undefined {
  const m = ctx.machine;
  const period = m.dev[Dev.TIMER_PERIOD] as number;
  if (period !== 0 && m.ticks >= (m.dev[Dev.TIMER_DEADLINE] as number)) {
    emitTimerIrq(ctx, period);
    return undefined;
  }
  const line = m.dev[Dev.PIC_PENDING] === 0 ? -1 : deliverableLine(m.dev);
  if (line >= 0 && platform.interruptsEnabled()) {
    return platform.deliverInterrupt(line) ? undefined : { reason: 'triple-fault', exitCode: 0 };
  }
  if (platform.halted()) return idle(ctx, platform);
  if (m.retired >= ctx.config.maxInsns) return { reason: 'budget', exitCode: 0 };
  return burst(platform, burstLength(ctx, period));
}

/** Instructions that can run before the loop must look again: budget, timer deadline, batch room. */
function burstLength(ctx: RunContext, period: number): number {
  const m = ctx.machine;
  let n = Math.min(ctx.config.maxInsns - m.retired, Math.floor((ctx.batch.capacity - 8 - ctx.batch.length) / 4));
  if (period !== 0) n = Math.min(n, (m.dev[Dev.TIMER_DEADLINE] as number) - m.ticks);
  return Math.max(n, 1);
}

/** Runs plain instructions back to back; a sensitive one or a fault ends the burst. */
function burst(platform: Platform, n: number): End | undefined {
  let outcome: number = Step.PLAIN;
  while (n-- > 0 && (outcome = platform.step()) === Step.PLAIN);
  if (outcome === Step.FAULT && !platform.dispatchFault(platform.fault)) return { reason: 'triple-fault', exitCode: 0 };
  const exitCode = platform.exitCode();
  return exitCode === undefined ? undefined : { reason: 'exit', exitCode };
}

/** Halted: idle until the timer's next tick if it can wake the CPU; else the run is over. */
function idle(ctx: RunContext, platform: Platform): End | undefined {
  const m = ctx.machine;
  if (!platform.interruptsEnabled()) return { reason: 'halt', exitCode: 0 };
  const timerCanWake = m.dev[Dev.TIMER_PERIOD] !== 0 && !((m.dev[Dev.PIC_MASK] as number) & (1 << IrqLine.TIMER));
  if (!timerCanWake) return { reason: 'deadlock', exitCode: 0 };
  const steps = (m.dev[Dev.TIMER_DEADLINE] as number) - m.ticks;
  ctx.batch.open(IDLE, steps, 0, 0, 0);
  ctx.apply(ctx.batch.close(steps * ctx.costs.cycles.idleStep));
  return undefined;
}

function emitTimerIrq(ctx: RunContext, period: number): void {
  const m = ctx.machine;
  const b = ctx.batch;
  b.open(IRQ, IrqLine.TIMER, 0, 0, 0);
  b.effect(Eff.DEV, Dev.PIC_PENDING, ((m.dev[Dev.PIC_PENDING] as number) | (1 << IrqLine.TIMER)) >>> 0);
  b.effect(Eff.DEV, Dev.TIMER_DEADLINE, ((m.dev[Dev.TIMER_DEADLINE] as number) + period) >>> 0);
  ctx.apply(b.close(0));
}

function emitRunStart(ctx: RunContext): void {
  ctx.batch.open(RUN_START, 0, 0, 0, 0);
  ctx.batch.extras.set(ctx.batch.length, ctx.config);
  ctx.apply(ctx.batch.close(0));
}

function emitRunEnd(ctx: RunContext, reason: EndReason, exitCode: number): void {
  ctx.batch.open(RUN_END, END_REASONS.indexOf(reason), exitCode >>> 0, 0, 0);
  ctx.apply(ctx.batch.close(0));
}
