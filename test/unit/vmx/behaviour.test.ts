import { describe, expect, it } from 'vitest';
import type { Event, EventOfType } from '../../../src/domain/events/event.js';
import { evolveBatch } from '../../../src/domain/evolve.js';
import { initialState } from '../../../src/domain/state/machine.js';
import { stateHash } from '../../../src/domain/state/state-hash.js';
import { Vmcs } from '../../../src/domain/state/vmcs.js';
import { ExitReason } from '../../../src/engines/vmx/exits.js';
import { assembleSource, configFor, guestSteps, record } from '../../helpers/run.js';

const run = (source: string, vmcs?: string, mode = 'hardware-assist'): { events: Event[]; exitCode: number; vmcs: Int32Array | undefined; steps: number[] } => {
  const config = { ...configFor(assembleSource(source), mode, 'classic', 100_000), ...(vmcs === undefined ? {} : { vmcs }) };
  const r = record(config);
  expect(stateHash(r.batches.reduce(evolveBatch, initialState(config)))).toBe(stateHash(r.state)); // evolve alone rebuilds the VMCS
  const events = r.batches.flatMap((b) => [...b]);
  const end = events.at(-1);
  return { events, exitCode: end?.type === 'run-end' ? end.exitCode : -1, vmcs: r.state.vms[0]?.vmcs as Int32Array | undefined, steps: guestSteps(r, config) };
};
/** The VM exits, less EPT's fills of the guest's pages (with ept=1, paging off). */
const exits = (events: readonly Event[]): EventOfType<'vmexit'>[] => events.filter((e): e is EventOfType<'vmexit'> => e.type === 'vmexit' && e.reason !== ExitReason.EPT_VIOLATION);

describe('TSC offsetting', () => {
  const TSC = `
        .entry  start
start:  rdtsc   r1
        and     r1, 0xffff
        out     0xf4, r1
`;
  it('rdtsc returns the host counter + the offset when offsetting is on, by the hardware or by the VMM', () => {
    const base = run(TSC).exitCode;
    expect(run(TSC, 'tsc-offset=1000').exitCode).toBe((base + 1000) & 0xffff);
    expect(run(TSC, 'tsc-offset=-7').exitCode).toBe((base - 7) & 0xffff);
    expect(run(TSC, 'use-tsc-offsetting=0,tsc-offset=1000').exitCode).toBe(base);
    const exiting = run(TSC, 'rdtsc-exiting=1');
    expect(exits(exiting.events).map((e) => e.reason)).toContain(ExitReason.RDTSC);
    expect(run(TSC, 'rdtsc-exiting=1,tsc-offset=1000').exitCode).toBe((exiting.exitCode + 1000) & 0xffff);
  });
});

describe('interrupt-window exiting', () => {
  // A tick arrives while IF = 0; the guest opens its window at sti and takes it there.
  const WINDOW = `
        .entry  start
start:  mov     sp, 0x9000
        mov     r0, idt_desc
        lidt    [r0]
        mov     r0, 12
        out     0x40, r0
        mov     r1, 20
spin:   sub     r1, 1
        jnz     spin
opened: sti
        nop
        nop
        cpuid
wait:   cmp     r5, 1
        jl      wait
        cli
        mov     r0, 0
        out     0x40, r0
        out     0xf4, r0
tick:   mov     r5, 1
        mov     r0, 0
        out     0x20, r0
        iret
        .align  8
idt_desc: .word 256 * 8 - 1, idt
idt:    .space  8 * 32
        .word   tick, 1
        .space  8 * (256 - 33)
`;
  const opened = 0x1000 + 8 * 8; // the sti

  it('the VMM holds the interrupt, asks for the window, and injects at its exit right after sti, as natively', () => {
    const r = run(WINDOW, 'ept=1,io=none');
    const x = exits(r.events);
    expect(x.map((e) => e.reason).slice(0, 2)).toEqual([ExitReason.EXTERNAL_INTERRUPT, ExitReason.INTERRUPT_WINDOW]); // later ticks find IF = 1
    expect(x.filter((e) => e.reason === ExitReason.INTERRUPT_WINDOW)).toHaveLength(1);
    const windowExit = x.find((e) => e.reason === ExitReason.INTERRUPT_WINDOW);
    expect(windowExit?.pc).toBe(opened + 8);
    const after = r.events[r.events.indexOf(windowExit as Event) + 1];
    expect(after).toMatchObject({ type: 'vmentry', injection: 0x8000_0020 });
    expect(r.steps).toEqual(run(WINDOW, undefined, 'native').steps);
    expect(((r.vmcs?.[Vmcs.PROC_CONTROLS] ?? 0) >>> 2) & 1).toBe(0); // the window is closed again
  });

  it('without the window the interrupt waits for the next exit with IF = 1 (the cpuid), later than natively', () => {
    const r = run(WINDOW, 'ept=1,io=none,interrupt-window-exiting=0');
    const x = exits(r.events);
    expect(x.map((e) => e.reason).slice(0, 2)).toEqual([ExitReason.EXTERNAL_INTERRUPT, ExitReason.CPUID]);
    const cpuid = x[1] as Event;
    expect(r.events[r.events.indexOf(cpuid) + 2]).toMatchObject({ type: 'vmentry', injection: 0x8000_0020 });
    expect(r.steps).not.toEqual(run(WINDOW, undefined, 'native').steps);
  });
});

describe('CR0/CR4 masks and read shadows', () => {
  const CR = `
        .entry  start
start:  mov     r2, cr0
        or      r2, 2
        mov     cr0, r2
        mov     r3, cr0
        mov     r2, cr4
        or      r2, 4
        mov     cr4, r2
        mov     r4, cr4
        mov     r0, r3
        add     r0, r4
        out     0xf4, r0
`;
  it('a write exits only when it changes an owned bit; the shadow then holds the owned bits; reads return what the guest wrote', () => {
    const free = run(CR, 'ept=1,io=none');
    expect(exits(free.events).filter((e) => e.reason === ExitReason.CR_ACCESS)).toHaveLength(0);
    const owned = run(CR, 'ept=1,io=none,cr0-mask=0x80000003,cr4-mask=4');
    expect(exits(owned.events).filter((e) => e.reason === ExitReason.CR_ACCESS).map((e) => e.qualification & 0xf)).toEqual([0, 4]);
    expect(owned.exitCode).toBe(free.exitCode);
    expect(owned.exitCode).toBe(run(CR, undefined, 'native').exitCode);
    expect((owned.vmcs?.[Vmcs.CR0_READ_SHADOW] ?? 0) & 2).toBe(2);
    expect((owned.vmcs?.[Vmcs.CR4_READ_SHADOW] ?? 0) & 4).toBe(4);
  });
});

describe('TPR shadow', () => {
  const TPR = `
        .entry  start
start:  mov     r1, 5
        mov     cr8, r1
        mov     r1, 1
        mov     cr8, r1
        mov     r2, cr8
        out     0xf4, r2
`;
  it('CR8 is served without an exit; a write below the threshold exits after it (reason 43)', () => {
    expect(exits(run(TPR, 'ept=1,io=none').events)).toHaveLength(0);
    const below = run(TPR, 'ept=1,io=none,tpr-threshold=2');
    expect(exits(below.events).map((e) => [e.reason, e.pc])).toEqual([[ExitReason.TPR_BELOW_THRESHOLD, 0x1000 + 4 * 8]]);
    expect(below.exitCode).toBe(1);
    const noShadow = run(TPR, 'ept=1,io=none,use-tpr-shadow=0,cr8-load-exiting=1,cr8-store-exiting=1');
    expect(exits(noShadow.events).map((e) => e.reason)).toEqual([ExitReason.CR_ACCESS, ExitReason.CR_ACCESS, ExitReason.CR_ACCESS]);
    expect(noShadow.exitCode).toBe(1);
  });
});
