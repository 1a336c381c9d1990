import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

/** A scripted session: commands in, the transcript out (each command echoed after the prompt). */
async function session(argv: string[], commands: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const lines = async function* (): AsyncIterable<string> {
    yield* commands;
  };
  const code = await main(['debug', ...argv], { out: (t) => void (out += t), err: (t) => void (err += t), isTTY: false, lines, echo: true });
  return { code, out, err };
}

const REGS = (r0: string, pc: string): string[] => [
  `r0     ${r0}`, 'r1     0x1048       4168', 'r2     0x0          0', 'r3     0x0          0', 'r4     0x0          0',
  'r5     0x0          0', 'r6     0x0          0', 'sp     0x0          0', `pc     ${pc}`, 'flags  0x0          0', 'cpl    0x0          0',
];

describe('vlab debug: a gdb-like session over a run, forwards and backwards', () => {
  it('breaks on a trap, steps back over it to the state before, asks why, reverse-continues', async () => {
    const r = await session(['hello', '--mode', 'trap-emulate'], ['break event trap', 'continue', 'why', 'reverse-step', 'regs', 'disas', 'step', 'c', 'rc', 'rc', 'quit']);
    expect([r.code, r.err]).toEqual([0, '']);
    expect(r.out.split('\n')).toEqual([
      'vlab debug: hello, mode trap-emulate (isa classic); at event #0',
      '(vlab) break event trap',
      'Breakpoint 1: event trap',
      '(vlab) continue',
      'Breakpoint 1 (event trap): #6 trap io, vector 13 at 0x1020 (1814 cycles)',
      '(vlab) why',
      'here: #6 trap io, vector 13 at 0x1020 (1814 cycles)',
      '  trap: control passed from the deprivileged guest to the VMM by a hardware trap',
      '(vlab) reverse-step',
      '#5 insn 0x1018: jz 0x1038 (1 cycles)',
      '(vlab) regs',
      ...REGS('0x48         72', '0x1020       4128'),
      '(vlab) disas',
      '   0x1010: cmp r0, 0',
      '   0x1018: jz 0x1038',
      '=> 0x1020: out 0x3f8, r0',
      '   0x1028: add r1, 1',
      '   0x1030: jmp 0x1008',
      '(vlab) step',
      '#6 trap io, vector 13 at 0x1020 (1814 cycles)',
      '(vlab) c',
      'Breakpoint 1 (event trap): #14 trap io, vector 13 at 0x1020 (1814 cycles)',
      '(vlab) rc',
      'Breakpoint 1 (event trap): #6 trap io, vector 13 at 0x1020 (1814 cycles)',
      '(vlab) rc',
      'the run started: #0 run-start',
      '(vlab) quit',
      '',
    ]);
  });

  it('breakpoints on pc and reason, watchpoints on a register and a memory word, x, print; a trace works too', async () => {
    const r = await session(['traces/minios-native.vtrace'], ['watch mem 0x8fff4', 'c', 'x 0x8fff0 4', 'print sp', 'delete', 'break pc 0x1208', 'c', 'watch reg r4', 'c', 'delete', 'break reason bogus', 'c', 'frob', 'break pc', 'q']);
    expect(r.out.split('\n')).toEqual([
      'vlab debug: minios, mode native (isa virtualizable); at event #0',
      '(vlab) watch mem 0x8fff4',
      'Watchpoint 1: memory 0x8fff4',
      '(vlab) c',
      'Watchpoint 1 (memory 0x8fff4): #5 insn 0x11f8: pushf (60 cycles)  memory32[0x8fff4]=0x0 sp=0x8fff4',
      '(vlab) x 0x8fff0 4',
      '0x8fff0: 0x0         0x0         0x0         0x1018',
      '(vlab) print sp',
      'sp = 0x8fff4',
      '(vlab) delete',
      'all breakpoints deleted',
      '(vlab) break pc 0x1208',
      'Breakpoint 1: pc 0x1208',
      '(vlab) c',
      'Breakpoint 1 (pc 0x1208): #7 insn 0x1208: cli (60 cycles)  flags=0x0',
      '(vlab) watch reg r4',
      'Watchpoint 2: register r4',
      '(vlab) c',
      'Watchpoint 2 (register r4): #223 insn 0x1290: pop r4 (1 cycles)  sp=0x8fffc r4=0x0',
      '(vlab) delete',
      'all breakpoints deleted',
      '(vlab) break reason bogus',
      'Breakpoint 1: reason bogus',
      '(vlab) c',
      expect.stringMatching(/^the run ended: #\d+ run-end/) as unknown as string,
      '(vlab) frob',
      "unknown command 'frob' (help lists them)",
      '(vlab) break pc',
      'break pc needs a value',
      '(vlab) q',
      '',
    ]);
  });
});
