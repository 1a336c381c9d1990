import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventOfType } from '../../src/domain/events/event.js';
import { ExitReason } from '../../src/engines/vmx/exits.js';
import { assembleSource, configFor, record } from '../helpers/run.js';

/**
 * Efficiency: under hardware assist the only VM exits are those the VMCS asks for. One
 * kernel meets every condition once; random control settings (with EPT, so every control
 * may be off) must give exactly the exits their enabled conditions name.
 */
const KERNEL = `
        .entry  start
start:  mov     sp, 0x9000
        mov     r0, idt_desc
        lidt    [r0]
        mov     r0, scratch
        sidt    [r0]
        rdtsc   r1
        mov     r2, cr3
        mov     cr3, r2
        mov     r2, cr8
        mov     cr8, r2
        invlpg  [r0]
        rdmsr   r3, 0
        wrmsr   0, r3
        cpuid
        mov     r6, 7
        mov     r1, 0
        div     r6, r1
        in      r4, 0x3fd
        mov     r4, 65
        out     0x3f8, r4
        mov     r5, 0
        mov     r0, 30
        out     0x40, r0
        sti
        hlt
wait:   cmp     r5, 1
        jl      wait
        cli
        mov     r5, 0
        mov     r0, 12                  ; ticks arrive while IF = 0: the VMM holds one for the window
        out     0x40, r0
        mov     r1, 20
spin:   sub     r1, 1
        jnz     spin
        sti
        cpuid                           ; an exit with IF = 1: where a VMM without the window injects
wait2:  cmp     r5, 1
        jl      wait2
        cli
        mov     r0, 0
        out     0x40, r0
        mov     r2, cr0
        or      r2, 2                   ; CR0.MP: owned if the mask says so
        mov     cr0, r2
        mov     r2, cr4
        or      r2, 4                   ; CR4.TSD
        mov     cr4, r2
        mov     r2, 3
        mov     cr8, r2
        mov     r2, 0
        mov     cr8, r2                 ; below a TPR threshold of 2
        out     0xf4, r0
skip:   push    r0
        ld      r0, [sp+4]
        add     r0, 8
        st      [sp+4], r0
        pop     r0
        iret
tick:   push    r0
        mov     r5, 1
        mov     r0, 0
        out     0x20, r0
        pop     r0
        iret
        .align  8
scratch: .space 16
idt_desc: .word 256 * 8 - 1, idt
idt:    .word   skip, 1
        .space  8 * 31
        .word   tick, 1
        .space  8 * (256 - 33)
`;

const FLAGS = ['rdtsc-exiting', 'cr3-load-exiting', 'cr3-store-exiting', 'cr8-load-exiting', 'cr8-store-exiting', 'invlpg-exiting', 'msr-exiting', 'descriptor-table-exiting', 'hlt-exiting', 'external-interrupt-exiting', 'interrupt-window-exiting'] as const;
type Flag = (typeof FLAGS)[number];
type Io = 'all' | 'none' | 'bitmap:0x3f8' | 'bitmap:0x3fd';

/** The numeric controls: CR0.MP and CR4.TSD owned or not, a TPR threshold above the kernel's last CR8 write or not. */
interface Numbers {
  readonly cr0Mp: boolean;
  readonly cr4Tsd: boolean;
  readonly threshold: boolean;
}

const numbersText = (n: Numbers): string[] => [`cr0-mask=${n.cr0Mp ? 0x80000003 : 0x80000001}`, `cr4-mask=${n.cr4Tsd ? 4 : 0}`, `tpr-threshold=${n.threshold ? 2 : 0}`];

const cr = (n: number, fromCr: boolean): string => `CR_ACCESS cr${n} ${fromCr ? 'store' : 'load'}`;

/** The conditions an exit names: its reason, and for CR and I/O exits what its qualification says. */
function condition(e: EventOfType<'vmexit'>): string {
  if (e.reason === ExitReason.CR_ACCESS) return cr(e.qualification & 0xf, ((e.qualification >>> 4) & 3) === 1);
  if (e.reason === ExitReason.IO_INSTRUCTION) return `IO ${(e.qualification >>> 16).toString(16)}`;
  return String(e.reason);
}

function expected(on: ReadonlySet<Flag>, io: Io, divideErrorExits: boolean, n: Numbers): Set<string> {
  const out = new Set<string>([String(ExitReason.CPUID), String(ExitReason.EPT_VIOLATION)]);
  const when = (flag: Flag, ...conditions: string[]): void => {
    if (on.has(flag)) for (const c of conditions) out.add(c);
  };
  when('rdtsc-exiting', String(ExitReason.RDTSC));
  when('cr3-load-exiting', cr(3, false));
  when('cr3-store-exiting', cr(3, true));
  when('cr8-load-exiting', cr(8, false));
  when('cr8-store-exiting', cr(8, true));
  when('invlpg-exiting', String(ExitReason.INVLPG));
  when('msr-exiting', String(ExitReason.RDMSR), String(ExitReason.WRMSR));
  when('descriptor-table-exiting', String(ExitReason.GDTR_IDTR_ACCESS));
  when('hlt-exiting', String(ExitReason.HLT));
  when('external-interrupt-exiting', String(ExitReason.EXTERNAL_INTERRUPT));
  // a tick held while IF = 0 is injected at the window's exit, or without it at the cpuid exit
  if (on.has('external-interrupt-exiting') && on.has('interrupt-window-exiting')) out.add(String(ExitReason.INTERRUPT_WINDOW));
  if (n.cr0Mp) out.add(cr(0, false));
  if (n.cr4Tsd) out.add(cr(4, false));
  if (n.threshold && !on.has('cr8-load-exiting')) out.add(String(ExitReason.TPR_BELOW_THRESHOLD)); // CR8-load exiting comes first
  if (divideErrorExits) out.add(String(ExitReason.EXCEPTION_NMI));
  const ports = io === 'all' ? ['3fd', '3f8', '40', '20', 'f4'] : io === 'none' ? [] : [io.slice('bitmap:0x'.length)];
  for (const p of ports) out.add(`IO ${p}`);
  return out;
}

describe('VMCS controls: exits appear exactly for the enabled conditions', () => {
  const image = assembleSource(KERNEL);
  it('holds for random control settings (with EPT)', () => {
    fc.assert(
      fc.property(fc.subarray([...FLAGS]), fc.constantFrom<Io>('all', 'none', 'bitmap:0x3f8', 'bitmap:0x3fd'), fc.boolean(), fc.record({ cr0Mp: fc.boolean(), cr4Tsd: fc.boolean(), threshold: fc.boolean() }), (flags, io, divideError, numbers) => {
        const on = new Set(flags);
        const vmcs = ['ept=1', ...FLAGS.map((f) => `${f}=${on.has(f) ? 1 : 0}`), `io=${io}`, `exceptions=${divideError ? '+0' : '0'}`, ...numbersText(numbers)].join(',');
        const run = record({ ...configFor(image, 'hardware-assist', 'classic', 100_000), vmcs });
        const events = run.batches.flatMap((b) => [...b]);
        expect(events.at(-1)).toMatchObject({ type: 'run-end', reason: 'exit' });
        const seen = new Set(events.filter((e): e is EventOfType<'vmexit'> => e.type === 'vmexit').map(condition));
        expect([...seen].sort()).toEqual([...expected(on, io, divideError, numbers)].sort());
        expect(events.filter((e) => e.type === 'exception')).toHaveLength(1); // #DE reaches the guest either way, injected or not
      }),
      { seed: 10, numRuns: 60 },
    );
  });
});
