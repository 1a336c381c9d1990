import { defineEvent, u32 } from './spec.js';
import { hex } from './text.js';
/** Basic exit reasons (Intel SDM Vol. 3C Appendix C). */
export const EXIT_REASONS = {
    0: 'EXCEPTION_NMI', 1: 'EXTERNAL_INTERRUPT', 7: 'INTERRUPT_WINDOW', 10: 'CPUID', 12: 'HLT', 14: 'INVLPG', 16: 'RDTSC',
    18: 'VMCALL', 28: 'CR_ACCESS', 30: 'IO_INSTRUCTION', 31: 'RDMSR', 32: 'WRMSR', 46: 'GDTR_IDTR_ACCESS', 48: 'EPT_VIOLATION',
};
export const vmexit = defineEvent({
    type: 'vmexit',
    code: 14,
    family: 'vmx',
    doc: 'a VM exit, with its basic exit reason and qualification',
    fields: { reason: u32, qualification: u32, pc: u32 },
    accounting: 'none',
    text: (e) => `${EXIT_REASONS[e.reason] ?? e.reason} at ${hex(e.pc)} qualification ${hex(e.qualification)}`,
    guest: () => undefined,
    charge: () => undefined,
});
export const vmentry = defineEvent({
    type: 'vmentry',
    code: 15,
    family: 'vmx',
    doc: 'a VM entry, with the event it injects',
    fields: { pc: u32, injection: u32 },
    accounting: 'none',
    text: (e) => `at ${hex(e.pc)}${e.injection === 0 ? '' : ` injecting ${hex(e.injection)}`}`,
    guest: () => undefined,
    charge: () => undefined,
});
export const VMX_EVENTS = [vmexit, vmentry];
