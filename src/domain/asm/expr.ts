import { ASM_LIMITS } from './limits.js';
import { LineError } from './errors.js';
import type { Token } from './lexer.js';

/** Looks a symbol up; undefined when it is not (yet) defined. */
export type Resolve = (name: string, col: number) => number | undefined;

const BINARY: readonly (readonly string[])[] = [['|'], ['^'], ['&'], ['<<', '>>'], ['+', '-'], ['*', '/', '%']];

/**
 * Evaluates an expression of tokens with C precedence (| ^ & << >> + - * / % and unary
 * - ~ +). Integers throughout; bitwise operators work on 32 bits as in C.
 */
export class ExprParser {
  private i = 0;
  /** Open operands across every parser on the stack (a symbol's value is parsed inside the expression naming it). */
  private static depth = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly resolve: Resolve,
    private readonly endCol: number,
  ) {}

  static evaluate(tokens: readonly Token[], resolve: Resolve, endCol: number): number {
    if (tokens.length === 0) throw new LineError('expected an expression', endCol);
    const parser = new ExprParser(tokens, resolve, endCol);
    const value = parser.binary(0);
    const rest = tokens[parser.i];
    if (rest !== undefined) throw new LineError(`unexpected '${rest.text}' in expression`, rest.col);
    return value;
  }

  private binary(level: number): number {
    if (level === BINARY.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      const op = this.tokens[this.i];
      if (op === undefined || op.kind !== 'punct' || !(BINARY[level] as readonly string[]).includes(op.text)) return left;
      this.i++;
      left = apply(op, left, this.binary(level + 1));
    }
  }

  private unary(): number {
    const t = this.tokens[this.i];
    if (t === undefined) throw new LineError('expected a value', this.endCol);
    if (ExprParser.depth >= ASM_LIMITS.expressionDepth) throw new LineError(`expression nests more than ${ASM_LIMITS.expressionDepth} deep`, t.col);
    ExprParser.depth++;
    try {
      return this.operand(t);
    } finally {
      ExprParser.depth--;
    }
  }

  private operand(t: Token): number {
    this.i++;
    if (t.kind === 'punct' && t.text === '-') return -this.unary();
    if (t.kind === 'punct' && t.text === '+') return this.unary();
    if (t.kind === 'punct' && t.text === '~') return ~this.unary();
    if (t.kind === 'punct' && t.text === '(') {
      const v = this.binary(0);
      const close = this.tokens[this.i];
      if (close?.text !== ')') throw new LineError("expected ')'", close?.col ?? this.endCol);
      this.i++;
      return v;
    }
    if (t.kind === 'number') return t.value;
    if (t.kind === 'ident') {
      const v = this.resolve(t.text, t.col);
      if (v === undefined) throw new LineError(`undefined symbol '${t.text}'`, t.col);
      return v;
    }
    throw new LineError(`unexpected '${t.text}' in expression`, t.col);
  }
}

function apply(op: Token, a: number, b: number): number {
  switch (op.text) {
    case '|': return a | b;
    case '^': return a ^ b;
    case '&': return a & b;
    case '<<': return a << b;
    case '>>': return a >>> b;
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/':
    case '%':
      if (b === 0) throw new LineError('division by zero', op.col);
      return op.text === '/' ? Math.trunc(a / b) : a % b;
    default: throw new LineError(`unknown operator '${op.text}'`, op.col);
  }
}

/** The value as 8 or 32 bits, two's complement for negatives; a LineError when it does not fit. */
export function checkRange(value: number, bits: 8 | 32, col: number): number {
  const ok = bits === 8 ? value >= -128 && value <= 255 : value >= -0x8000_0000 && value <= 0xffff_ffff;
  if (!ok || !Number.isInteger(value)) throw new LineError(`value ${value} does not fit in ${bits === 8 ? 'a byte' : '32 bits'}`, col);
  return bits === 8 ? value & 0xff : value >>> 0;
}
