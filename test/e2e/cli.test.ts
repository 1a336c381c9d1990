import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { CPU_PROFILES } from '../../src/domain/cost/profile.js';
import { MODES, MODE_NAMES } from '../../src/engines/modes/registry.js';
import { VMCS_KEYS } from '../../src/engines/vmx/controls.js';

async function vlab(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t), isTTY: false });
  return { code, out, err };
}

describe('vlab run', () => {
  it('writes the console as the guest writes it, every byte, then the summary: a guest printing more than the MiB a summary keeps loses nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vlab-console-'));
    writeFileSync(join(dir, 'printer.s'), '.entry s\ns:  mov r1, 0x41\n    out 0x3f8, r1\n    jmp s\n');
    const chunks: string[] = [];
    const code = await main(['run', join(dir, 'printer.s'), '--max-insns', '3300000'], { out: (t) => void chunks.push(t), err: () => {}, isTTY: false });
    expect(code).toBe(124);
    expect(chunks.length).toBe(Math.ceil(1_100_000 / 65_536) + 1);
    const out = chunks.join('');
    expect(out.indexOf('\n')).toBe(1_100_000);
    expect(out.slice(0, 1_100_000)).toBe('A'.repeat(1_100_000));
    expect(out).not.toContain('not kept');
    expect(out).toContain('│ end                │ budget');
  });

  it('prints the console, then the summary table', async () => {
    const r = await vlab('run', 'hello');
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out.split('\n').slice(0, 6)).toEqual([
      'Hello from VX32!',
      '┌────────────────────┬──────────────────────────────────────────────┐',
      '│ guest              │ hello                                        │',
      '│ mode               │ native (isa classic)                         │',
      '│ end                │ exit, code 0                                 │',
      '│ guest instructions │ 108                                          │',
    ]);
    expect(r.out).toContain('│ events             │ 128: insn 108, io 18, run-start 1, run-end 1 │');
  });

  it('--json prints one object with the summary, and nothing else', async () => {
    const r = await vlab('run', 'hello', '--mode', 'trap-emulate', '--json');
    const s = JSON.parse(r.out) as Record<string, unknown>;
    expect(s).toMatchObject({ mode: 'trap-emulate', isa: 'classic', exitCode: 0, endReason: 'exit', console: 'Hello from VX32!\n', guestInsns: 108 });
    expect(Object.keys(s)).toEqual(expect.arrayContaining(['events', 'countsByType', 'cycles', 'stateHash', 'guestViewHash']));
    expect((s.countsByType as Record<string, number>).trap).toBe(18);
  });

  it('-D sets assembler symbols, --max-insns the budget', async () => {
    const r = await vlab('run', 'syscall', '-D', 'N=7', '--json');
    expect(JSON.parse(r.out).console).toBe('syscall: 7 iterations\n');
    expect(JSON.parse((await vlab('run', 'minios', '--max-insns', '1000', '--json')).out).endReason).toBe('budget');
  });
});

describe('bad input: one clear line, a non-zero exit, no stack trace', () => {
  const cases: [string[], number, string][] = [
    [['run', 'hello', '--mode', 'warp'], 2, `vlab: unknown mode 'warp' (valid: ${MODE_NAMES.join(', ')})\n`],
    [['run', 'hello', '--isa', 'x86'], 2, "vlab: unknown ISA profile 'x86' (valid: classic, virtualizable)\n"],
    [['run', 'hello', '--max-insns', 'lots'], 2, "vlab: --max-insns needs a whole number, got 'lots'\n"],
    [['run', 'hello', '--cpu', 'z80'], 2, `vlab: unknown CPU profile 'z80' (valid: ${[...CPU_PROFILES.keys()].join(', ')})\n`],
    [['run', 'hello', '--mode', 'hardware-assist', '--vmcs', 'rdtsc=1'], 2, `vlab: --vmcs: unknown key 'rdtsc' (valid: ${VMCS_KEYS.join(', ')})\n`],
    [['run', 'hello', '--mode', 'hardware-assist', '--vmcs', 'io=port80'], 2, 'vlab: --vmcs io=port80: expected all, none or bitmap:PORT\n'],
    [['list', 'things'], 2, "vlab: cannot list 'things' (valid: modes, guests, isa, cpus)\n"],
    [['run', 'hello', '--disk', '/nonexistent.img'], 74, "vlab: cannot read disk image '/nonexistent.img': ENOENT (no such file or directory)\n"],
  ];
  for (const [argv, code, err] of cases) {
    it(argv.join(' '), async () => {
      const r = await vlab(...argv);
      expect([r.code, r.err, r.out]).toEqual([code, err, '']);
    });
  }

  it('an unknown guest lists the guests', async () => {
    const r = await vlab('run', 'nosuch');
    expect(r.code).toBe(66);
    expect(r.err).toMatch(/^vlab: unknown guest 'nosuch': not a file, and not one of: demo\/sensitive, hello, minios, nano\/callret, /);
  });

  it('an unknown option or command names it and suggests', async () => {
    const option = await vlab('run', 'hello', '--mdoe', 'native');
    expect([option.code, option.err]).toEqual([2, "error: unknown option '--mdoe'\n(Did you mean --mode?)\n"]);
    const command = await vlab('rnu');
    expect(command.code).toBe(2);
    expect(command.err).toBe("error: unknown command 'rnu'\n(Did you mean run?)\nvlab: valid commands: run, compare, stat, record, replay, inspect, export, diff, debug, asm, disasm, list, tc, fuzz, sweep, merge\n");
  });

  it('bad assembly reports every error as file:line:col with the line', async () => {
    const r = await vlab('run', 'test/fixtures/bad.s');
    expect(r.code).toBe(65);
    expect(r.err).toBe([
      "vlab: test/fixtures/bad.s:2:9: unknown instruction 'frob'",
      '            frob r1',
      '            ^',
      'test/fixtures/bad.s:3:13: wrong operands for add: expected add reg, reg | add reg, imm',
      '            add r1',
      '                ^',
      "test/fixtures/bad.s:4:13: undefined symbol 'nowhere'",
      '            jmp nowhere',
      '                ^',
      '',
    ].join('\n'));
  });

  it('a damaged image file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vlab-'));
    writeFileSync(join(dir, 'x.img'), Buffer.from('VXIMG\u0009junk'));
    const r = await vlab('run', join(dir, 'x.img'));
    expect([r.code, r.err]).toEqual([65, `vlab: ${join(dir, 'x.img')}: image format version 9 is not supported (this vlab reads version 1)\n`]);
  });
});

describe('other commands', () => {
  it('asm -o writes an image that run accepts; without -o it lists', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vlab-'));
    const image = join(dir, 'hello.img');
    const written = await vlab('asm', 'guests/hello.s', '-o', image); // 9 instructions and an 18-byte string
    expect(written.out).toMatch(/^.*hello\.img: 90 bytes, entry 0x1000, image hash [0-9a-f]{16}\n$/);
    expect(readFileSync(image).subarray(0, 5).toString()).toBe('VXIMG');
    expect(JSON.parse((await vlab('run', image, '--json')).out).console).toBe('Hello from VX32!\n');
    const listing = await vlab('asm', 'guests/hello.s');
    expect(listing.out.split('\n').slice(0, 3)).toEqual(['start:', '  00001000: 02 01 00 00 48 10 00 00  mov r1, message', 'next:']);
  });

  it('list modes prints the registry: one line a mode, or with --json its story, profiles and intercept policy', async () => {
    const r = await vlab('list', 'modes');
    expect(r.out.split('\n')[0]).toBe('native               bare metal: the guest kernel runs at CPL 0 on the machine (equivalent to native on: classic, virtualizable)');
    expect(r.out.trim().split('\n')).toHaveLength(MODES.length);
    const json = JSON.parse((await vlab('list', 'modes', '--json')).out) as { name: string; correctOn: string[]; policy: Record<string, unknown> }[];
    expect(json.map((m) => m.name)).toEqual(MODE_NAMES);
    expect(json.find((m) => m.name === 'trap-emulate')).toMatchObject({
      correctOn: ['virtualizable'],
      policy: { 'privileged-instruction': 'traps', 'sensitive-unprivileged': { classic: 'executes', virtualizable: 'traps' } },
    });
  });

  it('a mode that is not built is not offered', async () => {
    const r = await vlab('run', 'hello', '--help');
    expect(r.out.replace(/\s+/g, ' ')).toContain(`virtualization mode: ${MODE_NAMES.join(' | ')} (default: "native")`);
    for (const planned of ['binary-translation', 'hardware-assist', 'paravirt', 'hybrid'].filter((m) => !MODE_NAMES.includes(m))) expect(r.out).not.toContain(planned);
  });

  it('compare prints the console once and one row per mode', async () => {
    const r = await vlab('compare', 'hello');
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('Hello from VX32!');
    expect(lines.filter((l) => l.endsWith('  yes'))).toHaveLength(MODES.filter((m) => !m.modifiedGuest).length);
    expect(lines).toContain("paravirt: not run, 'hello' has no paravirtualized build");
    expect(r.out).not.toContain('NO');
    expect(r.code).toBe(0);
  });
});
