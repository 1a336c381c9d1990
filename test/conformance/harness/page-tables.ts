import { Pte } from '../../../src/domain/isa/arch.js';
import { BEYOND_RAM_PAGES, CODE_PAGE_COUNT, DATA_PAGE_COUNT, Layout, PAGE_RIGHTS, codePage, dataPage, type PageRights } from './layout.js';

/**
 * How a program's page tables look. PT0 identity-maps the 4 MiB of RAM (code user
 * read-only, harness pages supervisor, the rest user read-write) except where the
 * program chooses; PT1 maps 16 pages beyond the end of RAM, so paging can reach
 * addresses RAM does not have; the directory maps nothing above 8 MiB unless
 * `stackAsPageTable`, which makes the kernel stack page the page table of 8–12 MiB.
 */
export interface PagingSetup {
  readonly enabled: boolean;
  readonly writeProtect: boolean; // CR0.WP: supervisor writes honour read-only pages
  readonly nullPage: boolean; // page 0 mapped
  readonly dataPages: readonly PageRights[]; // DATA_PAGE_COUNT entries
  readonly codePages: readonly PageRights[]; // CODE_PAGE_COUNT entries
  readonly aliasLastDataPage: boolean; // the last data page maps the first one's frame
  readonly stackAsPageTable: boolean;
}

export const NO_PAGING: PagingSetup = {
  enabled: false,
  writeProtect: false,
  nullPage: false,
  dataPages: new Array<PageRights>(DATA_PAGE_COUNT).fill('rw-user'),
  codePages: new Array<PageRights>(CODE_PAGE_COUNT).fill('ro-user'),
  aliasLastDataPage: false,
  stackAsPageTable: false,
};

const SUPERVISOR_PAGES: readonly number[] = [Layout.HARNESS_DATA, Layout.IDT, Layout.KSTACK_PAGE, Layout.KERNEL_DATA, Layout.PD, Layout.PT0, Layout.PT1];
const USER_CODE = { from: Layout.KERNEL, to: Layout.HARNESS_DATA };
const ALL = Pte.P | Pte.W | Pte.U;

function identityRights(vaddr: number, setup: PagingSetup): number {
  if (vaddr === 0) return setup.nullPage ? ALL : 0;
  if (vaddr >= USER_CODE.from && vaddr < USER_CODE.to) return PAGE_RIGHTS['ro-user'];
  if (vaddr === Layout.USER_RO) return PAGE_RIGHTS['ro-user'];
  if (SUPERVISOR_PAGES.includes(vaddr)) return PAGE_RIGHTS['rw-kernel'];
  return ALL;
}

function pt0Entry(page: number, setup: PagingSetup): number {
  const vaddr = page << 12;
  const data = (vaddr - Layout.DATA_PAGES) >> 12;
  if (data >= 0 && data < DATA_PAGE_COUNT) {
    const frame = setup.aliasLastDataPage && data === DATA_PAGE_COUNT - 1 ? dataPage(0) : vaddr;
    return frame | PAGE_RIGHTS[setup.dataPages[data] ?? 'absent'];
  }
  const code = (vaddr - Layout.CODE_PAGES) >> 12;
  if (code >= 0 && code < CODE_PAGE_COUNT) return codePage(code) | PAGE_RIGHTS[setup.codePages[code] ?? 'absent'];
  const rights = identityRights(vaddr, setup);
  return rights === 0 ? 0 : vaddr | rights;
}

function words(entries: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(4096);
  const view = new DataView(bytes.buffer);
  entries.forEach((e, i) => view.setUint32(4 * i, e >>> 0, true));
  return bytes;
}

/** The directory and both tables as image segments (loaded whether or not paging is enabled). */
export function pageTableSegments(setup: PagingSetup): { addr: number; bytes: Uint8Array }[] {
  const directory = [Layout.PT0 | ALL, Layout.PT1 | ALL, setup.stackAsPageTable ? Layout.KSTACK_PAGE | ALL : 0];
  const pt0 = Array.from({ length: 1024 }, (_, page) => pt0Entry(page, setup));
  const pt1 = Array.from({ length: BEYOND_RAM_PAGES }, (_, i) => (Layout.RAM_END + i * 0x1000) | ALL);
  return [
    { addr: Layout.PD, bytes: words(directory) },
    { addr: Layout.PT0, bytes: words(pt0) },
    { addr: Layout.PT1, bytes: words(pt1) },
  ];
}

/** The lines that turn paging on, at the top of the body. */
export function pagingPrologue(setup: PagingSetup): string {
  if (!setup.enabled) return '';
  const cr0 = (0x8000_0001 | (setup.writeProtect ? 0x1_0000 : 0)) >>> 0;
  return `        mov r0, PD\n        mov cr3, r0\n        mov r0, 0x${cr0.toString(16)}\n        mov cr0, r0`;
}

/** One comment line describing the choices, for a printed counterexample. */
export function describePaging(setup: PagingSetup): string {
  if (!setup.enabled) return '; paging off';
  const parts = [
    setup.writeProtect ? 'CR0.WP' : 'no WP',
    setup.nullPage ? 'page 0 mapped' : 'page 0 absent',
    `data pages 0x20000.. ${setup.dataPages.join(' ')}`,
    `code pages 0x28000.. ${setup.codePages.join(' ')}`,
  ];
  if (setup.aliasLastDataPage) parts.push('0x27000 aliases frame 0x20000');
  if (setup.stackAsPageTable) parts.push('PDE 2 -> kernel stack page');
  return `; paging on: ${parts.join('; ')}`;
}
