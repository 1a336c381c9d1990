import { describe, expect, it } from 'vitest';
import type { Event } from '../../../src/domain/events/event.js';
import { encodeToBytes } from '../../../src/domain/isa/encoding.js';
import { TABLE } from '../../../src/domain/isa/table.js';
import { calloutReason, endsBlock, isIndirect, scanBlock, translationOf } from '../../../src/engines/bt/translator.js';
import { assembleSource, configFor, record } from '../../helpers/run.js';

const lo = (name: string, rd = 0, rs = 0): number => {
  const row = TABLE.find((r) => r.name === name);
  if (row === undefined) throw new Error(name);
  const bytes = encodeToBytes({ opcode: row.opcode, rd, rs, imm: 0 });
  return (bytes[0] as number) | ((bytes[1] as number) << 8);
};

describe('the translator: what each guest instruction becomes', () => {
  it('copies innocuous instructions, inlines the virtual-CPU ones, calls out for the rest', () => {
    expect(translationOf(lo('ADD_RR', 1, 2))).toBe('ident');
    expect(translationOf(lo('JMP_R', 1))).toBe('ident');
    for (const name of ['CLI', 'STI', 'PUSHF', 'POPF', 'IRET']) expect(translationOf(lo(name)), name).toBe('inline');
    for (const name of ['SIDT', 'SGDT']) expect(translationOf(lo(name, 0, 1)), name).toBe('inline');
    for (const name of ['SMSW', 'MOV_R_CS']) expect(translationOf(lo(name, 1)), name).toBe('inline');
    expect(translationOf(lo('RDTSC', 1))).toBe('inline');
    expect(translationOf(lo('MOV_CR_R', 8, 1))).toBe('inline');
    expect(translationOf(lo('MOV_R_CR', 1, 8))).toBe('inline');
    expect(translationOf(lo('MOV_CR_R', 3, 1))).toBe('callout');
    expect(calloutReason(lo('MOV_CR_R', 3, 1))).toBe('control-register');
    expect(calloutReason(lo('OUT_I', 0, 1))).toBe('io');
    expect(calloutReason(lo('HLT'))).toBe('halt');
    expect(calloutReason(lo('LIDT', 0, 1))).toBe('privileged');
    expect(translationOf(lo('INT'))).toBe('callout');
  });

  it('ends a block at a control transfer or the end of the page, and knows which transfers are indirect', () => {
    expect(endsBlock(lo('JZ_I'))).toBe(true);
    expect(endsBlock(lo('ADD_RR', 1, 2))).toBe(false);
    expect([lo('RET'), lo('IRET'), lo('JMP_R', 1), lo('CALL_R', 1)].every(isIndirect)).toBe(true);
    expect([lo('JMP_I'), lo('CALL_I'), lo('JZ_I')].some(isIndirect)).toBe(false);
    const words = new Map([[0x1000, lo('ADD_RR', 1, 2)], [0x1008, lo('CLI')], [0x1010, lo('RET')], [0x1018, lo('ADD_RR', 1, 2)]]);
    const block = scanBlock(0x1000, (a) => words.get(a) ?? lo('ADD_RR', 1, 2));
    expect(block?.translations).toEqual(['ident', 'inline', 'ident']);
    expect(scanBlock(0x1ff0, () => lo('ADD_RR', 1, 2))?.words.length).toBe(2);
  });
});

const KERNEL = (body: string, user = '        int 0x30'): string => `
        .entry  start
start:  mov     sp, 0x9000
        mov     r0, 0x9000
        wrmsr   0, r0
        mov     r0, idt_desc
        lidt    [r0]
${body}
        push    0xa000
        push    0
        push    3
        push    user
        iret
user:   mov     r1, 5
uloop:  add     r2, r1
        st      [0xb000], r2
        sub     r1, 1
        jnz     uloop
${user}
uend:   nop
back:   mov     r0, 0
        out     0xf4, r0
        .align  8
idt_desc: .word 256 * 8 - 1, idt
idt:    .space  8 * 0x30
        .word   back, 7
        .space  8 * (256 - 0x31)
`;

const run = (source: string, isa: 'classic' | 'virtualizable' = 'classic'): { events: Event[]; symbols: Record<string, number> } => {
  const image = assembleSource(source);
  const events = record(configFor(image, 'binary-translation', isa, 100_000)).batches.flatMap((b) => [...b]);
  expect(events.at(-1)).toMatchObject({ type: 'run-end', reason: 'exit' });
  return { events, symbols: image.symbols as Record<string, number> };
};

describe('binary-translation runs user code directly and kernel code from its cache', () => {
  it('CPL 3 instructions produce no VMM events: they retire on the hardware', () => {
    const { events, symbols } = run(KERNEL(''));
    const [from, to] = [symbols.user as number, symbols.uend as number];
    const inUser = (pc: number): boolean => pc >= from && pc < to;
    const userEvents = events.filter((e) => 'pc' in e && typeof e.pc === 'number' && inUser(e.pc));
    expect(userEvents.length).toBeGreaterThan(15);
    expect(userEvents.filter((e) => e.type !== 'insn' && !(e.type === 'trap' && e.cause === 'exception'))).toEqual([]);
    expect(userEvents.filter((e) => e.type === 'insn').every((e) => e.type === 'insn' && e.via === 'cpu')).toBe(true);
  });

  it('a kernel block executed twice is translated once', () => {
    const { events, symbols } = run(KERNEL('        mov r1, 4\nkloop:  add r2, r1\n        sub r1, 1\n        jnz kloop'));
    const translations = events.filter((e) => e.type === 'translate' && e.pc === symbols.kloop);
    expect(translations).toHaveLength(1);
    expect(events.filter((e) => e.type === 'insn' && e.pc === symbols.kloop)).toHaveLength(4);
  });

  it('unless its page was written: the store invalidates the page and the block is translated again', () => {
    const { events, symbols } = run(KERNEL('        mov r1, 4\nkloop:  add r2, r1\n        st [kdata], r2\n        sub r1, 1\n        jnz kloop\n        jmp kdone\nkdata:  .word 0, 0\nkdone:  nop'));
    expect(events.filter((e) => e.type === 'translate' && e.pc === symbols.kloop)).toHaveLength(3); // one per jump back: each iteration's store dropped it
    expect(events.filter((e) => e.type === 'tc-invalidate' && e.reason === 'write').length).toBeGreaterThanOrEqual(4);
  });

  it('self-modifying kernel code runs its new instruction', () => {
    const { events, symbols } = run(KERNEL(`        mov r1, 2
again:  nop
patched: mov r2, 1
        ld  r3, [new_word]
        st  [patched], r3
        ld  r3, [new_word + 4]
        st  [patched + 4], r3
        sub r1, 1
        jnz again
        jmp smc_done
new_word: mov r2, 7
smc_done: nop`));
    const retired = events.filter((e) => e.type === 'insn' && e.pc === symbols.patched);
    expect(retired.map((e) => e.type === 'insn' && e.imm === 7)).toEqual([false, true]);
    expect(events.filter((e) => e.type === 'tc-invalidate').length).toBeGreaterThanOrEqual(2);
  });

  it('indirect transfers into translated kernel code are TC lookups (tc-hit)', () => {
    const { events, symbols } = run(KERNEL('        mov r1, 3\nkloop:  call fn\n        sub r1, 1\n        jnz kloop\n        jmp kdone\nfn:     add r2, 1\n        ret\nkdone:  nop'));
    const returnPc = (symbols.kloop as number) + 8;
    expect(events.filter((e) => e.type === 'translate' && e.pc === returnPc)).toHaveLength(1);
    expect(events.filter((e) => e.type === 'tc-hit' && e.pc === returnPc)).toHaveLength(2);
  });
});

/** Identity-maps the first 4 MiB with the page table at `pt`, turns paging on. */
const PAGING = `
        mov     r0, 0
        mov     r1, pt
map:    mov     r2, r0
        or      r2, 7
        st      [r1], r2
        add     r1, 4
        add     r0, 4096
        cmp     r0, 0x400000
        jb      map
        mov     r0, pt
        or      r0, 7
        st      [pd], r0
        mov     r0, pd
        mov     cr3, r0
        mov     r0, 0x80000001
        mov     cr0, r0
`;

describe('adaptive translation', () => {
  it('a kernel store that keeps faulting on a traced page table becomes a callout after K traps', () => {
    const { events, symbols } = run(`${KERNEL(`${PAGING}        ld r0, [0x5000]
        mov r1, 6
        mov r0, 0x5007
kloop:  mov r3, pt
pte:    st [r3 + 20], r0
        sub r1, 1
        jnz kloop`, '        int 0x30')}
        .align  4096
pd:     .space  4096
pt:     .space  4096
`);
    const at = symbols.pte as number;
    const traps = events.filter((e) => e.type === 'trap' && e.pc === at);
    const callouts = events.filter((e) => e.type === 'callout' && e.pc === at);
    expect(traps).toHaveLength(2); // K = 2 in both CPU profiles
    expect(callouts).toHaveLength(4);
    expect(callouts.every((e) => e.type === 'callout' && e.reason === 'page-table-write')).toBe(true);
    expect(events.filter((e) => e.type === 'translate' && e.pc === symbols.kloop).at(-1)).toMatchObject({ callout: 1 });
  });
});
