import type { Fault } from './cpu/mmu.js';

/**
 * Outcomes of `Platform.step`. SENSITIVE means the instruction may have changed what the
 * run loop checks between instructions (IF, halt, devices, exit), so it checks again.
 */
export const Step = { FAULT: 0, PLAIN: 1, SENSITIVE: 2 } as const;

/**
 * What a virtualization mode decides; everything else (timer, interrupt controller, halt,
 * budget, batching) is the shared run loop. Modes differ only in how they dispatch
 * sensitive operations and translate memory.
 */
export interface Platform {
  /** Sets up the machine for the mode, after run-start (a VMM launching its guest). */
  start?(): void;
  /** Runs one guest instruction: a Step outcome; on FAULT, `fault` describes it. */
  step(): number;
  readonly fault: Fault;
  /** Handles a fault the guest raised; false on a triple fault. */
  dispatchFault(fault: Fault): boolean;
  /** Delivers IRQ `line` to the guest (its IF is set); false on a triple fault. */
  deliverInterrupt(line: number): boolean;
  /** The interrupt flag as the guest set it. */
  interruptsEnabled(): boolean;
  /** Has the guest executed `hlt` and not been woken yet? */
  halted(): boolean;
  /** The exit code if the last instruction wrote the exit port. */
  exitCode(): number | undefined;
}
