import { ALU_FLAGS, Vector } from '../../domain/isa/arch.js';
import { Op } from '../../domain/isa/table.js';
import { Reg } from '../../domain/state/layout.js';
import { Right, Status } from './context.js';
import { Decoded } from './decode.js';

/** A variant of the core: with events or bare, and with the cost-only TLB model or without (paging off). */
export interface CoreVariant {
  readonly events: boolean;
  readonly tlb: boolean;
}

export const CORE_VARIANTS: readonly CoreVariant[] = [
  { events: true, tlb: false },
  { events: false, tlb: false },
  { events: true, tlb: true },
  { events: false, tlb: true },
];

export const variantName = (v: CoreVariant): string => `core-${v.events ? 'evented' : 'bare'}${v.tlb ? '-tlb' : ''}`;

const HEADER = '// Generated from core.ts.template by `npm run generate`: do not edit.\n';

/** Constants the core uses, as literals: the switch compiles to a jump table and no load remains in the loop. */
const CONSTANTS: Readonly<Record<string, Readonly<Record<string, number>>>> = { Op, Reg, Right, Status, Decoded, Vector };

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

/**
 * One variant of the CPU core from its template: the lines tagged for other variants are
 * dropped (`@event`/`@bare`, `@tlb`/`@notlb`, `@template` always), the tags removed, and
 * named constants become literals.
 */
export function generateCore(template: string, variant: CoreVariant): string {
  const has = new Set([variant.events ? 'event' : 'bare', variant.tlb ? 'tlb' : 'notlb']);
  const body = template
    .split('\n')
    .map(tagsOf)
    .filter(({ tags }) => tags.every((t) => has.has(t)))
    .map(({ code, tags }) => (tags.length === 0 ? code : code.trimEnd()))
    .join('\n')
    .replace(/\b(Op|Reg|Right|Status|Decoded|Vector)\.([A-Z_]+)\b/g, (_, group: string, name: string) => literal(group, name))
    .replace(/\bALU_FLAGS\b/g, `0x${ALU_FLAGS.toString(16)} /* ALU_FLAGS */`);
  return HEADER + body;
}
