import type { Observable } from 'rxjs';
import type { RunConfig } from '../domain/config.js';
import type { EventBatch } from '../domain/events/batch.js';
import type { MachineState } from '../domain/state/machine.js';
import { createRun, type Run, type RunOptions } from './loop.js';

export type { Run, RunOptions };

export function startRun(config: RunConfig, options: RunOptions = {}): Run {
  return createRun(config, options);
}

/**
 * Runs a guest: a synchronous, deterministic stream of event batches.
 *
 * @example run(config).subscribe((batch) => count += batch.length)
 */
export function run(config: RunConfig): Observable<EventBatch> {
  return createRun(config).events$;
}

/** Events a run produces between two hand-overs of its batches to an iterating consumer. */
const STEP = 1 << 14;

/**
 * A run's events as batches to iterate, produced as they are asked for, from event `from`
 * on (the first batch may start a little earlier). A batch is valid until the next is
 * asked for, as a subscriber's is until it returns: `clone()` what you keep.
 */
export function* eventBatches(run: Run, from = 0): Generator<EventBatch> {
  const pending: EventBatch[] = [];
  const free: EventBatch[] = [];
  for (let done = false; !done; ) {
    done = run.runUntil(run.machine.seq + STEP, (batch) => {
      if (batch.start + batch.length > from) pending.push(batch.clone(free.pop()));
    });
    for (let batch = pending.shift(); batch !== undefined; batch = pending.shift()) {
      yield batch;
      free.push(batch);
    }
  }
}

/** Runs to the end with the bare core (no events kept) and returns the final state: replay, record, bench. */
export function runBare(config: RunConfig, options: Omit<RunOptions, 'events'> = {}): MachineState {
  const r = createRun(config, { ...options, events: false });
  r.events$.subscribe();
  return r.state();
}
