import { VlabError } from '../domain/errors.js';
import type { MachineState } from '../domain/state/machine.js';
import { stateHash } from '../domain/state/state-hash.js';
import { ConsoleCapture } from '../engines/console-capture.js';
import { startRun, type Run } from '../engines/run.js';
import type { RunTally } from '../engines/tally.js';
import { ChunkKind } from './format.js';
import type { Chunk, TraceReader } from './reader.js';
import { stateDifference } from './state-diff.js';
import type { CheckpointBody } from './writer.js';

/** A checkpoint as replay met it in file order: where its chunk is, and what it says. */
export interface CheckpointAt {
  readonly number: number; // the chunk's position in the file
  readonly offset: number; // its byte offset
  readonly seq: number;
  readonly hash: string;
}

/** What re-executing consecutive intervals gives: verified checkpoints, its tally and console, or the first divergence. */
export interface BlockResult {
  readonly verified: number;
  readonly tally: ReturnType<RunTally['toJSON']>;
  readonly consoleBytes: number; // every byte the guest wrote in the block
  readonly consoleTail: Uint8Array; // the last of them, at most ConsoleCapture.KEEP_BYTES
  readonly divergence: string | undefined; // the E_DIVERGENCE message
}

/** The error replay raises at a checkpoint whose state hash the live run does not reach. */
export function diverged(reader: TraceReader, chunk: Chunk, checkpoint: CheckpointBody, live: MachineState): VlabError {
  const recorded = reader.stateOf(checkpoint);
  const lines = recorded === undefined ? [] : stateDifference(recorded, live).map((d) => `\n  ${d}`);
  const what = live.seq === checkpoint.seq ? `the state hash is ${stateHash(live)}` : `the run is at event ${live.seq}`;
  return new VlabError('E_DIVERGENCE', `${reader.path}: replay diverged at the checkpoint in chunk ${chunk.number} (byte ${chunk.offset}): after event ${checkpoint.seq} ${what}, the trace says ${checkpoint.hash}${lines.join('')}`);
}

/** Makes the page chunks before `offset` known to a reader of a trace without a (readable) index. */
function pagesBefore(reader: TraceReader, offset: number): void {
  let indexed = false;
  try {
    indexed = reader.index() !== undefined;
  } catch {
    indexed = false;
  }
  if (indexed) return;
  for (const chunk of reader.chunks()) if (chunk.offset >= offset) break;
}

/**
 * Re-executes consecutive checkpoint intervals with the bare core, as one run from the
 * recorded state of the checkpoint before the first (the reset state for the first
 * interval), checking each checkpoint's hash in turn. Interval i ends at checkpoint i.
 */
export class IntervalRunner {
  private readonly run: Run;
  private readonly console = new ConsoleCapture();
  private verified = 0;
  diverged: string | undefined; // the E_DIVERGENCE message of the first checkpoint missed

  constructor(
    private readonly reader: TraceReader,
    private readonly checkpoints: readonly CheckpointAt[],
    first: number,
  ) {
    const start = first === 0 ? undefined : checkpoints[first - 1];
    let from: MachineState | undefined;
    if (start !== undefined) {
      pagesBefore(reader, start.offset);
      from = reader.stateOf(reader.checkpointOf(reader.chunkAt(start.offset, start.number)));
      if (from === undefined) throw new Error(`${reader.path}: the checkpoint in chunk ${start.number} holds no state to start from`);
    }
    this.run = startRun(reader.header.config, { from, events: false });
    this.run.machine.vm(0).console.sink = (byte) => this.console.append(byte);
  }

  /** Runs to checkpoint i and checks it; false at a divergence. */
  step(i: number): boolean {
    const at = this.checkpoints[i];
    if (at === undefined || this.diverged !== undefined) return false;
    this.run.runUntil(at.seq);
    const live = this.run.state();
    if (live.seq === at.seq && stateHash(live) === at.hash) {
      this.verified++;
      return true;
    }
    const chunk = this.reader.chunkAt(at.offset, at.number);
    if (chunk.kind !== ChunkKind.CHECKPOINT) throw new Error(`${this.reader.path}: chunk ${at.number} is no longer a checkpoint`);
    this.diverged = diverged(this.reader, chunk, this.reader.checkpointOf(chunk), live).message;
    return false;
  }

  /** What the run did so far; `final` receives its state when no checkpoint was missed. */
  result(final?: (state: MachineState) => void): BlockResult {
    if (this.diverged === undefined) final?.(this.run.state());
    return { verified: this.verified, tally: this.run.tally.toJSON(), consoleBytes: this.console.bytes(), consoleTail: this.console.tail(), divergence: this.diverged };
  }

  /** Gives the run's buffers back: it cannot go on. */
  close(): void {
    this.run.dispose();
  }

  /** One interval on its own. */
  through(i: number): BlockResult {
    this.step(i);
    const result = this.result();
    this.close();
    return result;
  }
}
