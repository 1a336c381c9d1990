import { insn } from '../../../domain/events/guest.js';
import { emulate } from '../../../domain/events/vmm.js';
import { eptFill, vmentry, vmexit } from '../../../domain/events/vmx.js';
import { Cr0, PAGE_MASK, PfError, Vector } from '../../../domain/isa/arch.js';
import { Reg } from '../../../domain/state/layout.js';
import { effectCode } from '../../../domain/state/schema.js';
import { Vmcs } from '../../../domain/state/vmcs.js';
import { Access, Status, type Fault } from '../../cpu/context.js';
import type { GuestPort } from '../../cpu/port.js';
import { Processor } from '../../cpu/processor.js';
import { retireTablesFor } from '../../cpu/retire.js';
import { Outcome, executeSystem, privilegeAllows, type Retirement, type SystemResult } from '../../cpu/system.js';
import { PAGE_WALK_REFS, Tlb, identityEntry, newWalk, pageFault, walk } from '../../cpu/tlb.js';
import { directView } from '../../cpu/view.js';
import { TRIPLE_FAULT, type End, type Env, type ModeEngine, type VmcallService } from '../../env.js';
import { ShadowPaging } from '../../vmm/shadow.js';
import { Vmm } from '../../vmm/vmm.js';
import { parseVmcs } from '../../vmx/controls.js';
import { ExitReason, instructionExit, tprBelowThreshold } from '../../vmx/exits.js';
import { VmxInterrupts } from '../../vmx/interrupts.js';
import { VmcsAccess, controlWords } from '../../vmx/vmcs.js';

const onHardware: Retirement = { spec: insn, variant: 'cpu' };
const byVmm: Retirement = { spec: emulate, variant: 'trap' };
const EPT_SET = effectCode('ept.set');
/** Guest levels × EPT levels + both (Bhargava et al., ASPLOS 2008): VX32's 2-level table over a 4-level EPT. */
export const EPT_LEVELS = 4;
export const NESTED_WALK_REFS = PAGE_WALK_REFS * EPT_LEVELS + PAGE_WALK_REFS + EPT_LEVELS;
/** The fault vector the EPT miss handler leaves for dispatch: not an IDT vector. */
const EPT_VIOLATION = 0x100;

/**
 * Hardware assist (VT-x): the guest kernel runs unmodified at its own CPL 0 in non-root
 * mode, on the VM's `cpu` with its own IDT, GDT, flags and control registers. The VMM
 * (root mode) gets control only through the VM exits its VMCS asks for; it handles each
 * (emulation, shadow fill or sync, EPT fill) and re-enters, injecting an event if needed.
 * Memory: shadow paging with traced guest page tables, or EPT filled on EPT violations.
 */
export function hardwareAssistEngine(env: Env, vmcall?: VmcallService): ModeEngine {
  const { vm, log } = env;
  const controls = parseVmcs(env.config.vmcs);
  const vmcs = new VmcsAccess(vm, log);
  const tlb = new Tlb(vm.memory.size >>> 12);
  const shadow = new ShadowPaging(vm, log, env.vmIndex, vm.cpu);
  const guestPaging = (): boolean => ((vm.cpu[Reg.CR0] as number) & Cr0.PG) !== 0;
  const w = newWalk();
  let eptGpa = -1;
  let eptAccess: Access = Access.READ;
  const hardware: Processor = new Processor(env, {
    walkRefs: () => (guestPaging() ? (controls.ept ? NESTED_WALK_REFS : PAGE_WALK_REFS) : 0),
    regs: vm.cpu,
    tlb: tlb.entries,
    watch: controls.ept ? tlb.watch : new Int32Array(tlb.watch.length),
    retire: retireTablesFor(onHardware, env.cpu),
    miss: (vaddr, access, user) => (controls.ept ? eptMiss(vaddr, access, user) : hiddenFault(vaddr, access, user)),
    onWatchedStore: () => {
      tlb.flush();
      return false;
    },
  });
  const useTable = (): void => {
    tlb.flush();
    hardware.core.tlb = !controls.ept && guestPaging() ? shadow.table : tlb.entries;
  };
  const vmm = new Vmm(env, directView(vm.cpu, log), shadow, useTable, byVmm, vm.cpu);
  useTable(); // a run resumed from a checkpoint with the guest's paging on translates through the shadow it finds
  const port: GuestPort = { core: hardware.core, view: directView(vm.cpu, log), log, vm, vmIndex: env.vmIndex, isa: env.config.isa, tscOffset: controls.useTscOffsetting ? controls.tscOffset : 0 };
  const result: SystemResult = { outcome: Outcome.DONE, exitCode: 0, pagingChanged: false, invlpg: -1 };
  const pcNow = (): number => (vm.cpu[Reg.PC] as number) >>> 0;

  /** Shadow paging's miss: with the guest's paging on, a hidden page fault (an exit); off, the identity map. */
  function hiddenFault(vaddr: number, access: Access, user: boolean): number {
    const f = hardware.core.fault;
    if (!guestPaging()) {
      const entry = identityEntry(vm.memory, vaddr, f);
      return entry < 0 ? -1 : tlb.fill(vaddr >>> 12, entry);
    }
    return pageFault(f, vaddr, vm.shadow.get(vaddr >>> 12) !== 0, access, user);
  }

  const eptMapped = (frame: number): boolean => frame >>> 0 >= vm.memory.size || vm.ept.get(frame >>> 12) !== 0;

  function violation(gpa: number, access: Access): number {
    const f = hardware.core.fault;
    eptGpa = gpa >>> 0;
    eptAccess = access;
    f.vector = EPT_VIOLATION;
    f.address = gpa >>> 0;
    return -1;
  }

  /** EPT's miss: the guest's own walk, each guest-physical page it touches through the EPT. */
  function eptMiss(vaddr: number, access: Access, user: boolean): number {
    const f = hardware.core.fault;
    if (!guestPaging()) {
      const entry = identityEntry(vm.memory, vaddr, f);
      if (entry < 0) return -1;
      return eptMapped(entry & PAGE_MASK) ? tlb.fill(vaddr >>> 12, entry) : violation(entry & PAGE_MASK, access);
    }
    const cr3 = (vm.cpu[Reg.CR3] as number) & PAGE_MASK;
    if (!eptMapped(cr3)) return violation(cr3, Access.READ);
    walk(vm.memory, vm.cpu[Reg.CR0] as number, vm.cpu[Reg.CR3] as number, vaddr, access, user, f, w);
    if (w.entry < 0) return -1;
    if (!eptMapped(w.ptFrame)) return violation(w.ptFrame, Access.READ);
    if (!eptMapped(w.frame)) return violation(w.frame, access);
    tlb.watchFrame(w.pdFrame >>> 12);
    tlb.watchFrame(w.ptFrame >>> 12);
    return tlb.fill(vaddr >>> 12, w.entry);
  }

  function exit(reason: number, qualification: number, pc: number, address: number, length = 0): void {
    log.open(vmexit, env.vmIndex, { reason, qualification, pc, address });
    vmcs.set(Vmcs.EXIT_REASON, reason);
    vmcs.set(Vmcs.EXIT_QUALIFICATION, qualification);
    vmcs.set(Vmcs.EXIT_INSN_LENGTH, length);
    if (reason === ExitReason.EPT_VIOLATION) vmcs.set(Vmcs.GUEST_PHYSICAL_ADDRESS, address);
    else if (address !== 0) vmcs.set(Vmcs.GUEST_LINEAR_ADDRESS, address);
    log.close();
  }

  function enter(injection = 0, errorCode = 0): void {
    log.open(vmentry, env.vmIndex, { pc: pcNow(), injection });
    vmcs.set(Vmcs.ENTRY_INTR_INFO, injection);
    if (injection !== 0) vmcs.set(Vmcs.ENTRY_ERROR_CODE, errorCode);
    log.close();
  }

  /**
   * The read shadows say what the guest last wrote to the bits the VMM owns. The VMM sets
   * them when it emulates a CR0/CR4 write (and at launch); a write that did not exit left the
   * owned bits as they were, so the guest-state's owned bits always equal the shadow's and a
   * read (owned bits from the shadow, SDM §25.3) returns what the register holds.
   */
  function setShadows(): void {
    vmcs.set(Vmcs.CR0_READ_SHADOW, (vm.cpu[Reg.CR0] as number) >>> 0);
    vmcs.set(Vmcs.CR4_READ_SHADOW, (vm.cpu[Reg.CR4] as number) >>> 0);
  }

  const interrupts = new VmxInterrupts(controls, vm, vmcs, {
    exit: (reason) => exit(reason, 0, pcNow(), 0),
    enter: () => enter(),
    enterInjecting: (line) => {
      enter(VmcsAccess.injection(32 + line, true));
      return afterDelivery(vmm.inject(line, 'cpu')) ? undefined : TRIPLE_FAULT;
    },
  });
  const resume = (): End | undefined => interrupts.resume();

  /**
   * The processor delivers a fault through the guest's IDT, in non-root mode or on a VM
   * entry that injects it. Its accesses go through the guest's own tables (the VMM's view):
   * a delivery that missed the shadow or the EPT would exit and be restarted by the VMM.
   */
  const deliverFault = (f: Fault): End | undefined => afterDelivery(vmm.reflect(f, 'cpu'));

  /**
   * The VMM's accesses are not watched by the guest's TLB (only traced pages are, for the
   * shadow): under EPT a delivery that wrote a live page-table word must not leave a stale
   * translation, so the software TLB goes after each one.
   */
  function afterDelivery<T>(outcome: T): T {
    if (controls.ept) tlb.flush();
    return outcome;
  }

  /** The VMM re-enters injecting the fault (SDM §26.6): the guest takes it through its own IDT. */
  function inject(f: Fault): End | undefined {
    enter(VmcsAccess.injection(f.vector, false), f.errorCode);
    return deliverFault(f);
  }

  /** A guest page fault under shadow paging: hidden (fill), a traced write (emulate), or the guest's own (inject). */
  function shadowPageFault(f: Fault): End | undefined {
    if (!guestPaging()) return inject(f);
    const guestFault = { ...f };
    const gw = shadow.guestWalk(f.address, f.access, (f.errorCode & PfError.U) !== 0, guestFault);
    if (gw.entry < 0) return inject(guestFault);
    if (shadow.fillAllows(gw, f.access)) shadow.fill(f.address, gw);
    else {
      const end = vmm.emulate();
      if (end !== undefined) return end;
    }
    return resume();
  }

  function dispatch(fault: Fault): End | undefined {
    const f = { ...fault };
    if (f.vector === EPT_VIOLATION) {
      const gpa = eptGpa;
      eptGpa = -1;
      exit(ExitReason.EPT_VIOLATION, 1 << eptAccess, f.pc, gpa);
      log.open(eptFill, env.vmIndex, { gpa: gpa & PAGE_MASK, hpa: gpa & PAGE_MASK });
      const entry = ((gpa & PAGE_MASK) | 7) >>> 0; // read, write, execute; host-physical = guest-physical
      vm.ept.set(gpa >>> 12, entry);
      log.effect(EPT_SET, gpa >>> 12, entry);
      log.close();
      return resume();
    }
    if (f.software || (controls.exceptionBitmap & (1 << f.vector)) === 0) return deliverFault(f);
    exit(ExitReason.EXCEPTION_NMI, f.vector === Vector.PF ? f.address : 0, f.pc, f.vector === Vector.PF ? f.address : 0);
    return f.vector === Vector.PF && !controls.ept ? shadowPageFault(f) : inject(f);
  }

  /** After an instruction changed paging: the TLB (EPT) or the shadow (its exits) follows. */
  function paging(r: SystemResult): void {
    if (controls.ept) {
      if (r.pagingChanged) tlb.flush();
      if (r.invlpg >= 0) tlb.flushPage(r.invlpg >>> 12);
      return;
    }
    if (r.invlpg >= 0) shadow.invlpg(r.invlpg);
    if (r.pagingChanged) {
      shadow.flush();
      useTable();
    }
  }

  function system(): End | undefined {
    const pc = pcNow();
    const { lo, imm } = hardware.core;
    const get = (r: number): number => (vm.cpu[r] as number) >>> 0;
    const x = instructionExit(controls, lo, imm, get, (cr) => vmcs.get(cr === 0 ? Vmcs.CR0_READ_SHADOW : Vmcs.CR4_READ_SHADOW));
    if (x === undefined) {
      const belowThreshold = tprBelowThreshold(controls, lo, get);
      executeSystem(port, pc, lo, imm, onHardware, result);
      if (result.outcome === Outcome.FAULT) return dispatch(hardware.core.fault);
      if (controls.ept) paging(result);
      if (result.outcome === Outcome.EXIT) return { reason: 'exit', exitCode: result.exitCode };
      if (!belowThreshold) return undefined;
      exit(ExitReason.TPR_BELOW_THRESHOLD, 0, pcNow(), 0); // trap-like: after the write; the VMM has no APIC to re-evaluate
      return resume();
    }
    // privilege checks come before the exit on VT-x: a faulting instruction raises its fault instead
    if (!privilegeAllows(port, lo)) {
      executeSystem(port, pc, lo, imm, onHardware, result);
      return dispatch(hardware.core.fault);
    }
    exit(x.reason, x.qualification, pc, x.reason === ExitReason.INVLPG ? x.qualification : 0, 8);
    if (x.reason === ExitReason.VMCALL) {
      if (vmcall === undefined) return inject({ vector: Vector.UD, errorCode: 0, address: 0, access: 0, pc, software: false });
      const end = vmcall(vmm.port, pc, lo, imm, 'vmexit');
      if (end !== undefined) return end;
      return resume();
    }
    executeSystem(port, pc, lo, imm, byVmm, result);
    if (result.outcome === Outcome.FAULT) return inject({ ...hardware.core.fault });
    paging(result);
    if (result.outcome === Outcome.EXIT) return { reason: 'exit', exitCode: result.exitCode };
    if (x.reason === ExitReason.CR_ACCESS) setShadows();
    return resume();
  }

  return {
    launch() {
      log.open(vmentry, env.vmIndex, { pc: pcNow(), injection: 0 });
      for (const [field, value] of controlWords(controls)) vmcs.set(field, value);
      setShadows();
      log.close();
      useTable();
    },
    run(n) {
      const status = hardware.run(n);
      if (status === Status.SYSTEM) return system();
      return status === Status.FAULT ? dispatch(hardware.core.fault) : undefined;
    },
    interrupt(line) {
      if (controls.externalInterruptExiting) return interrupts.arrive(line) === undefined;
      return afterDelivery(vmm.inject(line, 'cpu'));
    },
    interruptsEnabled: () => interrupts.mayTake(),
    halted: () => vm.cpu[Reg.HALTED] !== 0,
    dispose: () => {
      tlb.release();
      vmm.dispose();
    },
  };
}
