import type { Fault } from './cpu/mmu.js';

/**
 * What a virtualization mode decides; everything else (timer, interrupt controller, halt,
 * budget, batching) is the shared run loop. Modes differ only in how they dispatch
 * sensitive operations and translate memory.
 */
export interface Platform {
  /** Sets up the machine for the mode, after run-start (a VMM launching its guest). */
  start?(): void;
  /** Runs one guest instruction; false when it raised a fault, described by `fault`. */
  step(): boolean;
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
