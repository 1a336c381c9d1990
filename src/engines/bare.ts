import type { RunConfig } from '../domain/config.js';
import { EventBatch } from '../domain/events/batch.js';
import type { EffectKind } from '../domain/events/effects.js';
import { accountEvent, applyEffect } from '../domain/evolve.js';
import type { Machine, MachineState } from '../domain/state/machine.js';
import { createRun, RunContext } from './loop.js';
import { PLATFORMS } from './run.js';

/**
 * A batch that keeps nothing: each effect is written into the machine as it is produced
 * and each event only advances the counters. Bench-only: an instruction that faults after
 * a first write keeps that write (there is no event to abandon).
 */
class DirectBatch extends EventBatch {
  constructor(private readonly m: Machine) {
    super(0, 4);
  }

  override effect(kind: EffectKind, a: number, b: number): void {
    applyEffect(this.m, kind, a, b);
  }

  override close(cost: number): number {
    this.cost[0] = cost;
    accountEvent(this.m, this, 0);
    return 0;
  }

  override abandon(): void {}

  override get capacity(): number {
    return Number.POSITIVE_INFINITY;
  }
}

/**
 * The speed limit of this runtime for `npm run bench`: the same CPU core and run loop with
 * no events recorded, no batches and no stream. Not for anything but measuring.
 */
export function runBare(config: RunConfig): MachineState {
  const ctx: RunContext = new RunContext(config, (m) => new DirectBatch(m), () => undefined);
  const platform = PLATFORMS[config.mode];
  if (platform === undefined) throw new RangeError(`mode ${config.mode} is not implemented`);
  const run = createRun(config, platform, ctx);
  run.events$.subscribe();
  return run.state();
}
