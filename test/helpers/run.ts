import { assemble, formatAsmError } from '../../src/domain/asm/index.js';
import type { RunConfig } from '../../src/domain/config.js';
import { DEFAULT_CPU } from '../../src/domain/cost/profile.js';
import type { EventBatch } from '../../src/domain/events/batch.js';
import type { Image } from '../../src/domain/image/image.js';
import type { IsaProfile } from '../../src/domain/isa/table.js';
import type { MachineState } from '../../src/domain/state/machine.js';
import { GuestSteps } from '../../src/replay/diff.js';
import { startRun } from '../../src/engines/run.js';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export function assembleSource(source: string, file = 'test.s', defines: Record<string, number> = {}): Image {
  const readInclude = (path: string, from: string): string | undefined => {
    try {
      return readFileSync(resolve(dirname(from), path), 'utf8');
    } catch {
      return undefined;
    }
  };
  const result = assemble(source, { file, defines, readInclude });
  if (!result.ok) throw new Error(result.errors.map(formatAsmError).join('\n'));
  return result.image;
}

export function assembleGuest(name: string, defines: Record<string, number> = {}): Image {
  const file = resolve('guests', `${name}.s`);
  return assembleSource(readFileSync(file, 'utf8'), file, defines);
}

export function configFor(image: Image, mode: string, isa: IsaProfile = 'classic', maxInsns = 1_000_000): RunConfig {
  return {
    image, guest: 'test', mode, isa, seed: 0, maxInsns, input: '', disk: new Uint8Array(32 * 1024),
    memoryBytes: 4 * 1024 * 1024, cpu: DEFAULT_CPU, vlabVersion: 'test',
  };
}

export interface Recorded {
  readonly batches: EventBatch[];
  readonly state: MachineState;
}

/**
 * Runs to the end, keeping a copy of every batch. `maxEvents` stops a run that makes no
 * guest progress (a VMM looping on its own events never reaches the instruction budget);
 * the run is then cut there (a few events past it at most), with no run-end.
 */
export function record(config: RunConfig, maxEvents = Number.POSITIVE_INFINITY): Recorded {
  const run = startRun(config);
  const batches: EventBatch[] = [];
  run.runUntil(maxEvents, (b) => batches.push(b.clone()));
  return { batches, state: run.state() };
}

/** What the guest saw, step by step (the domain's GuestStep): equal lists mean equivalent runs. */
export function guestSteps(recorded: Recorded, config: RunConfig): number[] {
  const steps = new GuestSteps({ config, batches: recorded.batches });
  const signatures: number[] = [];
  while (steps.next()) signatures.push(steps.step.signature());
  return signatures;
}

/** Index of the first difference of two step lists, or -1. */
export function firstDifference(a: readonly number[], b: readonly number[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return -1;
}
