import fc from 'fast-check';

/**
 * Generated guest programs: a kernel prologue (stack, ESP0, an IDT whose handlers count
 * each vector and skip the faulting instruction, a timer handler), then generated
 * instructions at CPL 0, including privileged and sensitive ones, faults, interrupts and
 * excursions to CPL 3. r6 belongs to the harness; generated code uses r0–r5.
 */
export const PROLOGUE = `
        .entry  start
start:  mov     sp, 0x9000
        mov     r0, 0x9000
        wrmsr   0, r0
        mov     r0, idt_desc
        lidt    [r0]
        mov     r6, data
`;

const fault = (n: number, errorCode: boolean): string => `
fault${n}:
${errorCode ? '        add     sp, 4\n' : ''}        ld      r6, [counts+${4 * n}]
        add     r6, 1
        st      [counts+${4 * n}], r6
        ld      r6, [sp]
        add     r6, 8
        st      [sp], r6
        mov     r6, data
        iret
`;

export const EPILOGUE = `
        mov     r0, 0
        out     0xf4, r0
${[0, 3, 6, 13].map((n) => fault(n, n === 13)).join('')}
timer:  ld      r6, [counts+128]
        add     r6, 1
        st      [counts+128], r6
        out     0x20, r6
        mov     r6, data
        iret
back:   add     sp, 16
        ld      r6, [continue]
        jmp     r6
        .align  8
idt_desc: .word 256 * 8 - 1, idt
continue: .word 0
counts:   .space 4 * 33
data:     .space 256
        .align  8
idt:
        .word   fault0, 1, 0, 0, 0, 0, fault3, 1, 0, 0, 0, 0, fault6, 1
        .space  8 * 6
        .word   fault13, 1
        .space  8 * 18
        .word   timer, 1
        .space  8 * (0x30 - 33)
        .word   back, 7
        .space  8 * (256 - 0x31)
`;

const reg = fc.integer({ min: 0, max: 5 }).map((n) => `r${n}`);
const imm = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0, 1, 0x200, 0x3200, 0x7fffffff, 0x80000000, 0xffffffff));
const disp = fc.integer({ min: 0, max: 63 }).map((n) => n * 4);

const alu = fc.tuple(fc.constantFrom('add', 'sub', 'and', 'or', 'xor', 'shl', 'shr', 'mul', 'cmp', 'mov'), reg, fc.oneof(reg, imm.map(String)))
  .map(([op, d, s]) => `${op} ${d}, ${s}`);
const memory = fc.oneof(
  fc.tuple(reg, disp).map(([d, o]) => `ld ${d}, [r6+${o}]`),
  fc.tuple(reg, disp).map(([s, o]) => `st [r6+${o}], ${s}`),
  fc.tuple(reg, disp).map(([s, o]) => `stb [r6+${o}], ${s}`),
  fc.tuple(reg, reg).map(([a, b]) => `push ${a}\npop ${b}`),
);
const sensitive = fc.oneof(
  fc.constantFrom('cli', 'sti', 'pushf\npop r0', 'mov r1, cs', 'smsw r2', 'sidt [r6+64]', 'sgdt [r6+72]', 'nop', 'cpuid'),
  fc.constantFrom(0, 0x200, 0x3000, 0x3200, 0x8c1).map((f) => `push ${f}\npopf`),
  fc.tuple(fc.constantFrom('cr2', 'cr3', 'cr4', 'cr8'), reg).map(([cr, r]) => `mov ${cr}, ${r}`),
  fc.tuple(reg, fc.constantFrom('cr0', 'cr2', 'cr3', 'cr4', 'cr8')).map(([r, cr]) => `mov ${r}, ${cr}`),
  fc.tuple(fc.integer({ min: 1, max: 3 }), reg).map(([n, r]) => `wrmsr ${n}, ${r}\nrdmsr ${r}, ${n}`),
  reg.map((r) => `invlpg [${r}]`),
  fc.tuple(reg, fc.constantFrom('0x3fd', '0x21', '0x20', '0x40', '0x1f7')).map(([r, p]) => `in ${r}, ${p}`),
  fc.constantFrom(0, 40, 90).map((p) => `mov r5, ${p}\nout 0x40, r5`),
  fc.constantFrom('mov r5, 65\nout 0x3f8, r5', 'mov r5, 0xfffe\nout 0x21, r5', 'hlt'),
);
const faults = fc.constantFrom('div r0, 0', '.word 0, 0', 'int 3', 'mov r4, 1000\nloop\\@: sub r4, 1\njnz loop\\@');
const userBlock = fc.array(fc.oneof(alu, fc.constantFrom('cli', 'pushf\npop r0', 'mov r1, cs', 'hlt', 'in r2, 0x3fd', 'smsw r3')), { minLength: 1, maxLength: 3 })
  .map((body) => ['mov r5, 1f\nst [continue], r5', 'push 0x8800\npush 0x200\npush 3\npush 2f\niret', '2:', ...body, 'int 0x30', '1:'].join('\n'));

/** One generated step: a line or a few lines of assembly. */
export const step = fc.oneof({ weight: 3, arbitrary: alu }, { weight: 2, arbitrary: memory }, { weight: 3, arbitrary: sensitive }, { weight: 1, arbitrary: faults }, { weight: 1, arbitrary: userBlock });

let labels = 0;
/** The program's source; local labels 1: 2: become unique names. */
export function programSource(steps: readonly string[]): string {
  const body = steps.map((s) => {
    const n = ++labels;
    return s.replace(/\\@/g, `_${n}`).replace(/\b([12])f\b/g, `L$1_${n}`).replace(/^([12]):/gm, `L$1_${n}:`);
  });
  return `${PROLOGUE}\n${body.join('\n')}\n${EPILOGUE}`;
}

export const program = fc.array(step, { minLength: 1, maxLength: 12 });

/** fast-check settings: a fixed seed, printed, overridable with FC_SEED to replay a failure. */
export const SEED = Number(process.env.FC_SEED ?? 20261124);
