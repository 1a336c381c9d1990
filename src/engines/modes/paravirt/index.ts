import { RING_COMPRESSED } from '../../vmm/ring-compression.js';
import { uniform, type ModeSpec } from '../spec.js';
import { paravirtEngine } from './engine.js';

export const paravirt: ModeSpec = {
  name: 'paravirt',
  story: 'the modified kernel runs at CPL 1 and calls the hypervisor (vmcall hypercalls, shared info, validated direct paging, block ring) (Xen)',
  // A paravirtualized guest cannot run the unmodified programs the conformance suite
  // generates: the mode claims equivalence at the output of the guests built for it
  // (minios-pv), tested in test/e2e/paravirt.test.ts, not on any ISA profile.
  correctOn: [],
  modifiedGuest: true,
  hypervisor: 'trap',
  policy: uniform('hypercall', { 'page-fault': 'traps', 'software-interrupt': 'executes', 'timer-interrupt': 'traps' }),
  projection: RING_COMPRESSED,
  engine: paravirtEngine,
  guestBuild: 'pv',
};
