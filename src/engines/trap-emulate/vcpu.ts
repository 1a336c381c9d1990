import { EventBatch } from '../../domain/events/batch.js';
import { Eff, type EffectKind } from '../../domain/events/effects.js';
import { guestRegisters } from '../../domain/guest-view.js';
import { ALU_FLAGS, Flag } from '../../domain/isa/arch.js';
import { CPU_REGISTERS, Reg } from '../../domain/state/layout.js';
import type { Machine } from '../../domain/state/machine.js';

/**
 * Ring compression (Robin & Irvine 2000): the deprivileged guest kernel runs at CPL 1, so
 * the CPU the guest believes in is split between the real CPU and the VMM's virtual CPU
 * (domain/guest-view.ts `guestRegisters` assembles it); real CPL 1 is guest CPL 0.
 */
export const guestCpl = (realCpl: number): number => (realCpl === 1 ? 0 : realCpl);

/** The VMM keeps IF set on the real CPU while the guest runs, so every interrupt reaches it. */
export const REAL_FLAGS = Flag.IF;

/**
 * Writes an effect on the virtual register file as effects on the real CPU and the VMM's
 * virtual CPU: the inverse of `project`. Returns true when the guest's paging changed
 * (CR0 or CR3 written), which invalidates the shadow page table.
 */
export function splitEffect(out: EventBatch, reg: number, value: number): boolean {
  if (reg <= Reg.PC) {
    out.effect(Eff.CPU, reg, value);
    return false;
  }
  switch (reg) {
    case Reg.FLAGS:
      out.effect(Eff.CPU, Reg.FLAGS, ((value & ALU_FLAGS) | REAL_FLAGS) >>> 0);
      out.effect(Eff.VCPU, Reg.FLAGS, value);
      return false;
    case Reg.CPL:
      out.effect(Eff.CPU, Reg.CPL, value === 0 ? 1 : value);
      return false;
    default:
      out.effect(Eff.VCPU, reg, value);
      return reg === Reg.CR0 || reg === Reg.CR3;
  }
}

/**
 * A scratch register file and batch on which the shared CPU core executes on the guest's
 * behalf; `relay` copies each event it commits into the real batch, split by `splitEffect`.
 */
export class VirtualCpuView {
  readonly regs = new Uint32Array(CPU_REGISTERS);
  readonly scratch = new EventBatch(0, 16);
  pagingChanged = false;
  overhead = 0;

  constructor(
    private readonly m: Machine,
    private readonly real: EventBatch,
    private readonly apply: (i: number) => void,
  ) {}

  refresh(): Uint32Array {
    this.scratch.clear(0);
    this.pagingChanged = false;
    return guestRegisters(this.m, 'trap-emulate', this.regs);
  }

  readonly relay = (i: number): void => {
    const s = this.scratch;
    const out = this.real;
    out.open(s.type[i] as number, s.a[i] as number, s.b[i] as number, s.c[i] as number, s.d[i] as number);
    for (let e = s.effectStart[i] as number; e < (s.effectStart[i + 1] as number); e++) {
      const kind = s.effects[3 * e] as number;
      const a = s.effects[3 * e + 1] as number;
      const b = s.effects[3 * e + 2] as number;
      if (kind === Eff.CPU) this.pagingChanged = splitEffect(out, a, b) || this.pagingChanged;
      else out.effect(kind as EffectKind, a, b);
    }
    this.apply(out.close((s.cost[i] as number) + this.overhead));
    this.overhead = 0;
    guestRegisters(this.m, 'trap-emulate', this.regs);
    s.clear(0);
  };
}
