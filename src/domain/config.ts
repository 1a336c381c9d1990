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
  /**
   * Several VMs on one hypervisor (docs/multi-vm.md): VMs 1..n-1, each with its own guest,
   * input, disk and budget; VM 0 is this config's own. Absent, the run holds one VM.
   */
  readonly extraVms?: readonly VmConfig[];
  /** Several VMs: a time slice, in the VM's own timer counts (instructions retired plus idle steps). */
  readonly quantum?: number;
}

/** What each VM of a run has of its own; the mode, ISA profile, CPU and memory size are the run's. */
export type VmConfig = Pick<RunConfig, 'image' | 'guest' | 'input' | 'disk' | 'maxInsns'>;

export const DEFAULT_QUANTUM = 10_000;
/** At most this many VMs in a run: the event context keeps the VM index in 4 bits. */
export const MAX_VMS = 16;

/** Every VM of a run, VM 0 first. */
export function vmConfigs(config: RunConfig): readonly VmConfig[] {
  return [config, ...(config.extraVms ?? [])];
}

/** The run config one VM's engine sees: the run's mode, profile and CPU with this VM's guest (no other VMs). */
export function vmRunConfig(config: RunConfig, index: number): RunConfig {
  if (index === 0 && config.extraVms === undefined) return config;
  const vm = vmConfigs(config)[index];
  if (vm === undefined) throw new RangeError(`no VM ${index}`);
  const { extraVms: _others, quantum: _quantum, ...run } = config;
  return { ...run, image: vm.image, guest: vm.guest, input: vm.input, disk: vm.disk, maxInsns: vm.maxInsns };
}

export const DEFAULT_MAX_INSNS = 50_000_000;
export const DEFAULT_DISK_BYTES = 64 * 512;
