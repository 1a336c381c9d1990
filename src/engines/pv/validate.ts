import { HYPERVISOR_BYTES } from './abi.js';

/** What the hypervisor knows when it checks a page-table update (Xen's direct paging). */
export interface PagingFacts {
  readonly memoryBytes: number;
  /** Is this frame (physical address >>> 12) in use as a page table or directory? */
  readonly isPageTable: (frame: number) => boolean;
}

export const PTE_P = 1;
export const PTE_W = 2;

export type Refusal = 'outside-guest' | 'not-a-page-table' | 'hypervisor-frame' | 'writable-page-table' | 'unaligned';

/** The first frame the guest may not map. */
export const guestFrames = (memoryBytes: number): number => (memoryBytes - HYPERVISOR_BYTES) >>> 12;

/**
 * Checks one PTE write `(ptr, value)`: ptr must be an aligned word in one of the guest's
 * page-table pages; a present entry must name a guest frame (not the hypervisor's, not
 * beyond memory), and may be writable only if that frame is not a page table.
 */
export function checkPteUpdate(facts: PagingFacts, ptr: number, value: number): Refusal | undefined {
  const frames = guestFrames(facts.memoryBytes);
  if ((ptr & 3) !== 0) return 'unaligned';
  if (ptr >>> 12 >= frames) return 'outside-guest';
  if (!facts.isPageTable(ptr >>> 12)) return 'not-a-page-table';
  if ((value & PTE_P) === 0) return undefined;
  const target = value >>> 12;
  if (target >= frames) return 'hypervisor-frame';
  if ((value & PTE_W) !== 0 && facts.isPageTable(target)) return 'writable-page-table';
  return undefined;
}

/** Can the guest hand the hypervisor this range (a buffer, a table) of its own memory? */
export function inGuest(memoryBytes: number, addr: number, bytes: number): boolean {
  return addr >>> 0 === addr && bytes >= 0 && addr + bytes <= guestFrames(memoryBytes) * 4096;
}
