import { readdirSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MODES } from '../../src/engines/modes/registry.js';
import { withReader } from '../../src/replay/reader.js';
import { reexecute } from '../../src/replay/reexec.js';
import { replayTrace } from '../../src/replay/replay.js';

const traces = readdirSync('traces').filter((f) => f.endsWith('.vtrace')).sort();

describe('golden traces (regenerate with npm run traces after a deliberate change of semantics)', () => {
  it('cover hello and minios under every mode for unmodified guests, minios-pv under the others, minios with its events and two VMs with theirs, each under 1 MB', () => {
    const unmodified = MODES.filter((m) => !m.modifiedGuest).map((m) => m.name);
    const modified = MODES.filter((m) => m.modifiedGuest).map((m) => `minios-pv-${m.name}.vtrace`);
    const expected = [...['hello', 'minios'].flatMap((g) => unmodified.map((m) => `${g}-${m}.vtrace`)), ...modified, 'minios-native-events.vtrace', 'two-vms-hardware-assist-events.vtrace'].sort();
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

  for (const trace of ['minios-native-events.vtrace', 'two-vms-hardware-assist-events.vtrace']) {
    it(`${trace}: re-executes event for event`, () => {
      const reexec = reexecute(`traces/${trace}`);
      expect(reexec.divergence, reexec.divergence === undefined ? '' : `first divergent event #${reexec.divergence.index}\n  recorded: ${reexec.divergence.recorded}\n  live:     ${reexec.divergence.live}`).toBeUndefined();
      expect(reexec.events).toBe(replayTrace(`traces/${trace}`).summary.events);
    });
  }

  it('two-vms-hardware-assist-events.vtrace: both VMs exit 0, minios as when it runs alone', () => {
    const s = replayTrace('traces/two-vms-hardware-assist-events.vtrace').summary;
    const alone = replayTrace('traces/minios-hardware-assist.vtrace').summary;
    expect(s.vms?.map((v) => [v.guest, v.endReason, v.exitCode])).toEqual([['minios', 'exit', 0], ['hello', 'exit', 0]]);
    expect(s.vms?.[0]?.guestViewHash).toBe(alone.guestViewHash);
    expect(s.vms?.[1]?.console).toBe('Hello from VX32!\n');
  });
});
