import { hardwareAssist } from '../hardware-assist/index.js';
import { hardwareAssistEngine } from '../hardware-assist/engine.js';
import type { ModeSpec } from '../spec.js';
import { hybridEngine } from './engine.js';

/** Hardware assist for the CPU and memory, so its claims and policy; the paravirtual block driver's kicks are its only vmcalls. */
export const hybrid: ModeSpec = {
  name: 'hybrid',
  story: 'hardware assist for an unmodified kernel, with paravirtual drivers installed in it (a block ring, one kick per burst: virtio, guest additions)',
  correctOn: hardwareAssist.correctOn,
  modifiedGuest: false,
  hypervisor: 'vmexit',
  policy: hardwareAssist.policy,
  projection: hardwareAssist.projection,
  engine: (env) => hybridEngine(env, hardwareAssistEngine),
  guestBuild: 'pvdrivers',
};
