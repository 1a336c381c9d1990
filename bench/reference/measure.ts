import type { Image } from '../../src/domain/image/image.js';
import { referenceBare, referenceEvented, type ReferenceResult } from './interpreter.js';

export interface ReferenceSpeed {
  /** Guest instructions retired per second. */
  readonly insnsPerSec: number;
  /** Events handed to the subscriber per second (0 for bare, which has none). */
  readonly eventsPerSec: number;
}

/**
 * The reference interpreter's speed on an image: best of `repeat` runs, each timed from
 * reset to the exit port (setup included, as a vlab run's is). Evented, every batch goes
 * to a subscriber that counts its events, the least a consumer can do.
 *
 * @example measureReference(compute, 'evented', 10).insnsPerSec
 */
export function measureReference(image: Image, kind: 'bare' | 'evented', repeat: number): ReferenceSpeed {
  let best = Number.POSITIVE_INFINITY;
  let insns = 0;
  let events = 0;
  for (let k = 0; k < Math.max(1, repeat); k++) {
    let seen = 0;
    const start = performance.now();
    const result: ReferenceResult = kind === 'bare' ? referenceBare(image) : referenceEvented(image, (batch) => (seen += batch.length));
    const seconds = (performance.now() - start) / 1000;
    if (result.outcome !== 'exit') throw new Error(`reference run ended with ${result.outcome} at 0x${result.pc.toString(16)}, not at the exit port`);
    if (seconds < best) {
      best = seconds;
      insns = result.retired;
      events = seen;
    }
  }
  return { insnsPerSec: insns / best, eventsPerSec: events / best };
}
