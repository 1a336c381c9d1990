import { ISA_PROFILES, type IsaProfile } from '../../src/domain/isa/table.js';
import { MODES } from '../../src/engines/modes/registry.js';
import type { ModeVariant } from '../../src/engines/modes/spec.js';

/**
 * Which (mode, ISA profile) cells to check and what to expect of each, from the mode
 * registry: a mode joins the suite by being registered, and its `correctOn` says where
 * it claims equivalence with native.
 *
 * - `equal`: the mode's guest view must equal native's on every generated program.
 * - `diverges`: the mode does not claim this profile (trap-and-emulate on `classic`,
 *   Popek & Goldberg 1974); the suite must find a divergence on programs that use the holes.
 */
export type Expectation = 'equal' | 'diverges';

export interface Cell {
  readonly mode: string;
  readonly profile: IsaProfile;
  readonly expectation: Expectation;
  /** A configuration variant the mode declares (hardware-assist with EPT), else its defaults. */
  readonly variant?: ModeVariant;
}

/**
 * native is the reference every other mode is compared with. A mode for modified guests
 * (paravirt) cannot run the unmodified programs the suite generates: it has no cell, and
 * its equivalence is tested at the output of the guests built for it (test/e2e/paravirt.test.ts).
 */
export const CELLS: readonly Cell[] = MODES.filter((m) => m.name !== 'native' && !m.modifiedGuest).flatMap((m) =>
  [undefined, ...(m.variants ?? [])].flatMap((variant) =>
    ISA_PROFILES.map((profile): Cell => ({ mode: m.name, profile, expectation: m.correctOn.includes(profile) ? 'equal' : 'diverges', ...(variant === undefined ? {} : { variant }) })),
  ),
);

export const cellName = (cell: Cell): string => `${cell.mode}${cell.variant === undefined ? '' : ` (${cell.variant.label})`} × ${cell.profile}`;
