import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../../src/domain/asm/index.js';
import { disassemble } from '../../../src/domain/isa/disasm.js';
import { CONTROL_REGISTERS, decodeLow, encodeToBytes, fieldsOf, lowWord } from '../../../src/domain/isa/encoding.js';
import { GROUPS, NO_BASE, ROW_BY_OPCODE, TABLE, isPrivilegedOn, isVirtualizationHole, rowsInGroup, type Group, type InsnRow } from '../../../src/domain/isa/table.js';
import { SEED } from '../../helpers/programs.js';

function randomFields(row: InsnRow): fc.Arbitrary<{ rd: number; rs: number; imm: number }> {
  const gpr = fc.integer({ min: 0, max: 7 });
  const base = fc.oneof(gpr, fc.constant(NO_BASE));
  const cr = fc.constantFrom(...CONTROL_REGISTERS);
  const imm = fc.integer({ min: 0, max: 0xffffffff });
  const none = fc.constant(0);
  const shapes: Record<InsnRow['form'], [fc.Arbitrary<number>, fc.Arbitrary<number>, fc.Arbitrary<number>]> = {
    none: [none, none, none], i: [none, none, imm], r: [gpr, none, none], ri: [gpr, none, imm], 'r-cs': [gpr, none, none],
    rr: [gpr, gpr, none], 'out-r': [gpr, gpr, none], load: [gpr, base, imm], store: [base, gpr, imm], mem: [none, base, imm],
    'cr-r': [cr, gpr, none], 'r-cr': [gpr, cr, none], 'out-i': [none, gpr, imm],
  };
  const [rd, rs, im] = shapes[row.form];
  return fc.record({ rd, rs, imm: im });
}

describe('the instruction table', () => {
  it('has one row per opcode, opcode 0 is invalid, and every row decodes to itself', () => {
    expect(new Set(TABLE.map((r) => r.opcode)).size).toBe(TABLE.length);
    expect(ROW_BY_OPCODE[0]).toBeUndefined();
    for (const row of TABLE) expect(decodeLow(lowWord({ opcode: row.opcode, rd: 0, rs: row.form === 'cr-r' || row.form === 'r-cr' ? 0 : 0, imm: 0 }))?.name).toBe(row.name);
  });

  it('classifies as DESIGN §2: the holes of classic are popf, pushf, iret, sgdt, sidt, smsw, mov r,cs', () => {
    expect(TABLE.filter(isVirtualizationHole).map((r) => r.name).sort()).toEqual(['IRET', 'MOV_R_CS', 'POPF', 'PUSHF', 'SGDT', 'SIDT', 'SMSW']);
    expect(TABLE.filter((r) => isPrivilegedOn(r, 'classic')).map((r) => r.mnemonic).sort()).toEqual(
      ['hlt', 'invlpg', 'lgdt', 'lidt', 'mov', 'mov', 'rdmsr', 'wrmsr'],
    );
    expect(TABLE.filter((r) => r.sensitivity !== 'innocuous' && r.sensitivity !== 'timing').every((r) => isPrivilegedOn(r, 'virtualizable'))).toBe(true);
  });

  it('puts every row in one group: arithmetic, memory, control or system', () => {
    const mnemonics = (group: Group): string[] => [...new Set(rowsInGroup(group).map((r) => r.mnemonic))].sort();
    expect(mnemonics('arithmetic')).toEqual(['add', 'and', 'cmp', 'div', 'mov', 'mul', 'or', 'shl', 'shr', 'sub', 'xor']);
    expect(mnemonics('memory')).toEqual(['ld', 'ldb', 'pop', 'push', 'st', 'stb']);
    expect(mnemonics('control')).toEqual(['call', 'int', 'iret', 'jae', 'jb', 'jg', 'jge', 'jl', 'jle', 'jmp', 'jnz', 'jz', 'ret']);
    expect(mnemonics('system')).toEqual(
      ['cli', 'cpuid', 'hlt', 'in', 'invlpg', 'lgdt', 'lidt', 'mov', 'nop', 'out', 'popf', 'pushf', 'rdmsr', 'rdtsc', 'sgdt', 'sidt', 'smsw', 'sti', 'vmcall', 'wrmsr'],
    );
    expect(rowsInGroup('system').filter((r) => r.mnemonic === 'mov').map((r) => r.name)).toEqual(['MOV_CR_R', 'MOV_R_CR', 'MOV_R_CS']);
    expect(GROUPS.flatMap(rowsInGroup).map((r) => r.name).sort()).toEqual(TABLE.map((r) => r.name).sort());
  });

  it('every row: encode, decode, disassemble and reassemble give the same bytes', () => {
    for (const row of TABLE) {
      fc.assert(
        fc.property(randomFields(row), ({ rd, rs, imm }) => {
          const insn = { opcode: row.opcode, rd, rs, imm };
          const bytes = encodeToBytes(insn);
          const lo = lowWord(insn);
          expect(decodeLow(lo)?.name).toBe(row.name);
          expect(fieldsOf(lo, imm)).toEqual(insn);
          const text = disassemble(lo, imm);
          const again = assemble(text, { file: 'd.s' });
          if (!again.ok) throw new Error(`${row.name}: '${text}' does not reassemble`);
          expect([...(again.image.segments[0]?.bytes ?? [])]).toEqual([...bytes]);
        }),
        { seed: SEED, numRuns: 30 },
      );
    }
  });

  it('rejects reserved bits and invalid register fields', () => {
    expect(decodeLow(0x0001_0001)).toBeUndefined();
    expect(decodeLow(lowWord({ opcode: 0x01, rd: 8, rs: 0, imm: 0 }))).toBeUndefined();
    expect(decodeLow(lowWord({ opcode: 0x68, rd: 5, rs: 0, imm: 0 }))).toBeUndefined();
  });
});
