import { DIRECT } from '../../../domain/guest-view.js';
import { uniform, type ModeSpec } from '../spec.js';
import { hardwareAssistEngine } from './engine.js';

/** The policy is the default VMCS's (a first-generation VMM, shadow paging); `--vmcs` changes it per run. */
export const hardwareAssist: ModeSpec = {
  name: 'hardware-assist',
  story: 'VT-x: the unmodified kernel runs at its own CPL 0 in non-root mode; the VMCS says what exits to the VMM',
  correctOn: ['classic', 'virtualizable'],
  modifiedGuest: false,
  hypervisor: 'vmexit',
  policy: uniform('executes', { io: 'vm-exit', 'page-table-write': 'vm-exit', 'page-fault': 'vm-exit', halt: 'vm-exit', 'timer-interrupt': 'vm-exit' }),
  projection: DIRECT,
  engine: hardwareAssistEngine,
  variants: [{ label: 'ept', config: { vmcs: 'ept=1' } }],
};
