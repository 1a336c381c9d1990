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
    expect(r.out.split('\n').slice(-20)).toEqual([
      'mode                isa            end       insns     vmm      cycles  slowdown  same view',
      'native              classic        exit 0  168,504       0  16,023,310     1.00x  yes',
      'emulate             classic        exit 0  168,504   5,079  26,632,470     1.66x  yes',
      'trap-emulate        classic        exit 0  164,741  10,015  10,439,574     0.65x  no (expected)',
      'binary-translation  classic        exit 0  168,504  10,994   7,604,812     0.47x  yes',
      'hardware-assist     classic        exit 0  168,504  15,295  25,360,133     1.58x  yes',
      'paravirt*           classic        exit 0  136,872   1,311     554,713     0.03x  same output',
      'hybrid*             classic        exit 0  136,865   2,252   3,950,611     0.25x  same output',
      'native              virtualizable  exit 0  168,504       0  16,023,310     1.00x  yes',
      'emulate             virtualizable  exit 0  168,504   5,079  26,632,470     1.66x  yes',
      'trap-emulate        virtualizable  exit 0  168,504  10,480  10,911,501     0.68x  yes',
      'binary-translation  virtualizable  exit 0  168,504  10,994   7,604,812     0.47x  yes',
      'hardware-assist     virtualizable  exit 0  168,504  15,295  25,360,133     1.58x  yes',
      'paravirt*           virtualizable  exit 0  136,872   1,311     554,713     0.03x  same output',
      'hybrid*             virtualizable  exit 0  136,865   2,252   3,950,611     0.25x  same output',
      'paravirt* ran minios-pv, its own build of minios: the same output as native is what it claims',
      'hybrid* ran minios-pvdrivers, its own build of minios: the same output as native is what it claims',
      'trap-emulate (classic): console differs from native (classic) at line 6:',
      '  "[A] step 2" instead of "[B] pid 2, yielding"',
      '',
    ]);
    for (const line of r.out.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });
});
