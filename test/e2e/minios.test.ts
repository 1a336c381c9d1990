import { describe, expect, it } from 'vitest';
import { DEFAULT_CPU, cpuProfile } from '../../src/domain/cost/profile.js';
import { runToSummary } from '../../src/engines/summary.js';
import { assembleGuest, configFor } from '../helpers/run.js';

const TRANSCRIPT = `minios: booting
minios: disk sector 0 checksum 0x00000000
minios: wrote and read back 16 sectors, checksum 0xd0200400
minios: paging on, starting 3 tasks at CPL 3
[A] step 1
[B] pid 2, yielding
[B] pid 2, yielding
[A] step 2
[B] pid 2, yielding
minios: task 2 exited with code 0
[A] step 3
[C] sum over 4 demand-zero pages = 136
minios: task 3 exited with code 7
[A] step 4
[A] step 5
minios: task 1 exited with code 0
minios: all tasks exited after 19 timer interrupts, 20 task switches and 10 demand-zero page faults
`;

export const MINIOS_TRANSCRIPT = TRANSCRIPT;

const image = assembleGuest('minios');

describe('minios', () => {
  for (const mode of ['native', 'emulate', 'trap-emulate'] as const) {
    it(`prints the same transcript under ${mode} on virtualizable, with the same guest view`, () => {
      const s = runToSummary(configFor(image, mode, 'virtualizable'));
      expect(s.console).toBe(TRANSCRIPT);
      expect(s.endReason).toBe('exit');
      expect(s.exitCode).toBe(0);
      expect(s.countsByType.interrupt).toBe(19);
      expect(s.guestViewHash).toBe(runToSummary(configFor(image, 'native', 'virtualizable')).guestViewHash);
    });
  }

  for (const isa of ['classic', 'virtualizable'] as const) {
    for (const vmcs of [undefined, 'ept=1']) {
      it(`prints the native transcript under hardware-assist on ${isa}${vmcs === undefined ? '' : ` with ${vmcs}`}, with the guest view of native`, () => {
        const config = { ...configFor(image, 'hardware-assist', isa), ...(vmcs === undefined ? {} : { vmcs }) };
        const s = runToSummary(config);
        expect(s.console).toBe(TRANSCRIPT);
        expect(s.endReason).toBe('exit');
        expect(s.guestViewHash).toBe(runToSummary(configFor(image, 'native', isa)).guestViewHash);
        expect(s.vmExits?.map((e) => e.name)).toContain(vmcs === undefined ? 'EXCEPTION_NMI' : 'EPT_VIOLATION');
        expect(s.vmExits?.reduce((n, e) => n + e.count, 0)).toBe(s.countsByType.vmexit);
        if (vmcs !== undefined) expect(runToSummary({ ...config, tlbModel: false }).guestViewHash).toBe(s.guestViewHash);
      });
    }
  }

  it('runs natively without a single VMM event', () => {
    const s = runToSummary(configFor(image, 'native'));
    expect(Object.keys(s.countsByType).sort()).toEqual(['exception', 'insn', 'interrupt', 'io', 'irq', 'run-end', 'run-start']);
  });

  it('under trap-emulate shadows its page tables and traps every privileged instruction', () => {
    const s = runToSummary(configFor(image, 'trap-emulate', 'virtualizable'));
    expect(s.countsByType['shadow-pt']).toBeGreaterThan(0);
    expect(s.countsByType.trap).toBeGreaterThanOrEqual(s.countsByType.emulate ?? 0);
    expect(s.cyclesByType.trap).toBe((s.countsByType.trap ?? 0) * cpuProfile(DEFAULT_CPU)!.cycles.trap);
  });

  it('on classic, emulate stays exact while trap-emulate loses the interrupt flag and every timer interrupt', () => {
    expect(runToSummary(configFor(image, 'emulate', 'classic')).console).toBe(TRANSCRIPT);
    const broken = runToSummary(configFor(image, 'trap-emulate', 'classic'));
    expect(broken.console).not.toBe(TRANSCRIPT);
    expect(broken.countsByType.interrupt).toBeUndefined();
    expect(broken.console).toContain('after 0 timer interrupts');
  });
});

describe('minios under binary-translation', () => {
  for (const isa of ['classic', 'virtualizable'] as const) {
    it(`prints the native transcript on ${isa}, with the native guest view, its kernel translated and user code direct`, () => {
      const s = runToSummary(configFor(image, 'binary-translation', isa));
      expect(s.console).toBe(TRANSCRIPT);
      expect(s.endReason).toBe('exit');
      expect(s.guestViewHash).toBe(runToSummary(configFor(image, 'native', isa)).guestViewHash);
      expect(s.countsByType.translate).toBeGreaterThan(0);
      expect(s.countsByType.callout).toBeGreaterThan(0);
      expect(s.cyclesByType.callout).toBe((s.countsByType.callout ?? 0) * cpuProfile(DEFAULT_CPU)!.cycles.callout);
    });
  }
});
