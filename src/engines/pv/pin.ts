import { Eff } from '../../domain/events/effects.js';
import { Errno } from './abi.js';
import type { HypervisorPort } from './hypercalls.js';
import { guestFrames, inGuest } from './validate.js';

/** A pin's or unpin's result, and its change, applied inside the hypercall's event; the TLB goes after either (rights change). */
export interface PinOutcome {
  readonly result: number;
  readonly apply?: () => void;
  readonly flushTlb?: boolean;
}

/** A frame's pin count, kept in the VMM's `traced` table (which paravirt's direct paging does not otherwise use). */
const pinCount = (p: Pick<HypervisorPort, 'vm'>, frame: number): number => p.vm.traced.get(frame) >>> 0;

function setPinCount(p: HypervisorPort, frame: number, count: number): void {
  p.vm.traced.set(frame, count);
  p.log.effect(count === 0 ? Eff.UNTRACE : Eff.TRACE, frame, count);
}

/**
 * Pins a page-table page (Xen's MMUEXT_PIN_L1_TABLE, level-agnostic): validated once (every
 * present entry names one of the guest's frames, none the hypervisor's), then kept a page
 * table, read-only to the guest, while its count is above 0, whether it is reachable or not.
 */
export function pin(p: HypervisorPort, at: number): PinOutcome {
  if ((at & 0xfff) !== 0 || !inGuest(p.memoryBytes, at, 4096)) return { result: Errno.EINVAL };
  const frames = guestFrames(p.memoryBytes);
  for (let i = 0; i < 1024; i++) {
    const entry = p.vm.memory.read32(at + 4 * i);
    if ((entry & 1) !== 0 && entry >>> 12 >= frames) return { result: Errno.EPERM };
  }
  const frame = at >>> 12;
  return { result: 0, apply: () => setPinCount(p, frame, pinCount(p, frame) + 1), flushTlb: true };
}

/** Unpins: the count goes down by one; unpinning a page that is not pinned is refused. */
export function unpin(p: HypervisorPort, at: number): PinOutcome {
  if ((at & 0xfff) !== 0 || !inGuest(p.memoryBytes, at, 4096)) return { result: Errno.EINVAL };
  const frame = at >>> 12;
  const count = pinCount(p, frame);
  return count === 0 ? { result: Errno.EINVAL } : { result: 0, apply: () => setPinCount(p, frame, count - 1), flushTlb: true };
}
