import type { Image } from '../../../src/domain/image/image.js';
import { assembleSource } from '../../helpers/run.js';
import { kernelImage } from './kernel.js';
import { BODY_SYMBOLS } from './layout.js';
import { describePaging, pageTableSegments, pagingPrologue, type PagingSetup } from './page-tables.js';

/**
 * A few lines of assembly run from CPL 0. `@name` is a label local to the step; `@next`
 * is the next step. A fault anywhere in it ends the step: the handler logs it and resumes
 * at RESUME, which is `@next` unless the step says otherwise.
 */
export type Step = string;

/** A generated guest: its page tables and its steps, run by the conformance kernel. */
export interface GuestProgram {
  readonly paging: PagingSetup;
  readonly steps: readonly Step[];
}

const localLabels = (step: Step, n: number): string => step.replace(/@(\w+)/g, (_, name: string) => `${name}_${n}`);

const indent = (line: string): string => (/^\s|^\w+:|^;/.test(line) || line === '' ? line : `        ${line}`);

/** The body's source: paging on if chosen, then each step after it names its successor as RESUME. */
export function bodySource(program: GuestProgram): string {
  const lines = [describePaging(program.paging), '        .org BODY', pagingPrologue(program.paging)];
  program.steps.forEach((step, i) => {
    const n = i + 1;
    lines.push(`; step ${n}`, `        mov r6, next_${n}`, '        st [RESUME], r6', ...localLabels(step, n).split('\n').map(indent), `next_${n}:`);
  });
  lines.push('        mov r0, 0', '        out 0xf4, r0');
  return lines.filter((l) => l !== '').join('\n');
}

/** The program's image: the kernel (assembled once), its page tables, and its body. */
export function imageOf(program: GuestProgram): Image {
  const kernel = kernelImage();
  const body = assembleSource(bodySource(program), 'body.s', BODY_SYMBOLS);
  return {
    segments: [...kernel.segments, ...pageTableSegments(program.paging), ...body.segments],
    entry: kernel.entry,
    symbols: { ...kernel.symbols, ...body.symbols },
    meta: {},
    lines: body.lines,
  };
}
