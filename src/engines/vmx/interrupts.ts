import { Flag } from '../../domain/isa/arch.js';
import { Reg } from '../../domain/state/layout.js';
import type { LiveVm } from '../../domain/state/machine.js';
import { ProcControl, Vmcs } from '../../domain/state/vmcs.js';
import { deliverableLine } from '../cpu/pic.js';
import type { End } from '../env.js';
import type { VmxControls } from './controls.js';
import { ExitReason } from './exits.js';
import type { VmcsAccess } from './vmcs.js';

/** The engine's transitions the VMM's interrupt handling uses. */
export interface Transitions {
  /** A VM exit with this basic reason (no qualification) at the guest's pc. */
  exit(reason: number): void;
  /** A VM entry injecting nothing. */
  enter(): void;
  /** A VM entry injecting IRQ `line`, and its delivery through the guest's IDT. */
  enterInjecting(line: number): End | undefined;
}

/**
 * External interrupts under VT-x (SDM §24.6.1, §25.2, §26.6.5): with external-interrupt
 * exiting an interrupt exits when it arrives, whatever the guest's IF. The VMM injects it if
 * IF = 1; else it holds it and sets interrupt-window exiting, and the processor exits
 * (reason 7) as soon as the guest sets IF, when the VMM injects it. Without the window
 * (`interrupt-window-exiting=0`) a held interrupt waits for the guest's next exit of any
 * kind that finds IF = 1. The window is VMCS state; an interrupt held without it is not.
 */
export class VmxInterrupts {
  private heldWithoutWindow = false;

  constructor(
    private readonly controls: VmxControls,
    private readonly vm: LiveVm,
    private readonly vmcs: VmcsAccess,
    private readonly t: Transitions,
  ) {}

  private guestIf(): boolean {
    return ((this.vm.cpu[Reg.FLAGS] as number) & Flag.IF) !== 0;
  }

  private windowRequested(): boolean {
    return (this.vmcs.get(Vmcs.PROC_CONTROLS) & ProcControl.INTERRUPT_WINDOW_EXITING) !== 0;
  }

  private setWindow(on: boolean): void {
    const proc = this.vmcs.get(Vmcs.PROC_CONTROLS);
    this.vmcs.set(Vmcs.PROC_CONTROLS, on ? proc | ProcControl.INTERRUPT_WINDOW_EXITING : proc & ~ProcControl.INTERRUPT_WINDOW_EXITING);
  }

  /**
   * May the run loop hand the VM its pending interrupt now? Without external-interrupt
   * exiting, when the guest's IF is set. With it, once on arrival whatever IF is (a guest
   * halted with IF = 0 stays halted, as natively), then at the window (IF = 1) if asked for.
   */
  mayTake(): boolean {
    if (!this.controls.externalInterruptExiting || this.vm.cpu[Reg.HALTED] !== 0) return this.guestIf();
    if (this.windowRequested()) return this.guestIf();
    return !this.heldWithoutWindow;
  }

  /** IRQ `line` as the run loop hands it over (external-interrupt exiting on): its exit, then its injection now or held. */
  arrive(line: number): End | undefined {
    if (this.windowRequested()) {
      this.t.exit(ExitReason.INTERRUPT_WINDOW);
      this.setWindow(false);
      return this.t.enterInjecting(line);
    }
    this.t.exit(ExitReason.EXTERNAL_INTERRUPT);
    if (this.guestIf()) {
      this.heldWithoutWindow = false;
      return this.t.enterInjecting(line);
    }
    if (this.controls.interruptWindowExiting) this.setWindow(true);
    else this.heldWithoutWindow = true;
    this.t.enter();
    return undefined;
  }

  /** The VM entry after the VMM handled any other exit: a held interrupt goes in with it if the guest can take it. */
  resume(): End | undefined {
    if (this.heldWithoutWindow && this.guestIf()) {
      this.heldWithoutWindow = false;
      const line = deliverableLine(this.vm.dev);
      if (line >= 0) return this.t.enterInjecting(line);
    }
    this.t.enter();
    return undefined;
  }
}
