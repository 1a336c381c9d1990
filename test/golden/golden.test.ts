import { readdirSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MODES } from '../../src/engines/modes/registry.js';
import { withReader } from '../../src/replay/reader.js';
import { reexecute } from '../../src/replay/reexec.js';
import { replayTrace } from '../../src/replay/replay.js';

const traces = readdirSync('traces').filter((f) => f.endsWith('.vtrace')).sort();

describe('golden traces (regenerate with npm run traces after a deliberate change of semantics)', () => {
  it('cover hello and minios under every mode for unmodified guests, minios-pv under the others, and minios with its events, each under 1 MB', () => {
    const unmodified = MODES.filter((m) => !m.modifiedGuest).map((m) => m.name);
    const modified = MODES.filter((m) => m.modifiedGuest).map((m) => `minios-pv-${m.name}.vtrace`);
    const expected = [...['hello', 'minios'].flatMap((g) => unmodified.map((m) => `${g}-${m}.vtrace`)), ...modified, 'minios-native-events.vtrace'].sort();
    expect(traces).toEqual(expected);
    for (const t of traces) expect(statSync(`traces/${t}`).size).toBeLessThan(1_000_000);
  });

  for (const trace of traces) {
    it(`${trace}: replays with every checkpoint verified`, () => {
      const replay = replayTrace(`traces/${trace}`);
      expect(replay.summary.endReason).toBe('exit');
      expect(replay.checkpoints).toBeGreaterThanOrEqual(1);
      expect(replay.how).toBe(trace.endsWith('-events.vtrace') ? 'folded' : 'reexecuted');
      expect(replay.summary.events).toBe(withReader(`traces/${trace}`, (r) => r.index()?.events));
    });
  }

  it('minios-native-events.vtrace: re-executes event for event', () => {
    const reexec = reexecute('traces/minios-native-events.vtrace');
    expect(reexec.divergence, reexec.divergence === undefined ? '' : `first divergent event #${reexec.divergence.index}\n  recorded: ${reexec.divergence.recorded}\n  live:     ${reexec.divergence.live}`).toBeUndefined();
    expect(reexec.events).toBe(replayTrace('traces/minios-native-events.vtrace').summary.events);
  });
});
