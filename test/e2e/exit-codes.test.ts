import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { MODES } from '../../src/engines/modes/registry.js';
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
    const lines = r.out.split('\n');
    expect(lines.slice(17, 39)).toEqual([
      'mode                isa            end       insns     vmm      cycles  slowdown  same view',
      'native              classic        exit 0  168,504       0  16,030,768     1.00x  yes',
      'emulate             classic        exit 0  168,504   5,079  26,639,928     1.66x  yes',
      'trap-emulate        classic        exit 0  164,741  10,015  10,439,574     0.65x  no (expected)',
      'binary-translation  classic        exit 0  168,504  10,994   7,604,812     0.47x  yes',
      'hardware-assist     classic        exit 0  168,504  15,295  25,360,133     1.58x  yes',
      'paravirt*           classic        exit 0  136,872   1,311     554,713     0.03x  same output',
      'hybrid*             classic        exit 0  136,865   2,252   3,950,611     0.25x  same output',
      'native              virtualizable  exit 0  168,504       0  16,030,768     1.00x  yes',
      'emulate             virtualizable  exit 0  168,504   5,079  26,639,928     1.66x  yes',
      'trap-emulate        virtualizable  exit 0  168,504  10,480  10,911,501     0.68x  yes',
      'binary-translation  virtualizable  exit 0  168,504  10,994   7,604,812     0.47x  yes',
      'hardware-assist     virtualizable  exit 0  168,504  15,295  25,360,133     1.58x  yes',
      'paravirt*           virtualizable  exit 0  136,872   1,311     554,713     0.03x  same output',
      'hybrid*             virtualizable  exit 0  136,865   2,252   3,950,611     0.25x  same output',
      'paravirt* ran minios-pv, its own build of minios: the same output as native is what it claims',
      'hybrid* ran minios-pvdrivers, its own build of minios: the same output as native is what it claims',
      'trap-emulate (classic): first differs from native at guest step 4, insn 0x11f8: pushf',
      '  memory 0x8fff4: 0x0 vs 0x200',
      'trap-emulate (classic): console differs from native (classic) at line 6:',
      '  "[A] step 2" instead of "[B] pid 2, yielding"',
      '',
    ]);
    // Where the cycles go, each kind from the event registry (a VM exit by its basic reason, a trap by cause; a paravirtual hypercall by name, with the entry priced on the `emulate` event that retires its vmcall).
    expect(lines.slice(39, 54)).toEqual([
      "where the cycles go: each run's event kinds by share of its cycles (under 0.5% left out)",
      'native              classic        insn 99.9%',
      'emulate             classic        insn 93.0%  emulate interpreter 6.9%',
      'trap-emulate        classic        trap io 84.7%  emulate trap 10.2%  insn 2.5%',
      '                                   trap page-fault 1.0%  trap privileged 1.0%',
      'binary-translation  classic        callout io 66.9%  emulate callout 14.1%  translate 10.2%',
      '                                   insn 3.5%  trap page-fault 3.1%',
      'hardware-assist     classic        vmentry 48.5%  vmexit IO_INSTRUCTION 44.2%  emulate trap 4.2%',
      '                                   vmexit EXCEPTION_NMI 1.2%  insn 1.1%',
      'paravirt            classic        hypercall console_io 42.9%  insn 40.3%  hypercall iret 3.9%',
      '                                   trap page-fault 3.3%  hypercall mmuext_op 2.6%',
      '                                   hypercall event_channel_op 1.9%  ring complete 1.3%',
      '                                   hypercall mmu_update 1.2%  exception 0.8%  interrupt 0.7%',
      '                                   evtchn upcall 0.7%',
      'hybrid              classic        vmentry 45.7%  vmexit IO_INSTRUCTION 31.4%',
    ]);
    expect(lines).toContain('native              virtualizable  as on classic');
    expect(lines).toContain('trap-emulate        virtualizable  trap io 81.4%  emulate trap 10.1%  trap privileged 3.0%');
    // Each mode's story, from the registry, wrapped under its name.
    expect(lines.slice(-5)).toEqual([
      '  paravirt            the modified kernel runs at CPL 1 and calls the hypervisor (vmcall hypercalls,',
      '                      shared info, validated direct paging, block ring) (Xen)',
      '  hybrid              hardware assist for an unmodified kernel, with paravirtual drivers installed',
      '                      in it (a block ring, one kick per burst: virtio, guest additions)',
      '',
    ]);
    for (const m of MODES) expect(r.out.replace(/\s+/g, ' ')).toContain(m.story);
    for (const line of r.out.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });
});
