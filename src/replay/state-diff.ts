import type { Mode } from '../domain/config.js';
import { guestRegisters } from '../domain/guest-view.js';
import { DEV_NAMES, REG_NAMES } from '../domain/state/layout.js';
import { CowMemory } from '../domain/state/memory.js';
import type { MachineState } from '../domain/state/machine.js';

const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;

function registerDiff(label: string, a: ArrayLike<number>, b: ArrayLike<number>, names: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) out.push(`${label}${names[i] ?? i}: ${hex(a[i] ?? 0)} vs ${hex(b[i] ?? 0)}`);
  }
  return out;
}

function memoryDiff(a: MachineState, b: MachineState, limit: number): string[] {
  const out: string[] = [];
  const ma = new CowMemory(a.memory);
  const mb = new CowMemory(b.memory);
  for (let p = 0; p < a.memory.pages.length && out.length < limit; p++) {
    if (a.memory.pages[p] === b.memory.pages[p]) continue;
    for (let addr = p << 12; addr < (p + 1) << 12 && out.length < limit; addr += 4) {
      if (ma.read32(addr) !== mb.read32(addr)) out.push(`memory ${hex(addr)}: ${hex(ma.read32(addr))} vs ${hex(mb.read32(addr))}`);
    }
  }
  return out;
}

function consoleDiff(a: string, b: string): string[] {
  if (a === b) return [];
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return [`console from byte ${i}: ${JSON.stringify(a.slice(i, i + 40))} vs ${JSON.stringify(b.slice(i, i + 40))}`];
}

/** What differs between two states, as the guest sees them when modes are given, else all of it. */
export function stateDifference(a: MachineState, b: MachineState, modes?: readonly [Mode, Mode]): string[] {
  const registers = modes === undefined
    ? [...registerDiff('', a.cpu, b.cpu, REG_NAMES), ...registerDiff('vcpu.', a.vcpu, b.vcpu, REG_NAMES)]
    : registerDiff('', guestRegisters(a, modes[0]), guestRegisters(b, modes[1]), REG_NAMES);
  return [...registers, ...registerDiff('', a.dev, b.dev, DEV_NAMES), ...memoryDiff(a, b, 8), ...consoleDiff(a.console, b.console)];
}
