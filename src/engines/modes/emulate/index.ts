import { insn } from '../../../domain/events/guest.js';
import { emulate as emulateEvent } from '../../../domain/events/vmm.js';
import { DIRECT } from '../../../domain/guest-view.js';
import { directEngine } from '../native/direct.js';
import { uniform, type ModeSpec } from '../spec.js';

const interpreted = { spec: insn, variant: 'interpreter' } as const;

export const emulate: ModeSpec = {
  name: 'emulate',
  story: 'pure emulation: the VMM interprets every guest instruction (Bochs)',
  correctOn: ['classic', 'virtualizable'],
  modifiedGuest: false,
  hypervisor: 'interpreter',
  policy: uniform('emulated'),
  projection: DIRECT,
  engine: (env) => directEngine(env, { plain: interpreted, innocuous: interpreted, sensitive: { spec: emulateEvent, variant: 'interpreter' }, delivery: 'interpreter' }),
};
