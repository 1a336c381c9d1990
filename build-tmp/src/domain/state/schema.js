import { COST_KEYS } from '../cost/keys.js';
import { PAGE_SIZE } from '../isa/arch.js';
import { counter, counts, pages, registers, table, text, value, words } from './fields.js';
import { DEV_NAMES, DISK_BUFFER_WORDS, REG_NAMES } from './layout.js';
/**
 * The machine state, declared once. A VM's fields, then the machine's own; hashing,
 * checkpoints, the state diff, `inspect`, evolve's effects and the guest view all derive
 * from these declarations. A new field (a VMCS, a translation cache…) is one line here.
 */
export const VM_SCHEMA = {
    cpu: registers(REG_NAMES, 'projected'), // the physical CPU while this VM runs
    vcpu: registers(REG_NAMES, 'projected'), // the VMM's virtual CPU (modes that deprivilege the guest)
    dev: registers(DEV_NAMES, 'guest'),
    diskBuffer: words(DISK_BUFFER_WORDS, 'guest'),
    memory: pages((i) => i.memoryBytes, (i, m) => i.segments.forEach((s) => m.writeBytes(s.addr, s.bytes)), 'guest'),
    disk: pages((i) => Math.max(PAGE_SIZE, Math.ceil(i.disk.length / PAGE_SIZE) * PAGE_SIZE), (i, m) => m.writeBytes(0, i.disk), 'guest'),
    shadow: table(1 << 20, 'vmm'), // shadow page table: virtual page number -> shadow entry
    traced: table(1 << 20, 'vmm'), // guest page-table pages the VMM write-protects: frame number -> 1
    console: text('guest'),
    retired: counter('guest'), // guest instructions retired
    ticks: counter('guest'), // timer counts: retired instructions plus idle steps
};
export const MACHINE_SCHEMA = {
    seq: counter('vmm'), // events applied
    cycles: counter('vmm'), // virtual cycles
    ledger: counts(COST_KEYS, 'vmm'), // events charged per cost key: cycles under any CPU profile
    outcome: value('guest', undefined, (o) => (o === undefined ? '' : `${o.reason} ${o.exitCode}`)),
};
export const vmFields = () => Object.keys(VM_SCHEMA);
export const machineFields = () => Object.keys(MACHINE_SCHEMA);
export function vmKind(field) {
    return VM_SCHEMA[field];
}
export function machineKind(field) {
    return MACHINE_SCHEMA[field];
}
/** Every effect kind, by code (from 1, in schema order): the columnar batch stores codes. */
export const EFFECTS = vmFields().flatMap((field) => vmKind(field).ops.map((op) => ({ field, op, name: `${field}.${op.op}`, guestVisible: vmKind(field).visibility === 'guest' }))).map((e, i) => ({ ...e, code: i + 1 }));
const byName = new Map(EFFECTS.map((e) => [e.name, e.code]));
/** The code of an effect by name, for emitters: `effectCode('cpu.set')`. */
export function effectCode(name) {
    const code = byName.get(name);
    if (code === undefined)
        throw new RangeError(`no effect ${name}`);
    return code;
}
export function effectSpec(code) {
    const spec = EFFECTS[code - 1];
    if (spec === undefined)
        throw new RangeError(`unknown effect code ${code}`);
    return spec;
}
