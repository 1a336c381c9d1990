import { exception, interrupt, type DELIVERED_BY } from '../../domain/events/guest.js';
import { Flag, IDT_ENTRY_BYTES, IdtFlag, Vector, hasErrorCode } from '../../domain/isa/arch.js';
import { Reg } from '../../domain/state/layout.js';
import { read32, writable, write32 } from './memory.js';
import type { GuestPort } from './port.js';

export type DeliveryKind = 'fault' | 'software' | 'external';
export type DeliveredBy = (typeof DELIVERED_BY)[number];

/** What lookup finds when there is no usable gate; a gate is its handler address (a u32, ≥ 0). */
const NO_GATE = -1;
const DENIED = -2;
const UNREADABLE = -3;

/** The gate of a vector (docs/machine.md): absent or beyond the limit, closed to `int n` at this CPL, or unreadable. */
function lookup(p: GuestPort, vector: number, kind: DeliveryKind): number {
  if (vector * IDT_ENTRY_BYTES + 7 > p.view.get(Reg.IDTR_LIMIT)) return NO_GATE;
  const at = (p.view.get(Reg.IDTR_BASE) + vector * IDT_ENTRY_BYTES) >>> 0;
  const handler = read32(p.core, at, false);
  const flags = read32(p.core, at + 4, false);
  if (handler < 0 || flags < 0) return UNREADABLE;
  if (!(flags & IdtFlag.PRESENT)) return NO_GATE;
  const dpl = (flags & IdtFlag.DPL_MASK) >>> IdtFlag.DPL_SHIFT;
  return kind === 'software' && dpl < p.view.get(Reg.CPL) ? DENIED : handler;
}

/** The interrupt frame's size in words (docs/machine.md, "Delivery"): SP only from CPL > 0, an error code for some faults. */
const frameWords = (cpl: number, vector: number, kind: DeliveryKind): number => (cpl > 0 ? 4 : 3) + (kind === 'fault' && hasErrorCode(vector) ? 1 : 0);

/** The stack the frame goes on: the kernel's (MSR 0) from CPL > 0. */
const frameStack = (p: GuestPort, cpl: number): number => (cpl > 0 ? p.view.get(Reg.MSR0) : p.view.get(Reg.SP));

/** The delivery resolve settled on, reused: deliver reads it at once (no allocation per delivery). */
const gate = { vector: 0, errorCode: 0, returnPc: 0, kind: 'fault' as DeliveryKind, handler: 0 };

/**
 * Which delivery actually happens: `int n` to an absent gate or one it may not use becomes
 * #GP(n·8 + 2) at the `int` instruction; any other delivery that finds no gate, or faults
 * reading it or pushing the frame, becomes #DF; a second #DF is a triple fault (false).
 * The delivery is left in `gate`.
 */
function resolve(p: GuestPort, vector: number, errorCode: number, returnPc: number, kind: DeliveryKind): boolean {
  const cpl = p.view.get(Reg.CPL);
  for (;;) {
    const found = lookup(p, vector, kind);
    if (found >= 0) {
      const bytes = 4 * frameWords(cpl, vector, kind);
      if (writable(p.core, frameStack(p, cpl) - bytes, bytes, false)) {
        gate.vector = vector;
        gate.errorCode = errorCode;
        gate.returnPc = returnPc;
        gate.kind = kind;
        gate.handler = found;
        return true;
      }
    }
    if (kind === 'software' && (found === NO_GATE || found === DENIED)) {
      errorCode = vector * 8 + 2;
      vector = Vector.GP;
      returnPc = (returnPc - 8) >>> 0;
      kind = 'fault';
    } else if (vector === Vector.DF && kind === 'fault') {
      return false;
    } else {
      vector = Vector.DF;
      errorCode = 0;
      kind = 'fault';
    }
  }
}

/**
 * Delivers an exception, software interrupt or IRQ through the guest's IDT as one event;
 * `before` adds the effects that come with it (the interrupt controller's acknowledge, a
 * wake from hlt). Returns false on a triple fault.
 */
export function deliver(p: GuestPort, vector: number, errorCode: number, returnPc: number, kind: DeliveryKind, cr2: number, by: DeliveredBy, before?: () => void): boolean {
  if (!resolve(p, vector, errorCode, returnPc, kind)) return false;
  const g = { vector: gate.vector, errorCode: gate.errorCode, returnPc: gate.returnPc, kind: gate.kind, handler: gate.handler };
  const v = p.view;
  const cpl = v.get(Reg.CPL);
  const sp0 = v.get(Reg.SP);
  const flags = v.get(Reg.FLAGS);
  const sp = frameStack(p, cpl);
  const withError = g.kind === 'fault' && hasErrorCode(g.vector);
  if (g.kind === 'external') p.log.open(interrupt, p.vmIndex, { vector: g.vector, pc: g.returnPc, via: by });
  else p.log.open(exception, p.vmIndex, { vector: g.vector, errorCode: g.errorCode, pc: g.returnPc, via: by, cause: g.kind });
  before?.();
  if (g.vector === Vector.PF && g.kind === 'fault') v.set(Reg.CR2, cr2);
  let top = sp;
  const push = (word: number): void => {
    top = (top - 4) >>> 0;
    write32(p.core, top, word, false);
  };
  if (cpl > 0) push(sp0);
  push(flags);
  push(cpl);
  push(g.returnPc);
  if (withError) push(g.errorCode);
  v.set(Reg.SP, top);
  v.set(Reg.FLAGS, v.get(Reg.FLAGS) & ~Flag.IF);
  v.set(Reg.CPL, 0);
  v.set(Reg.PC, g.handler);
  p.log.close();
  return true;
}
