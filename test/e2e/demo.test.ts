import { describe, expect, it } from 'vitest';
import { runToSummary } from '../../src/engines/summary.js';
import { assembleGuest, configFor } from '../helpers/run.js';

const image = assembleGuest('demo/sensitive');

const BARE_METAL = `pushf after cli, IF = 0
mov r, cs (CPL)     = 00000000
smsw (CR0 low bits) = 00000000
sidt (IDT base)     = 000012f0
timer interrupts after popf enabled IF = 00000014
`;

describe('the classic-profile holes, as the guest sees them', () => {
  it('bare metal, emulation and trap-emulate on virtualizable agree', () => {
    expect(runToSummary(configFor(image, 'native')).console).toBe(BARE_METAL);
    expect(runToSummary(configFor(image, 'emulate')).console).toBe(BARE_METAL);
    expect(runToSummary(configFor(image, 'trap-emulate', 'virtualizable')).console).toBe(BARE_METAL);
  });

  it('trap-emulate on classic reveals ring 1 and the VMM, and loses the popf', () => {
    expect(runToSummary(configFor(image, 'trap-emulate', 'classic')).console).toBe(`pushf after cli, IF = 1
mov r, cs (CPL)     = 00000001
smsw (CR0 low bits) = 00000001
sidt (IDT base)     = ffc00000
timer interrupts after popf enabled IF = 00000000
`);
  });
});
