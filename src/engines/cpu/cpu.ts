import type { CostProfile } from '../../domain/cost/profile.js';
import { opcodeCycles } from '../../domain/cost/profile.js';
import { Eff, type EffectKind } from '../../domain/events/effects.js';
import type { EventBatch } from '../../domain/events/batch.js';
import { TypeCode } from '../../domain/events/event.js';
import { ALL_FLAGS, ALU_FLAGS, Cr4, Flag, IDT_ENTRY_BYTES, IdtFlag, IOPL_SHIFT, MSR_COUNT, Vector, hasErrorCode } from '../../domain/isa/arch.js';
import { fieldsOf, type Insn } from '../../domain/isa/encoding.js';
import { NO_BASE, Op, ROW_BY_OPCODE, isPrivilegedOn, type Profile } from '../../domain/isa/table.js';
import { Reg, crIndex } from '../../domain/state/layout.js';
import type { Machine } from '../../domain/state/machine.js';
import { addFlags, condition, mulFlags, shlFlags, shrFlags, subFlags, zs } from './alu.js';
import { DecodeCache, INVALID } from './decode-cache.js';
import { devices } from './devices.js';
import { Access, type Fault, type Mmu } from './mmu.js';
import { Step } from '../platform.js';

const INSN = TypeCode.insn;
const IO = TypeCode.io;
const EXCEPTION = TypeCode.exception;
const INTERRUPT = TypeCode.interrupt;

/** What a privilege check of an opcode asks, precomputed per ISA profile. */
const Check = { NONE: 0, KERNEL: 1, IOPL: 2, TSD: 3 } as const;

function privilegeChecks(profile: Profile): Uint8Array {
  const checks = new Uint8Array(256);
  for (const row of ROW_BY_OPCODE) {
    if (row === undefined) continue;
    if (isPrivilegedOn(row, profile)) checks[row.opcode] = Check.KERNEL;
    else if (row.privilege === 'iopl') checks[row.opcode] = Check.IOPL;
    else if (row.privilege === 'tsd') checks[row.opcode] = Check.TSD;
  }
  return checks;
}

function sensitiveOpcodes(): Uint8Array {
  const sensitive = new Uint8Array(256);
  for (const row of ROW_BY_OPCODE) if (row !== undefined && row.sensitivity !== 'innocuous') sensitive[row.opcode] = 1;
  return sensitive;
}
const SENSITIVE = sensitiveOpcodes();

const NO_EFFECTS: readonly number[] = [];

export type DeliveryKind = 'fault' | 'software' | 'external';

const CPUID_VENDOR = [0x32335856, 0x74726956, 0x2162614c]; // "VX32" "Virt" "Lab!"

export interface CpuOptions {
  readonly profile: Profile;
  readonly costs: CostProfile;
  /** Event type of a retired sensitive instruction: `insn` on hardware, `emulate` in an interpreter. */
  readonly sensitiveType?: number;
  /** Event type of any other retired instruction. */
  readonly plainType?: number;
  /** Extra cycles per retired instruction (an interpreter's dispatch). */
  readonly perInsnCycles?: number;
}

/**
 * The architectural semantics of VX32, shared by every mode. The CPU reads a register file
 * and memory and writes events with their effects into a batch; it never changes state
 * itself: `commit` hands each event to the sink, which applies it through `evolve`.
 */
export class Cpu {
  readonly fault: Fault = { vector: 0, errorCode: 0, address: 0, software: false, returnPc: 0 };
  /** The exit code when the last instruction wrote the exit port. */
  exitCode: number | undefined;
  private faulted = false;
  private readonly decoder: DecodeCache;
  private readonly checks: Uint8Array;
  private readonly cycles: Uint32Array;
  private readonly sensitiveType: number;
  private readonly plainType: number;
  private readonly perInsn: number;
  private pc = 0;
  private nextPc = 0;
  private user = false;

  constructor(
    private readonly m: Machine,
    public regs: Uint32Array,
    public mmu: Mmu,
    public out: EventBatch,
    public sink: (index: number) => void,
    private readonly options: CpuOptions,
  ) {
    this.decoder = new DecodeCache(m.memory);
    this.checks = privilegeChecks(options.profile);
    this.cycles = opcodeCycles(options.costs);
    this.sensitiveType = options.sensitiveType ?? INSN;
    this.plainType = options.plainType ?? INSN;
    this.perInsn = options.perInsnCycles ?? 0;
  }

  /** Executes one instruction: a `Step` outcome. On FAULT nothing was emitted and `fault` says why. */
  step(): number {
    const r = this.regs;
    this.pc = r[Reg.PC] as number;
    this.user = r[Reg.CPL] === 3;
    if (!this.fetch()) return Step.FAULT;
    const lo = this.decoder.lo;
    if (lo === INVALID) return this.raise(Vector.UD, 0);
    const opcode = lo & 0xff;
    if (!this.privilegeAllows(opcode)) return this.raise(Vector.GP, 0);
    this.out.open(SENSITIVE[opcode] === 1 ? this.sensitiveType : this.plainType, this.pc, lo, this.decoder.imm, 0);
    this.faulted = false;
    const ioPort = this.execute(opcode, (lo >>> 8) & 0xf, (lo >>> 12) & 0xf, this.decoder.imm);
    if (this.faulted) {
      this.out.abandon();
      return Step.FAULT;
    }
    this.out.d[this.out.length] = this.nextPc;
    this.commit((this.cycles[opcode] as number) + this.perInsn);
    if (ioPort >= 0) this.portAccess(opcode, lo, ioPort);
    return SENSITIVE[opcode] === 1 ? Step.SENSITIVE : Step.PLAIN;
  }

  private markFault(): void {
    this.faulted = true;
    this.fault.software = false;
    this.fault.returnPc = this.pc;
  }

  /** The instruction at pc as the CPU would fetch it now, without raising anything. */
  peek(): Insn | undefined {
    this.pc = this.regs[Reg.PC] as number;
    this.user = this.regs[Reg.CPL] === 3;
    const saved = { ...this.fault };
    const fetched = this.fetch();
    Object.assign(this.fault, saved);
    this.faulted = false;
    return fetched && this.decoder.lo !== INVALID ? fieldsOf(this.decoder.lo, this.decoder.imm) : undefined;
  }

  private fetch(): boolean {
    const pc = this.pc;
    const p = this.mmu.translate(pc, Access.FETCH, this.user, this.fault);
    if (p < 0) {
      this.markFault();
      return false;
    }
    if ((pc & 0xfff) <= 0xff8) {
      this.decoder.decode(p);
      return true;
    }
    const p2 = this.mmu.translate((pc + 8) & 0xfffff000, Access.FETCH, this.user, this.fault);
    if (p2 < 0) {
      this.markFault();
      return false;
    }
    const bytes = new Uint8Array(8);
    for (let i = 0; i < 8; i++) {
      const v = pc + i;
      bytes[i] = this.m.memory.read8((v & 0xfff) >= (pc & 0xfff) ? p + i : p2 + (v & 0xfff));
    }
    const words = new DataView(bytes.buffer);
    this.decoder.decodeWords(words.getUint32(0, true), words.getUint32(4, true));
    return true;
  }

  private privilegeAllows(opcode: number): boolean {
    const r = this.regs;
    const cpl = r[Reg.CPL] as number;
    switch (this.checks[opcode]) {
      case Check.NONE: return true;
      case Check.KERNEL: return cpl === 0;
      case Check.IOPL: return cpl <= (((r[Reg.FLAGS] as number) & Flag.IOPL) >>> IOPL_SHIFT);
      default: return cpl === 0 || ((r[Reg.CR4] as number) & Cr4.TSD) === 0;
    }
  }

  private raise(vector: number, errorCode: number): 0 {
    this.fault.vector = vector;
    this.fault.errorCode = errorCode;
    this.fault.address = 0;
    this.fault.software = false;
    this.fault.returnPc = this.pc;
    return Step.FAULT;
  }

  private fail(vector: number, errorCode: number): number {
    this.raise(vector, errorCode);
    this.faulted = true;
    return -1;
  }

  commit(cost: number): void {
    this.sink(this.out.close(cost));
  }

  private set(reg: number, value: number): void {
    this.out.effect(Eff.CPU, reg, value >>> 0);
  }

  private next(): void {
    this.nextPc = this.pc + 8;
  }

  private jump(target: number): void {
    this.nextPc = target >>> 0;
  }

  private aluFlags(f: number): void {
    this.set(Reg.FLAGS, ((this.regs[Reg.FLAGS] as number) & ~ALU_FLAGS) | f);
  }

  // ---- memory, through the mode's MMU ----

  private translate(vaddr: number, access: 0 | 1, user: boolean): number {
    const p = this.mmu.translate(vaddr >>> 0, access, user, this.fault);
    if (p < 0) this.markFault();
    return p;
  }

  load32(vaddr: number, user = this.user): number {
    vaddr >>>= 0;
    if ((vaddr & 0xfff) <= 0xffc) {
      const p = this.translate(vaddr, Access.READ, user);
      return p < 0 ? 0 : this.m.memory.read32(p);
    }
    let value = 0;
    for (let i = 3; i >= 0 && !this.faulted; i--) value = (value << 8) | this.load8(vaddr + i, user);
    return value >>> 0;
  }

  load8(vaddr: number, user = this.user): number {
    const p = this.translate(vaddr, Access.READ, user);
    return p < 0 ? 0 : this.m.memory.read8(p);
  }

  store32(vaddr: number, value: number, user = this.user): void {
    vaddr >>>= 0;
    if ((vaddr & 0xfff) <= 0xffc) {
      const p = this.translate(vaddr, Access.WRITE, user);
      if (p >= 0) this.out.effect(Eff.MEM32, p, value >>> 0);
      return;
    }
    const first = this.translate(vaddr, Access.WRITE, user);
    const second = first < 0 ? -1 : this.translate((vaddr + 4) & 0xfffff000, Access.WRITE, user);
    if (second < 0) return;
    for (let i = 0; i < 4; i++) {
      const v = (vaddr + i) >>> 0;
      const p = (v & 0xfff) >= (vaddr & 0xfff) ? first + i : second + (v & 0xfff);
      this.out.effect(Eff.MEM8, p, (value >>> (8 * i)) & 0xff);
    }
  }

  private store8(vaddr: number, value: number): void {
    const p = this.translate(vaddr, Access.WRITE, this.user);
    if (p >= 0) this.out.effect(Eff.MEM8, p, value & 0xff);
  }

  private push(value: number): void {
    const sp = ((this.regs[Reg.SP] as number) - 4) >>> 0;
    this.store32(sp, value);
    this.set(Reg.SP, sp);
  }

  private pop(): number {
    const sp = this.regs[Reg.SP] as number;
    const value = this.load32(sp);
    this.set(Reg.SP, sp + 4);
    return value;
  }

  // ---- execution ----

  /** Emits the effects of one instruction; returns the port of an `in`/`out`, else -1. */
  private execute(opcode: number, rd: number, rs: number, imm: number): number {
    const r = this.regs;
    const a = r[rd] as number;
    switch (opcode) {
      case Op.MOV_RR: this.set(rd, r[rs] as number); break;
      case Op.MOV_RI: this.set(rd, imm); break;
      case Op.LD: { const v = this.load32(this.address(rs, imm)); this.set(rd, v); break; }
      case Op.LDB: { const v = this.load8(this.address(rs, imm)); this.set(rd, v); break; }
      case Op.ST: this.store32(this.address(rd, imm), r[rs] as number); break;
      case Op.STB: this.store8(this.address(rd, imm), r[rs] as number); break;
      case Op.ADD_RR: case Op.ADD_RI: { const b = opcode === Op.ADD_RR ? (r[rs] as number) : imm; const v = (a + b) >>> 0; this.set(rd, v); this.aluFlags(addFlags(a, b, v)); break; }
      case Op.SUB_RR: case Op.SUB_RI: { const b = opcode === Op.SUB_RR ? (r[rs] as number) : imm; const v = (a - b) >>> 0; this.set(rd, v); this.aluFlags(subFlags(a, b, v)); break; }
      case Op.CMP_RR: case Op.CMP_RI: { const b = opcode === Op.CMP_RR ? (r[rs] as number) : imm; this.aluFlags(subFlags(a, b, (a - b) >>> 0)); break; }
      case Op.AND_RR: case Op.AND_RI: { const v = (a & (opcode === Op.AND_RR ? (r[rs] as number) : imm)) >>> 0; this.set(rd, v); this.aluFlags(zs(v)); break; }
      case Op.OR_RR: case Op.OR_RI: { const v = (a | (opcode === Op.OR_RR ? (r[rs] as number) : imm)) >>> 0; this.set(rd, v); this.aluFlags(zs(v)); break; }
      case Op.XOR_RR: case Op.XOR_RI: { const v = (a ^ (opcode === Op.XOR_RR ? (r[rs] as number) : imm)) >>> 0; this.set(rd, v); this.aluFlags(zs(v)); break; }
      case Op.SHL_RR: case Op.SHL_RI: { const n = (opcode === Op.SHL_RR ? (r[rs] as number) : imm) & 31; const v = (a << n) >>> 0; this.set(rd, v); this.aluFlags(shlFlags(a, n, v, r[Reg.FLAGS] as number)); break; }
      case Op.SHR_RR: case Op.SHR_RI: { const n = (opcode === Op.SHR_RR ? (r[rs] as number) : imm) & 31; const v = a >>> n; this.set(rd, v); this.aluFlags(shrFlags(a, n, v, r[Reg.FLAGS] as number)); break; }
      case Op.MUL_RR: case Op.MUL_RI: { const b = opcode === Op.MUL_RR ? (r[rs] as number) : imm; const v = Math.imul(a, b) >>> 0; this.set(rd, v); this.aluFlags(mulFlags(a, b, v)); break; }
      case Op.DIV_RR: case Op.DIV_RI: {
        const b = opcode === Op.DIV_RR ? (r[rs] as number) : imm;
        if (b === 0) return this.fail(Vector.DE, 0);
        const v = Math.floor(a / b) >>> 0;
        this.set(rd, v);
        this.aluFlags(zs(v));
        break;
      }
      default:
        return this.executeControl(opcode, rd, rs, imm);
    }
    this.next();
    return -1;
  }

  private address(base: number, disp: number): number {
    return base === NO_BASE ? disp : ((this.regs[base] as number) + disp) >>> 0;
  }

  private jumpTarget(opcode: number, rd: number, imm: number): number {
    return (opcode - Op.JMP_I) % 2 === 0 ? imm : (this.regs[rd] as number);
  }

  private executeControl(opcode: number, rd: number, rs: number, imm: number): number {
    if (opcode >= Op.JMP_I && opcode <= Op.JAE_R) {
      const which = ((opcode - Op.JMP_I) >>> 1) - 1;
      const taken = which < 0 || condition(which, this.regs[Reg.FLAGS] as number);
      this.jump(taken ? this.jumpTarget(opcode, rd, imm) : this.pc + 8);
      return -1;
    }
    switch (opcode) {
      case Op.CALL_I: case Op.CALL_R: this.push(this.pc + 8); this.jump(opcode === Op.CALL_I ? imm : (this.regs[rd] as number)); return -1;
      case Op.RET: this.jump(this.pop()); return -1;
      case Op.INT: this.fail(imm & 0xff, 0); this.fault.software = true; this.fault.returnPc = this.pc + 8; return -1;
      case Op.IRET: this.iret(); return -1;
      default: return this.executeSystem(opcode, rd, rs, imm);
    }
  }

  private executeSystem(opcode: number, rd: number, rs: number, imm: number): number {
    const r = this.regs;
    switch (opcode) {
      case Op.PUSH_R: this.push(r[rd] as number); break;
      case Op.PUSH_I: this.push(imm); break;
      case Op.POP: { const v = this.pop(); this.set(rd, v); break; }
      case Op.PUSHF: this.push((r[Reg.FLAGS] as number) & ALL_FLAGS); break;
      case Op.POPF: this.set(Reg.FLAGS, this.loadableFlags(this.pop())); break;
      case Op.CLI: this.set(Reg.FLAGS, (r[Reg.FLAGS] as number) & ~Flag.IF); break;
      case Op.STI: this.set(Reg.FLAGS, (r[Reg.FLAGS] as number) | Flag.IF); break;
      case Op.HLT: this.set(Reg.HALTED, 1); break;
      case Op.NOP: break;
      case Op.IN_I: case Op.IN_R: {
        const port = opcode === Op.IN_I ? imm : (r[rs] as number);
        this.set(rd, devices.peek(this.m, port));
        this.next();
        return port;
      }
      case Op.OUT_I: case Op.OUT_R: this.next(); return opcode === Op.OUT_I ? imm : (r[rd] as number);
      case Op.MOV_CR_R: this.set(crIndex(rd), r[rs] as number); break;
      case Op.MOV_R_CR: this.set(rd, r[crIndex(rs)] as number); break;
      case Op.LIDT: case Op.LGDT: this.loadTable(opcode === Op.LIDT ? Reg.IDTR_BASE : Reg.GDTR_BASE, this.address(rs, imm)); break;
      case Op.SIDT: case Op.SGDT: this.storeTable(opcode === Op.SIDT ? Reg.IDTR_BASE : Reg.GDTR_BASE, this.address(rs, imm)); break;
      case Op.SMSW: this.set(rd, (r[Reg.CR0] as number) & 0xffff); break;
      case Op.MOV_R_CS: this.set(rd, r[Reg.CPL] as number); break;
      case Op.INVLPG: break;
      case Op.RDTSC: this.set(rd, this.m.cycles % 0x1_0000_0000); break;
      case Op.CPUID: this.cpuid(r[0] as number); break;
      case Op.VMCALL: return this.fail(Vector.UD, 0);
      case Op.WRMSR: if (imm >= MSR_COUNT) return this.fail(Vector.GP, 0); this.set(Reg.MSR0 + imm, r[rs] as number); break;
      case Op.RDMSR: if (imm >= MSR_COUNT) return this.fail(Vector.GP, 0); this.set(rd, r[Reg.MSR0 + imm] as number); break;
      default: return this.fail(Vector.UD, 0);
    }
    this.next();
    return -1;
  }

  /** Flags as popf or iret load them at the current CPL: IF only at CPL ≤ IOPL, IOPL only at CPL 0. */
  private loadableFlags(value: number): number {
    const flags = this.regs[Reg.FLAGS] as number;
    const cpl = this.regs[Reg.CPL] as number;
    const iopl = (flags & Flag.IOPL) >>> IOPL_SHIFT;
    const mask = ALU_FLAGS | (cpl <= iopl ? Flag.IF : 0) | (cpl === 0 ? Flag.IOPL : 0);
    return ((flags & ~mask) | (value & mask)) >>> 0;
  }

  private loadTable(baseReg: number, addr: number): void {
    const limit = this.load32(addr);
    const base = this.load32(addr + 4);
    this.set(baseReg + 1, limit);
    this.set(baseReg, base);
  }

  private storeTable(baseReg: number, addr: number): void {
    this.store32(addr, this.regs[baseReg + 1] as number);
    this.store32(addr + 4, this.regs[baseReg] as number);
  }

  private cpuid(leaf: number): void {
    const values = leaf === 0 ? [1, ...CPUID_VENDOR] : [0, 0, 0, 0];
    values.forEach((v, i) => this.set(i, v as number));
  }

  private iret(): void {
    const r = this.regs;
    const cpl = r[Reg.CPL] as number;
    const sp = r[Reg.SP] as number;
    const pc = this.load32(sp);
    const newCpl = this.load32(sp + 4);
    const flags = this.load32(sp + 8);
    if (this.faulted) return;
    if (newCpl < cpl || newCpl > 3) {
      this.fail(Vector.GP, 0);
      return;
    }
    const newSp = newCpl > cpl ? this.load32(sp + 12) : sp + 12;
    this.set(Reg.FLAGS, this.loadableFlags(flags));
    this.set(Reg.CPL, newCpl);
    this.set(Reg.SP, newSp);
    this.jump(pc);
  }

  // ---- exception and interrupt delivery ----

  private handler = 0;

  /** IDT flags of a vector (handler address left in `handler`), or -1 for #GP: absent or beyond the limit. */
  private idtEntry(vector: number): number {
    const r = this.regs;
    if (vector * IDT_ENTRY_BYTES + 7 > (r[Reg.IDTR_LIMIT] as number)) return -1;
    const at = ((r[Reg.IDTR_BASE] as number) + vector * IDT_ENTRY_BYTES) >>> 0;
    this.handler = this.load32(at, false);
    const flags = this.load32(at + 4, false);
    return flags & IdtFlag.PRESENT ? flags : -1;
  }

  /** Pushes the interrupt frame and enters the handler at CPL 0 (docs/machine.md, "Delivery"). */
  private pushFrame(handler: number, returnPc: number, errorCode: number): void {
    const r = this.regs;
    const cpl = r[Reg.CPL] as number;
    let sp = cpl > 0 ? (r[Reg.MSR0] as number) : (r[Reg.SP] as number);
    const words = [r[Reg.FLAGS] as number, cpl, returnPc];
    if (cpl > 0) words.unshift(r[Reg.SP] as number);
    if (errorCode >= 0) words.push(errorCode);
    for (const w of words) {
      sp = (sp - 4) >>> 0;
      this.store32(sp, w, false);
    }
    this.set(Reg.SP, sp);
    this.set(Reg.FLAGS, (r[Reg.FLAGS] as number) & ~Flag.IF);
    this.set(Reg.CPL, 0);
    this.set(Reg.PC, handler);
  }

  /**
   * Delivers an exception, software interrupt or IRQ through the IDT as one event. A
   * fault while delivering becomes #DF; a fault while delivering #DF returns false: a
   * triple fault. `int n` to a gate whose DPL is below CPL becomes #GP(n·8 + 2).
   */
  deliver(vector: number, errorCode: number, returnPc: number, kind: DeliveryKind, cr2 = 0, extra: readonly number[] = NO_EFFECTS): boolean {
    let v = vector;
    let code = errorCode;
    let at = returnPc;
    let k = kind;
    for (;;) {
      this.out.open(k === 'external' ? INTERRUPT : EXCEPTION, v, code, at, 0);
      for (let e = 0; e < extra.length; e += 3) this.out.effect(extra[e] as EffectKind, extra[e + 1] as number, extra[e + 2] as number);
      this.faulted = false;
      const entry = this.idtEntry(v);
      const denied = k === 'software' && entry >= 0 && ((entry & IdtFlag.DPL_MASK) >>> IdtFlag.DPL_SHIFT) < (this.regs[Reg.CPL] as number);
      if (!this.faulted && entry >= 0 && !denied) {
        if (v === Vector.PF && k === 'fault') this.set(Reg.CR2, cr2);
        this.pushFrame(this.handler, at, k === 'fault' && hasErrorCode(v) ? code : -1);
        if (!this.faulted) {
          this.commit(this.options.costs.cycles[k === 'external' ? 'interrupt' : 'exception']);
          return true;
        }
      }
      this.out.abandon();
      if (k === 'software' && !this.faulted) {
        code = v * 8 + 2;
        v = Vector.GP;
        at = (at - 8) >>> 0;
      } else {
        if (v === Vector.DF && k === 'fault') return false;
        v = Vector.DF;
        code = 0;
      }
      k = 'fault';
    }
  }

  private portAccess(opcode: number, lo: number, port: number): void {
    const isIn = opcode === Op.IN_I || opcode === Op.IN_R;
    const value = isIn ? devices.peek(this.m, port) : (this.regs[(lo >>> 12) & 0xf] as number);
    this.out.open(IO, port, value, isIn ? 0 : 1, 0);
    this.exitCode = undefined;
    if (isIn) devices.read(this.m, port, this.out);
    else this.exitCode = devices.write(this.m, port, value, this.out);
    this.commit(0);
  }
}
