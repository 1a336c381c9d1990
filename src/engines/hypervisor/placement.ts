import { vmConfigs, type RunConfig } from '../../domain/config.js';

/** Host-physical memory below this is the hypervisor's own (code, data, its page tables): no VM's RAM is placed there. */
export const HYPERVISOR_BYTES = 0x40_0000;
/** VMs' RAM is placed on 4 MiB boundaries (one page-directory entry of host paging each). */
const ALIGN = 0x40_0000;

/** One VM's RAM in host-physical memory: [base, base + size). */
export interface Placement {
  readonly vm: number;
  readonly base: number;
  readonly size: number;
}

/**
 * Where the hypervisor places each VM's RAM in host-physical memory: disjoint ranges in
 * VM order above its own. A guest-physical address beyond its VM's RAM raises #GP before
 * any access (docs/machine.md), and every VM's memory is its own state field, so no
 * access of one VM can reach another's range: isolation by construction (docs/multi-vm.md).
 */
export function hostPlacement(config: RunConfig): Placement[] {
  const stride = Math.ceil(config.memoryBytes / ALIGN) * ALIGN;
  return vmConfigs(config).map((_, vm) => ({ vm, base: HYPERVISOR_BYTES + vm * stride, size: config.memoryBytes }));
}

export function placementText(p: Placement): string {
  const hex = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;
  return `${hex(p.base)}-${hex(p.base + p.size - 1)}`;
}
