// Generated from core.ts.template by `npm run generate`: do not edit.
import { OPCODE_COST_KEY } from '../../domain/cost/classes.js';
import type { CoreContext, Status } from './context.js';
import { fetch, raise, read32, read8, write32, write8 } from './memory.js';

/*
 * The CPU core: runs plain instructions (decode.ts) back to back on one register file and
 * returns at the budget, before the first instruction that is not plain (its mode
 * decides what happens), at a fault (nothing of the faulting instruction applied), or
 * after an instruction whose store to a watched frame asks to stop (the budget shrinks to
 * it). Registers change in place as each effect is logged.
 *
 * An access translates through the software TLB (the mode's mapping, filled on a miss by
 * the slow path) or, when the mode says its linear addresses are physical with every
 * right (bare metal with paging off), is checked against RAM size alone, as identity
 * entries would grant it: the same accesses take the fast path or fault either way.
 *
 * With paging on, the core also keeps a cost-only model of a hardware TLB (64 entries,
 * direct-mapped, the VM's `tlbModel`): an instruction whose fetch or data page misses in it
 * is charged the page walk's memory references (its `walks`); nothing else depends on it.
 *
 * Arithmetic flags are written out as IA-32 computes them (Intel SDM Vol. 1 §3.4.3.1;
 * `zs`, ZF and SF of a result, the generator writes out too): the core calls no helper
 * per instruction, because V8 inlined such helpers in some processes and not in others,
 * which made the same run up to 1.8x slower by process.
 *
 * This file is the template of six variants: `npm run generate` writes core-evented.ts
 * and core-bare.ts (a line tagged @event or @bare is kept in one of them), each also with
 * the TLB model (-tlb: the lines tagged @tlb instead of @notlb) and flat (-flat: the lines
 * tagged @flat instead of @paged), so no variant pays for another's work; every named
 * constant becomes a literal and the @template imports go.
 * Edit this file, never the generated ones.
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
  const size = c.memBytes;
  const watch = c.watch;
  const info = c.info;
  const hist = c.retired;
  let budget = requested;
  const user = r[0xa /* Reg.CPL */] === 3;
  let pc = (r[0x8 /* Reg.PC */] as number) >>> 0;
  let flags = (r[0x9 /* Reg.FLAGS */] as number) | 0;
  let n = 0;
  let uncounted = -1;
  let retiredMul = 0, retiredDiv = 0, retiredMemory = 0, retiredBranch = 0, retiredStack = 0, retiredCall = 0;
  let status: Status = 0x0 /* Status.BUDGET */;
  run: while (n < budget) {
    let lo: number;
    let imm: number;
    if (pc < size && (pc & 0xfff) <= 0xff8 && (pc & 3) === 0) {
      const w = pc >>> 2;
      lo = m32[w] as number;
      imm = m32[w + 1] as number;
    } else {
      if (!fetch(c, pc, user)) {
        c.fault.pc = pc;
        c.fault.software = false;
        status = 0x2 /* Status.FAULT */;
        break;
      }
      lo = c.lo | 0;
      imm = c.imm | 0;
    }
    const kind = lo >>> 16 === 0 ? (info[lo] as number) : 0x0 /* Decoded.INVALID */;
    if (kind !== 0x1 /* Decoded.PLAIN */) {
      if (kind === 0x0 /* Decoded.INVALID */) raise(c, 0x6 /* Vector.UD */, 0, pc);
      c.lo = lo >>> 0;
      c.imm = imm;
      status = kind === 0x0 /* Decoded.INVALID */ ? 0x2 /* Status.FAULT */ : 0x1 /* Status.SYSTEM */;
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
      case 0x1 /* Op.MOV_RR */: { r[rd] = r[rs] as number; break; }
      case 0x2 /* Op.MOV_RI */: r[rd] = imm; break;
      case 0x10 /* Op.ADD_RR */: case 0x11 /* Op.ADD_RI */: {
        const a = r[rd] as number;
        const b = op === 0x10 /* Op.ADD_RR */ ? (r[rs] as number) : imm;
        const v = (a + b) | 0;
        r[rd] = v;
        flags = (flags & ~0x8c1 /* ALU_FLAGS */) | (v === 0 ? 0x40 /* Flag.ZF */ : 0) | (v < 0 ? 0x80 /* Flag.SF */ : 0) | (v >>> 0 < a >>> 0 ? 0x1 /* Flag.CF */ : 0) | ((~(a ^ b) & (a ^ v)) < 0 ? 0x800 /* Flag.OF */ : 0);
        break;
      }
      case 0x12 /* Op.SUB_RR */: case 0x13 /* Op.SUB_RI */: {
        const a = r[rd] as number;
        const b = op === 0x12 /* Op.SUB_RR */ ? (r[rs] as number) : imm;
        const v = (a - b) | 0;
        r[rd] = v;
        flags = (flags & ~0x8c1 /* ALU_FLAGS */) | (v === 0 ? 0x40 /* Flag.ZF */ : 0) | (v < 0 ? 0x80 /* Flag.SF */ : 0) | (a >>> 0 < b >>> 0 ? 0x1 /* Flag.CF */ : 0) | (((a ^ b) & (a ^ v)) < 0 ? 0x800 /* Flag.OF */ : 0);
        break;
      }
      case 0x22 /* Op.CMP_RR */: case 0x23 /* Op.CMP_RI */: {
        const a = r[rd] as number;
        const b = op === 0x22 /* Op.CMP_RR */ ? (r[rs] as number) : imm;
        const v = (a - b) | 0;
        flags = (flags & ~0x8c1 /* ALU_FLAGS */) | (v === 0 ? 0x40 /* Flag.ZF */ : 0) | (v < 0 ? 0x80 /* Flag.SF */ : 0) | (a >>> 0 < b >>> 0 ? 0x1 /* Flag.CF */ : 0) | (((a ^ b) & (a ^ v)) < 0 ? 0x800 /* Flag.OF */ : 0);
        break;
      }
      case 0x14 /* Op.AND_RR */: case 0x15 /* Op.AND_RI */: case 0x16 /* Op.OR_RR */: case 0x17 /* Op.OR_RI */: case 0x18 /* Op.XOR_RR */: case 0x19 /* Op.XOR_RI */: {
        const a = r[rd] as number;
        const b = (op & 1) === 0 ? (r[rs] as number) : imm;
        const v = op <= 0x15 /* Op.AND_RI */ ? a & b : op <= 0x17 /* Op.OR_RI */ ? a | b : a ^ b;
        r[rd] = v;
        flags = (flags & ~0x8c1 /* ALU_FLAGS */) | (v === 0 ? 0x40 /* Flag.ZF */ : 0) | (v < 0 ? 0x80 /* Flag.SF */ : 0);
        break;
      }
      case 0x1a /* Op.SHL_RR */: case 0x1b /* Op.SHL_RI */: {
        const a = r[rd] as number;
        const count = (op === 0x1a /* Op.SHL_RR */ ? (r[rs] as number) : imm) & 31;
        const v = a << count;
        r[rd] = v;
        flags = (flags & ~0x8c1 /* ALU_FLAGS */) | (v === 0 ? 0x40 /* Flag.ZF */ : 0) | (v < 0 ? 0x80 /* Flag.SF */ : 0) | (count === 0 ? flags & 0x1 /* Flag.CF */ : (a >>> (32 - count)) & 1 ? 0x1 /* Flag.CF */ : 0);
        break;
      }
      case 0x1c /* Op.SHR_RR */: case 0x1d /* Op.SHR_RI */: {
        const a = r[rd] as number;
        const count = (op === 0x1c /* Op.SHR_RR */ ? (r[rs] as number) : imm) & 31;
        const v = (a >>> count) | 0;
        r[rd] = v;
        flags = (flags & ~0x8c1 /* ALU_FLAGS */) | (v === 0 ? 0x40 /* Flag.ZF */ : 0) | (v < 0 ? 0x80 /* Flag.SF */ : 0) | (count === 0 ? flags & 0x1 /* Flag.CF */ : (a >>> (count - 1)) & 1 ? 0x1 /* Flag.CF */ : 0);
        break;
      }
      case 0x1e /* Op.MUL_RR */: case 0x1f /* Op.MUL_RI */: retiredMul++; {
        const a = r[rd] as number;
        const b = op === 0x1e /* Op.MUL_RR */ ? (r[rs] as number) : imm;
        const v = Math.imul(a, b);
        r[rd] = v;
        flags = (flags & ~0x8c1 /* ALU_FLAGS */) | (v === 0 ? 0x40 /* Flag.ZF */ : 0) | (v < 0 ? 0x80 /* Flag.SF */ : 0) | ((a >>> 0) * (b >>> 0) > 0xffff_ffff ? 0x1 /* Flag.CF */ | 0x800 /* Flag.OF */ : 0); // the high half of the 64-bit product is not zero: exact in doubles
        break;
      }
      case 0x20 /* Op.DIV_RR */: case 0x21 /* Op.DIV_RI */: retiredDiv++; {
        const a = r[rd] as number;
        const b = op === 0x20 /* Op.DIV_RR */ ? (r[rs] as number) : imm;
        if (b === 0) {
          raise(c, 0x0 /* Vector.DE */, 0, pc);
          status = 0x2 /* Status.FAULT */;
          uncounted = op;
          break run;
        }
        const v = ((a >>> 0) / (b >>> 0)) | 0;
        r[rd] = v;
        flags = (flags & ~0x8c1 /* ALU_FLAGS */) | (v === 0 ? 0x40 /* Flag.ZF */ : 0) | (v < 0 ? 0x80 /* Flag.SF */ : 0);
        break;
      }
      case 0x30 /* Op.JMP_I */: retiredBranch++; next = imm >>> 0; break;
      case 0x31 /* Op.JMP_R */: retiredBranch++; next = (r[rd] as number) >>> 0; break;
      case 0x32 /* Op.JZ_I */: retiredBranch++; if ((flags & 0x40) !== 0) next = imm >>> 0; break;
      case 0x33 /* Op.JZ_R */: retiredBranch++; if ((flags & 0x40) !== 0) next = (r[rd] as number) >>> 0; break;
      case 0x34 /* Op.JNZ_I */: retiredBranch++; if ((flags & 0x40) === 0) next = imm >>> 0; break;
      case 0x35 /* Op.JNZ_R */: retiredBranch++; if ((flags & 0x40) === 0) next = (r[rd] as number) >>> 0; break;
      case 0x36 /* Op.JL_I */: retiredBranch++; if (((flags >>> 7) & 1) !== ((flags >>> 11) & 1)) next = imm >>> 0; break;
      case 0x37 /* Op.JL_R */: retiredBranch++; if (((flags >>> 7) & 1) !== ((flags >>> 11) & 1)) next = (r[rd] as number) >>> 0; break;
      case 0x38 /* Op.JGE_I */: retiredBranch++; if (((flags >>> 7) & 1) === ((flags >>> 11) & 1)) next = imm >>> 0; break;
      case 0x39 /* Op.JGE_R */: retiredBranch++; if (((flags >>> 7) & 1) === ((flags >>> 11) & 1)) next = (r[rd] as number) >>> 0; break;
      case 0x3a /* Op.JLE_I */: retiredBranch++; if ((flags & 0x40) !== 0 || ((flags >>> 7) & 1) !== ((flags >>> 11) & 1)) next = imm >>> 0; break;
      case 0x3b /* Op.JLE_R */: retiredBranch++; if ((flags & 0x40) !== 0 || ((flags >>> 7) & 1) !== ((flags >>> 11) & 1)) next = (r[rd] as number) >>> 0; break;
      case 0x3c /* Op.JG_I */: retiredBranch++; if ((flags & 0x40) === 0 && ((flags >>> 7) & 1) === ((flags >>> 11) & 1)) next = imm >>> 0; break;
      case 0x3d /* Op.JG_R */: retiredBranch++; if ((flags & 0x40) === 0 && ((flags >>> 7) & 1) === ((flags >>> 11) & 1)) next = (r[rd] as number) >>> 0; break;
      case 0x3e /* Op.JB_I */: retiredBranch++; if ((flags & 1) !== 0) next = imm >>> 0; break;
      case 0x3f /* Op.JB_R */: retiredBranch++; if ((flags & 1) !== 0) next = (r[rd] as number) >>> 0; break;
      case 0x40 /* Op.JAE_I */: retiredBranch++; if ((flags & 1) === 0) next = imm >>> 0; break;
      case 0x41 /* Op.JAE_R */: retiredBranch++; if ((flags & 1) === 0) next = (r[rd] as number) >>> 0; break;
      case 0x55 /* Op.NOP */: break;
      case 0x3 /* Op.LD */: retiredMemory++; {
        const a = (rs === 15 ? imm : (r[rs] as number) + imm) >>> 0;
        let v: number;
        if (a < size && (a & 0xffc) === (a & 0xfff)) v = m32[a >>> 2] as number;
        else {
          v = read32(c, a, user);
          if (v < 0) {
            c.fault.pc = pc;
            c.fault.software = false;
            status = 0x2 /* Status.FAULT */;
            uncounted = op;
            break run;
          }
          v |= 0;
        }
        r[rd] = v;
        break;
      }
      case 0x4 /* Op.LDB */: retiredMemory++; access = LOAD8; va = (rs === 15 ? imm : (r[rs] as number) + imm) >>> 0; break;
      case 0x4d /* Op.POP */: retiredStack++; access = LOAD32; va = (r[0x7 /* Reg.SP */] as number) >>> 0; break;
      case 0x4a /* Op.RET */: retiredCall++; access = LOAD32; va = (r[0x7 /* Reg.SP */] as number) >>> 0; break;
      case 0x5 /* Op.ST */: retiredMemory++; {
        const a = (rd === 15 ? imm : (r[rd] as number) + imm) >>> 0;
        const v = r[rs] as number;
        if (a < size && (a & 0xffc) === (a & 0xfff)) {
          const p = a;
          m32[p >>> 2] = v;
          dirty[p >>> 12] = 1;
          if ((watch[p >>> 12] as number) !== 0 && c.onWatchedStore(p)) { status = 0x3 /* Status.STOP */; budget = n + 1; }
        } else {
          const done = write32(c, a, v, user);
          if (done === 'fault') {
            c.fault.pc = pc;
            c.fault.software = false;
            status = 0x2 /* Status.FAULT */;
            uncounted = op;
            break run;
          }
          if (done === 'stop') { status = 0x3 /* Status.STOP */; budget = n + 1; }
        }
        break;
      }
      case 0x6 /* Op.STB */: retiredMemory++; access = STORE8; va = (rd === 15 ? imm : (r[rd] as number) + imm) >>> 0; sv = r[rs] as number; break;
      case 0x4b /* Op.PUSH_R */: retiredStack++; access = STORE32; va = ((r[0x7 /* Reg.SP */] as number) - 4) >>> 0; sv = r[rd] as number; break;
      case 0x4c /* Op.PUSH_I */: retiredStack++; access = STORE32; va = ((r[0x7 /* Reg.SP */] as number) - 4) >>> 0; sv = imm; break;
      case 0x48 /* Op.CALL_I */: retiredCall++; access = STORE32; va = ((r[0x7 /* Reg.SP */] as number) - 4) >>> 0; sv = next | 0; target = imm >>> 0; break;
      case 0x49 /* Op.CALL_R */: retiredCall++; access = STORE32; va = ((r[0x7 /* Reg.SP */] as number) - 4) >>> 0; sv = next | 0; target = (r[rd] as number) >>> 0; break;
      default: throw new Error(`CPU core: opcode 0x${op.toString(16)} is marked plain but has no case`);
    }
    if (access !== 0) {
      let lv = 0;
      if (access === LOAD32) {
        if (va < size && (va & 0xffc) === (va & 0xfff)) lv = m32[va >>> 2] as number;
        else {
          lv = read32(c, va, user);
          if (lv < 0) {
            c.fault.pc = pc;
            c.fault.software = false;
            status = 0x2 /* Status.FAULT */;
            uncounted = op;
            break;
          }
          lv |= 0;
        }
      } else if (access === LOAD8) {
        if (va < size) lv = mem[va] as number;
        else {
          lv = read8(c, va, user);
          if (lv < 0) {
            c.fault.pc = pc;
            c.fault.software = false;
            status = 0x2 /* Status.FAULT */;
            uncounted = op;
            break;
          }
        }
      } else if (va < size && (access === STORE8 || (va & 0xffc) === (va & 0xfff))) {
        const p = va;
        if (access === STORE8) {
          mem[p] = sv;
        } else {
          m32[p >>> 2] = sv;
        }
        dirty[p >>> 12] = 1;
        if ((watch[p >>> 12] as number) !== 0 && c.onWatchedStore(p)) { status = 0x3 /* Status.STOP */; budget = n + 1; }
      } else {
        const done = access === STORE8 ? write8(c, va, sv, user) : write32(c, va, sv, user);
        if (done === 'fault') {
          c.fault.pc = pc;
          c.fault.software = false;
          status = 0x2 /* Status.FAULT */;
          uncounted = op;
          break;
        }
        if (done === 'stop') { status = 0x3 /* Status.STOP */; budget = n + 1; }
      }
      switch (op) {
        case 0x4 /* Op.LDB */: r[rd] = lv; break;
        case 0x4d /* Op.POP */: r[0x7 /* Reg.SP */] = va + 4; r[rd] = lv; break;
        case 0x4a /* Op.RET */: r[0x7 /* Reg.SP */] = va + 4; next = lv >>> 0; break;
        case 0x4b /* Op.PUSH_R */: case 0x4c /* Op.PUSH_I */: r[0x7 /* Reg.SP */] = va; break;
        case 0x48 /* Op.CALL_I */: case 0x49 /* Op.CALL_R */: r[0x7 /* Reg.SP */] = va; next = target; break;
        default: break;
      }
    }
    pc = next;
    n++;
  }
  r[0x8 /* Reg.PC */] = pc;
  r[0x9 /* Reg.FLAGS */] = flags;
  if (uncounted >= 0) switch (OPCODE_COST_KEY[uncounted]) { case 1: retiredMul--; break; case 2: retiredDiv--; break; case 3: retiredMemory--; break; case 4: retiredBranch--; break; case 5: retiredStack--; break; case 6: retiredCall--; break; default: break; }
  hist[1] = (hist[1] as number) + retiredMul;
  hist[2] = (hist[2] as number) + retiredDiv;
  hist[3] = (hist[3] as number) + retiredMemory;
  hist[4] = (hist[4] as number) + retiredBranch;
  hist[5] = (hist[5] as number) + retiredStack;
  hist[6] = (hist[6] as number) + retiredCall;
  hist[0] = (hist[0] as number) + n - retiredMul - retiredDiv - retiredMemory - retiredBranch - retiredStack - retiredCall;
  c.events += n;
  return status;
}
