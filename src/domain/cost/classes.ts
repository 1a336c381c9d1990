import { ROW_BY_OPCODE, type InsnRow } from '../isa/table.js';
import { COST_KEY_INDEX, type CostKey } from './keys.js';

const CLASSES: Readonly<Record<string, CostKey>> = {
  mul: 'mul', div: 'div',
  ld: 'memory', ldb: 'memory', st: 'memory', stb: 'memory',
  push: 'stack', pop: 'stack', call: 'call', ret: 'call',
  pushf: 'flags', popf: 'flags', cli: 'flags', sti: 'flags',
  rdtsc: 'rdtsc', iret: 'iret', in: 'io', out: 'io',
  mov: 'alu', add: 'alu', sub: 'alu', and: 'alu', or: 'alu', xor: 'alu', shl: 'alu', shr: 'alu', cmp: 'alu', nop: 'alu',
};

// A control-register load is one of the serializing privileged instructions; a read of one is not.
const BY_NAME: Readonly<Record<string, CostKey>> = { MOV_CR_R: 'system' };

/** The cost class of an instruction the hardware executes: what one retired instance costs natively. */
export function costClass(row: InsnRow): CostKey {
  return BY_NAME[row.name] ?? CLASSES[row.mnemonic] ?? (row.group === 'control' && row.mnemonic.startsWith('j') ? 'branch' : 'system');
}

/** Cost-key index of each opcode's class (0 for an invalid opcode, which never retires). */
export const OPCODE_COST_KEY: Uint8Array = (() => {
  const keys = new Uint8Array(256);
  for (let op = 0; op < 256; op++) {
    const row = ROW_BY_OPCODE[op];
    if (row !== undefined) keys[op] = COST_KEY_INDEX[costClass(row)];
  }
  return keys;
})();

/** Each opcode's class and whether it is port I/O, looked up once: pricing an event reads them on every slow-path instruction. */
const CLASS_BY_OPCODE: readonly CostKey[] = Array.from({ length: 256 }, (_, op) => (ROW_BY_OPCODE[op] === undefined ? 'system' : costClass(ROW_BY_OPCODE[op] as InsnRow)));
const PORT_IO: Uint8Array = Uint8Array.from({ length: 256 }, (_, op) => (ROW_BY_OPCODE[op]?.mnemonic === 'in' || ROW_BY_OPCODE[op]?.mnemonic === 'out' ? 1 : 0));

export const classOf = (opcode: number): CostKey => CLASS_BY_OPCODE[opcode & 0xff] as CostKey;

export const isPortIo = (opcode: number): boolean => PORT_IO[opcode & 0xff] === 1;
