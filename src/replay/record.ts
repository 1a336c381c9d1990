import type { RunConfig } from '../domain/config.js';
import { startRun } from '../engines/run.js';
import { EventTally, summarize, type RunSummary } from '../engines/summary.js';
import { TraceWriter } from './writer.js';

export const DEFAULT_CHECKPOINT_EVERY = 1 << 16;

export interface RecordOptions {
  readonly checkpointEvery?: number;
  readonly onProgress?: (guestInsns: number, bytes: number) => void;
}

/** Runs a guest and writes its trace as it goes; returns the same summary as `vlab run`. */
export function recordRun(config: RunConfig, path: string, options: RecordOptions = {}): RunSummary {
  const every = options.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY;
  const run = startRun(config);
  const writer = new TraceWriter(path, { config, vlabVersion: config.vlabVersion, profile: config.profile, checkpointEvery: every });
  writer.checkpoint(run.state());
  const tally = new EventTally();
  let sinceCheckpoint = 0;
  run.events$.subscribe((batch) => {
    writer.batch(batch);
    tally.add(batch);
    sinceCheckpoint += batch.length;
    if (sinceCheckpoint >= every) {
      const state = run.state();
      writer.checkpoint(state);
      sinceCheckpoint = 0;
      options.onProgress?.(state.retired, writer.bytesWritten);
    }
  });
  const final = run.state();
  writer.checkpoint(final);
  writer.finish();
  return summarize(config, final, tally);
}
