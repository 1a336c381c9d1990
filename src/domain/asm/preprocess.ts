import { LineError, errorAt, type AsmError, type SourceLine } from './errors.js';
import { ExprParser } from './expr.js';
import { ASM_LIMITS } from './limits.js';
import { stripComment, tokenize, type Token } from './lexer.js';

export interface PreprocessOptions {
  readonly defines: Readonly<Record<string, number>>;
  readonly readInclude?: (path: string, fromFile: string) => string | undefined;
}

interface Macro {
  readonly params: readonly string[];
  readonly body: readonly SourceLine[];
  readonly defined: SourceLine;
}

interface Conditional {
  readonly active: boolean; // this branch is assembled
  readonly parentActive: boolean;
  elseSeen: boolean;
  readonly opened: SourceLine;
}

const MAX_DEPTH = ASM_LIMITS.depth;

/** A bound of ASM_LIMITS reached: reported once, then assembly stops expanding. */
class LimitError extends LineError {}

/**
 * Expands `.include`, `.macro`/`.endm` and `.if`/`.ifdef`/`.ifndef`/`.else`/`.endif` into
 * the logical lines the assembler sees. `.equ` values known so far are visible to `.if`.
 */
export class Preprocessor {
  readonly lines: SourceLine[] = [];
  readonly errors: AsmError[] = [];
  private readonly macros = new Map<string, Macro>();
  private readonly known = new Map<string, number>();
  private expansions = 0;
  /** A bound of ASM_LIMITS was reached: nothing more is expanded. */
  private full = false;

  constructor(private readonly options: PreprocessOptions) {
    for (const [name, value] of Object.entries(options.defines)) this.known.set(name, value);
  }

  run(file: string, source: string): void {
    this.file(file, source, [file], 0);
  }

  private file(file: string, source: string, includeStack: readonly string[], depth: number): void {
    const raw = source.split('\n').map((text, i): SourceLine => ({ file, line: i + 1, text: text.replace(/\r$/, '') }));
    this.block(raw, includeStack, depth);
  }

  private block(raw: readonly SourceLine[], includeStack: readonly string[], depth: number): void {
    const conditionals: Conditional[] = [];
    let macro: { name: string; params: string[]; body: SourceLine[]; defined: SourceLine } | undefined;
    for (const src of raw) {
      if (this.full) return;
      try {
        const tokens = tokenize(stripComment(src.text));
        const head = firstWord(tokens);
        if (macro !== undefined) {
          if (head === '.endm') {
            this.macros.set(macro.name, { params: macro.params, body: macro.body, defined: macro.defined });
            macro = undefined;
          } else {
            macro.body.push(src);
          }
          continue;
        }
        if (this.conditional(src, tokens, head, conditionals)) continue;
        if (conditionals.some((c) => !c.active)) continue;
        if (head === '.macro') {
          macro = { ...this.macroHeader(tokens), body: [], defined: src };
        } else if (head === '.include') {
          this.include(src, tokens, includeStack, depth);
        } else if (!this.invoke(src, tokens, includeStack, depth)) {
          this.noteEqu(tokens);
          this.push(src);
        }
      } catch (e) {
        if (!(e instanceof LineError)) throw e;
        this.errors.push(errorAt(src, e.col, e.message));
        if (e instanceof LimitError) this.full = true;
      }
    }
    if (macro !== undefined) this.errors.push(errorAt(macro.defined, 1, `unterminated .macro ${macro.name}: missing .endm`));
    for (const c of conditionals) this.errors.push(errorAt(c.opened, 1, 'unterminated conditional: missing .endif'));
  }

  /** Handles conditional directives; true when the line was one. */
  private conditional(src: SourceLine, tokens: Token[], head: string | undefined, stack: Conditional[]): boolean {
    const enclosing = stack.every((c) => c.active);
    switch (head) {
      case '.if':
      case '.ifdef':
      case '.ifndef': {
        const holds = enclosing && this.condition(head, tokens);
        stack.push({ active: enclosing && holds, parentActive: enclosing, elseSeen: false, opened: src });
        return true;
      }
      case '.else': {
        const top = stack.pop();
        if (top === undefined || top.elseSeen) throw new LineError(top === undefined ? '.else without .if' : 'second .else for one .if', (tokens[0] as Token).col);
        stack.push({ active: top.parentActive && !top.active, parentActive: top.parentActive, elseSeen: true, opened: top.opened });
        return true;
      }
      case '.endif':
        if (stack.pop() === undefined) throw new LineError('.endif without .if', (tokens[0] as Token).col);
        return true;
      default:
        return false;
    }
  }

  private condition(head: string, tokens: Token[]): boolean {
    const args = tokens.slice(1);
    if (head === '.if') return ExprParser.evaluate(args, (name) => this.known.get(name), (tokens[0] as Token).col + 3) !== 0;
    const name = args[0];
    if (name === undefined || name.kind !== 'ident' || args.length !== 1) throw new LineError(`${head} takes one name`, (tokens[0] as Token).col);
    return this.known.has(name.text) === (head === '.ifdef');
  }

  private macroHeader(tokens: Token[]): { name: string; params: string[] } {
    const name = tokens[1];
    if (name === undefined || name.kind !== 'ident') throw new LineError('.macro needs a name', (tokens[0] as Token).col);
    const params = tokens.slice(2).filter((t) => t.text !== ',');
    for (const p of params) if (p.kind !== 'ident') throw new LineError(`bad macro parameter '${p.text}'`, p.col);
    return { name: name.text.toLowerCase(), params: params.map((p) => p.text) };
  }

  private include(src: SourceLine, tokens: Token[], stack: readonly string[], depth: number): void {
    const path = tokens[1];
    if (path === undefined || path.kind !== 'string') throw new LineError('.include needs a "file"', (tokens[0] as Token).col);
    const text = this.options.readInclude?.(path.text, src.file);
    if (text === undefined) throw new LineError(`cannot include "${path.text}": file not found`, path.col);
    if (stack.includes(path.text)) throw new LineError(`recursive .include of "${path.text}"`, path.col);
    if (depth >= MAX_DEPTH) throw new LimitError(`.include nests more than ${MAX_DEPTH} deep`, path.col);
    this.file(path.text, text, [...stack, path.text], depth + 1);
  }

  /** Expands a macro invocation; false when the line is not one. */
  private invoke(src: SourceLine, tokens: Token[], stack: readonly string[], depth: number): boolean {
    const at = tokens[0]?.kind === 'ident' && tokens[1]?.text === ':' ? 2 : 0;
    const nameToken = tokens[at];
    const macro = nameToken?.kind === 'ident' ? this.macros.get(nameToken.text.toLowerCase()) : undefined;
    if (macro === undefined || nameToken === undefined) return false;
    if (depth >= MAX_DEPTH) throw new LimitError(`macro ${nameToken.text} nests more than ${MAX_DEPTH} deep`, nameToken.col);
    if (at === 2) this.push({ ...src, text: src.text.slice(0, (tokens[1] as Token).col) });
    if (this.lines.length + macro.body.length > ASM_LIMITS.lines) throw new LimitError(`macro ${nameToken.text} expands the source beyond ${ASM_LIMITS.lines} lines`, nameToken.col);
    const args = splitArguments(src.text, tokens.slice(at + 1));
    if (args.length > macro.params.length) throw new LineError(`macro ${nameToken.text} takes ${macro.params.length} arguments, got ${args.length}`, nameToken.col);
    const unique = `_${++this.expansions}`;
    const body = macro.body.map((line): SourceLine => ({
      file: src.file,
      line: src.line,
      text: substitute(line.text, macro.params, args, unique),
      macro: nameToken.text,
    }));
    this.block(body, stack, depth + 1);
    return true;
  }

  private push(src: SourceLine): void {
    if (this.lines.length >= ASM_LIMITS.lines) throw new LimitError(`the source has more than ${ASM_LIMITS.lines} lines after includes and macros`, 1);
    this.lines.push(src);
  }

  private noteEqu(tokens: Token[]): void {
    const head = firstWord(tokens);
    if (head !== '.equ' && head !== '.set') return;
    const name = tokens[1];
    if (name?.kind !== 'ident' || tokens[2]?.text !== ',') return;
    try {
      this.known.set(name.text, ExprParser.evaluate(tokens.slice(3), (n) => this.known.get(n), 1));
    } catch {
      // A forward reference: the assembler resolves it later; only .if cannot see it.
    }
  }
}

function firstWord(tokens: readonly Token[]): string | undefined {
  const t = tokens[0];
  return t?.kind === 'ident' ? t.text.toLowerCase() : undefined;
}

/** Macro arguments as source text, split at top-level commas. */
function splitArguments(line: string, tokens: readonly Token[]): string[] {
  const first = tokens[0];
  if (first === undefined) return [];
  const text = stripComment(line).slice(first.col - 1);
  const args: string[] = [];
  let depth = 0;
  let current = '';
  let quote = '';
  for (const c of text) {
    if (quote !== '') quote = c === quote ? '' : quote;
    else if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    if (c === ',' && depth === 0 && quote === '') {
      args.push(current.trim());
      current = '';
    } else {
      current += c;
    }
  }
  args.push(current.trim());
  return args;
}

function substitute(text: string, params: readonly string[], args: readonly string[], unique: string): string {
  let out = text.replace(/\\@/g, unique);
  params.forEach((p, i) => {
    out = out.replace(new RegExp(`\\\\${p}(?![A-Za-z0-9_])`, 'g'), args[i] ?? '');
  });
  return out;
}
