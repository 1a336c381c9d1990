import { describe, expect, it } from 'vitest';
import { runToSummary, type RunSummary } from '../../src/engines/summary.js';
import { assembleGuest, configFor } from '../helpers/run.js';

const N = 100;
const MODES = ['native', 'emulate', 'trap-emulate', 'binary-translation', 'hardware-assist'];

function run(name: string, mode: string, vmcs?: string, n = N): RunSummary {
  return runToSummary({ ...configFor(assembleGuest(`nano/${name}`, { N: n }), mode, 'virtualizable'), ...(vmcs === undefined ? {} : { vmcs }) });
}

/** VM exits per iteration under hardware-assist: a first-generation VMM (shadow paging), and with EPT. */
const EXITS: Record<string, { shadow: number; ept: number }> = {
  syscall: { shadow: 0, ept: 0 }, // int and iret stay in the guest
  in: { shadow: 1, ept: 1 }, // the I/O exit
  cr8wr: { shadow: 0, ept: 0 }, // no CR8-load exiting (a TPR shadow)
  callret: { shadow: 0, ept: 0 },
  pgfault: { shadow: 5, ept: 0 }, // traced unmap, invlpg, #PF exit and injection, traced map, hidden #PF filled
  divzero: { shadow: 0, ept: 0 }, // #DE is not in the exception bitmap
  ptemod: { shadow: 2, ept: 0 }, // traced PTE write, invlpg
};

/** Per iteration: guest exceptions, and the traps a deprivileged kernel takes. */
const EXPECTED: Record<string, { exceptions: number; trapsPerIteration: number }> = {
  syscall: { exceptions: N + 1, trapsPerIteration: 2 }, // int 0x80 reflected, iret emulated
  in: { exceptions: 0, trapsPerIteration: 1 },
  cr8wr: { exceptions: 0, trapsPerIteration: 1 },
  callret: { exceptions: 0, trapsPerIteration: 0 },
  pgfault: { exceptions: N, trapsPerIteration: 6 }, // traced unmap, invlpg, #PF reflected, traced map, iret, hidden #PF filled
  divzero: { exceptions: N, trapsPerIteration: 2 }, // #DE reflected, iret emulated
  ptemod: { exceptions: 0, trapsPerIteration: 2 }, // traced PTE write, invlpg
};

describe('nanobenchmarks (Adams & Agesen 2006)', () => {
  for (const [name, expected] of Object.entries(EXPECTED)) {
    describe(name, () => {
      const native = run(name, 'native');
      for (const mode of MODES) {
        it(`runs ${N} iterations under ${mode} with the guest view of native`, () => {
          const s = mode === 'native' ? native : run(name, mode);
          expect(s.console).toBe(`${name}: ${N} iterations\n`);
          expect(s.endReason).toBe('exit');
          expect(s.countsByType.exception ?? 0).toBe(expected.exceptions);
          expect(s.guestViewHash).toBe(native.guestViewHash);
        });
      }
      for (const [memory, vmcs] of [['shadow', undefined], ['ept', 'ept=1']] as const) {
        it(`costs ${EXITS[name]?.[memory]} VM exits per iteration under hardware-assist (${memory})`, () => {
          const small = run(name, 'hardware-assist', vmcs);
          const big = run(name, 'hardware-assist', vmcs, 2 * N);
          expect(small.guestViewHash).toBe(native.guestViewHash);
          expect(((big.countsByType.vmexit ?? 0) - (small.countsByType.vmexit ?? 0)) / N).toBe(EXITS[name]?.[memory]);
        });
      }
      it(`costs ${expected.trapsPerIteration} traps per iteration under trap-emulate`, () => {
        const small = run(name, 'trap-emulate');
        const big = runToSummary(configFor(assembleGuest(`nano/${name}`, { N: 2 * N }), 'trap-emulate', 'virtualizable'));
        expect(((big.countsByType.trap ?? 0) - (small.countsByType.trap ?? 0)) / N).toBe(expected.trapsPerIteration);
      });
    });
  }
});
