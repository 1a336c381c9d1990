import fc from 'fast-check';
import type { Step } from '../harness/program.js';
import { atRing, type Ring } from './rings.js';

/**
 * Arms the timer with a period in guest instructions retired, or stops it (0). Periods
 * are longer than the handler (about 25 instructions): a shorter one starves the
 * interrupted code while IF is set and EOI is sent, which only spends the budget.
 */
export const timerPeriod: fc.Arbitrary<Step> = fc.constantFrom(30, 47, 64, 0).map((p) => `mov r0, ${p}\nout 0x40, r0`);

/** The timer raises IRQ 0 once and stops: the line stays pending until IF, the mask and the in-service line allow it. */
export const oneShotIrq: Step = 'mov r0, 1\nout 0x40, r0\nnop\nmov r0, 0\nout 0x40, r0';

/** The interrupt controller: masks, EOI by hand, whether the handler sends EOI, reading its state. */
export const picControl: fc.Arbitrary<Step> = fc.constantFrom(
  'mov r0, 0\nout 0x21, r0',
  'mov r0, 1\nout 0x21, r0',
  'mov r0, 0xfffe\nout 0x21, r0',
  'out 0x20, r0',
  'mov r0, 0\nst [EOI], r0',
  'mov r0, 1\nst [EOI], r0',
  'in r1, 0x20\nin r2, 0x21\nin r3, 0x40',
);

/** Waiting for an interrupt, the timer armed first or not: halted with IF set, a window of IF, halted with IF clear (the run ends). */
export const waitForInterrupt: fc.Arbitrary<Step> = fc
  .tuple(
    fc.option(timerPeriod, { nil: undefined, freq: 2 }),
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom('sti\nhlt', 'sti\nhlt\ncli', 'sti\nnop\nnop\nnop\ncli', 'sti\nhlt\nhlt') },
      { weight: 1, arbitrary: fc.constant('cli\nhlt') },
    ),
  )
  .map(([arm, wait]) => (arm === undefined ? wait : `${arm}\n${wait}`));

/** Code at rings 1–3 with IF set, for an interrupt to arrive while it runs. */
const interruptible: fc.Arbitrary<Step> = fc
  .tuple(fc.constantFrom<Ring>(1, 2, 3), fc.constantFrom<Ring>(0, 3), fc.array(fc.constantFrom('nop', 'add r1, 1', 'push r1\npop r2'), { minLength: 1, maxLength: 4 }))
  .map(([ring, iopl, body]) => atRing({ ring, iopl, interrupts: true }, body));

/** Interrupts arriving while halted, at any ring, or held off by cli and the PIC mask, with EOI or not. */
export const interruptEvent: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: timerPeriod },
  { weight: 1, arbitrary: fc.constant(oneShotIrq) },
  { weight: 2, arbitrary: picControl },
  { weight: 3, arbitrary: waitForInterrupt },
  { weight: 2, arbitrary: interruptible },
);
