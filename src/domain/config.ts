import type { Image } from './image/image.js';
import type { IsaProfile } from './isa/table.js';

/** Everything a run depends on. The same config gives the same events, bit for bit. */
export interface RunConfig {
  readonly image: Image;
  readonly guest: string; // what the user named: a guest name or a path
  readonly mode: string; // a registered mode (engines/modes/registry.ts)
  readonly isa: IsaProfile; // ISA profile: which instructions are privileged
  readonly cpu: string; // CPU cost profile (domain/cost/profiles)
  readonly seed: number;
  readonly maxInsns: number;
  readonly input: string;
  readonly disk: Uint8Array;
  readonly memoryBytes: number;
  readonly vlabVersion: string;
  /** The cost-only TLB model (default on): off, TLB misses cost nothing; the guest sees no difference either way. */
  readonly tlbModel?: boolean;
  /** hardware-assist: VMCS control overrides, `KEY=VALUE,...` (engines/vmx/controls.ts); absent, the first-generation defaults. */
  readonly vmcs?: string;
}

export const DEFAULT_MAX_INSNS = 50_000_000;
export const DEFAULT_DISK_BYTES = 64 * 512;
