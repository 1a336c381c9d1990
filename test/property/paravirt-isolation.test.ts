import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventOfType } from '../../src/domain/events/event.js';
import { readPage32 } from '../../src/domain/state/pages.js';
import { Errno, HYPERVISOR_BYTES } from '../../src/engines/pv/abi.js';
import { assembleSource, configFor, record } from '../helpers/run.js';

/**
 * Isolation under paravirt: whatever mmu_update batches and hypercall arguments a guest
 * makes (valid, out of range, aimed at the hypervisor's frames or at page-table pages),
 * every refusal is a clean error result, the page tables change only by accepted entries,
 * the hypervisor's frames are never written, and the guest's stores through whatever the
 * batch mapped never reach them.
 */

const MEMORY = 4 * 1024 * 1024;
const HV_FRAME = (MEMORY - HYPERVISOR_BYTES) >>> 12;
const PD = 0x10000;
const PT0 = 0x11000; // identity map of the first 4 MiB
const PT1 = 0x12000; // the window 0x400000..0x7fffff, empty at first
const PT_FRAMES = [PD >>> 12, PT0 >>> 12, PT1 >>> 12];

const ptr = fc.oneof(
  fc.integer({ min: 0, max: 1023 }).map((k) => PT1 + 4 * k), // a valid PTE
  fc.integer({ min: 0, max: 1023 }).map((k) => 0x30000 + 4 * k), // not a page table
  fc.integer({ min: 0, max: 0xffff }).map((k) => MEMORY - HYPERVISOR_BYTES + (k & ~3)), // the hypervisor's
  fc.integer({ min: 0, max: 1023 }).map((k) => PT1 + 4 * k + 1), // unaligned
  fc.integer({ min: 0, max: 0xfffff }).map((k) => (MEMORY + 4 * k) >>> 0), // beyond memory
);
const frame = fc.oneof(fc.integer({ min: 0x30, max: 0x3f }), fc.constantFrom(...PT_FRAMES), fc.integer({ min: HV_FRAME, max: (MEMORY >>> 12) - 1 }), fc.integer({ min: MEMORY >>> 12, max: 0xfffff }));
const value = fc.tuple(frame, fc.constantFrom(0, 1, 3, 5, 7)).map(([f, flags]) => ((f << 12) | flags) >>> 0);
const valid = fc.tuple(fc.integer({ min: 0, max: 1023 }).map((k) => PT1 + 4 * k), fc.tuple(fc.integer({ min: 0x30, max: 0x3f }), fc.constantFrom(0, 1, 3, 5, 7)).map(([f, flags]) => (f << 12) | flags));
const batch = fc.oneof(fc.array(fc.tuple(ptr, value), { minLength: 1, maxLength: 6 }), fc.array(valid, { minLength: 1, maxLength: 6 }));
// any hypercall but those that end the run, return elsewhere or replace the page tables (the checks read them)
const argument = fc.oneof(fc.constant(PD), fc.constant(MEMORY - 0x1000), fc.integer({ min: 0, max: 0xffffffff }));
// ...or a pin or unpin (mmuext_op 2 or 3) of a page table, a data page, the hypervisor's, or anything
const pinning = fc.tuple(fc.constant(2), fc.constantFrom(2, 3), fc.oneof(argument, fc.constantFrom(PT1, 0x30000, 0x31000)));
const extra = fc.oneof(fc.tuple(fc.constantFrom(0, 1, 3, 4, 5, 7, 8, 10, 11, 200), fc.integer({ min: 0, max: 3 }), argument), pinning);

function program(entries: readonly (readonly [number, number])[], call: readonly [number, number, number]): string {
  return `
        .guest  paravirt, 1
        .entry  start
start:  mov     sp, 0x9000
        mov     r1, 0x20000
        mov     r0, 10                  ; shared_info
        vmcall
        mov     r1, idt_desc
        mov     r2, 0
        mov     r0, 0                   ; set_trap_table
        vmcall
        mov     r1, 0x9000
        mov     r0, 4                   ; stack_switch
        vmcall
        mov     r1, ${PT0}
        mov     r2, 3
fill:   st      [r1], r2
        add     r1, 4
        add     r2, 4096
        cmp     r1, ${PT0 + 4096}
        jb      fill
        mov     r0, ${PT0 | 3}
        st      [${PD}], r0
        mov     r0, ${PT1 | 7}
        st      [${PD + 4}], r0
        mov     r1, 0
        mov     r2, ${PD}
        mov     r0, 2                   ; mmuext_op new base
        vmcall
        mov     r1, batch
        mov     r2, ${entries.length}
        mov     r0, 1                   ; mmu_update
        vmcall
        mov     r1, ${call[1]}
        mov     r2, ${call[2] >>> 0}
        mov     r0, ${call[0]}          ; another hypercall, arguments generated
        vmcall
        mov     r3, 0x400000            ; stores through the window, then into the page tables
        mov     r0, 0xabcd
poke:   st      [r3], r0
        add     r3, 4096
        cmp     r3, 0x408000
        jb      poke
        st      [${PT1}], r0
        st      [${PD + 8}], r0
        st      [${MEMORY - 8}], r0
        mov     r2, 0
        mov     r1, 2
        mov     r0, 6                   ; sched_op shutdown
        vmcall
pf:     push    r0                      ; skip the faulting store
        ld      r0, [sp+8]
        add     r0, 8
        st      [sp+8], r0
        pop     r0
        add     sp, 4
        push    r0
        mov     r0, 9                   ; iret
        vmcall
        .align  8
idt_desc: .word 256 * 8 - 1, idt
idt:    .space  8 * 14
        .word   pf, 1
        .space  8 * (256 - 15)
batch:  ${entries.map(([p, v]) => `.word ${p >>> 0}, ${v >>> 0}`).join('\n        ')}
`;
}

const allowed = (p: number, v: number): boolean => {
  if ((p & 3) !== 0 || p >>> 12 >= HV_FRAME || !PT_FRAMES.includes(p >>> 12)) return false;
  if ((v & 1) === 0) return true;
  return v >>> 12 < HV_FRAME && !((v & 2) !== 0 && PT_FRAMES.includes(v >>> 12));
};

describe('paravirt isolation (fast-check over mmu_update batches and hypercall arguments)', () => {
  it('no access outside the guest, page tables changed only by accepted entries, every refusal a clean error', () => {
    fc.assert(
      fc.property(batch, extra, (entries, call) => {
        const run = record(configFor(assembleSource(program(entries, call)), 'paravirt', 'classic', 20_000), 200_000);
        const events = run.batches.flatMap((b) => [...b]);
        // the guest may harm itself (a trap table of garbage ends in a triple fault), never the hypervisor
        expect(['exit', 'triple-fault']).toContain(run.state.outcome?.reason);
        const calls = events.filter((e): e is EventOfType<'hypercall'> => e.type === 'hypercall');
        const update = calls.filter((e) => e.nr === 1)[0] as EventOfType<'hypercall'>;
        const accepted = entries.every(([p, v]) => allowed(p, v));
        expect(update.result).toBe(accepted ? entries.length : Errno.EPERM);
        for (const c of calls) expect(c.result >= 0 || (Object.values(Errno) as number[]).includes(c.result)).toBe(true);
        const memory = (run.state.vms[0] as unknown as { memory: Parameters<typeof readPage32>[0] }).memory;
        for (let a = MEMORY - HYPERVISOR_BYTES; a < MEMORY; a += 4) expect(readPage32(memory, a)).toBe(0);
        const expected = new Map<number, number>();
        if (accepted) for (const [p, v] of entries) expected.set(p, v);
        const later = calls.filter((e) => (e.nr === 1 || e.nr === 3) && e !== update && e.result >= 0);
        if (later.length === 0) for (let k = 0; k < 1024; k++) expect(readPage32(memory, PT1 + 4 * k)).toBe(expected.get(PT1 + 4 * k) ?? 0);
        expect(readPage32(memory, PD + 8)).toBe(0);
      }),
      { seed: 20261201, numRuns: 30 },
    );
  });
});
