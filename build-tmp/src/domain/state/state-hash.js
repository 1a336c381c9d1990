import { Hasher } from './hash.js';
import { machineFields, machineKind, vmFields, vmKind } from './schema.js';
export function hashVm(h, vm) {
    for (const f of vmFields())
        vmKind(f).hash(h, vm[f]);
    return h;
}
/** Hash of everything in the state, field by field as schema.ts declares it: equal hashes mean equal machines. */
export function stateHash(s) {
    const h = new Hasher();
    for (const f of machineFields())
        machineKind(f).hash(h, s[f]);
    h.word(s.vms.length);
    for (const vm of s.vms)
        hashVm(h, vm);
    return h.digest();
}
