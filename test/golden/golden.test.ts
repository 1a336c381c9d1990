import { readdirSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { reexecute } from '../../src/replay/reexec.js';
import { replayTrace } from '../../src/replay/replay.js';

const traces = readdirSync('traces').filter((f) => f.endsWith('.vtrace')).sort();

describe('golden traces (regenerate with npm run traces after a deliberate change of semantics)', () => {
  it('cover hello and minios under every implemented mode, each under 1 MB', () => {
    expect(traces).toEqual(['hello', 'minios'].flatMap((g) => ['emulate', 'native', 'trap-emulate'].map((m) => `${g}-${m}.vtrace`)));
    for (const t of traces) expect(statSync(`traces/${t}`).size).toBeLessThan(1_000_000);
  });

  for (const trace of traces) {
    it(`${trace}: replays with every checkpoint verified, and re-executes event for event`, () => {
      const replay = replayTrace(`traces/${trace}`);
      expect(replay.summary.endReason).toBe('exit');
      expect(replay.checkpoints).toBeGreaterThanOrEqual(2);
      const reexec = reexecute(`traces/${trace}`);
      expect(reexec.divergence, reexec.divergence === undefined ? '' : `first divergent event #${reexec.divergence.index}\n  recorded: ${reexec.divergence.recorded}\n  live:     ${reexec.divergence.live}`).toBeUndefined();
      expect(reexec.events).toBe(replay.summary.events);
    });
  }
});
