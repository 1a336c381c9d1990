import type { IsaProfile } from '../../../src/domain/isa/table.js';
import { readPage32 } from '../../../src/domain/state/pages.js';
import { Reg } from '../../../src/domain/state/layout.js';
import type { MachineState } from '../../../src/domain/state/machine.js';
import { guestRegisters } from '../../../src/domain/guest-view.js';
import { runToSummary, type RunSummary } from '../../../src/engines/summary.js';
import { modeSpec } from '../../../src/engines/modes/registry.js';
import { startRun } from '../../../src/engines/run.js';
import { assembleSource, configFor } from '../../helpers/run.js';

/**
 * Runs `body` at CPL 0 after a prologue (stack 0x9000, ESP0 0x9000, an IDT whose handler
 * for vector v stores v at `vector` and halts; gate 47 has DPL 3). `toUser` enters CPL 3.
 * Bodies end with `hlt`, which with IF = 0 ends the run with every register intact.
 */
export function program(body: string, extra = ''): string {
  const handlers = Array.from({ length: 48 }, (_, v) => `h${v}: push r0\nmov r0, ${v}\nst [vector], r0\npop r0\nhlt`).join('\n');
  const gates = Array.from({ length: 48 }, (_, v) => `.word h${v}, ${v === 47 ? 7 : 1}`).join('\n');
  return `.entry start
start:  mov sp, 0x9000
        mov r0, 0x9000
        wrmsr 0, r0
        mov r0, idt_desc
        lidt [r0]
        mov r0, 0
${body}
        hlt
${handlers}
${extra}
        .align 8
vector: .word 0xffffffff
idt_desc: .word 48 * 8 - 1, idt
        .align 8
idt:
${gates}
`;
}

/** Enter CPL 3 at `label` with user stack 0x8800 and the given flags. */
export const toUser = (label: string, flags = 0): string => `push 0x8800\npush ${flags}\npush 3\npush ${label}\niret\n${label}:`;

export interface Outcome {
  readonly state: MachineState;
  readonly summary: RunSummary;
  readonly regs: Uint32Array;
  readonly vector: number; // 0xffffffff when no exception was taken
  readonly symbols: Readonly<Record<string, number>>;
  word(addr: number): number;
}

export function exec(body: string, options: { profile?: IsaProfile; mode?: string; extra?: string; maxInsns?: number; input?: string } = {}): Outcome {
  const image = assembleSource(program(body, options.extra ?? ''));
  const config = { ...configFor(image, options.mode ?? 'native', options.profile ?? 'classic', options.maxInsns ?? 100_000), input: options.input ?? '' };
  const summary = runToSummary(config);
  const run = startRun(config, { events: false });
  run.events$.subscribe();
  const state = run.state();
  const vm = state.vms[0] as MachineState['vms'][number];
  const word = (addr: number): number => readPage32(vm.memory, addr);
  const regs = guestRegisters(vm, modeSpec(config.mode).projection);
  return { state, summary, regs, symbols: image.symbols, vector: word(image.symbols.vector ?? 0), word };
}

export const FLAGS = Reg.FLAGS;
export const CF = 1 << 0;
export const ZF = 1 << 6;
export const SF = 1 << 7;
export const IF = 1 << 9;
export const OF = 1 << 11;
