import { COST_KEY_INDEX } from '../../domain/cost/keys.js';
import { placementOf } from '../../domain/events/registry.js';
import { ROW_BY_OPCODE } from '../../domain/isa/table.js';
const cache = new Map();
/** The core writes retiring events column by column: their specs must keep this layout. */
function checkLayout(spec) {
    const at = placementOf(spec);
    const expected = { pc: 'a', word: 'b', imm: 'c', next: 'd' };
    for (const [field, column] of Object.entries(expected)) {
        if (at[field]?.column !== column)
            throw new Error(`${spec.type}: the CPU core expects ${field} in column ${column}`);
    }
    const variant = Object.entries(at).find(([, p]) => p.column === 'variant');
    if (variant === undefined)
        throw new Error(`${spec.type}: the CPU core expects its variant field`);
}
/**
 * Per-opcode charges of a retiring event type and variant under a CPU profile, derived
 * from the spec's own `charge`: the core adds them instead of calling it per instruction.
 */
export function retireTables(spec, variantIndex, cpu) {
    const id = `${spec.type}/${variantIndex}/${cpu.name}`;
    let tables = cache.get(id);
    if (tables !== undefined)
        return tables;
    checkLayout(spec);
    const variantField = Object.entries(spec.fields).find(([, f]) => f.kind === 'enum');
    const variant = variantField[1].values[variantIndex];
    const cycles = new Float64Array(256);
    const key = new Int32Array(256).fill(-1);
    let extraKey = -2;
    for (let op = 0; op < 256; op++) {
        if (ROW_BY_OPCODE[op] === undefined)
            continue;
        const charges = [];
        spec.charge({ pc: 0, word: op, imm: 0, next: 0, [variantField[0]]: variant }, (k, n = 1) => {
            for (let i = 0; i < n; i++)
                charges.push(COST_KEY_INDEX[k]);
            cycles[op] = cycles[op] + n * cpu.vector[COST_KEY_INDEX[k]];
        });
        if (charges.length < 1 || charges.length > 2)
            throw new Error(`${spec.type}: ${charges.length} charges per instruction`);
        key[op] = charges[0];
        const extra = charges[1] ?? -1;
        if (extraKey !== -2 && extra !== extraKey)
            throw new Error(`${spec.type}/${variant}: the second charge must be the same for every opcode`);
        extraKey = extra;
    }
    tables = { code: spec.code, variant: variantIndex, cycles, key, extraKey };
    cache.set(id, tables);
    return tables;
}
/** The tables of a retirement (`insn` by the cpu, `emulate` after a trap…). */
export function retireTablesFor(retirement, cpu) {
    const field = Object.values(retirement.spec.fields).find((f) => f.kind === 'enum');
    const index = field?.kind === 'enum' ? field.values.indexOf(retirement.variant) : -1;
    if (index < 0)
        throw new Error(`${retirement.spec.type} has no variant ${retirement.variant}`);
    return retireTables(retirement.spec, index, cpu);
}
