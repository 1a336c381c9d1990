import { Eff } from '../../domain/events/effects.js';
import { Dev } from '../../domain/state/layout.js';
const lowestBit = (bits) => 31 - Math.clz32(bits & -bits);
/** The IRQ line the interrupt controller would deliver now, or -1 (docs/machine.md, "PIC"). */
export function deliverableLine(dev) {
    const ready = dev[Dev.PIC_PENDING] & ~dev[Dev.PIC_MASK] & 0xffff;
    if (ready === 0)
        return -1;
    const line = lowestBit(ready);
    const inService = dev[Dev.PIC_IN_SERVICE];
    return inService !== 0 && lowestBit(inService) <= line ? -1 : line;
}
export function setDevice(vm, log, register, value) {
    vm.dev[register] = value;
    log.effect(Eff.DEV, register, value >>> 0);
}
/** Moves a line from pending to in service: the controller's acknowledge cycle. */
export function acknowledge(vm, log, line) {
    setDevice(vm, log, Dev.PIC_PENDING, vm.dev[Dev.PIC_PENDING] & ~(1 << line));
    setDevice(vm, log, Dev.PIC_IN_SERVICE, vm.dev[Dev.PIC_IN_SERVICE] | (1 << line));
}
export function raiseLine(vm, log, line) {
    setDevice(vm, log, Dev.PIC_PENDING, vm.dev[Dev.PIC_PENDING] | (1 << line));
}
