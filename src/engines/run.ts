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

/** Runs to the end with the bare core (no events kept) and returns the final state: replay, record, bench. */
export function runBare(config: RunConfig, options: Omit<RunOptions, 'events'> = {}): MachineState {
  const r = createRun(config, { ...options, events: false });
  r.events$.subscribe();
  return r.state();
}
