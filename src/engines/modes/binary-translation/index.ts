import { RING_COMPRESSED } from '../../vmm/ring-compression.js';
import { uniform, type ModeSpec } from '../spec.js';
import { binaryTranslationEngine } from './engine.js';

export const binaryTranslation: ModeSpec = {
  name: 'binary-translation',
  story: 'the kernel runs only from a translation cache, its sensitive instructions translated into inline code or callouts; user code runs directly (VMware, Adams & Agesen 2006)',
  correctOn: ['classic', 'virtualizable'],
  modifiedGuest: false,
  hypervisor: 'trap',
  policy: uniform('callout', {
    'sensitive-unprivileged': 'inline',
    'interrupt-flag': 'inline',
    'page-table-write': 'traps',
    'page-fault': 'traps',
    'timer-interrupt': 'traps',
  }),
  projection: RING_COMPRESSED,
  engine: binaryTranslationEngine,
};
