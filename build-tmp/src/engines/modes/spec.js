/** The classes of sensitive or privileged operation a mode must decide about (issue 7; DESIGN §5). */
export const INTERCEPT_CLASSES = [
    'privileged-instruction', // hlt-free kernel-only instructions: lidt, lgdt, mov crN, invlpg, wrmsr, rdmsr
    'sensitive-unprivileged', // pushf, popf, iret, sgdt, sidt, smsw, mov r,cs: the x86 holes on classic
    'control-register', // mov to or from crN
    'io', // in, out
    'interrupt-flag', // cli, sti
    'page-table-write', // a store to a page the guest uses as a page table
    'page-fault',
    'software-interrupt', // int n
    'halt', // hlt
    'timer-interrupt',
];
/** What happens to an operation of a class. */
export const HANDLINGS = {
    executes: 'runs directly on the hardware (an interrupt or fault is delivered by the hardware through the guest IDT)',
    'faults-to-guest': 'raises a fault the guest handles itself',
    traps: 'traps to the VMM, which emulates or reflects it',
    'vm-exit': 'causes a VM exit to the VMM',
    hypercall: 'is replaced by a hypercall in the modified guest',
    callout: 'is a callout from translated code into the VMM',
    inline: 'is translated into inline code against the virtual CPU',
    emulated: 'is interpreted by the VMM',
};
export function handlingOn(policy, isa) {
    return typeof policy === 'string' ? policy : policy[isa];
}
export function uniform(handling, except = {}) {
    return Object.fromEntries(INTERCEPT_CLASSES.map((c) => [c, except[c] ?? handling]));
}
