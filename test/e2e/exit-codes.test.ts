import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { ERROR_CODES } from '../../src/domain/errors.js';
import { EXIT_TABLE, exitTableMarkdown, unmappedErrorCodes } from '../../src/cli/exit-codes.js';
import { readFileSync } from 'node:fs';

async function vlab(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t), isTTY: false });
  return { code, out, err };
}

describe('exit statuses: one table, declared once', () => {
  it('every error code has an exit status', () => {
    expect(Object.keys(ERROR_CODES).length).toBeGreaterThan(0);
    expect(unmappedErrorCodes()).toEqual([]);
  });

  it('vlab --help ends with the table, every line within 100 columns', async () => {
    const r = await vlab('--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('\nResults go to stdout; diagnostics and progress to stderr.\n\nExit status:\n');
    expect(r.out).toContain('    124  run: the guest ran out of its instruction budget (--max-insns), as timeout(1)\n');
    for (const line of r.out.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
    expect(r.out.trimEnd().split('\n').slice(-EXIT_TABLE.length)).toHaveLength(EXIT_TABLE.length);
  });

  it('docs/cli.md holds the same table', () => {
    expect(readFileSync('docs/cli.md', 'utf8')).toContain(exitTableMarkdown());
  });

  it('run exits with the code the guest wrote to the exit port', async () => {
    const r = await vlab('run', 'test/fixtures/exit21.s', '--json');
    expect([r.code, JSON.parse(r.out).endReason, JSON.parse(r.out).exitCode, r.err]).toEqual([21, 'exit', 21, '']);
    expect((await vlab('run', 'hello')).code).toBe(0);
  });

  it('budget 124, deadlock 125, triple fault 139', async () => {
    expect((await vlab('run', 'minios', '--max-insns', '1000')).code).toBe(124);
    const deadlock = await vlab('run', 'test/fixtures/deadlock.s', '--json');
    expect([deadlock.code, JSON.parse(deadlock.out).endReason]).toEqual([125, 'deadlock']);
    const triple = await vlab('run', 'test/fixtures/triple.s', '--json');
    expect([triple.code, JSON.parse(triple.out).endReason]).toEqual([139, 'triple-fault']);
  });

  it('usage 2, bad data 65, unknown guest 66, host file error 74', async () => {
    expect((await vlab('run', 'hello', '--mode', 'warp')).code).toBe(2);
    expect((await vlab('run', 'test/fixtures/bad.s')).code).toBe(65);
    expect((await vlab('run', 'nosuch')).code).toBe(66);
    expect((await vlab('run', 'hello', '--disk', '/nonexistent.img')).code).toBe(74);
    expect((await vlab('replay', 'test/fixtures/bad.s')).code).toBe(65);
  });

  it('diff exits 1 when the guest views differ, 0 when equal', async () => {
    expect((await vlab('diff', 'minios', '--modes', 'native,trap-emulate')).code).toBe(1);
    expect((await vlab('diff', 'hello', '--modes', 'native,trap-emulate')).code).toBe(0);
  });

  it('compare reports an expected divergence (trap-emulate on classic) and exits 0', async () => {
    const r = await vlab('compare', 'minios', '--isa', 'classic,virtualizable');
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out.split('\n').slice(-10)).toEqual([
      'mode          isa            end       insns   events    vmm      cycles  vs native  same view',
      'native        classic        exit 0  101,237  101,935      0   2,176,601      1.00x  yes',
      'emulate       classic        exit 0  101,237  101,935    784  15,521,100      7.13x  yes',
      'trap-emulate  classic        exit 0   97,876   99,321  1,441   1,642,460      0.75x  no (expected)',
      'native        virtualizable  exit 0  101,237  101,935      0   2,176,601      1.00x  yes',
      'emulate       virtualizable  exit 0  101,237  101,935    784  15,521,100      7.13x  yes',
      'trap-emulate  virtualizable  exit 0  101,237  103,034  1,890   2,097,702      0.96x  yes',
      'trap-emulate (classic): console differs from native (classic) at line 5:',
      '  "[A] step 2" instead of "[B] pid 2, yielding"',
      '',
    ]);
    for (const line of r.out.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });
});
