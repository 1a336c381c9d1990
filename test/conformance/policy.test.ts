import { describe, expect, it } from 'vitest';
import type { Event, EventOfType } from '../../src/domain/events/event.js';
import { ISA_PROFILES, type IsaProfile } from '../../src/domain/isa/table.js';
import { MODES } from '../../src/engines/modes/registry.js';
import { INTERCEPT_CLASSES, handlingOn, type Handling, type InterceptClass } from '../../src/engines/modes/spec.js';
import { assembleSource, configFor, record } from '../helpers/run.js';

/**
 * Each mode's intercept policy is data (its registry entry); these tests hold the data to
 * the engine: one small kernel per class of operation, and the handling read back from
 * the events around the operation (at the label `probe`).
 */

const KERNEL = (body: string, extra = ''): string => `
        .entry  start
start:  mov     sp, 0x9000
        mov     r0, 0x9000
        wrmsr   0, r0
        mov     r0, idt_desc
        lidt    [r0]
${body}
done:   mov     r0, 0
        out     0xf4, r0
handler: iret
pf:     add     sp, 4
        push    r1
        mov     r1, pt
        ld      r0, [r1+8]
        or      r0, 7
        st      [r1+8], r0
        pop     r1
        iret
tick:   push    r0
        mov     r5, 1
        mov     r0, 0
        out     0x40, r0
        out     0x20, r0
        pop     r0
        iret
${extra}
        .align  4096
pd:     .space  4096
pt:     .space  4096
        .align  8
idt_desc: .word 256 * 8 - 1, idt
idt:    .space  8 * 14
        .word   pf, 1
        .space  8 * (32 - 15)
        .word   tick, 1
        .space  8 * (0x30 - 33)
        .word   handler, 7
        .space  8 * (256 - 0x31)
`;

/** Identity-maps the first 4 MiB except page 2 (0x2000), turns paging on. */
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
        mov     r1, pt
        mov     r0, 0
        st      [r1+8], r0
        mov     r0, pt
        or      r0, 7
        st      [pd], r0
        mov     r0, pd
        mov     cr3, r0
        mov     r0, 0x80000001
        mov     cr0, r0
`;

const PROGRAMS: Readonly<Record<InterceptClass, string>> = {
  'privileged-instruction': KERNEL('        mov r1, idt_desc\nprobe:  lidt [r1]'),
  'sensitive-unprivileged': KERNEL('probe:  pushf\n        pop r0'),
  'control-register': KERNEL('probe:  mov r0, cr0'),
  io: KERNEL('probe:  in r0, 0x3fd'),
  'interrupt-flag': KERNEL('probe:  cli'),
  'page-table-write': KERNEL(`${PAGING}        mov r0, 0x3007\n        mov r1, pt\nprobe:  st [r1+12], r0`),
  'page-fault': KERNEL(`${PAGING}probe:  ld r0, [0x2000]`),
  'software-interrupt': KERNEL('probe:  int 0x30'),
  halt: KERNEL('        mov r0, 50\n        out 0x40, r0\n        sti\nprobe:  hlt'),
  'timer-interrupt': KERNEL('        mov r5, 0\n        mov r0, 20\n        out 0x40, r0\n        sti\nspin:   cmp r5, 1\n        jnz spin'),
};

const VMM_TYPES = new Set(['trap', 'vmexit', 'callout', 'hypercall']);

/** What happened to the operation, read from the events: the handling it amounts to. */
function observed(cls: InterceptClass, events: readonly Event[], probe: number): Handling | string {
  const trapped = events.some((e) => VMM_TYPES.has(e.type) && 'pc' in e && e.pc === probe) || events.some((e) => e.type === 'trap' && e.cause === 'interrupt');
  const byVia = (via: string): Handling | string => (via === 'cpu' ? 'executes' : via === 'interpreter' ? 'emulated' : via === 'vmm' ? 'traps' : via === 'inline' ? 'inline' : `via ${via}`);
  if (cls === 'timer-interrupt') {
    const irq = events.find((e): e is EventOfType<'interrupt'> => e.type === 'interrupt');
    if (events.some((e) => e.type === 'vmexit' && e.reason === 1)) return 'vm-exit';
    return irq === undefined ? 'no interrupt' : byVia(irq.via);
  }
  if (trapped) return events.some((e) => e.type === 'vmexit') ? 'vm-exit' : events.some((e) => e.type === 'callout' && e.pc === probe) ? 'callout' : 'traps';
  if (cls === 'page-fault' || cls === 'software-interrupt') {
    const delivered = events.find((e): e is EventOfType<'exception'> => e.type === 'exception' && e.pc === (cls === 'page-fault' ? probe : probe + 8));
    if (delivered === undefined) return 'no exception';
    if (delivered.via === 'cpu') return cls === 'page-fault' ? 'faults-to-guest' : 'executes';
    return byVia(delivered.via);
  }
  const retired = events.find((e): e is EventOfType<'insn' | 'emulate'> => (e.type === 'insn' || e.type === 'emulate') && e.pc === probe);
  if (retired === undefined) return 'not retired';
  return retired.type === 'emulate' ? (retired.after === 'interpreter' ? 'emulated' : retired.after) : byVia(retired.via);
}

describe('each mode does what its registry entry declares, class by class (intercept policy)', () => {
  for (const mode of MODES.filter((m) => !m.modifiedGuest)) {
    for (const isa of ISA_PROFILES as readonly IsaProfile[]) {
      for (const cls of INTERCEPT_CLASSES) {
        it(`${mode.name} on ${isa}: ${cls} ${handlingOn(mode.policy[cls], isa)}`, () => {
          const image = assembleSource(PROGRAMS[cls]);
          const run = record(configFor(image, mode.name, isa, 100_000));
          const events = run.batches.flatMap((b) => [...b]);
          expect(events.at(-1)).toMatchObject({ type: 'run-end', reason: 'exit' });
          expect(observed(cls, events, image.symbols.probe ?? -1)).toBe(handlingOn(mode.policy[cls], isa));
        });
      }
    }
  }
});
