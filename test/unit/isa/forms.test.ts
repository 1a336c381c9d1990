import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../../src/domain/asm/index.js';
import { disassemble } from '../../../src/domain/isa/disasm.js';
import { decodeLow, encodeToBytes, fieldsOf, lowWord, type Insn } from '../../../src/domain/isa/encoding.js';
import { FORM_NAMES, FORMS, type Form, type Nibble, type OperandKind } from '../../../src/domain/isa/forms.js';
import { NO_BASE, TABLE, type InsnRow } from '../../../src/domain/isa/table.js';
import { SEED } from '../../helpers/programs.js';

/** The values a nibble may hold, per DESIGN §2a: r0–r7, crN for N in 0 2 3 4 8, a base or NO_BASE. */
const NIBBLE_VALUES: Readonly<Record<OperandKind, readonly number[]>> = {
  gpr: [0, 1, 2, 3, 4, 5, 6, 7],
  cr: [0, 2, 3, 4, 8],
  mem: [0, 1, 2, 3, 4, 5, 6, 7, NO_BASE],
  cs: [0],
  imm: [0],
};

/** What the form puts in a nibble; a nibble no operand lives in must hold 0. */
function allowed(form: Form, nibble: Nibble): readonly number[] {
  const spec = FORMS[form].operands.find((o) => 'nibble' in o && o.nibble === nibble);
  return spec === undefined ? [0] : NIBBLE_VALUES[spec.kind];
}

const hasImm = (form: Form): boolean => FORMS[form].operands.some((o) => o.kind === 'imm' || o.kind === 'mem');

function validInsn(row: InsnRow): fc.Arbitrary<Insn> {
  return fc.record({
    opcode: fc.constant(row.opcode),
    rd: fc.constantFrom(...allowed(row.form, 'rd')),
    rs: fc.constantFrom(...allowed(row.form, 'rs')),
    imm: hasImm(row.form) ? fc.nat({ max: 0xffffffff }) : fc.constant(0),
  });
}

/** Assembles one disassembled line; a symbol for the immediate becomes an `.equ`. */
function reassemble(text: string, symbols: ReadonlyMap<number, string>): number[] {
  const equs = [...symbols].map(([value, name]) => `.equ ${name}, ${value}\n`).join('');
  const result = assemble(`${equs}${text}`, { file: 'forms.s' });
  if (!result.ok) throw new Error(`'${text}' does not reassemble: ${result.errors[0]?.message}`);
  return [...(result.image.segments[0]?.bytes ?? [])];
}

describe('the operand forms (one declaration drives decode, disassembly and assembly)', () => {
  console.log(`fast-check seed ${SEED} (set FC_SEED to replay)`);

  it('every form is used by some row, and every row has a declared form', () => {
    expect(new Set(TABLE.map((r) => r.form))).toEqual(new Set(FORM_NAMES));
  });

  it('every row, valid operands: encode, decode, disassemble and assemble give back the same 8 bytes', () => {
    for (const row of TABLE) {
      fc.assert(
        fc.property(validInsn(row), fc.boolean(), (insn, named) => {
          const bytes = encodeToBytes(insn);
          const lo = lowWord(insn);
          expect(decodeLow(lo)?.name).toBe(row.name);
          expect(fieldsOf(lo, insn.imm)).toEqual(insn);
          const symbols = new Map(named ? [[insn.imm, 'target']] : []);
          expect(reassemble(disassemble(lo, insn.imm, symbols), symbols)).toEqual([...bytes]);
        }),
        { seed: SEED, numRuns: 40 },
      );
    }
  });

  it('every row, every rd and rs nibble: decode accepts exactly the values the form allows', () => {
    for (const row of TABLE) {
      for (let rd = 0; rd < 16; rd++) {
        for (let rs = 0; rs < 16; rs++) {
          const valid = allowed(row.form, 'rd').includes(rd) && allowed(row.form, 'rs').includes(rs);
          expect(decodeLow(lowWord({ opcode: row.opcode, rd, rs, imm: 0 }))?.name, `${row.name} rd=${rd} rs=${rs}`).toBe(valid ? row.name : undefined);
        }
      }
    }
  });

  it('writes each operand kind and immediate style as the listing always has', () => {
    const symbols = new Map([[0x3f8, 'here'], [0x2000, 'data'], [300, 'msr']]);
    const text = (name: string, rd: number, rs: number, imm: number): string => {
      const row = TABLE.find((r) => r.name === name) as InsnRow;
      return disassemble(lowWord({ opcode: row.opcode, rd, rs, imm }), imm, symbols);
    };
    expect(text('JMP_I', 0, 0, 0x3f8)).toBe('jmp here');
    expect(text('MOV_RI', 1, 0, 0x1234)).toBe('mov r1, 0x1234');
    expect(text('PUSH_I', 0, 0, 0x3f8)).toBe('push 0x3f8');
    expect(text('INT', 0, 0, 0x80)).toBe('int 128');
    expect(text('IN_I', 0, 0, 0x3f8)).toBe('in r0, 0x3f8');
    expect(text('OUT_I', 0, 1, 0x20)).toBe('out 0x20, r1');
    expect(text('WRMSR', 0, 2, 300)).toBe('wrmsr 300, r2');
    expect(text('RDMSR', 3, 0, 300)).toBe('rdmsr r3, msr');
    expect(text('LD', 7, 7, -4 >>> 0)).toBe('ld sp, [sp-4]');
    expect(text('ST', NO_BASE, 1, 0x2000)).toBe('st [data], r1');
    expect(text('LIDT', 0, 2, 0)).toBe('lidt [r2]');
    expect(text('MOV_CR_R', 3, 0, 0)).toBe('mov cr3, r0');
    expect(text('MOV_R_CR', 0, 8, 0)).toBe('mov r0, cr8');
    expect(text('MOV_R_CS', 5, 0, 0)).toBe('mov r5, cs');
    expect(text('HLT', 0, 0, 0)).toBe('hlt');
  });

  it('every row: a nonzero byte 2 or 3 is rejected', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TABLE), fc.integer({ min: 1, max: 0xffff }), (row, high) => {
        expect(decodeLow((row.opcode | (high << 16)) >>> 0)).toBeUndefined();
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});
