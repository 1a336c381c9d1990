import fc from 'fast-check';
import { CODE_PAGE_COUNT, DATA_PAGE_COUNT, Layout, codePage, dataPage } from '../harness/layout.js';
import type { Step } from '../harness/program.js';
import { ringBlock } from './rings.js';

const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;

/** A load or store of every width at `address`. */
const accessAt = (address: fc.Arbitrary<number>): fc.Arbitrary<string> =>
  fc.tuple(fc.constantFrom('ld r1, [A]', 'ldb r2, [A]', 'st [A], r3', 'stb [A], r4'), address).map(([form, a]) => form.replace('A', hex(a)));

/**
 * Around the end of the 4 MiB of RAM: the last word, words and bytes straddling the end,
 * the first addresses beyond it (#GP natively; with paging on, PT1 maps them to frames
 * RAM does not have), the top of the address space, and a region no PDE maps.
 */
export const ramEndAccess = accessAt(
  fc.constantFrom(Layout.RAM_END - 4, Layout.RAM_END - 3, Layout.RAM_END - 1, Layout.RAM_END, Layout.RAM_END + 0x1ffe, 0xfffffffc, 0xfffffffe, 0xc00000),
);

/** Words and bytes at and across the boundaries between data pages, whose rights each program chooses. */
export const pageEdgeAccess = accessAt(
  fc.tuple(fc.integer({ min: 1, max: DATA_PAGE_COUNT - 1 }), fc.constantFrom(-4, -3, -2, -1, 0)).map(([page, offset]) => dataPage(page) + offset),
);

/**
 * Instruction fetches at the edges: into the last instruction of RAM and one straddling
 * its end, straight beyond it, and an 8-byte instruction straddling each code-page boundary.
 */
export const edgeFetch = fc.oneof(
  fc.constantFrom(Layout.RAM_END - 12, Layout.RAM_END - 4, Layout.RAM_END, Layout.RAM_END + 0x1000 - 4).map((a) => `call ${hex(a)}`),
  fc.integer({ min: 1, max: CODE_PAGE_COUNT }).map((page) => `call ${hex(codePage(page) - 12)}`),
);

/** Loads, stores and fetches at the end of RAM and of mapped pages, at a generated ring. */
export const memoryEdge: fc.Arbitrary<Step> = ringBlock(fc.oneof(ramEndAccess, pageEdgeAccess, edgeFetch), 2);
