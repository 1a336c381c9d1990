import { EFFECT_NAMES, type EffectKind } from '../domain/events/effects.js';
import type { Event } from '../domain/events/event.js';
import { disassemble } from '../domain/isa/disasm.js';
import { REG_NAMES, DEV_NAMES } from '../domain/state/layout.js';

const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;

function effectText(kind: EffectKind, a: number, b: number): string {
  switch (kind) {
    case 1: return `${REG_NAMES[a] ?? a}=${hex(b)}`;
    case 2: return `vcpu.${REG_NAMES[a] ?? a}=${hex(b)}`;
    case 5: return `${DEV_NAMES[a] ?? a}=${hex(b)}`;
    case 6: return `console+=${JSON.stringify(String.fromCharCode(b))}`;
    default: return `${EFFECT_NAMES[kind]}[${hex(a)}]=${hex(b)}`;
  }
}

function detail(e: Event): string {
  switch (e.type) {
    case 'insn':
    case 'emulate': return `${hex(e.pc)}: ${disassemble(e.word, e.imm)}`;
    case 'exception':
    case 'interrupt': return `vector ${e.vector} at ${hex(e.pc)}${e.type === 'exception' ? ` error ${hex(e.errorCode)}` : ''}`;
    case 'trap': return `${e.cause}, vector ${e.vector} at ${hex(e.pc)}`;
    case 'io': return `${e.direction} port ${hex(e.port)} = ${hex(e.value)}`;
    case 'irq': return `line ${e.line}`;
    case 'idle': return `${e.steps} steps`;
    case 'shadow-pt': return `${e.op} ${hex(e.vaddr)} -> ${hex(e.paddr)}`;
    case 'run-end': return `${e.reason}${e.reason === 'exit' ? ` ${e.exitCode}` : ''}`;
    case 'run-start': return `${e.config.mode} ${e.config.profile} ${e.config.guest}`;
    default: return '';
  }
}

/** One line for an event: `#seq type detail (cost) effects`. */
export function eventText(e: Event): string {
  const effects = e.effects.map((f) => effectText(f.kind, f.a, f.b)).join(' ');
  return `#${e.seq} ${e.type} ${detail(e)} (${e.cost} cycles)${effects === '' ? '' : `  ${effects}`}`;
}
