import { describe, expect, it } from 'vitest';
import type { RunConfig } from '../../../../src/domain/config.js';
import { cpuProfile, DEFAULT_CPU } from '../../../../src/domain/cost/profile.js';
import { VlabError } from '../../../../src/domain/errors.js';
import { MODES } from '../../../../src/engines/modes/registry.js';
import { runToSummary } from '../../../../src/engines/summary.js';
import { assembleSource, configFor } from '../../../helpers/run.js';
import { program } from '../../cpu/harness.js';

/** `n` turns of a two-instruction loop, then exit with `code`: 2n + 3 instructions. */
const counting = (n: number, code: number): string => `.entry s\ns: mov r2, ${n}\nl: sub r2, 1\njnz l\nmov r0, ${code}\nout 0xf4, r0\n`;

function several(mode: string, sources: readonly string[], quantum: number, maxInsns = 100_000): RunConfig {
  const [first, ...others] = sources.map((s) => configFor(assembleSource(s), mode, 'classic', maxInsns));
  return { ...(first as RunConfig), extraVms: others.map((c, i) => ({ ...c, guest: `vm${i + 1}` })), quantum };
}

const HYPERVISOR_MODES = MODES.filter((m) => m.hypervisor !== undefined && !m.modifiedGuest).map((m) => m.name);

describe('several VMs on one hypervisor', () => {
  for (const mode of HYPERVISOR_MODES) {
    it(`round robin by quantum, each VM its own end, shares that add up (${mode})`, () => {
      const s = runToSummary(several(mode, [counting(1000, 3), counting(250, 0)], 100));
      const [a, b] = s.vms ?? [];
      expect([a?.endReason, a?.exitCode, a?.guestInsns]).toEqual(['exit', 3, 2003]);
      expect([b?.endReason, b?.exitCode, b?.guestInsns]).toEqual(['exit', 0, 503]);
      // B needs 6 slices of 100, each between two switches while both run; A then runs alone. Trap-and-emulate
      // and binary translation also launch each VM with a world switch into it (vmm/launch.ts)
      expect(s.countsByType['world-switch']).toBe(2 * 6 + (mode === 'trap-emulate' || mode === 'binary-translation' ? 2 : 0));
      expect(s.countsByType['vm-end']).toBe(2);
      expect([s.endReason, s.exitCode]).toEqual(['exit', 3]); // the first VM that did not exit 0
      expect((a?.events ?? 0) + (b?.events ?? 0)).toBe(s.events);
      expect((a?.cycles ?? 0) + (b?.cycles ?? 0)).toBe(s.cycles);
    });
  }

  it('prices a switch from its components: VM exit, VMPTRLD, VMM work, VM entry (hardware-assist)', () => {
    const s = runToSummary(several('hardware-assist', [counting(1000, 0), counting(1000, 0)], 100));
    const c = cpuProfile(DEFAULT_CPU)?.cycles as Record<string, number>;
    const switches = s.countsByType['world-switch'] ?? 0;
    expect(switches).toBe(2 * 21 - 1); // 2003 instructions each: 21 slices each, alternating
    expect(s.cyclesByType['world-switch']).toBe(switches * ((c.vmexit ?? 0) + (c.system ?? 0) + (c.vmmWork ?? 0) + (c.vmentry ?? 0)));
  });

  it('a VM ends by its own budget, deadlock or halt while the others go on; the run ends as the first that failed', () => {
    const s = runToSummary({ ...several('trap-emulate', [counting(500, 0), '.entry s\ns: jmp s\n', '.entry s\ns: sti\nhlt\n', '.entry s\ns: cli\nhlt\n'], 64), extraVms: undefined });
    const config = several('trap-emulate', [counting(500, 0), '.entry s\ns: jmp s\n', '.entry s\ns: sti\nhlt\n', '.entry s\ns: cli\nhlt\n'], 64);
    const spin = config.extraVms?.[0];
    const multi = runToSummary({ ...config, extraVms: [{ ...(spin as NonNullable<typeof spin>), maxInsns: 1000 }, ...(config.extraVms ?? []).slice(1)] });
    expect(s.vms).toBeUndefined();
    expect(multi.vms?.map((v) => [v.endReason, v.guestInsns])).toEqual([['exit', 1003], ['budget', 1000], ['deadlock', 2], ['halt', 2]]);
    expect(multi.endReason).toBe('budget');
  });

  it('a halted VM yields, and idles on its own clock: its timer ticks land as when it runs alone', () => {
    const ticker = program('mov r1, 300\nout 0x40, r1\nmov r3, 0\nsti\nwait: hlt\ncmp r3, 4\njnz wait\nout 0xf4, r3', 'tick: add r3, 1\npush r1\nmov r1, 0\nout 0x20, r1\npop r1\niret').replace('.word h32, 1', '.word tick, 1');
    const alone = runToSummary(configFor(assembleSource(ticker), 'hardware-assist', 'classic', 100_000));
    const s = runToSummary(several('hardware-assist', [counting(3000, 0), ticker], 50));
    expect([alone.endReason, alone.exitCode]).toEqual(['exit', 4]);
    expect(s.vms?.[1]?.guestViewHash).toBe(alone.guestViewHash);
    expect(s.vms?.[1]?.guestInsns).toBe(alone.guestInsns);
    expect(s.countsByType.idle).toBe(alone.countsByType.idle);
  });

  it('native has no hypervisor: several VMs are refused in one line', () => {
    expect(() => runToSummary(several('native', [counting(1, 0), counting(1, 0)], 10))).toThrow(VlabError);
    expect(() => runToSummary(several('native', [counting(1, 0), counting(1, 0)], 10))).toThrow(/mode native has no hypervisor/);
  });
});
