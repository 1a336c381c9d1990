import { Eff } from '../../domain/events/effects.js';
import { Vector } from '../../domain/isa/arch.js';
import { Access, rightsNeeded, type CoreContext } from './context.js';

/**
 * Guest memory accesses through a core context: translation by its TLB (a miss asks the
 * mode), physical reads and writes that mark pages dirty, log effects when the context
 * records events, and tell the mode about stores to watched frames. Every access that
 * spans two pages translates both before it changes anything, so a fault leaves no
 * partial write. The CPU core inlines the one-page cases; these are the general ones.
 */

/** Physical address of vaddr for an access, or -1 with the context's fault set. */
export function translate(c: CoreContext, vaddr: number, access: Access, user: boolean): number {
  const va = vaddr >>> 0;
  const need = rightsNeeded(access, user);
  let e = c.tlb[va >>> 12] as number;
  if ((e & need) !== need) {
    e = c.miss(va, access, user);
    if (e < 0) return -1;
    if ((e & need) !== need) throw new Error(`TLB miss handler filled ${va.toString(16)} without the rights asked`);
  }
  return ((e & 0xfffff000) | (va & 0xfff)) >>> 0;
}

/** The physical address of each of `n` bytes from vaddr (n ≤ 8), or false with the fault set: first page, then second. */
function span(c: CoreContext, vaddr: number, n: number, access: Access, user: boolean, out: Int32Array): boolean {
  const va = vaddr >>> 0;
  const first = translate(c, va, access, user);
  if (first < 0) return false;
  const inFirst = Math.min(n, 0x1000 - (va & 0xfff));
  let second = 0;
  if (inFirst < n) {
    second = translate(c, (va + inFirst) >>> 0, access, user);
    if (second < 0) return false;
  }
  for (let i = 0; i < n; i++) out[i] = i < inFirst ? first + i : second + (i - inFirst);
  return true;
}

const where = new Int32Array(8);

export function read8(c: CoreContext, vaddr: number, user: boolean): number {
  const p = translate(c, vaddr, Access.READ, user);
  return p < 0 ? -1 : (c.mem[p] as number);
}

/** A 32-bit read as a uint32, or -1 when it faulted. */
export function read32(c: CoreContext, vaddr: number, user: boolean): number {
  if (!span(c, vaddr, 4, Access.READ, user, where)) return -1;
  const m = c.mem;
  return ((m[where[0] as number] as number) | ((m[where[1] as number] as number) << 8) | ((m[where[2] as number] as number) << 16) | ((m[where[3] as number] as number) << 24)) >>> 0;
}

/** Fetches the 8-byte instruction at pc into c.lo and c.imm; false when the fetch faulted. */
export function fetch(c: CoreContext, pc: number, user: boolean): boolean {
  if (!span(c, pc, 8, Access.FETCH, user, where)) return false;
  const m = c.mem;
  const word = (k: number): number => (m[where[k] as number] as number) | ((m[where[k + 1] as number] as number) << 8) | ((m[where[k + 2] as number] as number) << 16) | ((m[where[k + 3] as number] as number) << 24);
  c.lo = word(0) >>> 0;
  c.imm = word(4) | 0;
  return true;
}

/** A byte written at a physical address: dirty, logged, watched. Returns true when the watcher asks to stop. */
export function writePhysical8(c: CoreContext, p: number, value: number): boolean {
  c.mem[p] = value;
  c.dirty[p >>> 12] = 1;
  c.out?.effect(Eff.MEM8, p, value & 0xff);
  return c.watch[p >>> 12] !== 0 && c.onWatchedStore(p);
}

export function writePhysical32(c: CoreContext, p: number, value: number): boolean {
  if ((p & 3) === 0) c.mem32[p >>> 2] = value;
  else for (let i = 0; i < 4; i++) c.mem[p + i] = value >>> (8 * i);
  c.dirty[p >>> 12] = 1;
  c.dirty[(p + 3) >>> 12] = 1;
  c.out?.effect(Eff.MEM32, p, value >>> 0);
  let stop = c.watch[p >>> 12] !== 0 && c.onWatchedStore(p);
  if ((p & 3) !== 0) stop = (c.watch[(p + 3) >>> 12] !== 0 && c.onWatchedStore(p + 3)) || stop; // an unaligned word covers two
  return stop;
}

export function write8(c: CoreContext, vaddr: number, value: number, user: boolean): 'fault' | 'stop' | 'ok' {
  const p = translate(c, vaddr, Access.WRITE, user);
  if (p < 0) return 'fault';
  return writePhysical8(c, p, value) ? 'stop' : 'ok';
}

/** A 32-bit write; across two pages it becomes four byte writes, after both pages translated. */
export function write32(c: CoreContext, vaddr: number, value: number, user: boolean): 'fault' | 'stop' | 'ok' {
  if (!span(c, vaddr, 4, Access.WRITE, user, where)) return 'fault';
  const p = where[0] as number;
  if ((where[3] as number) === p + 3) return writePhysical32(c, p, value) ? 'stop' : 'ok';
  let stop = false;
  for (let i = 0; i < 4; i++) stop = writePhysical8(c, where[i] as number, (value >>> (8 * i)) & 0xff) || stop;
  return stop ? 'stop' : 'ok';
}

/** Can `n` bytes from vaddr be written? Translates without writing (a frame about to be pushed). */
export function writable(c: CoreContext, vaddr: number, n: number, user: boolean): boolean {
  const va = vaddr >>> 0;
  return translate(c, va, Access.WRITE, user) >= 0 && translate(c, (va + n - 1) >>> 0, Access.WRITE, user) >= 0;
}

export function raise(c: CoreContext, vector: number, errorCode: number, pc: number): void {
  c.fault.vector = vector;
  c.fault.errorCode = errorCode;
  c.fault.address = 0;
  c.fault.pc = pc;
  c.fault.software = false;
}

export const generalProtection = (c: CoreContext, pc: number, errorCode = 0): void => raise(c, Vector.GP, errorCode, pc);

/**
 * The cost-only TLB model (core.ts.template) for the paths outside the core: the slot and
 * tag an access to vaddr would fill, and the walk references its miss costs; undefined
 * for a hit, or when there is no model (the guest's paging off).
 */
export function tlbModelMiss(c: CoreContext, vaddr: number): { slot: number; tag: number; refs: number } | undefined {
  const refs = c.walkRefsNow();
  if (refs === 0) return undefined;
  const tag = ((vaddr >>> 12) + 1) | 0;
  const slot = tag & (c.mtlb.length - 1);
  return c.mtlb[slot] === tag ? undefined : { slot, tag, refs };
}

export function fillTlbModel(c: CoreContext, miss: { slot: number; tag: number }): void {
  c.mtlb[miss.slot] = miss.tag;
  c.out?.effect(Eff.TLB_MODEL, miss.slot, miss.tag >>> 0);
}

/** The model forgets everything (a new address space), or one page (invlpg). */
export function flushTlbModel(c: CoreContext, vaddr?: number): void {
  if (vaddr === undefined) {
    if (c.mtlb.every((t) => t === 0)) return;
    c.mtlb.fill(0);
    c.out?.effect(Eff.TLB_MODEL_CLEAR, 0, 0);
    return;
  }
  const tag = ((vaddr >>> 12) + 1) | 0;
  const slot = tag & (c.mtlb.length - 1);
  if (c.mtlb[slot] !== tag) return;
  c.mtlb[slot] = 0;
  c.out?.effect(Eff.TLB_MODEL, slot, 0);
}
