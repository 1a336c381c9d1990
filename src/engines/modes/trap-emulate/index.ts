import { RING_COMPRESSED } from '../../vmm/ring-compression.js';
import { uniform, type ModeSpec } from '../spec.js';
import { trapEmulateEngine } from './engine.js';

export const trapEmulate: ModeSpec = {
  name: 'trap-emulate',
  story: 'the kernel runs deprivileged at CPL 1; privileged instructions trap to the VMM (Popek & Goldberg)',
  correctOn: ['virtualizable'],
  modifiedGuest: false,
  hypervisor: 'trap',
  policy: uniform('traps', { 'sensitive-unprivileged': { classic: 'executes', virtualizable: 'traps' } }),
  projection: RING_COMPRESSED,
  engine: (env) => trapEmulateEngine(env),
};
