import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { guestSource, guestText } from '../../src/campaign/guests.js';
import { isolationEscape } from '../../src/campaign/isolation.js';
import { Prng } from '../../src/campaign/prng.js';
import { ISA_PROFILES } from '../../src/domain/isa/table.js';
import { MODES } from '../../src/engines/modes/registry.js';

const SEED = Number(process.env.FC_SEED ?? 20261202);
/** Every mode with a hypervisor: the modes that run several VMs (docs/multi-vm.md). */
const HYPERVISOR_MODES = MODES.filter((m) => m.hypervisor !== undefined);

/** An adversarial guest of the campaign's generator (src/campaign/guests.ts), from a seed. */
const adversarial = fc.integer({ min: 0, max: 0xffffffff }).map((seed) => guestSource(new Prng(seed)));

describe(`isolation: a VM's guest view beside an adversarial neighbour equals its view alone (fast-check seed ${SEED}; FC_SEED replays)`, () => {
  for (const mode of HYPERVISOR_MODES) {
    for (const isa of ISA_PROFILES) {
      it(`${mode.name} × ${isa}`, () => {
        fc.assert(
          fc.property(adversarial, adversarial, fc.integer({ min: 1, max: 2000 }), fc.boolean(), (victim, neighbour, quantum, victimFirst) => {
            const pv = mode.modifiedGuest;
            const guests = [{ name: 'victim.s', source: guestText(victim, pv) }, { name: 'neighbour.s', source: guestText(neighbour, pv) }];
            expect(isolationEscape(victimFirst ? guests : [...guests].reverse(), mode, isa, quantum)).toBeUndefined();
          }),
          { seed: SEED, numRuns: 6 },
        );
      }, 60_000);
    }
  }
});
