import type { CpuProfile } from '../../domain/cost/profile.js';
import { OPCODE_COST_KEY } from '../../domain/cost/classes.js';
import { COST_KEYS, COST_KEY_INDEX } from '../../domain/cost/keys.js';
import type { EventSpec } from '../../domain/events/spec.js';
import { placementOf } from '../../domain/events/registry.js';
import { ROW_BY_OPCODE } from '../../domain/isa/table.js';
import type { RetireTables } from './context.js';
import type { Retirement } from './system.js';

const cache = new Map<string, RetireTables>();

/** The cost keys a payload is charged, one entry per time, sorted. */
function chargeKeys(spec: EventSpec, payload: Record<string, unknown>): number[] {
  const keys: number[] = [];
  spec.charge(payload as never, (k, n = 1) => keys.push(...Array.from({ length: n }, () => COST_KEY_INDEX[k])));
  return keys.sort((a, b) => a - b);
}

/** What one page-walk reference adds to a retiring event's charges: exactly one key (its spec charges `walks` linearly). */
function walkCharge(spec: EventSpec, variantField: string, variant: string, cpu: CpuProfile): { walkKey: number; walkCycles: number } {
  const payload = (walks: number): Record<string, unknown> => ({ pc: 0, word: 0x01, imm: 0, next: 0, walks, [variantField]: variant });
  const extra = [...chargeKeys(spec, payload(1))];
  for (const k of chargeKeys(spec, payload(0))) extra.splice(extra.indexOf(k), 1);
  if (extra.length !== 1) throw new Error(`${spec.type}: one page-walk reference must add exactly one charge`);
  const walkKey = extra[0] as number;
  return { walkKey, walkCycles: cpu.vector[walkKey] as number };
}

/** The core writes retiring events column by column: their specs must keep this layout. */
function checkLayout(spec: EventSpec): void {
  const at = placementOf(spec);
  const expected = { pc: 'a', word: 'b', imm: 'c', next: 'd' } as const;
  for (const [field, column] of Object.entries(expected)) {
    if (at[field]?.column !== column) throw new Error(`${spec.type}: the CPU core expects ${field} in column ${column}`);
  }
  const variant = Object.entries(at).find(([, p]) => p.column === 'variant');
  if (variant === undefined) throw new Error(`${spec.type}: the CPU core expects its variant field`);
}

/**
 * Per-opcode charges of a retiring event type and variant under a CPU profile, derived
 * from the spec's own `charge`: the core adds them instead of calling it per instruction.
 */
export function retireTables(spec: EventSpec, variantIndex: number, cpu: CpuProfile): RetireTables {
  const id = `${spec.type}/${variantIndex}/${cpu.name}`;
  let tables = cache.get(id);
  if (tables !== undefined) return tables;
  checkLayout(spec);
  const variantField = Object.entries(spec.fields).find(([, f]) => f.kind === 'enum') as [string, { values: readonly string[] }];
  const variant = variantField[1].values[variantIndex];
  const cycles = new Float64Array(256);
  const key = new Int32Array(256).fill(-1);
  let extraKey = -2;
  for (let op = 0; op < 256; op++) {
    if (ROW_BY_OPCODE[op] === undefined) continue;
    const charges: number[] = [];
    spec.charge({ pc: 0, word: op, imm: 0, next: 0, walks: 0, [variantField[0]]: variant } as never, (k, n = 1) => {
      for (let i = 0; i < n; i++) charges.push(COST_KEY_INDEX[k]);
      cycles[op] = (cycles[op] as number) + n * (cpu.vector[COST_KEY_INDEX[k]] as number);
    });
    if (charges.length < 1 || charges.length > 2) throw new Error(`${spec.type}: ${charges.length} charges per instruction`);
    key[op] = charges[0] as number;
    const extra = charges[1] ?? -1;
    if (extraKey !== -2 && extra !== extraKey) throw new Error(`${spec.type}/${variant}: the second charge must be the same for every opcode`);
    extraKey = extra;
  }
  const walk = walkCharge(spec, variantField[0], variant as string, cpu);
  tables = { code: spec.code, variant: variantIndex, cycles, ...byClass(`${spec.type}/${variant}`, cycles, key), extraKey, ...walk };
  cache.set(id, tables);
  return tables;
}

/** The per-opcode charges by cost class (the core counts by class): every opcode of a class must be charged alike. */
function byClass(what: string, cycles: Float64Array, key: Int32Array): { classCycles: Float64Array; classKey: Int32Array } {
  const classCycles = new Float64Array(COST_KEYS.length);
  const classKey = new Int32Array(COST_KEYS.length).fill(-1);
  for (let op = 0; op < 256; op++) {
    if (ROW_BY_OPCODE[op] === undefined) continue;
    const k = OPCODE_COST_KEY[op] as number;
    if (classKey[k] === -1) {
      classKey[k] = key[op] as number;
      classCycles[k] = cycles[op] as number;
    } else if (classKey[k] !== key[op] || classCycles[k] !== cycles[op]) {
      throw new Error(`${what}: the ${COST_KEYS[k]} instructions are not all charged alike (opcode 0x${op.toString(16)})`);
    }
  }
  return { classCycles, classKey };
}

/** The tables of a retirement (`insn` by the cpu, `emulate` after a trap…). */
export function retireTablesFor(retirement: Retirement, cpu: CpuProfile): RetireTables {
  const field = Object.values(retirement.spec.fields).find((f) => f.kind === 'enum');
  const index = field?.kind === 'enum' ? field.values.indexOf(retirement.variant) : -1;
  if (index < 0) throw new Error(`${retirement.spec.type} has no variant ${retirement.variant}`);
  return retireTables(retirement.spec, index, cpu);
}
