import { FORM_NAMES, FORMS, inNibble } from '../isa/forms.js';
import { checkRange } from './expr.js';
import { evaluate } from './operands.js';
const KIND_SYNTAX = { gpr: 'reg', cr: 'crN', cs: 'cs', imm: 'imm', mem: '[mem]' };
function syntaxOf(form) {
    const operands = FORMS[form].operands.map((spec) => KIND_SYNTAX[spec.kind]);
    return operands.length === 0 ? '(no operands)' : operands.join(', ');
}
/** How each form is written, for error messages, e.g. `reg, [mem]` for `load`. */
export const FORM_SYNTAX = Object.fromEntries(FORM_NAMES.map((f) => [f, syntaxOf(f)]));
/** Do the operands have the form's kinds, in its order? */
export function matches(form, operands) {
    const specs = FORMS[form].operands;
    return specs.length === operands.length && specs.every((spec, i) => operands[i]?.kind === spec.kind);
}
function displacement(op, resolve) {
    const disp = op.disp.length === 0 ? 0 : evaluate(op.disp, resolve, op.col);
    return checkRange(op.negate ? -disp : disp, 32, op.col);
}
function place(insn, spec, op, resolve) {
    const nibble = inNibble(spec) ? spec.nibble : undefined;
    switch (op.kind) {
        case 'gpr':
        case 'cr':
            if (nibble !== undefined)
                insn[nibble] = op.n;
            return;
        case 'cs':
            return;
        case 'imm':
            insn.imm = checkRange(evaluate(op.tokens, resolve, op.col), 32, op.col);
            return;
        case 'mem':
            if (nibble !== undefined)
                insn[nibble] = op.base;
            insn.imm = displacement(op, resolve);
            return;
        default: {
            const unreachable = op;
            return unreachable;
        }
    }
}
/** The fields of the row's instruction, each operand (which `matches` the row's form) placed where the form declares. */
export function operandFields(row, operands, resolve) {
    const insn = { opcode: row.opcode, rd: 0, rs: 0, imm: 0 };
    FORMS[row.form].operands.forEach((spec, i) => {
        const op = operands[i];
        if (op !== undefined)
            place(insn, spec, op, resolve);
    });
    return insn;
}
