import { Op } from '../../domain/isa/table.js';

export type CoreVariant = 'evented' | 'bare';

const HEADER = '// Generated from core.ts.template by `npm run generate`: do not edit.\n';

/**
 * One variant of the CPU core from its template: lines marked for the other variant are
 * dropped, the markers removed, and `Op.NAME` becomes its opcode literal so the switch
 * compiles to a jump table.
 */
export function generateCore(template: string, variant: CoreVariant): string {
  const drop = variant === 'evented' ? '// @bare' : '// @event';
  const keep = variant === 'evented' ? '// @event' : '// @bare';
  const lines = template.split('\n').filter((line) => !line.trimEnd().endsWith(drop));
  const body = lines
    .map((line) => (line.trimEnd().endsWith(keep) ? line.trimEnd().slice(0, -keep.length).trimEnd() : line))
    .join('\n')
    .replace(/\bOp\.([A-Z_]+)\b/g, (_, name: string) => {
      const opcode = (Op as Readonly<Record<string, number>>)[name];
      if (opcode === undefined) throw new Error(`core template: no opcode ${name}`);
      return `0x${opcode.toString(16).padStart(2, '0')} /* ${name} */`;
    })
    .replace(/^import \{ Op \} from '\.\.\/\.\.\/domain\/isa\/table\.js';\n/m, '');
  return HEADER + (variant === 'bare' ? body.replace(/^import type \{ EventBatch \} from .*\n/m, '').replace(/^import \{ Eff \} from .*\n/m, '') : body);
}
