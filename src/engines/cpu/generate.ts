import { ALU_FLAGS, Vector } from '../../domain/isa/arch.js';
import { Op } from '../../domain/isa/table.js';
import { Reg } from '../../domain/state/layout.js';
import { Right, Status } from './context.js';
import { Decoded } from './decode.js';

export type CoreVariant = 'evented' | 'bare';

const HEADER = '// Generated from core.ts.template by `npm run generate`: do not edit.\n';

/** Constants the core uses, as literals: the switch compiles to a jump table and no load remains in the loop. */
const CONSTANTS: Readonly<Record<string, Readonly<Record<string, number>>>> = { Op, Reg, Right, Status, Decoded, Vector };

function literal(group: string, name: string): string {
  const value = CONSTANTS[group]?.[name];
  if (value === undefined) throw new Error(`core template: no constant ${group}.${name}`);
  return `${value < 0 ? value : `0x${value.toString(16)}`} /* ${group}.${name} */`;
}

/**
 * One variant of the CPU core from its template: lines marked for the other variant are
 * dropped, the markers removed, and named constants become literals.
 */
export function generateCore(template: string, variant: CoreVariant): string {
  const drop = variant === 'evented' ? '// @bare' : '// @event';
  const keep = variant === 'evented' ? '// @event' : '// @bare';
  const lines = template.split('\n').filter((line) => !line.trimEnd().endsWith(drop) && !line.trimEnd().endsWith('// @template'));
  const body = lines
    .map((line) => (line.trimEnd().endsWith(keep) ? line.trimEnd().slice(0, -keep.length).trimEnd() : line))
    .join('\n')
    .replace(/\b(Op|Reg|Right|Status|Decoded|Vector)\.([A-Z_]+)\b/g, (_, group: string, name: string) => literal(group, name))
    .replace(/\bALU_FLAGS\b/g, `0x${ALU_FLAGS.toString(16)} /* ALU_FLAGS */`);
  return HEADER + body;
}
