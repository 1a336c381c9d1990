import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

async function vlab(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t), isTTY: false });
  return { code, out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'vlab-multivm-'));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('vlab run with several VMs (docs/multi-vm.md)', () => {
  it('runs each VM to its own end; --json has every VM; the status is the first VM that did not succeed', async () => {
    const exit3 = file('exit3.s', '.entry s\ns: mov r1, 3\nout 0xf4, r1\n');
    const r = await vlab('run', 'hello', '--vm', exit3, '--vm', 'hello', '--mode', 'trap-emulate', '--json');
    const s = JSON.parse(r.out) as { endReason: string; exitCode: number; vms: { vm: number; guest: string; endReason: string; exitCode: number; console: string; hostPhysical: string }[] };
    expect(s.vms.map((v) => [v.vm, v.endReason, v.exitCode, v.console, v.hostPhysical])).toEqual([
      [0, 'exit', 0, 'Hello from VX32!\n', '0x00400000-0x007fffff'],
      [1, 'exit', 3, '', '0x00800000-0x00bfffff'],
      [2, 'exit', 0, 'Hello from VX32!\n', '0x00c00000-0x00ffffff'],
    ]);
    expect([s.endReason, s.exitCode, r.code]).toEqual(['exit', 3, 3]);
  });

  it('prints each VM\'s console, prefixed, and a table of VMs', async () => {
    const r = await vlab('run', '--vm', 'hello', '--vm', 'hello', '--mode', 'emulate');
    expect(r.out.startsWith('vm0| Hello from VX32!\nvm1| Hello from VX32!\n')).toBe(true);
    expect(r.out).toMatch(/│ vm │ guest │ end +│ instructions │ events │ cycles +│ host-physical RAM +│/);
    expect(r.code).toBe(0);
  });

  it('reads a file of VMs with per-VM input and budget', async () => {
    const vms = file('vms.json', JSON.stringify({ vms: [{ guest: 'hello' }, { guest: 'minios', maxInsns: 5000 }], quantum: 700 }));
    const r = await vlab('run', '--vms', vms, '--mode', 'hardware-assist', '--json');
    const s = JSON.parse(r.out) as { vms: { endReason: string; guestInsns: number }[] };
    expect(s.vms.map((v) => [v.endReason, v.guestInsns])).toEqual([['exit', 108], ['budget', 5000]]);
    expect(r.code).toBe(124);
  });

  it('refuses in one line: several VMs without a hypervisor, a bad file of VMs, a bad quantum', async () => {
    const cases: [string[], string, number][] = [
      [['run', 'hello', '--vm', 'hello'], 'mode native has no hypervisor and runs one VM; several VMs need one of: emulate, trap-emulate, binary-translation, hardware-assist, paravirt, hybrid', 2],
      [['run', '--vms', file('bad.json', '{"vms": [{"guest": "hello", "cpu": 1}]}'), '--mode', 'emulate'], `${join(dir, 'bad.json')}: VM 0: unknown key 'cpu' (valid: guest, input, disk, maxInsns)`, 65],
      [['run', '--vms', file('notjson.json', 'vms'), '--mode', 'emulate'], `${join(dir, 'notjson.json')}: not JSON (Unexpected token 'v', "vms" is not valid JSON)`, 65],
      [['run', 'hello', '--vm', 'hello', '--mode', 'emulate', '--quantum', '0'], "--quantum must be at least 1, got '0'", 2],
      [['run', '--mode', 'emulate'], 'no guest: name one, or give --vm GUEST or --vms FILE', 2],
    ];
    for (const [argv, line, code] of cases) {
      const r = await vlab(...argv);
      expect([r.err, r.code], argv.join(' ')).toEqual([`vlab: ${line}\n`, code]);
    }
  });

  it('records, replays and inspects a run of two VMs', async () => {
    const trace = join(dir, 'two.vtrace');
    expect((await vlab('record', 'hello', '--vm', 'hello', '--mode', 'binary-translation', '--quantum', '40', '-o', trace, '--json')).code).toBe(0);
    const replay = await vlab('replay', trace, '--json');
    expect((JSON.parse(replay.out) as { vms: unknown[] }).vms).toHaveLength(2);
    const switches = await vlab('inspect', trace, '--range', '0..200', '--type', 'world-switch');
    expect(switches.out.split('\n').filter((l) => l.includes('to vm')).slice(0, 2)).toEqual([
      expect.stringMatching(/^#\d+ world-switch to vm 1 \(trap\) \(\d+ cycles\) {2}tlbModel=cleared$/),
      expect.stringMatching(/^#\d+ world-switch to vm 0 \(trap\) \(\d+ cycles\) {2}tlbModel=cleared$/),
    ]);
    const at = await vlab('inspect', trace, '--at', '30', '--vm-index', '1');
    expect(at.out).toContain('vm 1: hello, RAM at host-physical 0x00800000-0x00bfffff');
    expect(at.out).not.toContain('vm 0:');
    expect((await vlab('diff', trace, trace, '--vm-index', '1')).code).toBe(0);
    expect((await vlab('inspect', trace, '--at', '3', '--vm-index', '2')).err).toBe(`vlab: --vm-index 2: ${trace} holds 2 VMs\n`);
  });
});

describe('vlab debug and vlab tc with several VMs: --vm-index picks the VM they show', () => {
  async function debug(argv: string[], commands: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const lines = async function* (): AsyncIterable<string> {
      yield* commands;
    };
    const code = await main(['debug', ...argv], { out: (t) => void (out += t), err: (t) => void (err += t), isTTY: false, lines, echo: true });
    return { code, out, err };
  }

  it('debug shows VM 0 by default and the VM asked for with --vm-index; one line for an index out of range', async () => {
    const trace = 'traces/two-vms-hardware-assist-events.vtrace';
    const show = ['step 400', 'print pc', 'x 0x1000 2', 'q'];
    const vm0 = await debug([trace], show);
    expect(vm0.out.split('\n').slice(0, 1).concat(vm0.out.split('\n').slice(3, 7))).toEqual([
      'vlab debug: minios and 1 more VM, showing VM 0, mode hardware-assist (isa virtualizable); at event #0',
      '(vlab) print pc', 'pc = 0x18f0', '(vlab) x 0x1000 2', '0x1000: 0x702       0x90000',
    ]);
    const vm1 = await debug([trace, '--vm-index', '1'], show);
    expect(vm1.out.split('\n').slice(3, 7)).toEqual(['(vlab) print pc', 'pc = 0x1000', '(vlab) x 0x1000 2', '0x1000: 0x102       0x1048']);
    expect(await debug([trace, '--vm-index', '2'], [])).toEqual({ code: 2, out: '', err: `vlab: --vm-index 2: ${trace} holds 2 VMs\n` });
    expect(await debug(['hello', '--vm', 'hello', '--vm-index', '3'], [])).toEqual({ code: 2, out: '', err: 'vlab: --vm-index 3: hello holds 2 VMs\n' });
  });

  it('tc lists the translation cache of the VM asked for', async () => {
    expect((await vlab('tc', 'minios', '--vm', 'hello')).out.split('\n')[0]).toBe('VM 0: minios under binary-translation (isa classic): 133 blocks translated, 15 in the cache at the end');
    const r = await vlab('tc', 'minios', '--vm', 'hello', '--vm-index', '1');
    expect(r.out.split('\n').slice(0, 3)).toEqual([
      'VM 1: hello under binary-translation (isa classic): 4 blocks translated, 4 in the cache at the end',
      '',
      'block 0x1000 <start>: 4 instructions from frame 0x1; translated 1x, 0 lookups, its first instruction run 1x',
    ]);
    expect(await vlab('tc', 'minios', '--vm-index', '1')).toEqual({ code: 2, out: '', err: 'vlab: --vm-index 1: minios holds 1 VM\n' });
  });
});
