import { Observable } from 'rxjs/internal/Observable';
import { vmConfigs, vmRunConfig, type RunConfig } from '../domain/config.js';
import { cpuProfile, type CpuProfile } from '../domain/cost/profile.js';
import { VlabError } from '../domain/errors.js';
import { EventBatch } from '../domain/events/batch.js';
import { Eff } from '../domain/events/effects.js';
import { idle, irq } from '../domain/events/guest.js';
import { runEnd, runStart } from '../domain/events/run.js';
import { IrqLine } from '../domain/isa/arch.js';
import { Dev } from '../domain/state/layout.js';
import { Machine, initialMachine, vmInputs, type MachineState } from '../domain/state/machine.js';
import { runCore as bareCore } from './cpu/core-bare.js';
import { runCore as bareFlatCore } from './cpu/core-bare-flat.js';
import { runCore as bareTlbCore } from './cpu/core-bare-tlb.js';
import { runCore as eventedCore } from './cpu/core-evented.js';
import { runCore as eventedFlatCore } from './cpu/core-evented-flat.js';
import { runCore as eventedTlbCore } from './cpu/core-evented-tlb.js';
import { EventLog } from './cpu/log.js';
import { deliverableLine } from './cpu/pic.js';
import { TRIPLE_FAULT, type End, type Env, type ModeEngine } from './env.js';
import { Hypervisor, refuseSeveralVms } from './hypervisor/scheduler.js';
import { refuseMismatchedGuest } from './modes/guest-fit.js';
import { modeSpec } from './modes/registry.js';
import { RunTally } from './tally.js';

/** Events an advance may add beyond the core's burst (a trap, its emulation, device and shadow events…). */
const RESERVE = 64;

/**
 * The run's budget on every kind of progress (docs/machine.md, "Budget"): instructions
 * retired (`--max-insns`), events (a fault re-raised forever, a VMM path retrying without
 * retiring) and virtual time in timer counts (a halted CPU woken by a timer of huge period).
 */
export interface Budget {
  readonly insns: number;
  readonly events: number;
  readonly ticks: number;
}

/** Events allowed per instruction of the budget, plus a floor for short runs. */
export const EVENTS_PER_INSN = 16;
export const EVENTS_FLOOR = 0x1_0000;
/** Timer counts allowed per instruction of the budget, capped where doubles stay exact. */
export const TICKS_PER_INSN = 0x1_0000;

export function budgetOf(config: RunConfig): Budget {
  const insns = config.maxInsns;
  return { insns, events: EVENTS_PER_INSN * insns + EVENTS_FLOOR, ticks: Math.min(2 ** 52, TICKS_PER_INSN * Math.max(insns, 1)) };
}

export interface RunOptions {
  /** Resume from this state (a checkpoint) instead of the reset state: no run-start, no launch. */
  readonly from?: MachineState;
  /** Keep events (the default): false runs the bare core, which only changes the state. */
  readonly events?: boolean;
}

export interface Run {
  /** Runs to the end: the events, in batches. A batch is reused after the subscriber returns: `clone()` what you keep. */
  readonly events$: Observable<EventBatch>;
  /**
   * Runs until at least `seq` events exist in total, or the run ends (then returns true);
   * batches go to `onBatch`. A run paused this way resumes exactly where it stopped.
   */
  runUntil(seq: number, onBatch?: (batch: EventBatch) => void): boolean;
  /** The machine after the last event produced so far. */
  state(): MachineState;
  /** The working machine (its console can stream out as the guest writes it). */
  readonly machine: Machine;
  readonly tally: RunTally;
  /** Gives a run paused before its end its large buffers back (states taken before stay valid); it cannot go on. */
  dispose(): void;
}

function cpuOf(name: string): CpuProfile {
  const cpu = cpuProfile(name);
  if (cpu === undefined) throw new VlabError('E_USAGE', `unknown CPU profile '${name}'`);
  return cpu;
}

/**
 * The shared run loop: an interrupt, an idle period or a burst of guest instructions at a
 * time, until the exit port, `hlt` with interrupts off, a deadlock, a triple fault or the
 * budget. Synchronous and deterministic: time is the guest's instruction count.
 */
export function createRun(config: RunConfig, options: RunOptions = {}): Run {
  const spec = modeSpec(config.mode);
  refuseSeveralVms(spec, config);
  const vmCount = vmConfigs(config).length;
  for (let i = 0; i < vmCount; i++) refuseMismatchedGuest(spec, vmRunConfig(config, i));
  const cpu = cpuOf(config.cpu);
  const machine = options.from === undefined ? initialMachine(config) : new Machine(options.from, vmInputs(config));
  const batch = options.events === false ? undefined : new EventBatch(machine.seq);
  const tally = new RunTally();
  const log = new EventLog(machine, cpu, batch, tally);
  const runCore = batch === undefined ? { paged: bareCore, 'tlb-model': bareTlbCore, flat: bareFlatCore } : { paged: eventedCore, 'tlb-model': eventedTlbCore, flat: eventedFlatCore };
  const guests = Array.from({ length: vmCount }, (_, i): Guest => {
    const env: Env = { config: vmRunConfig(config, i), machine, vm: machine.vm(i), vmIndex: i, log, cpu, runCore };
    return { env, engine: spec.engine(env), budget: budgetOf(env.config) };
  });
  const first = guests[0] as Guest;
  const { env, engine, budget } = first;
  const hypervisor = vmCount > 1 ? new Hypervisor(spec, config, guests, log) : undefined;
  const own: Own = { events: 0, ticksLeft: Number.POSITIVE_INFINITY, canYield: false };
  let started = options.from !== undefined;
  let final: MachineState | undefined;

  const flush = (onBatch?: (batch: EventBatch) => void): void => {
    if (batch === undefined) return;
    if (batch.length > 0) onBatch?.(batch);
    batch.clear(machine.seq);
  };

  function finish(): void {
    final = machine.seal();
    for (const g of guests) g.engine.dispose();
    machine.release();
  }

  function runUntil(seq: number, onBatch?: (batch: EventBatch) => void, open: () => boolean = () => true): boolean {
    if (final !== undefined) return true;
    if (!started) {
      log.emit(runStart, 0, { config });
      for (const g of guests) g.engine.launch();
      started = true;
    }
    while (machine.outcome === undefined && machine.seq < seq && open()) {
      if (hypervisor !== undefined) hypervisor.step(seq);
      else {
        own.events = machine.seq;
        const end = advance(env, engine, seq, budget, own);
        if (end !== undefined) log.emit(runEnd, 0, end as End);
      }
      if (batch !== undefined && batch.room < 2 * RESERVE) flush(onBatch);
    }
    flush(onBatch);
    if (machine.outcome !== undefined) finish();
    return final !== undefined;
  }

  const events$ = new Observable<EventBatch>((subscriber) => {
    runUntil(Number.POSITIVE_INFINITY, (b) => subscriber.next(b), () => !subscriber.closed);
    subscriber.complete();
  });
  const dispose = (): void => {
    if (final === undefined) finish();
  };
  return { events$, runUntil: (seq, onBatch) => runUntil(seq, onBatch), state: () => final ?? machine.seal(), machine, tally, dispose };
}

/** One VM of a run: its engine's environment, its engine and its budget. */
export interface Guest {
  readonly env: Env;
  readonly engine: ModeEngine;
  readonly budget: Budget;
}

/** What a step may use of the VM's slice (several VMs), reused from step to step. */
export interface Own {
  /** Events this VM has used so far (one VM: the run's). */
  events: number;
  /** Timer counts left in the VM's slice. */
  ticksLeft: number;
  /** May a halted VM give the CPU up instead of idling (several VMs, once its slice has made progress)? */
  canYield: boolean;
}

/** A halted VM gives the rest of its slice to the others. */
export const YIELD = 'yield';

/** One step of the machine: a timer tick, an interrupt, an idle period or a burst of instructions; how the run ends when it does. */
export function advance(env: Env, engine: ModeEngine, until: number, budget: Budget, own: Own): End | typeof YIELD | undefined {
  const { vm } = env;
  const dev = vm.dev;
  if (own.events >= budget.events || vm.ticks >= budget.ticks) return { reason: 'budget', exitCode: 0 };
  const period = (dev[Dev.TIMER_PERIOD] as number) >>> 0;
  const toTick = countsToTick(dev[Dev.TIMER_DEADLINE] as number, vm.ticks, period);
  if (period !== 0 && toTick <= 0) {
    timerTick(env, period);
    return undefined;
  }
  const line = dev[Dev.PIC_PENDING] === 0 ? -1 : deliverableLine(dev);
  if (line >= 0 && engine.interruptsEnabled()) return engine.interrupt(line) ? undefined : TRIPLE_FAULT;
  if (engine.halted()) return idleUntilTick(env, engine, period, toTick, own.canYield);
  if (vm.retired >= budget.insns) return { reason: 'budget', exitCode: 0 };
  let n = Math.min(budget.insns - vm.retired, until - env.machine.seq, budget.events - own.events, own.ticksLeft);
  if (period !== 0) n = Math.min(n, toTick);
  const out = env.log.out;
  if (out !== undefined) n = Math.min(n, out.room - RESERVE);
  return engine.run(Math.max(n, 1));
}

/**
 * Timer counts until the deadline (32-bit, modulo 2^32), ≤ 0 when due. A distance beyond
 * the period can only be a deadline already passed, so periods up to 2^32 − 1 tick once per period.
 */
export function countsToTick(deadline: number, ticks: number, period: number): number {
  const ahead = (deadline - ticks) >>> 0;
  return ahead > period ? ahead - 0x1_0000_0000 : ahead;
}

/** Halted: idle until the timer's next tick if it can wake the CPU; else the run is over. */
function idleUntilTick(env: Env, engine: ModeEngine, period: number, toTick: number, canYield: boolean): End | typeof YIELD | undefined {
  if (!engine.interruptsEnabled()) return { reason: 'halt', exitCode: 0 };
  const dev = env.vm.dev;
  const blocked = (1 << (IrqLine.TIMER + 1)) - 1; // the timer's line, or one of higher priority, in service
  const timerCanWake = period !== 0 && !((dev[Dev.PIC_MASK] as number) & (1 << IrqLine.TIMER)) && ((dev[Dev.PIC_IN_SERVICE] as number) & blocked) === 0;
  if (!timerCanWake) return { reason: 'deadlock', exitCode: 0 };
  if (canYield) return YIELD;
  env.log.emit(idle, env.vmIndex, { steps: toTick });
  return undefined;
}

function timerTick(env: Env, period: number): void {
  const { vm, log } = env;
  log.open(irq, env.vmIndex, { line: IrqLine.TIMER });
  vm.dev[Dev.PIC_PENDING] = (vm.dev[Dev.PIC_PENDING] as number) | (1 << IrqLine.TIMER);
  log.effect(Eff.DEV, Dev.PIC_PENDING, (vm.dev[Dev.PIC_PENDING] as number) >>> 0);
  vm.dev[Dev.TIMER_DEADLINE] = (vm.dev[Dev.TIMER_DEADLINE] as number) + period;
  log.effect(Eff.DEV, Dev.TIMER_DEADLINE, (vm.dev[Dev.TIMER_DEADLINE] as number) >>> 0);
  log.close();
}
