import fc from 'fast-check';
import type { Step } from '../harness/program.js';

export type Ring = 0 | 1 | 2 | 3;

/** Where a block of code runs: its CPL, the IOPL and IF it starts with. */
export interface RingEntry {
  readonly ring: Ring;
  readonly iopl: Ring;
  readonly interrupts: boolean;
}

export const ring = fc.constantFrom<Ring>(0, 1, 2, 3);
export const ringEntry: fc.Arbitrary<RingEntry> = fc.record({ ring, iopl: ring, interrupts: fc.boolean() });

const flagsOf = (entry: RingEntry): string => `0x${((entry.iopl << 12) | (entry.interrupts ? 0x200 : 0)).toString(16)}`;

/**
 * Runs `instructions` with exactly the rights of `entry.ring`: at CPL 0 after popf sets IOPL and
 * IF, at CPL 1–3 through an iret frame (pc, CPL, flags, sp) built by the kernel, so the
 * block ends with `int SYSCALL` (a DPL 3 gate) back to the kernel. Labels `@x` are made
 * unique per instruction.
 */
export function atRing(entry: RingEntry, instructions: readonly string[]): Step {
  const body = instructions.map((text, i) => text.replace(/@(\w+)/g, `@$1_${i}`));
  if (entry.ring === 0) return [`push ${flagsOf(entry)}`, 'popf', ...body].join('\n');
  return [
    'push USTACK',
    `push ${flagsOf(entry)}`,
    `push ${entry.ring}`,
    'push @ring',
    'iret',
    '@ring:',
    ...body,
    'int SYSCALL',
  ].join('\n');
}

/** A block of one to `maxLength` instructions from `instruction`, at a generated ring. */
export function ringBlock(instruction: fc.Arbitrary<string>, maxLength = 3): fc.Arbitrary<Step> {
  return fc.tuple(ringEntry, fc.array(instruction, { minLength: 1, maxLength })).map(([entry, body]) => atRing(entry, body));
}

const reg = fc.constantFrom('r1', 'r2', 'r3');

/** Reads and writes of pages by rights: user, supervisor, user read-only. */
const pageRights = fc.oneof(
  fc.tuple(reg, fc.constantFrom('USER_DATA', 'KERNEL_DATA', 'USER_RO', 'USTACK - 4')).map(([r, a]) => `ld ${r}, [${a}]`),
  fc.tuple(fc.constantFrom('USER_DATA + 8', 'KERNEL_DATA + 4', 'USER_RO + 4'), reg).map(([a, r]) => `st [${a}], ${r}`),
  fc.constantFrom('push 7\npop r4', 'call @sub\njmp @over\n@sub: ret\n@over:'),
);

/** Instructions whose outcome is decided by CPL or IOPL alone. */
const privilegeProbe = fc.constantFrom(
  'mov r1, cr3', 'mov cr8, r2', 'rdmsr r2, 1', 'wrmsr 2, r3', 'lidt [USER_DATA]', 'invlpg [r1]', 'hlt',
  'cli', 'sti', 'in r1, 0x3fd', 'in r2, 0x21', 'mov r5, 0x2e\nout 0x3f8, r5',
  'mov r4, cs', 'pushf\npop r5',
);

/** A further change of ring from inside a block: iret outward (sp popped) or inward (#GP), a gate of each DPL. */
const ringChange = fc.oneof(
  fc.tuple(ring, fc.constantFrom(0, 0x200, 0x3000, 0x3200)).map(([to, flags]) => `push USTACK - 64\npush ${flags}\npush ${to}\npush @in${to}\niret\n@in${to}:`),
  fc.constantFrom('int SYSCALL', 'int DPL1', 'int DPL2', 'int ABSENT'),
);

/** What code at one ring may and may not do: memory by U bit, privileged and IOPL instructions, CPL, ring changes. */
export const rightsProbe: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: pageRights },
  { weight: 3, arbitrary: privilegeProbe },
  { weight: 1, arbitrary: ringChange },
);

/** Code at each of the four rings with exactly that ring's rights. */
export const ringRights: fc.Arbitrary<Step> = ringBlock(rightsProbe);
