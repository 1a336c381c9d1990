import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { referenceBare, referenceEvented } from '../../bench/reference/interpreter.js';
import { measureReference } from '../../bench/reference/measure.js';
import { assemble, formatAsmError } from '../../src/domain/asm/index.js';
import type { RunConfig } from '../../src/domain/config.js';
import { DEFAULT_CPU } from '../../src/domain/cost/profile.js';
import type { EventBatch } from '../../src/domain/events/batch.js';
import { insn } from '../../src/domain/events/guest.js';
import type { Image } from '../../src/domain/image/image.js';
import { Reg } from '../../src/domain/state/layout.js';
import { runBare, startRun } from '../../src/engines/run.js';

/**
 * The bench's reference interpreter (bench/reference/interpreter.ts) against vlab's native
 * run of the same image: bare, the same instructions retired, cycles and registers;
 * evented, the same `insn` events column by column and effect by effect.
 */

const COMPUTE = fileURLToPath(new URL('../../bench/guests/compute.s', import.meta.url));

function assembleText(source: string, file: string, defines: Record<string, number> = {}): Image {
  const r = assemble(source, { file, defines, readInclude: () => undefined });
  if (!r.ok) throw new Error(r.errors.map(formatAsmError).join('\n'));
  return r.image;
}

const compute = (n: number): Image => assembleText(readFileSync(COMPUTE, 'utf8'), COMPUTE, { N: n });

function nativeConfig(image: Image): RunConfig {
  return {
    image, guest: 'bench', mode: 'native', isa: 'classic', cpu: DEFAULT_CPU, seed: 0, maxInsns: 1e12, input: '',
    disk: new Uint8Array(32 * 1024), memoryBytes: 4 * 1024 * 1024, vlabVersion: 'test',
  };
}

/** `insn` events as flat columns: ctx variant a b c d e cost per event, and the effect triples of each. */
interface InsnColumns {
  events: number;
  columns: number[]; // 8 per event
  effects: number[]; // per event: count, then count triples
}

function collector(): { columns: InsnColumns; onBatch: (batch: EventBatch) => void } {
  const columns: InsnColumns = { events: 0, columns: [], effects: [] };
  const onBatch = (b: EventBatch): void => {
    for (let i = 0; i < b.length; i++) {
      if (b.type[i] !== insn.code) continue;
      columns.events++;
      columns.columns.push(b.ctx[i] as number, b.variant[i] as number, b.a[i] as number, b.b[i] as number, b.c[i] as number, b.d[i] as number, b.e[i] as number, b.cost[i] as number);
      const from = b.effectStart[i] as number, to = b.effectStart[i + 1] as number;
      columns.effects.push(to - from);
      for (let e = 3 * from; e < 3 * to; e++) columns.effects.push(b.effects[e] as number);
    }
  };
  return { columns, onBatch };
}

/** Where two number lists first differ, or -1. */
function firstDifference(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) return i;
  return -1;
}

function vlabInsnEvents(config: RunConfig): InsnColumns {
  const { columns, onBatch } = collector();
  startRun(config).events$.subscribe(onBatch);
  return columns;
}

function expectSameInsnEvents(reference: InsnColumns, vlab: InsnColumns): void {
  expect(reference.events).toBe(vlab.events);
  const column = firstDifference(reference.columns, vlab.columns);
  expect(column, column < 0 ? '' : `event ${Math.floor(column / 8)}, column ${['ctx', 'variant', 'a', 'b', 'c', 'd', 'e', 'cost'][column % 8]}: reference ${reference.columns[column]}, vlab ${vlab.columns[column]}`).toBe(-1);
  const effect = firstDifference(reference.effects, vlab.effects);
  expect(effect, `effects differ at word ${effect}: reference ${reference.effects.slice(effect, effect + 7).join(' ')}, vlab ${vlab.effects.slice(effect, effect + 7).join(' ')}`).toBe(-1);
}

function expectBareEquivalence(image: Image): void {
  const state = runBare(nativeConfig(image));
  const vm = state.vms[0];
  if (vm === undefined) throw new Error('no VM 0');
  const ref = referenceBare(image);
  expect(state.outcome).toEqual({ reason: 'exit', exitCode: 0 });
  expect(ref.outcome).toBe('exit');
  expect(ref.exitCode).toBe(0);
  expect(ref.retired).toBe(vm.retired);
  // run-start, io and run-end charge nothing: the machine's cycles are the instructions' costs.
  expect(ref.cycles).toBe(state.cycles);
  expect(Array.from(ref.regs, (v) => v >>> 0)).toEqual(Array.from(vm.cpu.subarray(0, 8)));
  expect(ref.flags >>> 0).toBe(vm.cpu[Reg.FLAGS]);
  expect(ref.pc).toBe(vm.cpu[Reg.PC]);
}

function expectEventedEquivalence(image: Image): void {
  const vlab = vlabInsnEvents(nativeConfig(image));
  const { columns, onBatch } = collector();
  let batches = 0;
  let fullBatches = 0;
  const ref = referenceEvented(image, (b) => {
    batches++;
    if (b.length === b.capacity) fullBatches++;
    onBatch(b);
  });
  expect(ref.outcome).toBe('exit');
  expect(batches).toBe(Math.ceil(ref.retired / 4096));
  expect(fullBatches).toBe(Math.floor(ref.retired / 4096));
  expect(columns.events).toBe(ref.retired);
  expectSameInsnEvents(columns, vlab);
  const bare = referenceBare(image);
  expect(ref.cycles).toBe(bare.cycles);
  expect(Array.from(ref.regs)).toEqual(Array.from(bare.regs));
}

/**
 * Every plain instruction in both operand forms, taken and untaken jumps on varied flags,
 * aligned, unaligned and page-straddling data accesses, code fetched from an unaligned
 * address and across a page boundary, `pop sp`, and `out rd, rs` to the exit port.
 */
function everyPlainInstruction(): Image {
  const conditions = ['jz', 'jnz', 'jl', 'jge', 'jle', 'jg', 'jb', 'jae'];
  const jumps = conditions.map((j, k) => `
        cmp     r1, r2
        ${j}    t${k}
        add     r0, ${k + 1}
t${k}:  cmp     r2, ${k * 1000 - 3000}
        mov     r3, u${k}
        ${j}    r3
        add     r0, 0x100
u${k}:`).join('');
  const source = `
        .entry  start
start:  mov     sp, 0x9000
        mov     r0, 0
        mov     r6, 37
        mov     r5, 0x12345
loop:   mov     r1, r5
        add     r1, r6
        add     r1, 0x7ffffff0
        mov     r2, r6
        add     r2, r1
        sub     r1, r5
        sub     r1, 0x80000000
        mov     r2, r1
        sub     r2, r6
        and     r1, 0xff00ff
        and     r1, r2
        or      r1, r6
        or      r1, 0x10
        xor     r2, 0x5a5a5a5a
        xor     r2, r1
        shl     r2, 3
        shl     r2, 0
        mov     r3, r6
        and     r3, 31
        shl     r2, r3
        shr     r2, 1
        shr     r2, r3
        shr     r2, 0
        mov     r4, r1
        xor     r4, r5
        shr     r4, 1
        shr     r4, r3
        add     r0, r4
        mov     r4, r1
        add     r4, r6
        shl     r4, r3
        shl     r4, 1
        add     r0, r4
        mul     r2, r5
        mul     r2, 0x10001
        mul     r4, r2
        mov     r3, r6
        add     r3, 1
        div     r2, r3
        div     r2, 3
        mul     r1, r6
${jumps}
        mov     r4, r6
        shl     r4, 2
        st      [r4+0x5000], r1
        ld      r3, [r4+0x5000]
        add     r0, r3
        st      [r6+0x5201], r2
        ld      r3, [r6+0x5201]
        add     r0, r3
        st      [0x5ffe], r2
        ld      r3, [0x5ffe]
        xor     r0, r3
        stb     [r6+0x5100], r2
        stb     [0x5fff], r1
        ldb     r3, [r6+0x5100]
        add     r0, r3
        ldb     r3, [0x5fff]
        add     r0, r3
        push    r1
        push    0x1234
        pop     r3
        pop     r2
        add     r0, r2
        call    sub1
        mov     r3, sub2
        call    r3
        nop
        sub     r6, 1
        jnz     loop
        mov     r3, far
        jmp     r3
sub1:   add     r0, 5
        ret
sub2:   xor     r0, r5
        ret
        .org    0x2ffc
far:    add     r0, 1
        jmp     odd
        .byte   0, 0, 0
odd:    add     r0, 2
        push    0x8000
        pop     sp
        push    r0
        pop     r3
        mov     r1, 0xf4
        mov     r0, 0
        out     r1, r0
`;
  return assembleText(source, 'every-plain.s');
}

describe('the bench reference interpreter', () => {
  const image = compute(20_000);

  it('retires what vlab retires, with the same cycles and registers (bare, compute N=20000)', () => {
    expectBareEquivalence(image);
    expect(referenceBare(image).retired).toBe(4 + 7 * 20_000 + 2);
  });

  it('writes the same insn events as vlab, column by column and effect by effect (evented, compute N=20000)', () => {
    expectEventedEquivalence(image);
  });

  it('agrees with vlab on every plain instruction, unaligned and page-straddling accesses included', () => {
    const every = everyPlainInstruction();
    expect(every.entry).toBe(every.symbols.start);
    expect((every.symbols.odd as number) & 3).not.toBe(0);
    expectBareEquivalence(every);
    expectEventedEquivalence(every);
  });

  it('checks rights and IOPL at CPL 3: the same instructions run, and `out` raises #GP', () => {
    const user = referenceBare(image, { cpl: 3 });
    const kernel = referenceBare(image);
    expect(user.outcome).toBe('fault');
    expect(user.vector).toBe(13);
    expect(user.retired).toBe(kernel.retired - 1);
    expect(Array.from(user.regs)).toEqual(Array.from(kernel.regs));
  });

  it('measures itself: best of a few runs, events only when evented', () => {
    const small = compute(1000);
    const bare = measureReference(small, 'bare', 2);
    const evented = measureReference(small, 'evented', 2);
    expect(bare.insnsPerSec).toBeGreaterThan(0);
    expect(bare.eventsPerSec).toBe(0);
    expect(evented.eventsPerSec).toBe(evented.insnsPerSec);
    expect(() => measureReference(assembleText('hlt\n', 'hlt.s'), 'bare', 1)).toThrow(/unsupported/);
  });

  it('stops on what it does not model: a budget, a fault, a system instruction', () => {
    expect(referenceBare(image, { maxInsns: 1000 })).toMatchObject({ outcome: 'budget', retired: 1000 });
    const events: number[] = [];
    expect(referenceEvented(image, (b) => events.push(b.length), { maxInsns: 5000 })).toMatchObject({ outcome: 'budget', retired: 5000 });
    expect(events).toEqual([4096, 904]);
    const div = assembleText('mov r1, 5\nmov r2, 0\ndiv r1, r2\n', 'div.s');
    expect(referenceBare(div)).toMatchObject({ outcome: 'fault', vector: 0, retired: 2, pc: div.entry + 16 });
    const wild = assembleText('mov r1, 0x400000\nld r2, [r1]\n', 'wild.s');
    expect(referenceBare(wild)).toMatchObject({ outcome: 'fault', vector: 13, retired: 1 });
    const zeroed = assembleText('nop\n', 'zeroed.s');
    expect(referenceBare(zeroed)).toMatchObject({ outcome: 'fault', vector: 6, retired: 1 });
    const hlt = assembleText('nop\nhlt\n', 'hlt.s');
    expect(referenceBare(hlt)).toMatchObject({ outcome: 'unsupported', retired: 1 });
  });
});
