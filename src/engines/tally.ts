import type { CpuProfile } from '../domain/cost/profile.js';
import { COST_KEYS } from '../domain/cost/keys.js';
import type { EventType } from '../domain/events/event.js';
import type { EventBatch } from '../domain/events/batch.js';
import { EVENT_SPECS, chargesAt, opcodeAt, payloadAt, specOf } from '../domain/events/registry.js';
import { EXIT_REASONS, vmentry, vmexit } from '../domain/events/vmx.js';
import { Op } from '../domain/isa/table.js';

/** One row of the VM-exit table: a basic exit reason, its count and its cycles (exit, handler, entry). */
export interface VmExitStat {
  readonly reason: number;
  readonly name: string;
  readonly count: number;
  readonly cycles: number;
}

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
  /** VM exits by basic reason: how many, and the charges from each exit through its VM entry (as `perf kvm stat` times them). */
  private readonly exits = new Map<number, { count: number; cycles: number; ledger: Float64Array }>();
  private inExit: { count: number; cycles: number; ledger: Float64Array } | undefined;

  ledgerOf(code: number): Float64Array {
    let row = this.ledgers.get(code);
    if (row === undefined) this.ledgers.set(code, (row = new Float64Array(COST_KEYS.length)));
    return row;
  }

  /** One event of a type, with its cost, its charges as (key, times) pairs (the first `n` numbers of `charges`) and, for an instruction, its opcode. */
  event(code: number, cost: number, charges: readonly number[], opcode = -1, exitReason = -1, n = charges.length): void {
    if (code === vmexit.code) this.exitStarts(exitReason);
    if (this.inExit !== undefined) {
      this.inExit.cycles += cost;
      for (let k = 0; k < n; k += 2) this.inExit.ledger[charges[k] as number] = (this.inExit.ledger[charges[k] as number] as number) + (charges[k + 1] as number);
      if (code === vmentry.code) this.inExit = undefined;
    }
    this.counts[code] = (this.counts[code] as number) + 1;
    this.cycles[code] = (this.cycles[code] as number) + cost;
    const row = this.ledgerOf(code);
    for (let k = 0; k < n; k += 2) row[charges[k] as number] = (row[charges[k] as number] as number) + (charges[k + 1] as number);
    if (opcode === Op.RDTSC) this.readsTimestamp = true;
  }

  /** Recorded events, as they were charged (fold replay, diff). */
  addBatch(batch: EventBatch): void {
    for (let i = 0; i < batch.length; i++) {
      const code = batch.type[i] as number;
      this.event(code, batch.cost[i] as number, chargesAt(batch, i), opcodeAt(batch, i), code === vmexit.code ? (payloadAt(batch, i).reason as number) : -1);
    }
  }

  private exitStarts(reason: number): void {
    let row = this.exits.get(reason);
    if (row === undefined) this.exits.set(reason, (row = { count: 0, cycles: 0, ledger: new Float64Array(COST_KEYS.length) }));
    row.count++;
    this.inExit = row;
  }

  /** VM exits by reason, most cycles first: count and cycles from exit to entry (priced under `cpu` if given). */
  exitsByReason(cpu?: CpuProfile): VmExitStat[] {
    return [...this.exits]
      .map(([reason, r]) => ({ reason, name: EXIT_REASONS[reason] ?? String(reason), count: r.count, cycles: cpu === undefined ? r.cycles : r.ledger.reduce((sum, n, k) => sum + n * (cpu.vector[k] as number), 0) }))
      .sort((a, b) => b.cycles - a.cycles || a.reason - b.reason);
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

  toJSON(): { counts: [number, number][]; cycles: [number, number][]; ledgers: [number, number[]][]; readsTimestamp: boolean; exits?: [number, number, number, number[]][] } {
    const pairs = (column: Float64Array): [number, number][] => Array.from(column).flatMap((n, code) => (n === 0 ? [] : [[code, n] as [number, number]]));
    return { counts: pairs(this.counts), cycles: pairs(this.cycles), ledgers: [...this.ledgers].map(([code, row]) => [code, Array.from(row)]), readsTimestamp: this.readsTimestamp, ...(this.exits.size === 0 ? {} : { exits: [...this.exits].map(([reason, r]) => [reason, r.count, r.cycles, Array.from(r.ledger)] as [number, number, number, number[]]) }) };
  }

  static fromJSON(json: ReturnType<RunTally['toJSON']>): RunTally {
    const t = new RunTally();
    for (const [code, n] of json.counts) t.counts[code] = n;
    for (const [code, n] of json.cycles) t.cycles[code] = n;
    for (const [code, row] of json.ledgers) t.ledgers.set(code, Float64Array.from(row));
    t.readsTimestamp = json.readsTimestamp;
    for (const [reason, count, cycles, ledger] of json.exits ?? []) t.exits.set(reason, { count, cycles, ledger: Float64Array.from(ledger) });
    return t;
  }

  private byType(column: Float64Array): Partial<Record<EventType, number>> {
    const out: Partial<Record<EventType, number>> = {};
    for (const spec of EVENT_SPECS) if ((this.counts[spec.code] as number) > 0) out[spec.type as EventType] = column[spec.code] as number;
    return out;
  }
}

export const typeName = (code: number): string => specOf(code).type;
