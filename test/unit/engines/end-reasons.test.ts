import { describe, expect, it } from 'vitest';
import { budgetOf, countsToTick, EVENTS_FLOOR, EVENTS_PER_INSN } from '../../../src/engines/loop.js';
import { MODES } from '../../../src/engines/modes/registry.js';
import { runToSummary } from '../../../src/engines/summary.js';
import { program } from '../cpu/harness.js';
import { assembleSource, configFor } from '../../helpers/run.js';

/** One guest per end reason (docs/machine.md, "How a run ends"), each ending in every mode. */
const GUESTS: Record<string, { source: string; reason: string; exitCode?: number }> = {
  exit: { source: '.entry s\ns: mov r1, 7\nout 0xf4, r1\n', reason: 'exit', exitCode: 7 },
  halt: { source: '.entry s\ns: cli\nhlt\n', reason: 'halt' },
  'deadlock, nothing armed': { source: '.entry s\ns: sti\nhlt\n', reason: 'deadlock' },
  'deadlock, timer line left in service': {
    source: program('mov r1, 100\nout 0x40, r1\nsti\nspin: jmp spin', 'h32b: sti\nhlt\n').replace('h32: push r0', 'h32: jmp h32b\npush r0'),
    reason: 'deadlock',
  },
  'double fault: a fault with no gate of its own is delivered to the guest\'s #DF handler (x86), which exits': {
    source: program('mov r1, 0\ndiv r1, 0', 'df: mov r1, 8\nout 0xf4, r1').replace('.word h0, 1', '.word h0, 0').replace('.word h8, 1', '.word df, 1'),
    reason: 'exit',
    exitCode: 8,
  },
  'triple fault': { source: '.entry s\ns: mov r1, 0\ndiv r1, 0\n', reason: 'triple-fault' },
  'budget: instructions': { source: '.entry s\ns: jmp s\n', reason: 'budget' },
  'triple fault: an exception re-raised until its frames exhaust the stack': {
    source: program('jmp bad', 'bad: .word 0xffffffff, 0xffffffff').replace('.word h6, 1', '.word bad, 1'),
    reason: 'triple-fault',
  },
  'budget: a timer of period 2^32 - 1 waking hlt': {
    source: program('mov r1, 0xffffffff\nout 0x40, r1\nsti\nwait: hlt\njmp wait', 'tick: push r1\nmov r1, 0\nout 0x20, r1\npop r1\niret').replace('.word h32, 1', '.word tick, 1'),
    reason: 'budget',
  },
};

describe('every run ends, with its own reason', () => {
  for (const [name, g] of Object.entries(GUESTS)) {
    for (const mode of MODES.filter((m) => !m.modifiedGuest).map((m) => m.name)) { // every mode that runs an unmodified guest
      it(`${name} (${mode})`, () => {
        const config = configFor(assembleSource(g.source), mode, 'classic', 20_000);
        const s = runToSummary(config);
        expect(s.endReason).toBe(g.reason);
        if (g.exitCode !== undefined) expect(s.exitCode).toBe(g.exitCode);
      });
    }
  }
});

describe('the budget', () => {
  it('bounds instructions, events and virtual time, derived from --max-insns', () => {
    expect(budgetOf(configFor(assembleSource('hlt'), 'native', 'classic', 1000))).toEqual({ insns: 1000, events: EVENTS_PER_INSN * 1000 + EVENTS_FLOOR, ticks: 1000 * 0x10000 });
  });

  it('counts timer distances modulo 2^32, overdue only within a period', () => {
    expect(countsToTick(10, 4, 100)).toBe(6);
    expect(countsToTick(4, 5, 100)).toBe(-1);
    expect(countsToTick(3, 4, 0xffffffff)).toBe(0xffffffff);
    expect(countsToTick((0x1_0000_0000 + 2) | 0, 0x1_0000_0001, 0xffffffff)).toBe(1);
  });
});
