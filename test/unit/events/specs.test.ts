import { describe, expect, it } from 'vitest';
import { COST_KEYS } from '../../../src/domain/cost/keys.js';
import { CPU_PROFILES } from '../../../src/domain/cost/profile.js';
import { EventBatch } from '../../../src/domain/events/batch.js';
import { EVENT_SPECS, chargesOf, guestSightAt, openEvent, priceAt } from '../../../src/domain/events/registry.js';
import { GUEST_SIGHT_KINDS, type EventSpec } from '../../../src/domain/events/spec.js';
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

  it('the guest sees of each event what its spec declares: kind, pc, detail as column values (an enum as its index)', () => {
    const out = new Uint32Array(16);
    for (const spec of EVENT_SPECS) {
      const batch = new EventBatch(0, 4096);
      const payloads = samples(spec).slice(0, 4000);
      for (const p of payloads) {
        openEvent(batch, spec, 0, p as never);
        batch.close(0);
      }
      payloads.forEach((p, i) => {
        const end = guestSightAt(batch, i, out, 1);
        const sight = spec.guest;
        if (sight === undefined) return expect(end, spec.type).toBe(-1);
        const raw = (name: string): number => {
          const f = spec.fields[name];
          return f?.kind === 'enum' ? f.values.indexOf(p[name] as string) : (p[name] as number);
        };
        const detail = sight.detail.map(raw);
        expect([...out.subarray(1, end)], spec.type).toEqual([GUEST_SIGHT_KINDS.indexOf(sight.kind), sight.pc === undefined ? 0 : raw(sight.pc), detail.length, ...detail]);
      });
    }
    expect(EVENT_SPECS.filter((s) => s.guest !== undefined).map((s) => s.type)).toEqual(['insn', 'exception', 'interrupt', 'io', 'irq', 'idle', 'emulate']);
  });

  it('a batch cloned into a reused one is the same events, with nothing left of what the reused one held', () => {
    const [small, big] = [new EventBatch(7, 4096), new EventBatch(0, 4096)];
    for (const spec of EVENT_SPECS) {
      for (const p of samples(spec).slice(0, 40)) {
        openEvent(big, spec, 0x10, p as never);
        for (let k = 0; k < 6; k++) big.effect(effectCode('cpu.set'), k, 1);
        big.close(5);
      }
    }
    for (const p of samples(EVENT_SPECS[0] as EventSpec).slice(0, 3)) {
      openEvent(small, EVENT_SPECS[0] as EventSpec, 0, p as never);
      small.effect(effectCode('cpu.set'), 3, 42);
      small.close(1);
    }
    const copy = small.clone(big.clone());
    expect([copy.start, copy.length, copy.effectCount, copy.extras.size]).toEqual([7, 3, 3, 0]);
    for (let i = 0; i < 3; i++) expect(copy.at(i)).toEqual(small.at(i));
  });

  it('every cost key of every CPU profile is charged by some event type (no key is dead)', () => {
    const charged = new Set<number>();
    for (const spec of EVENT_SPECS) for (const p of samples(spec)) chargesOf(spec, p, (k) => charged.add(k));
    expect([...charged].sort((a, b) => a - b).map((k) => COST_KEYS[k])).toEqual([...COST_KEYS]);
    for (const cpu of CPU_PROFILES.values()) expect(Object.keys(cpu.cycles).sort()).toEqual([...COST_KEYS].sort());
  });
});
