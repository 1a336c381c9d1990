/**
 * An effect is one state change an event carries: (kind, a, b), three words in the batch's
 * effect pool. Events say what happened; effects say exactly what it changed, so `evolve`
 * needs nothing but the event.
 */
export const Eff = {
  CPU: 1, // a = register index (state/layout.ts Reg), b = value
  VCPU: 2, // the VMM's virtual CPU: a = register index, b = value
  MEM8: 3, // a = guest-physical address, b = byte
  MEM32: 4, // a = guest-physical address, b = word
  DEV: 5, // a = device register index (Dev), b = value
  CONSOLE: 6, // b = byte appended to the console
  DISK_BUFFER: 7, // a = word index in the sector buffer, b = word
  DISK: 8, // a = byte offset in the disk image (word aligned), b = word
  SHADOW_SET: 9, // a = virtual page number, b = shadow entry (ShadowEntry packing)
  SHADOW_CLEAR: 10, // a = virtual page number
  SHADOW_FLUSH: 11,
} as const;
export type EffectKind = (typeof Eff)[keyof typeof Eff];

export interface Effect {
  readonly kind: EffectKind;
  readonly a: number;
  readonly b: number;
}

export const EFFECT_NAMES: Readonly<Record<EffectKind, string>> = {
  1: 'cpu', 2: 'vcpu', 3: 'mem8', 4: 'mem32', 5: 'dev', 6: 'console', 7: 'disk-buffer', 8: 'disk',
  9: 'shadow-set', 10: 'shadow-clear', 11: 'shadow-flush',
};
