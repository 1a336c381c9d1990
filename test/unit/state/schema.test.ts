import { describe, expect, it } from 'vitest';
import { Hasher } from '../../../src/domain/state/hash.js';
import { EFFECTS, vmFields, vmKind } from '../../../src/domain/state/schema.js';
import { initialState } from '../../../src/domain/state/machine.js';
import { assembleGuest, configFor } from '../../helpers/run.js';

const state = initialState(configFor(assembleGuest('hello'), 'native'));
const vm = state.vms[0]!;

describe('machine state, declared once (schema.ts)', () => {
  for (const field of vmFields()) {
    const kind = vmKind(field);
    it(`${field}: every effect on it changes its hash, packs and unpacks to itself, and shows in the diff`, () => {
      const before = vm[field];
      const effects = EFFECTS.filter((e) => e.field === field);
      for (const effect of effects) {
        const live = kind.thaw(before);
        if (effect.op.op === 'clear' || effect.op.op === 'flush') effects.find((e) => e.field === field && e.op.op === 'set')?.op.apply(live, 5, 9);
        effect.op.apply(live, 5, 0x5a);
        const after = kind.freeze(live);
        const pages = new Map<number, Uint8Array>();
        const packed = kind.pack(after, (page) => (pages.set(pages.size, page), pages.size - 1));
        expect(kind.unpack(packed, (id) => pages.get(id)!)).toEqual(after);
        const changed = effect.op.op !== 'flush' && effect.op.op !== 'clear';
        if (changed) {
          expect(new Hasher().digest()).not.toBe(undefined);
          const h = (v: unknown): string => { const x = new Hasher(); kind.hash(x, v); return x.digest(); };
          expect(h(after), effect.name).not.toBe(h(before));
          expect(kind.diff(field, before, after, 8).length, effect.name).toBeGreaterThan(0);
        }
        expect(kind.show(field, after).length).toBeGreaterThan(0);
      }
    });
  }

  it('effect codes are numbered from 1 in schema order and named field.op', () => {
    EFFECTS.forEach((e, i) => {
      expect(e.code).toBe(i + 1);
      expect(e.name).toBe(`${e.field}.${e.op.op}`);
    });
  });
});
