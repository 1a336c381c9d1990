import type { Mode } from '../../src/domain/config.js';
import type { Profile } from '../../src/domain/isa/table.js';

/**
 * Property cells that fail today, each with the divergence class that makes it fail
 * (README.md has the classes, their reproducers in regressions.test.ts and their root
 * causes). The suite runs them as `it.fails`: when the engines are fixed they pass, the
 * suite says so, and the line is deleted here.
 */
export interface KnownFailure {
  readonly mode: Mode;
  readonly profile: Profile;
  readonly family: string;
  readonly classes: readonly string[];
}

const TRAP_EMULATE_VIRTUALIZABLE = { mode: 'trap-emulate', profile: 'virtualizable' } as const;

export const KNOWN_FAILURES: readonly KnownFailure[] = [
  { ...TRAP_EMULATE_VIRTUALIZABLE, family: 'rings', classes: ['ring 1 runs as ring 0'] },
  { ...TRAP_EMULATE_VIRTUALIZABLE, family: 'memory edges', classes: ['ring 1 runs as ring 0', 'frames beyond RAM through paging'] },
  { ...TRAP_EMULATE_VIRTUALIZABLE, family: 'live page tables', classes: ['VMM writes to page tables not synced', 'only the faulting word synced'] },
  { ...TRAP_EMULATE_VIRTUALIZABLE, family: 'software interrupts', classes: ['ring 1 runs as ring 0', 'int 14 taken for a page fault'] },
  { ...TRAP_EMULATE_VIRTUALIZABLE, family: 'interrupts', classes: ['ring 1 runs as ring 0'] },
  { ...TRAP_EMULATE_VIRTUALIZABLE, family: 'sensitive instructions', classes: ['ring 1 runs as ring 0', 'CR4.TSD not enforced'] },
  { ...TRAP_EMULATE_VIRTUALIZABLE, family: 'mixed', classes: ['all of the above'] },
];

export function knownFailure(mode: Mode, profile: Profile, family: string): KnownFailure | undefined {
  return KNOWN_FAILURES.find((k) => k.mode === mode && k.profile === profile && k.family === family);
}
