import { describe, expect, it } from 'vitest';
import { runConfig } from '../../../src/cli/config.js';
import { coarsen, measureRun } from '../../../src/engines/kinds.js';
import { runToSummary } from '../../../src/engines/summary.js';

describe('a run measured by event kind and over virtual time', () => {
  it('its kinds add up to its cycles and counts by type; its timeline to its cycles', () => {
    const config = runConfig('minios', { mode: 'trap-emulate' });
    const m = measureRun(config);
    expect(m.summary).toEqual(runToSummary(config));
    expect(m.kinds.reduce((n, k) => n + k.cycles, 0)).toBe(m.summary.cycles);
    for (const [type, count] of Object.entries(m.summary.countsByType)) expect(m.kinds.filter((k) => k.type === type).reduce((n, k) => n + k.count, 0)).toBe(count);
    expect(m.kinds.filter((k) => k.type === 'trap').map((k) => [k.reason, k.count])).toEqual([['io', 4877], ['page-fault', 58], ['privileged', 57], ['exception', 18]]);
    const t = m.timeline;
    expect(t.guest.length).toBeLessThanOrEqual(4096);
    expect(t.guest.length).toBe(Math.ceil(m.summary.cycles / t.width));
    expect(t.width).toBe(4096);
    expect([...t.guest, ...t.vmm].reduce((a, b) => a + b, 0)).toBe(m.summary.cycles);
    // Virtualization's time is split by cost component, not by event: the monitor's events, plus the 28 exception
    // frames the VMM builds (28 × 216), less what in them is the machine's: 5 real CR3 reloads of shadow flushes
    // (5 × 340) and 2 page-walk references of emulated instructions (2 × 18).
    const monitor = m.kinds.filter((k) => k.type === 'trap' || k.type === 'emulate' || k.type === 'shadow-pt').reduce((n, k) => n + k.cycles, 0);
    expect(monitor).toBe(10_170_740);
    expect(t.vmm.reduce((a, b) => a + b, 0)).toBe(monitor + 28 * 216 - 5 * 340 - 2 * 18);
  });

  it('paravirt: a hypercall’s entry, priced on the emulate event that retires its vmcall, counts under the hypercall’s name', () => {
    const config = runConfig('minios-pv', { mode: 'paravirt' });
    const m = measureRun(config);
    const calls = m.summary.countsByType.hypercall ?? 0;
    expect(m.kinds.reduce((n, k) => n + k.cycles, 0)).toBe(m.summary.cycles);
    expect(m.kinds.find((k) => k.type === 'emulate' && k.reason === 'hypercall')).toBeUndefined();
    expect(m.kinds.filter((k) => k.type === 'hypercall').reduce((n, k) => n + k.count, 0)).toBe(calls);
    expect(m.kinds.filter((k) => k.type === 'emulate').reduce((n, k) => n + k.count, 0)).toBe((m.summary.countsByType.emulate ?? 0) - calls);
    expect(m.kinds.filter((k) => k.type === 'hypercall' || k.type === 'emulate').reduce((n, k) => n + k.cycles, 0)).toBe((m.summary.cyclesByType.hypercall ?? 0) + (m.summary.cyclesByType.emulate ?? 0));
    expect(m.kinds.find((k) => k.type === 'hypercall' && k.reason === 'console_io')).toMatchObject({ count: 519, cycles: 519 * 458 });
  });

  it('coarsens a timeline by whole buckets', () => {
    expect(coarsen({ width: 10, guest: [1, 2, 3, 4, 5], vmm: [0, 1, 0, 1, 0] }, 2)).toEqual({ width: 20, guest: [3, 7, 5], vmm: [1, 1, 0] });
  });
});
