import { Eff } from '../../domain/events/effects.js';
import { Dev } from '../../domain/state/layout.js';
import type { LiveVm } from '../../domain/state/machine.js';
import type { EventLog } from './log.js';

const lowestBit = (bits: number): number => 31 - Math.clz32(bits & -bits);

/** The IRQ line the interrupt controller would deliver now, or -1 (docs/machine.md, "PIC"). */
export function deliverableLine(dev: Int32Array): number {
  const ready = (dev[Dev.PIC_PENDING] as number) & ~(dev[Dev.PIC_MASK] as number) & 0xffff;
  if (ready === 0) return -1;
  const line = lowestBit(ready);
  const inService = dev[Dev.PIC_IN_SERVICE] as number;
  return inService !== 0 && lowestBit(inService) <= line ? -1 : line;
}

export function setDevice(vm: LiveVm, log: EventLog, register: number, value: number): void {
  vm.dev[register] = value;
  log.effect(Eff.DEV, register, value >>> 0);
}

/** Moves a line from pending to in service: the controller's acknowledge cycle. */
export function acknowledge(vm: LiveVm, log: EventLog, line: number): void {
  setDevice(vm, log, Dev.PIC_PENDING, (vm.dev[Dev.PIC_PENDING] as number) & ~(1 << line));
  setDevice(vm, log, Dev.PIC_IN_SERVICE, (vm.dev[Dev.PIC_IN_SERVICE] as number) | (1 << line));
}

export function raiseLine(vm: LiveVm, log: EventLog, line: number): void {
  setDevice(vm, log, Dev.PIC_PENDING, (vm.dev[Dev.PIC_PENDING] as number) | (1 << line));
}
