import type { CpuProfile } from '../domain/cost/profile.js';
import { COST_KEYS } from '../domain/cost/keys.js';
import type { EventType } from '../domain/events/event.js';
import type { EventBatch } from '../domain/events/batch.js';
import { EVENT_SPECS, chargesAt, opcodeAt, specOf } from '../domain/events/registry.js';
import { Op } from '../domain/isa/table.js';

/**
 * What a run did, by event type: events, cycles, and the cost components charged (a
 * ledger per type), so the same run can be priced under any CPU profile without running
 * it again. Kept by the live run (bare or evented) and rebuilt from recorded events alike.
 */
export class RunTally {
  readonly counts = new Float64Array(256);
  readonly cycles = new Float64Array(256);
  private readonly ledgers = new Map<number, Float64Array>();
  /** Did the guest read the time-stamp counter? Then its run may depend on the CPU profile. */
  readsTimestamp = false;

  ledgerOf(code: number): Float64Array {
    let row = this.ledgers.get(code);
    if (row === undefined) this.ledgers.set(code, (row = new Float64Array(COST_KEYS.length)));
    return row;
  }

  /** One event of a type, with its cost, its charges as (key, times) pairs and, for an instruction, its opcode. */
  event(code: number, cost: number, charges: readonly number[], opcode = -1): void {
    this.counts[code] = (this.counts[code] as number) + 1;
    this.cycles[code] = (this.cycles[code] as number) + cost;
    const row = this.ledgerOf(code);
    for (let k = 0; k < charges.length; k += 2) row[charges[k] as number] = (row[charges[k] as number] as number) + (charges[k + 1] as number);
    if (opcode === Op.RDTSC) this.readsTimestamp = true;
  }

  /** Recorded events, as they were charged (fold replay, diff). */
  addBatch(batch: EventBatch): void {
    for (let i = 0; i < batch.length; i++) {
      const code = batch.type[i] as number;
      this.event(code, batch.cost[i] as number, chargesAt(batch, i), opcodeAt(batch, i));
    }
  }

  /** Events of one type counted in bulk (a CPU core's retired instructions). */
  bulk(code: number, count: number, cycles: number): void {
    this.counts[code] = (this.counts[code] as number) + count;
    this.cycles[code] = (this.cycles[code] as number) + cycles;
  }

  countsByType(): Partial<Record<EventType, number>> {
    return this.byType(this.counts);
  }

  cyclesByType(cpu?: CpuProfile): Partial<Record<EventType, number>> {
    if (cpu === undefined) return this.byType(this.cycles);
    const priced = new Float64Array(256);
    for (const [code, row] of this.ledgers) priced[code] = row.reduce((sum, n, k) => sum + n * (cpu.vector[k] as number), 0);
    return this.byType(priced);
  }

  toJSON(): { counts: [number, number][]; cycles: [number, number][]; ledgers: [number, number[]][]; readsTimestamp: boolean } {
    const pairs = (column: Float64Array): [number, number][] => Array.from(column).flatMap((n, code) => (n === 0 ? [] : [[code, n] as [number, number]]));
    return { counts: pairs(this.counts), cycles: pairs(this.cycles), ledgers: [...this.ledgers].map(([code, row]) => [code, Array.from(row)]), readsTimestamp: this.readsTimestamp };
  }

  static fromJSON(json: ReturnType<RunTally['toJSON']>): RunTally {
    const t = new RunTally();
    for (const [code, n] of json.counts) t.counts[code] = n;
    for (const [code, n] of json.cycles) t.cycles[code] = n;
    for (const [code, row] of json.ledgers) t.ledgers.set(code, Float64Array.from(row));
    t.readsTimestamp = json.readsTimestamp;
    return t;
  }

  private byType(column: Float64Array): Partial<Record<EventType, number>> {
    const out: Partial<Record<EventType, number>> = {};
    for (const spec of EVENT_SPECS) if ((this.counts[spec.code] as number) > 0) out[spec.type as EventType] = column[spec.code] as number;
    return out;
  }
}

export const typeName = (code: number): string => specOf(code).type;
