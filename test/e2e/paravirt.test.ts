import { describe, expect, it } from 'vitest';
import type { Event, EventOfType } from '../../src/domain/events/event.js';
import { VlabError } from '../../src/domain/errors.js';
import { readPage32 } from '../../src/domain/state/pages.js';
import { Op } from '../../src/domain/isa/table.js';
import { startRun } from '../../src/engines/run.js';
import { runToSummary } from '../../src/engines/summary.js';
import { assembleGuest, configFor, record } from '../helpers/run.js';

const native = assembleGuest('minios');
const pv = assembleGuest('minios', { PV: 1 });
const pvDrivers = assembleGuest('minios', { PVDRIVERS: 1 });

const eventsOf = (r: ReturnType<typeof record>): Event[] => r.batches.flatMap((b) => [...b]);

function diskWords(r: ReturnType<typeof record>): number[] {
  const disk = (r.state.vms[0] as { disk: Parameters<typeof readPage32>[0] }).disk;
  return Array.from({ length: 32 * 1024 / 4 }, (_, i) => readPage32(disk, 4 * i));
}

describe('paravirt and hybrid: the guest output of native minios (console, disk, exit code)', () => {
  const base = record(configFor(native, 'native', 'virtualizable', 5_000_000));
  const baseConsole = startRunConsole(native, 'native');

  it.each([
    ['paravirt', pv],
    ['hybrid', pvDrivers],
  ] as const)('%s', (mode, image) => {
    const run = record(configFor(image, mode, 'virtualizable', 5_000_000));
    expect(startRunConsole(image, mode)).toBe(baseConsole);
    expect(baseConsole).toContain('wrote and read back 16 sectors, checksum 0xd0200400');
    expect(run.state.outcome).toEqual(base.state.outcome);
    expect(diskWords(run)).toEqual(diskWords(base));
  });

  it('the paravirtual kernel makes no privileged instruction or port access: cli and sti are plain stores, every VMM entry a hypercall or a page fault', () => {
    const events = eventsOf(record(configFor(pv, 'paravirt', 'virtualizable', 5_000_000)));
    const traps = events.filter((e): e is EventOfType<'trap'> => e.type === 'trap');
    expect(traps.every((t) => t.cause === 'page-fault')).toBe(true);
    expect(events.filter((e) => e.type === 'io')).toHaveLength(0);
    const emulated = events.filter((e): e is EventOfType<'emulate'> => e.type === 'emulate');
    expect(emulated.every((e) => (e.word & 0xff) === Op.VMCALL)).toBe(true);
    expect(emulated.length).toBe(events.filter((e) => e.type === 'hypercall').length);
    // the fast system-call path: int 0x80 is delivered by the hardware, with no hypervisor entry
    const syscalls = events.filter((e): e is EventOfType<'exception'> => e.type === 'exception' && e.vector === 0x80);
    expect(syscalls.length).toBeGreaterThan(0);
    expect(syscalls.every((e) => e.via === 'cpu')).toBe(true);
  });

  it('a burst of block requests under hybrid costs one kick, not one per request', () => {
    const events = eventsOf(record(configFor(pvDrivers, 'hybrid', 'virtualizable', 5_000_000)));
    const ring = events.filter((e): e is EventOfType<'ring'> => e.type === 'ring');
    const kicks = ring.filter((e) => e.op === 'kick');
    const served = ring.filter((e) => e.op === 'complete').reduce((n, e) => n + e.count, 0);
    expect(served).toBe(1 + 16 + 16); // sector 0, then the disk test's writes and reads
    expect(kicks).toHaveLength(3); // one per burst
    expect(events.filter((e) => e.type === 'io' && 'port' in e && (e.port as number) >= 0x1f0 && (e.port as number) <= 0x1f7)).toHaveLength(0);
  });

  it('each mode refuses the other kind of image with one line', () => {
    expect(() => startRun(configFor(native, 'paravirt'))).toThrow(VlabError);
    expect(() => startRun(configFor(native, 'paravirt'))).toThrow(/runs only a paravirtualized guest/);
    for (const mode of ['native', 'emulate', 'trap-emulate', 'hybrid']) expect(() => startRun(configFor(pv, mode))).toThrow(/is a paravirtualized guest/);
    for (const mode of ['native', 'emulate', 'trap-emulate']) expect(() => startRun(configFor(pvDrivers, mode))).toThrow(/has paravirtual drivers/);
  });
});

function startRunConsole(image: typeof native, mode: string): string {
  return runToSummary(configFor(image, mode, 'virtualizable', 5_000_000)).console;
}
