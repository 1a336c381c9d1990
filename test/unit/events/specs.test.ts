import { describe, expect, it } from 'vitest';
import { COST_KEYS } from '../../../src/domain/cost/keys.js';
import { CPU_PROFILES } from '../../../src/domain/cost/profile.js';
import { EventBatch } from '../../../src/domain/events/batch.js';
import { EVENT_SPECS, chargesOf, openEvent, priceAt } from '../../../src/domain/events/registry.js';
import type { EventSpec } from '../../../src/domain/events/spec.js';
import { ROW_BY_OPCODE } from '../../../src/domain/isa/table.js';
import { effectCode } from '../../../src/domain/state/schema.js';
import { packBatch, unpackBatch } from '../../../src/replay/codec.js';
import { eventText } from '../../../src/replay/event-text.js';
import { configFor, assembleGuest } from '../../helpers/run.js';

const OPCODES = ROW_BY_OPCODE.flatMap((row) => (row === undefined ? [] : [row.opcode]));
const config = configFor(assembleGuest('hello'), 'native');

/** Payloads of a spec that visit every value of each enum field, every opcode of an instruction word, and a few numbers. */
function samples(spec: EventSpec): Record<string, unknown>[] {
  let out: Record<string, unknown>[] = [{}];
  for (const [name, field] of Object.entries(spec.fields)) {
    const values: unknown[] =
      field.kind === 'enum' ? [...field.values]
      : field.kind === 'hash64' ? ['0123456789abcdef']
      : field.kind === 'extra' ? [config]
      : name === 'word' ? OPCODES
      : field.kind === 'u8' ? [0, 255]
      : field.kind === 'i32' ? [0, -1, 7]
      : [0, 3, 0xffff_ffff];
    out = out.flatMap((p) => values.map((v) => ({ ...p, [name]: v })));
  }
  return out;
}

describe('event specs (issue 7: one spec per event type)', () => {
  it('type codes are unique and every type has a family, a doc and fields', () => {
    expect(new Set(EVENT_SPECS.map((s) => s.code)).size).toBe(EVENT_SPECS.length);
    for (const s of EVENT_SPECS) expect(s.doc.length, s.type).toBeGreaterThan(10);
  });

  for (const spec of EVENT_SPECS) {
    it(`${spec.type}: renders, survives the trace codec field by field, and is priced under every CPU profile`, () => {
      const batch = new EventBatch(100, 4096);
      const payloads = samples(spec).slice(0, 4000);
      for (const p of payloads) {
        openEvent(batch, spec, 0x10, p as never);
        batch.effect(effectCode('cpu.set'), 3, 42);
        batch.close(0);
      }
      const decoded = unpackBatch(packBatch(batch));
      payloads.forEach((p, i) => {
        const event = decoded.at(i) as unknown as Record<string, unknown>;
        expect(event).toMatchObject({ ...p, type: spec.type, seq: 100 + i, vm: 1, vcpu: 0, effects: [{ effect: 'cpu.set', a: 3, b: 42 }] });
        expect(eventText(decoded.at(i))).toMatch(new RegExp(`^#${100 + i} ${spec.type}`));
        for (const cpu of CPU_PROFILES.values()) expect(Number.isFinite(priceAt(decoded, i, cpu))).toBe(true);
      });
    });
  }

  it('every cost key of every CPU profile is charged by some event type (no key is dead)', () => {
    const charged = new Set<number>();
    for (const spec of EVENT_SPECS) for (const p of samples(spec)) chargesOf(spec, p, (k) => charged.add(k));
    expect([...charged].sort((a, b) => a - b).map((k) => COST_KEYS[k])).toEqual([...COST_KEYS]);
    for (const cpu of CPU_PROFILES.values()) expect(Object.keys(cpu.cycles).sort()).toEqual([...COST_KEYS].sort());
  });
});
