import type { Mode } from '../../src/domain/config.js';
import { PROFILES, type Profile } from '../../src/domain/isa/table.js';
import { IMPLEMENTED_MODES } from '../../src/engines/run.js';

/**
 * The adapter between the conformance suite and the modes: which (mode, ISA profile)
 * cells to check and what to expect of each. Today it reads `IMPLEMENTED_MODES`; when
 * the mode registry exists (DESIGN §1: a mode declares the profiles it runs correctly),
 * derive `expectation` from it here and nothing else changes.
 *
 * - `equal`: the mode's guest view must equal native's on every generated program.
 * - `diverges`: the mode is known not to virtualize this profile (trap-and-emulate on
 *   `classic`, Popek & Goldberg 1974); the suite must find a divergence on programs
 *   that use the holes.
 */
export type Expectation = 'equal' | 'diverges';

export interface Cell {
  readonly mode: Mode;
  readonly profile: Profile;
  readonly expectation: Expectation;
}

/** Modes that do not virtualize a profile: their sensitive unprivileged instructions run natively. */
const DOES_NOT_VIRTUALIZE: ReadonlyMap<Mode, readonly Profile[]> = new Map([['trap-emulate', ['classic']]]);

/** native is the reference every other mode is compared with. */
export const CELLS: readonly Cell[] = IMPLEMENTED_MODES.filter((mode) => mode !== 'native').flatMap((mode) =>
  PROFILES.map((profile) => ({ mode, profile, expectation: DOES_NOT_VIRTUALIZE.get(mode)?.includes(profile) ? 'diverges' : 'equal' }) as const),
);

export const cellName = (cell: Cell): string => `${cell.mode} × ${cell.profile}`;
