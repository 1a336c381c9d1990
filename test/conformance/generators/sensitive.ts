import fc from 'fast-check';
import type { Step } from '../harness/program.js';
import { atRing, ringBlock, type Ring } from './rings.js';

const FLAG_IMAGES = [0, 0x200, 0x3000, 0x3200, 0x1201, 0x8c1] as const;

/**
 * Every sensitive instruction of the table (DESIGN §2) with operands that leave the
 * harness working when it runs at CPL 0: descriptor tables reloaded with the same
 * values, ESP0 rewritten with itself, CR3 reloaded. rdtsc is left out here (timing
 * is excluded from equivalence); `disabledRdtsc` has it where it must fault.
 */
export const sensitiveInstruction: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('pushf\npop r1', 'sgdt [USER_DATA + 16]', 'sidt [USER_DATA + 24]', 'smsw r2', 'mov r3, cs', 'cli', 'sti', 'hlt'),
  fc.constantFrom(...FLAG_IMAGES).map((f) => `push ${f}\npopf`),
  fc.tuple(fc.constantFrom(...FLAG_IMAGES), fc.constantFrom(0, 3)).map(([f, to]) => `push USTACK - 32\npush ${f}\npush ${to}\npush @back\niret\n@back:`),
  fc.constantFrom('in r1, 0x3fd', 'in r2, 0x21', 'in r3, 0x20', 'in r4, 0x40', 'mov r5, 0x21\nin r1, r5'),
  fc.constantFrom('mov r5, 0x41\nout 0x3f8, r5', 'mov r5, 0\nout 0x21, r5', 'out 0x20, r5', 'mov r4, 0x3f8\nout r4, r4'),
  fc.constantFrom(
    'mov r1, cr0\nmov cr0, r1', 'mov r1, cr0\nxor r1, 0x10000\nmov cr0, r1', 'mov r2, cr3\nmov cr3, r2', 'mov cr2, r3', 'mov r4, cr2',
    'mov r1, cr4\nxor r1, 4\nmov cr4, r1', 'mov r5, 9\nmov cr8, r5', 'mov r5, cr8',
  ),
  fc.constantFrom('lidt [USER_DATA]', 'lgdt [USER_DATA + 8]', 'mov r1, DATA_PAGES\ninvlpg [r1]', 'invlpg [0x400000]'),
  fc.constantFrom(0, 1, 2, 3).map((n) => `rdmsr r2, ${n}`),
  fc.constantFrom('mov r1, KSTACK\nwrmsr 0, r1', 'mov r1, 0x1234\nwrmsr 3, r1'),
  fc.constantFrom(0, 1, 0x40000000).map((leaf) => `mov r0, ${leaf}\ncpuid`),
  fc.constant('vmcall'),
);

/**
 * rdtsc only where it must fault: at CPL 1–3 right after the kernel sets CR4.TSD, so no
 * time is read and the #GP is compared like any other exception.
 */
export const disabledRdtsc: fc.Arbitrary<Step> = fc
  .tuple(fc.constantFrom<Ring>(1, 2, 3), fc.constantFrom<Ring>(0, 3))
  .map(([ring, iopl]) => `mov r1, cr4\nor r1, 4\nmov cr4, r1\n${atRing({ ring, iopl, interrupts: false }, ['rdtsc r2'])}`);

/** Sensitive instructions at every ring. */
export const sensitiveAtRing: fc.Arbitrary<Step> = fc.oneof({ weight: 6, arbitrary: ringBlock(sensitiveInstruction) }, { weight: 1, arbitrary: disabledRdtsc });

/**
 * The holes of the classic profile (Robin & Irvine 2000) at CPL 0: sensitive but not
 * privileged there, so a deprivileged kernel runs them natively and sees or changes the
 * real CPU's state instead of its own; and iret to ring 3, which cannot restore IF there.
 */
export const classicHole: fc.Arbitrary<Step> = fc.oneof(
  fc.constantFrom('pushf\npop r1', 'push 0x200\npopf', 'push 0x3000\npopf', 'sgdt [USER_DATA + 16]', 'sidt [USER_DATA + 24]', 'smsw r2', 'mov r3, cs'),
  fc.constant(atRing({ ring: 3, iopl: 0, interrupts: true }, ['nop'])),
);
