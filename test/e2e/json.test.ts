import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../src/cli/commands/compare.js';
import { main } from '../../src/cli/main.js';
import { MODE_NAMES } from '../../src/engines/modes/registry.js';
import type { RunSummary } from '../../src/engines/summary.js';

async function vlab(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t), isTTY: false });
  return { code, out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'vlab-json-'));

describe('--json on every command that prints a result (shapes in docs/cli.md)', () => {
  it('compare: the runs with their verdicts', async () => {
    const r = await vlab('compare', 'minios', '--json');
    const j = JSON.parse(r.out) as { guest: string; runs: Record<string, unknown>[]; unexpected: string[] };
    expect(r.code).toBe(0);
    expect(j.guest).toBe('minios');
    expect(j.runs.map((x) => x.mode)).toEqual(MODE_NAMES);
    expect(j.runs.find((x) => x.mode === 'paravirt')).toMatchObject({ build: 'minios-pv', sameAsNative: true, expectedSame: true });
    expect(j.runs.find((x) => x.mode === 'trap-emulate')).toMatchObject({ isa: 'classic', sameAsNative: false, expectedSame: false, vmmEvents: 10015 });
    expect(j.runs[0]).toMatchObject({ mode: 'native', sameAsNative: true, expectedSame: true, cyclesVsNative: 1 });
    expect(j.runs.find((x) => x.mode === 'trap-emulate')?.divergence).toEqual({ step: 4, event: 'insn 0x11f8: pushf', difference: ['memory 0x8fff4: 0x0 vs 0x200'] });
    const kinds = j.runs.find((x) => x.mode === 'hardware-assist')?.kinds as { type: string; reason?: string; count: number; cycles: number }[];
    expect(kinds.find((k) => k.type === 'vmexit' && k.reason === 'IO_INSTRUCTION')).toEqual({ type: 'vmexit', reason: 'IO_INSTRUCTION', count: 4898, cycles: 4898 * (1931 + 2 * 178) });
    expect(kinds.reduce((n, k) => n + k.cycles, 0)).toBe(j.runs.find((x) => x.mode === 'hardware-assist')?.cycles);
    expect(j.unexpected).toEqual([]);
  });

  it('compare exits 1 when a mode differs from native where the registry says it is equivalent', () => {
    const s = (mode: string, hash: string): RunSummary => ({ mode, isa: 'virtualizable', cpu: 'p4-prescott-2005', guestViewHash: hash, cycles: 10, console: '' }) as unknown as RunSummary;
    const c = compareRuns([{ summary: s('native', 'a') }, { summary: s('trap-emulate', 'b') }], () => s('native', 'a'));
    expect(c.unexpected).toEqual(['trap-emulate (virtualizable, p4-prescott-2005)']);
  });

  it('diff: equal, the first divergence and the tally of both sides', async () => {
    const r = await vlab('diff', 'minios', '--modes', 'native,trap-emulate', '--json');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out) as Record<string, unknown>;
    expect(j).toMatchObject({
      equal: false,
      sides: ['native (classic)', 'trap-emulate (classic)'],
      divergence: { step: 4, events: [5, 6], difference: ['memory 0x8fff4: 0x0 vs 0x200'] },
    });
    expect((j.tally as { type: string }[])[0]).toEqual({ type: 'insn', events: [168504, 159800], cycles: expect.any(Array) as unknown });
  });

  it('asm and disasm: the image and its listing', async () => {
    const listing = JSON.parse((await vlab('asm', 'guests/hello.s', '--json')).out) as Record<string, unknown>;
    expect(listing).toMatchObject({ output: null, bytes: 90, entry: 0x1000, segments: [{ addr: 0x1000, bytes: 90 }] });
    expect((listing.listing as string[]).slice(0, 2)).toEqual(['start:', '  00001000: 02 01 00 00 48 10 00 00  mov r1, message']);
    const written = JSON.parse((await vlab('asm', 'guests/hello.s', '-o', join(dir, 'h.img'), '--json')).out) as Record<string, unknown>;
    expect(written).toMatchObject({ output: join(dir, 'h.img'), bytes: 90, imageHash: listing.imageHash });
    expect(JSON.parse((await vlab('disasm', join(dir, 'h.img'), '--json')).out)).toEqual({ ...listing, listing: expect.any(Array) as unknown });
  });

  it('list, record, replay, replay --reexec, inspect (JSON Lines)', async () => {
    expect(JSON.parse((await vlab('list', 'isa', '--json')).out)).toHaveLength(2);
    const trace = join(dir, 'h.vtrace');
    const recorded = JSON.parse((await vlab('record', 'hello', '--events', '-o', trace, '--json')).out) as Record<string, unknown>;
    expect(recorded).toMatchObject({ guest: 'hello', endReason: 'exit', events: 128 });
    expect(JSON.parse((await vlab('replay', trace, '--json')).out)).toMatchObject({ events: 128, stateHash: recorded.stateHash, replay: expect.any(String) as unknown });
    expect(JSON.parse((await vlab('replay', trace, '--reexec', '--json')).out)).toEqual({ trace, matches: true, events: 128, divergence: null });
    const lines = (await vlab('inspect', trace, '--range', '0..3', '--json')).out.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(JSON.parse(line)).toHaveProperty('type');
  });
});
