import { specByTypeStrict } from './events/registry.js';
import { Hasher } from './state/hash.js';
import { CPU_REGISTERS, Reg } from './state/layout.js';
import { EFFECTS, machineKind, vmFields, vmKind } from './state/schema.js';
export const DIRECT = { fromVcpu: [], vcpuFlags: 0 };
/** The guest's CPL under a projection. */
export function guestCpl(vm, projection) {
    const real = vm.cpu[Reg.CPL];
    return real === projection.compressedRing ? vm.vcpu[Reg.CPL] : real;
}
/** The CPU the guest believes it has, in the CPU register layout. */
export function guestRegisters(vm, projection, regs = new Uint32Array(CPU_REGISTERS)) {
    regs.set(vm.cpu);
    for (const r of projection.fromVcpu)
        regs[r] = vm.vcpu[r];
    regs[Reg.CPL] = guestCpl(vm, projection);
    if (projection.vcpuFlags !== 0) {
        regs[Reg.FLAGS] = ((vm.cpu[Reg.FLAGS] & ~projection.vcpuFlags) | (vm.vcpu[Reg.FLAGS] & projection.vcpuFlags)) >>> 0;
    }
    return regs;
}
const GUEST_EFFECT = new Set(EFFECTS.filter((e) => e.guestVisible).map((e) => e.code));
/** The guest's view of an event, given its VM after the event; undefined for the hypervisor's own events. */
export function guestView(event, after, projection) {
    const sight = specByTypeStrict(event.type).guest(event);
    if (sight === undefined)
        return undefined;
    return { ...sight, registers: guestRegisters(after, projection), effects: event.effects.filter((e) => GUEST_EFFECT.has(e.code)) };
}
/** A guest step as one comparable string. */
export function guestStepKey(s) {
    return `${s.kind} ${s.pc} ${s.detail.join(',')} | ${s.registers.join(',')} | ${s.effects.map((e) => `${e.code}:${e.a}=${e.b}`).join(' ')}`;
}
/** Hash of everything the guest can observe at the end of a run: equal across equivalent modes. */
export function guestViewHash(state, projection, vmIndex = 0) {
    const vm = state.vms[vmIndex];
    const h = new Hasher().words(guestRegisters(vm, projection));
    for (const f of vmFields())
        if (vmKind(f).visibility === 'guest')
            vmKind(f).hash(h, vm[f]);
    machineKind('outcome').hash(h, state.outcome);
    return h.digest();
}
