import { DIRECT } from '../../../domain/guest-view.js';
import { uniform, type ModeSpec } from '../spec.js';
import { directEngine, onHardware } from './direct.js';

export const native: ModeSpec = {
  name: 'native',
  story: 'bare metal: the guest kernel runs at CPL 0 on the machine',
  correctOn: ['classic', 'virtualizable'],
  modifiedGuest: false,
  policy: uniform('executes', { 'page-fault': 'faults-to-guest' }),
  projection: DIRECT,
  engine: (env) => directEngine(env, { plain: onHardware, innocuous: onHardware, sensitive: onHardware, delivery: 'cpu' }),
};
