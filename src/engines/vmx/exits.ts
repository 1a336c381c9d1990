import { Op } from '../../domain/isa/table.js';
import { Reg } from '../../domain/state/layout.js';
import type { VmxControls } from './controls.js';

/** Basic exit reasons vlab raises (SDM Vol. 3C Appendix C; names in domain/events/vmx.ts). */
export const ExitReason = {
  EXCEPTION_NMI: 0, EXTERNAL_INTERRUPT: 1, INTERRUPT_WINDOW: 7, CPUID: 10, HLT: 12, INVLPG: 14, RDTSC: 16, VMCALL: 18,
  CR_ACCESS: 28, IO_INSTRUCTION: 30, RDMSR: 31, WRMSR: 32, TPR_BELOW_THRESHOLD: 43, GDTR_IDTR_ACCESS: 46, EPT_VIOLATION: 48,
} as const;

export interface InstructionExit {
  readonly reason: number;
  readonly qualification: number;
}

/** Control-register access qualification (SDM Table 27-3): CR number, access type (0 to CR, 1 from CR), register. */
const crQualification = (cr: number, fromCr: boolean, gpr: number): number => (cr | ((fromCr ? 1 : 0) << 4) | (gpr << 8)) >>> 0;

/** I/O qualification (SDM Table 27-5): size 4 (3), direction (1 in), immediate operand, port. */
const ioQualification = (port: number, into: boolean, immediate: boolean): number => (3 | ((into ? 1 : 0) << 3) | ((immediate ? 1 : 0) << 6) | ((port & 0xffff) << 16)) >>> 0;

/**
 * Does this system instruction (word `lo`, `imm`) exit under these controls, and with what
 * reason and qualification? `get` reads the guest's registers; `shadow(cr)` is the CR0 or
 * CR4 read shadow. Called after the instruction's privilege checks passed (they come first on VT-x).
 * A CR8 access with the TPR shadow and no CR8 exiting does not exit here: it is served by
 * the virtual-APIC TPR, and a write below the TPR threshold exits after it (`tprBelowThreshold`).
 */
export function instructionExit(c: VmxControls, lo: number, imm: number, get: (reg: number) => number, shadow: (cr: 0 | 4) => number): InstructionExit | undefined {
  const op = lo & 0xff;
  const rd = (lo >>> 8) & 0xf;
  const rs = (lo >>> 12) & 0xf;
  const exit = (reason: number, qualification = 0): InstructionExit => ({ reason, qualification });
  switch (op) {
    case Op.HLT: return c.hltExiting ? exit(ExitReason.HLT) : undefined;
    case Op.INVLPG: return c.invlpgExiting ? exit(ExitReason.INVLPG, ((rs === 0xf ? 0 : get(rs)) + imm) >>> 0) : undefined;
    case Op.RDTSC: return c.rdtscExiting ? exit(ExitReason.RDTSC) : undefined;
    case Op.CPUID: return exit(ExitReason.CPUID); // unconditional on VT-x
    case Op.VMCALL: return exit(ExitReason.VMCALL); // unconditional
    case Op.RDMSR: return c.msrExiting ? exit(ExitReason.RDMSR) : undefined;
    case Op.WRMSR: return c.msrExiting ? exit(ExitReason.WRMSR) : undefined;
    case Op.LIDT: case Op.LGDT: case Op.SIDT: case Op.SGDT: return c.descriptorTableExiting ? exit(ExitReason.GDTR_IDTR_ACCESS) : undefined;
    case Op.IN_I: case Op.IN_R: case Op.OUT_I: case Op.OUT_R: {
      const into = op === Op.IN_I || op === Op.IN_R;
      const immediate = op === Op.IN_I || op === Op.OUT_I;
      const port = (immediate ? imm : get(into ? rs : rd)) & 0xffff;
      const exits = c.io === 'all' || (c.io !== 'none' && c.io === port);
      return exits ? exit(ExitReason.IO_INSTRUCTION, ioQualification(port, into, immediate)) : undefined;
    }
    case Op.MOV_CR_R: { // mov crN, rs
      const q = crQualification(rd, false, rs);
      if (rd === 3) return c.cr3LoadExiting ? exit(ExitReason.CR_ACCESS, q) : undefined;
      if (rd === 8) return c.cr8LoadExiting ? exit(ExitReason.CR_ACCESS, q) : undefined;
      if (rd === 0) return ((get(rs) ^ shadow(0)) & c.cr0Mask) !== 0 ? exit(ExitReason.CR_ACCESS, q) : undefined;
      if (rd === 4) return ((get(rs) ^ shadow(4)) & c.cr4Mask) !== 0 ? exit(ExitReason.CR_ACCESS, q) : undefined;
      return undefined;
    }
    case Op.MOV_R_CR: { // mov rd, crN: CR0 and CR4 reads see the read shadows' owned bits, never exit
      const q = crQualification(rs, true, rd);
      if (rs === 3) return c.cr3StoreExiting ? exit(ExitReason.CR_ACCESS, q) : undefined;
      if (rs === 8) return c.cr8StoreExiting ? exit(ExitReason.CR_ACCESS, q) : undefined;
      return undefined;
    }
    default: return undefined; // pushf, popf, cli, sti, iret, int, smsw, mov r,cs: the guest's own, in non-root mode
  }
}

/** A guest write of CR8 served by the TPR shadow that took the virtual TPR below the threshold: a trap-like exit (SDM §25.4.1, simplified: no APIC, the threshold alone). */
export function tprBelowThreshold(c: VmxControls, lo: number, get: (reg: number) => number): boolean {
  const op = lo & 0xff;
  if (op !== Op.MOV_CR_R || ((lo >>> 8) & 0xf) !== 8 || !c.useTprShadow || c.cr8LoadExiting) return false;
  return (get((lo >>> 12) & 0xf) & 0xf) < c.tprThreshold;
}

/** A read of CR0 or CR4 in non-root mode: unowned bits from the register, owned bits from the read shadow (SDM §25.3). */
export const shadowedRead = (value: number, mask: number, shadow: number): number => ((value & ~mask) | (shadow & mask)) >>> 0;

export const guestCr0 = (cpu: Int32Array): number => (cpu[Reg.CR0] as number) >>> 0;
