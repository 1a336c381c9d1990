import { vmConfigs, type RunConfig } from '../../domain/config.js';
import { ADAPTED } from '../../domain/events/bt.js';
import { disassemble, symbolsByAddress } from '../../domain/isa/disasm.js';
import { INSN_BYTES } from '../../domain/isa/table.js';
import { startRun } from '../run.js';
import { translationOf, type Translation } from './translator.js';

/** What a run did with one block of the translation cache. */
interface BlockStats {
  length: number;
  frame: number;
  translated: number;
  lookups: number;
  entered: number;
}

const MARK: Readonly<Record<Translation, string>> = { ident: 'IDENT', inline: 'inline', callout: 'callout' };
const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;

/**
 * `vlab tc`: runs the guest under a translating mode and lists every block it translated
 * (as last translated; the guest code as memory holds it at the end), each guest instruction beside what it became (IDENT, inline,
 * callout), with how often the block was translated, entered and looked up.
 */
export function tcListing(config: RunConfig, at?: number, vmIndex = 0): string {
  const run = startRun(config);
  const stats = new Map<number, BlockStats>();
  const of = (pc: number): BlockStats => stats.get(pc) ?? stats.set(pc, { length: 0, frame: 0, translated: 0, lookups: 0, entered: 0 }).get(pc)!;
  run.runUntil(Number.POSITIVE_INFINITY, (batch) => {
    for (const e of batch) {
      if (e.vm !== vmIndex) continue;
      if (e.type === 'translate') Object.assign(of(e.pc), { length: e.length, frame: e.frame, translated: of(e.pc).translated + 1 });
      else if (e.type === 'tc-hit') of(e.pc).lookups++;
      else if ((e.type === 'insn' || e.type === 'emulate') && stats.has(e.pc)) of(e.pc).entered++;
    }
  });
  const vm = run.machine.vm(vmIndex);
  const guest = vmConfigs(config)[vmIndex] ?? config;
  const symbols = symbolsByAddress(guest.image);
  const holds = (pc: number, s: BlockStats): boolean => at === undefined || (pc <= at && at < pc + s.length * INSN_BYTES);
  const blocks = [...stats.entries()].filter(([pc, s]) => s.translated > 0 && holds(pc, s)).sort(([a], [b]) => a - b);
  const out = [`${config.extraVms === undefined ? '' : `VM ${vmIndex}: `}${guest.guest} under ${config.mode} (isa ${config.isa}): ${stats.size} blocks translated, ${vm.tc.size} in the cache at the end${at === undefined ? '' : `; ${blocks.length} holding ${hex(at)}`}`];
  for (const [pc, s] of blocks) {
    const name = symbols.get(pc);
    const kept = vm.tc.get(pc) !== 0 ? '' : ' (dropped)';
    out.push('', `block ${hex(pc)}${name === undefined ? '' : ` <${name}>`}${kept}: ${s.length} instructions from frame ${hex(s.frame)}; translated ${s.translated}x, ${s.lookups} lookups, its first instruction run ${s.entered}x`);
    for (let i = 0; i < s.length; i++) {
      const paddr = s.frame * 0x1000 + ((pc + i * INSN_BYTES) & 0xfff);
      const [lo, imm] = [vm.memory.read32(paddr), vm.memory.read32(paddr + 4)];
      const adapted = ((vm.tcFaults.get((pc + i * INSN_BYTES) >>> 0) >>> 0) & ADAPTED) !== 0;
      out.push(`  ${hex(pc + i * INSN_BYTES).padEnd(10)} ${(adapted ? 'callout' : MARK[translationOf(lo)]).padEnd(8)} ${disassemble(lo, imm, symbols)}${adapted ? '  (adapted: it wrote page tables)' : ''}`);
    }
  }
  return `${out.join('\n')}\n`;
}
