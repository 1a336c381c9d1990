import { describe, expect, it } from 'vitest';
import type { Event, EventOfType } from '../../src/domain/events/event.js';
import { cpuProfile } from '../../src/domain/cost/profile.js';
import { evolveBatch } from '../../src/domain/evolve.js';
import { initialState } from '../../src/domain/state/machine.js';
import { readPage32 } from '../../src/domain/state/pages.js';
import { stateHash } from '../../src/domain/state/state-hash.js';
import { Errno, SharedInfo } from '../../src/engines/pv/abi.js';
import { SHARED_INFO_REG } from '../../src/engines/pv/shared-info.js';
import { assembleGuest, assembleSource, configFor, record } from '../helpers/run.js';

const memoryOf = (r: ReturnType<typeof record>): Parameters<typeof readPage32>[0] => (r.state.vms[0] as unknown as { memory: Parameters<typeof readPage32>[0] }).memory;
const eventsOf = (r: ReturnType<typeof record>): Event[] => r.batches.flatMap((b) => [...b]);
const hypercalls = (events: readonly Event[]): EventOfType<'hypercall'>[] => events.filter((e): e is EventOfType<'hypercall'> => e.type === 'hypercall');

describe('mmuext_op pin and unpin: counts per page, a pinned page validated once and kept read-only', () => {
  const PD = 0x10000;
  const PT0 = 0x11000;
  const PAGE = 0x30000;
  const BAD = 0x31000; // a table that maps a hypervisor frame
  const source = `
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
        mov     r1, ${PT0}
        mov     r2, 3
fill:   st      [r1], r2
        add     r1, 4
        add     r2, 4096
        cmp     r1, ${PT0 + 4096}
        jb      fill
        mov     r0, ${PT0 | 3}
        st      [${PD}], r0
        mov     r0, 0x3ff003            ; the last frame: the hypervisor's
        st      [${BAD}], r0
        mov     r1, 0
        mov     r2, ${PD}
        mov     r0, 2                   ; mmuext_op new base
        vmcall
        .macro  MMUEXT op, arg
        mov     r1, \\op
        mov     r2, \\arg
        mov     r0, 2
        vmcall
        .endm
        MMUEXT  2, ${PAGE}              ; pin: 0
        MMUEXT  2, ${PAGE}              ; pin again: 0, count 2
        mov     r6, 0
        mov     r0, 0x1234
        st      [${PAGE}], r0           ; a pinned page is read-only: #PF, r6 = 1
        MMUEXT  3, ${PAGE}              ; unpin: 0, count 1
        MMUEXT  3, ${PAGE}              ; unpin: 0, count 0
        MMUEXT  3, ${PAGE}              ; unpin an unpinned page: EINVAL
        mov     r5, 0x1234
        st      [${PAGE}], r5           ; writable again
        MMUEXT  2, ${BAD}               ; maps the hypervisor: EPERM
        MMUEXT  2, ${PAGE + 4}          ; unaligned: EINVAL
        mov     r1, 2
        mov     r2, r6
        mov     r0, 6                   ; sched_op shutdown, exit code r6
        vmcall
pf:     mov     r6, 1
        push    r0                      ; skip the faulting store
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
`;

  it('pins count, a pinned page faults on a guest store, unpinning an unpinned page is refused', () => {
    const config = configFor(assembleSource(source), 'paravirt', 'virtualizable', 100_000);
    const r = record(config);
    expect(stateHash(r.batches.reduce(evolveBatch, initialState(config)))).toBe(stateHash(r.state)); // the counts are in the events
    const calls = hypercalls(eventsOf(r)).filter((e) => e.nr === 2 && e.arg1 >= 2);
    expect(calls.map((e) => [e.arg1, e.result])).toEqual([[2, 0], [2, 0], [3, 0], [3, 0], [3, Errno.EINVAL], [2, Errno.EPERM], [2, Errno.EINVAL]]);
    expect(r.state.outcome).toMatchObject({ reason: 'exit', exitCode: 1 });
    expect(readPage32(memoryOf(r), PAGE)).toBe(0x1234); // the store after the last unpin
  });
});

describe('event channels and the virtual clock', () => {
  const pv = record(configFor(assembleGuest('minios', { PV: 1 }), 'paravirt', 'virtualizable', 5_000_000));
  const pvEvents = eventsOf(pv);

  it('each send is an evtchn notify after its hypercall; each interrupt an upcall', () => {
    for (const [mode, r, events] of [['paravirt', pv, pvEvents], ['hybrid', undefined, undefined]] as const) {
      const evs = events ?? eventsOf(r ?? record(configFor(assembleGuest('minios', { PVDRIVERS: 1 }), mode, 'virtualizable', 5_000_000)));
      const sends = hypercalls(evs).filter((e) => e.nr === 7 && e.arg1 === 1 && e.result === 0);
      const notifies = evs.filter((e): e is EventOfType<'evtchn'> => e.type === 'evtchn' && e.op === 'notify');
      expect(sends.length).toBe(3);
      expect(notifies.map((e) => e.port)).toEqual(sends.map((e) => e.arg2));
      for (const s of sends) expect(evs[evs.indexOf(s) + 1]).toMatchObject({ type: 'evtchn', op: 'notify' });
    }
    expect(pvEvents.filter((e) => e.type === 'evtchn' && e.op === 'upcall').length).toBe(pvEvents.filter((e) => e.type === 'interrupt').length);
  });

  it('the hypervisor writes system time and its TSC stamp into the shared info page on each upcall', () => {
    const vm = pv.state.vms[0];
    const at = (vm?.vcpu[SHARED_INFO_REG] ?? 0) >>> 0;
    expect(at).not.toBe(0);
    const upcalls = pvEvents.filter((e) => e.type === 'evtchn' && e.op === 'upcall');
    const last = upcalls.at(-1) as Event;
    const clockWrites = last.effects.filter((f) => f.effect === 'memory.write32' && (f.a === at + SharedInfo.CLOCK || f.a === at + SharedInfo.TSC_STAMP));
    expect(clockWrites).toHaveLength(2);
    const clock = readPage32(memoryOf(pv), at + SharedInfo.CLOCK);
    expect(clock).toBeGreaterThan(0);
    expect(clock).toBeLessThanOrEqual(vm?.ticks ?? 0);
    const stamp = readPage32(memoryOf(pv), at + SharedInfo.TSC_STAMP) >>> 0;
    expect(stamp).toBeGreaterThan(0);
    expect(stamp).toBeLessThanOrEqual(pv.state.cycles);
  });
});

describe('a hypercall is charged its transition once', () => {
  const p4 = cpuProfile('p4-prescott-2005');
  it('under paravirt: int $0x82 + iret and the dispatch on its retirement; under hybrid: the VM exit and entry, and the dispatch', () => {
    if (p4 === undefined) throw new Error('no p4 profile');
    const c = p4.cycles;
    const pvRun = eventsOf(record({ ...configFor(assembleGuest('minios', { PV: 1 }), 'paravirt', 'virtualizable', 5_000_000), cpu: 'p4-prescott-2005' }));
    const call = pvRun.find((e) => e.type === 'hypercall' && e.nr === 8) as Event; // console_io
    expect(call.cost).toBe(0);
    expect(pvRun[pvRun.indexOf(call) + 1]).toMatchObject({ type: 'emulate', after: 'hypercall', cost: c.softInt + c.iret + c.vmmWork });
    const hy = eventsOf(record({ ...configFor(assembleGuest('minios', { PVDRIVERS: 1 }), 'hybrid', 'virtualizable', 5_000_000), cpu: 'p4-prescott-2005' }));
    const kick = hy.find((e) => e.type === 'hypercall' && e.nr === 7) as Event;
    const at = hy.indexOf(kick);
    expect(hy[at - 1]).toMatchObject({ type: 'vmexit', reason: 18, cost: c.vmexit + 2 * c.vmread });
    expect(kick.cost).toBe(0);
    expect(hy.slice(at + 1, at + 3)).toMatchObject([{ type: 'evtchn', op: 'notify', cost: 0 }, { type: 'emulate', after: 'trap', cost: c.vmmWork }]);
  });
});
