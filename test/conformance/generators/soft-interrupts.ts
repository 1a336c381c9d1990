import fc from 'fast-check';
import { Gate } from '../harness/layout.js';
import type { Step } from '../harness/program.js';
import { ringBlock } from './rings.js';

/**
 * `int n` on vectors that are also exceptions (0 #DE, 6 #UD, 8 #DF, 13 #GP, 14 #PF):
 * a software interrupt is not the exception, pushes no error code and sets no CR2. Also
 * #BP, IRQ vectors, gates of DPL 1, 2 and 3, an absent gate, the last vector, any vector:
 * from a ring above the gate's DPL each is #GP(n·8 + 2).
 */
export const softwareInterrupt: fc.Arbitrary<string> = fc
  .oneof(
    { weight: 4, arbitrary: fc.constantFrom(14, 13, 8, 6, 0) },
    { weight: 2, arbitrary: fc.constantFrom(3, 32, 46, Gate.SYSCALL, Gate.DPL1, Gate.DPL2, Gate.ABSENT, 255) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) },
  )
  .map((n) => `int ${n}`);

/** Software interrupts at every ring. */
export const softwareInterruptAtRing: fc.Arbitrary<Step> = ringBlock(softwareInterrupt, 2);
