import { ROW_BY_OPCODE } from '../isa/table.js';
import p4 from './profiles/p4-2005.json' with { type: 'json' };

/**
 * The cycle cost of each kind of event on one CPU generation. The numbers and their sources
 * are data (profiles/*.json); engines only look them up.
 */
export interface CostProfile {
  readonly name: string;
  readonly description: string;
  readonly cycles: Readonly<Record<CostKey, number>>;
  readonly sources: Readonly<Record<string, string>>;
}

export const COST_KEYS = [
  'alu', 'mul', 'div', 'memory', 'branch', 'stack', 'system', 'io',
  'exception', 'interrupt', 'irq', 'idleStep',
  'interpret', 'trap', 'emulate', 'emulateIo', 'reflect', 'inject',
  'shadowFill', 'shadowSync', 'shadowFlush',
] as const;
export type CostKey = (typeof COST_KEYS)[number];

export const COST_PROFILES: Readonly<Record<string, CostProfile>> = { [p4.name]: p4 as CostProfile };
export const DEFAULT_COST_PROFILE = p4.name;

function classOf(mnemonic: string): CostKey {
  if (mnemonic === 'mul') return 'mul';
  if (mnemonic === 'div') return 'div';
  if (['ld', 'ldb', 'st', 'stb'].includes(mnemonic)) return 'memory';
  if (mnemonic.startsWith('j')) return 'branch';
  if (['push', 'pop', 'call', 'ret', 'pushf', 'popf'].includes(mnemonic)) return 'stack';
  if (['in', 'out'].includes(mnemonic)) return 'io';
  if (['add', 'sub', 'and', 'or', 'xor', 'shl', 'shr', 'cmp', 'mov', 'nop'].includes(mnemonic)) return 'alu';
  return 'system';
}

/** Native cycles of each opcode, looked up on the hot path. */
export function opcodeCycles(profile: CostProfile): Uint32Array {
  const cycles = new Uint32Array(256);
  for (let op = 0; op < 256; op++) {
    const row = ROW_BY_OPCODE[op];
    cycles[op] = row === undefined ? 0 : profile.cycles[classOf(row.mnemonic)];
  }
  return cycles;
}

export function costProfile(name: string): CostProfile | undefined {
  return COST_PROFILES[name];
}
