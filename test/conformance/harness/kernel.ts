import type { Image } from '../../../src/domain/image/image.js';
import { assembleSource } from '../../helpers/run.js';
import { BODY_SYMBOLS, CODE_PAGE_COUNT, Gate, LOG_BYTES, LOG_RECORD_BYTES, codePage } from './layout.js';

const IRQ_VECTORS = { first: 32, last: 47 } as const;
const isIrq = (v: number): boolean => v >= IRQ_VECTORS.first && v <= IRQ_VECTORS.last;

/** A stub per vector: IRQ vectors save r6 and return with iret; every other vector resumes at the next step. */
function stub(v: number): string {
  return isIrq(v) ? `v${v}:     st [SAVED_R6], r6\n        mov r6, ${v}\n        jmp interrupt` : `v${v}:     mov r6, ${v}\n        jmp exception`;
}

function gate(v: number): string {
  if (v === Gate.ABSENT) return `.word v${v}, 0`;
  const dpl = v === Gate.SYSCALL ? 3 : v === Gate.DPL1 ? 1 : v === Gate.DPL2 ? 2 : 0;
  return `.word v${v}, ${1 | (dpl << 1)}`;
}

/** Records the vector and the top of the stack in the log, r6 holding the vector. */
const LOG_FRAME = (words: number): string => `
        st [SAVED_R0], r0
        ld r0, [LOG_AT]
        st [r0+LOG], r6
${Array.from({ length: words }, (_, i) => `        ld r6, [sp+${4 * i}]\n        st [r0+LOG+${4 + 4 * i}], r6`).join('\n')}
        mov r6, cr2
        st [r0+LOG+24], r6
        mov r6, sp
        st [r0+LOG+28], r6
        add r0, ${LOG_RECORD_BYTES}
        and r0, ${LOG_BYTES - 1}
        st [LOG_AT], r0
        ld r0, [SAVED_R0]`;

/** An 8-byte instruction straddling the boundary at the end of each code page, called and returning. */
const straddlers = Array.from({ length: CODE_PAGE_COUNT }, (_, i) => {
  const boundary = codePage(i + 1);
  return `        .org 0x${(boundary - 12).toString(16)}\n        nop\n        mov r5, 0x5a5a5a5a\n        ret`;
}).join('\n');

/**
 * The conformance kernel: sets up the stack, ESP0 and the IDT, then jumps to the body.
 * Every one of the 256 vectors has a handler that logs what the CPU pushed (so a
 * divergence in a frame is visible in memory); IRQ handlers send EOI when EOI is set and
 * return with iret, every other vector resets the stack and resumes at RESUME, the next
 * generated step, at CPL 0.
 */
export const KERNEL_SOURCE = `
        .org KERNEL
        .entry start
start:  mov sp, KSTACK
        mov r0, KSTACK
        wrmsr 0, r0
        mov r0, IDT_DESC
        lidt [r0]
        mov r0, 0
        jmp BODY
${Array.from({ length: 256 }, (_, v) => stub(v)).join('\n')}
exception:${LOG_FRAME(5)}
        mov sp, KSTACK
        ld r6, [RESUME]
        jmp r6
interrupt:${LOG_FRAME(3)}
        ld r6, [EOI]
        cmp r6, 0
        jz no_eoi
        out 0x20, r6
no_eoi: ld r6, [SAVED_R6]
        iret
${straddlers}
        .org RAM_END - 12
        nop                     ; then an instruction straddling the end of RAM
        .byte 0x55, 0, 0, 0
        .org EOI
        .word 1
        .org IDT_DESC
        .word 256 * 8 - 1, IDT
        .org IDT
${Array.from({ length: 256 }, (_, v) => `        ${gate(v)}`).join('\n')}
        .org USER_DATA
        .word 256 * 8 - 1, IDT  ; lidt/lgdt operands that change nothing
        .word 0x7f, 0x4000
        .org USER_RO
        .word 0x600dda7a, 0x12345678
`;

let kernel: Image | undefined;

/** The kernel, assembled once. */
export function kernelImage(): Image {
  kernel ??= assembleSource(KERNEL_SOURCE, 'conformance-kernel.s', BODY_SYMBOLS);
  return kernel;
}
