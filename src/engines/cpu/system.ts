import { io } from '../../domain/events/guest.js';
import type { EventSpec } from '../../domain/events/spec.js';
import { ALL_FLAGS, ALU_FLAGS, Cr4, Flag, IOPL_SHIFT, MSR_COUNT, Vector } from '../../domain/isa/arch.js';
import { Op, isPrivilegedOn } from '../../domain/isa/table.js';
import { Reg, crIndex } from '../../domain/state/layout.js';
import { peekPort, readPort, writePort } from './devices.js';
import { rowOf } from './decode.js';
import { fillTlbModel, flushTlbModel, raise, read32, tlbModelMiss, writable, write32 } from './memory.js';
import type { GuestPort } from './port.js';

/** How a system instruction ended. */
export const Outcome = { DONE: 0, FAULT: 1, EXIT: 2 } as const;

/** What a mode may need to know after a system instruction ran. */
export interface SystemResult {
  outcome: number;
  exitCode: number;
  pagingChanged: boolean; // CR0 or CR3 written
  invlpg: number; // the linear address of an invlpg, else -1
}

/** The event a retired instruction is logged as: `insn` by some hardware, or `emulate` after some VMM entry. */
export interface Retirement {
  readonly spec: EventSpec;
  readonly variant: string;
}

const CPUID_VENDOR = [0x32335856, 0x74726956, 0x2162614c]; // "VX32" "Virt" "Lab!"

/** May the instruction run at the guest's CPL (and IOPL, CR4.TSD) on this ISA profile? */
export function privilegeAllows(p: GuestPort, lo: number): boolean {
  const row = rowOf(lo);
  const cpl = p.view.get(Reg.CPL);
  if (isPrivilegedOn(row, p.isa)) return cpl === 0;
  if (row.privilege === 'iopl') return cpl <= ((p.view.get(Reg.FLAGS) & Flag.IOPL) >>> IOPL_SHIFT);
  if (row.privilege === 'tsd') return cpl === 0 || (p.view.get(Reg.CR4) & Cr4.TSD) === 0;
  return true;
}

/** Flags as popf or iret load them at the current CPL: IF only at CPL ≤ IOPL, IOPL only at CPL 0. */
function loadableFlags(p: GuestPort, value: number): number {
  const flags = p.view.get(Reg.FLAGS);
  const cpl = p.view.get(Reg.CPL);
  const mask = ALU_FLAGS | (cpl <= (flags & Flag.IOPL) >>> IOPL_SHIFT ? Flag.IF : 0) | (cpl === 0 ? Flag.IOPL : 0);
  return ((flags & ~mask) | (value & mask)) >>> 0;
}

const address = (p: GuestPort, base: number, disp: number): number => (base === 0xf ? disp : p.view.get(base) + disp) >>> 0;

/** A change to make once every check passed: a register or a memory word. */
type Write = readonly [kind: 'reg', reg: number, value: number] | readonly [kind: 'mem', vaddr: number, value: number];

interface Plan {
  writes: Write[];
  next: number;
  port?: { readonly direction: 'in' | 'out'; readonly port: number; readonly value: number };
}

/**
 * The changes an instruction will make, computed with every read and check first so that
 * a fault leaves nothing applied; undefined when it faults (the core's fault is set).
 */
function plan(p: GuestPort, pc: number, lo: number, imm: number, result: SystemResult): Plan | undefined {
  const v = p.view;
  const op = lo & 0xff;
  const rd = (lo >>> 8) & 0xf;
  const rs = (lo >>> 12) & 0xf;
  const user = v.get(Reg.CPL) === 3;
  const sp = v.get(Reg.SP);
  const next = (pc + 8) >>> 0;
  const fault = (vector: number): undefined => void raise(p.core, vector, 0, pc);
  const faulted = (): undefined => {
    p.core.fault.pc = pc;
    p.core.fault.software = false;
    return undefined;
  };
  const reg = (r: number, value: number): Write => ['reg', r, value >>> 0];
  switch (op) {
    case Op.PUSHF:
      if (!writable(p.core, sp - 4, 4, user)) return faulted();
      return { writes: [['mem', sp - 4, v.get(Reg.FLAGS) & ALL_FLAGS], reg(Reg.SP, sp - 4)], next };
    case Op.POPF: {
      const value = read32(p.core, sp, user);
      if (value < 0) return faulted();
      return { writes: [reg(Reg.SP, sp + 4), reg(Reg.FLAGS, loadableFlags(p, value))], next };
    }
    case Op.CLI: return { writes: [reg(Reg.FLAGS, v.get(Reg.FLAGS) & ~Flag.IF)], next };
    case Op.STI: return { writes: [reg(Reg.FLAGS, v.get(Reg.FLAGS) | Flag.IF)], next };
    case Op.HLT: return { writes: [reg(Reg.HALTED, 1)], next };
    case Op.INT:
      raise(p.core, imm & 0xff, 0, pc);
      p.core.fault.software = true;
      return undefined;
    // Op.IRET: executeIret, without a plan
    case Op.IN_I: case Op.IN_R: {
      const port = op === Op.IN_I ? imm >>> 0 : v.get(rs);
      const value = peekPort(p.vm, port);
      return { writes: [reg(rd, value)], next, port: { direction: 'in', port, value } };
    }
    case Op.OUT_I: case Op.OUT_R: {
      const port = op === Op.OUT_I ? imm >>> 0 : v.get(rd);
      return { writes: [], next, port: { direction: 'out', port, value: v.get(rs) } };
    }
    case Op.MOV_CR_R:
      result.pagingChanged = rd === 0 || rd === 3;
      return { writes: [reg(crIndex(rd), v.get(rs))], next };
    case Op.MOV_R_CR: return { writes: [reg(rd, v.get(crIndex(rs)))], next };
    case Op.LIDT: case Op.LGDT: {
      const at = address(p, rs, imm);
      const limit = read32(p.core, at, user);
      const base = limit < 0 ? -1 : read32(p.core, at + 4, user);
      if (base < 0) return faulted();
      const table = op === Op.LIDT ? Reg.IDTR_BASE : Reg.GDTR_BASE;
      return { writes: [reg(table + 1, limit), reg(table, base)], next };
    }
    case Op.SIDT: case Op.SGDT: {
      const at = address(p, rs, imm);
      if (!writable(p.core, at, 8, user)) return faulted();
      const table = op === Op.SIDT ? Reg.IDTR_BASE : Reg.GDTR_BASE;
      return { writes: [['mem', at, v.get(table + 1)], ['mem', at + 4, v.get(table)]], next };
    }
    case Op.SMSW: return { writes: [reg(rd, v.get(Reg.CR0) & 0xffff)], next };
    case Op.MOV_R_CS: return { writes: [reg(rd, v.get(Reg.CPL))], next };
    case Op.INVLPG:
      result.invlpg = address(p, rs, imm);
      return { writes: [], next };
    case Op.RDTSC:
      p.log.machine.settle();
      return { writes: [reg(rd, (p.log.machine.cycles % 0x1_0000_0000) + (p.tscOffset ?? 0))], next };
    case Op.CPUID: {
      const values = v.get(0) === 0 ? [1, ...CPUID_VENDOR] : [0, 0, 0, 0];
      return { writes: values.map((value, r) => reg(r, value as number)), next };
    }
    case Op.VMCALL: return fault(Vector.UD);
    case Op.WRMSR: return imm >>> 0 >= MSR_COUNT ? fault(Vector.GP) : { writes: [reg(Reg.MSR0 + imm, v.get(rs))], next };
    case Op.RDMSR: return imm >>> 0 >= MSR_COUNT ? fault(Vector.GP) : { writes: [reg(rd, v.get(Reg.MSR0 + imm))], next };
    default: return fault(Vector.UD);
  }
}

/**
 * Runs one system instruction on the guest's behalf (the hardware's, or a VMM's
 * emulation of it) and logs it as `retirement` says; a port access is followed by its
 * `io` event. Returns how it ended; on FAULT nothing was applied and the core's fault says why.
 */
export function executeSystem(p: GuestPort, pc: number, lo: number, imm: number, retirement: Retirement, result: SystemResult): SystemResult {
  result.outcome = Outcome.DONE;
  result.pagingChanged = false;
  result.invlpg = -1;
  if (!privilegeAllows(p, lo)) {
    raise(p.core, Vector.GP, 0, pc);
    result.outcome = Outcome.FAULT;
    return result;
  }
  const op = lo & 0xff;
  if (op === Op.IN_I || op === Op.IN_R || op === Op.OUT_I || op === Op.OUT_R) return executePort(p, pc, lo, imm, retirement, result);
  if (op === Op.IRET) return executeIret(p, pc, lo, imm, retirement, result);
  const planned = plan(p, pc, lo, imm, result);
  if (planned === undefined) {
    result.outcome = Outcome.FAULT;
    return result;
  }
  const user = p.view.get(Reg.CPL) === 3;
  const miss = tlbModelMiss(p.core, pc);
  p.log.open(retirement.spec, p.vmIndex, retiring(pc, lo, imm, planned.next, retirement, miss?.refs ?? 0));
  if (miss !== undefined) fillTlbModel(p.core, miss);
  for (const [kind, target, value] of planned.writes) {
    if (kind === 'reg') p.view.set(target, value);
    else write32(p.core, target, value, user);
  }
  if (result.pagingChanged) flushTlbModel(p.core);
  if (result.invlpg >= 0) flushTlbModel(p.core, result.invlpg);
  p.log.close();
  if (planned.port !== undefined) portAccess(p, planned.port, result);
  return result;
}

/** A fault met reading the frame: the core's fault already says which; the instruction is at pc. */
function frameFault(p: GuestPort, pc: number, result: SystemResult): SystemResult {
  p.core.fault.pc = pc;
  p.core.fault.software = false;
  result.outcome = Outcome.FAULT;
  return result;
}

/**
 * `iret`: pops pc, CPL and flags (and SP when it returns to an outer ring) with every read
 * and check before anything changes, then loads flags, CPL and SP in that order. The
 * exception-heavy path (every gate of a fault loop ends in one), so it builds no plan.
 */
function executeIret(p: GuestPort, pc: number, lo: number, imm: number, retirement: Retirement, result: SystemResult): SystemResult {
  const v = p.view;
  const cpl = v.get(Reg.CPL);
  const user = cpl === 3;
  const sp = v.get(Reg.SP);
  const target = read32(p.core, sp, user);
  const newCpl = target < 0 ? -1 : read32(p.core, sp + 4, user);
  const flags = newCpl < 0 ? -1 : read32(p.core, sp + 8, user);
  if (flags < 0) return frameFault(p, pc, result);
  if (newCpl < cpl || newCpl > 3) {
    raise(p.core, Vector.GP, 0, pc);
    result.outcome = Outcome.FAULT;
    return result;
  }
  const newSp = newCpl > cpl ? read32(p.core, sp + 12, user) : (sp + 12) >>> 0;
  if (newSp < 0) return frameFault(p, pc, result);
  const newFlags = loadableFlags(p, flags);
  const miss = tlbModelMiss(p.core, pc);
  p.log.open(retirement.spec, p.vmIndex, retiring(pc, lo, imm, target, retirement, miss?.refs ?? 0));
  if (miss !== undefined) fillTlbModel(p.core, miss);
  v.set(Reg.FLAGS, newFlags);
  v.set(Reg.CPL, newCpl);
  v.set(Reg.SP, newSp);
  p.log.close();
  return result;
}

/**
 * The payloads of a retiring instruction and of a port access, reused: the log reads a
 * payload only while its event is open (one at a time), so the slow path allocates none.
 */
const retired = { pc: 0, word: 0, imm: 0, next: 0, via: '', after: '', walks: 0 };
const access: { direction: 'in' | 'out'; port: number; value: number } = { direction: 'in', port: 0, value: 0 };

function retiring(pc: number, lo: number, imm: number, next: number, retirement: Retirement, walks: number): typeof retired {
  retired.pc = pc;
  retired.word = lo >>> 0;
  retired.imm = imm >>> 0;
  retired.next = next;
  retired.via = retirement.variant;
  retired.after = retirement.variant;
  retired.walks = walks;
  return retired;
}

/** `in` and `out`, which cannot fault once allowed: plan's answer for them without building a plan. */
function executePort(p: GuestPort, pc: number, lo: number, imm: number, retirement: Retirement, result: SystemResult): SystemResult {
  const v = p.view;
  const op = lo & 0xff;
  const rd = (lo >>> 8) & 0xf;
  const isIn = op === Op.IN_I || op === Op.IN_R;
  const port = op === Op.IN_I || op === Op.OUT_I ? imm >>> 0 : v.get(isIn ? (lo >>> 12) & 0xf : rd);
  const value = isIn ? peekPort(p.vm, port) : v.get((lo >>> 12) & 0xf);
  const next = (pc + 8) >>> 0;
  const miss = tlbModelMiss(p.core, pc);
  p.log.open(retirement.spec, p.vmIndex, retiring(pc, lo, imm, next, retirement, miss?.refs ?? 0));
  if (miss !== undefined) fillTlbModel(p.core, miss);
  if (isIn) v.set(rd, value >>> 0);
  p.log.close();
  access.direction = isIn ? 'in' : 'out';
  access.port = port;
  access.value = value;
  portAccess(p, access, result);
  return result;
}

function portAccess(p: GuestPort, access: NonNullable<Plan['port']>, result: SystemResult): void {
  p.log.open(io, p.vmIndex, access);
  if (access.direction === 'in') readPort(p.vm, p.log, access.port);
  else {
    const exit = writePort(p.vm, p.log, access.port, access.value, p.vm.ticks);
    if (exit !== undefined) {
      result.outcome = Outcome.EXIT;
      result.exitCode = exit;
    }
  }
  p.log.close();
}
