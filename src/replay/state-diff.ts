import type { CpuProjection } from '../domain/guest-view.js';
import { guestRegisters } from '../domain/guest-view.js';
import { REG_NAMES } from '../domain/state/layout.js';
import { machineFields, machineKind, vmFields, vmKind, type MachineState } from '../domain/state/schema.js';

const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;
const LIMIT = 8;

/** What differs between two states, field by field as schema.ts declares them. */
export function stateDifference(a: MachineState, b: MachineState): string[] {
  const out = machineFields().flatMap((f) => machineKind(f).diff(f, a[f], b[f], LIMIT));
  a.vms.forEach((vm, i) => {
    const other = b.vms[i];
    if (other === undefined) return;
    const prefix = a.vms.length > 1 ? `vm${i}.` : '';
    for (const f of vmFields()) out.push(...vmKind(f).diff(`${prefix}${f}`, vm[f], other[f], LIMIT));
  });
  return out;
}

/** What differs between two states as their guests see them (each through its mode's projection). */
export function guestDifference(a: MachineState, b: MachineState, projections: readonly [CpuProjection, CpuProjection], vm = 0): string[] {
  const [va, vb] = [a.vms[vm], b.vms[vm]];
  if (va === undefined || vb === undefined) return [`vm ${vm}: ${va === undefined ? 'a' : 'b'} has no such VM`];
  const [ra, rb] = [guestRegisters(va, projections[0]), guestRegisters(vb, projections[1])];
  const registers = REG_NAMES.flatMap((n, i) => (ra[i] === rb[i] ? [] : [`${n}: ${hex(ra[i] ?? 0)} vs ${hex(rb[i] ?? 0)}`]));
  const fields = vmFields().filter((f) => vmKind(f).visibility === 'guest').flatMap((f) => vmKind(f).diff(f, va[f], vb[f], LIMIT));
  return [...registers, ...fields];
}
