import { LineError, errorAt } from './errors.js';
import { ExprParser } from './expr.js';
import { stripComment, tokenize } from './lexer.js';
const MAX_DEPTH = 64;
/**
 * Expands `.include`, `.macro`/`.endm` and `.if`/`.ifdef`/`.ifndef`/`.else`/`.endif` into
 * the logical lines the assembler sees. `.equ` values known so far are visible to `.if`.
 */
export class Preprocessor {
    options;
    lines = [];
    errors = [];
    macros = new Map();
    known = new Map();
    expansions = 0;
    constructor(options) {
        this.options = options;
        for (const [name, value] of Object.entries(options.defines))
            this.known.set(name, value);
    }
    run(file, source) {
        this.file(file, source, [file], 0);
    }
    file(file, source, includeStack, depth) {
        const raw = source.split('\n').map((text, i) => ({ file, line: i + 1, text: text.replace(/\r$/, '') }));
        this.block(raw, includeStack, depth);
    }
    block(raw, includeStack, depth) {
        const conditionals = [];
        let macro;
        for (const src of raw) {
            try {
                const tokens = tokenize(stripComment(src.text));
                const head = firstWord(tokens);
                if (macro !== undefined) {
                    if (head === '.endm') {
                        this.macros.set(macro.name, { params: macro.params, body: macro.body, defined: macro.defined });
                        macro = undefined;
                    }
                    else {
                        macro.body.push(src);
                    }
                    continue;
                }
                if (this.conditional(src, tokens, head, conditionals))
                    continue;
                if (conditionals.some((c) => !c.active))
                    continue;
                if (head === '.macro') {
                    macro = { ...this.macroHeader(tokens), body: [], defined: src };
                }
                else if (head === '.include') {
                    this.include(src, tokens, includeStack, depth);
                }
                else if (!this.invoke(src, tokens, includeStack, depth)) {
                    this.noteEqu(tokens);
                    this.lines.push(src);
                }
            }
            catch (e) {
                if (!(e instanceof LineError))
                    throw e;
                this.errors.push(errorAt(src, e.col, e.message));
            }
        }
        if (macro !== undefined)
            this.errors.push(errorAt(macro.defined, 1, `unterminated .macro ${macro.name}: missing .endm`));
        for (const c of conditionals)
            this.errors.push(errorAt(c.opened, 1, 'unterminated conditional: missing .endif'));
    }
    /** Handles conditional directives; true when the line was one. */
    conditional(src, tokens, head, stack) {
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
                if (top === undefined || top.elseSeen)
                    throw new LineError(top === undefined ? '.else without .if' : 'second .else for one .if', tokens[0].col);
                stack.push({ active: top.parentActive && !top.active, parentActive: top.parentActive, elseSeen: true, opened: top.opened });
                return true;
            }
            case '.endif':
                if (stack.pop() === undefined)
                    throw new LineError('.endif without .if', tokens[0].col);
                return true;
            default:
                return false;
        }
    }
    condition(head, tokens) {
        const args = tokens.slice(1);
        if (head === '.if')
            return ExprParser.evaluate(args, (name) => this.known.get(name), tokens[0].col + 3) !== 0;
        const name = args[0];
        if (name === undefined || name.kind !== 'ident' || args.length !== 1)
            throw new LineError(`${head} takes one name`, tokens[0].col);
        return this.known.has(name.text) === (head === '.ifdef');
    }
    macroHeader(tokens) {
        const name = tokens[1];
        if (name === undefined || name.kind !== 'ident')
            throw new LineError('.macro needs a name', tokens[0].col);
        const params = tokens.slice(2).filter((t) => t.text !== ',');
        for (const p of params)
            if (p.kind !== 'ident')
                throw new LineError(`bad macro parameter '${p.text}'`, p.col);
        return { name: name.text.toLowerCase(), params: params.map((p) => p.text) };
    }
    include(src, tokens, stack, depth) {
        const path = tokens[1];
        if (path === undefined || path.kind !== 'string')
            throw new LineError('.include needs a "file"', tokens[0].col);
        const text = this.options.readInclude?.(path.text, src.file);
        if (text === undefined)
            throw new LineError(`cannot include "${path.text}": file not found`, path.col);
        if (stack.includes(path.text) || depth >= MAX_DEPTH)
            throw new LineError(`recursive .include of "${path.text}"`, path.col);
        this.file(path.text, text, [...stack, path.text], depth + 1);
    }
    /** Expands a macro invocation; false when the line is not one. */
    invoke(src, tokens, stack, depth) {
        const at = tokens[0]?.kind === 'ident' && tokens[1]?.text === ':' ? 2 : 0;
        const nameToken = tokens[at];
        const macro = nameToken?.kind === 'ident' ? this.macros.get(nameToken.text.toLowerCase()) : undefined;
        if (macro === undefined || nameToken === undefined)
            return false;
        if (depth >= MAX_DEPTH)
            throw new LineError(`macro ${nameToken.text} nests too deeply`, nameToken.col);
        if (at === 2)
            this.lines.push({ ...src, text: src.text.slice(0, tokens[1].col) });
        const args = splitArguments(src.text, tokens.slice(at + 1));
        if (args.length > macro.params.length)
            throw new LineError(`macro ${nameToken.text} takes ${macro.params.length} arguments, got ${args.length}`, nameToken.col);
        const unique = `_${++this.expansions}`;
        const body = macro.body.map((line) => ({
            file: src.file,
            line: src.line,
            text: substitute(line.text, macro.params, args, unique),
            macro: nameToken.text,
        }));
        this.block(body, stack, depth + 1);
        return true;
    }
    noteEqu(tokens) {
        const head = firstWord(tokens);
        if (head !== '.equ' && head !== '.set')
            return;
        const name = tokens[1];
        if (name?.kind !== 'ident' || tokens[2]?.text !== ',')
            return;
        try {
            this.known.set(name.text, ExprParser.evaluate(tokens.slice(3), (n) => this.known.get(n), 1));
        }
        catch {
            // A forward reference: the assembler resolves it later; only .if cannot see it.
        }
    }
}
function firstWord(tokens) {
    const t = tokens[0];
    return t?.kind === 'ident' ? t.text.toLowerCase() : undefined;
}
/** Macro arguments as source text, split at top-level commas. */
function splitArguments(line, tokens) {
    const first = tokens[0];
    if (first === undefined)
        return [];
    const text = stripComment(line).slice(first.col - 1);
    const args = [];
    let depth = 0;
    let current = '';
    let quote = '';
    for (const c of text) {
        if (quote !== '')
            quote = c === quote ? '' : quote;
        else if (c === '"' || c === "'")
            quote = c;
        else if (c === '(' || c === '[')
            depth++;
        else if (c === ')' || c === ']')
            depth--;
        if (c === ',' && depth === 0 && quote === '') {
            args.push(current.trim());
            current = '';
        }
        else {
            current += c;
        }
    }
    args.push(current.trim());
    return args;
}
function substitute(text, params, args, unique) {
    let out = text.replace(/\\@/g, unique);
    params.forEach((p, i) => {
        out = out.replace(new RegExp(`\\\\${p}(?![A-Za-z0-9_])`, 'g'), args[i] ?? '');
    });
    return out;
}
