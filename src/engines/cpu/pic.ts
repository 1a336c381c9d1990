import { Dev } from '../../domain/state/layout.js';

const lowestBit = (bits: number): number => 31 - Math.clz32(bits & -bits);

/** The IRQ line the interrupt controller would deliver now, or -1 (docs/machine.md, "PIC"). */
export function deliverableLine(dev: Uint32Array): number {
  const ready = (dev[Dev.PIC_PENDING] as number) & ~(dev[Dev.PIC_MASK] as number) & 0xffff;
  if (ready === 0) return -1;
  const line = lowestBit(ready);
  const inService = dev[Dev.PIC_IN_SERVICE] as number;
  return inService !== 0 && lowestBit(inService) <= line ? -1 : line;
}

/** Effects (flat kind, a, b triples) that move a line from pending to in service. */
export function acknowledge(dev: Uint32Array, line: number, devKind: number): number[] {
  return [
    devKind, Dev.PIC_PENDING, (dev[Dev.PIC_PENDING] as number) & ~(1 << line),
    devKind, Dev.PIC_IN_SERVICE, ((dev[Dev.PIC_IN_SERVICE] as number) | (1 << line)) >>> 0,
  ];
}
