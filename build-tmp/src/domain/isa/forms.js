/**
 * The operand forms of VX32, each declared once: its operands in assembly order, and for
 * each the kind of operand and the encoding field it lives in. The decoder's field checks,
 * the disassembler's operand text and the assembler's operand matching and placement are
 * all derived from `FORMS`.
 *
 * Fields (see table.ts): two nibbles, `rd` (byte 1 low) and `rs` (byte 1 high), and imm32.
 * An immediate lives in imm32; a memory operand is a base nibble plus a displacement in
 * imm32, with NO_BASE in the nibble meaning the absolute address `[imm]`.
 */
const gpr = (nibble) => ({ kind: 'gpr', nibble });
const cr = (nibble) => ({ kind: 'cr', nibble });
const mem = (nibble) => ({ kind: 'mem', nibble });
const CS = { kind: 'cs' };
const IMM = { kind: 'imm' };
const DECLARED = {
    none: { operands: [] }, // hlt
    r: { operands: [gpr('rd')] }, // pop rd · push rs · jmp rs
    i: { operands: [IMM] }, // push imm · jmp label · int n
    rr: { operands: [gpr('rd'), gpr('rs')] }, // add rd, rs
    ri: { operands: [gpr('rd'), IMM] }, // add rd, imm
    load: { operands: [gpr('rd'), mem('rs')] }, // ld rd, [rs+disp]
    store: { operands: [mem('rd'), gpr('rs')] }, // st [rd+disp], rs
    mem: { operands: [mem('rs')] }, // lidt [rs+disp]
    'cr-r': { operands: [cr('rd'), gpr('rs')] }, // mov crN, rs
    'r-cr': { operands: [gpr('rd'), cr('rs')] }, // mov rd, crN
    'r-cs': { operands: [gpr('rd'), CS] }, // mov rd, cs
    'out-i': { operands: [IMM, gpr('rs')] }, // out port, rs · wrmsr n, rs
    'out-r': { operands: [gpr('rd'), gpr('rs')] }, // out rd, rs (port in rd)
};
/**
 * Every operand form, by name.
 *
 * @example
 * FORMS.load.operands // [{ kind: 'gpr', nibble: 'rd' }, { kind: 'mem', nibble: 'rs' }]
 */
export const FORMS = DECLARED;
export const FORM_NAMES = Object.keys(DECLARED);
export const inNibble = (spec) => 'nibble' in spec;
/** Does the operand live (wholly or as a displacement) in imm32? */
const usesImm = (spec) => spec.kind === 'imm' || spec.kind === 'mem';
function checkForm(form, spec) {
    const nibbles = spec.operands.filter(inNibble).map((o) => o.nibble);
    if (new Set(nibbles).size !== nibbles.length)
        throw new Error(`operand forms: ${form} puts two operands in one nibble`);
    if (spec.operands.filter(usesImm).length > 1)
        throw new Error(`operand forms: ${form} puts two operands in imm32`);
}
for (const form of FORM_NAMES)
    checkForm(form, FORMS[form]);
