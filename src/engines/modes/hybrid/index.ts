import { RING_COMPRESSED } from '../../vmm/ring-compression.js';
import { uniform, type ModeSpec } from '../spec.js';
import { trapEmulateEngine } from '../trap-emulate/engine.js';
import { hybridEngine } from './engine.js';

export const hybrid: ModeSpec = {
  name: 'hybrid',
  story: 'an unmodified kernel with paravirtual drivers (a block ring, one kick per burst); CPU and memory by trap-emulate until hardware-assist lands (virtio)',
  // The CPU and memory are trap-emulate's for now, so are its claims; hardware-assist's when it is wired in.
  correctOn: ['virtualizable'],
  modifiedGuest: false,
  policy: uniform('traps', { 'sensitive-unprivileged': { classic: 'executes', virtualizable: 'traps' } }),
  projection: RING_COMPRESSED,
  engine: (env) => hybridEngine(env, trapEmulateEngine),
  guestBuild: 'pvdrivers',
};
