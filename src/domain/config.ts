import type { Image } from './image/image.js';
import type { Profile } from './isa/table.js';

export const MODES = ['native', 'emulate', 'trap-emulate', 'binary-translation', 'hardware-assist', 'paravirt', 'hybrid'] as const;
export type Mode = (typeof MODES)[number];

/** Everything a run depends on. The same config gives the same events, bit for bit. */
export interface RunConfig {
  readonly image: Image;
  readonly guest: string; // what the user named: a guest name or a path
  readonly mode: Mode;
  readonly profile: Profile;
  readonly seed: number;
  readonly maxInsns: number;
  readonly input: string;
  readonly disk: Uint8Array;
  readonly memoryBytes: number;
  readonly cpu: string; // cost profile name (src/domain/cost)
  readonly vlabVersion: string;
}

export const DEFAULT_MAX_INSNS = 50_000_000;
export const DEFAULT_DISK_BYTES = 64 * 512;
