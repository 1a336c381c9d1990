import { describe, expect, it } from 'vitest';
import { divergence } from './harness/compare.js';
import { NO_PAGING, type PagingSetup } from './harness/page-tables.js';
import type { GuestProgram } from './harness/program.js';
import { atRing } from './generators/rings.js';
import { CELLS, cellName } from './modes.js';

/**
 * One fixed, minimal program per divergence class the generators found in trap-and-emulate
 * before the core was reshaped (README.md names each class and its cause). Each must run
 * the same in every `equal` cell as on native.
 */
interface Reproducer {
  readonly divergenceClass: string;
  readonly what: string;
  readonly program: GuestProgram;
}

const PAGING: PagingSetup = { ...NO_PAGING, enabled: true };

const REPRODUCERS: readonly Reproducer[] = [
  // Class: ring 1 runs as ring 0.
  {
    divergenceClass: 'ring 1 runs as ring 0',
    what: 'iret to CPL 1, then a privileged instruction there (#GP natively)',
    program: { paging: NO_PAGING, steps: [atRing({ ring: 1, iopl: 0, interrupts: false }, ['mov r1, cr3'])] },
  },
  // Class: int 14 taken for a page fault.
  {
    divergenceClass: 'int 14 taken for a page fault',
    what: 'int 14 at CPL 0 with linear address 0 mapped (a software interrupt: no error code, no CR2)',
    program: { paging: { ...PAGING, nullPage: true }, steps: ['int 14'] },
  },
  // Class: frames beyond RAM through paging.
  {
    divergenceClass: 'frames beyond RAM through paging',
    what: 'a load from a page mapped to the first frame beyond RAM (#GP natively)',
    program: { paging: PAGING, steps: ['ld r1, [RAM_END]'] },
  },
  {
    divergenceClass: 'frames beyond RAM through paging',
    what: 'a store to a page mapped to the first frame beyond RAM (#GP natively)',
    program: { paging: PAGING, steps: ['st [RAM_END + 8], r1'] },
  },
  {
    divergenceClass: 'frames beyond RAM through paging',
    what: 'an instruction straddling the end of RAM (#GP natively)',
    program: { paging: PAGING, steps: ['call RAM_END - 4'] },
  },
  // Class: VMM writes to page tables not synced.
  {
    divergenceClass: 'VMM writes to page tables not synced',
    what: 'an int 3 frame pushed onto a live PTE (its CPL word 0 unmaps the page), then the page touched',
    program: {
      paging: PAGING,
      steps: ['mov r6, @after\nst [RESUME], r6\nld r2, [0x20008]\nmov sp, 0x11088\nint 3\n@after:\nmov r6, @next\nst [RESUME], r6\nld r2, [0x20008]'],
    },
  },
  {
    divergenceClass: 'VMM writes to page tables not synced',
    what: 'an emulated pushf writing flags 0 onto a live PTE, then the page touched',
    program: { paging: PAGING, steps: ['ld r2, [0x20008]\nmov sp, 0x11084\npushf\nmov sp, KSTACK\nld r2, [0x20008]'] },
  },
  {
    divergenceClass: 'VMM writes to page tables not synced',
    what: 'the kernel stack page is also a page table: an exception frame rewrites a PTE the kernel used',
    program: {
      paging: { ...PAGING, stackAsPageTable: true },
      steps: [atRing({ ring: 3, iopl: 0, interrupts: false }, []), 'ld r2, [0xbfd010]', 'int 3', 'ld r2, [0xbfd010]'],
    },
  },
  // Class: only the faulting word synced.
  {
    divergenceClass: 'only the faulting word synced',
    what: 'an unaligned store across two live PTEs clears the second one, then its page is touched',
    program: { paging: PAGING, steps: ['ld r2, [0x21008]\nmov r0, 0\nst [0x11082], r0\nld r2, [0x21008]'] },
  },
  {
    divergenceClass: 'only the faulting word synced',
    what: 'a 4-byte store straddling the page directory and PT0 clears PTE 0, then page 0 is touched',
    program: { paging: { ...PAGING, nullPage: true }, steps: ['ld r2, [0x8]\nmov r0, 0\nst [0x10ffe], r0\nld r2, [0x8]'] },
  },
  // Class: CR4.TSD not enforced.
  {
    divergenceClass: 'CR4.TSD not enforced',
    what: 'rdtsc at CPL 3 with CR4.TSD set (#GP natively, so no time is read)',
    program: { paging: NO_PAGING, steps: [`mov r1, cr4\nor r1, 4\nmov cr4, r1\n${atRing({ ring: 3, iopl: 0, interrupts: false }, ['rdtsc r2'])}`] },
  },
];

describe('conformance regressions: one reproducer per divergence class', () => {
  for (const cell of CELLS.filter((c) => c.expectation === 'equal')) {
    for (const reproducer of REPRODUCERS) {
      it(`${cellName(cell)} ≡ native: ${reproducer.what} (once: ${reproducer.divergenceClass})`, () => {
        expect(divergence(reproducer.program, cell.mode, cell.profile, cell.variant?.config)?.detail).toBeUndefined();
      });
    }
  }
});
