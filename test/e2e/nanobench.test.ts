import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { main } from '../../src/cli/main.js';

async function vlab(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t), isTTY: false });
  return { code, out, err };
}

describe('vlab compare --suite nanobench', () => {
  it('prints cycles per operation, native first, for one CPU (deterministic)', async () => {
    const r = await vlab('compare', '--suite', 'nanobench', '--cpu', 'core2-merom-2006');
    expect(r.code).toBe(EXIT.OK);
    expect(r.err).toBe('');
    expect(r.out).toBe([
      'cycles per operation on core2-merom-2006: (cycles with 2N iterations − cycles with N) / N, N = 1,000',
      'benchmark  native  emulate  trap-emulate  binary-translation  hardware-assist  hybrid',
      'syscall       130      700         3,280               1,716              130     130',
      'in          1,547      522         1,641               1,218            2,407   2,407',
      'cr8wr         182      524         1,641                  37              182     182',
      'callret         8      464             8                  48                8       8',
      'pgfault       665    1,928        10,386               7,593           12,904  12,904',
      'divzero       473    1,394         3,290               1,766              473     473',
      'ptemod        189      873         3,640               2,794            5,172   5,172',
      'trap-emulate ran on the virtualizable ISA profile (where it is correct), the others on classic',
      '',
    ].join('\n'));
    for (const line of r.out.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('--json gives the same numbers, and an unknown suite is a usage error', async () => {
    const j = JSON.parse((await vlab('compare', '--suite', 'nanobench', '--cpu', 'core2-merom-2006', '--json')).out) as { rows: { benchmark: string; cyclesPerOp: Record<string, number> }[] };
    expect(j.rows.map((row) => row.benchmark)).toEqual(['syscall', 'in', 'cr8wr', 'callret', 'pgfault', 'divzero', 'ptemod']);
    expect(Object.keys(j.rows[0]?.cyclesPerOp ?? {})[0]).toBe('native');
    expect(j.rows[0]?.cyclesPerOp.native).toBe(130);
    const bad = await vlab('compare', '--suite', 'spec');
    expect(bad.code).toBe(EXIT.USAGE);
    expect(bad.err).toBe("vlab: unknown suite 'spec' (valid: nanobench)\n");
  });
});
