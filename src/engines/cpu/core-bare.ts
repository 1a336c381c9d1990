// Generated from core.ts.template by `npm run generate`: do not edit.
import { ALU_FLAGS, Vector } from '../../domain/isa/arch.js';
import { Reg } from '../../domain/state/layout.js';
import { addFlags, mulFlags, shlFlags, shrFlags, subFlags, zs } from './alu.js';
import { Right, Status, type CoreContext } from './context.js';
import { Decoded } from './decode.js';
import { fetch, raise, read32, read8, write32, write8 } from './memory.js';

/*
 * The CPU core: runs plain instructions (decode.ts) back to back on one register file and
 * returns at the budget, before the first instruction that is not plain (its mode
 * decides what happens), at a fault (nothing of the faulting instruction applied), or
 * when a watched store asks. Registers change in place as each effect is logged.
 *
 * This file is the template: `npm run generate` writes core-evented.ts from it with
 * opcode literals in the switch, and core-bare.ts without the lines marked @event (each keeps
 * its own @event or @bare lines), so neither pays for the other’s work. Edit this file.
 */


const LOAD32 = 1;
const LOAD8 = 2;
const STORE32 = 3;
const STORE8 = 4;

export function runCore(c: CoreContext, requested: number): Status {
  const r = c.regs;
  const mem = c.mem;
  const m32 = c.mem32;
  const dirty = c.dirty;
  const tlb = c.tlb;
  const watch = c.watch;
  const info = c.info;
  const cost = c.retire.cycles;
  const keyOf = c.retire.key;
  const ledger = c.ledger;
  const budget = requested;
  const user = r[Reg.CPL] === 3;
  const needRead = user ? Right.P | Right.U : Right.P;
  const needWrite = user ? Right.P | Right.U | Right.UW : Right.P | Right.KW;
  let pc = (r[Reg.PC] as number) >>> 0;
  let flags = (r[Reg.FLAGS] as number) | 0;
  let cycles = 0;
  let n = 0;
  let status: Status = Status.BUDGET;
  let stop = false;
  run: while (n < budget) {
    let lo: number;
    let imm: number;
    const fe = tlb[pc >>> 12] as number;
    if ((fe & needRead) === needRead && (pc & 0xfff) <= 0xff8 && (pc & 3) === 0) {
      const w = ((fe & -4096) | (pc & 0xfff)) >>> 2;
      lo = m32[w] as number;
      imm = m32[w + 1] as number;
    } else {
      if (!fetch(c, pc, user)) {
        c.fault.pc = pc;
        c.fault.software = false;
        status = Status.FAULT;
        break;
      }
      lo = c.lo | 0;
      imm = c.imm | 0;
    }
    const kind = lo >>> 16 === 0 ? (info[lo] as number) : Decoded.INVALID;
    if (kind !== Decoded.PLAIN) {
      if (kind === Decoded.INVALID) raise(c, Vector.UD, 0, pc);
      c.lo = lo >>> 0;
      c.imm = imm;
      status = kind === Decoded.INVALID ? Status.FAULT : Status.SYSTEM;
      break;
    }
    const op = lo & 0xff;
    const rd = (lo >>> 8) & 15;
    const rs = (lo >>> 12) & 15;
    let next = (pc + 8) >>> 0;
    let access = 0;
    let va = 0;
    let sv = 0;
    let target = 0;
    switch (op) {
      case 0x01 /* MOV_RR */: { r[rd] = r[rs] as number; break; }
      case 0x02 /* MOV_RI */: r[rd] = imm; break;
      case 0x10 /* ADD_RR */: case 0x11 /* ADD_RI */: {
        const a = r[rd] as number;
        const b = op === 0x10 /* ADD_RR */ ? (r[rs] as number) : imm;
        const v = (a + b) | 0;
        r[rd] = v;
        flags = (flags & ~ALU_FLAGS) | addFlags(a, b, v);
        break;
      }
      case 0x12 /* SUB_RR */: case 0x13 /* SUB_RI */: {
        const a = r[rd] as number;
        const b = op === 0x12 /* SUB_RR */ ? (r[rs] as number) : imm;
        const v = (a - b) | 0;
        r[rd] = v;
        flags = (flags & ~ALU_FLAGS) | subFlags(a, b, v);
        break;
      }
      case 0x22 /* CMP_RR */: case 0x23 /* CMP_RI */: {
        const a = r[rd] as number;
        const b = op === 0x22 /* CMP_RR */ ? (r[rs] as number) : imm;
        flags = (flags & ~ALU_FLAGS) | subFlags(a, b, (a - b) | 0);
        break;
      }
      case 0x14 /* AND_RR */: case 0x15 /* AND_RI */: case 0x16 /* OR_RR */: case 0x17 /* OR_RI */: case 0x18 /* XOR_RR */: case 0x19 /* XOR_RI */: {
        const a = r[rd] as number;
        const b = (op & 1) === 0 ? (r[rs] as number) : imm;
        const v = op <= 0x15 /* AND_RI */ ? a & b : op <= 0x17 /* OR_RI */ ? a | b : a ^ b;
        r[rd] = v;
        flags = (flags & ~ALU_FLAGS) | zs(v);
        break;
      }
      case 0x1a /* SHL_RR */: case 0x1b /* SHL_RI */: {
        const a = r[rd] as number;
        const count = (op === 0x1a /* SHL_RR */ ? (r[rs] as number) : imm) & 31;
        const v = a << count;
        r[rd] = v;
        flags = (flags & ~ALU_FLAGS) | shlFlags(a, count, v, flags);
        break;
      }
      case 0x1c /* SHR_RR */: case 0x1d /* SHR_RI */: {
        const a = r[rd] as number;
        const count = (op === 0x1c /* SHR_RR */ ? (r[rs] as number) : imm) & 31;
        const v = (a >>> count) | 0;
        r[rd] = v;
        flags = (flags & ~ALU_FLAGS) | shrFlags(a, count, v, flags);
        break;
      }
      case 0x1e /* MUL_RR */: case 0x1f /* MUL_RI */: {
        const a = r[rd] as number;
        const b = op === 0x1e /* MUL_RR */ ? (r[rs] as number) : imm;
        const v = Math.imul(a, b);
        r[rd] = v;
        flags = (flags & ~ALU_FLAGS) | mulFlags(a, b, v);
        break;
      }
      case 0x20 /* DIV_RR */: case 0x21 /* DIV_RI */: {
        const a = r[rd] as number;
        const b = op === 0x20 /* DIV_RR */ ? (r[rs] as number) : imm;
        if (b === 0) {
          raise(c, Vector.DE, 0, pc);
          status = Status.FAULT;
          break run;
        }
        const v = ((a >>> 0) / (b >>> 0)) | 0;
        r[rd] = v;
        flags = (flags & ~ALU_FLAGS) | zs(v);
        break;
      }
      case 0x30 /* JMP_I */: next = imm >>> 0; break;
      case 0x31 /* JMP_R */: next = (r[rd] as number) >>> 0; break;
      case 0x32 /* JZ_I */: if ((flags & 0x40) !== 0) next = imm >>> 0; break;
      case 0x33 /* JZ_R */: if ((flags & 0x40) !== 0) next = (r[rd] as number) >>> 0; break;
      case 0x34 /* JNZ_I */: if ((flags & 0x40) === 0) next = imm >>> 0; break;
      case 0x35 /* JNZ_R */: if ((flags & 0x40) === 0) next = (r[rd] as number) >>> 0; break;
      case 0x36 /* JL_I */: if (((flags >>> 7) & 1) !== ((flags >>> 11) & 1)) next = imm >>> 0; break;
      case 0x37 /* JL_R */: if (((flags >>> 7) & 1) !== ((flags >>> 11) & 1)) next = (r[rd] as number) >>> 0; break;
      case 0x38 /* JGE_I */: if (((flags >>> 7) & 1) === ((flags >>> 11) & 1)) next = imm >>> 0; break;
      case 0x39 /* JGE_R */: if (((flags >>> 7) & 1) === ((flags >>> 11) & 1)) next = (r[rd] as number) >>> 0; break;
      case 0x3a /* JLE_I */: if ((flags & 0x40) !== 0 || ((flags >>> 7) & 1) !== ((flags >>> 11) & 1)) next = imm >>> 0; break;
      case 0x3b /* JLE_R */: if ((flags & 0x40) !== 0 || ((flags >>> 7) & 1) !== ((flags >>> 11) & 1)) next = (r[rd] as number) >>> 0; break;
      case 0x3c /* JG_I */: if ((flags & 0x40) === 0 && ((flags >>> 7) & 1) === ((flags >>> 11) & 1)) next = imm >>> 0; break;
      case 0x3d /* JG_R */: if ((flags & 0x40) === 0 && ((flags >>> 7) & 1) === ((flags >>> 11) & 1)) next = (r[rd] as number) >>> 0; break;
      case 0x3e /* JB_I */: if ((flags & 1) !== 0) next = imm >>> 0; break;
      case 0x3f /* JB_R */: if ((flags & 1) !== 0) next = (r[rd] as number) >>> 0; break;
      case 0x40 /* JAE_I */: if ((flags & 1) === 0) next = imm >>> 0; break;
      case 0x41 /* JAE_R */: if ((flags & 1) === 0) next = (r[rd] as number) >>> 0; break;
      case 0x55 /* NOP */: break;
      case 0x03 /* LD */: access = LOAD32; va = (rs === 15 ? imm : (r[rs] as number) + imm) >>> 0; break;
      case 0x04 /* LDB */: access = LOAD8; va = (rs === 15 ? imm : (r[rs] as number) + imm) >>> 0; break;
      case 0x4d /* POP */: case 0x4a /* RET */: access = LOAD32; va = (r[Reg.SP] as number) >>> 0; break;
      case 0x05 /* ST */: access = STORE32; va = (rd === 15 ? imm : (r[rd] as number) + imm) >>> 0; sv = r[rs] as number; break;
      case 0x06 /* STB */: access = STORE8; va = (rd === 15 ? imm : (r[rd] as number) + imm) >>> 0; sv = r[rs] as number; break;
      case 0x4b /* PUSH_R */: access = STORE32; va = ((r[Reg.SP] as number) - 4) >>> 0; sv = r[rd] as number; break;
      case 0x4c /* PUSH_I */: access = STORE32; va = ((r[Reg.SP] as number) - 4) >>> 0; sv = imm; break;
      case 0x48 /* CALL_I */: access = STORE32; va = ((r[Reg.SP] as number) - 4) >>> 0; sv = next | 0; target = imm >>> 0; break;
      case 0x49 /* CALL_R */: access = STORE32; va = ((r[Reg.SP] as number) - 4) >>> 0; sv = next | 0; target = (r[rd] as number) >>> 0; break;
      default: throw new Error(`CPU core: opcode 0x${op.toString(16)} is marked plain but has no case`);
    }
    if (access !== 0) {
      let lv = 0;
      const me = tlb[va >>> 12] as number;
      if (access === LOAD32) {
        if ((me & needRead) === needRead && (va & 0xfff) <= 0xffc) {
          const p = (me & -4096) | (va & 0xfff);
          lv = (p & 3) === 0 ? (m32[p >>> 2] as number) : (mem[p] as number) | ((mem[p + 1] as number) << 8) | ((mem[p + 2] as number) << 16) | ((mem[p + 3] as number) << 24);
        } else {
          lv = read32(c, va, user);
          if (lv < 0) {
            c.fault.pc = pc;
            c.fault.software = false;
            status = Status.FAULT;
            break;
          }
          lv |= 0;
        }
      } else if (access === LOAD8) {
        if ((me & needRead) === needRead) lv = mem[(me & -4096) | (va & 0xfff)] as number;
        else {
          lv = read8(c, va, user);
          if (lv < 0) {
            c.fault.pc = pc;
            c.fault.software = false;
            status = Status.FAULT;
            break;
          }
        }
      } else if ((me & needWrite) === needWrite && (access === STORE8 || (va & 0xfff) <= 0xffc)) {
        const p = (me & -4096) | (va & 0xfff);
        if (access === STORE8) {
          mem[p] = sv;
        } else {
          if ((p & 3) === 0) m32[p >>> 2] = sv;
          else {
            mem[p] = sv;
            mem[p + 1] = sv >>> 8;
            mem[p + 2] = sv >>> 16;
            mem[p + 3] = sv >>> 24;
          }
        }
        dirty[p >>> 12] = 1;
        if ((watch[p >>> 12] as number) !== 0 && c.onWatchedStore(p)) stop = true;
      } else {
        const done = access === STORE8 ? write8(c, va, sv, user) : write32(c, va, sv, user);
        if (done === 'fault') {
          c.fault.pc = pc;
          c.fault.software = false;
          status = Status.FAULT;
          break;
        }
        if (done === 'stop') stop = true;
      }
      switch (op) {
        case 0x03 /* LD */: case 0x04 /* LDB */: r[rd] = lv; break;
        case 0x4d /* POP */: r[Reg.SP] = va + 4; r[rd] = lv; break;
        case 0x4a /* RET */: r[Reg.SP] = va + 4; next = lv >>> 0; break;
        case 0x4b /* PUSH_R */: case 0x4c /* PUSH_I */: r[Reg.SP] = va; break;
        case 0x48 /* CALL_I */: case 0x49 /* CALL_R */: r[Reg.SP] = va; next = target; break;
        default: break;
      }
    }
    cycles += cost[op] as number;
    const key = keyOf[op] as number;
    ledger[key] = (ledger[key] as number) + 1;
    pc = next;
    n++;
    if (stop) {
      status = Status.STOP;
      break;
    }
  }
  r[Reg.PC] = pc;
  r[Reg.FLAGS] = flags;
  c.cycles += cycles;
  c.retired += n;
  c.events += n;
  if (c.retire.extraKey >= 0) ledger[c.retire.extraKey] = (ledger[c.retire.extraKey] as number) + n;
  return status;
}
