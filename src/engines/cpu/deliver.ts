import { exception, interrupt, type DELIVERED_BY } from '../../domain/events/guest.js';
import { Flag, IDT_ENTRY_BYTES, IdtFlag, Vector, hasErrorCode } from '../../domain/isa/arch.js';
import { Reg } from '../../domain/state/layout.js';
import { read32, writable, write32 } from './memory.js';
import type { GuestPort } from './port.js';

export type DeliveryKind = 'fault' | 'software' | 'external';
export type DeliveredBy = (typeof DELIVERED_BY)[number];

interface Gate {
  vector: number;
  errorCode: number;
  returnPc: number;
  kind: DeliveryKind;
  handler: number;
}

type Lookup = { readonly found: 'gate'; readonly handler: number } | { readonly found: 'no-gate' | 'denied' | 'fault' };

/** The gate of a vector (docs/machine.md): absent or beyond the limit, closed to `int n` at this CPL, or unreadable. */
function lookup(p: GuestPort, vector: number, kind: DeliveryKind): Lookup {
  if (vector * IDT_ENTRY_BYTES + 7 > p.view.get(Reg.IDTR_LIMIT)) return { found: 'no-gate' };
  const at = (p.view.get(Reg.IDTR_BASE) + vector * IDT_ENTRY_BYTES) >>> 0;
  const handler = read32(p.core, at, false);
  const flags = read32(p.core, at + 4, false);
  if (handler < 0 || flags < 0) return { found: 'fault' };
  if (!(flags & IdtFlag.PRESENT)) return { found: 'no-gate' };
  const dpl = (flags & IdtFlag.DPL_MASK) >>> IdtFlag.DPL_SHIFT;
  return kind === 'software' && dpl < p.view.get(Reg.CPL) ? { found: 'denied' } : { found: 'gate', handler };
}

/** The words of the interrupt frame, pushed in order (docs/machine.md, "Delivery"), and the stack they go on. */
function frame(p: GuestPort, g: Gate): { sp: number; words: number[] } {
  const v = p.view;
  const cpl = v.get(Reg.CPL);
  const words = cpl > 0 ? [v.get(Reg.SP), v.get(Reg.FLAGS), cpl, g.returnPc] : [v.get(Reg.FLAGS), cpl, g.returnPc];
  if (g.kind === 'fault' && hasErrorCode(g.vector)) words.push(g.errorCode);
  return { sp: cpl > 0 ? v.get(Reg.MSR0) : v.get(Reg.SP), words };
}

/**
 * Which delivery actually happens: `int n` to an absent gate or one it may not use becomes
 * #GP(n·8 + 2) at the `int` instruction; any other delivery that finds no gate, or faults
 * reading it or pushing the frame, becomes #DF; a second #DF is a triple fault (undefined).
 */
function resolve(p: GuestPort, vector: number, errorCode: number, returnPc: number, kind: DeliveryKind): Gate | undefined {
  let g: Gate = { vector, errorCode, returnPc, kind, handler: 0 };
  for (;;) {
    const found = lookup(p, g.vector, g.kind);
    if (found.found === 'gate') {
      const candidate = { ...g, handler: found.handler };
      const { sp, words } = frame(p, candidate);
      if (writable(p.core, sp - 4 * words.length, 4 * words.length, false)) return candidate;
    }
    if (g.kind === 'software' && (found.found === 'no-gate' || found.found === 'denied')) {
      g = { vector: Vector.GP, errorCode: g.vector * 8 + 2, returnPc: (g.returnPc - 8) >>> 0, kind: 'fault', handler: 0 };
    } else if (g.vector === Vector.DF && g.kind === 'fault') {
      return undefined;
    } else {
      g = { ...g, vector: Vector.DF, errorCode: 0, kind: 'fault' };
    }
  }
}

/**
 * Delivers an exception, software interrupt or IRQ through the guest's IDT as one event;
 * `before` adds the effects that come with it (the interrupt controller's acknowledge, a
 * wake from hlt). Returns false on a triple fault.
 */
export function deliver(p: GuestPort, vector: number, errorCode: number, returnPc: number, kind: DeliveryKind, cr2: number, by: DeliveredBy, before?: () => void): boolean {
  const g = resolve(p, vector, errorCode, returnPc, kind);
  if (g === undefined) return false;
  const v = p.view;
  const { sp, words } = frame(p, g);
  if (g.kind === 'external') p.log.open(interrupt, p.vmIndex, { vector: g.vector, pc: g.returnPc, via: by });
  else p.log.open(exception, p.vmIndex, { vector: g.vector, errorCode: g.errorCode, pc: g.returnPc, via: by, cause: g.kind });
  before?.();
  if (g.vector === Vector.PF && g.kind === 'fault') v.set(Reg.CR2, cr2);
  let top = sp;
  for (const w of words) {
    top = (top - 4) >>> 0;
    write32(p.core, top, w, false);
  }
  v.set(Reg.SP, top);
  v.set(Reg.FLAGS, v.get(Reg.FLAGS) & ~Flag.IF);
  v.set(Reg.CPL, 0);
  v.set(Reg.PC, g.handler);
  p.log.close();
  return true;
}
