import type { EventBase } from './base.js';

/** A VM exit, with its basic exit reason (Intel SDM Vol. 3C Appendix C). */
export interface VmexitEvent extends EventBase {
  readonly type: 'vmexit';
  readonly reason: number;
  readonly qualification: number;
  readonly pc: number;
}

export interface VmentryEvent extends EventBase {
  readonly type: 'vmentry';
  readonly pc: number;
}

export type VmxEvent = VmexitEvent | VmentryEvent;

/** Basic exit reasons used by vlab (Intel SDM Vol. 3C Table C-1). */
export const EXIT_REASONS: Readonly<Record<number, string>> = {
  0: 'EXCEPTION_NMI',
  1: 'EXTERNAL_INTERRUPT',
  7: 'INTERRUPT_WINDOW',
  10: 'CPUID',
  12: 'HLT',
  14: 'INVLPG',
  16: 'RDTSC',
  18: 'VMCALL',
  28: 'CR_ACCESS',
  30: 'IO_INSTRUCTION',
  31: 'RDMSR',
  32: 'WRMSR',
  46: 'GDTR_IDTR_ACCESS',
  48: 'EPT_VIOLATION',
};
