import { Flag } from '../../domain/isa/arch.js';

/** Arithmetic flags CF ZF SF OF as IA-32 computes them (Intel SDM Vol. 1 §3.4.3.1); operands and results as int32. */

export function zs(r: number): number {
  return (r === 0 ? Flag.ZF : 0) | (r < 0 ? Flag.SF : 0);
}

export function addFlags(a: number, b: number, r: number): number {
  const carry = r >>> 0 < a >>> 0 ? Flag.CF : 0;
  const overflow = (~(a ^ b) & (a ^ r)) < 0 ? Flag.OF : 0;
  return zs(r) | carry | overflow;
}

export function subFlags(a: number, b: number, r: number): number {
  const borrow = a >>> 0 < b >>> 0 ? Flag.CF : 0;
  const overflow = ((a ^ b) & (a ^ r)) < 0 ? Flag.OF : 0;
  return zs(r) | borrow | overflow;
}

export function shlFlags(a: number, count: number, r: number, old: number): number {
  if (count === 0) return zs(r) | (old & Flag.CF);
  return zs(r) | ((a >>> (32 - count)) & 1 ? Flag.CF : 0);
}

export function shrFlags(a: number, count: number, r: number, old: number): number {
  if (count === 0) return zs(r) | (old & Flag.CF);
  return zs(r) | ((a >>> (count - 1)) & 1 ? Flag.CF : 0);
}

/** CF = OF = the high half of the 64-bit product is not zero: exact in doubles, since 2^32 is. */
export function mulFlags(a: number, b: number, r: number): number {
  return zs(r) | ((a >>> 0) * (b >>> 0) > 0xffff_ffff ? Flag.CF | Flag.OF : 0);
}

/** Does the condition of a conditional jump hold? `which` indexes CONDITIONS in table.ts. */
export function condition(which: number, flags: number): boolean {
  const zf = (flags & Flag.ZF) !== 0;
  const sf = (flags & Flag.SF) !== 0;
  const of = (flags & Flag.OF) !== 0;
  const cf = (flags & Flag.CF) !== 0;
  switch (which) {
    case 0: return zf;
    case 1: return !zf;
    case 2: return sf !== of;
    case 3: return sf === of;
    case 4: return zf || sf !== of;
    case 5: return !zf && sf === of;
    case 6: return cf;
    case 7: return !cf;
    default: throw new RangeError(`no condition ${which}`);
  }
}
