import { DEFAULT_ORIGIN } from '../isa/arch.js';
import { encode } from '../isa/encoding.js';
import { ALIASES, INSN_BYTES, MNEMONICS, TABLE } from '../isa/table.js';
import type { Image } from '../image/image.js';
import { LineError, errorAt, type AsmError, type SourceLine } from './errors.js';
import { checkRange, type Resolve } from './expr.js';
import { ASM_LIMITS } from './limits.js';
import { FORM_SYNTAX, matches, operandFields } from './forms.js';
import { tokenize, stripComment, type Token } from './lexer.js';
import { evaluate, parseOperand, splitOperands } from './operands.js';
import { Preprocessor, type PreprocessOptions } from './preprocess.js';

export interface AssembleOptions extends Partial<PreprocessOptions> {
  readonly file: string;
}

export type AssembleResult = { readonly ok: true; readonly image: Image } | { readonly ok: false; readonly errors: readonly AsmError[] };

interface Statement {
  readonly src: SourceLine;
  readonly head: Token;
  readonly args: readonly Token[];
  readonly addr: number;
  readonly segment: number;
}

interface Symbol {
  value?: number;
  readonly expr?: readonly Token[];
  readonly src: SourceLine;
  resolving?: boolean;
}

const DATA_DIRECTIVES = new Set(['.word', '.byte', '.ascii', '.asciz', '.space', '.align']);
const DIRECTIVES = new Set([...DATA_DIRECTIVES, '.org', '.equ', '.set', '.entry', '.guest']);

/**
 * Assembles VX32 source (DESIGN §2a) in two passes: layout (addresses of labels) then
 * encoding. Every error of the file is collected, each with file:line:col.
 */
export function assemble(source: string, options: AssembleOptions): AssembleResult {
  const pre = new Preprocessor({ defines: options.defines ?? {}, readInclude: options.readInclude });
  pre.run(options.file, source);
  const asm = new Assembler(options.defines ?? {});
  asm.layout(pre.lines);
  const image = asm.emit();
  const errors = [...pre.errors, ...asm.errors].sort((a, b) => (a.file === b.file ? a.line - b.line || a.col - b.col : 0));
  return errors.length === 0 ? { ok: true, image } : { ok: false, errors };
}

class Assembler {
  readonly errors: AsmError[] = [];
  private readonly symbols = new Map<string, Symbol>();
  private readonly statements: Statement[] = [];
  private readonly segments: { addr: number; size: number; src: SourceLine }[] = [];
  private readonly meta: Record<string, string | number> = {};
  private entry: { tokens: readonly Token[]; src: SourceLine; col: number } | undefined;
  private pc = DEFAULT_ORIGIN;
  private placed = 0; // bytes in all segments

  constructor(private readonly defines: Readonly<Record<string, number>>) {}

  private readonly resolve: Resolve = (name, col) => this.lookup(name, col);

  private lookup(name: string, col: number): number | undefined {
    if (Object.hasOwn(this.defines, name)) return this.defines[name];
    const symbol = this.symbols.get(name);
    if (symbol === undefined) return undefined;
    if (symbol.value !== undefined) return symbol.value;
    if (symbol.resolving) throw new LineError(`circular definition of '${name}'`, col);
    symbol.resolving = true;
    try {
      symbol.value = evaluate(symbol.expr ?? [], this.resolve, col);
      return symbol.value;
    } finally {
      symbol.resolving = false;
    }
  }

  private define(name: Token, symbol: Symbol): void {
    const previous = this.symbols.get(name.text);
    if (previous !== undefined || Object.hasOwn(this.defines, name.text)) {
      const where = previous === undefined ? 'on the command line' : `at ${previous.src.file}:${previous.src.line}`;
      throw new LineError(`'${name.text}' is already defined ${where}`, name.col);
    }
    if (MNEMONICS.has(name.text.toLowerCase())) throw new LineError(`'${name.text}' is a mnemonic, not a label`, name.col);
    this.symbols.set(name.text, symbol);
  }

  layout(lines: readonly SourceLine[]): void {
    this.segments.push({ addr: this.pc, size: 0, src: lines[0] ?? { file: '', line: 0, text: '' } });
    for (const src of lines) {
      try {
        this.layoutLine(src, tokenize(stripComment(src.text)));
      } catch (e) {
        if (!(e instanceof LineError)) throw e;
        this.errors.push(errorAt(src, e.col, e.message));
      }
    }
  }

  private layoutLine(src: SourceLine, tokens: Token[]): void {
    let i = 0;
    while (tokens[i]?.kind === 'ident' && tokens[i + 1]?.text === ':') {
      this.define(tokens[i] as Token, { value: this.pc, src });
      i += 2;
    }
    const head = tokens[i];
    if (head === undefined) return;
    if (head.kind !== 'ident') throw new LineError(`expected an instruction or directive, found '${head.text}'`, head.col);
    const args = tokens.slice(i + 1);
    const name = head.text.toLowerCase();
    if (name.startsWith('.')) this.layoutDirective(src, head, name, args);
    else this.place(src, head, args, INSN_BYTES);
  }

  private place(src: SourceLine, head: Token, args: readonly Token[], size: number): void {
    this.placed += size;
    if (this.placed > ASM_LIMITS.imageBytes) throw new LineError(`the image grows beyond ${ASM_LIMITS.imageBytes} bytes`, head.col);
    const segment = this.segments.length - 1;
    this.statements.push({ src, head, args, addr: this.pc, segment });
    this.pc += size;
    (this.segments[segment] as { size: number }).size += size;
  }

  private layoutDirective(src: SourceLine, head: Token, name: string, args: readonly Token[]): void {
    if (!DIRECTIVES.has(name)) throw new LineError(`unknown directive ${head.text}`, head.col);
    const end = head.col + head.text.length;
    switch (name) {
      case '.org': {
        this.pc = evaluate(args, this.resolve, end) >>> 0;
        this.segments.push({ addr: this.pc, size: 0, src });
        return;
      }
      case '.equ':
      case '.set': {
        const [nameTokens, ...rest] = splitOperands(args);
        const symbol = nameTokens?.[0];
        if (symbol?.kind !== 'ident' || nameTokens?.length !== 1 || rest.length !== 1) throw new LineError(`${name} takes a name and a value`, head.col);
        this.define(symbol, { expr: rest[0] as Token[], src });
        return;
      }
      case '.entry':
        this.entry = { tokens: args, src, col: end };
        return;
      case '.guest':
        this.guestMeta(head, args);
        return;
      default:
        this.place(src, head, args, this.dataSize(name, args, end));
    }
  }

  private guestMeta(head: Token, args: readonly Token[]): void {
    const [key, value] = splitOperands(args);
    const k = key?.[0];
    if (k?.kind !== 'ident' || key?.length !== 1 || value === undefined) throw new LineError('.guest takes a key and a value', head.col);
    this.meta[k.text] = value.length === 1 && value[0]?.kind === 'string' ? value[0].text : evaluate(value, this.resolve, head.col);
  }

  private dataSize(name: string, args: readonly Token[], end: number): number {
    switch (name) {
      case '.word': return 4 * splitOperands(args).length;
      case '.byte': return splitOperands(args).length;
      case '.ascii':
      case '.asciz': return stringArgument(name, args, end).length + (name === '.asciz' ? 1 : 0);
      case '.space': {
        const n = evaluate(args, this.resolve, end);
        if (n < 0) throw new LineError('.space needs a size of 0 or more', args[0]?.col ?? end);
        if (n > ASM_LIMITS.imageBytes) throw new LineError(`.space ${n} is larger than an image (${ASM_LIMITS.imageBytes} bytes)`, args[0]?.col ?? end);
        return n;
      }
      default: {
        const n = evaluate(args, this.resolve, end);
        if (n <= 0 || (n & (n - 1)) !== 0) throw new LineError('.align needs a power of two', args[0]?.col ?? end);
        if (n > ASM_LIMITS.imageBytes) throw new LineError(`.align ${n} is larger than an image (${ASM_LIMITS.imageBytes} bytes)`, args[0]?.col ?? end);
        return (n - (this.pc % n)) % n;
      }
    }
  }

  emit(): Image {
    const buffers = this.segments.map((s) => new Uint8Array(s.size));
    const lines: Record<number, { file: string; line: number }> = {};
    for (const st of this.statements) {
      try {
        const out = buffers[st.segment] as Uint8Array;
        const offset = st.addr - (this.segments[st.segment] as { addr: number }).addr;
        const name = st.head.text.toLowerCase();
        if (name.startsWith('.')) this.emitData(st, name, out, offset);
        else {
          this.emitInstruction(st, out, offset);
          lines[st.addr] = { file: st.src.file, line: st.src.line };
        }
      } catch (e) {
        if (!(e instanceof LineError)) throw e;
        this.errors.push(errorAt(st.src, e.col, e.message));
      }
    }
    this.checkOverlaps();
    return {
      segments: this.segments.map((s, i) => ({ addr: s.addr, bytes: buffers[i] as Uint8Array })).filter((s) => s.bytes.length > 0),
      entry: this.entryPoint(),
      symbols: this.symbolValues(),
      meta: this.meta,
      lines,
    };
  }

  private emitData(st: Statement, name: string, out: Uint8Array, offset: number): void {
    const end = st.head.col + st.head.text.length;
    if (name === '.word' || name === '.byte') {
      splitOperands(st.args).forEach((tokens, i) => {
        const v = checkRange(evaluate(tokens, this.resolve, end), name === '.word' ? 32 : 8, tokens[0]?.col ?? end);
        if (name === '.byte') out[offset + i] = v;
        else for (let b = 0; b < 4; b++) out[offset + 4 * i + b] = (v >>> (8 * b)) & 0xff;
      });
    } else if (name === '.ascii' || name === '.asciz') {
      const text = stringArgument(name, st.args, end);
      for (let i = 0; i < text.length; i++) out[offset + i] = text.charCodeAt(i) & 0xff;
    }
  }

  private emitInstruction(st: Statement, out: Uint8Array, offset: number): void {
    const mnemonic = ALIASES[st.head.text.toLowerCase()] ?? st.head.text.toLowerCase();
    const rows = TABLE.filter((r) => r.mnemonic === mnemonic);
    if (rows.length === 0) throw new LineError(`unknown instruction '${st.head.text}'`, st.head.col);
    const lineEnd = st.src.text.length + 1;
    const operands = splitOperands(st.args).map((tokens) => parseOperand(tokens, lineEnd));
    const row = rows.find((r) => matches(r.form, operands));
    if (row === undefined) {
      const accepted = rows.map((r) => `${mnemonic} ${FORM_SYNTAX[r.form]}`).join(' | ');
      throw new LineError(`wrong operands for ${mnemonic}: expected ${accepted}`, operands[0]?.col ?? st.head.col);
    }
    encode(operandFields(row, operands, this.resolve), out, offset);
  }

  private entryPoint(): number {
    if (this.entry === undefined) return this.segments.find((s) => s.size > 0)?.addr ?? DEFAULT_ORIGIN;
    try {
      return evaluate(this.entry.tokens, this.resolve, this.entry.col) >>> 0;
    } catch (e) {
      if (!(e instanceof LineError)) throw e;
      this.errors.push(errorAt(this.entry.src, e.col, e.message));
      return DEFAULT_ORIGIN;
    }
  }

  private symbolValues(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, symbol] of this.symbols) {
      try {
        const v = this.lookup(name, 1);
        if (v !== undefined) out[name] = v;
      } catch (e) {
        if (!(e instanceof LineError)) throw e;
        this.errors.push(errorAt(symbol.src, 1, e.message));
      }
    }
    return out;
  }

  private checkOverlaps(): void {
    const used = this.segments.filter((s) => s.size > 0).sort((a, b) => a.addr - b.addr);
    for (let i = 1; i < used.length; i++) {
      const prev = used[i - 1] as (typeof used)[number];
      const cur = used[i] as (typeof used)[number];
      if (prev.addr + prev.size > cur.addr) {
        this.errors.push(errorAt(cur.src, 1, `.org 0x${cur.addr.toString(16)} overlaps bytes placed from 0x${prev.addr.toString(16)} to 0x${(prev.addr + prev.size).toString(16)}`));
      }
    }
  }
}

function stringArgument(name: string, args: readonly Token[], end: number): string {
  const s = args[0];
  if (s?.kind !== 'string' || args.length !== 1) throw new LineError(`${name} takes one "string"`, s?.col ?? end);
  return s.text;
}
