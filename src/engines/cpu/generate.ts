import { OPCODE_COST_KEY } from '../../domain/cost/classes.js';
import { COST_KEYS } from '../../domain/cost/keys.js';
import { ALU_FLAGS, Flag, Vector } from '../../domain/isa/arch.js';
import { Op } from '../../domain/isa/table.js';
import { Reg } from '../../domain/state/layout.js';
import { Right, Status, TRANSLATIONS, type Translation } from './context.js';
import { Decoded } from './decode.js';

/** A variant of the core: with events or bare, and its translation. */
export interface CoreVariant {
  readonly events: boolean;
  readonly translation: Translation;
}

export const CORE_VARIANTS: readonly CoreVariant[] = [true, false].flatMap((events) => TRANSLATIONS.map((translation) => ({ events, translation })));

const SUFFIX: Readonly<Record<Translation, string>> = { paged: '', 'tlb-model': '-tlb', flat: '-flat' };

export const variantName = (v: CoreVariant): string => `core-${v.events ? 'evented' : 'bare'}${SUFFIX[v.translation]}`;

const HEADER = '// Generated from core.ts.template by `npm run generate`: do not edit.\n';

/** Constants the core uses, as literals: the switch compiles to a jump table and no load remains in the loop. */
const CONSTANTS: Readonly<Record<string, Readonly<Record<string, number>>>> = { Op, Reg, Right, Status, Decoded, Vector, Flag };

function literal(group: string, name: string): string {
  const value = CONSTANTS[group]?.[name];
  if (value === undefined) throw new Error(`core template: no constant ${group}.${name}`);
  return `${value < 0 ? value : `0x${value.toString(16)}`} /* ${group}.${name} */`;
}

/** A line's tags (`// @event @tlb`): it is kept in a variant that has every one of them. */
function tagsOf(line: string): { code: string; tags: string[] } {
  const m = /\s*\/\/((?:\s+@[a-z]+)+)\s*$/.exec(line);
  return m === null ? { code: line, tags: [] } : { code: line.slice(0, m.index), tags: (m[1] as string).trim().split(/\s+/).map((t) => t.slice(1)) };
}

const counterOf = (key: number): string => `retired${(COST_KEYS[key] as string).replace(/^./, (ch) => ch.toUpperCase())}`;

/**
 * Counts retired instructions by cost class in locals, added to the context once per
 * burst: each case of the execute switch (from the first \`switch (op)\` to its
 * \`default: throw\`) increments its class's counter, which the classes table gives
 * (one class per case), except the class with the most cases, which is what the burst's
 * instruction count \`n\` leaves. A faulting instruction, which \`n\` does not count,
 * takes its class's count back. The markers declare the counters and add them up.
 */
function countByClass(template: string): string {
  const lines = template.split('\n');
  const start = lines.findIndex((l) => /^\s*switch \(op\) \{/.test(l));
  const end = lines.findIndex((l, i) => i > start && /default: throw/.test(l));
  if (start < 0 || end < 0) throw new Error('core template: no execute switch');
  const cases = new Map<number, [key: number, end: number]>(); // line index -> its class and where its labels end
  const casesOf = new Map<number, number>(); // class -> cases
  for (let i = start + 1; i < end; i++) {
    const labels = [...(lines[i] as string).matchAll(/case Op\.([A-Z_]+):/g)];
    if (labels.length === 0) continue;
    const keys = new Set(labels.map((m) => OPCODE_COST_KEY[(Op as Record<string, number>)[m[1] as string] as number] as number));
    if (keys.size !== 1) throw new Error(`core template: one case counts one cost class: ${(lines[i] as string).trim()}`);
    const key = [...keys][0] as number;
    cases.set(i, [key, (labels.at(-1)?.index as number) + (labels.at(-1)?.[0].length as number)]);
    casesOf.set(key, (casesOf.get(key) ?? 0) + labels.length);
  }
  const implicit = [...casesOf].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] as number;
  for (const [i, [key, at]] of cases) {
    const line = lines[i] as string;
    if (key !== implicit) lines[i] = `${line.slice(0, at)} ${counterOf(key)}++;${line.slice(at)}`;
  }
  const counted = [...casesOf.keys()].filter((k) => k !== implicit).sort((a, b) => a - b);
  const add = (k: number, what: string): string => `hist[${k}] = (hist[${k}] as number) + ${what};`;
  return lines
    .join('\n')
    .replace('/* @retired-counters */', `let ${counted.map((k) => `${counterOf(k)} = 0`).join(', ')};`)
    .replace(
      '/* @retired-add */',
      [
        `if (uncounted >= 0) switch (OPCODE_COST_KEY[uncounted]) { ${counted.map((k) => `case ${k}: ${counterOf(k)}--; break;`).join(' ')} default: break; }`,
        ...counted.map((k) => add(k, counterOf(k))),
        add(implicit, ['n', ...counted.map(counterOf)].join(' - ')),
      ].join('\n  '),
    );
}

/**
 * One variant of the CPU core from its template: the lines tagged for other variants are
 * dropped (`@event`/`@bare`, `@tlb`/`@notlb`, `@flat`/`@paged`, `@template` always), the tags removed,
 * `zs(v)` written out, and named constants become literals.
 */
export function generateCore(template: string, variant: CoreVariant): string {
  const has = new Set([variant.events ? 'event' : 'bare', variant.translation === 'tlb-model' ? 'tlb' : 'notlb', variant.translation === 'flat' ? 'flat' : 'paged']);
  const body = countByClass(template)
    .split('\n')
    .map(tagsOf)
    .filter(({ tags }) => tags.every((t) => has.has(t)))
    .map(({ code, tags }) => (tags.length === 0 ? code : code.trimEnd()))
    .join('\n')
    .replace(/\bzs\((\w+)\)/g, (_, v: string) => `(${v} === 0 ? Flag.ZF : 0) | (${v} < 0 ? Flag.SF : 0)`)
    .replace(/\b(Op|Reg|Right|Status|Decoded|Vector|Flag)\.([A-Z_]+)\b/g, (_, group: string, name: string) => literal(group, name))
    .replace(/\bALU_FLAGS\b/g, `0x${ALU_FLAGS.toString(16)} /* ALU_FLAGS */`);
  return HEADER + body;
}
