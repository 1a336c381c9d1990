import { ROW_BY_OPCODE } from '../isa/table.js';
import { COST_KEY_INDEX } from './keys.js';
/** The cost class of an instruction executed by the hardware: what one retired instance costs natively. */
export function costClass(row) {
    switch (row.mnemonic) {
        case 'mul': return 'mul';
        case 'div': return 'div';
        case 'ld':
        case 'ldb':
        case 'st':
        case 'stb': return 'memory';
        case 'push':
        case 'pop':
        case 'call':
        case 'ret':
        case 'pushf':
        case 'popf': return 'stack';
        case 'in':
        case 'out': return 'io';
        case 'add':
        case 'sub':
        case 'and':
        case 'or':
        case 'xor':
        case 'shl':
        case 'shr':
        case 'cmp':
        case 'mov':
        case 'nop': return 'alu';
        default: return row.mnemonic.startsWith('j') ? 'branch' : 'system';
    }
}
/** Cost-key index of each opcode's class (0 for an invalid opcode, which never retires). */
export const OPCODE_COST_KEY = (() => {
    const keys = new Uint8Array(256);
    for (let op = 0; op < 256; op++) {
        const row = ROW_BY_OPCODE[op];
        if (row !== undefined)
            keys[op] = COST_KEY_INDEX[costClass(row)];
    }
    return keys;
})();
export const isPortIo = (opcode) => ROW_BY_OPCODE[opcode]?.mnemonic === 'in' || ROW_BY_OPCODE[opcode]?.mnemonic === 'out';
