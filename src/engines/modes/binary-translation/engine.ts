import { ADAPTED, callout, tcHit, tcLength } from '../../../domain/events/bt.js';
import { insn } from '../../../domain/events/guest.js';
import { emulate, trap, type TrapCause } from '../../../domain/events/vmm.js';
import { Eff } from '../../../domain/events/effects.js';
import { Flag, Vector } from '../../../domain/isa/arch.js';
import { decodeLow } from '../../../domain/isa/encoding.js';
import { INSN_BYTES, isPrivilegedOn } from '../../../domain/isa/table.js';
import { isPortIo } from '../../../domain/cost/classes.js';
import { Reg } from '../../../domain/state/layout.js';
import { TranslationCache } from '../../bt/cache.js';
import { BLOCK_LIMIT, calloutReason, isIndirect, scanBlock, translationOf } from '../../bt/translator.js';
import { Access, Status, newFault, type Fault } from '../../cpu/context.js';
import type { GuestPort } from '../../cpu/port.js';
import { Processor } from '../../cpu/processor.js';
import { retireTablesFor } from '../../cpu/retire.js';
import { Outcome, executeSystem, type SystemResult } from '../../cpu/system.js';
import { PAGE_WALK_REFS, Tlb } from '../../cpu/tlb.js';
import { directView } from '../../cpu/view.js';
import type { End, Env, ModeEngine } from '../../env.js';
import { ringCompressedView } from '../../vmm/ring-compression.js';
import { launchDeprivileged } from '../../vmm/launch.js';
import { ShadowPaging, shadowMiss } from '../../vmm/shadow.js';
import { Vmm } from '../../vmm/vmm.js';

const onHardware = { spec: insn, variant: 'cpu' } as const;

/**
 * Binary translation (Adams & Agesen 2006 §3): the guest kernel (virtual CPL 0–2) runs only
 * from the translation cache, at CPL 1 under the VMM's IDT and shadow page tables. Its
 * IDENT instructions run on the hardware; the sensitive ones were translated into inline
 * code against the virtual CPU or into callouts to the VMM, so nothing in it needs to
 * trap. User code (CPL 3) runs directly, as under trap-and-emulate.
 *
 * Where execution stands in the cache is derived from the state alone (the block covering
 * pc), so a run resumed from a checkpoint logs the same events: what happens on arrival
 * at a block (a lookup, a chain, a translation) happens in the step that left the last one.
 */
export function binaryTranslationEngine(env: Env): ModeEngine {
  const { vm, log } = env;
  const identity = new Tlb(vm.memory.size >>> 12);
  const shadow = new ShadowPaging(vm, log, env.vmIndex);
  const tc = new TranslationCache(vm, log, env.vmIndex);
  const hardware: Processor = new Processor(env, {
    walkRefs: () => (shadow.guestPaging ? PAGE_WALK_REFS : 0),
    regs: vm.cpu,
    tlb: identity.entries,
    watch: tc.watch,
    retire: retireTablesFor(onHardware, env.cpu),
    miss: shadowMiss(vm, shadow, identity, () => hardware.core.fault),
    onWatchedStore: (paddr) => tc.stored(paddr),
  });
  const useTable = (): void => {
    identity.flush();
    hardware.core.tlb = shadow.guestPaging ? shadow.table : identity.entries;
  };
  const view = ringCompressedView(vm, log);
  const vmm = new Vmm(env, view, shadow, useTable);
  const inlined = new Vmm(env, view, shadow, useTable, { spec: emulate, variant: 'inline' });
  const calledOut = new Vmm(env, view, shadow, useTable, { spec: emulate, variant: 'callout' });
  useTable();
  const port: GuestPort = { core: hardware.core, view: directView(vm.cpu, log), log, vm, vmIndex: env.vmIndex, isa: env.config.isa };
  const result: SystemResult = { outcome: Outcome.DONE, exitCode: 0, pagingChanged: false, invlpg: -1 };
  const scratch = newFault();

  const launch = (): void => launchDeprivileged(vm, log, env.vmIndex, { gdt: true });

  const pc = (): number => (vm.cpu[Reg.PC] as number) >>> 0;
  const inKernel = (): boolean => view.get(Reg.CPL) !== 3;

  /** The frame number of the guest's code page at pc (its own paging), or -1 when unmapped. */
  function frameOf(at: number): number {
    if (!shadow.guestPaging) return at >>> 12 < tc.watch.length ? at >>> 12 : -1;
    const w = shadow.guestWalk(at, Access.FETCH, false, scratch);
    return w.entry < 0 ? -1 : w.frame >>> 12;
  }

  /** Translates the block at pc; false when its first instruction cannot be fetched. */
  function translateAt(at: number, frame: number): boolean {
    const block = scanBlock(at, (addr) => vmm.peek(addr), adapted);
    if (block !== undefined) tc.add(block, frame);
    return block !== undefined;
  }

  /**
   * Instructions left from pc to the end of its block, translating a block at pc when none
   * covers it; 0 when pc's code is not mapped (the hardware's fetch faults, precisely).
   */
  function blockAt(at: number): number {
    const frame = frameOf(at);
    if (frame < 0) return 0;
    const start = coveringBlock(at, frame);
    if (start >= 0) return tcLength(vm.tc.get(start)) - ((at - start) >>> 0) / INSN_BYTES;
    return translateAt(at, frame) ? tcLength(vm.tc.get(at)) : 0;
  }

  /** The start of the translated block from this frame whose instructions include pc, or -1. */
  function coveringBlock(at: number, frame: number): number {
    for (let k = 0; k < BLOCK_LIMIT; k++) {
      const start = (at - k * INSN_BYTES) >>> 0;
      if (k > 0 && start >>> 12 !== at >>> 12) break;
      if (tc.has(start, frame) && tcLength(vm.tc.get(start)) > k) return start;
    }
    return -1;
  }

  const adapted = (at: number): boolean => ((vm.tcFaults.get(at) >>> 0) & ADAPTED) !== 0;

  /** Instructions from pc the hardware may run: up to the block's end or its first adapted instruction. */
  function identRun(at: number, left: number): number {
    if (vm.tcFaults.size === 0) return left;
    for (let i = 0; i < left; i++) if (adapted((at + i * INSN_BYTES) >>> 0)) return i;
    return left;
  }

  /**
   * Adaptive translation (Adams & Agesen 2006 §3.3): a kernel instruction's hidden page fault
   * on a traced page table is counted in the VM's state (an effect of its trap); at the
   * profile's K its block is retranslated with the instruction as a callout.
   */
  function countTracedWrite(f: Fault): boolean {
    if (!shadow.guestPaging || !inKernel()) return false;
    const w = shadow.guestWalk(f.address, f.access, false, { ...f });
    if (w.entry < 0 || shadow.fillAllows(w, f.access)) return false;
    const count = (((vm.tcFaults.get(f.pc) >>> 0) & ~ADAPTED) + 1) >>> 0;
    const entry = (count >= env.cpu.btAdaptiveFaults ? count | ADAPTED : count) >>> 0;
    vm.tcFaults.set(f.pc, entry);
    log.effect(Eff.TC_FAULTS, f.pc, entry);
    return (entry & ADAPTED) !== 0;
  }

  function retranslate(at: number): void {
    const frame = frameOf(at);
    const start = frame < 0 ? -1 : coveringBlock(at, frame);
    if (start >= 0) translateAt(start, frame);
  }

  /** An indirect transfer (ret, jmp/call through a register, iret, a delivery) into kernel code: the TC lookup of its target. */
  function lookup(): void {
    if (!inKernel()) return;
    const at = pc();
    const frame = frameOf(at);
    if (frame < 0) return;
    if (tc.has(at, frame)) log.emit(tcHit, env.vmIndex, { pc: at });
    else translateAt(at, frame);
  }

  /** A step of the VMM that may move the guest elsewhere: a move into kernel code is a lookup. */
  function redirected(from: number, end: End | undefined): End | undefined {
    if (end === undefined && pc() !== (from + INSN_BYTES) >>> 0 && pc() !== from) lookup();
    return end;
  }

  const trapped = (cause: TrapCause, f: Fault): void => log.emit(trap, env.vmIndex, { cause, vector: f.vector, pc: f.pc, errorCode: f.errorCode });

  /** A fault of code running on the hardware (IDENT code or user code) enters the VMM. */
  function dispatch(f: Fault): End | undefined {
    const from = pc();
    if (f.vector === Vector.PF && !f.software) {
      log.open(trap, env.vmIndex, { cause: 'page-fault', vector: f.vector, pc: f.pc, errorCode: f.errorCode });
      const adapt = countTracedWrite(f);
      log.close();
      const end = redirected(from, vmm.pageFault(f));
      if (adapt) retranslate(f.pc);
      return end;
    }
    if (f.software) {
      trapped('exception', f);
      return redirected(from, vmm.reflect(f));
    }
    const lo = vmm.peek(f.pc);
    trapped(f.vector === Vector.GP && lo >= 0 && isPortIo(lo & 0xff) ? 'io' : f.vector === Vector.GP ? 'privileged' : 'exception', f);
    return redirected(from, f.vector === Vector.GP || f.vector === Vector.UD ? vmm.emulate() : vmm.reflect(f));
  }

  /** A sensitive instruction of translated code: inline against the virtual CPU, or a callout. */
  function translated(lo: number): End | undefined {
    const from = pc();
    if (translationOf(lo) === 'inline') return redirected(from, inlined.emulate());
    log.emit(callout, env.vmIndex, { pc: from, word: lo >>> 0, reason: calloutReason(lo) });
    return redirected(from, calledOut.emulate());
  }

  function runKernel(n: number): End | undefined {
    const start = pc();
    const seq = env.machine.seq;
    const left = blockAt(start);
    // A translation here is one of the step's n events, so a step ends where it would
    // however the run is cut into steps (live with its batches, or re-executed bare).
    const spent = env.machine.seq - seq;
    if (spent >= n && left > 0) return undefined;
    n -= spent;
    const ident = identRun(start, left);
    if (left > 0 && ident === 0) {
      log.emit(callout, env.vmIndex, { pc: start, word: vmm.peek(start) >>> 0, reason: 'page-table-write' });
      return redirected(start, calledOut.emulate());
    }
    const before = vm.retired;
    const status = hardware.run(left === 0 ? 1 : Math.min(n, ident));
    if (status === Status.SYSTEM) return translated(hardware.core.lo);
    if (status === Status.FAULT) return dispatch(hardware.core.fault);
    if (status === Status.STOP) tc.invalidateWritten();
    if (left > 0 && vm.retired - before === left) arrived(vmm.peek((start + (left - 1) * INSN_BYTES) >>> 0));
    return undefined;
  }

  /** The block ran to its end: an indirect transfer looks its target up; a direct one or a fall-through chains to a block starting there. */
  function arrived(last: number): void {
    if (last >= 0 && isIndirect(last)) return lookup();
    const at = pc();
    const frame = frameOf(at);
    if (inKernel() && frame >= 0 && !tc.has(at, frame)) translateAt(at, frame);
  }

  /** User code runs directly; the sensitive unprivileged instructions, which would run wrongly there on `classic`, go to the VMM. */
  function runUser(n: number): End | undefined {
    const status = hardware.run(n);
    if (status === Status.STOP) tc.invalidateWritten();
    if (status === Status.FAULT) return dispatch(hardware.core.fault);
    if (status !== Status.SYSTEM) return undefined;
    const { lo, imm } = hardware.core;
    const row = decodeLow(lo);
    if (row !== undefined && row.privilege === 'none' && row.sensitivity !== 'innocuous' && !isPrivilegedOn(row, env.config.isa)) {
      log.emit(callout, env.vmIndex, { pc: pc(), word: lo >>> 0, reason: 'user-sensitive' });
      return redirected(pc(), calledOut.emulate());
    }
    executeSystem(port, pc(), lo, imm, onHardware, result);
    if (result.outcome === Outcome.FAULT) return dispatch(hardware.core.fault);
    return result.outcome === Outcome.EXIT ? { reason: 'exit', exitCode: result.exitCode } : undefined;
  }

  return {
    launch,
    run: (n) => (inKernel() ? runKernel(n) : runUser(n)),
    interrupt: (line) => {
      const ok = vmm.inject(line);
      if (ok) lookup();
      return ok;
    },
    interruptsEnabled: () => ((vm.vcpu[Reg.FLAGS] as number) & Flag.IF) !== 0,
    halted: () => vm.vcpu[Reg.HALTED] !== 0,
    dispose: () => {
      identity.release();
      vmm.dispose();
      inlined.dispose();
      calledOut.dispose();
    },
  };
}
