import { defineEvent, u32 } from './spec.js';
import { hex } from './text.js';

/** Basic exit reasons (Intel SDM Vol. 3C Appendix C). */
export const EXIT_REASONS: Readonly<Record<number, string>> = {
  0: 'EXCEPTION_NMI', 1: 'EXTERNAL_INTERRUPT', 7: 'INTERRUPT_WINDOW', 10: 'CPUID', 12: 'HLT', 14: 'INVLPG', 16: 'RDTSC',
  18: 'VMCALL', 28: 'CR_ACCESS', 30: 'IO_INSTRUCTION', 31: 'RDMSR', 32: 'WRMSR', 43: 'TPR_BELOW_THRESHOLD', 46: 'GDTR_IDTR_ACCESS', 48: 'EPT_VIOLATION',
};

export const vmexit = defineEvent({
  type: 'vmexit',
  code: 14,
  family: 'vmx',
  doc: 'a VM exit, with its basic exit reason and qualification; the VMM reads both from the VMCS',
  fields: { reason: u32, qualification: u32, pc: u32, address: u32 },
  accounting: 'none',
  text: (e) => `${EXIT_REASONS[e.reason] ?? e.reason} at ${hex(e.pc)} qualification ${hex(e.qualification)}${e.address === 0 ? '' : ` address ${hex(e.address)}`}`,
  charge: (_e, add) => {
    add('vmexit');
    add('vmread', 2); // the handler reads the exit reason and qualification
  },
});

export const vmentry = defineEvent({
  type: 'vmentry',
  code: 15,
  family: 'vmx',
  doc: 'a VM entry, with the event it injects (VM-entry interruption-information, 0 for none)',
  fields: { pc: u32, injection: u32 },
  accounting: 'none',
  text: (e) => `at ${hex(e.pc)}${e.injection === 0 ? '' : ` injecting ${hex(e.injection)}`}`,
  charge: (e, add) => {
    add('vmentry');
    if (e.injection !== 0) add('vmwrite'); // the VMM writes the interruption-information field
  },
});

export const eptFill = defineEvent({
  type: 'ept-fill',
  code: 40,
  family: 'vmx',
  doc: 'the VMM maps a guest-physical page in the EPT after an EPT violation',
  fields: { gpa: u32, hpa: u32 },
  accounting: 'none',
  text: (e) => `${hex(e.gpa)} -> ${hex(e.hpa)}`,
  charge: (_e, add) => add('vmmWork'),
});

export const VMX_EVENTS = [vmexit, vmentry, eptFill] as const;
