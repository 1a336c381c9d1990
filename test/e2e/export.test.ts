import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { main } from '../../src/cli/main.js';

async function vlab(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t), isTTY: false });
  return { code, out, err };
}

interface TraceEvent { name: string; ph: string; ts?: number; dur?: number; pid: number; tid?: number; args?: Record<string, unknown> }

async function exported(trace: string): Promise<TraceEvent[]> {
  const dir = mkdtempSync(join(tmpdir(), 'vlab-export-'));
  const file = join(dir, 'out.json');
  const r = await vlab('export', trace, '--format', 'perfetto', '-o', file);
  expect(r.code).toBe(0);
  expect(r.out).toBe('');
  expect(readdirSync(dir)).toEqual(['out.json']); // no temporary file left behind
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { traceEvents: TraceEvent[] };
  return parsed.traceEvents;
}

function checkShape(events: readonly TraceEvent[]): void {
  const last = new Map<string, number>();
  let depth = 0;
  for (const e of events) {
    expect(['X', 'B', 'E', 'i', 'C', 'M']).toContain(e.ph);
    if (e.ph === 'M') continue;
    expect(typeof e.ts).toBe('number');
    const track = `${e.pid}/${e.ph === 'C' ? 'counter' : String(e.tid)}`;
    expect(e.ts as number).toBeGreaterThanOrEqual(last.get(track) ?? 0);
    last.set(track, e.ts as number);
    if (e.ph === 'X') expect(e.dur as number).toBeGreaterThanOrEqual(0);
    if (e.ph === 'B') depth++;
    if (e.ph === 'E') depth--;
    expect(depth).toBeGreaterThanOrEqual(0);
  }
  expect(depth).toBe(0);
}

describe('vlab export --format perfetto', () => {
  it('writes valid trace-event JSON for minios: monotonic tracks, guest runs aggregated, traps as slices', async () => {
    const events = await exported('traces/minios-trap-emulate.vtrace');
    checkShape(events);
    const guest = events.filter((e) => e.ph === 'X' && e.name === 'guest');
    expect(guest.length).toBeGreaterThan(0);
    expect(guest.reduce((n, e) => n + (e.args?.instructions as number), 0)).toBeGreaterThan(guest.length); // not one slice per instruction
    expect(events.some((e) => e.ph === 'X' && e.name === 'trap' && e.tid === 2)).toBe(true);
    expect(events.some((e) => e.ph === 'i' && e.name === 'interrupt')).toBe(true);
    expect(events.some((e) => e.ph === 'C' && e.name === 'cycles')).toBe(true);
    expect(events.filter((e) => e.ph === 'M').map((e) => e.args?.name)).toEqual([expect.stringContaining('minios under trap-emulate'), 'guest', 'VMM']);
  });

  it('has vmexit slices under hardware-assist', async () => {
    const events = await exported('traces/minios-hardware-assist.vtrace');
    checkShape(events);
    expect(events.filter((e) => e.ph === 'X' && e.name === 'vmexit' && e.tid === 2).length).toBeGreaterThan(0);
  });

  it('gives each VM of a run its own process, named by its guest, with guest and VMM tracks', async () => {
    const events = await exported('traces/two-vms-hardware-assist-events.vtrace');
    checkShape(events);
    expect(events.filter((e) => e.ph === 'M').map((e) => `${e.pid} ${String(e.args?.name)}`)).toEqual([
      '1 VM 0: minios under hardware-assist (virtualizable, p4-prescott-2005)', '1 guest', '1 VMM',
      '2 VM 1: hello under hardware-assist (virtualizable, p4-prescott-2005)', '2 guest', '2 VMM',
    ]);
    expect(new Set(events.filter((e) => e.ph === 'X' && e.name === 'vmexit').map((e) => e.pid))).toEqual(new Set([1, 2]));
  });

  it('regenerates the events of an inputs trace', async () => {
    const events = await exported('traces/hello-native.vtrace');
    checkShape(events);
    expect(events.some((e) => e.name === 'guest')).toBe(true);
  });

  it('refuses an unknown format in one line', async () => {
    const r = await vlab('export', 'traces/hello-native.vtrace', '--format', 'svg', '-o', join(tmpdir(), 'never.json'));
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.err).toBe("vlab: unknown format 'svg' (valid: perfetto)\n");
  });
});
