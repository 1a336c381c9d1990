/**
 * The VX32 instruction table: one row per (mnemonic, operand form). It drives the
 * encoder, decoder, disassembler, assembler and the Popek–Goldberg classification; the
 * operand forms themselves are declared in forms.ts.
 *
 * Encoding (8 bytes, little-endian): byte 0 opcode, byte 1 `rd | rs << 4`,
 * bytes 2–3 zero, bytes 4–7 imm32. A base-register nibble of NO_BASE means an absolute
 * address `[imm]`.
 */

import { FORMS, type Form } from './forms.js';

export type { Form } from './forms.js';

/** An instruction's family: ALU and mov, loads/stores/stack, control transfers (int and iret included), or system. */
export type Group = 'arithmetic' | 'memory' | 'control' | 'system';
export const GROUPS: readonly Group[] = ['arithmetic', 'memory', 'control', 'system'];

/** How an instruction fares in the Popek–Goldberg sense on the `classic` profile. */
export type Privilege =
  | 'none' // runs at any CPL
  | 'kernel' // #GP at CPL > 0
  | 'iopl' // #GP at CPL > IOPL
  | 'tsd'; // #GP at CPL > 0 when CR4.TSD

export type Sensitivity =
  | 'innocuous'
  | 'control' // changes system state (IDTR, CR3, IF…)
  | 'behavior' // result depends on system state (CPL, IF, table bases)
  | 'timing'; // reads time

/** How the disassembler writes an `imm` operand; a memory displacement is always written as 'label'. */
export type ImmStyle =
  | 'label' // the label at that address when the image has one, else as 'number'
  | 'number' // decimal below 256, else hex
  | 'hex'
  | 'decimal';

export interface InsnRow {
  readonly opcode: number;
  readonly name: string; // unique key, e.g. ADD_RI
  readonly mnemonic: string;
  readonly form: Form;
  readonly group: Group;
  readonly privilege: Privilege;
  readonly sensitivity: Sensitivity;
  readonly immStyle: ImmStyle;
}

export type IsaProfile = 'classic' | 'virtualizable';
export const ISA_PROFILES: readonly IsaProfile[] = ['classic', 'virtualizable'];

export const INSN_BYTES = 8;
export const NO_BASE = 0xf;

type Row = readonly [
  opcode: number,
  name: string,
  mnemonic: string,
  form: Form,
  group: Group,
  privilege?: Privilege,
  sensitivity?: Sensitivity,
  immStyle?: ImmStyle,
];

export const CONDITIONS = ['jz', 'jnz', 'jl', 'jge', 'jle', 'jg', 'jb', 'jae'] as const;
export type Condition = (typeof CONDITIONS)[number];

const ROWS = [
  [0x01, 'MOV_RR', 'mov', 'rr', 'arithmetic'],
  [0x02, 'MOV_RI', 'mov', 'ri', 'arithmetic'],
  [0x03, 'LD', 'ld', 'load', 'memory'],
  [0x04, 'LDB', 'ldb', 'load', 'memory'],
  [0x05, 'ST', 'st', 'store', 'memory'],
  [0x06, 'STB', 'stb', 'store', 'memory'],
  [0x10, 'ADD_RR', 'add', 'rr', 'arithmetic'],
  [0x11, 'ADD_RI', 'add', 'ri', 'arithmetic'],
  [0x12, 'SUB_RR', 'sub', 'rr', 'arithmetic'],
  [0x13, 'SUB_RI', 'sub', 'ri', 'arithmetic'],
  [0x14, 'AND_RR', 'and', 'rr', 'arithmetic'],
  [0x15, 'AND_RI', 'and', 'ri', 'arithmetic'],
  [0x16, 'OR_RR', 'or', 'rr', 'arithmetic'],
  [0x17, 'OR_RI', 'or', 'ri', 'arithmetic'],
  [0x18, 'XOR_RR', 'xor', 'rr', 'arithmetic'],
  [0x19, 'XOR_RI', 'xor', 'ri', 'arithmetic'],
  [0x1a, 'SHL_RR', 'shl', 'rr', 'arithmetic'],
  [0x1b, 'SHL_RI', 'shl', 'ri', 'arithmetic'],
  [0x1c, 'SHR_RR', 'shr', 'rr', 'arithmetic'],
  [0x1d, 'SHR_RI', 'shr', 'ri', 'arithmetic'],
  [0x1e, 'MUL_RR', 'mul', 'rr', 'arithmetic'],
  [0x1f, 'MUL_RI', 'mul', 'ri', 'arithmetic'],
  [0x20, 'DIV_RR', 'div', 'rr', 'arithmetic'],
  [0x21, 'DIV_RI', 'div', 'ri', 'arithmetic'],
  [0x22, 'CMP_RR', 'cmp', 'rr', 'arithmetic'],
  [0x23, 'CMP_RI', 'cmp', 'ri', 'arithmetic'],
  [0x30, 'JMP_I', 'jmp', 'i', 'control'],
  [0x31, 'JMP_R', 'jmp', 'r', 'control'],
  [0x32, 'JZ_I', 'jz', 'i', 'control'],
  [0x33, 'JZ_R', 'jz', 'r', 'control'],
  [0x34, 'JNZ_I', 'jnz', 'i', 'control'],
  [0x35, 'JNZ_R', 'jnz', 'r', 'control'],
  [0x36, 'JL_I', 'jl', 'i', 'control'],
  [0x37, 'JL_R', 'jl', 'r', 'control'],
  [0x38, 'JGE_I', 'jge', 'i', 'control'],
  [0x39, 'JGE_R', 'jge', 'r', 'control'],
  [0x3a, 'JLE_I', 'jle', 'i', 'control'],
  [0x3b, 'JLE_R', 'jle', 'r', 'control'],
  [0x3c, 'JG_I', 'jg', 'i', 'control'],
  [0x3d, 'JG_R', 'jg', 'r', 'control'],
  [0x3e, 'JB_I', 'jb', 'i', 'control'],
  [0x3f, 'JB_R', 'jb', 'r', 'control'],
  [0x40, 'JAE_I', 'jae', 'i', 'control'],
  [0x41, 'JAE_R', 'jae', 'r', 'control'],
  [0x48, 'CALL_I', 'call', 'i', 'control'],
  [0x49, 'CALL_R', 'call', 'r', 'control'],
  [0x4a, 'RET', 'ret', 'none', 'control'],
  [0x4b, 'PUSH_R', 'push', 'r', 'memory'],
  [0x4c, 'PUSH_I', 'push', 'i', 'memory', 'none', 'innocuous', 'number'],
  [0x4d, 'POP', 'pop', 'r', 'memory'],
  [0x50, 'PUSHF', 'pushf', 'none', 'system', 'none', 'behavior'],
  [0x51, 'POPF', 'popf', 'none', 'system', 'none', 'control'],
  [0x52, 'CLI', 'cli', 'none', 'system', 'iopl', 'control'],
  [0x53, 'STI', 'sti', 'none', 'system', 'iopl', 'control'],
  [0x54, 'HLT', 'hlt', 'none', 'system', 'kernel', 'control'],
  [0x55, 'NOP', 'nop', 'none', 'system'],
  [0x58, 'INT', 'int', 'i', 'control', 'none', 'innocuous', 'number'],
  [0x59, 'IRET', 'iret', 'none', 'control', 'none', 'control'],
  [0x60, 'IN_I', 'in', 'ri', 'system', 'iopl', 'control', 'hex'],
  [0x61, 'IN_R', 'in', 'rr', 'system', 'iopl', 'control'],
  [0x62, 'OUT_I', 'out', 'out-i', 'system', 'iopl', 'control', 'hex'],
  [0x63, 'OUT_R', 'out', 'out-r', 'system', 'iopl', 'control'],
  [0x68, 'MOV_CR_R', 'mov', 'cr-r', 'system', 'kernel', 'control'],
  [0x69, 'MOV_R_CR', 'mov', 'r-cr', 'system', 'kernel', 'behavior'],
  [0x6a, 'LIDT', 'lidt', 'mem', 'system', 'kernel', 'control'],
  [0x6b, 'LGDT', 'lgdt', 'mem', 'system', 'kernel', 'control'],
  [0x6c, 'SIDT', 'sidt', 'mem', 'system', 'none', 'behavior'],
  [0x6d, 'SGDT', 'sgdt', 'mem', 'system', 'none', 'behavior'],
  [0x6e, 'SMSW', 'smsw', 'r', 'system', 'none', 'behavior'],
  [0x6f, 'MOV_R_CS', 'mov', 'r-cs', 'system', 'none', 'behavior'],
  [0x70, 'INVLPG', 'invlpg', 'mem', 'system', 'kernel', 'control'],
  [0x71, 'RDTSC', 'rdtsc', 'r', 'system', 'tsd', 'timing'],
  [0x72, 'CPUID', 'cpuid', 'none', 'system'],
  [0x73, 'VMCALL', 'vmcall', 'none', 'system'],
  [0x74, 'WRMSR', 'wrmsr', 'out-i', 'system', 'kernel', 'control', 'decimal'],
  [0x75, 'RDMSR', 'rdmsr', 'ri', 'system', 'kernel', 'behavior'],
] as const satisfies readonly Row[];

export type OpName = (typeof ROWS)[number][1];

function toRow([opcode, name, mnemonic, form, group, privilege = 'none', sensitivity = 'innocuous', immStyle = 'label']: Row): InsnRow {
  if (opcode <= 0 || opcode > 0xff) throw new Error(`instruction table: opcode ${opcode} of ${name} out of range`);
  if (privilege !== 'none' && sensitivity === 'innocuous') throw new Error(`instruction table: ${name} is privileged but innocuous`);
  if (immStyle !== 'label' && !FORMS[form].operands.some((o) => o.kind === 'imm')) throw new Error(`instruction table: ${name} has immStyle ${immStyle} but no imm operand`);
  return { opcode, name, mnemonic, form, group, privilege, sensitivity, immStyle };
}

function buildTable(rows: readonly Row[]): readonly InsnRow[] {
  const seenOpcodes = new Set<number>();
  const seenNames = new Set<string>();
  const table = rows.map((r) => {
    const row = toRow(r);
    if (seenOpcodes.has(row.opcode)) throw new Error(`instruction table: duplicate opcode 0x${row.opcode.toString(16)} (${row.name})`);
    if (seenNames.has(row.name)) throw new Error(`instruction table: duplicate name ${row.name}`);
    seenOpcodes.add(row.opcode);
    seenNames.add(row.name);
    return row;
  });
  return table.sort((a, b) => a.opcode - b.opcode);
}

export const TABLE: readonly InsnRow[] = buildTable(ROWS);

/** Row by opcode; undefined for an opcode that decodes to #UD. */
export const ROW_BY_OPCODE: readonly (InsnRow | undefined)[] = (() => {
  const byOpcode: (InsnRow | undefined)[] = new Array<InsnRow | undefined>(256).fill(undefined);
  for (const row of TABLE) byOpcode[row.opcode] = row;
  return byOpcode;
})();

const ROWS_BY_GROUP: Readonly<Record<Group, readonly InsnRow[]>> = {
  arithmetic: TABLE.filter((r) => r.group === 'arithmetic'),
  memory: TABLE.filter((r) => r.group === 'memory'),
  control: TABLE.filter((r) => r.group === 'control'),
  system: TABLE.filter((r) => r.group === 'system'),
};

/**
 * The rows of one group, by opcode.
 *
 * @example
 * rowsInGroup('memory').map((r) => r.name) // ['LD', 'LDB', 'ST', 'STB', 'PUSH_R', 'PUSH_I', 'POP']
 */
export const rowsInGroup = (group: Group): readonly InsnRow[] => ROWS_BY_GROUP[group];

export const MNEMONICS: ReadonlySet<string> = new Set(TABLE.map((r) => r.mnemonic));

/** Assembler aliases, as x86 assemblers accept je for jz. */
export const ALIASES: Readonly<Record<string, string>> = { je: 'jz', jne: 'jnz' };

/** Opcode constants for the CPU core's switch, e.g. `Op.ADD_RI`. */
export const Op = Object.fromEntries(TABLE.map((r) => [r.name, r.opcode])) as Readonly<Record<OpName, number>>;

/**
 * Does the row trap (#GP) when executed deprivileged on this profile? On `virtualizable`
 * every sensitive instruction is privileged (Popek & Goldberg 1974, Theorem 1), except
 * timing, which equivalence excludes.
 */
export function isPrivilegedOn(row: InsnRow, profile: IsaProfile): boolean {
  if (row.privilege === 'kernel') return true;
  if (profile === 'virtualizable') return row.sensitivity === 'control' || row.sensitivity === 'behavior';
  return false;
}

/** Sensitive but unprivileged on `classic`: the holes of Robin & Irvine (2000). */
export function isVirtualizationHole(row: InsnRow): boolean {
  return row.privilege === 'none' && (row.sensitivity === 'control' || row.sensitivity === 'behavior');
}
