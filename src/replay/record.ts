import type { RunConfig } from '../domain/config.js';
import { captureConsoles } from '../engines/console-capture.js';
import { startRun } from '../engines/run.js';
import { summarize, type RunSummary } from '../engines/summary.js';
import { DEFAULT_CHECKPOINT_EVERY } from './format.js';
import { LAYOUT } from './layout.js';
import { traceSink } from './worker-writer.js';

export interface RecordOptions {
  /** Events between checkpoints (each holds the state hash and the state). */
  readonly checkpointEvery?: number;
  /** Keep every event in the trace too (`record --events`), for fold replay with no engine. */
  readonly events?: boolean;
  readonly onProgress?: (guestInsns: number, bytes: number) => void;
  readonly onConsole?: (byte: number) => void;
}

/**
 * Runs a guest and writes its trace as it goes. A run is a pure function of its config, so
 * by default the trace holds the config and checkpoints (as rr records only what is not
 * deterministic): the run is the bare core's, plus a state snapshot per interval.
 */
export function recordRun(config: RunConfig, path: string, options: RecordOptions = {}): RunSummary {
  const every = options.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY;
  const events = options.events === true;
  const run = startRun(config, { events });
  const writer = traceSink(path, { config, vlabVersion: config.vlabVersion, layout: LAYOUT, checkpointEvery: every, events });
  const consoles = captureConsoles(run.machine.vms, options.onConsole);
  try {
    for (let next = every; !run.runUntil(next, events ? (batch) => writer.batch(batch) : undefined); next += every) {
      const state = run.state();
      writer.checkpoint(state);
      options.onProgress?.(state.vms.reduce((sum, vm) => sum + vm.retired, 0), writer.bytesWritten());
    }
    writer.checkpoint(run.state(), true);
    writer.finish(run.tally);
  } catch (e) {
    writer.abandon();
    throw e;
  }
  return summarize(config, run.state(), run.tally, consoles.map((c) => c.text()));
}
