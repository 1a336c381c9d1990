import fc from 'fast-check';
import { DATA_PAGE_COUNT, Layout, PAGE_RIGHTS, dataPage, pteAddress, type PageRights } from '../harness/layout.js';
import type { Step } from '../harness/program.js';
import { oneShotIrq } from './interrupts.js';

const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;

/** Pages whose PTE a kernel rewrites: data pages, page 0, the page table itself (its own PTE), user read-only. */
const livePage = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: DATA_PAGE_COUNT - 1 }).map(dataPage) },
  { weight: 1, arbitrary: fc.constantFrom(0, Layout.PT0, Layout.USER_RO) },
);

const rights = fc.constantFrom(...(Object.keys(PAGE_RIGHTS) as PageRights[]));

/** A new PTE for `page`: the same frame with other rights, another data frame (a remap), or 0 (unmapped). */
const newEntry = (page: number): fc.Arbitrary<number> =>
  fc.oneof(
    rights.map((r) => page | PAGE_RIGHTS[r]),
    fc.tuple(fc.integer({ min: 0, max: DATA_PAGE_COUNT - 1 }), rights).map(([i, r]) => dataPage(i) | PAGE_RIGHTS[r]),
    fc.constant(0),
  );

/** An access that makes the VMM fill (or use) its shadow entry for `page`. */
const touch = (page: number): fc.Arbitrary<string> =>
  fc.constantFrom(`ld r2, [${hex(page + 8)}]`, `st [${hex(page + 12)}], r3`, `ldb r4, [${hex(page + 0xfff)}]`);

const flush = (page: number): fc.Arbitrary<string> => fc.constantFrom('', `mov r1, ${hex(page)}\ninvlpg [r1]`, 'mov r1, cr3\nmov cr3, r1');

/**
 * How the kernel writes the new entry: a word; its low byte (the rights); or an unaligned
 * word at the PTE's address - 2, whose high half is the new entry's low half and whose
 * low half lands in the previous PTE's high half.
 */
const pteStore = (pte: number, entry: number): fc.Arbitrary<string> =>
  fc.constantFrom(
    `mov r0, ${hex(entry)}\nst [${hex(pte)}], r0`,
    `mov r0, ${hex(entry & 0xff)}\nstb [${hex(pte)}], r0`,
    `mov r0, ${hex((entry & 0xffff) << 16)}\nst [${hex(pte - 2)}], r0`,
  );

/** The kernel rewrites a live PTE, touching the page before and after, with or without invlpg. */
export const livePteWrite: fc.Arbitrary<Step> = livePage.chain((page) =>
  fc
    .tuple(fc.option(touch(page), { nil: undefined }), newEntry(page).chain((entry) => pteStore(pteAddress(page), entry)), flush(page), touch(page))
    .map((lines) => lines.filter((l) => l !== undefined && l !== '').join('\n')),
);

const BIG_REGION = 0x800000; // PDE 2

/** The kernel points PDE 2 at PT0, touches a page through it, then rewrites or clears that PDE and touches it again. */
export const liveDirectoryWrite: fc.Arbitrary<Step> = fc
  .tuple(
    fc.integer({ min: 0, max: DATA_PAGE_COUNT - 1 }).map((i) => BIG_REGION + dataPage(i)),
    fc.constantFrom(0, Layout.PT0 | PAGE_RIGHTS['ro-kernel'], Layout.PT1 | PAGE_RIGHTS['rw-user'], Layout.KSTACK_PAGE | PAGE_RIGHTS['rw-user']),
  )
  .chain(([page, entry]) =>
    fc.tuple(touch(page), flush(page), touch(page)).map(([before, after, again]) =>
      [`mov r0, ${hex(Layout.PT0 | PAGE_RIGHTS['rw-user'])}`, 'st [PD + 8], r0', before, `mov r0, ${hex(entry)}`, 'st [PD + 8], r0', after, again].filter((l) => l !== '').join('\n'),
    ),
  );

/**
 * What makes the VMM itself write guest memory, aimed at a live page table: an exception
 * or interrupt frame pushed by delivery (the timer raises IRQ 0 once, delivered at sti),
 * an emulated pushf, sidt or sgdt. `sp` is put so
 * that the frame's CPL word (0) lands on the PTE of a page the kernel touched just before.
 */
const vmmWrite = (pte: number): fc.Arbitrary<string> =>
  fc.constantFrom(
    `mov sp, ${hex(pte + 8)}\nint 3`,
    `mov sp, ${hex(pte + 8)}\ndiv r0, 0`,
    `mov sp, ${hex(pte + 8)}\n.word 0, 0`,
    `mov sp, ${hex(pte + 12)}\nld r1, [0xc00000]`,
    `mov sp, ${hex(pte + 4)}\npushf\nmov sp, KSTACK`,
    `${oneShotIrq}\nmov sp, ${hex(pte + 8)}\nsti\nnop\ncli\nmov sp, KSTACK`,
    `sidt [${hex(pte)}]`,
    `sgdt [${hex(pte - 4)}]`,
  );

/**
 * A PTE overwritten by the VMM's own write (a frame, an emulated store), then the page
 * touched again: the step resumes at `@after` from the handler, then at the next step.
 */
export const vmmWriteOnPageTable: fc.Arbitrary<Step> = fc
  .integer({ min: 0, max: DATA_PAGE_COUNT - 1 })
  .map(dataPage)
  .chain((page) =>
    fc.tuple(touch(page), vmmWrite(pteAddress(page)), flush(page), touch(page)).map(([before, write, after, again]) =>
      ['mov r6, @after', 'st [RESUME], r6', before, write, '@after:', 'mov r6, @next', 'st [RESUME], r6', after, again].filter((l) => l !== '').join('\n'),
    ),
  );

/** With PDE 2 pointing at the kernel stack page, the words frames leave at its top are PTEs of 0xbfc000–0xbff000. */
export const stackAsPageTableTouch: fc.Arbitrary<Step> = fc
  .tuple(fc.constantFrom(0xbfc000, 0xbfd000, 0xbfe000, 0xbff000), fc.constantFrom('ld r2, [A]', 'st [A], r3'))
  .map(([page, form]) => form.replace('A', hex(page + 0x10)));

/** The guest kernel editing live page tables. */
export const pageTableEdit: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: livePteWrite },
  { weight: 1, arbitrary: liveDirectoryWrite },
  { weight: 2, arbitrary: vmmWriteOnPageTable },
  { weight: 1, arbitrary: stackAsPageTableTouch },
);
