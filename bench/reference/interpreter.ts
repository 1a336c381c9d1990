import { Subject } from 'rxjs';
import { DEFAULT_CPU, cpuProfile } from '../../src/domain/cost/profile.js';
import { BATCH_CAPACITY, EventBatch } from '../../src/domain/events/batch.js';
import { Eff } from '../../src/domain/events/effects.js';
import { insn } from '../../src/domain/events/guest.js';
import type { Image } from '../../src/domain/image/image.js';
import { DECODE_INFO } from '../../src/engines/cpu/decode.js';
import { retireTables } from '../../src/engines/cpu/retire.js';

/*
 * The reference interpreter of `npm run bench`: what a plain, standalone VX32
 * interpreter written for speed does on the benchmark guests, so that vlab's speed can
 * be judged as a ratio to it measured in the same process.
 *
 * It runs a bare-metal image from its reset state (CPL 0, paging off, flags 0) and does,
 * per instruction, the work the architecture asks of vlab's core (src/engines/cpu
 * /core.ts.template) and nothing else:
 *
 * - fetch with the bound and rights check of the access (paging off: the identity TLB
 *   entry vlab fills is "below RAM size, every right", so the check is the address
 *   against RAM size plus the rights the CPL needs, on the same fast-path conditions:
 *   aligned and within one page; other accesses take a byte-wise path with the same
 *   outcome as vlab's slow path);
 * - decode validity of the low word (vlab's DECODE_INFO table, as the core uses it);
 * - the instruction, with IA-32 flags computed eagerly as docs/machine.md states them
 *   (the same formulas as src/engines/cpu/core.ts.template, inlined);
 * - every data access checked like the fetch;
 * - the instruction's cost (retire.ts tables for `insn` retired by the cpu, summed);
 * - evented only: the `insn` event in the batch's columns with the same effects in the
 *   same order as vlab's evented core, each full batch handed on through an RxJS Subject.
 *
 * What it runs: every plain instruction (the ones vlab's core runs itself) and `out` to
 * the exit port, which ends the run (after its `insn` event, which vlab logs too). Any
 * other system instruction, any other port, a fault (#UD, #GP, #DE: there is no IDT
 * delivery here) or the budget stops the run with that outcome instead.
 *
 * What it leaves out, because it is vlab's bookkeeping rather than the guest's: page
 * dirty bits (for incremental state sealing), page-table store watches (paging is off),
 * the per-opcode retirement histogram (the cost is summed directly instead), and the
 * run-start / io / run-end events.
 *
 * Each variant is one function with one switch with literal case labels: registers in an
 * Int32Array, pc / flags / cycles / counts in locals, no allocation and no call per
 * instruction. The two are the same interpreter; the evented one adds the event writes.
 * A driver calls it for slices of at most SLICE instructions (as vlab's run loop calls
 * its core for bursts) and hands batches on as they fill. Why slices, and short ones:
 * run as one call, a function this size only ever executes as on-stack-replacement
 * code, whose quality depends on when the background compiler finishes (the same
 * evented run measured 58 or 78 M/s, by process); called for 4096-instruction slices it
 * is compiled while its first call is still running, before its epilogue has any type
 * feedback, and then deoptimizes at every return. Slices of 1024 instructions let the
 * epilogue run before V8 optimizes the function; the price is one call (a dozen loads
 * and stores) per 1024 instructions.
 */

/** How a reference run ended. */
export type ReferenceOutcome = 'exit' | 'fault' | 'budget' | 'unsupported';

export interface ReferenceResult {
  readonly outcome: ReferenceOutcome;
  /** `out 0xf4, rs`: the value of rs, as int32 (as vlab's exit port returns it). */
  readonly exitCode: number;
  /** The exception vector of a fault (#UD 6, #GP 13, #DE 0), else -1. */
  readonly vector: number;
  /** Instructions retired (the exit `out` included, a faulting or unsupported one not). */
  readonly retired: number;
  /** Sum of the retired instructions' costs under the CPU profile. */
  readonly cycles: number;
  /** r0–r7 (r7 is sp). */
  readonly regs: Int32Array;
  /** The next instruction's address (of the faulting or unsupported one when the run stopped on it). */
  readonly pc: number;
  readonly flags: number;
}

export interface ReferenceOptions {
  /** Instructions to retire at most (vlab's maxInsns). */
  readonly maxInsns?: number;
  /** CPU cost profile (src/domain/cost/profiles). */
  readonly cpu?: string;
  /** Physical memory in bytes, a multiple of 4 KiB (vlab's memoryBytes). */
  readonly memoryBytes?: number;
  /** Privilege level to start at: 0 is the reset state; 3 runs the same code as user code (paging off grants every page). */
  readonly cpl?: 0 | 3;
}

const DEFAULT_MEMORY_BYTES = 4 * 1024 * 1024;

/** Instructions per call of the interpreter at most (see above). */
const SLICE = 1024;

/** Effect codes (schema.ts) of the three effects plain instructions have: a register, a 32-bit or a byte store. */
const CPU_SET = Eff.CPU;
const MEM32 = Eff.MEM32;
const MEM8 = Eff.MEM8;

/** The largest number of effects one instruction adds (an ALU op, push, call, pop: two). */
const MAX_EFFECTS_PER_INSN = 2;

/*
 * Rights of an access, as vlab's TLB entries hold them (context.ts `Right`): P 1, KW 2
 * (supervisor write), U 4, UW 8 (user write). With paging off the identity mapping of a
 * RAM page grants all four (tlb.ts `identityEntry`); an address at or beyond RAM size
 * has no mapping: #GP(0).
 */
const IDENTITY_RIGHTS = 0xf;

type Stop = ReferenceOutcome | 'running';

/** A reference machine between two slices: RAM, registers, costs, and how far the run got. */
interface Machine {
  readonly mem: Uint8Array;
  readonly m32: Int32Array; // the same buffer as mem
  readonly ram: number; // bytes
  readonly regs: Int32Array; // r0–r7
  readonly cpl: number;
  readonly cost: Float64Array; // cycles by opcode
  readonly code: number; // the `insn` event type
  readonly variant: number; // `insn` retired by the cpu
  pc: number;
  flags: number;
  cycles: number;
  retired: number;
  stop: Stop;
  vector: number;
  exitCode: number;
}

/** Reset state: the image's segments in a zeroed RAM, pc at the entry, flags 0, per-opcode costs of `insn` retired by the cpu (variant 0). */
function boot(image: Image, options: ReferenceOptions): Machine {
  const ram = options.memoryBytes ?? DEFAULT_MEMORY_BYTES;
  if (ram <= 0 || ram % 4096 !== 0 || ram > 0x8000_0000) throw new RangeError(`reference: memory of ${ram} bytes is not a whole number of pages`);
  const buffer = new ArrayBuffer(ram);
  const mem = new Uint8Array(buffer);
  for (const s of image.segments) {
    if (s.addr + s.bytes.length > ram) throw new RangeError(`reference: segment at 0x${s.addr.toString(16)} does not fit in RAM`);
    mem.set(s.bytes, s.addr);
  }
  const cpu = cpuProfile(options.cpu ?? DEFAULT_CPU);
  if (cpu === undefined) throw new RangeError(`reference: unknown CPU profile '${options.cpu}'`);
  const tables = retireTables(insn, 0, cpu);
  return {
    mem, m32: new Int32Array(buffer), ram, regs: new Int32Array(8), cpl: options.cpl ?? 0,
    cost: tables.cycles, code: tables.code, variant: tables.variant,
    pc: image.entry >>> 0, flags: 0, cycles: 0, retired: 0, stop: 'running', vector: -1, exitCode: 0,
  };
}

function resultOf(m: Machine): ReferenceResult {
  return { outcome: m.stop === 'running' ? 'budget' : m.stop, exitCode: m.exitCode, vector: m.vector, retired: m.retired, cycles: m.cycles, regs: m.regs, pc: m.pc, flags: m.flags };
}

/**
 * Runs the image with no events: the final registers, instructions retired and cycles.
 *
 * @example referenceBare(image).retired
 */
export function referenceBare(image: Image, options: ReferenceOptions = {}): ReferenceResult {
  const m = boot(image, options);
  const budget = options.maxInsns ?? Number.MAX_SAFE_INTEGER;
  while (m.stop === 'running' && m.retired < budget) runBare(m, Math.min(SLICE, budget - m.retired));
  return resultOf(m);
}

/**
 * Runs the image logging every retired instruction as an `insn` event, exactly as vlab's
 * evented core writes it: type, ctx 0, variant 0 (by the cpu), a = pc, b = low word,
 * c = imm, d = next pc, e = 0, its cost, and its effects. Each full batch goes to
 * `onBatch` through an RxJS Subject, then is cleared and reused (clone what you keep);
 * the last, partial one follows when the run ends.
 *
 * @example referenceEvented(image, (batch) => (events += batch.length))
 */
export function referenceEvented(image: Image, onBatch: (batch: EventBatch) => void, options: ReferenceOptions = {}): ReferenceResult {
  const m = boot(image, options);
  const budget = options.maxInsns ?? Number.MAX_SAFE_INTEGER;
  const batches = new Subject<EventBatch>();
  const subscription = batches.subscribe(onBatch);
  const out = new EventBatch(0, BATCH_CAPACITY);
  out.reserveEffects(MAX_EFFECTS_PER_INSN * BATCH_CAPACITY); // a full batch of two-effect instructions never grows the pool
  while (m.stop === 'running' && m.retired < budget) {
    runEvented(m, Math.min(SLICE, out.room, budget - m.retired), out);
    if (out.room === 0) {
      batches.next(out);
      out.clear(out.start + out.length);
    }
  }
  if (out.length > 0) batches.next(out);
  batches.complete();
  subscription.unsubscribe();
  return resultOf(m);
}

/** The interpreter: runs up to `budget` instructions from the machine's state, and leaves it there. */
function runBare(m: Machine, budget: number): void {
  const r = m.regs, mem = m.mem, m32 = m.m32, ram = m.ram, cost = m.cost, cpl = m.cpl;
  const info = DECODE_INFO;
  const rights = IDENTITY_RIGHTS;
  const user = cpl === 3;
  const needRead = user ? 0x5 /* P|U */ : 0x1 /* P */;
  const needWrite = user ? 0xd /* P|U|UW */ : 0x3 /* P|KW */;
  let pc = m.pc;
  let flags = m.flags;
  let cycles = m.cycles;
  let n = 0;
  let stop: Stop = 'running';
  let vector = -1;
  let exitCode = 0;

  run: while (n < budget) {
    // Fetch: 8 bytes at pc, checked as a read.
    let lo: number;
    let imm: number;
    if ((pc & 0xfff) <= 0xff8 && (pc & 3) === 0 && pc < ram && (rights & needRead) === needRead) {
      lo = m32[pc >>> 2] as number;
      imm = m32[(pc >>> 2) + 1] as number;
    } else if (pc + 7 < ram && (rights & needRead) === needRead) {
      lo = (mem[pc] as number) | ((mem[pc + 1] as number) << 8) | ((mem[pc + 2] as number) << 16) | ((mem[pc + 3] as number) << 24);
      imm = (mem[pc + 4] as number) | ((mem[pc + 5] as number) << 8) | ((mem[pc + 6] as number) << 16) | ((mem[pc + 7] as number) << 24);
    } else {
      vector = 13; // #GP: no RAM there
      stop = 'fault';
      break;
    }
    // Decode: the high half of the low word must be zero, the low half a valid encoding.
    if (lo >>> 16 !== 0 || info[lo] === 0 /* invalid */) {
      vector = 6; // #UD
      stop = 'fault';
      break;
    }
    const op = lo & 0xff;
    const rd = (lo >>> 8) & 15;
    const rs = (lo >>> 12) & 15;
    let next = (pc + 8) >>> 0;
    switch (op) {
      case 0x01: /* mov rd, rs */ r[rd] = r[rs] as number; break;
      case 0x02: /* mov rd, imm */ r[rd] = imm; break;
      case 0x03: { /* ld rd, [rs+disp] */
        const a = (rs === 15 ? imm : (r[rs] as number) + imm) >>> 0;
        let v: number;
        if ((a & 3) === 0 && a < ram && (rights & needRead) === needRead) v = m32[a >>> 2] as number;
        else if (a + 3 < ram && (rights & needRead) === needRead) v = (mem[a] as number) | ((mem[a + 1] as number) << 8) | ((mem[a + 2] as number) << 16) | ((mem[a + 3] as number) << 24);
        else { vector = 13; stop = 'fault'; break run; }
        r[rd] = v;
        break;
      }
      case 0x04: { /* ldb rd, [rs+disp] */
        const a = (rs === 15 ? imm : (r[rs] as number) + imm) >>> 0;
        if (a >= ram || (rights & needRead) !== needRead) { vector = 13; stop = 'fault'; break run; }
        r[rd] = mem[a] as number;
        break;
      }
      case 0x05: { /* st [rd+disp], rs */
        const a = (rd === 15 ? imm : (r[rd] as number) + imm) >>> 0;
        const v = r[rs] as number;
        if ((a & 3) === 0 && a < ram && (rights & needWrite) === needWrite) m32[a >>> 2] = v;
        else if (a + 3 < ram && (rights & needWrite) === needWrite) { mem[a] = v; mem[a + 1] = v >>> 8; mem[a + 2] = v >>> 16; mem[a + 3] = v >>> 24; }
        else { vector = 13; stop = 'fault'; break run; }
        break;
      }
      case 0x06: { /* stb [rd+disp], rs */
        const a = (rd === 15 ? imm : (r[rd] as number) + imm) >>> 0;
        if (a >= ram || (rights & needWrite) !== needWrite) { vector = 13; stop = 'fault'; break run; }
        mem[a] = r[rs] as number;
        break;
      }
      case 0x10: { /* add rd, rs */
        const a = r[rd] as number, b = r[rs] as number, v = (a + b) | 0;
        r[rd] = v;
        flags = (flags & ~0x8c1) | (v === 0 ? 0x40 : 0) | (v < 0 ? 0x80 : 0) | (v >>> 0 < a >>> 0 ? 0x1 : 0) | ((~(a ^ b) & (a ^ v)) < 0 ? 0x800 : 0);
        break;
      }
      case 0x11: { /* add rd, imm */
        const a = r[rd] as number, b = imm, v = (a + b) | 0;
        r[rd] = v;
        flags = (flags & ~0x8c1) | (v === 0 ? 0x40 : 0) | (v < 0 ? 0x80 : 0) | (v >>> 0 < a >>> 0 ? 0x1 : 0) | ((~(a ^ b) & (a ^ v)) < 0 ? 0x800 : 0);
        break;
      }
      case 0x12: { /* sub rd, rs */
        const a = r[rd] as number, b = r[rs] as number, v = (a - b) | 0;
        r[rd] = v;
        flags = (flags & ~0x8c1) | (v === 0 ? 0x40 : 0) | (v < 0 ? 0x80 : 0) | (a >>> 0 < b >>> 0 ? 0x1 : 0) | (((a ^ b) & (a ^ v)) < 0 ? 0x800 : 0);
        break;
      }
      case 0x13: { /* sub rd, imm */
        const a = r[rd] as number, b = imm, v = (a - b) | 0;
        r[rd] = v;
        flags = (flags & ~0x8c1) | (v === 0 ? 0x40 : 0) | (v < 0 ? 0x80 : 0) | (a >>> 0 < b >>> 0 ? 0x1 : 0) | (((a ^ b) & (a ^ v)) < 0 ? 0x800 : 0);
        break;
      }
      case 0x14: { /* and rd, rs */ const v = (r[rd] as number) & (r[rs] as number); r[rd] = v; flags = (flags & ~0x8c1) | (v === 0 ? 0x40 : 0) | (v < 0 ? 0x80 : 0); break; }
      case 0x15: { /* and rd, imm */ const v = (r[rd] as number) & imm; r[rd] = v; flags = (flags & ~0x8c1) | (v === 0 ? 0x40 : 0) | (v < 0 ? 0x80 : 0); break; }
      case 0x16: { /* or rd, rs */ const v = (r[rd] as number) | (r[rs] as number); r[rd] = v; flags = (flags & ~0x8c1) | (v === 0 ? 0x40 : 0) | (v < 0 ? 0x80 : 0); break; }
      case 0x17: { /* or rd, imm */ const v = (r[rd] as number) | imm; r[rd] = v; flags = (flags & ~0x8c1) | (v === 0 ? 0x40 : 0) | (v < 0 ? 0x80 : 0); break; }
      case 0x18: { /* xor rd, rs */ const v = (r[rd] as number) ^ (r[rs] as number); r[rd] = v; flags = (flags & ~0x8c1) | (v === 0 ? 0x40 : 0) | (v < 0 ? 0x80 : 0); break; }
      case 0x19: { /* xor rd, imm */ const v = (r[rd] as number) ^ imm; r[rd] = v; flags = (flags & ~0x8c1) | (v === 0 ? 0x40 : 0) | (v < 0 ? 0x80 : 0); break; }
      case 0x1a: { /* shl rd, rs */
        const a = r[rd] as number, count = (r[rs] as number) & 31, v = a << count;
        r[rd] = v;
        flags = (flags & ~0x8c1) | (v === 0 ? 0x40 : 0) | (v < 0 ? 0x80 : 0) | (count === 0 ? flags & 0x1 : (a >>> (32 - count)) & 1);
        break;
      }
      case 0x1b: { /* shl rd, imm */
        const a = r[rd] as number, count = imm & 31, v = a << count;
        r[rd] = v;
        flags = (flags & ~0x8c1) | (v === 0 ? 0x40 : 0) | (v < 0 ? 0x80 : 0) | (count === 0 ? flags & 0x1 : (a >>> (32 - count)) & 1);
        break;
      }
      case 0x1c: { /* shr rd, rs */
        const a = r[rd] as number, count = (r[rs] as number) & 31, v = (a >>> count) | 0;
        r[rd] = v;
        flags = (flags & ~0x8c1) | (v === 0 ? 0x40 : 0) | (v < 0 ? 0x80 : 0) | (count === 0 ? flags & 0x1 : (a >>> (count - 1)) & 1);
        break;
      }
      case 0x1d: { /* shr rd, imm */
        const a = r[rd] as number, count = imm & 31, v = (a >>> count) | 0;
        r[rd] = v;
        flags = (flags & ~0x8c1) | (v === 0 ? 0x40 : 0) | (v < 0 ? 0x80 : 0) | (count === 0 ? flags & 0x1 : (a >>> (count - 1)) & 1);
        break;
      }
      case 0x1e: { /* mul rd, rs: CF = OF = high half of the 64-bit product non-zero */
        const a = r[rd] as number, b = r[rs] as number, v = Math.imul(a, b);
        r[rd] = v;
        flags = (flags & ~0x8c1) | (v === 0 ? 0x40 : 0) | (v < 0 ? 0x80 : 0) | ((a >>> 0) * (b >>> 0) > 0xffff_ffff ? 0x801 : 0);
        break;
      }
      case 0x1f: { /* mul rd, imm */
        const a = r[rd] as number, b = imm, v = Math.imul(a, b);
        r[rd] = v;
        flags = (flags & ~0x8c1) | (v === 0 ? 0x40 : 0) | (v < 0 ? 0x80 : 0) | ((a >>> 0) * (b >>> 0) > 0xffff_ffff ? 0x801 : 0);
        break;
      }
      case 0x20: { /* div rd, rs: unsigned, quotient only */
        const b = r[rs] as number;
        if (b === 0) { vector = 0; stop = 'fault'; break run; } // #DE
        const v = (((r[rd] as number) >>> 0) / (b >>> 0)) | 0;
        r[rd] = v;
        flags = (flags & ~0x8c1) | (v === 0 ? 0x40 : 0) | (v < 0 ? 0x80 : 0);
        break;
      }
      case 0x21: { /* div rd, imm */
        if (imm === 0) { vector = 0; stop = 'fault'; break run; } // #DE
        const v = (((r[rd] as number) >>> 0) / (imm >>> 0)) | 0;
        r[rd] = v;
        flags = (flags & ~0x8c1) | (v === 0 ? 0x40 : 0) | (v < 0 ? 0x80 : 0);
        break;
      }
      case 0x22: { /* cmp rd, rs */
        const a = r[rd] as number, b = r[rs] as number, v = (a - b) | 0;
        flags = (flags & ~0x8c1) | (v === 0 ? 0x40 : 0) | (v < 0 ? 0x80 : 0) | (a >>> 0 < b >>> 0 ? 0x1 : 0) | (((a ^ b) & (a ^ v)) < 0 ? 0x800 : 0);
        break;
      }
      case 0x23: { /* cmp rd, imm */
        const a = r[rd] as number, b = imm, v = (a - b) | 0;
        flags = (flags & ~0x8c1) | (v === 0 ? 0x40 : 0) | (v < 0 ? 0x80 : 0) | (a >>> 0 < b >>> 0 ? 0x1 : 0) | (((a ^ b) & (a ^ v)) < 0 ? 0x800 : 0);
        break;
      }
      // Jumps: ZF 0x40, SF bit 7, OF bit 11, CF 0x1.
      case 0x30: /* jmp imm */ next = imm >>> 0; break;
      case 0x31: /* jmp rd */ next = (r[rd] as number) >>> 0; break;
      case 0x32: /* jz */ if ((flags & 0x40) !== 0) next = imm >>> 0; break;
      case 0x33: if ((flags & 0x40) !== 0) next = (r[rd] as number) >>> 0; break;
      case 0x34: /* jnz */ if ((flags & 0x40) === 0) next = imm >>> 0; break;
      case 0x35: if ((flags & 0x40) === 0) next = (r[rd] as number) >>> 0; break;
      case 0x36: /* jl: SF != OF */ if (((flags >>> 7) & 1) !== ((flags >>> 11) & 1)) next = imm >>> 0; break;
      case 0x37: if (((flags >>> 7) & 1) !== ((flags >>> 11) & 1)) next = (r[rd] as number) >>> 0; break;
      case 0x38: /* jge: SF == OF */ if (((flags >>> 7) & 1) === ((flags >>> 11) & 1)) next = imm >>> 0; break;
      case 0x39: if (((flags >>> 7) & 1) === ((flags >>> 11) & 1)) next = (r[rd] as number) >>> 0; break;
      case 0x3a: /* jle: ZF or SF != OF */ if ((flags & 0x40) !== 0 || ((flags >>> 7) & 1) !== ((flags >>> 11) & 1)) next = imm >>> 0; break;
      case 0x3b: if ((flags & 0x40) !== 0 || ((flags >>> 7) & 1) !== ((flags >>> 11) & 1)) next = (r[rd] as number) >>> 0; break;
      case 0x3c: /* jg: !ZF and SF == OF */ if ((flags & 0x40) === 0 && ((flags >>> 7) & 1) === ((flags >>> 11) & 1)) next = imm >>> 0; break;
      case 0x3d: if ((flags & 0x40) === 0 && ((flags >>> 7) & 1) === ((flags >>> 11) & 1)) next = (r[rd] as number) >>> 0; break;
      case 0x3e: /* jb: CF */ if ((flags & 0x1) !== 0) next = imm >>> 0; break;
      case 0x3f: if ((flags & 0x1) !== 0) next = (r[rd] as number) >>> 0; break;
      case 0x40: /* jae: !CF */ if ((flags & 0x1) === 0) next = imm >>> 0; break;
      case 0x41: if ((flags & 0x1) === 0) next = (r[rd] as number) >>> 0; break;
      // Stack: sp is r7, 4 bytes a slot, grows down; the store or load is checked before sp changes.
      case 0x48: /* call imm */ case 0x49: /* call rd */ case 0x4b: /* push rd */ case 0x4c: /* push imm */ {
        const a = ((r[7] as number) - 4) >>> 0;
        const v = op === 0x4b ? (r[rd] as number) : op === 0x4c ? imm : next;
        if ((a & 3) === 0 && a < ram && (rights & needWrite) === needWrite) m32[a >>> 2] = v;
        else if (a + 3 < ram && (rights & needWrite) === needWrite) { mem[a] = v; mem[a + 1] = v >>> 8; mem[a + 2] = v >>> 16; mem[a + 3] = v >>> 24; }
        else { vector = 13; stop = 'fault'; break run; }
        r[7] = a;
        if (op === 0x48) next = imm >>> 0;
        else if (op === 0x49) next = (r[rd] as number) >>> 0;
        break;
      }
      case 0x4a: /* ret */ case 0x4d: /* pop rd */ {
        const a = (r[7] as number) >>> 0;
        let v: number;
        if ((a & 3) === 0 && a < ram && (rights & needRead) === needRead) v = m32[a >>> 2] as number;
        else if (a + 3 < ram && (rights & needRead) === needRead) v = (mem[a] as number) | ((mem[a + 1] as number) << 8) | ((mem[a + 2] as number) << 16) | ((mem[a + 3] as number) << 24);
        else { vector = 13; stop = 'fault'; break run; }
        r[7] = a + 4;
        if (op === 0x4d) r[rd] = v; // pop sp loads sp
        else next = v >>> 0;
        break;
      }
      case 0x55: /* nop */ break;
      case 0x62: /* out imm, rs */ case 0x63: /* out rd, rs */ {
        if (cpl > ((flags >>> 12) & 3)) { vector = 13; stop = 'fault'; break run; } // #GP(0) when CPL > IOPL
        const port = op === 0x62 ? imm >>> 0 : (r[rd] as number) >>> 0;
        if (port !== 0xf4) { stop = 'unsupported'; break run; }
        exitCode = r[rs] as number;
        stop = 'exit';
        cycles += cost[op] as number; // it retires, and the run ends
        pc = next;
        n++;
        break run;
      }
      default: stop = 'unsupported'; break run; // a system instruction the reference does not model
    }
    cycles += cost[op] as number;
    pc = next;
    n++;
  }
  m.pc = pc;
  m.flags = flags;
  m.cycles = cycles;
  m.retired += n;
  if (stop !== 'running') {
    m.stop = stop;
    m.vector = vector;
    m.exitCode = exitCode;
  }
}

/**
 * The same interpreter writing an `insn` event per retired instruction into `out`, which
 * has room for `budget` more events (and their effects), columns and effects in the order
 * vlab's evented core (src/engines/cpu/core-evented.ts) writes them.
 */
function runEvented(m: Machine, budget: number, out: EventBatch): void {
  const r = m.regs, mem = m.mem, m32 = m.m32, ram = m.ram, cost = m.cost, cpl = m.cpl;
  const info = DECODE_INFO;
  const rights = IDENTITY_RIGHTS;
  const user = cpl === 3;
  const needRead = user ? 0x5 /* P|U */ : 0x1 /* P */;
  const needWrite = user ? 0xd /* P|U|UW */ : 0x3 /* P|KW */;
  const T = out.type, X = out.ctx, V = out.variant, A = out.a, B = out.b, C = out.c, D = out.d, E = out.e, K = out.cost, S = out.effectStart;
  const F = out.effects;
  const CPU = CPU_SET;
  const code = m.code, variant = m.variant, ctx = 0; // vm 0, vcpu 0
  let i = out.length; // next event in the batch
  let f = 3 * out.effectCount; // next effect word in the pool: effect j is the triple at 3j
  let pc = m.pc;
  let flags = m.flags;
  let cycles = m.cycles;
  let n = 0;
  let stop: Stop = 'running';
  let vector = -1;
  let exitCode = 0;

  run: while (n < budget) {
    let lo: number;
    let imm: number;
    if ((pc & 0xfff) <= 0xff8 && (pc & 3) === 0 && pc < ram && (rights & needRead) === needRead) {
      lo = m32[pc >>> 2] as number;
      imm = m32[(pc >>> 2) + 1] as number;
    } else if (pc + 7 < ram && (rights & needRead) === needRead) {
      lo = (mem[pc] as number) | ((mem[pc + 1] as number) << 8) | ((mem[pc + 2] as number) << 16) | ((mem[pc + 3] as number) << 24);
      imm = (mem[pc + 4] as number) | ((mem[pc + 5] as number) << 8) | ((mem[pc + 6] as number) << 16) | ((mem[pc + 7] as number) << 24);
    } else {
      vector = 13;
      stop = 'fault';
      break;
    }
    if (lo >>> 16 !== 0 || info[lo] === 0) {
      vector = 6;
      stop = 'fault';
      break;
    }
    const op = lo & 0xff;
    const rd = (lo >>> 8) & 15;
    const rs = (lo >>> 12) & 15;
    let next = (pc + 8) >>> 0;
    T[i] = code; X[i] = ctx; V[i] = variant; A[i] = pc; B[i] = lo; C[i] = imm; E[i] = 0;
    switch (op) {
      case 0x01: { const v = r[rs] as number; r[rd] = v; F[f] = CPU; F[f + 1] = rd; F[f + 2] = v; f += 3; break; }
      case 0x02: r[rd] = imm; F[f] = CPU; F[f + 1] = rd; F[f + 2] = imm; f += 3; break;
      case 0x03: {
        const a = (rs === 15 ? imm : (r[rs] as number) + imm) >>> 0;
        let v: number;
        if ((a & 3) === 0 && a < ram && (rights & needRead) === needRead) v = m32[a >>> 2] as number;
        else if (a + 3 < ram && (rights & needRead) === needRead) v = (mem[a] as number) | ((mem[a + 1] as number) << 8) | ((mem[a + 2] as number) << 16) | ((mem[a + 3] as number) << 24);
        else { vector = 13; stop = 'fault'; break run; }
        r[rd] = v;
        F[f] = CPU; F[f + 1] = rd; F[f + 2] = v; f += 3;
        break;
      }
      case 0x04: {
        const a = (rs === 15 ? imm : (r[rs] as number) + imm) >>> 0;
        if (a >= ram || (rights & needRead) !== needRead) { vector = 13; stop = 'fault'; break run; }
        const v = mem[a] as number;
        r[rd] = v;
        F[f] = CPU; F[f + 1] = rd; F[f + 2] = v; f += 3;
        break;
      }
      case 0x05: {
        const a = (rd === 15 ? imm : (r[rd] as number) + imm) >>> 0;
        const v = r[rs] as number;
        if ((a & 3) === 0 && a < ram && (rights & needWrite) === needWrite) m32[a >>> 2] = v;
        else if (a + 3 < ram && (rights & needWrite) === needWrite) { mem[a] = v; mem[a + 1] = v >>> 8; mem[a + 2] = v >>> 16; mem[a + 3] = v >>> 24; }
        else { vector = 13; stop = 'fault'; break run; }
        F[f] = MEM32; F[f + 1] = a; F[f + 2] = v; f += 3;
        break;
      }
      case 0x06: {
        const a = (rd === 15 ? imm : (r[rd] as number) + imm) >>> 0;
        if (a >= ram || (rights & needWrite) !== needWrite) { vector = 13; stop = 'fault'; break run; }
        const v = r[rs] as number;
        mem[a] = v;
        F[f] = MEM8; F[f + 1] = a; F[f + 2] = v & 0xff; f += 3;
        break;
      }
      case 0x10: {
        const a = r[rd] as number, b = r[rs] as number, v = (a + b) | 0;
        r[rd] = v;
        flags = (flags & ~0x8c1) | (v === 0 ? 0x40 : 0) | (v < 0 ? 0x80 : 0) | (v >>> 0 < a >>> 0 ? 0x1 : 0) | ((~(a ^ b) & (a ^ v)) < 0 ? 0x800 : 0);
        F[f] = CPU; F[f + 1] = rd; F[f + 2] = v; F[f + 3] = CPU; F[f + 4] = 9; F[f + 5] = flags; f += 6;
        break;
      }
      case 0x11: {
        const a = r[rd] as number, b = imm, v = (a + b) | 0;
        r[rd] = v;
        flags = (flags & ~0x8c1) | (v === 0 ? 0x40 : 0) | (v < 0 ? 0x80 : 0) | (v >>> 0 < a >>> 0 ? 0x1 : 0) | ((~(a ^ b) & (a ^ v)) < 0 ? 0x800 : 0);
        F[f] = CPU; F[f + 1] = rd; F[f + 2] = v; F[f + 3] = CPU; F[f + 4] = 9; F[f + 5] = flags; f += 6;
        break;
      }
      case 0x12: {
        const a = r[rd] as number, b = r[rs] as number, v = (a - b) | 0;
        r[rd] = v;
        flags = (flags & ~0x8c1) | (v === 0 ? 0x40 : 0) | (v < 0 ? 0x80 : 0) | (a >>> 0 < b >>> 0 ? 0x1 : 0) | (((a ^ b) & (a ^ v)) < 0 ? 0x800 : 0);
        F[f] = CPU; F[f + 1] = rd; F[f + 2] = v; F[f + 3] = CPU; F[f + 4] = 9; F[f + 5] = flags; f += 6;
        break;
      }
      case 0x13: {
        const a = r[rd] as number, b = imm, v = (a - b) | 0;
        r[rd] = v;
        flags = (flags & ~0x8c1) | (v === 0 ? 0x40 : 0) | (v < 0 ? 0x80 : 0) | (a >>> 0 < b >>> 0 ? 0x1 : 0) | (((a ^ b) & (a ^ v)) < 0 ? 0x800 : 0);
        F[f] = CPU; F[f + 1] = rd; F[f + 2] = v; F[f + 3] = CPU; F[f + 4] = 9; F[f + 5] = flags; f += 6;
        break;
      }
      case 0x14: { const v = (r[rd] as number) & (r[rs] as number); r[rd] = v; flags = (flags & ~0x8c1) | (v === 0 ? 0x40 : 0) | (v < 0 ? 0x80 : 0); F[f] = CPU; F[f + 1] = rd; F[f + 2] = v; F[f + 3] = CPU; F[f + 4] = 9; F[f + 5] = flags; f += 6; break; }
      case 0x15: { const v = (r[rd] as number) & imm; r[rd] = v; flags = (flags & ~0x8c1) | (v === 0 ? 0x40 : 0) | (v < 0 ? 0x80 : 0); F[f] = CPU; F[f + 1] = rd; F[f + 2] = v; F[f + 3] = CPU; F[f + 4] = 9; F[f + 5] = flags; f += 6; break; }
      case 0x16: { const v = (r[rd] as number) | (r[rs] as number); r[rd] = v; flags = (flags & ~0x8c1) | (v === 0 ? 0x40 : 0) | (v < 0 ? 0x80 : 0); F[f] = CPU; F[f + 1] = rd; F[f + 2] = v; F[f + 3] = CPU; F[f + 4] = 9; F[f + 5] = flags; f += 6; break; }
      case 0x17: { const v = (r[rd] as number) | imm; r[rd] = v; flags = (flags & ~0x8c1) | (v === 0 ? 0x40 : 0) | (v < 0 ? 0x80 : 0); F[f] = CPU; F[f + 1] = rd; F[f + 2] = v; F[f + 3] = CPU; F[f + 4] = 9; F[f + 5] = flags; f += 6; break; }
      case 0x18: { const v = (r[rd] as number) ^ (r[rs] as number); r[rd] = v; flags = (flags & ~0x8c1) | (v === 0 ? 0x40 : 0) | (v < 0 ? 0x80 : 0); F[f] = CPU; F[f + 1] = rd; F[f + 2] = v; F[f + 3] = CPU; F[f + 4] = 9; F[f + 5] = flags; f += 6; break; }
      case 0x19: { const v = (r[rd] as number) ^ imm; r[rd] = v; flags = (flags & ~0x8c1) | (v === 0 ? 0x40 : 0) | (v < 0 ? 0x80 : 0); F[f] = CPU; F[f + 1] = rd; F[f + 2] = v; F[f + 3] = CPU; F[f + 4] = 9; F[f + 5] = flags; f += 6; break; }
      case 0x1a: {
        const a = r[rd] as number, count = (r[rs] as number) & 31, v = a << count;
        r[rd] = v;
        flags = (flags & ~0x8c1) | (v === 0 ? 0x40 : 0) | (v < 0 ? 0x80 : 0) | (count === 0 ? flags & 0x1 : (a >>> (32 - count)) & 1);
        F[f] = CPU; F[f + 1] = rd; F[f + 2] = v; F[f + 3] = CPU; F[f + 4] = 9; F[f + 5] = flags; f += 6;
        break;
      }
      case 0x1b: {
        const a = r[rd] as number, count = imm & 31, v = a << count;
        r[rd] = v;
        flags = (flags & ~0x8c1) | (v === 0 ? 0x40 : 0) | (v < 0 ? 0x80 : 0) | (count === 0 ? flags & 0x1 : (a >>> (32 - count)) & 1);
        F[f] = CPU; F[f + 1] = rd; F[f + 2] = v; F[f + 3] = CPU; F[f + 4] = 9; F[f + 5] = flags; f += 6;
        break;
      }
      case 0x1c: {
        const a = r[rd] as number, count = (r[rs] as number) & 31, v = (a >>> count) | 0;
        r[rd] = v;
        flags = (flags & ~0x8c1) | (v === 0 ? 0x40 : 0) | (v < 0 ? 0x80 : 0) | (count === 0 ? flags & 0x1 : (a >>> (count - 1)) & 1);
        F[f] = CPU; F[f + 1] = rd; F[f + 2] = v; F[f + 3] = CPU; F[f + 4] = 9; F[f + 5] = flags; f += 6;
        break;
      }
      case 0x1d: {
        const a = r[rd] as number, count = imm & 31, v = (a >>> count) | 0;
        r[rd] = v;
        flags = (flags & ~0x8c1) | (v === 0 ? 0x40 : 0) | (v < 0 ? 0x80 : 0) | (count === 0 ? flags & 0x1 : (a >>> (count - 1)) & 1);
        F[f] = CPU; F[f + 1] = rd; F[f + 2] = v; F[f + 3] = CPU; F[f + 4] = 9; F[f + 5] = flags; f += 6;
        break;
      }
      case 0x1e: {
        const a = r[rd] as number, b = r[rs] as number, v = Math.imul(a, b);
        r[rd] = v;
        flags = (flags & ~0x8c1) | (v === 0 ? 0x40 : 0) | (v < 0 ? 0x80 : 0) | ((a >>> 0) * (b >>> 0) > 0xffff_ffff ? 0x801 : 0);
        F[f] = CPU; F[f + 1] = rd; F[f + 2] = v; F[f + 3] = CPU; F[f + 4] = 9; F[f + 5] = flags; f += 6;
        break;
      }
      case 0x1f: {
        const a = r[rd] as number, b = imm, v = Math.imul(a, b);
        r[rd] = v;
        flags = (flags & ~0x8c1) | (v === 0 ? 0x40 : 0) | (v < 0 ? 0x80 : 0) | ((a >>> 0) * (b >>> 0) > 0xffff_ffff ? 0x801 : 0);
        F[f] = CPU; F[f + 1] = rd; F[f + 2] = v; F[f + 3] = CPU; F[f + 4] = 9; F[f + 5] = flags; f += 6;
        break;
      }
      case 0x20: {
        const b = r[rs] as number;
        if (b === 0) { vector = 0; stop = 'fault'; break run; }
        const v = (((r[rd] as number) >>> 0) / (b >>> 0)) | 0;
        r[rd] = v;
        flags = (flags & ~0x8c1) | (v === 0 ? 0x40 : 0) | (v < 0 ? 0x80 : 0);
        F[f] = CPU; F[f + 1] = rd; F[f + 2] = v; F[f + 3] = CPU; F[f + 4] = 9; F[f + 5] = flags; f += 6;
        break;
      }
      case 0x21: {
        if (imm === 0) { vector = 0; stop = 'fault'; break run; }
        const v = (((r[rd] as number) >>> 0) / (imm >>> 0)) | 0;
        r[rd] = v;
        flags = (flags & ~0x8c1) | (v === 0 ? 0x40 : 0) | (v < 0 ? 0x80 : 0);
        F[f] = CPU; F[f + 1] = rd; F[f + 2] = v; F[f + 3] = CPU; F[f + 4] = 9; F[f + 5] = flags; f += 6;
        break;
      }
      case 0x22: {
        const a = r[rd] as number, b = r[rs] as number, v = (a - b) | 0;
        flags = (flags & ~0x8c1) | (v === 0 ? 0x40 : 0) | (v < 0 ? 0x80 : 0) | (a >>> 0 < b >>> 0 ? 0x1 : 0) | (((a ^ b) & (a ^ v)) < 0 ? 0x800 : 0);
        F[f] = CPU; F[f + 1] = 9; F[f + 2] = flags; f += 3;
        break;
      }
      case 0x23: {
        const a = r[rd] as number, b = imm, v = (a - b) | 0;
        flags = (flags & ~0x8c1) | (v === 0 ? 0x40 : 0) | (v < 0 ? 0x80 : 0) | (a >>> 0 < b >>> 0 ? 0x1 : 0) | (((a ^ b) & (a ^ v)) < 0 ? 0x800 : 0);
        F[f] = CPU; F[f + 1] = 9; F[f + 2] = flags; f += 3;
        break;
      }
      case 0x30: next = imm >>> 0; break;
      case 0x31: next = (r[rd] as number) >>> 0; break;
      case 0x32: if ((flags & 0x40) !== 0) next = imm >>> 0; break;
      case 0x33: if ((flags & 0x40) !== 0) next = (r[rd] as number) >>> 0; break;
      case 0x34: if ((flags & 0x40) === 0) next = imm >>> 0; break;
      case 0x35: if ((flags & 0x40) === 0) next = (r[rd] as number) >>> 0; break;
      case 0x36: if (((flags >>> 7) & 1) !== ((flags >>> 11) & 1)) next = imm >>> 0; break;
      case 0x37: if (((flags >>> 7) & 1) !== ((flags >>> 11) & 1)) next = (r[rd] as number) >>> 0; break;
      case 0x38: if (((flags >>> 7) & 1) === ((flags >>> 11) & 1)) next = imm >>> 0; break;
      case 0x39: if (((flags >>> 7) & 1) === ((flags >>> 11) & 1)) next = (r[rd] as number) >>> 0; break;
      case 0x3a: if ((flags & 0x40) !== 0 || ((flags >>> 7) & 1) !== ((flags >>> 11) & 1)) next = imm >>> 0; break;
      case 0x3b: if ((flags & 0x40) !== 0 || ((flags >>> 7) & 1) !== ((flags >>> 11) & 1)) next = (r[rd] as number) >>> 0; break;
      case 0x3c: if ((flags & 0x40) === 0 && ((flags >>> 7) & 1) === ((flags >>> 11) & 1)) next = imm >>> 0; break;
      case 0x3d: if ((flags & 0x40) === 0 && ((flags >>> 7) & 1) === ((flags >>> 11) & 1)) next = (r[rd] as number) >>> 0; break;
      case 0x3e: if ((flags & 0x1) !== 0) next = imm >>> 0; break;
      case 0x3f: if ((flags & 0x1) !== 0) next = (r[rd] as number) >>> 0; break;
      case 0x40: if ((flags & 0x1) === 0) next = imm >>> 0; break;
      case 0x41: if ((flags & 0x1) === 0) next = (r[rd] as number) >>> 0; break;
      case 0x48: case 0x49: case 0x4b: case 0x4c: {
        const a = ((r[7] as number) - 4) >>> 0;
        const v = op === 0x4b ? (r[rd] as number) : op === 0x4c ? imm : next;
        if ((a & 3) === 0 && a < ram && (rights & needWrite) === needWrite) m32[a >>> 2] = v;
        else if (a + 3 < ram && (rights & needWrite) === needWrite) { mem[a] = v; mem[a + 1] = v >>> 8; mem[a + 2] = v >>> 16; mem[a + 3] = v >>> 24; }
        else { vector = 13; stop = 'fault'; break run; }
        r[7] = a;
        if (op === 0x48) next = imm >>> 0;
        else if (op === 0x49) next = (r[rd] as number) >>> 0;
        F[f] = MEM32; F[f + 1] = a; F[f + 2] = v; F[f + 3] = CPU; F[f + 4] = 7; F[f + 5] = a; f += 6;
        break;
      }
      case 0x4a: case 0x4d: {
        const a = (r[7] as number) >>> 0;
        let v: number;
        if ((a & 3) === 0 && a < ram && (rights & needRead) === needRead) v = m32[a >>> 2] as number;
        else if (a + 3 < ram && (rights & needRead) === needRead) v = (mem[a] as number) | ((mem[a + 1] as number) << 8) | ((mem[a + 2] as number) << 16) | ((mem[a + 3] as number) << 24);
        else { vector = 13; stop = 'fault'; break run; }
        r[7] = a + 4;
        F[f] = CPU; F[f + 1] = 7; F[f + 2] = a + 4; f += 3;
        if (op === 0x4d) { r[rd] = v; F[f] = CPU; F[f + 1] = rd; F[f + 2] = v; f += 3; }
        else next = v >>> 0;
        break;
      }
      case 0x55: break;
      case 0x62: case 0x63: {
        if (cpl > ((flags >>> 12) & 3)) { vector = 13; stop = 'fault'; break run; }
        const port = op === 0x62 ? imm >>> 0 : (r[rd] as number) >>> 0;
        if (port !== 0xf4) { stop = 'unsupported'; break run; }
        exitCode = r[rs] as number;
        stop = 'exit';
        const k = cost[op] as number; // it retires (no effects: the device's response is vlab's io event), and the run ends
        D[i] = next; K[i] = k; S[++i] = f / 3;
        cycles += k;
        pc = next;
        n++;
        break run;
      }
      default: stop = 'unsupported'; break run;
    }
    const k = cost[op] as number;
    D[i] = next; K[i] = k; S[++i] = f / 3;
    cycles += k;
    pc = next;
    n++;
  }
  out.length = i;
  out.effectCount = f / 3;
  m.pc = pc;
  m.flags = flags;
  m.cycles = cycles;
  m.retired += n;
  if (stop !== 'running') {
    m.stop = stop;
    m.vector = vector;
    m.exitCode = exitCode;
  }
}
