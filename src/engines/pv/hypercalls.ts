import { evtchn, hypercall } from '../../domain/events/pv.js';
import { emulate } from '../../domain/events/vmm.js';
import { Cr0, Port } from '../../domain/isa/arch.js';
import { Dev } from '../../domain/state/layout.js';
import { Reg } from '../../domain/state/layout.js';
import type { LiveVm } from '../../domain/state/machine.js';
import type { CoreContext } from '../cpu/context.js';
import { read32, writePhysical32 } from '../cpu/memory.js';
import type { EventLog } from '../cpu/log.js';
import { writePort } from '../cpu/devices.js';
import type { CpuView } from '../cpu/view.js';
import type { VmcallEntry } from '../env.js';
import { BLOCK_PORT, Errno, EvtchnOp, Hypercall, MmuextOp, SchedOp, SharedInfo } from './abi.js';
import { FAST_SYSCALL_REG, SHARED_INFO_REG, readSharedInfo, recordRegistration, updateClock, writeSharedInfo } from './shared-info.js';
import { pin, unpin } from './pin.js';
import { checkPteUpdate, inGuest, type PagingFacts } from './validate.js';

/** Most PTE writes one mmu_update may carry (Xen's batches are bounded by the guest's buffer). */
export const MMU_BATCH_MAX = 64;

/** What a hypercall needs of the machine: the guest's CPU as the hypervisor sees it, memory, devices, the log. */
export interface HypervisorPort {
  readonly vm: LiveVm;
  readonly log: EventLog;
  readonly vmIndex: number;
  readonly core: CoreContext;
  readonly view: CpuView;
  readonly memoryBytes: number;
  readonly paging: PagingFacts;
  /** How the call entered the hypervisor: its retirement prices the transition only when no VM exit did. */
  readonly entry: VmcallEntry;
}

/** What the engine must do after a hypercall's event (TLB, page-table frames, the block backend, the run's end). */
export interface HypercallOutcome {
  result: number;
  flushTlb: boolean;
  invlpg: number; // a linear address, or -1
  kick: boolean;
  exit: number | undefined;
}

/** An accepted hypercall's changes, applied inside its event once its result is known. */
type Apply = () => void;
interface Plan {
  readonly result: number;
  readonly apply?: Apply;
  readonly flushTlb?: boolean;
  readonly invlpg?: number;
  readonly kick?: boolean;
  readonly exit?: number;
  /** The event channel port an `event_channel_op` send notifies. */
  readonly notify?: number;
  /** Where the guest continues: after the vmcall, unless the call returns elsewhere (iret). */
  readonly next?: number;
}

const refuse = (result: number): Plan => ({ result });

/** Every hypercall: what a paravirtualized kernel is offered. */
export const ALL_HYPERCALLS: ReadonlySet<number> = new Set(Object.values(Hypercall));

/** The (pte address, value) pairs of an mmu_update batch, read from the guest's memory (through its paging). */
function readBatch(p: HypervisorPort, at: number, count: number): [number, number][] | undefined {
  const out: [number, number][] = [];
  for (let i = 0; i < count; i++) {
    const ptr = read32(p.core, at + 8 * i, false);
    const value = ptr < 0 ? -1 : read32(p.core, at + 8 * i + 4, false);
    if (value < 0) return undefined;
    out.push([ptr >>> 0, value >>> 0]);
  }
  return out;
}

function mmuUpdate(p: HypervisorPort, at: number, count: number): Plan {
  if (count > MMU_BATCH_MAX) return refuse(Errno.EINVAL);
  const batch = readBatch(p, at, count);
  if (batch === undefined) return refuse(Errno.EFAULT);
  // Validated as a whole: a refused entry refuses the batch, so the guest is never left half-updated.
  for (const [ptr, value] of batch) if (checkPteUpdate(p.paging, ptr, value) !== undefined) return refuse(Errno.EPERM);
  return { result: count, apply: () => batch.forEach(([ptr, value]) => writePhysical32(p.core, ptr, value)), flushTlb: true };
}

/** The PTE that maps `vaddr` in the current tables (physical address), or -1 when its table is absent. */
function pteAddress(p: HypervisorPort, vaddr: number): number {
  const pd = p.view.get(Reg.CR3) & 0xfffff000;
  const pde = p.vm.memory.read32(pd + ((vaddr >>> 22) << 2));
  if ((pde & 1) === 0 || !inGuest(p.memoryBytes, pde & 0xfffff000, 4096)) return -1;
  return ((pde & 0xfffff000) + (((vaddr >>> 12) & 0x3ff) << 2)) >>> 0;
}

function mmuextOp(p: HypervisorPort, op: number, arg: number): Plan {
  switch (op) {
    case MmuextOp.NEW_BASEPTR: {
      if ((arg & 0xfff) !== 0 || !inGuest(p.memoryBytes, arg, 4096)) return refuse(Errno.EINVAL);
      return {
        result: 0,
        apply: () => {
          p.view.set(Reg.CR3, arg);
          p.view.set(Reg.CR0, (Cr0.PE | Cr0.WP | Cr0.PG) | 0);
        },
        flushTlb: true,
      };
    }
    case MmuextOp.INVLPG: return { result: 0, invlpg: arg >>> 0 };
    case MmuextOp.PIN_TABLE: return pin(p, arg);
    case MmuextOp.UNPIN_TABLE: return unpin(p, arg);
    default: return refuse(Errno.EINVAL);
  }
}

function updateVaMapping(p: HypervisorPort, vaddr: number, value: number): Plan {
  const ptr = pteAddress(p, vaddr >>> 0);
  if (ptr < 0) return refuse(Errno.EINVAL);
  if (checkPteUpdate(p.paging, ptr, value) !== undefined) return refuse(Errno.EPERM);
  return { result: 0, apply: () => writePhysical32(p.core, ptr, value), invlpg: vaddr >>> 0 };
}

function setTrapTable(p: HypervisorPort, desc: number, fastVector: number): Plan {
  const limit = read32(p.core, desc, false);
  const base = limit < 0 ? -1 : read32(p.core, desc + 4, false);
  if (base < 0) return refuse(Errno.EFAULT);
  if (limit >>> 0 > 0x7ff || !inGuest(p.memoryBytes, base >>> 0, (limit >>> 0) + 1) || fastVector >>> 0 > 255) return refuse(Errno.EINVAL);
  return {
    result: 0,
    apply: () => {
      p.view.set(Reg.IDTR_LIMIT, limit);
      p.view.set(Reg.IDTR_BASE, base);
      recordRegistration(p.vm, p.log, FAST_SYSCALL_REG, fastVector === 0 ? 0 : fastVector + 1);
    },
  };
}

/** The guest's iret: it pushed r0 over its interrupt frame (pc, cpl, flags, and sp when returning to an outer ring). */
function iret(p: HypervisorPort): Plan {
  const sp = p.view.get(Reg.SP);
  const words = [0, 1, 2, 3, 4].map((i) => read32(p.core, sp + 4 * i, false));
  if (words.slice(0, 4).some((w) => w < 0)) return refuse(Errno.EFAULT);
  const [r0, pc, cpl, flags, userSp] = words.map((w) => w >>> 0) as [number, number, number, number, number];
  if (cpl > 3 || cpl < p.view.get(Reg.CPL)) return refuse(Errno.EINVAL);
  if (cpl > p.view.get(Reg.CPL) && words[4] === -1) return refuse(Errno.EFAULT);
  return {
    result: r0 | 0,
    next: pc,
    apply: () => {
      p.view.set(Reg.SP, cpl > p.view.get(Reg.CPL) ? userSp : sp + 16);
      p.view.set(Reg.CPL, cpl);
      p.view.set(Reg.FLAGS, flags);
    },
  };
}

function schedOp(p: HypervisorPort, op: number, arg: number): Plan {
  switch (op) {
    case SchedOp.YIELD: return { result: 0 };
    case SchedOp.BLOCK:
      // Xen's SCHEDOP_block: wait for an event, with events enabled.
      return { result: 0, apply: () => { writeSharedInfo(p.vm, p.core, SharedInfo.UPCALL_MASK, 0); p.view.set(Reg.HALTED, 1); } };
    case SchedOp.SHUTDOWN: return { result: 0, exit: arg | 0 };
    default: return refuse(Errno.EINVAL);
  }
}

function eventChannelOp(p: HypervisorPort, op: number, port: number): Plan {
  const { vm, log } = p;
  switch (op) {
    case EvtchnOp.BIND_VIRQ:
      if (port >>> 0 > 15) return refuse(Errno.EINVAL);
      return { result: port, apply: () => void writePort(vm, log, Port.PIC_MASK, (vm.dev[Dev.PIC_MASK] as number) & ~(1 << port), vm.ticks) };
    case EvtchnOp.UNMASK:
      if (port >>> 0 > 15) return refuse(Errno.EINVAL);
      return {
        result: 0,
        apply: () => {
          writeSharedInfo(vm, p.core, SharedInfo.PENDING, readSharedInfo(vm, SharedInfo.PENDING) & ~(1 << port));
          writePort(vm, log, Port.PIC_COMMAND, 0, vm.ticks);
        },
      };
    case EvtchnOp.SEND: return port === BLOCK_PORT ? { result: 0, kick: true, notify: port } : refuse(Errno.ENOENT);
    default: return refuse(Errno.EINVAL);
  }
}

function planOf(p: HypervisorPort, nr: number, a: readonly [number, number, number, number]): Plan {
  const { vm, log } = p;
  switch (nr) {
    case Hypercall.SET_TRAP_TABLE: return setTrapTable(p, a[0], a[1]);
    case Hypercall.MMU_UPDATE: return mmuUpdate(p, a[0], a[1]);
    case Hypercall.MMUEXT_OP: return mmuextOp(p, a[0], a[1]);
    case Hypercall.UPDATE_VA_MAPPING: return updateVaMapping(p, a[0], a[1]);
    case Hypercall.STACK_SWITCH: return { result: 0, apply: () => p.view.set(Reg.MSR0, a[0]) };
    case Hypercall.SET_TIMER_OP:
      return {
        result: 0,
        apply: () => {
          writePort(vm, log, Port.TIMER, a[0], vm.ticks + 1); // armed as the vmcall retires, as an out's io follows it
          updateClock(vm, p.core, log);
        },
      };
    case Hypercall.SCHED_OP: return schedOp(p, a[0], a[1]);
    case Hypercall.EVENT_CHANNEL_OP: return eventChannelOp(p, a[0], a[1]);
    case Hypercall.CONSOLE_IO: return { result: 1, apply: () => void writePort(vm, log, Port.CONSOLE_DATA, a[0], vm.ticks) };
    case Hypercall.IRET: return iret(p);
    case Hypercall.SHARED_INFO:
      // the page and the ring page after it: the guest's, and not page tables (the hypervisor writes them)
      if ((a[0] & 0xfff) !== 0 || a[0] === 0 || !inGuest(p.memoryBytes, a[0], 8192) || p.paging.isPageTable(a[0] >>> 12) || p.paging.isPageTable((a[0] >>> 12) + 1)) return refuse(Errno.EINVAL);
      return { result: 0, apply: () => { recordRegistration(p.vm, p.log, SHARED_INFO_REG, a[0] as number); writePhysical32(p.core, a[0] + SharedInfo.UPCALL_MASK, 1); } };
    default: return refuse(Errno.ENOSYS);
  }
}

/**
 * Serves the hypercall the guest's `vmcall` at `pc` makes: validates its arguments, logs one
 * `hypercall` event (number, arguments, result) with the changes it makes, then the
 * `emulate` event that retires the vmcall (the hypervisor's dispatch), and returns the
 * result (in r0, unless the call returned to another context) and what the engine must do next.
 */
export function serveHypercall(p: HypervisorPort, pc: number, word: number, imm: number, out: HypercallOutcome, offered: ReadonlySet<number> = ALL_HYPERCALLS): HypercallOutcome {
  const nr = p.view.get(0);
  const args = [p.view.get(1), p.view.get(2), p.view.get(3), p.view.get(4)] as const;
  const plan = offered.has(nr) ? planOf(p, nr, args) : refuse(Errno.ENOSYS);
  const next = plan.next ?? (pc + 8) >>> 0;
  p.log.open(hypercall, p.vmIndex, { nr: nr > 0xff ? 0xff : nr, arg1: args[0], arg2: args[1], arg3: args[2], arg4: args[3], result: plan.result });
  plan.apply?.();
  p.view.set(0, plan.result >>> 0);
  p.log.close();
  if (plan.notify !== undefined) p.log.emit(evtchn, p.vmIndex, { op: 'notify', port: plan.notify });
  p.log.emit(emulate, p.vmIndex, { pc, word: word >>> 0, imm: imm >>> 0, next, after: p.entry === 'hypercall' ? 'hypercall' : 'trap', walks: 0 });
  out.result = plan.result;
  out.flushTlb = plan.flushTlb ?? false;
  out.invlpg = plan.invlpg ?? -1;
  out.kick = plan.kick ?? false;
  out.exit = plan.exit;
  return out;
}
