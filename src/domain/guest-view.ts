import type { EventBatch } from './events/batch.js';
import { guestSightAt } from './events/registry.js';
import { Hasher } from './state/hash.js';
import { CPU_REGISTERS, Reg } from './state/layout.js';
import { EFFECTS, machineKind, vmFields, vmKind, type MachineState, type VmState } from './state/schema.js';

/**
 * How a mode splits the CPU the guest believes in between the physical CPU and the VMM's
 * virtual CPU (a mode spec declares it). Under ring compression the physical CPU holds
 * the general registers, pc and arithmetic flags while the guest runs; the virtual CPU
 * holds CPL, IF and IOPL, control registers, descriptor tables, MSRs and the halt state.
 */
export interface CpuProjection {
  readonly fromVcpu: readonly number[];
  readonly vcpuFlags: number; // flag bits taken from the virtual CPU
  /** The physical ring the guest's most privileged rings share; there the guest's CPL is the virtual CPU's. */
  readonly compressedRing?: number;
}

export const DIRECT: CpuProjection = { fromVcpu: [], vcpuFlags: 0 };

/** The guest's CPL under a projection. */
export function guestCpl(vm: Cpus, projection: CpuProjection): number {
  const real = vm.cpu[Reg.CPL] as number;
  return real === projection.compressedRing ? (vm.vcpu[Reg.CPL] as number) : real;
}

interface Cpus {
  readonly cpu: ArrayLike<number>;
  readonly vcpu: ArrayLike<number>;
}

/** The CPU the guest believes it has, in the CPU register layout. */
export function guestRegisters(vm: Cpus, projection: CpuProjection, regs = new Uint32Array(CPU_REGISTERS)): Uint32Array {
  const { cpu, vcpu } = vm;
  for (let r = 0; r < regs.length; r++) regs[r] = cpu[r] as number;
  for (const r of projection.fromVcpu) regs[r] = vcpu[r] as number;
  regs[Reg.CPL] = guestCpl(vm, projection);
  if (projection.vcpuFlags !== 0) {
    regs[Reg.FLAGS] = (((cpu[Reg.FLAGS] as number) & ~projection.vcpuFlags) | ((vcpu[Reg.FLAGS] as number) & projection.vcpuFlags)) >>> 0;
  }
  return regs;
}

const GUEST_EFFECT = new Uint8Array(256);
for (const e of EFFECTS) if (e.guestVisible) GUEST_EFFECT[e.code] = 1;

/**
 * What one event showed the guest, as words: what it saw of the event (registry.ts
 * guestSightAt), then its registers after the event as it believes them, then the event's
 * effects on guest-visible fields. Two steps are the same when their words are.
 */
export class GuestStep {
  private words = new Uint32Array(64);
  private length = 0;
  private readonly registers = new Uint32Array(CPU_REGISTERS);

  /** Reads event i of a batch, given its VM after the event; false for the hypervisor's own events. */
  read(batch: EventBatch, i: number, after: Cpus, projection: CpuProjection): boolean {
    let at = guestSightAt(batch, i, this.room(0), 0);
    if (at < 0) return false;
    this.room(at + CPU_REGISTERS).set(guestRegisters(after, projection, this.registers), at);
    at += CPU_REGISTERS;
    for (let e = batch.effectStart[i] as number; e < (batch.effectStart[i + 1] as number); e++) {
      const code = batch.effects[3 * e] as number;
      if (GUEST_EFFECT[code] !== 1) continue;
      const words = this.room(at + 3);
      words[at] = code;
      words[at + 1] = batch.effects[3 * e + 1] as number;
      words[at + 2] = batch.effects[3 * e + 2] as number;
      at += 3;
    }
    this.length = at;
    return true;
  }

  sameAs(other: GuestStep): boolean {
    if (this.length !== other.length) return false;
    for (let k = 0; k < this.length; k++) if (this.words[k] !== other.words[k]) return false;
    return true;
  }

  /** A 53-bit hash of the step: equal steps, equal signatures. */
  signature(): number {
    return new Hasher().words(this.words.subarray(0, this.length)).digestNumber();
  }

  /** The words, with room for `size` of them (sight details and effects vary in number). */
  private room(size: number): Uint32Array {
    if (size + 16 > this.words.length) {
      const grown = new Uint32Array(Math.max(2 * this.words.length, size + 16));
      grown.set(this.words);
      this.words = grown;
    }
    return this.words;
  }
}

/** Hash of everything the guest can observe at the end of a run: equal across equivalent modes. */
export function guestViewHash(state: MachineState, projection: CpuProjection, vmIndex = 0): string {
  const vm = state.vms[vmIndex] as VmState;
  const h = new Hasher().words(guestRegisters(vm, projection));
  for (const f of vmFields()) if (vmKind(f).visibility === 'guest' && f !== 'ended') vmKind(f).hash(h, vm[f]);
  machineKind('outcome').hash(h, vm.ended ?? state.outcome); // one VM of several ends by itself: what it sees is its own end
  return h.digest();
}
